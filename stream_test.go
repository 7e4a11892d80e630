package bulwark_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
)

var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

// strip clears what the stream adds to subjects (the shared cluster), so
// that results compare by their content.
func strip(r *hardening.Result) *hardening.Result {
	for _, s := range r.Subjects {
		s.Cluster = nil
	}
	return r
}

const policyWithUnused = `apiVersion: bulwark.dev/v1
kind: SuppressionPolicy
suppressions:
- check: capabilities.privileged
  subject: Deployment/prod/shop
  reason: the VPN sidecar needs it
  owner: net-team
- check: images.latest-tag
  subject: Pod/nowhere/nothing
  reason: matches nothing
  owner: nobody
`

// TestStreamIsAuditPaths: collecting the stream gives what loading every
// subject and auditing the Result gives, with one worker or many, and the
// runner's findings about the run come last.
func TestStreamIsAuditPaths(t *testing.T) {
	policy, err := hardening.ParsePolicy("policy.yaml", []byte(policyWithUnused))
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"examples/audit/sample", "testdata/suppressions", "load/testdata/multidoc.yaml", "load/testdata/skipped.yaml", "load/testdata/cluster", "load/testdata/image", "missing.yaml"}
	for _, profile := range []string{"all", "pss-restricted"} {
		checks, err := bulwark.Profile(profile)
		if err != nil {
			t.Fatal(err)
		}
		newRunner := func() *hardening.Runner {
			r, err := hardening.NewRunner(checks, hardening.RunOptions{Suppressions: bulwark.FileSuppressions(policy)})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		want := load.Paths(load.Options{Workers: 1}, paths...)
		want.Audit(newRunner())
		strip(want)
		if len(want.Subjects) < 10 || len(want.Errors) == 0 || len(want.Skipped) == 0 {
			t.Fatalf("the inputs must give subjects, errors and skipped documents: %d, %d, %d", len(want.Subjects), len(want.Errors), len(want.Skipped))
		}
		for _, workers := range []int{1, 3} {
			got := &hardening.Result{}
			collect := hardening.Collect(got)
			var sets int
			sum, err := bulwark.Stream(context.Background(), newRunner(), load.Options{Workers: workers}, paths, func(e *hardening.Entry) error {
				if sets > 0 {
					t.Error("an entry after the Set entry")
				}
				if e.Set {
					sets++
					// Set checks' findings come first, then the warnings.
					if profile == "all" && !slices.ContainsFunc(e.Findings, func(f hardening.Finding) bool { return f.Warning }) {
						t.Errorf("the policy's unused entry is a warning of the Set entry: %v", e.Findings)
					}
				}
				return collect(e)
			})
			if err != nil {
				t.Fatal(err)
			}
			if sets != 1 {
				t.Errorf("%d Set entries", sets)
			}
			if diff := cmp.Diff(want, strip(got), exportAll); diff != "" {
				t.Errorf("%s, %d workers (-AuditPaths +Stream):\n%s", profile, workers, diff)
			}
			if sum.Subjects != len(want.Subjects) || sum.Findings != len(want.Findings) || sum.Errors != len(want.Errors) || sum.Skipped != len(want.Skipped) {
				t.Errorf("summary %+v", sum)
			}
			if sum.ExitCode(hardening.SeverityLow) != want.ExitCode(hardening.SeverityLow) {
				t.Errorf("exit code %d, want %d", sum.ExitCode(hardening.SeverityLow), want.ExitCode(hardening.SeverityLow))
			}
			if sum.ClusterObjects != 18 || sum.ClusterBytes <= 0 {
				t.Errorf("the cluster of load/testdata/cluster, the Service of multidoc.yaml and the sample's ServiceAccount and Secret: %d objects, %d bytes", sum.ClusterObjects, sum.ClusterBytes)
			}
		}
	}
}

func TestStreamCanceled(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		pod := fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\nspec:\n  containers:\n  - name: c\n    image: x\n", i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("p%02d.yaml", i)), []byte(pod), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := bulwark.Stream(ctx, bulwark.Checks(), load.Options{Workers: 2}, []string{dir}, func(e *hardening.Entry) error {
		if e.Set {
			t.Error("a canceled stream has no Set entry")
		}
		if n++; n == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n > 2+8+1 {
		t.Errorf("error %v after %d entries", err, n)
	}
	// Canceled before it starts: nothing is read.
	n = 0
	_, err = bulwark.Stream(ctx, bulwark.Checks(), load.Options{}, []string{dir}, func(e *hardening.Entry) error { n++; return nil })
	if !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("error %v after %d entries", err, n)
	}
}

// Stream a directory: each subject comes with its findings as soon as it
// is checked, in input order, and the checker's findings about the whole
// run come last.
func ExampleStream() {
	checks, err := bulwark.Profile("pss-baseline")
	if err != nil {
		panic(err)
	}
	summary, err := bulwark.Stream(context.Background(), checks, load.Options{}, []string{"examples/audit/sample"}, func(e *hardening.Entry) error {
		switch {
		case e.Subject != nil:
			fmt.Printf("%s: %d findings\n", e.Subject.Name, len(e.Findings))
			for _, f := range e.Findings {
				fmt.Println("  ", f.Check, strings.TrimPrefix(f.Path, "spec.template.spec."))
			}
		case e.Error != nil:
			fmt.Println("error:", e.Error)
		case e.Skipped != nil:
			fmt.Println("skipped:", e.Skipped.Kind)
		case e.Set:
			fmt.Printf("about the run: %d findings\n", len(e.Findings))
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("exit code:", summary.ExitCode(hardening.SeverityHigh))
	// Output:
	// Deployment/prod/shop: 3 findings
	//    capabilities.privileged containers[1].securityContext.privileged
	//    capabilities.pss-added-baseline containers[2].securityContext.capabilities.add[0]
	//    capabilities.pss-added-baseline containers[2].securityContext.capabilities.add[1]
	// Pod/prod/shop-hardened: 0 findings
	// examples/audit/sample/image-config.json: 0 findings
	// examples/audit/sample/oci/config.json: 0 findings
	// ServiceAccount/prod/shop: 0 findings
	// Secret/prod/shop-ci-token: 0 findings
	// about the run: 0 findings
	// exit code: 1
}
