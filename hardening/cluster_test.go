package hardening_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func clusterObject(kind, namespace, name string, obj any) hardening.ClusterObject {
	return hardening.ClusterObject{Kind: kind, Namespace: namespace, Name: name, Source: "ctx.yaml", Object: obj, Size: 100}
}

func testCluster() *hardening.Cluster {
	return hardening.NewCluster([]hardening.ClusterObject{
		clusterObject(hardening.KindNamespace, "", "prod", &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "prod"}}),
		clusterObject(hardening.KindServiceAccount, "prod", "web", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"}}),
		clusterObject(hardening.KindNetworkPolicy, "prod", "deny", &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "deny", Namespace: "prod"}}),
		clusterObject(hardening.KindNetworkPolicy, "dev", "allow", &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "allow", Namespace: "dev"}}),
		clusterObject(hardening.KindNetworkPolicy, "prod", "allow-dns", &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "allow-dns", Namespace: "prod"}}),
		clusterObject(hardening.KindRole, "prod", "reader", &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: "reader", Namespace: "prod"}}),
		clusterObject(hardening.KindClusterRole, "", "admin", &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "admin"}}),
		// A second ServiceAccount prod/web: Get returns the first.
		clusterObject(hardening.KindServiceAccount, "prod", "web", &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod", Labels: map[string]string{"dup": "yes"}}}),
	})
}

func TestClusterIndex(t *testing.T) {
	c := testCluster()
	names := func(kind, namespace string) []string {
		var out []string
		for o := range c.List(kind, namespace) {
			out = append(out, o.Namespace+"/"+o.Name)
		}
		return out
	}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"len", c.Len(), 8},
		{"bytes", c.Bytes(), int64(800)},
		{"namespace", c.Namespace("prod").Name, "prod"},
		{"missing namespace", c.Namespace("dev") == nil, true},
		{"service account", c.ServiceAccount("prod", "web").Labels == nil, true}, // the first of two
		{"service account in another namespace", c.ServiceAccount("dev", "web") == nil, true},
		{"role", c.Role("prod", "reader").Name, "reader"},
		{"a role is not a cluster role", c.ClusterRole("reader") == nil, true},
		{"cluster role", c.ClusterRole("admin").Name, "admin"},
		{"get wrong kind", c.Get(hardening.KindRole, "", "admin") == nil, true},
		{"policies in prod, input order", names(hardening.KindNetworkPolicy, "prod"), []string{"prod/deny", "prod/allow-dns"}},
		{"policies everywhere", names(hardening.KindNetworkPolicy, hardening.AllNamespaces), []string{"prod/deny", "dev/allow", "prod/allow-dns"}},
		{"duplicates are listed", names(hardening.KindServiceAccount, "prod"), []string{"prod/web", "prod/web"}},
		{"nothing of a kind", names(hardening.KindService, hardening.AllNamespaces), []string(nil)},
		{"source kept", c.Get(hardening.KindRole, "prod", "reader").Source, "ctx.yaml"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	var policies []string
	for np := range c.NetworkPolicies("prod") {
		policies = append(policies, np.Name)
	}
	if diff := cmp.Diff([]string{"deny", "allow-dns"}, policies); diff != "" {
		t.Errorf("NetworkPolicies (-want +got):\n%s", diff)
	}
}

func TestNilClusterIsEmpty(t *testing.T) {
	var c *hardening.Cluster
	if c.Len() != 0 || c.Bytes() != 0 || c.Objects() != nil || c.Get(hardening.KindRole, "a", "b") != nil || c.Namespace("x") != nil || c.ServiceAccount("a", "b") != nil {
		t.Error("a nil cluster is empty")
	}
	for range c.List(hardening.KindRole, hardening.AllNamespaces) {
		t.Error("a nil cluster lists nothing")
	}
}

// readsCluster looks up what later checks will: the pod's namespace, its
// service account and the policies of its namespace. It reports nothing.
var readsCluster = &hardening.Check{
	ID: "test.reads-cluster", Title: "reads the cluster", Severity: hardening.SeverityLow, Class: hardening.ClassManagement,
	Inputs: hardening.KindPod, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		ns := s.Pod.Namespace
		if s.Cluster.Namespace(ns) == nil || s.Cluster.ServiceAccount(ns, "web") == nil {
			return append(out, hardening.Finding{Path: "metadata.namespace", Message: "not in the cluster"})
		}
		n := 0
		for range s.Cluster.NetworkPolicies(ns) {
			n++
		}
		if n != 2 {
			return append(out, hardening.Finding{Path: "metadata.namespace", Message: "policies missing"})
		}
		return out
	},
}

func TestPassingPodWithClusterCostsNothing(t *testing.T) {
	s := pod(nil)
	s.Pod.Spec.Containers[0].Image = "good"
	s.Cluster = testCluster()
	r := mustRunner(append(all, readsCluster), hardening.ObjectAnnotations)
	var out []hardening.Finding
	if out = r.Check(s, out); len(out) != 0 {
		t.Fatalf("the pod must pass: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod that looks up its cluster costs %v allocations", n)
	}
}

type derivedKey struct{}

func TestDerivedOncePerClusterWithoutAllocation(t *testing.T) {
	c := hardening.NewCluster(nil)
	calls := 0
	compute := func(*hardening.Cluster) any { calls++; return &calls }
	first := c.Derived(derivedKey{}, compute)
	if got := c.Derived(derivedKey{}, compute); got != first || calls != 1 {
		t.Fatalf("Derived computed %d times, second value %v, first %v", calls, got, first)
	}
	if allocs := testing.AllocsPerRun(100, func() { c.Derived(derivedKey{}, compute) }); allocs != 0 {
		t.Errorf("a lookup of a derived value allocates %v times", allocs)
	}
	var nilCluster *hardening.Cluster
	nilCluster.Derived(derivedKey{}, compute)
	nilCluster.Derived(derivedKey{}, compute)
	if calls != 3 {
		t.Errorf("a nil cluster computes each time: %d calls, want 3", calls)
	}
}
