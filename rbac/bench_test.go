package rbac_test

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/rbac"
)

// bigCluster is a cluster of the size the issue sets: 2,000 roles (1,500
// Roles in 100 namespaces, 500 ClusterRoles of which 20 aggregate by
// label), 10,000 bindings (8,000 RoleBindings, 2,000 ClusterRoleBindings)
// and 5,000 service accounts. Rules are those of real charts: reads,
// leader election, a few writes; every tenth role creates pods.
func bigCluster() *hardening.Cluster {
	var objs []hardening.ClusterObject
	add := func(kind, ns, name string, o any) {
		objs = append(objs, hardening.ClusterObject{APIVersion: "v1", Kind: kind, Namespace: ns, Name: name, Source: "bench", Object: o, Size: 600})
	}
	reads := rbacv1.PolicyRule{Verbs: []string{"get", "list", "watch"}, APIGroups: []string{"", "apps"}, Resources: []string{"pods", "services", "endpoints", "configmaps", "deployments"}}
	leases := rbacv1.PolicyRule{Verbs: []string{"get", "create", "update"}, APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}}
	events := rbacv1.PolicyRule{Verbs: []string{"create", "patch"}, APIGroups: []string{"", "events.k8s.io"}, Resources: []string{"events"}}
	pods := rbacv1.PolicyRule{Verbs: []string{"create", "delete"}, APIGroups: []string{""}, Resources: []string{"pods"}}
	rules := func(i int) []rbacv1.PolicyRule {
		r := []rbacv1.PolicyRule{reads, leases, events}
		if i%10 == 0 {
			r = append(r, pods)
		}
		return r
	}
	ns := func(i int) string { return fmt.Sprintf("team-%03d", i%100) }
	for i := range 5000 {
		add(hardening.KindServiceAccount, ns(i), fmt.Sprintf("sa-%04d", i), &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("sa-%04d", i), Namespace: ns(i)}})
	}
	for i := range 480 {
		name := fmt.Sprintf("cr-%03d", i)
		add(hardening.KindClusterRole, "", name, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name,
			Labels: map[string]string{"example.com/aggregate-to": fmt.Sprint(i % 20)}}, Rules: rules(i)})
	}
	for i := range 20 {
		name := fmt.Sprintf("agg-%02d", i)
		add(hardening.KindClusterRole, "", name, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name},
			AggregationRule: &rbacv1.AggregationRule{ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{"example.com/aggregate-to": fmt.Sprint(i)}}}}})
	}
	for i := range 1500 {
		name := fmt.Sprintf("role-%04d", i)
		add(hardening.KindRole, ns(i), name, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns(i)}, Rules: rules(i + 1)})
	}
	subject := func(i int) rbacv1.Subject {
		return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: fmt.Sprintf("sa-%04d", i%5000), Namespace: ns(i % 5000)}
	}
	for i := range 2000 {
		name := fmt.Sprintf("crb-%04d", i)
		add(hardening.KindClusterRoleBinding, "", name, &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
			RoleRef: rbacv1.RoleRef{Kind: rbac.KindClusterRole, Name: fmt.Sprintf("cr-%03d", i%480+1)}, Subjects: []rbacv1.Subject{subject(i * 7)}})
	}
	for i := range 8000 {
		name := fmt.Sprintf("rb-%04d", i)
		ref := rbacv1.RoleRef{Kind: rbac.KindRole, Name: fmt.Sprintf("role-%04d", i%1500)}
		if i%4 == 0 {
			ref = rbacv1.RoleRef{Kind: rbac.KindClusterRole, Name: fmt.Sprintf("agg-%02d", i%20)}
		}
		add(hardening.KindRoleBinding, ns(i%1500), name, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns(i % 1500)},
			RoleRef: ref, Subjects: []rbacv1.Subject{subject(i), {Kind: rbacv1.GroupKind, Name: "team-" + fmt.Sprint(i%50)}}})
	}
	return hardening.NewCluster(objs)
}

// BenchmarkResolve builds the resolver of bigCluster: the target is 200 ms
// and 100 MiB.
func BenchmarkResolve(b *testing.B) {
	c := bigCluster()
	b.ReportAllocs()
	for b.Loop() {
		rbac.New(c, rbac.Options{})
	}
	b.ReportMetric(float64(len(rbac.New(c, rbac.Options{}).Bindings())), "bindings")
}

// quietPod runs as an account of bigCluster whose grants are all
// harmless: sa-0001 is bound only to roles without pod creation.
func quietPod() *hardening.Subject {
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "team-001"},
		Spec: corev1.PodSpec{ServiceAccountName: "sa-0001", Containers: []corev1.Container{{Name: "app", Image: "app:1"}}}}
	return hardening.NewPodSubject(pod)
}

// BenchmarkWorkloadReach is the per-workload lookup: 0 allocs/op for a
// workload whose account holds nothing dangerous.
func BenchmarkWorkloadReach(b *testing.B) {
	s := quietPod()
	s.Cluster = bigCluster()
	rbac.For(s.Cluster) // built once per run, before the workloads
	checktest.BenchPassing(b, hardening.Checks{rbac.WorkloadReach}, s)
}

func TestPassingWorkloadDoesNotAllocate(t *testing.T) {
	c := bigCluster()
	s := quietPod()
	s.Cluster = c
	checks := hardening.Checks{rbac.WorkloadReach}
	if got := checks.Check(s, nil); len(got) != 0 {
		t.Fatalf("the quiet pod has findings: %v", got)
	}
	out := make([]hardening.Finding, 0, 8)
	if allocs := testing.AllocsPerRun(100, func() { rbac.WorkloadReach.Run(s, out[:0]) }); allocs != 0 {
		t.Errorf("a workload whose account holds nothing dangerous costs %v allocations", allocs)
	}
	// The same account with a dangerous grant is reported: the test can fail.
	loud := quietPod()
	loud.Cluster = c
	loud.Pod.Spec.ServiceAccountName = "sa-0000" // bound to cr-001 … and role-0000's namespace roles
	found := false
	for i := range 100 {
		loud.Pod.Spec.ServiceAccountName = fmt.Sprintf("sa-%04d", i)
		loud.Pod.Namespace = fmt.Sprintf("team-%03d", i%100)
		if len(rbac.WorkloadReach.Run(loud, nil)) > 0 {
			found = true
			break
		}
	}
	if !found {
		t.Error("no account of the big cluster may create pods: the benchmark's cluster is not what it claims")
	}
}
