package namespaces_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/namespaces"
)

func TestFixtures(t *testing.T) {
	checks := append(namespaces.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	hardeningtest.Run(t, checks, "testdata/checks/*.yaml")

	// JSON fixtures (OCI specs) keep their expectations in <fixture>.want.
	// hardeningtest.Compare reports a fixture that expects nothing and gets
	// nothing as a nil-versus-empty difference, so those are checked here.
	files, err := filepath.Glob("testdata/checks/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no JSON fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			want, err := hardeningtest.Expectations(file, data)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) > 0 {
				diff, err := hardeningtest.Compare(checks, file)
				if err != nil {
					t.Fatal(err)
				}
				if diff != "" {
					t.Errorf("findings differ from %s.want (-want +got):\n%s", file, diff)
				}
				return
			}
			result := load.Bytes(load.Options{}, file, data)
			if len(result.Errors) > 0 {
				t.Fatalf("fixture does not load: %v", result.Errors[0])
			}
			if len(result.Subjects) != 1 || result.Subjects[0].Kind != hardening.KindOCISpec {
				t.Fatalf("want one OCI spec, got %d subjects", len(result.Subjects))
			}
			result.Audit(checks)
			for _, f := range result.Findings {
				t.Errorf("unexpected finding: %s", f)
			}
		})
	}
}
