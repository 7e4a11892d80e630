package cgroups_test

import (
	"strconv"
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

// thousandObjects is a view of 1,000 LimitRanges over 100 namespaces, and
// prod's, which defaults memory and CPU.
func thousandObjects() *hardening.Cluster {
	objects := make([]hardening.ClusterObject, 0, 1000)
	for i := range 999 {
		objects = append(objects, limitRange("ns-"+strconv.Itoa(i%100), "lr-"+strconv.Itoa(i), containerItem(list("cpu", "1"), nil, nil, nil)))
	}
	return hardening.NewCluster(append(objects, limitRange("prod", "defaults",
		containerItem(list("cpu", "500m", "memory", "512Mi"), list("cpu", "100m", "memory", "256Mi"), nil, nil))))
}

// passesByLimitRange sets only ephemeral-storage: its namespace's
// LimitRange gives it CPU and memory.
func passesByLimitRange() *hardening.Subject {
	pod := hardenedPod()
	pod.Spec.Containers[0].Resources = corev1.ResourceRequirements{Limits: list("ephemeral-storage", "1Gi")}
	s := hardening.NewPodSubject(pod)
	s.Cluster = thousandObjects()
	return s
}

// BenchmarkPassingPodInView must report 0 allocs/op: a pod that passes
// because its namespace's LimitRange, found in a view of 1,000 objects,
// gives it CPU and memory costs nothing either.
func BenchmarkPassingPodInView(b *testing.B) {
	checktest.BenchPassing(b, cgroups.Checks(), passesByLimitRange())
}

// The allocation promise holds in every test run, with the set check
// observing through a runner.
func TestPassingPodInViewCostsNothing(t *testing.T) {
	s := passesByLimitRange()
	r, err := hardening.NewRunner(cgroups.Checks(), hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]hardening.Finding, 0, 8)
	if out = r.Check(s, out); len(out) != 0 {
		t.Fatalf("the pod must pass: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing pod in a view of 1,000 objects costs %v allocations", n)
	}
	if f := r.Finish(); len(f) != 0 {
		t.Errorf("prod is bounded: %v", f)
	}
}
