package posture_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/posture"
)

// FuzzNamespaceLabels: any labels, any values: no check panics, findings
// are the same twice, and the label checks agree with each other (at most
// one of missing, enforce-missing and privileged; privileged only for the
// exact value).
func FuzzNamespaceLabels(f *testing.F) {
	f.Add("enforce", "restricted", "enforce-version", "v1.25")
	f.Add("warn", "Baseline", "audit-version", "1.30")
	f.Add("enforced", "privileged", "enforce", "privileged ")
	f.Add("", "", "enforce-version", "v1.0099")
	checks := posture.Checks(bulwark.PSSProfile)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		labels := map[string]string{posture.LabelPrefix + k1: v1, posture.LabelPrefix + k2: v2}
		s := namespaceSubject("fuzz", labels)
		first := checks.Check(s, nil)
		if diff := cmp.Diff(first, checks.Check(s, nil)); diff != "" {
			t.Fatalf("not deterministic (-first +again):\n%s", diff)
		}
		exclusive := 0
		for _, f := range first {
			switch f.Check {
			case hardening.CheckFailed.ID:
				t.Fatalf("a check panicked: %s", f.Message)
			case labelsMissing, enforceMiss:
				exclusive++
			case privileged:
				exclusive++
				if labels[posture.EnforceLabel] != "privileged" {
					t.Fatalf("privileged reported for %q", labels[posture.EnforceLabel])
				}
			}
			for _, related := range f.Related {
				if strings.HasPrefix(related, "posture.psa-") && related != invalid && related != outdated {
					exclusive++
				}
			}
		}
		if exclusive > 1 {
			t.Fatalf("%v: %v", labels, first)
		}
	})
}
