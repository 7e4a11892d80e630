package hardening_test

import (
	"errors"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

func TestSummary(t *testing.T) {
	high := hardening.Finding{Check: "a.b", Severity: hardening.SeverityHigh}
	low := hardening.Finding{Check: "a.c", Severity: hardening.SeverityLow}
	suppressedCritical := hardening.Finding{Check: "a.d", Severity: hardening.SeverityCritical, Suppressed: true}
	warning := hardening.Finding{Check: "a.e", Severity: hardening.SeverityCritical, Warning: true}
	subject := &hardening.Subject{Name: "Pod/p"}
	docErr := &hardening.DocumentError{Source: "x.yaml", Document: 1, Err: errors.New("bad")}
	tests := []struct {
		name    string
		entries []hardening.Entry
		want    hardening.Summary
		exit    [2]int // at low, at critical
	}{
		{"empty", nil, hardening.Summary{}, [2]int{0, 0}},
		{"one clean subject", []hardening.Entry{{Subject: subject}, {Set: true}},
			hardening.Summary{Subjects: 1}, [2]int{0, 0}},
		{"findings", []hardening.Entry{{Subject: subject, Findings: []hardening.Finding{low, high, suppressedCritical}}, {Set: true, Findings: []hardening.Finding{warning}}},
			hardening.Summary{Subjects: 1, Findings: 4, Suppressed: 1, Warnings: 1, Counted: 2, Highest: hardening.SeverityHigh}, [2]int{1, 0}},
		{"an error wins", []hardening.Entry{{Subject: subject, Findings: []hardening.Finding{high}}, {Error: docErr}, {Skipped: &hardening.Skipped{Source: "x.yaml"}}},
			hardening.Summary{Subjects: 1, Findings: 1, Counted: 1, Highest: hardening.SeverityHigh, Errors: 1, Skipped: 1}, [2]int{2, 2}},
		{"only suppressed and warnings", []hardening.Entry{{Subject: subject, Findings: []hardening.Finding{suppressedCritical, warning}}},
			hardening.Summary{Subjects: 1, Findings: 2, Suppressed: 1, Warnings: 1}, [2]int{0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s hardening.Summary
			r := &hardening.Result{}
			collect := hardening.Collect(r)
			for i := range tt.entries {
				s.Add(&tt.entries[i])
				if err := collect(&tt.entries[i]); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(tt.want, s); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
			got := [2]int{s.ExitCode(hardening.SeverityLow), s.ExitCode(hardening.SeverityCritical)}
			if got != tt.exit {
				t.Errorf("exit codes %v, want %v", got, tt.exit)
			}
			// The summary and the collected Result agree.
			want := [2]int{r.ExitCode(hardening.SeverityLow), r.ExitCode(hardening.SeverityCritical)}
			if got != want {
				t.Errorf("exit codes %v, the collected Result's %v", got, want)
			}
			if len(r.Findings) != s.Findings || len(r.Subjects) != s.Subjects || len(r.Errors) != s.Errors || len(r.Skipped) != s.Skipped {
				t.Errorf("collected %d findings, %d subjects, %d errors, %d skipped; summary %+v", len(r.Findings), len(r.Subjects), len(r.Errors), len(r.Skipped), s)
			}
		})
	}
}
