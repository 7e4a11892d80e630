package report

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

func TestTextLines(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		want    []string // lines that must appear
		notWant []string // substrings that must not
	}{
		{
			name: "default hides suppressed",
			opts: Options{Checks: testChecks},
			want: []string{
				"Deployment/prod/web (pod, manifests/deploy.yaml#0)",
				`  CRITICAL  spec.template.spec.containers[0].securityContext.privileged: container "app" is privileged [capabilities.privileged +capabilities.pss-privileged]`,
				"            fix: Set securityContext.privileged to false.",
				"  (1 suppressed finding hidden)",
				"Pod/prod/clean (pod, manifests/deploy.yaml#2): no findings",
				"  manifests/broken.yaml#1: yaml: line 4: mapping values are not allowed in this context",
				"  missing.json: open missing.json: no such file or directory",
				"  manifests/deploy.yaml#1: v1 Service",
				"3 subjects, 3 findings (1 critical, 1 high, 1 low), 1 suppressed, 2 errors, 1 warning, 1 skipped",
			},
			notWant: []string{"readOnlyRootFilesystem", "\x1b["},
		},
		{
			name: "show suppressed",
			opts: Options{Checks: testChecks, ShowSuppressed: true},
			want: []string{
				`  MEDIUM    spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem: container "sidecar" does not set readOnlyRootFilesystem [namespaces.writable-rootfs]`,
				"            suppressed by the object itself: the sidecar writes its cache to / (SEC-12)",
				// Checks fill in a finding's unset severity and remediation.
				"  LOW       linux.resources.pids.limit: linux.resources.pids is not set [cgroups.pids-limit]",
				"            fix: Set linux.resources.pids.limit.",
				"  1  namespaces.writable-rootfs  root filesystem is writable",
				"  1  images.runs-as-root",
				"3 subjects, 3 findings (1 critical, 1 high, 1 low), 1 suppressed, 2 errors, 1 warning, 1 skipped",
			},
			notWant: []string{"hidden"},
		},
		{
			name:    "colour",
			opts:    Options{Checks: testChecks, Color: true},
			want:    []string{"  \x1b[1;31mCRITICAL\x1b[0m  spec.template.spec.containers[0].securityContext.privileged: container \"app\" is privileged \x1b[2m[capabilities.privileged +capabilities.pss-privileged]\x1b[0m"},
			notWant: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(render(t, func(b *bytes.Buffer) error { return Text(b, testResult(), tt.opts) }))
			lines := strings.Split(out, "\n")
			for _, w := range tt.want {
				if !contains(lines, w) {
					t.Errorf("missing line %q in:\n%s", w, out)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(out, nw) {
					t.Errorf("output contains %q:\n%s", nw, out)
				}
			}
		})
	}
}

func contains(lines []string, s string) bool {
	for _, l := range lines {
		if l == s {
			return true
		}
	}
	return false
}

// Hostile input must not reach the terminal as control sequences.
func TestTextEscapesControlCharacters(t *testing.T) {
	r := &hardening.Result{
		Findings: []hardening.Finding{{
			Check: "capabilities.privileged", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape,
			Subject: "Pod/x\x1b[2J", Kind: hardening.KindPod, Source: "in.yaml",
			Path: "metadata.annotations[a\nb]", Message: "value \x1b]0;pwned\x07 \u009b31m \xff",
		}},
		Errors: []*hardening.DocumentError{{Source: "bad\r.yaml", Document: 0, Err: errors.New("line\nbreak")}},
	}
	out := string(render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{}) }))
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u009b", "\xff", "a\nb", "line\nbreak"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q:\n%s", bad, out)
		}
	}
	for _, want := range []string{`Pod/x\x1b[2J (pod, in.yaml#0)`, `metadata.annotations[a\nb]: value \x1b]0;pwned\a \u009b31m \ufffd`, `bad\r.yaml#0: line\nbreak`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// Findings of subjects missing from Result.Subjects get their own groups.
func TestTextGroupsUnknownSubjects(t *testing.T) {
	r := &hardening.Result{Findings: []hardening.Finding{
		{Check: "a.b", Severity: hardening.SeverityLow, Subject: "s2", Kind: hardening.KindImage, Source: "i.json", Message: "m1"},
		{Check: "a.b", Severity: hardening.SeverityInfo, Subject: "s1", Source: "-", Message: "m2"},
		{Check: "a.c", Severity: hardening.SeverityLow, Subject: "s2", Kind: hardening.KindImage, Source: "i.json", Message: "m3"},
	}}
	out := string(render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{}) }))
	want := `s2 (image, i.json#0)
  LOW       m1 [a.b]
  LOW       m3 [a.c]
s1 (-#0)
  INFO      m2 [a.b]

by check:
  2  a.b
  1  a.c

2 subjects, 3 findings (2 low, 1 info), 0 suppressed, 0 errors
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain ascii: ünïcødé ✓", "plain ascii: ünïcødé ✓"},
		{"tab\there", `tab\there`},
		{"esc\x1b[31m", `esc\x1b[31m`},
		{"del\x7f", `del\x7f`},
		{"c1\u0085", `c1\u0085`},
		{"bad\xffutf8", `bad\ufffdutf8`},
	}
	for _, tt := range tests {
		if got := sanitize(tt.in); got != tt.want {
			t.Errorf("sanitize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
