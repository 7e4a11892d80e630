package hardening_test

import (
	"strings"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// atPath returns a check reporting one finding at path with severity sev
// on every Pod; pss marks it as a Pod Security Standards control.
func atPath(id, path string, sev hardening.Severity, pss hardening.PSSLevel) *hardening.Check {
	return &hardening.Check{
		ID: id, Title: id, Severity: sev, Class: hardening.ClassEscape, Inputs: hardening.KindPod,
		Rationale: "r", Remediation: "fix " + id, PSSLevel: pss,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return append(out, hardening.Finding{Path: path, Message: id + " says so"})
		},
	}
}

func pod(annotations map[string]string) *hardening.Subject {
	return hardening.NewPodSubject(&corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "prod", Annotations: annotations},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "bad"}}},
	})
}

type merged struct {
	Check      string
	Related    []string
	Severity   hardening.Severity
	Path       string
	Suppressed bool
	Warning    bool
}

func summarizeMerged(fs []hardening.Finding) []merged {
	var out []merged
	for _, f := range fs {
		out = append(out, merged{f.Check, f.Related, f.Severity, f.Path, f.Suppressed, f.Warning})
	}
	return out
}

func TestMergedFindings(t *testing.T) {
	const drop = "spec.containers[0].securityContext.capabilities.drop"
	dropAll := atPath("caps.drop-all-missing", drop, hardening.SeverityMedium, 0)
	netRaw := atPath("caps.net-raw-not-dropped", drop, hardening.SeverityLow, 0)
	control := atPath("caps.pss-restricted", drop, hardening.SeverityHigh, hardening.PSSRestricted)
	other := atPath("caps.elsewhere", "spec.hostPID", hardening.SeverityLow, 0)
	tests := []struct {
		name   string
		checks hardening.Checks
		ann    map[string]string
		want   []merged
	}{
		{"general check is primary, severity is the highest",
			hardening.Checks{control, other, netRaw, dropAll}, nil,
			[]merged{
				{Check: "caps.net-raw-not-dropped", Related: []string{"caps.pss-restricted", "caps.drop-all-missing"}, Severity: hardening.SeverityHigh, Path: drop},
				{Check: "caps.elsewhere", Severity: hardening.SeverityLow, Path: "spec.hostPID"},
			}},
		{"only controls: the control is primary",
			hardening.Checks{control}, nil,
			[]merged{{Check: "caps.pss-restricted", Severity: hardening.SeverityHigh, Path: drop}}},
		{"suppressing a minor check does not hide the major one",
			hardening.Checks{dropAll, netRaw}, map[string]string{hardening.SuppressionPrefix + "caps.net-raw-not-dropped": "we never use raw sockets"},
			[]merged{{Check: "caps.drop-all-missing", Related: []string{"caps.net-raw-not-dropped"}, Severity: hardening.SeverityMedium, Path: drop}}},
		{"suppressed when every check is",
			hardening.Checks{dropAll, netRaw}, map[string]string{hardening.SuppressionAnnotation: "caps.net-raw-not-dropped: raw sockets\ncaps.drop-all-missing.app: vendor image needs them"},
			[]merged{{Check: "caps.drop-all-missing", Related: []string{"caps.net-raw-not-dropped"}, Severity: hardening.SeverityMedium, Path: drop, Suppressed: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustRunner(tt.checks, hardening.ObjectAnnotations).Check(pod(tt.ann), nil)
			if diff := cmp.Diff(tt.want, summarizeMerged(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestOneCheckSeveralFindingsAtOnePathNotMerged(t *testing.T) {
	twice := &hardening.Check{
		ID: "ns.missing", Title: "t", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape, Inputs: hardening.KindPod,
		Rationale: "r", Remediation: "m",
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return append(out, hardening.Finding{Path: "x", Message: "pid"}, hardening.Finding{Path: "x", Message: "net"})
		},
	}
	got := mustRunner(hardening.Checks{twice, atPath("ns.user", "x", hardening.SeverityLow, 0)}).Check(pod(nil), nil)
	if len(got) != 3 {
		t.Errorf("a check's distinct findings at one path must stay distinct: %v", got)
	}
}

// The pod under review is the adversary: what it says about itself must
// not change its verdict unless the runner was told to trust it.
func TestObjectCannotExemptItselfByDefault(t *testing.T) {
	ann := map[string]string{
		hardening.SuppressionPrefix + "test.bad-image": "trust me",
		hardening.SuppressionAnnotation:                "test.bad-image: trust me",
	}
	for name, c := range map[string]hardening.Checker{
		"bare Checks":            all,
		"runner trusting none":   mustRunner(all),
		"runner with exemptions": mustRunner(all, hardening.Exemptions{Namespaces: []string{"kube-system"}}),
	} {
		r := &hardening.Result{Subjects: []*hardening.Subject{pod(ann)}}
		r.Audit(c)
		if !r.Failed(hardening.SeverityInfo) {
			t.Errorf("%s: the pod's own annotations suppressed its findings: %v", name, r.Findings)
		}
		for _, f := range r.Findings {
			if f.Suppressed || f.Warning {
				t.Errorf("%s: %+v", name, f)
			}
		}
	}
}

func TestAnnotationForms(t *testing.T) {
	long := hardening.SuppressionPrefix + "capabilities.pss-privilege-escalation.prometheus-node-exporter"
	checks := hardening.Checks{perContainer, quiet}
	tests := []struct {
		name string
		ann  map[string]string
		want []got
	}{
		{"key longer than Kubernetes allows is malformed and not applied", map[string]string{long: "reason"}, []got{
			{"test.bad-image", "app", "spec.containers[0].image", false, ""},
			{"hardening.malformed-suppression", "", "metadata.annotations[" + long + "]", false, ""},
		}},
		{"several per annotation, with containers, comments and a bad line", map[string]string{hardening.SuppressionAnnotation: "# reviewed 2026-11\n" +
			"test.bad-image.app: vendored image\n" +
			"test.quiet: never fires\n" +
			"not-a-check: x\n" +
			"test.quiet.app\n"}, []got{
			{"test.bad-image", "app", "spec.containers[0].image", true, "vendored image"},
			{"hardening.unused-suppression", "", "metadata.annotations[bulwark.dev/ignore]", false, ""},
			{"hardening.malformed-suppression", "", "metadata.annotations[bulwark.dev/ignore]", false, ""},
			{"hardening.suppression-without-reason", "", "metadata.annotations[bulwark.dev/ignore]", false, ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := mustRunner(checks, hardening.ObjectAnnotations).Check(pod(tt.ann), nil)
			if diff := cmp.Diff(tt.want, summarize(fs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			r := &hardening.Result{Findings: fs}
			for _, f := range fs {
				if strings.HasPrefix(f.Check, "hardening.") && !f.Warning {
					t.Errorf("hygiene finding is not a warning: %+v", f)
				}
			}
			if got, want := r.Failed(hardening.SeverityInfo), !fs[0].Suppressed; got != want {
				t.Errorf("Failed = %v: warnings must not change the verdict", got)
			}
		})
	}
}

const policyYAML = `apiVersion: bulwark.dev/v1
kind: SuppressionPolicy
suppressions:
- check: test.bad-image
  subject: Pod/prod/*
  container: app
  reason: vendored image, replaced in Q1
  owner: platform@example.com
  expires: 2027-01-01
- check: test.*
  subject: Pod/legacy/*
  reason: legacy namespace
  owner: legacy@example.com
- check: test.bad-image
  reason: expired exception
  owner: old@example.com
  expires: 2026-12-01
- check: other.check
  reason: for another profile
  owner: x@example.com
`

func TestPolicy(t *testing.T) {
	p, err := hardening.ParsePolicy("policy.yaml", []byte(policyYAML))
	if err != nil {
		t.Fatal(err)
	}
	p.Now = func() time.Time { return time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC) }
	r := mustRunner(hardening.Checks{perContainer}, p)
	fs := r.Check(pod(nil), nil)
	want := []hardening.Finding{{
		Check: "test.bad-image", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape, Subject: "Pod/prod/p", Kind: hardening.KindPod,
		Container: "app", Path: "spec.containers[0].image", Message: "bad image", Remediation: "fix it",
		Suppressed: true, SuppressionReason: "vendored image, replaced in Q1 (owner: platform@example.com)", SuppressedBy: hardening.SuppressedByPolicy,
	}}
	if diff := cmp.Diff(want, fs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	warnings := r.Finish()
	wantWarnings := []merged{
		{Check: "hardening.unused-suppression", Severity: hardening.SeverityInfo, Path: "suppressions[1]", Warning: true},
		{Check: "hardening.expired-suppression", Severity: hardening.SeverityLow, Path: "suppressions[2].expires", Warning: true},
	}
	if diff := cmp.Diff(wantWarnings, summarizeMerged(warnings)); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	for _, w := range warnings {
		if w.Source != "policy.yaml" || w.Kind != hardening.KindPolicy {
			t.Errorf("warning not located in the policy file: %+v", w)
		}
	}

	// After expiry the entry stops suppressing.
	p.Now = func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }
	if fs := r.Check(pod(nil), nil); fs[0].Suppressed {
		t.Errorf("expired entry still suppresses: %+v", fs[0])
	}
}

func TestParsePolicyErrors(t *testing.T) {
	for name, tt := range map[string]struct{ yaml, want string }{
		"kind":           {"apiVersion: v1\nkind: ConfigMap\n", `want bulwark.dev/v1 SuppressionPolicy`},
		"unknown field":  {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: a.b\n  reason: r\n  owner: o\n  namespace: x\n", `unknown field "namespace"`},
		"no reason":      {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: a.b\n  owner: o\n", `suppressions[0]: reason is required`},
		"no owner":       {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: a.b\n  reason: r\n", `suppressions[0]: owner is required`},
		"bad date":       {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: a.b\n  reason: r\n  owner: o\n  expires: next year\n", `suppressions[0]: expires: "next year"`},
		"bad pattern":    {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: \"a.[\"\n  reason: r\n  owner: o\n", `suppressions[0]: check "a.["`},
		"no check":       {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- reason: r\n  owner: o\n", `suppressions[0]: check is required`},
		"not even YAML":  {"\t- [", `policy.yaml: `},
		"second entry":   {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- {check: a.b, reason: r, owner: o}\n- {check: a.b, owner: o}\n", `suppressions[1]: reason`},
		"bad subject":    {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- {check: a.b, reason: r, owner: o, subject: \"[\"}\n", `subject "[" is not a valid pattern`},
		"blank reason":   {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- {check: a.b, reason: \"  \", owner: o}\n", `reason is required`},
		"rfc3339 is ok?": {"apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- {check: a.b, reason: r, owner: o, expires: \"2027-01-01T00:00:00Z\"}\n", ``},
	} {
		_, err := hardening.ParsePolicy("policy.yaml", []byte(tt.yaml))
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "policy.yaml: ")):
			t.Errorf("%s: got %v, want an error naming the file and containing %q", name, err, tt.want)
		}
	}
}

func TestExemptions(t *testing.T) {
	x := hardening.Exemptions{Namespaces: []string{"kube-system"}, RuntimeClasses: []string{"kata"}, Usernames: []string{"system:serviceaccount:kube-system:daemon-set-controller"}}
	r := mustRunner(hardening.Checks{perContainer}, x)
	sys := pod(nil)
	sys.Pod.Namespace = "kube-system"
	kata := pod(nil)
	kata.Pod.Spec.RuntimeClassName = new("kata")
	for _, tt := range []struct {
		s          *hardening.Subject
		suppressed bool
	}{{pod(nil), false}, {sys, true}, {kata, true}} {
		fs := r.Check(tt.s, nil)
		if len(fs) != 1 || fs[0].Suppressed != tt.suppressed || tt.suppressed && fs[0].SuppressedBy != hardening.SuppressedByExemption {
			t.Errorf("%s: %+v", tt.s.Name, fs)
		}
	}
	if !x.User("system:serviceaccount:kube-system:daemon-set-controller") || x.User("alice") {
		t.Error("User")
	}
}

func TestNewRunnerRefusesWhatCannotRun(t *testing.T) {
	noRun := &hardening.Check{ID: "custom.no-run", Inputs: hardening.KindPod}
	noInputs := &hardening.Check{ID: "custom.no-inputs", Run: quiet.Run}
	badID := &hardening.Check{ID: "Custom_Check", Inputs: hardening.KindPod, Run: quiet.Run}
	_, err := hardening.NewRunner(hardening.Checks{noRun, noInputs, badID, quiet, quiet, nil}, hardening.RunOptions{})
	for _, want := range []string{`"custom.no-run": Run and Set are nil`, `"custom.no-inputs": Inputs`, `"Custom_Check": ID`, `"test.quiet": duplicate`, `check 5 is nil`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewRunner error %v lacks %q", err, want)
		}
	}
	// A bare list cannot refuse up front: each such check fails on every
	// subject instead of passing in silence.
	fs := hardening.Checks{noRun, noInputs, badID}.Check(pod(nil), nil)
	if len(fs) != 3 {
		t.Fatalf("want a check-failed finding per malformed check, got %v", fs)
	}
	for _, f := range fs {
		if f.Check != hardening.CheckFailed.ID || !(&f).Counts(hardening.SeverityHigh) {
			t.Errorf("%+v", f)
		}
	}
	if _, err := hardening.NewRunner(hardening.RunnerChecks(), hardening.RunOptions{}); err != nil {
		t.Errorf("the runner's own checks have no Run by design: %v", err)
	}
}

func TestPlatformIsDecidedByTheRunner(t *testing.T) {
	windows := hardening.NewSpecSubject("config.json", &runtimespec.Spec{
		Windows: &runtimespec.Windows{LayerFolders: []string{`C:\layers\1`}},
		Process: &runtimespec.Process{User: runtimespec.User{Username: "ContainerUser"}},
	})
	linuxOnly := specRoot
	everywhere := *specRoot
	everywhere.ID, everywhere.Platforms = "test.everywhere", hardening.PlatformAll
	fs := mustRunner(hardening.Checks{linuxOnly, &everywhere}).Check(windows, nil)
	if len(fs) != 1 || fs[0].Check != "test.everywhere" {
		t.Errorf("a Linux check ran on a Windows spec, or a check for every platform did not: %v", fs)
	}
	if got := hardening.NewSpecSubject("c", &runtimespec.Spec{}).Platform(); got != hardening.PlatformLinux {
		t.Errorf("a spec with no platform section runs as Linux: %v", got)
	}
}

func TestContainerFromPath(t *testing.T) {
	noContainer := atPath("test.no-container", "spec.containers[0].securityContext.privileged", hardening.SeverityHigh, 0)
	fs := mustRunner(hardening.Checks{noContainer}, hardening.ObjectAnnotations).Check(pod(map[string]string{
		hardening.SuppressionPrefix + "test.no-container.app": "reviewed",
	}), nil)
	if len(fs) != 1 || fs[0].Container != "app" || !fs[0].Suppressed {
		t.Errorf("the runner must name the container a path points into, so container suppressions match: %+v", fs)
	}
	s := pod(nil)
	c := hardening.PodContainer{Container: &s.Pod.Spec.Containers[0], List: "containers", Index: 0}
	if f := s.ContainerFinding(c, "image", "m"); f.Container != "app" || f.Path != "spec.containers[0].image" {
		t.Errorf("%+v", f)
	}
}

func TestPassingPodCostsNothing(t *testing.T) {
	s := pod(map[string]string{"unrelated": "x"})
	s.Pod.Spec.Containers[0].Image = "good"
	r := mustRunner(all, hardening.ObjectAnnotations)
	var out []hardening.Finding
	if n := testing.AllocsPerRun(100, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod costs %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() { out = all.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod costs %v allocations with a bare list", n)
	}
}

func TestFoldMootFindings(t *testing.T) {
	const sc = "spec.containers[0].securityContext"
	priv := atPath("caps.privileged", sc+".privileged", hardening.SeverityCritical, 0)
	priv.Moots = func(f *hardening.Finding) []string {
		return []string{sc + ".allowPrivilegeEscalation", sc + ".capabilities.drop"}
	}
	pssPriv := *priv
	pssPriv.PSSLevel = hardening.PSSBaseline
	escalation := atPath("caps.pss-privilege-escalation", sc+".allowPrivilegeEscalation", hardening.SeverityMedium, hardening.PSSRestricted)
	drop := atPath("caps.drop-all-missing", sc+".capabilities.drop", hardening.SeverityMedium, 0)
	added := atPath("caps.dangerous", sc+".capabilities.add[0]", hardening.SeverityCritical, 0)

	got := mustRunner(hardening.Checks{priv, escalation, drop, added}).Check(pod(nil), nil)
	want := []merged{
		{Check: "caps.privileged", Related: []string{"caps.pss-privilege-escalation", "caps.drop-all-missing"}, Severity: hardening.SeverityCritical, Path: sc + ".privileged"},
		{Check: "caps.dangerous", Severity: hardening.SeverityCritical, Path: sc + ".capabilities.add[0]"},
	}
	if diff := cmp.Diff(want, summarizeMerged(got)); diff != "" {
		t.Errorf("general profile (-want +got):\n%s", diff)
	}
	if !strings.Contains(got[0].Message, "once that is fixed, also fix "+sc+".allowPrivilegeEscalation (caps.pss-privilege-escalation)") {
		t.Errorf("the privileged finding must say what else to fix: %q", got[0].Message)
	}
	// A Pod Security Standards control folds nothing: PSA's list stands.
	if got := mustRunner(hardening.Checks{&pssPriv, escalation, drop}).Check(pod(nil), nil); len(got) != 3 {
		t.Errorf("a control folded findings: %v", summarizeMerged(got))
	}
}

func TestOneCauseSeenFromEveryContainer(t *testing.T) {
	perContainerRoot := &hardening.Check{
		ID: "caps.runs-as-root", Title: "t", Severity: hardening.SeverityMedium, Class: hardening.ClassInnerContainer, Inputs: hardening.KindPod,
		Rationale: "r", Remediation: "m",
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			for c := range s.Containers {
				out = append(out, hardening.Finding{Container: c.Name, Path: "spec.securityContext.runAsUser", Message: "container " + c.Name + " runs as uid 0"})
			}
			return out
		},
	}
	s := pod(nil)
	s.Pod.Spec.Containers = append(s.Pod.Spec.Containers, corev1.Container{Name: "side"})
	got := mustRunner(hardening.Checks{perContainerRoot, atPath("caps.pss-run-as-user", "spec.securityContext.runAsUser", hardening.SeverityMedium, hardening.PSSRestricted)}).Check(s, nil)
	if len(got) != 1 || got[0].Container != "" || !strings.Contains(got[0].Message, "container side runs as uid 0") || len(got[0].Related) != 1 {
		t.Errorf("one line, several containers: want one finding naming no container, got %+v", got)
	}
}
