package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/namespaces"
	rs "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, namespaces.Checks(), hardening.NewPodSubject(hardenedPod()))
}

// BenchmarkFailingPod is the baseline: a careless pod with a finding in
// every check.
func BenchmarkFailingPod(b *testing.B) {
	checks := namespaces.Checks()
	pod := hardenedPod()
	pod.Spec.HostUsers = nil
	pod.Spec.ShareProcessNamespace = ptr(true)
	pod.Spec.Volumes[1].HostPath.Path = "/var/lib/kubelet" // a socket would get no writable-host-path finding
	c := &pod.Spec.Containers[0]
	c.SecurityContext = nil
	c.VolumeMounts[1].ReadOnly = false
	c.VolumeMounts[1].MountPropagation = ptr(corev1.MountPropagationBidirectional)
	s := hardening.NewPodSubject(pod)
	if out := checktest.Bench(b, checks, s); len(out) != 6 {
		b.Fatalf("careless pod: %d findings, want 6", len(out))
	}
}

// BenchmarkPassingSpec must report 0 allocs/op: the hardened spec passes
// every OCI check of the package.
func BenchmarkPassingSpec(b *testing.B) {
	checktest.BenchPassing(b, namespaces.Checks(), hardening.NewSpecSubject("config.json", hardenedSpec()))
}

// BenchmarkFailingSpec is the baseline: what `docker run --privileged -v
// /var/run/docker.sock:/var/run/docker.sock` emits, with findings in most
// checks.
func BenchmarkFailingSpec(b *testing.B) {
	checks := namespaces.Checks()
	spec := hardenedSpec()
	spec.Process.NoNewPrivileges = false
	spec.Root.Readonly = false
	spec.Linux.Namespaces = spec.Linux.Namespaces[:5]
	spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths = nil, nil
	spec.Mounts[mSys].Options = []string{"nosuid", "noexec", "nodev", "rw"}
	spec.Mounts[mCgroup].Options = []string{"nosuid", "noexec", "nodev", "rw"}
	spec.Mounts = append(spec.Mounts, rs.Mount{Destination: "/var/run/docker.sock", Type: "bind", Source: "/var/run/docker.sock", Options: []string{"rbind", "rprivate"}})
	s := hardening.NewSpecSubject("config.json", spec)
	if out := checktest.Bench(b, checks, s); len(out) != 7 {
		b.Fatalf("careless spec: %d findings, want 7 (user-namespace-missing joins namespace-missing at one path): %v", len(out), out)
	}
}
