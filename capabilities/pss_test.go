package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

func pssAt(level hardening.PSSLevel, v hardening.KubeVersion) hardening.Checks {
	return hardening.PSSChecks(capabilities.PSSControls(), level, v)
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.LatestKube), "testdata/pss/restricted.yaml")
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.KubeVersion{Major: 1, Minor: 21}), "testdata/pss/baseline-1.21.yaml")
}
