package bulwark_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite CHECKS.md from the catalog")

func TestCatalogIsValid(t *testing.T) {
	checks := bulwark.Checks()
	if err := hardening.Validate(checks); err != nil {
		t.Fatal(err)
	}
	for _, c := range checks {
		pkg, _, _ := strings.Cut(c.ID, ".")
		if c.Run == nil && c.Set == nil && pkg != "hardening" {
			t.Errorf("%s has no Run or Set: a check that is not implemented must not be in the catalog", c.ID)
		}
		if len(c.References) == 0 && pkg != "hardening" {
			t.Errorf("%s has no references", c.ID)
		}
	}
	if !slices.IsSortedFunc(checks, func(a, b *hardening.Check) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("Checks() is not sorted by ID")
	}
}

// TestCatalogDoc keeps CHECKS.md in step with the catalog. Run
// `go test -run TestCatalogDoc -update .` after changing a check.
func TestCatalogDoc(t *testing.T) {
	got := catalogMarkdown(documented(t))
	if *update {
		if err := os.WriteFile("CHECKS.md", got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("CHECKS.md")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("CHECKS.md is stale; run `go test -run TestCatalogDoc -update .` (-file +catalog):\n%s", diff)
	}
}

// documented returns the catalog and the Pod Security Standards controls
// that only some profiles hold (baseline controls a restricted one
// overrides, controls of older versions): every check ID a run can report.
func documented(t *testing.T) hardening.Checks {
	checks := bulwark.Checks()
	for _, level := range []hardening.PSSLevel{hardening.PSSBaseline, hardening.PSSRestricted} {
		for minor := hardening.LatestKube.Minor; minor >= 0; minor-- {
			profile, err := bulwark.PSSProfile(level, hardening.KubeVersion{Major: 1, Minor: minor})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range profile {
				if checks.Lookup(c.ID) == nil {
					checks = append(checks, c)
				}
			}
		}
	}
	return checks.Sorted()
}

func catalogMarkdown(checks hardening.Checks) []byte {
	var b bytes.Buffer
	b.WriteString("# bulwark checks\n\n")
	b.WriteString("Generated from `bulwark.Checks()` and the Pod Security Standards profiles by `go test -run TestCatalogDoc -update .`; do not edit.\n\n")
	fmt.Fprintf(&b, "%d checks. Severity is the default; some checks rank individual findings higher or lower (the finding says).\n\n", len(checks))
	b.WriteString("| ID | severity | class | inputs | title | references |\n|---|---|---|---|---|---|\n")
	for _, c := range checks {
		var refs []string
		for _, r := range c.References {
			if r.URL != "" {
				refs = append(refs, fmt.Sprintf("[%s](%s)", r, r.URL))
			} else {
				refs = append(refs, r.String())
			}
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s | %s | %s |\n", c.ID, anchor(c.ID), c.Severity, c.Class,
			strings.Join(c.Inputs.Names(), ", "), c.Title, strings.Join(refs, "<br>"))
	}
	for _, c := range checks {
		fmt.Fprintf(&b, "\n## %s\n\n%s.\n\n%s\n\n**Fix:** %s\n", c.ID, capitalize(c.Title), c.Rationale, c.Remediation)
	}
	return b.Bytes()
}

func anchor(id string) string { return strings.ReplaceAll(id, ".", "") }

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
