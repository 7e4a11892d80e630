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
	refNCCEscape = hardening.Reference{Kind: hardening.RefNCC, ID: "7 container escape",
		URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"}
	refCIS = func(item string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefCIS, ID: item, URL: "https://www.cisecurity.org/benchmark/docker"}
	}
)

// linuxSpec returns the spec of an OCI subject that describes a Linux
// container, or nil. A spec without a linux section that has another
// platform's section (windows, solaris, vm, zos, freebsd) is not a Linux
// container, and Linux controls do not apply to it.
func linuxSpec(s *hardening.Subject) *runtimespec.Spec {
	spec := s.Spec
	if spec == nil {
		return nil
	}
	if spec.Linux == nil && (spec.Windows != nil || spec.Solaris != nil || spec.VM != nil || spec.ZOS != nil || spec.FreeBSD != nil) {
		return nil
	}
	return spec
}

// seccompOf returns the spec's seccomp section, or nil when there is none
// or it is one runc loads no filter for: no defaultAction and no syscalls
// (libcontainer/specconv SetupSeccomp). confinement.seccomp-missing
// reports both.
func seccompOf(s *hardening.Subject) *runtimespec.LinuxSeccomp {
	spec := linuxSpec(s)
	if spec == nil || spec.Linux == nil {
		return nil
	}
	if sc := spec.Linux.Seccomp; sc != nil && sc.DefaultAction == "" && len(sc.Syscalls) == 0 {
		return nil
	}
	return spec.Linux.Seccomp
}
