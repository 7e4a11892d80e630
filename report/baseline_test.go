package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

// finding is a finding of a check at a path of a subject.
func finding(check, subject, path string) hardening.Finding {
	return hardening.Finding{Check: check, Severity: hardening.SeverityHigh, Subject: subject, Source: "s.yaml", Path: path, Message: "m"}
}

var (
	fA = finding("capabilities.privileged", "Pod/a", "spec.containers[0].securityContext.privileged")
	fB = finding("namespaces.host-pid", "Pod/b", "spec.hostPID")
	fC = finding("cgroups.pids-limit", "Pod/c", "spec.containers[0].resources")
)

// held returns which of fs the baseline holds.
func held(b *Baseline, fs ...hardening.Finding) []bool {
	out := make([]bool, len(fs))
	for i, f := range fs {
		out[i] = b.Contains(f)
	}
	return out
}

// rendered renders r in a format.
func rendered(t *testing.T, format string, r *hardening.Result) string {
	t.Helper()
	return string(render(t, func(b *bytes.Buffer) error { return renderers[format](b, r, Options{}) }))
}

func TestReadBaseline(t *testing.T) {
	suppressed := fB
	suppressed.Suppressed, suppressed.SuppressedBy, suppressed.SuppressionReason = true, hardening.SuppressedByObject, "r"
	fromBaseline := fC
	fromBaseline.Suppressed, fromBaseline.SuppressedBy, fromBaseline.SuppressionReason = true, SuppressedByBaseline, "in the baseline"
	warning := fB
	warning.Warning = true
	some := &hardening.Result{Findings: []hardening.Finding{fA, suppressed, fromBaseline, warning}}

	tests := []struct {
		name    string
		in      string
		want    []bool // holds fA, fB, fC
		wantErr string
	}{
		// The findings that counted, and those the report's own baseline
		// suppressed; not those suppressed otherwise, nor warnings.
		{"JSON report", rendered(t, "json", some), []bool{true, false, true}, ""},
		{"SARIF log", rendered(t, "sarif", some), []bool{true, false, true}, ""},
		{"JSON report without fingerprints (before they were written)",
			`{"version": 1, "subjects": [{"name": "Pod/a"}], "findings": [{"check": "capabilities.privileged", "subject": "Pod/a", "path": "spec.containers[0].securityContext.privileged", "suppressed": false}], "errors": [], "skipped": []}`,
			[]bool{true, false, false}, ""},
		{"JSON report without version (before it was written)",
			`{"findings": [{"check": "namespaces.host-pid", "subject": "Pod/b", "path": "spec.hostPID"}]}`, []bool{false, true, false}, ""},
		{"the fingerprint decides, not check, subject and path",
			`{"version": 1, "findings": [{"check": "x.y", "subject": "Pod/z", "path": "spec", "fingerprint": "` + Fingerprint(fC) + `"}]}`,
			[]bool{false, false, true}, ""},
		{"SARIF log without partialFingerprints",
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bulwark"}}, "results": [{"ruleId": "namespaces.host-pid", "properties": {"subject": "Pod/b", "path": "spec.hostPID"}}]}]}`,
			[]bool{false, true, false}, ""},
		{"SARIF results absent are not in it",
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bulwark"}}, "results": [{"ruleId": "namespaces.host-pid", "baselineState": "absent", "properties": {"subject": "Pod/b", "path": "spec.hostPID"}}]}]}`,
			[]bool{false, false, false}, ""},
		{"empty JSON report", rendered(t, "json", &hardening.Result{}), []bool{false, false, false}, ""},
		{"empty SARIF log", rendered(t, "sarif", &hardening.Result{}), []bool{false, false, false}, ""},

		{"not JSON", "apiVersion: v1\n", nil, "not a JSON report nor a SARIF log"},
		{"an array", "[]", nil, "the top level is not an object"},
		{"neither", `{"version": 1, "subjects": []}`, nil, "no findings"},
		{"both", `{"findings": [], "runs": []}`, nil, "neither format"},
		{"a later JSON version", `{"version": 2, "findings": []}`, nil, "JSON report version 2: this build reads version 1"},
		{"a JSON version that is no number", `{"version": "1", "findings": []}`, nil, `JSON report version "1"`},
		{"findings not an array", `{"version": 1, "findings": {}}`, nil, "findings: not an array"},
		{"a finding not an object", `{"version": 1, "findings": [{"check": "a"}, 3]}`, nil, "findings[1]:"},
		{"a bad fingerprint", `{"version": 1, "findings": [{"fingerprint": "abc"}]}`, nil, `findings[0]: fingerprint "abc" is not SHA-256 hex`},
		{"truncated", `{"version": 1, "findings": [{"check": "a"}`, nil, "findings"},
		{"another SARIF version", `{"version": "2.0.0", "runs": []}`, nil, `SARIF version "2.0.0"`},
		{"another tool's SARIF log", `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "trivy"}}, "results": []}]}`, nil, `runs[0]: a SARIF log of "trivy", not of bulwark`},
		{"a SARIF log that left results out",
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bulwark"}}, "results": [], "properties": {"resultsTotal": 7000, "resultsOmitted": 2000}}]}`,
			nil, "left out 2000 of 7000 results"},
		{"a bad partial fingerprint",
			`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bulwark"}}, "results": [{}, {"partialFingerprints": {"bulwarkFinding/v1": "zz"}}]}]}`,
			nil, "runs[0].results[1]: fingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadBaseline(strings.NewReader(tt.in))
			switch {
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, held(b, fA, fB, fC)); diff != "" {
				t.Errorf("holds fA, fB, fC (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadBaselineFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "last.json")
	if err := os.WriteFile(good, []byte(rendered(t, "json", &hardening.Result{Findings: []hardening.Finding{fA}})), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"version": 9, "findings": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.json")

	for _, tt := range []struct{ name, file, wantErr string }{
		{"missing", missing, "baseline " + missing + ": open: no such file or directory"},
		{"bad", bad, "baseline " + bad + ": JSON report version 9"},
	} {
		if _, err := ReadBaselineFile(tt.file); err == nil || err.Error() != tt.wantErr && !strings.HasPrefix(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	b, err := ReadBaselineFile(good)
	if err != nil {
		t.Fatal(err)
	}
	fs := []hardening.Finding{fA}
	b.Mark(fs)
	if want := "in the baseline " + good; fs[0].SuppressionReason != want {
		t.Errorf("reason %q, want %q", fs[0].SuppressionReason, want)
	}
}

func TestBaselineMark(t *testing.T) {
	wasSuppressed := fC
	wasSuppressed.Suppressed, wasSuppressed.SuppressedBy, wasSuppressed.SuppressionReason = true, hardening.SuppressedByPolicy, "until Q3"
	var old bytes.Buffer
	if err := JSON(&old, &hardening.Result{Findings: []hardening.Finding{fA, fB, wasSuppressed}}, Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(&old)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 3 {
		t.Errorf("Len() = %d, want 3", b.Len())
	}
	fD := finding("images.latest-tag", "Pod/d", "spec.containers[0].image")
	type state struct {
		BaselineState string
		Suppressed    bool
		SuppressedBy  hardening.SuppressionOrigin
		Counts        bool
	}
	tests := []struct {
		name   string
		change func(*hardening.Finding)
		of     hardening.Finding
		want   state
	}{
		{"unchanged", func(*hardening.Finding) {}, fA, state{"unchanged", true, SuppressedByBaseline, false}},
		{"new", func(*hardening.Finding) {}, fD, state{"new", false, "", true}},
		{"suppressed before, no longer: counts again", func(*hardening.Finding) {}, fC, state{"unchanged", false, "", true}},
		{"suppressed before and still", func(f *hardening.Finding) {
			f.Suppressed, f.SuppressedBy, f.SuppressionReason = true, hardening.SuppressedByPolicy, "until Q3"
		}, fC, state{"unchanged", true, hardening.SuppressedByPolicy, false}},
		{"new: same check and path, another subject", func(f *hardening.Finding) { f.Subject = "Pod/z" }, fA, state{"new", false, "", true}},
		{"reworded, more severe, moved", func(f *hardening.Finding) {
			f.Message, f.Severity, f.Line, f.Source = "other words", hardening.SeverityCritical, 40, "moved.yaml"
		}, fA, state{"unchanged", true, SuppressedByBaseline, false}},
		{"another check joined it (merged)", func(f *hardening.Finding) { f.Related = []string{"capabilities.pss-privileged"} }, fA,
			state{"unchanged", true, SuppressedByBaseline, false}},
		{"another primary check", func(f *hardening.Finding) { f.Check, f.Related = "capabilities.pss-privileged", []string{fA.Check} }, fA,
			state{"new", false, "", true}},
		{"suppressed by its object: kept so", func(f *hardening.Finding) {
			f.Suppressed, f.SuppressedBy, f.SuppressionReason = true, hardening.SuppressedByObject, "r"
		}, fB, state{"unchanged", true, hardening.SuppressedByObject, false}},
		{"a warning is never suppressed", func(f *hardening.Finding) { f.Warning = true }, fB, state{"unchanged", false, "", false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.of
			tt.change(&f)
			fs := []hardening.Finding{f}
			n := b.Mark(fs)
			got := state{fs[0].BaselineState, fs[0].Suppressed, fs[0].SuppressedBy, fs[0].Counts(hardening.SeverityInfo)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			wantN := 0
			if tt.want.SuppressedBy == SuppressedByBaseline {
				wantN = 1
			}
			if n != wantN {
				t.Errorf("Mark returned %d, want %d", n, wantN)
			}
			if tt.want.SuppressedBy == SuppressedByBaseline && fs[0].SuppressionReason != "in the baseline" {
				t.Errorf("reason %q", fs[0].SuppressionReason)
			}
		})
	}
	var none *Baseline
	fs := []hardening.Finding{fA}
	if none.Mark(fs) != 0 || fs[0].BaselineState != "" || fs[0].Suppressed || none.Contains(fA) || none.Len() != 0 {
		t.Errorf("a nil baseline marked %+v", fs[0])
	}
}

// A report of this week, read as a baseline, holds this week's findings:
// next week, with nothing new, nothing counts. And a report written under
// a baseline is the next baseline: what the baseline suppressed stays in.
func TestBaselineRoundTrip(t *testing.T) {
	for _, format := range []string{"json", "sarif"} {
		t.Run(format, func(t *testing.T) {
			read := func(r *hardening.Result) *Baseline {
				b, err := ReadBaseline(strings.NewReader(rendered(t, format, r)))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}
			week1 := testResult()
			next := testResult()
			next.Findings = append(next.Findings, finding("network.host-network", "Deployment/prod/web", "spec.template.spec.hostNetwork"))
			n := read(week1).Mark(next.Findings)
			// Counted before: privileged, runs-as-root, pids-limit, the info
			// finding; the suppressed one and the warning are not the
			// baseline's to suppress.
			if n != 4 {
				t.Errorf("suppressed %d, want 4", n)
			}
			var states []string
			counting := 0
			for _, f := range next.Findings {
				states = append(states, f.BaselineState)
				if f.Counts(hardening.SeverityInfo) {
					counting++
				}
			}
			// The suppressed finding and the warning were in the report too:
			// unchanged, though not the baseline's to suppress.
			want := []string{"unchanged", "unchanged", "unchanged", "unchanged", "unchanged", "unchanged", "new"}
			if diff := cmp.Diff(want, states); diff != "" {
				t.Errorf("states (-want +got):\n%s", diff)
			}
			if counting != 1 {
				t.Errorf("%d findings count, want 1 (the new one)", counting)
			}

			// Week 3 reads week 2's report, written under the baseline.
			week3 := testResult()
			read(next).Mark(week3.Findings)
			for i, f := range week3.Findings {
				if f.Counts(hardening.SeverityInfo) {
					t.Errorf("findings[%d] %s counts again", i, f.Check)
				}
			}
		})
	}
}
