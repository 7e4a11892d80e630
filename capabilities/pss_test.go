package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

func pssAt(level hardening.PSSLevel, v hardening.KubeVersion) hardening.Checks {
	var checks hardening.Checks
	overridden := map[string]bool{}
	for _, c := range capabilities.PSSControls() {
		if c.ActiveAt(v) && c.Level <= level {
			for _, id := range c.Overrides {
				overridden[id] = true
			}
		}
	}
	for _, c := range capabilities.PSSControls() {
		if c.ActiveAt(v) && c.Level <= level && !overridden[c.ID] {
			checks = append(checks, c.At(v))
		}
	}
	return checks
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.LatestKube), "testdata/pss/restricted.yaml")
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.KubeVersion{Major: 1, Minor: 21}), "testdata/pss/baseline-1.21.yaml")
}
