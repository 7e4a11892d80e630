package rbac_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/rbac"
)

// FuzzChecks audits arbitrary manifests, the fixtures as seeds, with every
// check of the package as one run: no check may panic (the runner would
// report hardening.check-failed) and every finding has a path and a
// message. The resolver's answers are fuzzed against the authorizer in
// rbactest.
func FuzzChecks(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	runner, err := hardening.NewRunner(rbac.Checks(), hardening.RunOptions{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := filepath.Join(t.TempDir(), "fuzz.yaml")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := load.Paths(load.Options{}, file)
		r.Audit(runner)
		for _, f := range r.Findings {
			if f.Check == hardening.CheckFailed.ID || f.Path == "" || f.Message == "" {
				t.Fatalf("%s at %q: %s", f.Check, f.Path, f.Message)
			}
		}
	})
}
