package serviceaccount_test

import (
	"strconv"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/serviceaccount"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, serviceaccount.Checks(), hardening.NewPodSubject(hardenedPod()))
}

// thousandObjects is a view of 1,000 ServiceAccounts over 100 namespaces,
// prod/web among them, opting out of automounting.
func thousandObjects() *hardening.Cluster {
	objects := make([]hardening.ClusterObject, 0, 1000)
	for i := range 999 {
		objects = append(objects, account("ns-"+strconv.Itoa(i%100), "sa-"+strconv.Itoa(i), nil))
	}
	f := false
	return hardening.NewCluster(append(objects, account("prod", "web", &f)))
}

// BenchmarkPassingPodInView must report 0 allocs/op too: a pod that leaves
// automounting to its ServiceAccount, found in a view of 1,000 objects,
// passes for free.
func BenchmarkPassingPodInView(b *testing.B) {
	pod := hardenedPod()
	pod.Spec.AutomountServiceAccountToken = nil
	pod.Spec.ServiceAccountName = "web"
	s := hardening.NewPodSubject(pod)
	s.Cluster = thousandObjects()
	checktest.BenchPassing(b, serviceaccount.Checks(), s)
}

// BenchmarkFailingPodInView is the baseline: the default account, not
// among the 1,000 objects, mounts its token.
func BenchmarkFailingPodInView(b *testing.B) {
	pod := hardenedPod()
	pod.Spec.AutomountServiceAccountToken = nil
	s := hardening.NewPodSubject(pod)
	s.Cluster = thousandObjects()
	if out := checktest.Bench(b, serviceaccount.Checks(), s); len(out) != 1 {
		b.Fatalf("%d findings, want 1: %v", len(out), out)
	}
}

// The allocation promise holds in every test run, not only when
// benchmarks are run.
func TestPassingPodInViewCostsNothing(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.AutomountServiceAccountToken = nil
	pod.Spec.ServiceAccountName = "web"
	s := hardening.NewPodSubject(pod)
	s.Cluster = thousandObjects()
	checks := serviceaccount.Checks()
	out := make([]hardening.Finding, 0, 8)
	if out = checks.Check(s, out); len(out) != 0 {
		t.Fatalf("the pod must pass: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = checks.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod in a view of 1,000 objects costs %v allocations", n)
	}
}
