package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	corev1 "k8s.io/api/core/v1"
)

// The passing benchmarks must report 0 allocs/op: a subject that passes
// costs nothing but the time to look at it.

func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, capabilities.Checks(), hardening.NewPodSubject(hardenedPod()))
}

func BenchmarkPassingSpec(b *testing.B) {
	checktest.BenchPassing(b, capabilities.Checks(), hardening.NewSpecSubject("config.json", hardenedSpec()))
}

// BenchmarkFailingPod is the baseline: a careless pod with findings in every
// check, so the cost of building messages and paths is visible.
func BenchmarkFailingPod(b *testing.B) {
	checks := capabilities.Checks()
	pod := hardenedPod()
	pod.Spec.SecurityContext = nil
	pod.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{
		Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"SYS_ADMIN", "NET_ADMIN"}},
	}
	s := hardening.NewPodSubject(pod)
	if out := checktest.Bench(b, checks, s); len(out) == 0 {
		b.Fatal("careless pod passed")
	}
}
