package confinement

import (
	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// Checks returns the general checks of this package (not the Pod Security
// Standards controls: see [PSSControls]), sorted by ID. The slice is new on
// every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		AppArmorUnconfined,
		LSMMissing,
		SeccompAllowDefault,
		SeccompArchMissing,
		SeccompEscapeSyscalls,
		SeccompMissing,
		SeccompNotify,
		SeccompSpecAllow,
		SELinuxUnconfined,
	}
}

// References shared by the checks of this package.
var (
	refSeccompSpec = hardening.Reference{Kind: hardening.RefDoc, ID: "runtime-spec config-linux seccomp",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#seccomp"}
	refSeccomp2      = hardening.Reference{Kind: hardening.RefDoc, ID: "seccomp(2)", URL: "https://man7.org/linux/man-pages/man2/seccomp.2.html"}
	refDockerSeccomp = hardening.Reference{Kind: hardening.RefDoc, ID: "Docker seccomp profiles",
		URL: "https://docs.docker.com/engine/security/seccomp/"}
	refNCCEscape = hardening.NCC("7 container escape")
	refCIS       = hardening.CISDocker
)

// seccompOf returns the spec's seccomp section, or nil when there is none
// or it is one runc loads no filter for: no defaultAction and no syscalls
// (libcontainer/specconv SetupSeccomp). confinement.seccomp-missing
// reports both.
func seccompOf(s *hardening.Subject) *runtimespec.LinuxSeccomp {
	spec := s.LinuxSpec()
	if spec == nil || spec.Linux == nil {
		return nil
	}
	if sc := spec.Linux.Seccomp; sc != nil && sc.DefaultAction == "" && len(sc.Syscalls) == 0 {
		return nil
	}
	return spec.Linux.Seccomp
}
