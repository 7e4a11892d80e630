package network_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/network"
)

func TestFixtures(t *testing.T) {
	checks := append(network.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/checks/*.yaml")
	runJSONFixtures(t, checks, "testdata/checks/*.json")
}

// runJSONFixtures runs hardeningtest over each JSON fixture, except that a
// fixture whose .want expects nothing is checked here for no findings at
// all: hardeningtest.Compare tells a nil expectation list from an empty
// list of findings, so it cannot pass an empty .want.
func runJSONFixtures(t *testing.T, checks hardening.Checks, pattern string) {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("pattern %q: %v, %d files", pattern, err, len(files))
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
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := load.Bytes(load.Options{}, file, data)
			if len(r.Errors) > 0 || len(r.Subjects) != 1 {
				t.Fatalf("fixture does not load as one subject: %v", r.Errors)
			}
			r.Audit(checks)
			for _, f := range r.Findings {
				t.Errorf("%s expects no finding, got %s", file, f)
			}
		})
	}
}
