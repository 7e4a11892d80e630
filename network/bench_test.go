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
