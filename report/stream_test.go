package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

// streamOf returns the entries of a stream that r collects, and r with its
// findings in the stream's order: each subject's after it (by subject,
// source and document), those of no subject in the Set entry.
func streamOf(r *hardening.Result) ([]hardening.Entry, *hardening.Result) {
	var entries []hardening.Entry
	ordered := &hardening.Result{Subjects: r.Subjects, Errors: r.Errors, Skipped: r.Skipped}
	used := make([]bool, len(r.Findings))
	for _, s := range r.Subjects {
		e := hardening.Entry{Subject: s}
		for i, f := range r.Findings {
			if !used[i] && f.Subject == s.Name && f.Source == s.Source && f.Document == s.Document {
				used[i] = true
				e.Findings = append(e.Findings, f)
			}
		}
		ordered.Findings = append(ordered.Findings, e.Findings...)
		entries = append(entries, e)
	}
	for _, de := range r.Errors {
		entries = append(entries, hardening.Entry{Error: de})
	}
	for i := range r.Skipped {
		entries = append(entries, hardening.Entry{Skipped: &r.Skipped[i]})
	}
	set := hardening.Entry{Set: true}
	for i, f := range r.Findings {
		if !used[i] {
			set.Findings = append(set.Findings, f)
		}
	}
	ordered.Findings = append(ordered.Findings, set.Findings...)
	return append(entries, set), ordered
}

func writeStream(t *testing.T, w StreamWriter, entries []hardening.Entry) {
	t.Helper()
	for i := range entries {
		if err := w.Write(&entries[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// bigResult has enough findings, with hostile strings, to spill the
// writers' spools to files.
func bigResult() *hardening.Result {
	r := &hardening.Result{}
	for i := range 400 {
		s := &hardening.Subject{Name: fmt.Sprintf("Pod/ns/p%d\u2028<&>", i), Kind: hardening.KindPod, Source: "big.yaml", Document: i}
		r.Subjects = append(r.Subjects, s)
		for j := range 6 {
			r.Findings = append(r.Findings, hardening.Finding{
				Check: checkPrivileged.ID, Subject: s.Name, Kind: s.Kind, Source: s.Source, Document: i,
				Path:    fmt.Sprintf("spec.containers[%d].securityContext.privileged", j),
				Message: strings.Repeat("\"quoted\"\t\x01\xff é ", 20), Container: "c\x1b[31m",
				Related: []string{"capabilities.pss-privileged"}, Suppressed: j == 2, SuppressionReason: "r",
			})
		}
		if i%50 == 0 {
			r.Errors = append(r.Errors, &hardening.DocumentError{Source: "big.yaml", Document: i, Err: fmt.Errorf("bad \\ %d", i)})
			r.Skipped = append(r.Skipped, hardening.Skipped{Source: "big.yaml", Document: i, Kind: "v1 Service"})
		}
	}
	return r
}

// baselined is testResult with its first finding in a baseline.
func baselined() *hardening.Result {
	r := testResult()
	var old bytes.Buffer
	if err := JSON(&old, &hardening.Result{Findings: r.Findings[:1]}, Options{}); err != nil {
		panic(err)
	}
	b, err := ReadBaseline(&old)
	if err != nil {
		panic(err)
	}
	b.Mark(r.Findings)
	return r
}

// manySkipped has skipped objects of more kinds than Text counts one by
// one, and enough objects whose pods a controller runs, and parts, to
// spill the text writer's lists to files.
func manySkipped() *hardening.Result {
	r := &hardening.Result{Skipped: manyKinds(maxSkippedKinds + 3)}
	reason := strings.Repeat("creates pods \x1b[31m that are not in the input ", 10)
	for i := range 3000 {
		r.Skipped = append(r.Skipped,
			hardening.Skipped{Source: "ops.yaml", Document: i, Kind: "monitoring.coreos.com/v1 Prometheus",
				Name: fmt.Sprintf("Prometheus/ns/p%d", i), Controller: "Prometheus Operator", Reason: reason, Template: "chart/templates/p.yaml"},
			hardening.Skipped{Source: "ops.yaml", Document: i, Kind: "example.com/v1 Job", Name: fmt.Sprintf("Job/ns/j%d", i),
				Path: "spec.steps[0].container", Part: true, Reason: reason})
	}
	return r
}

func TestJSONWriterMatchesJSON(t *testing.T) {
	tests := []struct {
		name   string
		result *hardening.Result
		opts   Options
	}{
		{"fixture", testResult(), Options{Checks: testChecks}},
		{"fixture without checks", testResult(), Options{}},
		{"empty", &hardening.Result{}, Options{}},
		{"only errors", &hardening.Result{Errors: testResult().Errors}, Options{}},
		{"only findings about the run", &hardening.Result{Findings: testResult().Findings[3:4]}, Options{Checks: testChecks}},
		{"spilled to files", bigResult(), Options{Checks: testChecks}},
		{"findings in the baseline", baselined(), Options{Checks: testChecks}},
		{"skipped documents", manySkipped(), Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, ordered := streamOf(tt.result)
			want := render(t, func(b *bytes.Buffer) error { return JSON(b, ordered, tt.opts) })
			var got bytes.Buffer
			writeStream(t, NewJSONWriter(&got, tt.opts), entries)
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("(-JSON +JSONWriter):\n%s", diff)
			}
		})
	}
}

func TestSpoolRemovesItsFile(t *testing.T) {
	var s spool
	chunk := bytes.Repeat([]byte("x"), 4096)
	for s.Len() <= spoolMemory {
		if _, err := s.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	if s.file == nil {
		t.Fatal("the spool did not move to a file")
	}
	name := s.file.Name()
	var out bytes.Buffer
	if _, err := s.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	if int64(out.Len()) != s.Len() {
		t.Errorf("copied %d bytes of %d", out.Len(), s.Len())
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("%s left behind: %v", filepath.Base(name), err)
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"\\\b\f\n\r\t\x00\x1f\x7f", "<&>", "\u2028\u2029", "\xff\xfe", "é😀", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		got := string(appendJSONString(nil, s)) + "\n"
		if got != want.String() {
			t.Errorf("appendJSONString(%q) = %s, encoding/json writes %s", s, got, want.String())
		}
	})
}

func TestTextWriterMatchesText(t *testing.T) {
	tests := []struct {
		name   string
		result *hardening.Result
		opts   Options
	}{
		{"fixture", testResult(), Options{Checks: testChecks}},
		{"fixture with suppressed", testResult(), Options{Checks: testChecks, ShowSuppressed: true}},
		{"fixture in colour", testResult(), Options{Checks: testChecks, ShowSuppressed: true, Color: true}},
		{"empty", &hardening.Result{}, Options{}},
		{"only errors", &hardening.Result{Errors: testResult().Errors}, Options{}},
		{"only findings about the run", &hardening.Result{Findings: testResult().Findings[3:4]}, Options{Checks: testChecks}},
		{"spilled to files", bigResult(), Options{Checks: testChecks}},
		{"info shown", testResult(), Options{Checks: testChecks, ShowInfo: true}},
		{"findings in the baseline", baselined(), Options{Checks: testChecks}},
		{"skipped documents spilled to files", manySkipped(), Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, ordered := streamOf(tt.result)
			want := render(t, func(b *bytes.Buffer) error { return Text(b, ordered, tt.opts) })
			var got bytes.Buffer
			writeStream(t, NewTextWriter(&got, tt.opts), entries)
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("(-Text +TextWriter):\n%s", diff)
			}
		})
	}
}

type sarifOut struct {
	Runs []struct {
		Invocations []struct {
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Results []struct {
			RuleID     string
			Properties struct {
				Severity string
				Path     string
			}
			Suppressions []any
		}
		Properties *struct{ ResultsTotal, ResultsOmitted int }
	}
}

func decodeLimitedSARIF(t *testing.T, data []byte) sarifOut {
	t.Helper()
	var out sarifOut
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// severities builds findings of the given severities, in order, the
// suppressed ones marked with a trailing "s".
func severities(names ...string) []hardening.Finding {
	var fs []hardening.Finding
	for i, n := range names {
		sev, err := hardening.ParseSeverity(strings.TrimSuffix(n, "s"))
		if err != nil {
			panic(err)
		}
		fs = append(fs, hardening.Finding{Check: checkPrivileged.ID, Severity: sev, Subject: "Pod/p", Source: "p.yaml",
			Path: fmt.Sprintf("f%d", i), Suppressed: strings.HasSuffix(n, "s")})
	}
	return fs
}

func TestSARIFKeepsTheMostSevere(t *testing.T) {
	fs := severities("low", "critical", "criticals", "medium", "high", "info", "critical", "high")
	tests := []struct {
		max       int
		wantPaths []string // in input order
	}{
		{3, []string{"f1", "f4", "f6"}},
		{5, []string{"f1", "f3", "f4", "f6", "f7"}},
		{7, []string{"f0", "f1", "f3", "f4", "f5", "f6", "f7"}},
		{8, []string{"f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7"}},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := SARIF(&buf, &hardening.Result{Findings: fs}, Options{Checks: testChecks, MaxSARIFResults: tt.max}); err != nil {
			t.Fatal(err)
		}
		run := decodeLimitedSARIF(t, buf.Bytes()).Runs[0]
		var paths []string
		for _, r := range run.Results {
			paths = append(paths, r.Properties.Path)
		}
		if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
			t.Errorf("max %d (-want +got):\n%s", tt.max, diff)
		}
		omitted := len(fs) - len(tt.wantPaths)
		notes := run.Invocations[0].ToolExecutionNotifications
		switch {
		case omitted == 0 && (run.Properties != nil || len(notes) != 0):
			t.Errorf("max %d: a complete log says it is not: %+v %+v", tt.max, run.Properties, notes)
		case omitted > 0 && (run.Properties == nil || run.Properties.ResultsOmitted != omitted || run.Properties.ResultsTotal != len(fs)):
			t.Errorf("max %d: properties %+v", tt.max, run.Properties)
		case omitted > 0 && (len(notes) != 1 || notes[0].Level != "warning" || !strings.Contains(notes[0].Message.Text, fmt.Sprintf("%d of %d results", omitted, len(fs)))):
			t.Errorf("max %d: notifications %+v", tt.max, notes)
		}
	}
}

func TestSARIFDefaultLimits(t *testing.T) {
	var fs []hardening.Finding
	for i := range SARIFMaxResults + 10 {
		fs = append(fs, hardening.Finding{Check: "x.y", Severity: hardening.Severity(1 + i%5), Path: strconv.Itoa(i)})
	}
	for _, tt := range []struct{ max, want int }{{0, SARIFShownResults}, {SARIFMaxResults + 5, SARIFMaxResults}} {
		var buf bytes.Buffer
		if err := SARIF(&buf, &hardening.Result{Findings: fs}, Options{MaxSARIFResults: tt.max}); err != nil {
			t.Fatal(err)
		}
		if got := len(decodeLimitedSARIF(t, buf.Bytes()).Runs[0].Results); got != tt.want {
			t.Errorf("MaxSARIFResults %d: %d results, want %d", tt.max, got, tt.want)
		}
	}
}

func TestSARIFWithinGzipLimit(t *testing.T) {
	var entries []hardening.Entry
	for i := range 300 {
		// Messages that do not compress.
		msg := fmt.Sprintf("%x", sha256sum(i))
		entries = append(entries, hardening.Entry{Set: i == 299, Findings: []hardening.Finding{{
			Check: "x.y", Severity: hardening.Severity(1 + i%5), Path: strconv.Itoa(i), Message: strings.Repeat(msg, 8)}}})
	}
	var buf bytes.Buffer
	w := NewSARIFWriter(&buf, Options{})
	w.maxGzip = 10 << 10
	writeStream(t, w, entries)
	if size := gzipSize(buf.Bytes()); size > w.maxGzip {
		t.Errorf("%d bytes compressed, over the %d limit", size, w.maxGzip)
	}
	run := decodeLimitedSARIF(t, buf.Bytes()).Runs[0]
	if len(run.Results) == 0 || len(run.Results) >= 300 || run.Properties == nil || run.Properties.ResultsOmitted != 300-len(run.Results) {
		t.Errorf("%d results kept, properties %+v", len(run.Results), run.Properties)
	}
	for _, r := range run.Results {
		if r.Properties.Severity != "critical" && r.Properties.Severity != "high" && len(run.Results) < 120 {
			t.Errorf("a %s result kept before more severe ones", r.Properties.Severity)
		}
	}
}

func TestSARIFNotificationsBounded(t *testing.T) {
	r := &hardening.Result{}
	for i := range sarifMaxNotifications + 5 {
		r.Errors = append(r.Errors, &hardening.DocumentError{Source: "x.yaml", Document: i, Err: fmt.Errorf("bad")})
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	notes := decodeLimitedSARIF(t, buf.Bytes()).Runs[0].Invocations[0].ToolExecutionNotifications
	if len(notes) != sarifMaxNotifications+1 || !strings.HasPrefix(notes[len(notes)-1].Message.Text, "5 more errors") {
		t.Errorf("%d notifications, the last %+v", len(notes), notes[len(notes)-1])
	}
}

func sha256sum(i int) [32]byte { return sha256.Sum256([]byte(strconv.Itoa(i))) }

func TestSARIFLinesOption(t *testing.T) {
	f := hardening.Finding{Check: checkPrivileged.ID, Severity: hardening.SeverityHigh, Subject: "Pod/p", Source: "p.yaml", Document: 2, Line: 40, Path: "spec.hostPID"}
	noPath := f
	noPath.Path = ""
	tests := []struct {
		name  string
		lines func(string, int, string) int
		f     hardening.Finding
		want  int
	}{
		{"no Lines: the document's line", nil, f, 40},
		{"the field's line", func(source string, doc int, path string) int {
			if source == "p.yaml" && doc == 2 && path == "spec.hostPID" {
				return 45
			}
			return -1
		}, f, 45},
		{"unknown: the document's line", func(string, int, string) int { return 0 }, f, 40},
		{"no path: the document's line", func(string, int, string) int { return 99 }, noPath, 40},
	}
	var prints []string
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := SARIF(&buf, &hardening.Result{Findings: []hardening.Finding{tt.f}}, Options{Lines: tt.lines}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					Locations []struct {
						PhysicalLocation struct{ Region struct{ StartLine int } }
					}
					PartialFingerprints map[string]string
				}
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
			t.Fatal(err)
		}
		r := log.Runs[0].Results[0]
		if got := r.Locations[0].PhysicalLocation.Region.StartLine; got != tt.want {
			t.Errorf("%s: line %d, want %d", tt.name, got, tt.want)
		}
		if tt.f.Path != "" {
			prints = append(prints, r.PartialFingerprints[fingerprintKey])
		}
	}
	for _, p := range prints[1:] {
		if p != prints[0] {
			t.Errorf("the fingerprint changed with the line: %v", prints)
		}
	}
}
