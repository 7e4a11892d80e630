package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/network"
)

func TestFixtures(t *testing.T) {
	checks := append(network.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/checks/*.yaml")
	hardeningtest.Run(t, checks, "testdata/checks/*.json")
}
