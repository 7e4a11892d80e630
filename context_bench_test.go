package bulwark_test

import (
	"strconv"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// contextView is a view of 1,000 objects over 100 namespaces, as a
// platform repository holds them: each namespace's Namespace, default
// ServiceAccount (opting out of automounting), LimitRange, ResourceQuota
// and default-deny NetworkPolicy, and five more ServiceAccounts.
func contextView() *hardening.Cluster {
	f := false
	var objects []hardening.ClusterObject
	add := func(kind, ns, name string, obj any) {
		objects = append(objects, hardening.ClusterObject{APIVersion: "v1", Kind: kind, Namespace: ns, Name: name, Source: "platform.yaml",
			Document: len(objects), Object: obj, Size: 200})
	}
	for i := range 100 {
		ns := "team-" + strconv.Itoa(i)
		if i == 0 {
			ns = "prod"
		}
		meta := metav1.ObjectMeta{Namespace: ns}
		add(hardening.KindNamespace, "", ns, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
		add(hardening.KindServiceAccount, ns, "default", &corev1.ServiceAccount{ObjectMeta: meta, AutomountServiceAccountToken: &f})
		add(hardening.KindLimitRange, ns, "defaults", &corev1.LimitRange{ObjectMeta: meta, Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
			Type:    corev1.LimitTypeContainer,
			Default: corev1.ResourceList{corev1.ResourceCPU: resource.MustParse("500m"), corev1.ResourceMemory: resource.MustParse("512Mi")},
		}}}})
		add(hardening.KindResourceQuota, ns, "budget", &corev1.ResourceQuota{ObjectMeta: meta})
		add(hardening.KindNetworkPolicy, ns, "default-deny", &networkingv1.NetworkPolicy{ObjectMeta: meta,
			Spec: networkingv1.NetworkPolicySpec{PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}}})
		for j := range 5 {
			add(hardening.KindServiceAccount, ns, "app-"+strconv.Itoa(j), &corev1.ServiceAccount{ObjectMeta: meta})
		}
	}
	return hardening.NewCluster(objects)
}

// contextPod is the sample's hardened Pod, leaving its token to its
// namespace's default ServiceAccount and its CPU and memory to its
// namespace's LimitRange.
func contextPod(t testing.TB) *hardening.Subject {
	r := load.Paths(load.Options{}, "examples/audit/sample/hardened-pod.yaml")
	if len(r.Subjects) != 1 || len(r.Errors) != 0 {
		t.Fatalf("sample: %v %v", r.Subjects, r.Errors)
	}
	s := r.Subjects[0]
	s.Pod.Spec.AutomountServiceAccountToken = nil
	res := &s.Pod.Spec.Containers[0].Resources
	res.Limits = corev1.ResourceList{corev1.ResourceEphemeralStorage: res.Limits[corev1.ResourceEphemeralStorage]}
	res.Requests = nil
	s.Cluster = contextView()
	return s
}

// Every check of the catalog, set checks included, through a runner: a
// pod that passes with the help of 1,000 objects around it costs no
// allocation.
func TestPodInContextViewCostsNothing(t *testing.T) {
	s := contextPod(t)
	if n := s.Cluster.Len(); n != 1000 {
		t.Fatalf("%d objects", n)
	}
	r, err := hardening.NewRunner(bulwark.Checks(), hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]hardening.Finding, 0, 8)
	if out = r.Check(s, out); len(out) != 0 {
		t.Fatalf("the pod must pass every check: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod in a view of 1,000 objects costs %v allocations", n)
	}
	// The run may recommend (info: the strictest level the namespace's
	// workloads pass), never find fault.
	for _, f := range r.Finish() {
		if f.Severity > hardening.SeverityInfo {
			t.Errorf("the run: %v", f)
		}
	}
}

// BenchmarkPodInContextView is the per-pod cost of the whole catalog with
// a view of 1,000 objects.
func BenchmarkPodInContextView(b *testing.B) {
	s := contextPod(b)
	r, err := hardening.NewRunner(bulwark.Checks(), hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
	if err != nil {
		b.Fatal(err)
	}
	out := make([]hardening.Finding, 0, 8)
	b.ReportAllocs()
	for b.Loop() {
		out = r.Check(s, out[:0])
	}
	if len(out) != 0 {
		b.Fatalf("findings: %v", out)
	}
}
