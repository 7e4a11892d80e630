package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/network"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, network.Checks(), hardening.NewPodSubject(hardenedPod()))
}

// BenchmarkPassingSpec must report 0 allocs/op: a hardened OCI spec, with
// sysctls to look at, costs nothing but the time to look at it.
func BenchmarkPassingSpec(b *testing.B) {
	checktest.BenchPassing(b, network.Checks(), hardening.NewSpecSubject("config.json", hardenedSpec()))
}

// BenchmarkFailingSpec is the baseline: docker run --network host with
// NET_RAW and its sysctls.
func BenchmarkFailingSpec(b *testing.B) {
	checks := network.Checks()
	spec := hardenedSpec()
	without(spec, "network")
	s := hardening.NewSpecSubject("config.json", spec)
	if out := checktest.Bench(b, checks, s); len(out) != 4 {
		b.Fatalf("careless spec: %d findings, want 4: %v", len(out), out)
	}
}

// BenchmarkPassingPodBigCluster must report 0 allocs/op: a pod that a
// default deny isolates, judged with a 1,000-object Cluster (50 namespaces
// of policies, services and service accounts).
func BenchmarkPassingPodBigCluster(b *testing.B) {
	checktest.BenchPassing(b, network.Checks(), podIn("team-07", "web", bigCluster(1000)))
}

// BenchmarkFailingPodBigCluster is its baseline: a pod of the same cluster
// in a namespace without policies (every namespace of bigCluster has a
// default deny, team-99 is not among them), so not isolated.
func BenchmarkFailingPodBigCluster(b *testing.B) {
	cluster := bigCluster(1000)
	s := podIn("team-99", "app-104", cluster)
	if out := checktest.Bench(b, network.Checks(), s); len(out) != 1 {
		b.Fatalf("%d findings, want 1: %v", len(out), out)
	}
}
