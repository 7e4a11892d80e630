// Package checktest holds what the concern packages' tests share: running
// checks one by one, the part of a finding a table compares, and the
// benchmark loop that pins "a passing subject costs no allocation".
package checktest

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Each runs every check of checks on s on its own and returns their
// findings in list order. Unlike running the list as one Checker, findings
// of different checks at one field path are not merged into one, so a
// table can pin what each check reports.
func Each(checks hardening.Checks, s *hardening.Subject) []hardening.Finding {
	var out []hardening.Finding
	for _, c := range checks {
		out = hardening.Checks{c}.Check(s, out)
	}
	return out
}

// Catalog checks what every concern package promises of its Checks():
// each check is valid ([hardening.Validate]) and cites a reference, the
// list is sorted by ID, and no check panics on an empty subject of a kind
// it reads (a set check: on a run without a cluster that observes one).
func Catalog(t *testing.T, checks hardening.Checks) {
	t.Helper()
	if err := hardening.Validate(checks); err != nil {
		t.Error(err)
	}
	for i, c := range checks {
		if i > 0 && checks[i-1].ID >= c.ID {
			t.Errorf("Checks() is not sorted by ID: %s before %s", checks[i-1].ID, c.ID)
		}
		if len(c.References) == 0 {
			t.Errorf("%s has no references", c.ID)
		}
		for k := hardening.Kind(1); k != 0; k <<= 1 {
			if c.Inputs&k == 0 {
				continue
			}
			// Nothing to read, and no cluster: no panic.
			if c.Run != nil {
				c.Run(&hardening.Subject{Kind: k}, nil)
			}
			if c.Set != nil {
				run := c.Set(nil)
				run.Observe(&hardening.Subject{Kind: k}, nil)
				run.Finish(nil)
			}
		}
	}
}

// Got is the part of a finding a table of Pod (or mixed) findings
// compares: which check, how severe, which container and where. A test
// package declares its own type on it, type got checktest.Got, so that its
// tables may list the fields by position (vet wants keys for another
// package's struct types), and reads findings with Summarize[got].
type Got = struct {
	Check     string
	Severity  hardening.Severity
	Container string
	Path      string
}

// Summarize returns the [Got] of each finding as T, nil for none.
func Summarize[T ~Got](fs []hardening.Finding) []T {
	var out []T
	for _, f := range fs {
		out = append(out, T{f.Check, f.Severity, f.Container, f.Path})
	}
	return out
}

// SpecGot is the part of a finding a table of OCI spec findings compares:
// a spec has no containers, and those checks set the attack class per
// finding. Declare a type on it and read findings with SummarizeSpec, as
// with [Got].
type SpecGot = struct {
	Check    string
	Severity hardening.Severity
	Class    hardening.Class
	Path     string
}

// SummarizeSpec returns the [SpecGot] of each finding as T, nil for none.
func SummarizeSpec[T ~SpecGot](fs []hardening.Finding) []T {
	var out []T
	for _, f := range fs {
		out = append(out, T{f.Check, f.Severity, f.Class, f.Path})
	}
	return out
}

// Bench runs checks on s in the benchmark loop, reusing one findings
// slice as a caller that audits many subjects does, reports allocations,
// and returns the findings of the last run for the caller to judge.
func Bench(b *testing.B, checks hardening.Checks, s *hardening.Subject) []hardening.Finding {
	b.Helper()
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	return out
}

// BenchPassing is [Bench] for a subject that must pass, and pass for free:
// it fails the benchmark on any finding, and on any allocation an audit of
// the subject makes.
func BenchPassing(b *testing.B, checks hardening.Checks, s *hardening.Subject) {
	b.Helper()
	if out := Bench(b, checks, s); len(out) != 0 {
		b.Fatalf("%s no longer passes: %v", s.Name, out)
	}
	out := make([]hardening.Finding, 0, 8)
	if n := testing.AllocsPerRun(10, func() { out = checks.Check(s, out[:0]) }); n != 0 {
		b.Errorf("%s passes at %v allocations per audit, want 0", s.Name, n)
	}
}
