package cgroups_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

func TestFixtures(t *testing.T) {
	checks := append(cgroups.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/*.yaml")
	hardeningtest.Run(t, checks, "testdata/*.json")
}
