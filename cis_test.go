package bulwark_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
)

func TestCISDockerProfile(t *testing.T) {
	checks, err := bulwark.Profile("cis-docker")
	if err != nil {
		t.Fatal(err)
	}
	if len(checks) == 0 {
		t.Fatal("empty cis-docker profile")
	}
	for _, c := range checks {
		if c.Inputs&hardening.KindPod != 0 || c.Inputs == 0 {
			t.Errorf("%s reads %v; the CIS Docker Benchmark is about specs and images", c.ID, c.Inputs)
		}
		cis := false
		for _, r := range c.References {
			if r.Kind == hardening.RefCIS && (strings.HasPrefix(r.ID, "4.") || strings.HasPrefix(r.ID, "5.")) {
				cis = true
			}
		}
		if !cis {
			t.Errorf("%s has no CIS section 4 or 5 reference: %v", c.ID, c.References)
		}
	}
	// The shared check values are not modified by narrowing.
	if bulwark.Checks().Lookup("capabilities.privileged").Inputs&hardening.KindPod == 0 {
		t.Error("narrowing for cis-docker changed the catalog's check")
	}
}
