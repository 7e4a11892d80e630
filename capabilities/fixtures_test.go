package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

func TestFixtures(t *testing.T) {
	checks := append(capabilities.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/*.yaml", "testdata/*.json")
}
