package confinement_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/confinement"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

func pssAt(level hardening.PSSLevel, v hardening.KubeVersion) hardening.Checks {
	return hardening.PSSChecks(confinement.PSSControls(), level, v)
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.LatestKube), "testdata/pss.yaml")
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.KubeVersion{Major: 1, Minor: 18}), "testdata/pss-1.18.yaml")
}
