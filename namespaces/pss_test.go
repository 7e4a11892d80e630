package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/namespaces"
)

// pssAt returns the package's Pod Security Standards controls active at v
// for the level, without the baseline controls restricted ones override.
func pssAt(level hardening.PSSLevel, v hardening.KubeVersion) hardening.Checks {
	var checks hardening.Checks
	overridden := map[string]bool{}
	for _, c := range namespaces.PSSControls() {
		if c.ActiveAt(v) && c.Level <= level {
			for _, id := range c.Overrides {
				overridden[id] = true
			}
		}
	}
	for _, c := range namespaces.PSSControls() {
		if c.ActiveAt(v) && c.Level <= level && !overridden[c.ID] {
			checks = append(checks, c.At(v))
		}
	}
	return checks
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSRestricted, hardening.LatestKube), "testdata/pss.yaml")
}

func TestPSSProcMountBaselineRelaxedInUserNamespace(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.PSSBaseline, hardening.LatestKube), "testdata/pss-baseline.yaml")
	hardeningtest.Run(t, pssAt(hardening.PSSBaseline, hardening.KubeVersion{Major: 1, Minor: 34}), "testdata/pss-baseline-1.34.yaml")
}
