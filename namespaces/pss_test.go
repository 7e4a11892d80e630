package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/namespaces"
)

func pssAt(level hardening.PSSLevel, v hardening.KubeVersion) hardening.Checks {
	return hardening.PSSChecks(namespaces.PSSControls(), level, v)
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.LatestKube), "testdata/pss.yaml")
}

func TestPSSProcMountBaselineRelaxedInUserNamespace(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSBaseline, hardening.LatestKube), "testdata/pss-baseline.yaml")
	hardeningtest.Run(t, pssAt(hardening.PSSBaseline, hardening.KubeVersion{Major: 1, Minor: 34}), "testdata/pss-baseline-1.34.yaml")
}
