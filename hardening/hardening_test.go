package hardening_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// perContainer reports every container whose image is "bad".
var perContainer = &hardening.Check{
	ID: "test.bad-image", Title: "bad image", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape,
	Inputs: hardening.KindPod, Rationale: "r", Remediation: "fix it",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		for c := range s.Containers {
			if c.Image == "bad" {
				out = append(out, hardening.Finding{Container: c.Name, Path: s.ContainerPath(c, "image"), Message: "bad image"})
			}
		}
		return out
	},
}

// quiet reports nothing on any kind.
var quiet = &hardening.Check{
	ID: "test.quiet", Title: "quiet", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
	Inputs: hardening.KindAll, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding { return out },
}

// specRoot reports an OCI spec running as uid 0, at low severity.
var specRoot = &hardening.Check{
	ID: "test.spec-root", Title: "root", Severity: hardening.SeverityLow, Class: hardening.ClassInnerContainer,
	Inputs: hardening.KindOCISpec | hardening.KindImage, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return append(out, hardening.Finding{Path: "process.user.uid", Message: "root"})
	},
}

var panics = &hardening.Check{
	ID: "test.panics", Title: "panics", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
	Inputs: hardening.KindAll, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		var m map[string]int
		m["boom"]++
		return out
	},
}

var all = hardening.Checks{perContainer, quiet, specRoot}

// files trusts the objects' own annotations, as an audit of files does.
var files = mustRunner(all, hardening.ObjectAnnotations)

func mustRunner(cs hardening.Checks, sources ...hardening.Suppressor) *hardening.Runner {
	r, err := hardening.NewRunner(cs, hardening.RunOptions{Suppressions: sources})
	if err != nil {
		panic(err)
	}
	return r
}

type got struct {
	Check, Container, Path string
	Suppressed             bool
	Reason                 string
}

func summarize(fs []hardening.Finding) []got {
	var out []got
	for _, f := range fs {
		out = append(out, got{f.Check, f.Container, f.Path, f.Suppressed, f.SuppressionReason})
	}
	return out
}

func deployment(podAnn, workloadAnn map[string]string) *hardening.Subject {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod", Annotations: podAnn},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "init", Image: "bad"}},
			Containers:     []corev1.Container{{Name: "app", Image: "good"}, {Name: "side", Image: "bad"}},
		},
	}
	return &hardening.Subject{
		Name: "Deployment/prod/web", Kind: hardening.KindPod, Source: "deploy.yaml", Document: 2,
		Pod: pod, PodSpecPath: "spec.template.spec", PodMetaPath: "spec.template.metadata",
		WorkloadAnnotations: workloadAnn,
	}
}

func TestSuppression(t *testing.T) {
	const key = hardening.SuppressionPrefix + "test.bad-image"
	tests := []struct {
		name              string
		podAnn, workloads map[string]string
		want              []got
	}{
		{"none", nil, nil, []got{
			{"test.bad-image", "init", "spec.template.spec.initContainers[0].image", false, ""},
			{"test.bad-image", "side", "spec.template.spec.containers[1].image", false, ""},
		}},
		{"whole pod", map[string]string{key: "legacy image, tracked in JIRA-1"}, nil, []got{
			{"test.bad-image", "init", "spec.template.spec.initContainers[0].image", true, "legacy image, tracked in JIRA-1"},
			{"test.bad-image", "side", "spec.template.spec.containers[1].image", true, "legacy image, tracked in JIRA-1"},
		}},
		{"one container, on the workload", nil, map[string]string{key + ".side": "sidecar vendored"}, []got{
			{"test.bad-image", "init", "spec.template.spec.initContainers[0].image", false, ""},
			{"test.bad-image", "side", "spec.template.spec.containers[1].image", true, "sidecar vendored"},
		}},
		{"empty reason suppresses nothing and is reported", map[string]string{key: "  "}, nil, []got{
			{"test.bad-image", "init", "spec.template.spec.initContainers[0].image", false, ""},
			{"test.bad-image", "side", "spec.template.spec.containers[1].image", false, ""},
			{"hardening.suppression-without-reason", "", "spec.template.metadata.annotations[bulwark.dev/ignore-test.bad-image]", false, ""},
		}},
		{"unused: wrong container, and a check that found nothing", map[string]string{
			key + ".app": "app is fine",
			hardening.SuppressionPrefix + "test.quiet":    "never fires",
			hardening.SuppressionPrefix + "other.profile": "not run here: ignored",
			"unrelated": "x",
		}, nil, []got{
			{"test.bad-image", "init", "spec.template.spec.initContainers[0].image", false, ""},
			{"test.bad-image", "side", "spec.template.spec.containers[1].image", false, ""},
			{"hardening.unused-suppression", "", "spec.template.metadata.annotations[bulwark.dev/ignore-test.bad-image.app]", false, ""},
			{"hardening.unused-suppression", "", "spec.template.metadata.annotations[bulwark.dev/ignore-test.quiet]", false, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			findings := files.Check(deployment(tt.podAnn, tt.workloads), nil)
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, f := range findings {
				if f.Subject != "Deployment/prod/web" || f.Source != "deploy.yaml" || f.Document != 2 || f.Kind != hardening.KindPod {
					t.Errorf("finding not completed from the subject: %+v", f)
				}
			}
		})
	}
}

func TestSuppressionOnSpecsAndImages(t *testing.T) {
	key := hardening.SuppressionPrefix + "test.spec-root"
	spec := &runtimespec.Spec{Annotations: map[string]string{key: "rootless host"}}
	f := files.Check(hardening.NewSpecSubject("config.json", spec), nil)
	if diff := cmp.Diff([]got{{"test.spec-root", "", "process.user.uid", true, "rootless host"}}, summarize(f)); diff != "" {
		t.Errorf("spec (-want +got):\n%s", diff)
	}
	img := &imagespec.Image{Config: imagespec.ImageConfig{Labels: map[string]string{key: ""}}}
	f = files.Check(hardening.NewImageSubject("image.json", img), nil)
	want := []got{
		{"test.spec-root", "", "process.user.uid", false, ""},
		{"hardening.suppression-without-reason", "", "config.Labels[bulwark.dev/ignore-test.spec-root]", false, ""},
	}
	if diff := cmp.Diff(want, summarize(f)); diff != "" {
		t.Errorf("image (-want +got):\n%s", diff)
	}
}

func TestSuppressionWarningsWhateverTheSelection(t *testing.T) {
	s := deployment(map[string]string{hardening.SuppressionPrefix + "test.quiet": ""}, nil)
	f := mustRunner(hardening.Checks{quiet}, hardening.ObjectAnnotations).Check(s, nil)
	want := []got{{"hardening.suppression-without-reason", "", "spec.template.metadata.annotations[bulwark.dev/ignore-test.quiet]", false, ""}}
	if diff := cmp.Diff(want, summarize(f)); diff != "" {
		t.Errorf("the runner's own checks must not depend on the list (-want +got):\n%s", diff)
	}
	if len(f) == 1 && !f[0].Warning {
		t.Errorf("hygiene finding is not a warning: %+v", f[0])
	}
}

func TestCompletion(t *testing.T) {
	f := (hardening.Checks{perContainer}).Check(deployment(nil, nil), nil)
	want := hardening.Finding{
		Check: "test.bad-image", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape,
		Subject: "Deployment/prod/web", Kind: hardening.KindPod, Source: "deploy.yaml", Document: 2,
		Container: "init", Path: "spec.template.spec.initContainers[0].image", Message: "bad image", Remediation: "fix it",
	}
	if diff := cmp.Diff(want, f[0]); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestPanickingCheckBecomesFinding(t *testing.T) {
	f := (hardening.Checks{panics, specRoot}).Check(hardening.NewSpecSubject("c.json", &runtimespec.Spec{}), nil)
	if len(f) != 2 || f[0].Check != hardening.CheckFailed.ID || !strings.Contains(f[0].Message, "test.panics panicked") || f[1].Check != "test.spec-root" {
		t.Fatalf("got %v", f)
	}
}

func TestSelect(t *testing.T) {
	ids := func(cs hardening.Checks) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	tests := []struct {
		sel  hardening.Selection
		want []string
	}{
		{hardening.Selection{}, []string{"test.bad-image", "test.quiet", "test.spec-root"}},
		{hardening.Selection{Include: []string{"test.*"}}, []string{"test.bad-image", "test.quiet", "test.spec-root"}},
		{hardening.Selection{Include: []string{"test.*"}, Exclude: []string{"test.quiet"}}, []string{"test.bad-image", "test.spec-root"}},
		{hardening.Selection{Include: []string{"test.*"}, Kinds: hardening.KindImage}, []string{"test.quiet", "test.spec-root"}},
		{hardening.Selection{Include: []string{"test.spec"}}, nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, ids(all.Select(tt.sel))); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.sel, diff)
		}
	}
}

func TestAtLeast(t *testing.T) {
	c := hardening.AtLeast(all, hardening.SeverityMedium)
	s := hardening.NewSpecSubject("c.json", &runtimespec.Spec{})
	prior := []hardening.Finding{{Check: "earlier"}}
	if f := c.Check(s, prior); len(f) != 1 || f[0].Check != "earlier" {
		t.Errorf("low finding kept, or earlier finding lost: %v", f)
	}
	if f := hardening.AtLeast(all, hardening.SeverityLow).Check(s, nil); len(f) != 1 {
		t.Errorf("low finding dropped at low: %v", f)
	}
}

func TestValidate(t *testing.T) {
	if err := hardening.Validate(all); err != nil {
		t.Fatal(err)
	}
	bad := hardening.Checks{{ID: "NoDots"}, quiet, quiet, nil}
	err := hardening.Validate(bad)
	for _, want := range []string{`"NoDots": ID must be`, `"NoDots": Title is missing`, `"test.quiet": duplicate ID`, "check 3 is nil"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate error %v lacks %q", err, want)
		}
	}
}

func TestTextEncoding(t *testing.T) {
	b, err := json.Marshal(struct {
		S hardening.Severity
		C hardening.Class
		K hardening.Kind
	}{hardening.SeverityCritical, hardening.ClassResourceExhaustion, hardening.KindOCISpec})
	if err != nil || string(b) != `{"S":"critical","C":"resource-exhaustion","K":"oci-spec"}` {
		t.Fatalf("%s %v", b, err)
	}
	var back struct {
		S hardening.Severity
		C hardening.Class
		K hardening.Kind
	}
	if err := json.Unmarshal(b, &back); err != nil || back.S != hardening.SeverityCritical || back.C != hardening.ClassResourceExhaustion || back.K != hardening.KindOCISpec {
		t.Fatalf("%+v %v", back, err)
	}
	if _, err := hardening.ParseSeverity("severe"); err == nil {
		t.Error("ParseSeverity accepted a bad name")
	}
	if (hardening.KindPod | hardening.KindImage).String() != "pod|image" {
		t.Error((hardening.KindPod | hardening.KindImage).String())
	}
}

func TestResultFailed(t *testing.T) {
	r := &hardening.Result{Subjects: []*hardening.Subject{deployment(map[string]string{hardening.SuppressionPrefix + "test.bad-image": "ok"}, nil)}}
	r.Audit(files)
	if r.Failed(hardening.SeverityLow) {
		t.Errorf("suppressed findings failed the result: %v", r.Findings)
	}
	r.Subjects[0].Pod.Annotations = nil
	r.Audit(files)
	if !r.Failed(hardening.SeverityHigh) || r.Failed(hardening.SeverityCritical) {
		t.Errorf("Failed thresholds wrong for %v", r.Findings)
	}
}

func BenchmarkChecksPassing(b *testing.B) {
	s := deployment(map[string]string{"unrelated": "x"}, nil)
	s.Pod.Spec.InitContainers[0].Image = "good"
	s.Pod.Spec.Containers[1].Image = "good"
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = all.Check(s, out[:0])
	}
	if len(out) != 0 {
		b.Fatal(out)
	}
}

func TestObserved(t *testing.T) {
	s := &hardening.Subject{Unobserved: []string{"linux.seccomp.syscalls", "hooks"}}
	for path, want := range map[string]bool{
		"linux.seccomp.syscalls":             false,
		"linux.seccomp.syscalls[3].names[0]": false,
		"linux.seccomp.syscallsX":            true,
		"linux.seccomp.defaultAction":        true,
		"hooks.createRuntime[0]":             false,
		"hooksy":                             true,
	} {
		if got := s.Observed(path); got != want {
			t.Errorf("Observed(%q) = %v", path, got)
		}
	}
	if !(&hardening.Subject{}).Observed("anything") {
		t.Error("a file subject must observe everything")
	}
}

func TestFindingsAtUnobservedPathsAreDropped(t *testing.T) {
	s := hardening.NewSpecSubject("live:1", &runtimespec.Spec{})
	s.Unobserved = []string{"process.user.gid"}
	if f := (hardening.Checks{specRoot}).Check(s, nil); len(f) != 1 {
		t.Fatalf("process.user.uid is not under an unobserved path; got %v", f)
	}
	s.Unobserved = []string{"process"}
	if f := (hardening.Checks{specRoot}).Check(s, nil); len(f) != 0 {
		t.Errorf("finding at an unobserved path kept: %v", f)
	}
}
