package hooks_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/hooks"
)

func TestFixtures(t *testing.T) {
	checks := append(hooks.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/*.json")
}
