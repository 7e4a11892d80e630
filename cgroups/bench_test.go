package cgroups_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, cgroups.Checks(), hardening.NewPodSubject(hardenedPod()))
}

// BenchmarkFailingPod is the baseline: a container with no resources at
// all, reported by every check.
func BenchmarkFailingPod(b *testing.B) {
	checks := cgroups.Checks()
	pod := hardenedPod()
	pod.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
	s := hardening.NewPodSubject(pod)
	if out := checktest.Bench(b, checks, s); len(out) != 5 {
		b.Fatalf("careless pod: %d findings, want 5", len(out))
	}
}

// BenchmarkPassingSpec must report 0 allocs/op: a hardened OCI spec costs
// nothing but the time to look at it.
func BenchmarkPassingSpec(b *testing.B) {
	checktest.BenchPassing(b, cgroups.Checks(), hardening.NewSpecSubject("config.json", hardenedSpec()))
}

// BenchmarkFailingSpec is the baseline: a spec with no limits at all and an
// open device cgroup.
func BenchmarkFailingSpec(b *testing.B) {
	checks := cgroups.Checks()
	spec := hardenedSpec()
	spec.Linux.Resources = &runtimespec.LinuxResources{Devices: []runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}}
	spec.Process.Rlimits = nil
	s := hardening.NewSpecSubject("config.json", spec)
	if out := checktest.Bench(b, checks, s); len(out) != 5 {
		b.Fatalf("careless spec: %d findings, want 5: %v", len(out), out)
	}
}
