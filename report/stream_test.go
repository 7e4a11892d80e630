package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
