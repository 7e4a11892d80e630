package rbac_test

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/rbac"
)

var verbose = flag.Bool("findings", false, "log every finding of the fixtures")

// TestFixtures audits each fixture as one run, so that its workloads and
// RBAC objects share a Cluster (hardeningtest.Run reads documents one by
// one, without one), and compares the findings with its "# want:" lines.
func TestFixtures(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	checks := append(rbac.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
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
			runner, err := hardening.NewRunner(checks, hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
			if err != nil {
				t.Fatal(err)
			}
			r := load.Paths(load.Options{}, file)
			if len(r.Errors) > 0 {
				t.Fatalf("fixture does not load: %v", r.Errors[0])
			}
			r.Audit(runner)
			var got []hardeningtest.Expectation
			for _, f := range r.Findings {
				if f.Path == "" || f.Message == "" || f.Remediation == "" {
					t.Errorf("finding of %s lacks a path, message or remediation: %+v", f.Check, f)
				}
				if *verbose {
					t.Logf("document %d %s %s [%s]: %s", f.Document, f.Check, f.Path, f.Severity, f.Message)
				}
				for _, id := range append([]string{f.Check}, f.Related...) {
					got = append(got, hardeningtest.Expectation{Document: f.Document, Check: id, Path: f.Path, Suppressed: f.Suppressed})
				}
			}
			order := func(a, b hardeningtest.Expectation) int { return strings.Compare(a.String(), b.String()) }
			slices.SortFunc(want, order)
			slices.SortFunc(got, order)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings differ from the fixture's expectations (-want +got):\n%s", diff)
			}
		})
	}
}
