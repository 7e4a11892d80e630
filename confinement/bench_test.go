package confinement_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/bulwarkdev/bulwark/confinement"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// The passing benchmarks must report 0 allocs/op: a subject that passes
// costs nothing but the time to look at it.

func benchPassing(b *testing.B, spec *runtimespec.Spec) {
	checktest.BenchPassing(b, confinement.Checks(), hardening.NewSpecSubject("config.json", spec))
}

func BenchmarkPassingSpec(b *testing.B) { benchPassing(b, hardenedSpec()) }

// BenchmarkPassingSpecDockerDefault runs the checks over Docker's real
// default profile (367 names), with an SELinux label added so it passes.
func BenchmarkPassingSpecDockerDefault(b *testing.B) {
	data, err := os.ReadFile("testdata/docker-default-seccomp.json")
	if err != nil {
		b.Fatal(err)
	}
	var spec runtimespec.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		b.Fatal(err)
	}
	spec.Process.SelinuxLabel = "system_u:system_r:container_t:s0:c12,c34"
	benchPassing(b, &spec)
}

// BenchmarkFailingSpec is the baseline: a spec with findings in most
// checks, so the cost of building messages and paths is visible.
func BenchmarkFailingSpec(b *testing.B) {
	spec := hardenedSpec()
	sc := spec.Linux.Seccomp
	sc.Architectures = sc.Architectures[:1]
	sc.Flags = []runtimespec.LinuxSeccompFlag{runtimespec.LinuxSeccompFlagSpecAllow}
	sc.Syscalls[2].Args[0].Value = cloneNamespaces &^ 0x10000000
	sc.Syscalls = append(sc.Syscalls, allow("bpf", "keyctl", "setns"))
	spec.Process.ApparmorProfile = "unconfined"
	spec.Process.SelinuxLabel = "system_u:system_r:spc_t:s0"
	checks := confinement.Checks()
	s := hardening.NewSpecSubject("config.json", spec)
	if out := checktest.Bench(b, checks, s); len(out) == 0 {
		b.Fatal("careless spec passed")
	}
}
