package posture_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/posture"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func strictestCheck(t testing.TB) *hardening.Check {
	t.Helper()
	c, err := posture.StrictestLevel(hardening.LatestKube, bulwark.PSSProfile)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func namespaceObject(name, source string, document int, labels map[string]string) hardening.ClusterObject {
	return hardening.ClusterObject{
		APIVersion: "v1", Kind: hardening.KindNamespace, Name: name, Source: source, Document: document,
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}},
	}
}

// baselinePod passes baseline and fails restricted: it sets no seccomp
// profile.
func baselinePod(namespace string) *corev1.Pod {
	p := pod(namespace)
	p.Spec.SecurityContext.SeccompProfile = nil
	return p
}

// privilegedPod fails baseline.
func privilegedPod(namespace string) *corev1.Pod {
	p := pod(namespace)
	p.Spec.HostPID = true
	return p
}

type row struct {
	Subject, Source string
	Document        int
	Path, Message   string
}

func rows(fs []hardening.Finding) []row {
	var out []row
	for _, f := range fs {
		if f.Check != strictest {
			continue
		}
		out = append(out, row{f.Subject, f.Source, f.Document, f.Path, f.Message})
	}
	return out
}

func TestStrictestLevel(t *testing.T) {
	cluster := hardening.NewCluster([]hardening.ClusterObject{
		namespaceObject("web", "ns.yaml", 0, map[string]string{posture.EnforceLabel: "baseline"}),
		namespaceObject("batch", "ns.yaml", 1, nil),
		namespaceObject("agents", "ns.yaml", 2, map[string]string{posture.EnforceLabel: "privileged"}),
		namespaceObject("done", "ns.yaml", 3, map[string]string{posture.EnforceLabel: "restricted"}),
		namespaceObject("pinned", "ns.yaml", 4, map[string]string{posture.EnforceLabel: "baseline", posture.EnforceVersionLabel: "v1.20"}),
		namespaceObject("odd", "ns.yaml", 5, map[string]string{posture.EnforceLabel: "Privileged"}),
	})
	type in struct {
		pod      *corev1.Pod
		source   string
		document int
	}
	inputs := []in{
		{pod("web"), "web.yaml", 0}, {pod("web"), "web.yaml", 1},
		{pod("batch"), "batch.yaml", 0}, {baselinePod("batch"), "batch.yaml", 1},
		{pod("agents"), "agents.yaml", 0}, {privilegedPod("agents"), "agents.yaml", 1},
		{pod("done"), "done.yaml", 0},
		{baselinePod("pinned"), "pinned.yaml", 0},
		{pod("odd"), "odd.yaml", 0},
		// Known only through their workloads; the later document of two
		// is not where the finding points.
		{pod("ghost"), "z.yaml", 3}, {pod("ghost"), "a.yaml", 7},
		{privilegedPod("haunted"), "a.yaml", 8},
		// Unspecified: counts for no namespace.
		{pod(""), "a.yaml", 9},
	}
	r, err := hardening.NewRunner(hardening.Checks{strictestCheck(t)}, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Observe is called from many goroutines at once, subjects in no order.
	var wg sync.WaitGroup
	for i := len(inputs) - 1; i >= 0; i-- {
		wg.Go(func() {
			s := hardening.NewPodSubject(inputs[i].pod)
			s.Source, s.Document, s.Cluster = inputs[i].source, inputs[i].document, cluster
			r.Check(s, nil)
		})
	}
	wg.Wait()
	set := "pod-security.kubernetes.io/enforce=%s and pod-security.kubernetes.io/enforce-version=" + hardening.LatestKube.String()
	labels := func(level string) string { return strings.Replace(set, "%s", level, 1) }
	at := " level at " + hardening.LatestKube.String()
	want := []row{
		{"Namespace/batch", "ns.yaml", 1, enforcePath, `all 2 audited workloads of namespace "batch" pass the Pod Security Standards baseline` + at +
			`; it sets no enforce label, so the cluster's default applies, privileged (every pod admitted) unless the API server's ` +
			`PodSecurity admission configuration, which is not among the audited objects, sets another: set ` + labels("baseline")},
		{"Namespace/ghost", "a.yaml", 7, "metadata.namespace", `all 2 audited workloads of namespace "ghost" pass the Pod Security Standards restricted` + at +
			`; no Namespace "ghost" is among the audited objects, so the labels it enforces are unknown: set ` + labels("restricted") + " on it"},
		{"Namespace/pinned", "ns.yaml", 4, enforcePath, `the only audited workload of namespace "pinned" passes the Pod Security Standards baseline` + at +
			`; it enforces baseline at v1.20: set ` + labels("baseline")},
		{"Namespace/web", "ns.yaml", 0, enforcePath, `all 2 audited workloads of namespace "web" pass the Pod Security Standards restricted` + at +
			`; it enforces baseline: set ` + labels("restricted")},
	}
	got := r.Finish()
	if diff := cmp.Diff(want, rows(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, f := range got {
		if f.Severity != info || f.Kind != hardening.KindObject || !strings.HasPrefix(f.Remediation, "Set pod-security.kubernetes.io/enforce=") ||
			!strings.Contains(f.Remediation, "kubectl label namespace ") {
			t.Errorf("%s: severity %s kind %s remediation %q", f.Subject, f.Severity, f.Kind, f.Remediation)
		}
	}
	if again := r.Finish(); len(again) != 0 {
		t.Errorf("a finished run reported again: %v", again)
	}
}

// Namespace object subjects are observed for their labels: a run without a
// Cluster (fixtures, a single file) still judges the namespaces it holds,
// and says nothing of those it does not.
func TestStrictestLevelWithoutCluster(t *testing.T) {
	r, err := hardening.NewRunner(hardening.Checks{strictestCheck(t)}, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nsObj := namespaceObject("web", "ns.yaml", 0, nil)
	r.Check(hardening.NewObjectSubject(&nsObj), nil)
	r.Check(hardening.NewPodSubject(pod("web")), nil)
	r.Check(hardening.NewPodSubject(pod("ghost")), nil)
	got := rows(r.Finish())
	if len(got) != 1 || got[0].Subject != "Namespace/web" {
		t.Errorf("got %v, want web alone", got)
	}
}

func TestStrictestLevelWhatCounts(t *testing.T) {
	cluster := hardening.NewCluster([]hardening.ClusterObject{namespaceObject("web", "ns.yaml", 0, nil)})
	run := func(subjects ...*hardening.Subject) []row {
		r, err := hardening.NewRunner(hardening.Checks{strictestCheck(t)}, hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range subjects {
			s.Cluster = cluster
			r.Check(s, nil)
		}
		return rows(r.Finish())
	}
	if got := run(hardening.NewPodSubject(pod("web"))); len(got) != 1 || !strings.Contains(got[0].Message, "restricted level") {
		t.Errorf("a restricted pod: %v", got)
	}
	// Pod Security Admission does not read bulwark's suppressions.
	suppressed := privilegedPod("web")
	suppressed.Annotations = map[string]string{hardening.SuppressionAnnotation: "namespaces.pss-host-namespaces: reviewed"}
	if got := run(hardening.NewPodSubject(suppressed), hardening.NewPodSubject(pod("web"))); len(got) != 0 {
		t.Errorf("a suppressed violation passed: %v", got)
	}
	// What was not observed may fail any control.
	unobserved := hardening.NewPodSubject(pod("web"))
	unobserved.Unobserved = []string{"spec.containers[0].securityContext"}
	if got := run(unobserved); len(got) != 0 {
		t.Errorf("an unobserved pod passed: %v", got)
	}
	if got := run(); len(got) != 0 {
		t.Errorf("a namespace without workloads: %v", got)
	}
}

func TestStrictestLevelFailsClosed(t *testing.T) {
	failing := func(hardening.PSSLevel, hardening.KubeVersion) (hardening.Checks, error) {
		return nil, errors.New("broken")
	}
	empty := func(hardening.PSSLevel, hardening.KubeVersion) (hardening.Checks, error) { return nil, nil }
	for _, tt := range []struct {
		name     string
		v        hardening.KubeVersion
		profiles posture.PSSProfiles
		want     string
	}{
		{"zero version", hardening.KubeVersion{}, bulwark.PSSProfile, "want v1.0 or newer"},
		{"v2", hardening.KubeVersion{Major: 2}, bulwark.PSSProfile, "want v1.0 or newer"},
		{"nil profiles", hardening.LatestKube, nil, "profiles is nil"},
		{"failing profiles", hardening.LatestKube, failing, "the baseline profile at " + hardening.LatestKube.String() + ": broken"},
		{"empty profiles", hardening.LatestKube, empty, "no controls"},
	} {
		c, err := posture.StrictestLevel(tt.v, tt.profiles)
		if err == nil || c != nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, %v; want an error containing %q", tt.name, c, err, tt.want)
		}
	}
	// In the catalog the check stays, and says why it cannot run.
	checks := posture.Checks(failing)
	c := checks.Lookup(strictest)
	if c == nil || c.Set == nil {
		t.Fatalf("posture.Checks dropped %s", strictest)
	}
	r, err := hardening.NewRunner(hardening.Checks{c}, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r.Check(hardening.NewPodSubject(pod("web")), nil)
	got := r.Finish()
	if len(got) != 1 || got[0].Check != hardening.CheckFailed.ID || got[0].Severity != hardening.SeverityHigh ||
		!strings.Contains(got[0].Message, "posture.strictest-level cannot run: posture.StrictestLevel: the baseline profile") {
		t.Errorf("got %+v", got)
	}
}

// Observing a passing pod of a namespace already seen costs nothing.
func TestPassingPodCostsNothingToObserve(t *testing.T) {
	cluster := hardening.NewCluster([]hardening.ClusterObject{namespaceObject("prod", "ns.yaml", 0, nil)})
	r, err := hardening.NewRunner(posture.Checks(bulwark.PSSProfile), hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
	if err != nil {
		t.Fatal(err)
	}
	s := hardening.NewPodSubject(pod("prod"))
	s.Cluster = cluster
	out := make([]hardening.Finding, 0, 8)
	if out = r.Check(s, out); len(out) != 0 {
		t.Fatalf("must pass: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod costs %v allocations", n)
	}
}

// Loaded in two phases the run has a Cluster: namespaces known only
// through their workloads are judged, and the message says where bulwark
// looked.
func TestStrictestLevelWithCluster(t *testing.T) {
	checks := hardening.Checks{strictestCheck(t)}
	r := bulwark.AuditPaths(checks, load.Options{}, "testdata/strictest.yaml", "../testdata/hardened")
	if len(r.Errors) != 0 {
		t.Fatal(r.Errors)
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Subject+" "+f.Source+" "+f.Path)
	}
	want := []string{
		"Namespace/batch testdata/strictest.yaml metadata.labels[pod-security.kubernetes.io/enforce]",
		"Namespace/ghost testdata/strictest.yaml metadata.namespace",
		"Namespace/metrics testdata/strictest.yaml metadata.labels[pod-security.kubernetes.io/enforce]",
		// grafana's and prometheus-operator's charts, hardened: both pass
		// restricted; their namespace is not among the files.
		"Namespace/monitoring ../testdata/hardened/grafana.yaml metadata.namespace",
		"Namespace/web testdata/strictest.yaml metadata.labels[pod-security.kubernetes.io/enforce]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
