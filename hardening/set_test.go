package hardening_test

import (
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// namespacesWithoutObject is a set check: it reports, at the end of the
// run, each namespace a pod runs in that no Namespace object of the run
// declares.
type namespacesWithoutObject struct {
	cluster *hardening.Cluster
	mu      sync.Mutex
	seen    map[string]bool
}

func (n *namespacesWithoutObject) Observe(s *hardening.Subject, _ []hardening.Finding) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.seen[s.Pod.Namespace] = true
}

func (n *namespacesWithoutObject) Finish(out []hardening.Finding) []hardening.Finding {
	var names []string
	for ns := range n.seen {
		if n.cluster.Namespace(ns) == nil {
			names = append(names, ns)
		}
	}
	sort.Strings(names)
	for _, ns := range names {
		out = append(out, hardening.Finding{Subject: "Namespace/" + ns, Path: "metadata.name", Message: "no Namespace object among the audited objects"})
	}
	return out
}

var undeclared = &hardening.Check{
	ID: "test.undeclared-namespace", Title: "t", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
	Inputs: hardening.KindPod, Rationale: "r", Remediation: "declare it",
	Set: func(c *hardening.Cluster) hardening.SetRun {
		return &namespacesWithoutObject{cluster: c, seen: map[string]bool{}}
	},
}

// annotatedObject reports every object subject, so its suppressions can be
// tried.
var everyObject = &hardening.Check{
	ID: "test.every-object", Title: "t", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
	Inputs: hardening.KindObject, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return append(out, hardening.Finding{Path: s.ObjectPath("metadata.name"), Message: s.Object.Kind})
	},
}

func TestSetChecksAndObjectSubjects(t *testing.T) {
	nsObj := hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindNamespace, Name: "prod", Source: "ns.yaml",
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "prod"}}}
	sa := hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindServiceAccount, Namespace: "prod", Name: "web", Source: "list.yaml", Document: 2, Path: "items[1]",
		Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod", Annotations: map[string]string{
			hardening.SuppressionAnnotation: "test.every-object: reviewed",
		}}}}
	cluster := hardening.NewCluster([]hardening.ClusterObject{nsObj, sa})
	r := mustRunner(hardening.Checks{undeclared, everyObject}, hardening.ObjectAnnotations)

	var got []hardening.Finding
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, ns := range []string{"prod", "staging", "dev", "staging"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := pod(nil)
			s.Pod.Namespace, s.Cluster = ns, cluster
			fs := r.Check(s, nil)
			mu.Lock()
			got = append(got, fs...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	obj := hardening.NewObjectSubject(&cluster.Objects()[1])
	obj.Cluster = cluster
	got = append(got, r.Check(obj, nil)...)
	got = append(got, r.Finish()...)

	type row struct {
		Check, Subject, Source, Path string
		Kind                         hardening.Kind
		Suppressed                   bool
		Remediation                  string
	}
	var rows []row
	for _, f := range got {
		rows = append(rows, row{f.Check, f.Subject, f.Source, f.Path, f.Kind, f.Suppressed, f.Remediation})
	}
	want := []row{
		{"test.every-object", "ServiceAccount/prod/web", "list.yaml", "items[1].metadata.name", hardening.KindObject, true, "m"},
		{"test.undeclared-namespace", "Namespace/dev", "", "metadata.name", hardening.KindObject, false, "declare it"},
		{"test.undeclared-namespace", "Namespace/staging", "", "metadata.name", hardening.KindObject, false, "declare it"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Finish ends the run: the next one starts afresh.
	if again := r.Finish(); len(again) != 0 {
		t.Errorf("a finished run reported again: %v", again)
	}
	if s := hardening.NewObjectSubject(&cluster.Objects()[1]); !strings.HasPrefix(s.Name, "ServiceAccount/") || s.Kind != hardening.KindObject {
		t.Errorf("%+v", s)
	}
}

func TestClusterDerivedOnce(t *testing.T) {
	type key struct{}
	c := hardening.NewCluster(nil)
	var calls int
	var mu sync.Mutex
	compute := func(*hardening.Cluster) any {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return calls
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() { defer wg.Done(); c.Derived(key{}, compute) }()
	}
	wg.Wait()
	if calls != 1 || c.Derived(key{}, compute) != 1 {
		t.Errorf("computed %d times", calls)
	}
	var none *hardening.Cluster
	if none.Derived(key{}, compute) != 2 {
		t.Error("a nil Cluster computes afresh")
	}
}

// Findings about the run are suppressed like any other: by a policy entry
// naming their subject, or by the annotations of the object they are about.
func TestSetFindingsSuppressed(t *testing.T) {
	staging := hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindNamespace, Name: "staging", Source: "ns.yaml",
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "staging", Annotations: map[string]string{
			hardening.SuppressionAnnotation: "test.every-namespace: a sandbox\ntest.other: never reported",
		}}}}
	cluster := hardening.NewCluster([]hardening.ClusterObject{staging})
	everyNamespace := &hardening.Check{
		ID: "test.every-namespace", Title: "t", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
		Inputs: hardening.KindPod, Rationale: "r", Remediation: "m",
		Set: func(c *hardening.Cluster) hardening.SetRun {
			return &namespacesWithoutObject{cluster: hardening.NewCluster(nil), seen: map[string]bool{}}
		},
	}
	other := &hardening.Check{ID: "test.other", Title: "t", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
		Inputs: hardening.KindPod, Rationale: "r", Remediation: "m", Run: quiet.Run}
	policy, err := hardening.ParsePolicy("p.yaml", []byte("apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- {check: test.every-namespace, subject: Namespace/dev, reason: dev is a sandbox, owner: o}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := mustRunner(hardening.Checks{everyNamespace, other}, hardening.ObjectAnnotations, policy)
	for _, ns := range []string{"staging", "dev", "prod"} {
		s := pod(nil)
		s.Pod.Namespace, s.Cluster = ns, cluster
		r.Check(s, nil)
	}
	type row struct {
		Subject    string
		Suppressed bool
		By         hardening.SuppressionOrigin
		Warning    bool
		Check      string
	}
	var rows []row
	for _, f := range r.Finish() {
		rows = append(rows, row{f.Subject, f.Suppressed, f.SuppressedBy, f.Warning, f.Check})
	}
	want := []row{
		{"Namespace/dev", true, hardening.SuppressedByPolicy, false, "test.every-namespace"},
		{"Namespace/prod", false, "", false, "test.every-namespace"},
		{"Namespace/staging", true, hardening.SuppressedByObject, false, "test.every-namespace"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
