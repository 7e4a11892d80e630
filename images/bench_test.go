package images_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it. The hardened pod parses two image
// references and reads five environment variables.
func BenchmarkPassingPod(b *testing.B) {
	checks := images.Checks()
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

// BenchmarkFailingPod is the baseline: an unpinned image and a literal
// password.
func BenchmarkFailingPod(b *testing.B) {
	checks := images.Checks()
	pod := hardenedPod()
	image("registry.example/app:1.2", "")(pod)
	env("DB_PASSWORD", "hunter2")(pod)
	s := hardening.NewPodSubject(pod)
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	if len(out) != 3 {
		b.Fatalf("careless pod: %d findings, want 3", len(out))
	}
}
