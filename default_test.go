package bulwark_test

import (
	"path/filepath"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
)

// The default profile is one a team can gate CI on: manifests hardened as
// real charts harden them pass it at the strictest threshold, while "all"
// still has things to say about them.
func TestHardenedManifestsPassTheDefault(t *testing.T) {
	files, err := filepath.Glob("testdata/hardened/*.yaml")
	if err != nil || len(files) < 2 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := bulwark.AuditPaths(bulwark.Default(), load.Options{}, file)
			if code := r.ExitCode(hardening.SeverityInfo); code != 0 || len(r.Subjects) == 0 {
				t.Errorf("exit %d under the default profile, %d subjects: %v %v", code, len(r.Subjects), r.Findings, r.Errors)
			}
			if all := bulwark.AuditPaths(bulwark.Checks(), load.Options{}, file); len(all.Findings) == 0 {
				t.Error("all reports nothing either: the fixture pins nothing")
			}
		})
	}
	careless := bulwark.AuditPaths(bulwark.Default(), load.Options{}, "examples/audit/sample")
	if careless.ExitCode(hardening.SeverityLow) != 1 {
		t.Error("the careless sample passes the default profile")
	}
}

func TestDefaultProfileAssembly(t *testing.T) {
	def := bulwark.Default()
	if _, err := hardening.NewRunner(def, hardening.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	restricted, err := bulwark.PSSProfile(hardening.PSSRestricted, hardening.LatestKube)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range restricted {
		if def.Lookup(c.ID) == nil {
			t.Errorf("%s: a restricted control is missing from the default", c.ID)
		}
	}
	excluded := bulwark.DefaultExclusions()
	for id := range excluded {
		if bulwark.Checks().Lookup(id) == nil {
			t.Errorf("excluded %s is not in the catalog", id)
		}
		if def.Lookup(id) != nil && restricted.Lookup(id) == nil {
			t.Errorf("excluded %s is in the default", id)
		}
	}
	for _, c := range bulwark.Checks() {
		inDefault := def.Lookup(c.ID) != nil
		want := restricted.Lookup(c.ID) != nil || (c.Run != nil || c.Set != nil) && c.PSSLevel == 0 && c.Severity >= hardening.SeverityMedium && excluded[c.ID] == ""
		if inDefault != want {
			t.Errorf("%s (%s): in default %v, want %v", c.ID, c.Severity, inDefault, want)
		}
	}
	if p, err := bulwark.Profile(bulwark.DefaultProfile); err != nil || len(p) != len(def) {
		t.Errorf("Profile(%q) = %d checks, %v", bulwark.DefaultProfile, len(p), err)
	}
	// The privileged control is the general check here, so it folds what
	// a privileged container makes moot.
	if c := def.Lookup("capabilities.privileged"); c == nil || c.PSSLevel != 0 || c.Moots == nil {
		t.Errorf("capabilities.privileged in the default: %+v", c)
	}
}
