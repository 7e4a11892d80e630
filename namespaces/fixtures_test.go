package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/namespaces"
)

func TestFixtures(t *testing.T) {
	checks := append(namespaces.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	// JSON fixtures (OCI specs) keep their expectations in <fixture>.want;
	// an empty .want means nothing fires.
	hardeningtest.Run(t, checks, "testdata/checks/*.yaml", "testdata/checks/*.json")
}
