package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/network"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checks := network.Checks()
	s := hardening.NewPodSubject(hardenedPod())
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	if len(out) != 0 {
		b.Fatalf("hardened pod has findings: %v", out)
	}
}

// BenchmarkPassingSpec must report 0 allocs/op: a hardened OCI spec, with
// sysctls to look at, costs nothing but the time to look at it.
func BenchmarkPassingSpec(b *testing.B) {
	checks := network.Checks()
	s := hardening.NewSpecSubject("config.json", hardenedSpec())
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	if len(out) != 0 {
		b.Fatalf("hardened spec has findings: %v", out)
	}
}

// BenchmarkFailingSpec is the baseline: docker run --network host with
// NET_RAW and its sysctls.
func BenchmarkFailingSpec(b *testing.B) {
	checks := network.Checks()
	spec := hardenedSpec()
	without(spec, "network")
	s := hardening.NewSpecSubject("config.json", spec)
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	if len(out) != 4 {
		b.Fatalf("careless spec: %d findings, want 4: %v", len(out), out)
	}
}
