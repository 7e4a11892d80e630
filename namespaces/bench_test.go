package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/namespaces"
	corev1 "k8s.io/api/core/v1"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checks := namespaces.Checks()
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

// BenchmarkFailingPod is the baseline: a careless pod with a finding in
// every check.
func BenchmarkFailingPod(b *testing.B) {
	checks := namespaces.Checks()
	pod := hardenedPod()
	pod.Spec.HostUsers = nil
	pod.Spec.ShareProcessNamespace = ptr(true)
	pod.Spec.Volumes[1].HostPath.Path = "/var/run/docker.sock"
	c := &pod.Spec.Containers[0]
	c.SecurityContext = nil
	c.VolumeMounts[1].ReadOnly = false
	c.VolumeMounts[1].MountPropagation = ptr(corev1.MountPropagationBidirectional)
	s := hardening.NewPodSubject(pod)
	var out []hardening.Finding
	b.ReportAllocs()
	for b.Loop() {
		out = checks.Check(s, out[:0])
	}
	if len(out) != 6 {
		b.Fatalf("careless pod: %d findings, want 6", len(out))
	}
}
