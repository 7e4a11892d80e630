package hooks_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hooks"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// The passing benchmarks must report 0 allocs/op.

func BenchmarkPassingSpec(b *testing.B) {
	checktest.BenchPassing(b, hooks.Checks(), hardening.NewSpecSubject("config.json", hardenedSpec()))
}

// BenchmarkPassingSpecSafeHooks runs hooks.unsafe-path alone over safe
// hooks in every stage (hooks.runtime-hooks reports every hook, so a spec
// with hooks never passes it).
func BenchmarkPassingSpecSafeHooks(b *testing.B) {
	spec := hardenedSpec()
	h := []runtimespec.Hook{hook("/usr/libexec/oci/hooks.d/netns", "netns", "--bridge", "cni0"), hook("/usr/bin/nvidia-container-runtime-hook")}
	spec.Hooks = &runtimespec.Hooks{Prestart: h, CreateRuntime: h, CreateContainer: h, StartContainer: h, Poststart: h, Poststop: h}
	checks := hardening.Checks{hooks.UnsafePath}
	s := hardening.NewSpecSubject("config.json", spec)
	checktest.BenchPassing(b, checks, s)
}
