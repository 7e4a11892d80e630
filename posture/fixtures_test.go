package posture_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/posture"
)

func TestFixtures(t *testing.T) {
	checks := append(posture.Checks(bulwark.PSSProfile), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/*.yaml")
}

// The cluster's version replaces the catalog's posture.psa-version-outdated.
func TestFixturesForAClusterVersion(t *testing.T) {
	outdated, err := posture.PSAVersionOutdatedFor(hardening.KubeVersion{Major: 1, Minor: 33})
	if err != nil {
		t.Fatal(err)
	}
	checks := posture.Checks(bulwark.PSSProfile)
	for i, c := range checks {
		if c.ID == outdated.ID {
			checks[i] = outdated
		}
	}
	hardeningtest.Run(t, checks, "testdata/cluster-v1.33/*.yaml")
}
