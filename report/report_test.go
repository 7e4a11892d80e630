package report

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// Fake checks standing in for the concern packages.
var (
	checkPrivileged = &hardening.Check{
		ID:          "capabilities.privileged",
		Title:       "container runs privileged",
		Severity:    hardening.SeverityCritical,
		Class:       hardening.ClassEscape,
		Inputs:      hardening.KindPod | hardening.KindOCISpec,
		Rationale:   "A privileged container has every capability and every device of the host.",
		Remediation: "Set securityContext.privileged to false.",
		References: []hardening.Reference{
			{Kind: hardening.RefCIS, ID: "5.4", URL: "https://www.cisecurity.org/benchmark/docker"},
			{Kind: hardening.RefPSS, ID: "baseline/privileged", URL: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
			{Kind: hardening.RefNCC, ID: "7.1"},
		},
	}
	checkWritableRoot = &hardening.Check{
		ID:          "namespaces.writable-rootfs",
		Title:       "root filesystem is writable",
		Severity:    hardening.SeverityMedium,
		Class:       hardening.ClassInnerContainer,
		Inputs:      hardening.KindPod | hardening.KindOCISpec,
		Rationale:   "An attacker who gains code execution can modify the container's binaries.",
		Remediation: "Set securityContext.readOnlyRootFilesystem to true.",
		References:  []hardening.Reference{{Kind: hardening.RefCIS, ID: "5.12"}},
	}
	checkPidsLimit = &hardening.Check{
		ID:          "cgroups.pids-limit",
		Title:       "no pids limit",
		Severity:    hardening.SeverityLow,
		Class:       hardening.ClassResourceExhaustion,
		Inputs:      hardening.KindOCISpec,
		Rationale:   "Without a pids limit a fork bomb exhausts the host's process table.",
		Remediation: "Set linux.resources.pids.limit.",
	}
	checkHostNetwork = &hardening.Check{
		ID:          "network.host-network",
		Title:       "pod uses the host network",
		Severity:    hardening.SeverityHigh,
		Class:       hardening.ClassCrossContainer,
		Inputs:      hardening.KindPod,
		Rationale:   "The host network namespace exposes every host interface to the pod.",
		Remediation: "Remove hostNetwork: true.",
		References:  []hardening.Reference{{Kind: hardening.RefCVE, ID: "CVE-2020-14386"}},
	}
	// testChecks deliberately leaves out images.runs-as-root, which
	// testResult reports, and is not sorted by ID.
	testChecks = hardening.Checks{checkPrivileged, checkWritableRoot, checkPidsLimit, checkHostNetwork}
)

// testResult builds a Result by hand: three subjects (one without
// findings, one rendered from a Helm template), a suppressed finding, a
// finding of a check missing from testChecks, an info finding after a
// warning, one load error per document and per file, and skipped
// documents: objects of two kinds, one whose pods a controller runs, and
// a part of an object.
func testResult() *hardening.Result {
	web := hardening.NewPodSubject(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "prod", Name: "web"}})
	web.Name = "Deployment/prod/web"
	web.Source, web.Document, web.PodSpecPath = "manifests/deploy.yaml", 0, "spec.template.spec"
	web.Template = "shop/templates/deployment.yaml"
	clean := hardening.NewPodSubject(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "prod", Name: "clean"}})
	clean.Source, clean.Document = "manifests/deploy.yaml", 2
	spec := &hardening.Subject{Name: "bundle/config.json", Kind: hardening.KindOCISpec, Source: "bundle/config.json"}

	pod := func(c *hardening.Check, f hardening.Finding) hardening.Finding {
		f.Check, f.Subject, f.Kind, f.Source, f.Document, f.Template = c.ID, web.Name, web.Kind, web.Source, web.Document, web.Template
		return f
	}
	return &hardening.Result{
		Subjects: []*hardening.Subject{web, spec, clean},
		Findings: []hardening.Finding{
			pod(checkPrivileged, hardening.Finding{
				Severity: hardening.SeverityCritical, Class: hardening.ClassEscape,
				Container: "app", Path: "spec.template.spec.containers[0].securityContext.privileged",
				Message:     `container "app" is privileged`,
				Remediation: checkPrivileged.Remediation, References: checkPrivileged.References,
				Related: []string{"capabilities.pss-privileged"},
			}),
			pod(checkWritableRoot, hardening.Finding{
				Severity: hardening.SeverityMedium, Class: hardening.ClassInnerContainer,
				Container: "sidecar", Path: "spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem",
				Message:     `container "sidecar" does not set readOnlyRootFilesystem`,
				Remediation: checkWritableRoot.Remediation, References: checkWritableRoot.References,
				Suppressed: true, SuppressionReason: "the sidecar writes its cache to / (SEC-12)", SuppressedBy: hardening.SuppressedByObject,
			}),
			// A check that is not in testChecks: it gets a minimal rule.
			pod(&hardening.Check{ID: "images.runs-as-root"}, hardening.Finding{
				Severity: hardening.SeverityHigh, Class: hardening.ClassInnerContainer,
				Container: "app", Path: "spec.template.spec.containers[0].securityContext.runAsNonRoot",
				Message:     `container "app" may run as root: runAsNonRoot is not set and image user is unknown`,
				Remediation: "Set runAsNonRoot: true and a non-zero runAsUser.",
			}),
			// Severity, class, remediation and references left for
			// Options.Checks to fill in.
			{
				Check: checkPidsLimit.ID, Subject: spec.Name, Kind: spec.Kind, Source: spec.Source,
				Path: "linux.resources.pids.limit", Message: "linux.resources.pids is not set",
			},
			// A warning about a suppression: shown, never counted.
			pod(hardening.UnusedSuppression, hardening.Finding{
				Severity: hardening.SeverityInfo, Class: hardening.ClassManagement, Warning: true,
				Path:        "spec.template.metadata.annotations[bulwark.dev/ignore]",
				Message:     "suppression of capabilities.dangerous matched no finding",
				Remediation: hardening.UnusedSuppression.Remediation,
			}),
			// Info, after the warning in the result, before it in text.
			pod(&hardening.Check{ID: "serviceaccount.token-mounted"}, hardening.Finding{
				Severity: hardening.SeverityInfo, Class: hardening.ClassManagement,
				Path:        "spec.template.spec.automountServiceAccountToken",
				Message:     "the service account's token is mounted",
				Remediation: "Set automountServiceAccountToken: false.",
			}),
		},
		Errors: []*hardening.DocumentError{
			{Source: "manifests/broken.yaml", Document: 1, Err: errors.New("yaml: line 4: mapping values are not allowed in this context")},
			{Source: "missing.json", Document: -1, Err: errors.New("open missing.json: no such file or directory")},
		},
		Skipped: []hardening.Skipped{
			{Source: "manifests/deploy.yaml", Document: 1, Kind: "v1 Service", Name: "Service/prod/web", Reason: "no pod template or pod spec in it"},
			{Source: "manifests/monitoring.yaml", Document: 0, Kind: "monitoring.coreos.com/v1 Prometheus", Name: "Prometheus/monitoring/k8s",
				Reason:     "creates a StatefulSet whose pods merge spec.containers into the containers the operator generates",
				Controller: "Prometheus Operator", Template: "shop/templates/prometheus.yaml"},
			{Source: "manifests/deploy.yaml", Document: 3, Kind: "v1 ConfigMap", Name: "ConfigMap/prod/web", Reason: "no pod template or pod spec in it"},
			{Source: "manifests/flink.yaml", Document: 0, Kind: "flink.apache.org/v1beta1 FlinkDeployment", Name: "FlinkDeployment/stream/etl",
				Path: "spec.podTemplate.spec.containers", Part: true, Reason: "element 0 has no image"},
			{Source: "manifests/deploy.yaml", Document: 4, Kind: "v1 Service", Name: "Service/prod/api", Reason: "no pod template or pod spec in it"},
		},
	}
}

// render calls one of the renderers and fails the test on error.
func render(t *testing.T, fn func(*bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got), run go test -update if intended:\n%s", path, diff)
	}
}

var renderers = map[string]func(w *bytes.Buffer, r *hardening.Result, opts Options) error{
	"text":  func(w *bytes.Buffer, r *hardening.Result, o Options) error { return Text(w, r, o) },
	"json":  func(w *bytes.Buffer, r *hardening.Result, o Options) error { return JSON(w, r, o) },
	"sarif": func(w *bytes.Buffer, r *hardening.Result, o Options) error { return SARIF(w, r, o) },
}

func TestGolden(t *testing.T) {
	tests := []struct {
		file   string
		format string
		result *hardening.Result
		opts   Options
	}{
		{"text.golden", "text", testResult(), Options{Checks: testChecks}},
		{"text-suppressed.golden", "text", testResult(), Options{Checks: testChecks, ShowSuppressed: true}},
		{"text-color.golden", "text", testResult(), Options{Checks: testChecks, ShowSuppressed: true, Color: true}},
		{"text-empty.golden", "text", &hardening.Result{}, Options{}},
		{"json.golden", "json", testResult(), Options{Checks: testChecks}},
		{"json-empty.golden", "json", &hardening.Result{}, Options{}},
		{"sarif.golden", "sarif", testResult(), Options{Checks: testChecks, ToolVersion: "v0.1.0"}},
		{"sarif-empty.golden", "sarif", &hardening.Result{}, Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			fn := renderers[tt.format]
			got := render(t, func(b *bytes.Buffer) error { return fn(b, tt.result, tt.opts) })
			golden(t, tt.file, got)
			// Deterministic: a second rendering is byte-identical.
			again := render(t, func(b *bytes.Buffer) error { return fn(b, tt.result, tt.opts) })
			if !bytes.Equal(got, again) {
				t.Error("second rendering differs from the first")
			}
		})
	}
}

// A nil Result renders like an empty one.
func TestNilResult(t *testing.T) {
	for name, fn := range renderers {
		t.Run(name, func(t *testing.T) {
			got := render(t, func(b *bytes.Buffer) error { return fn(b, nil, Options{}) })
			want := render(t, func(b *bytes.Buffer) error { return fn(b, &hardening.Result{}, Options{}) })
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("nil result (-empty +nil):\n%s", diff)
			}
		})
	}
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

func TestWriteError(t *testing.T) {
	for name, fn := range map[string]func(w failingWriter) error{
		"text":  func(w failingWriter) error { return Text(w, testResult(), Options{}) },
		"json":  func(w failingWriter) error { return JSON(w, testResult(), Options{}) },
		"sarif": func(w failingWriter) error { return SARIF(w, testResult(), Options{}) },
	} {
		if err := fn(failingWriter{}); !errors.Is(err, errWrite) {
			t.Errorf("%s: error = %v, want %v", name, err, errWrite)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	regular, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer regular.Close()
	closed, err := os.CreateTemp(t.TempDir(), "closed")
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	tests := []struct {
		name string
		f    *os.File
		want bool
	}{
		{"nil", nil, false},
		{"regular file", regular, false},
		{"closed file", closed, false},
	}
	if devNull, err := os.Open(os.DevNull); err == nil {
		defer devNull.Close()
		if fi, err := devNull.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			tests = append(tests, struct {
				name string
				f    *os.File
				want bool
			}{"character device", devNull, true})
		}
	}
	for _, tt := range tests {
		if got := IsTerminal(tt.f); got != tt.want {
			t.Errorf("IsTerminal(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}
