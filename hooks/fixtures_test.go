package hooks_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/hooks"
	"github.com/bulwarkdev/bulwark/load"
)

func TestFixtures(t *testing.T) {
	checks := append(hooks.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want, err := hardeningtest.Expectations(file, data)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > 0 {
			hardeningtest.Run(t, checks, file)
			continue
		}
		// hardeningtest.Compare tells a nil expectation list from an empty
		// list of findings, so an empty .want is checked here.
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := load.Bytes(load.Options{}, file, data)
			if len(r.Errors) > 0 {
				t.Fatal(r.Errors[0])
			}
			r.Audit(checks)
			for _, f := range r.Findings {
				t.Errorf("%s expects no findings, got %s %s", file, f.Check, f.Path)
			}
		})
	}
}
