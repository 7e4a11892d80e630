package load

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

// templateLines renders what r says about each document's template, as
// the .want files of testdata/helm list it.
func templateLines(r *hardening.Result) []string {
	type line struct {
		doc  int
		text string
	}
	var lines []line
	for _, s := range r.Subjects {
		lines = append(lines, line{s.Document, fmt.Sprintf("%d subject %s %s", s.Document, s.Name, s.Template)})
	}
	for _, s := range r.Skipped {
		lines = append(lines, line{s.Document, fmt.Sprintf("%d skipped %s %s", s.Document, s.Name, s.Template)})
	}
	slices.SortStableFunc(lines, func(a, b line) int { return cmp.Compare(a.doc, b.doc) })
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = l.text
	}
	return out
}

// readWant reads the lines of a .want file that are no comments.
func readWant(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// Rendered Helm output names the template of each document: subjects and
// skipped objects carry it, read alike in memory (Bytes) and by the
// stream (Paths).
func TestHelmTemplates(t *testing.T) {
	const src = "testdata/helm/shop.yaml"
	want := readWant(t, src+".want")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*hardening.Result{
		"Bytes": Bytes(Options{}, src, data),
		"Paths": Paths(Options{}, src),
	} {
		t.Run(name, func(t *testing.T) {
			if len(r.Errors) > 0 {
				t.Fatalf("errors: %v", r.Errors)
			}
			if diff := gocmp.Diff(want, templateLines(r)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// The runner gives a subject's template to its findings.
func TestHelmTemplateOnFindings(t *testing.T) {
	data, err := os.ReadFile("testdata/helm/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r := Bytes(Options{}, "-", data)
	check := &hardening.Check{
		ID: "test.any-container", Title: "any container", Severity: hardening.SeverityLow,
		Class: hardening.ClassInnerContainer, Inputs: hardening.KindPod, Remediation: "none",
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return append(out, hardening.Finding{Path: s.SpecPath("containers"), Message: "has containers"})
		},
	}
	r.Audit(hardening.Checks{check})
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Subject+" "+f.Template)
	}
	want := []string{
		"Deployment/my-release-shop shop/templates/deployment.yaml",
		"StatefulSet/shop/my-release-redis-master shop/charts/redis/templates/master/application.yaml",
		"Pod/my-release-shop-test-connection shop/templates/tests/test-connection.yaml",
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestHelmSource(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"helm", "# Source: shop/templates/deployment.yaml\napiVersion: v1\n", "shop/templates/deployment.yaml"},
		{"after other comments", "# Copyright 2024\n\n# Source: a/templates/b.yaml\nkind: Pod\n", "a/templates/b.yaml"},
		{"the first of two", "# Source: a.yaml\n# Source: b.yaml\nkind: Pod\n", "a.yaml"},
		{"indented, no space after #, CRLF", "  #Source:  c/templates/d.yaml \r\nkind: Pod\r\n", "c/templates/d.yaml"},
		{"byte order mark", "\ufeff# Source: e.yaml\nkind: Pod\n", "e.yaml"},
		{"none", "apiVersion: v1\nkind: Pod\n", ""},
		{"below the content: a value's", "apiVersion: v1\ndata:\n  x: |\n    # Source: not/this.yaml\n", ""},
		{"a comment that is no Source line", "# source: lower/case.yaml\nkind: Pod\n", ""},
		{"empty", "# Source:\nkind: Pod\n", ""},
		{"too long", "# Source: " + strings.Repeat("x", maxTemplateName+1) + "\nkind: Pod\n", ""},
		{"longest", "# Source: " + strings.Repeat("x", maxTemplateName) + "\nkind: Pod\n", strings.Repeat("x", maxTemplateName)},
		{"comments only", "# Source: f.yaml", "f.yaml"},
	}
	for _, tt := range tests {
		if got := helmSource([]byte(tt.doc)); got != tt.want {
			t.Errorf("%s: helmSource(%.40q) = %.40q, want %.40q", tt.name, tt.doc, got, tt.want)
		}
	}
}
