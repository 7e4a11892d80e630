package report

import (
	"bytes"
	"errors"
	"fmt"
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
			name: "default hides suppressed and info",
			opts: Options{Checks: testChecks},
			want: []string{
				"Deployment/prod/web (pod, manifests/deploy.yaml#0) (from shop/templates/deployment.yaml)",
				`  CRITICAL  spec.template.spec.containers[0].securityContext.privileged: container "app" is privileged [capabilities.privileged +capabilities.pss-privileged]`,
				"            fix: Set securityContext.privileged to false.",
				"  (1 suppressed finding hidden)",
				"  + 1 info finding, -show-info lists it",
				"Pod/prod/clean (pod, manifests/deploy.yaml#2): no findings",
				"  manifests/broken.yaml#1: yaml: line 4: mapping values are not allowed in this context",
				"  missing.json: open missing.json: no such file or directory",
				// Skipped objects summed by kind, the most frequent first.
				"skipped:",
				"  2  v1 Service",
				"  1  v1 ConfigMap",
				"pods not in the input (a controller runs containers this audit did not see):",
				"  manifests/monitoring.yaml#0: Prometheus/monitoring/k8s (Prometheus Operator, from shop/templates/prometheus.yaml): " +
					"creates a StatefulSet whose pods merge spec.containers into the containers the operator generates",
				"not audited within objects:",
				"  manifests/flink.yaml#0: FlinkDeployment/stream/etl: spec.podTemplate.spec.containers: element 0 has no image",
				"3 subjects, 4 findings (1 critical, 1 high, 1 low, 1 info), 1 suppressed, 2 errors, 1 warning, 4 skipped (1 with pods not in the input), 1 part not audited",
			},
			notWant: []string{"readOnlyRootFilesystem", "automountServiceAccountToken", "\x1b[", "v1 Prometheus", "FlinkDeployment\n"},
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
				"  1  namespaces.writable-rootfs    root filesystem is writable",
				"  1  images.runs-as-root",
				"3 subjects, 4 findings (1 critical, 1 high, 1 low, 1 info), 1 suppressed, 2 errors, 1 warning, 4 skipped (1 with pods not in the input), 1 part not audited",
			},
			notWant: []string{"hidden"},
		},
		{
			name: "show info",
			opts: Options{Checks: testChecks, ShowInfo: true},
			want: []string{
				"  INFO      spec.template.spec.automountServiceAccountToken: the service account's token is mounted [serviceaccount.token-mounted]",
				"            fix: Set automountServiceAccountToken: false.",
			},
			notWant: []string{"-show-info"},
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
  + 1 info finding, -show-info lists it

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

// Within a subject, findings are listed the most severe first, in result
// order within a severity, warnings last.
func TestTextOrdersBySeverity(t *testing.T) {
	f := func(sev hardening.Severity, msg string) hardening.Finding {
		return hardening.Finding{Check: "a.b", Severity: sev, Subject: "Pod/p", Source: "p.yaml", Message: msg}
	}
	warning := f(hardening.SeverityInfo, "w")
	warning.Warning = true
	tests := []struct {
		name     string
		findings []hardening.Finding
		want     []string // the messages, in the order listed
	}{
		{"already ordered", []hardening.Finding{f(hardening.SeverityCritical, "c"), f(hardening.SeverityLow, "l")}, []string{"c", "l"}},
		{"reversed", []hardening.Finding{f(hardening.SeverityLow, "l"), f(hardening.SeverityMedium, "m"), f(hardening.SeverityCritical, "c")}, []string{"c", "m", "l"}},
		{"stable within a severity", []hardening.Finding{f(hardening.SeverityHigh, "h1"), f(hardening.SeverityCritical, "c"), f(hardening.SeverityHigh, "h2")}, []string{"c", "h1", "h2"}},
		{"warnings last", []hardening.Finding{warning, f(hardening.SeverityLow, "l"), f(hardening.SeverityInfo, "i")}, []string{"l", "i", "w"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(render(t, func(b *bytes.Buffer) error {
				return Text(b, &hardening.Result{Findings: tt.findings}, Options{ShowInfo: true})
			}))
			var got []string
			for _, l := range strings.Split(out, "\n") {
				if m, ok := strings.CutSuffix(l, " [a.b]"); ok {
					got = append(got, m[strings.LastIndex(m, " ")+1:])
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("order (-want +got):\n%s\n%s", diff, out)
			}
		})
	}
}

// What a subject does not list, it counts: suppressed findings, info
// findings, findings in the baseline.
func TestTextCountsWhatItHides(t *testing.T) {
	f := func(sev hardening.Severity, mark func(*hardening.Finding)) hardening.Finding {
		x := hardening.Finding{Check: "a.b", Severity: sev, Subject: "Pod/p", Source: "p.yaml", Message: "m"}
		if mark != nil {
			mark(&x)
		}
		return x
	}
	suppressed := func(x *hardening.Finding) {
		x.Suppressed, x.SuppressedBy, x.SuppressionReason = true, hardening.SuppressedByPolicy, "r"
	}
	baseline := func(x *hardening.Finding) {
		x.Suppressed, x.SuppressedBy, x.SuppressionReason, x.BaselineState = true, SuppressedByBaseline, "in the baseline", BaselineUnchanged
	}
	tests := []struct {
		name     string
		findings []hardening.Finding
		opts     Options
		want     string
	}{
		{"only suppressed", []hardening.Finding{f(hardening.SeverityHigh, suppressed)}, Options{},
			"Pod/p (p.yaml#0): no findings (1 suppressed)\n\n1 subject, 0 findings, 1 suppressed, 0 errors\n"},
		{"only info", []hardening.Finding{f(hardening.SeverityInfo, nil), f(hardening.SeverityInfo, nil)}, Options{},
			"Pod/p (p.yaml#0)\n  + 2 info findings, -show-info lists them\n\nby check:\n  2  a.b\n\n1 subject, 2 findings (2 info), 0 suppressed, 0 errors\n"},
		{"only in the baseline", []hardening.Finding{f(hardening.SeverityHigh, baseline), f(hardening.SeverityLow, baseline)}, Options{ShowSuppressed: true},
			"Pod/p (p.yaml#0)\n  (2 findings in the baseline not shown)\n\n1 subject, 0 findings, 0 suppressed, 0 errors, 2 in the baseline\n"},
		{"all of them", []hardening.Finding{f(hardening.SeverityInfo, nil), f(hardening.SeverityHigh, baseline), f(hardening.SeverityHigh, suppressed), f(hardening.SeverityMedium, nil)}, Options{},
			"Pod/p (p.yaml#0)\n  MEDIUM    m [a.b]\n  (1 suppressed finding hidden)\n  + 1 info finding, -show-info lists it\n  (1 finding in the baseline not shown)\n\n" +
				"by check:\n  2  a.b\n\n1 subject, 2 findings (1 medium, 1 info), 1 suppressed, 0 errors, 1 in the baseline\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(render(t, func(b *bytes.Buffer) error { return Text(b, &hardening.Result{Findings: tt.findings}, tt.opts) }))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Skipped objects are summed by kind; those whose pods a controller runs,
// and parts, are listed; every string from the input is sanitized.
func TestTextSkipped(t *testing.T) {
	tests := []struct {
		name    string
		skipped []hardening.Skipped
		want    string
	}{
		{"by kind, most frequent first, then by name", []hardening.Skipped{
			{Source: "a.yaml", Kind: "v1 Service"}, {Source: "a.yaml", Document: 1, Kind: "v1 ConfigMap"},
			{Source: "a.yaml", Document: 2, Kind: "v1 Service"}, {Source: "a.yaml", Document: 3, Kind: "v1 Secret"},
		}, "\nskipped:\n  2  v1 Service\n  1  v1 ConfigMap\n  1  v1 Secret\n\n0 subjects, 0 findings, 0 suppressed, 0 errors, 4 skipped\n"},
		{"only parts", []hardening.Skipped{
			{Source: "w.yaml", Kind: "argoproj.io/v1alpha1 Workflow", Name: "Workflow/ci/build", Path: "spec.templates[0].container", Part: true, Reason: "a container outside any pod spec"},
		}, "\nnot audited within objects:\n  w.yaml#0: Workflow/ci/build: spec.templates[0].container: a container outside any pod spec\n\n0 subjects, 0 findings, 0 suppressed, 0 errors, 1 part not audited\n"},
		{"controlled, with no name nor reason", []hardening.Skipped{
			{Source: "-", Document: 2, Kind: "example.com/v1 Widget", Controller: "Widget Operator"},
			{Source: "-", Document: 3, Kind: "v1 List", Name: "Prometheus/m/k", Path: "items[1]", Controller: "Prometheus Operator", Reason: "r"},
		}, "\npods not in the input (a controller runs containers this audit did not see):\n  -#2: example.com/v1 Widget (Widget Operator)\n  -#3: Prometheus/m/k (Prometheus Operator): items[1]: r\n\n" +
			"0 subjects, 0 findings, 0 suppressed, 0 errors, 2 skipped (2 with pods not in the input)\n"},
		{"hostile", []hardening.Skipped{
			{Source: "x\x1b[2J.yaml", Kind: "v1 \x1b]0;t\x07Kind"},
			{Source: "y.yaml", Kind: "k", Name: "N\r", Controller: "C\x1b", Template: "t\n.yaml", Reason: "r\x00", Path: "p\t"},
		}, "\nskipped:\n  1  v1 \\x1b]0;t\\aKind\n\npods not in the input (a controller runs containers this audit did not see):\n  y.yaml#0: N\\r (C\\x1b, from t\\n.yaml): p\\t: r\\x00\n\n" +
			"0 subjects, 0 findings, 0 suppressed, 0 errors, 2 skipped (1 with pods not in the input)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(render(t, func(b *bytes.Buffer) error { return Text(b, &hardening.Result{Skipped: tt.skipped}, Options{}) }))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// manyKinds skips one object of each of n kinds, and a second of kind 0.
func manyKinds(n int) []hardening.Skipped {
	var s []hardening.Skipped
	for i := range n {
		s = append(s, hardening.Skipped{Source: "k.yaml", Document: i, Kind: fmt.Sprintf("example.com/v1 Kind%04d", i)})
	}
	return append(s, hardening.Skipped{Source: "k.yaml", Document: n, Kind: "example.com/v1 Kind0000"})
}

// Past maxSkippedKinds kinds, further kinds are counted together.
func TestTextSkippedKindsBounded(t *testing.T) {
	r := &hardening.Result{Skipped: manyKinds(maxSkippedKinds + 5)}
	out := string(render(t, func(b *bytes.Buffer) error { return Text(b, r, Options{}) }))
	lines := strings.Split(out, "\n")
	for _, want := range []string{"  2  example.com/v1 Kind0000", "  1  example.com/v1 Kind0999", "  5  of other kinds"} {
		if !contains(lines, want) {
			t.Errorf("missing line %q", want)
		}
	}
	if strings.Contains(out, "Kind1000") {
		t.Error("a kind past the bound is listed")
	}
	if want := fmt.Sprintf("%d skipped", maxSkippedKinds+6); !strings.Contains(out, want) {
		t.Errorf("summary lacks %q", want)
	}
}
