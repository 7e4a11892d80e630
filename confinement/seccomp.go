package confinement

// Checks confinement.seccomp-missing, confinement.seccomp-allow-default,
// confinement.seccomp-arch-missing, confinement.seccomp-spec-allow and
// confinement.seccomp-notify: the seccomp filter's presence and its
// settings other than the per-syscall rules (see escape.go for those).
//
// OCI spec fields:
//
//	linux.seccomp                        present, with a defaultAction or syscalls (runc treats a
//	                                     section with neither as no filter at all)
//	linux.seccomp.defaultAction          SCMP_ACT_ERRNO, SCMP_ACT_KILL, SCMP_ACT_KILL_THREAD,
//	                                     SCMP_ACT_KILL_PROCESS, SCMP_ACT_TRAP (not SCMP_ACT_ALLOW or SCMP_ACT_LOG)
//	linux.seccomp.architectures          with a default that stops calls: each native architecture
//	                                     listed with its compat ABIs, as Docker lists them
//	                                     (x86_64: x86, x32; aarch64: arm; s390x: s390; mips64 and
//	                                     mips64n32: mips and the other; likewise little-endian mips)
//	linux.seccomp.flags[*]               anything but SECCOMP_FILTER_FLAG_SPEC_ALLOW (an absent flags
//	                                     field is not reported, though runc and crun then add that
//	                                     flag themselves; runc not for an empty list)
//	linux.seccomp.listenerPath           empty
//	linux.seccomp.syscalls[*].action     anything but SCMP_ACT_NOTIFY
//
// Specs that describe another platform (a windows, solaris, vm, zos or
// freebsd section and no linux section) are skipped.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// SeccompMissing reports Linux specs without a seccomp filter.
var SeccompMissing = &hardening.Check{
	ID:       "confinement.seccomp-missing",
	Title:    "no seccomp profile",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Without a seccomp filter the container can call every syscall the kernel has — unshare, mount, keyctl, bpf, " +
		"io_uring — and each kernel bug behind them is an escape. Docker and containerd apply a default profile only when " +
		"asked (Docker unless --privileged or seccomp=unconfined; containerd CRI only for RuntimeDefault); runc and crun apply " +
		"only what the spec says.",
	Remediation: "Set linux.seccomp to the runtime's default profile (Docker's, containerd's contrib/seccomp) or a reviewed " +
		"allow-list profile with defaultAction SCMP_ACT_ERRNO.",
	References: []hardening.Reference{refCIS("5.22"), refDockerSeccomp, refSeccompSpec, refNCCEscape},
	Fix:        fixSeccompSpec,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		spec := s.LinuxSpec()
		if spec == nil {
			return out
		}
		var sc *runtimespec.LinuxSeccomp
		if spec.Linux != nil {
			sc = spec.Linux.Seccomp
		}
		if sc == nil {
			return append(out, hardening.Finding{
				Path:    "linux.seccomp",
				Message: "linux.seccomp is not set: the container runs without a seccomp filter and may call every syscall",
			})
		}
		// runc (libcontainer/specconv SetupSeccomp) loads no filter for a
		// section without defaultAction and syscalls. A live subject's
		// section is empty because its content is unobserved: no verdict.
		if sc.DefaultAction == "" && len(sc.Syscalls) == 0 &&
			s.Observed("linux.seccomp.defaultAction") && s.Observed("linux.seccomp.syscalls") {
			return append(out, hardening.Finding{
				Path: "linux.seccomp.defaultAction",
				Message: "linux.seccomp has no defaultAction and no syscalls: runc treats the section as no seccomp filter at all, " +
					"and the container may call every syscall",
			})
		}
		return out
	},
}

// SeccompAllowDefault reports seccomp profiles that allow what they do not
// name: deny lists.
var SeccompAllowDefault = &hardening.Check{
	ID:       "confinement.seccomp-allow-default",
	Title:    "seccomp profile allows by default",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A profile whose defaultAction is SCMP_ACT_ALLOW or SCMP_ACT_LOG is a deny list: every syscall it forgets, and " +
		"every syscall a newer kernel adds (io_uring, the new mount API, open_tree…), is allowed. Escapes keep finding the gap.",
	Remediation: "Make the profile an allow list: defaultAction SCMP_ACT_ERRNO, with rules allowing the syscalls the workload " +
		"needs; start from the runtime's default profile.",
	References: []hardening.Reference{refCIS("5.22"), refDockerSeccomp, refSeccompSpec},
	Run:        runSeccompAllowDefault,
	Fix:        fixSeccompSpec,
}

func runSeccompAllowDefault(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.seccomp.defaultAction") {
		return out // not observed: no verdict
	}
	sc := seccompOf(s)
	if sc == nil || actionLets(sc.DefaultAction) != letsAllow {
		return out
	}
	var a analysis
	analyse(sc, &a)
	var open []string
	for k := range numEscape {
		if a.letsThrough(k, a.traceOK) != letsNo {
			open = append(open, escapeSyscalls[k].name)
		}
	}
	msg := "defaultAction is " + strconv.Quote(string(sc.DefaultAction)) + ": the profile is a deny list and allows every syscall no rule names"
	if len(open) > 0 {
		msg += "; no rule stops " + strconv.Itoa(len(open)) + " of the " + strconv.Itoa(numEscape) +
			" escape-relevant syscalls bulwark tracks: " + strings.Join(open, ", ")
	}
	return append(out, hardening.Finding{Path: "linux.seccomp.defaultAction", Message: msg})
}

// compatArches are the architectures Docker's default profile adds to each
// native one (moby/profiles seccomp arches()).
var compatArches = [...]struct {
	native runtimespec.Arch
	compat []runtimespec.Arch
}{
	{runtimespec.ArchX86_64, []runtimespec.Arch{runtimespec.ArchX86, runtimespec.ArchX32}},
	{runtimespec.ArchAARCH64, []runtimespec.Arch{runtimespec.ArchARM}},
	{runtimespec.ArchMIPS64, []runtimespec.Arch{runtimespec.ArchMIPS, runtimespec.ArchMIPS64N32}},
	{runtimespec.ArchMIPS64N32, []runtimespec.Arch{runtimespec.ArchMIPS, runtimespec.ArchMIPS64}},
	{runtimespec.ArchMIPSEL64, []runtimespec.Arch{runtimespec.ArchMIPSEL, runtimespec.ArchMIPSEL64N32}},
	{runtimespec.ArchMIPSEL64N32, []runtimespec.Arch{runtimespec.ArchMIPSEL, runtimespec.ArchMIPSEL64}},
	{runtimespec.ArchS390X, []runtimespec.Arch{runtimespec.ArchS390}},
}

// SeccompArchMissing reports default-deny profiles that list a native
// architecture without its compat ABIs.
//
// This is a compatibility finding, not a bypass: libseccomp (used by runc
// and crun) always checks the architecture of each call, and a call from
// an ABI the filter does not list gets the filter's bad-architecture
// action, which runc and crun leave at libseccomp's default, SCMP_ACT_KILL.
// On x86_64 libseccomp also routes x32 calls (syscall numbers with bit 30
// set) to that action when SCMP_ARCH_X32 is not listed. So 32-bit programs
// are killed with SIGSYS rather than filtered; nothing gets through.
var SeccompArchMissing = &hardening.Check{
	ID:       "confinement.seccomp-arch-missing",
	Title:    "seccomp profile omits compat architectures",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A filter that lists x86_64 but not x86 and x32 (or aarch64 but not arm) does not let 32-bit syscalls bypass it: " +
		"libseccomp kills calls from unlisted ABIs (its default bad-architecture action, which runc and crun keep). The effect " +
		"is that 32-bit programs in the image die with SIGSYS instead of being filtered like 64-bit ones, which pushes users " +
		"to switch seccomp off. Docker lists the compat ABIs.",
	Remediation: "List the compat architectures next to the native one, as Docker does: SCMP_ARCH_X86_64 with SCMP_ARCH_X86 and " +
		"SCMP_ARCH_X32; SCMP_ARCH_AARCH64 with SCMP_ARCH_ARM.",
	References: []hardening.Reference{
		refSeccompSpec,
		{Kind: hardening.RefDoc, ID: "seccomp_attr_set(3) SCMP_FLTATR_ACT_BADARCH", URL: "https://man7.org/linux/man-pages/man3/seccomp_attr_set.3.html"},
		refDockerSeccomp,
	},
	Run: runSeccompArchMissing,
}

func runSeccompArchMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.seccomp.architectures") {
		return out // not observed: no verdict
	}
	sc := seccompOf(s)
	if sc == nil || actionLets(sc.DefaultAction) == letsAllow {
		return out
	}
	for _, ca := range compatArches {
		if !hasArch(sc.Architectures, ca.native) {
			continue
		}
		missing := 0
		for _, c := range ca.compat {
			if !hasArch(sc.Architectures, c) {
				missing++
			}
		}
		if missing == 0 {
			continue
		}
		var names []string
		for _, c := range ca.compat {
			if !hasArch(sc.Architectures, c) {
				names = append(names, string(c))
			}
		}
		out = append(out, hardening.Finding{
			Path: "linux.seccomp.architectures",
			Message: "architectures lists " + string(ca.native) + " without " + strings.Join(names, " and ") +
				": calls from those ABIs are killed (libseccomp's bad-architecture action), not filtered, so 32-bit programs die with SIGSYS",
		})
	}
	return out
}

func hasArch(list []runtimespec.Arch, a runtimespec.Arch) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// SeccompSpecAllow reports filters that turn off the Speculative Store
// Bypass mitigation.
var SeccompSpecAllow = &hardening.Check{
	ID:       "confinement.seccomp-spec-allow",
	Title:    "seccomp filter disables the speculative store bypass mitigation",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "On kernels booted with spec_store_bypass_disable=seccomp (the default before Linux 5.16), installing a seccomp " +
		"filter also turns on the Speculative Store Bypass (Spectre v4) mitigation; SECCOMP_FILTER_FLAG_SPEC_ALLOW keeps it " +
		"off, leaving the process open to that side channel. Only the explicit flag is reported, though runc and crun add " +
		"it themselves when linux.seccomp.flags is absent (runc not when it is an empty list).",
	Remediation: "Remove SECCOMP_FILTER_FLAG_SPEC_ALLOW from linux.seccomp.flags unless a measured performance need justifies it; " +
		"to have runc or crun force the mitigation, set flags to an empty list rather than leaving it out.",
	References: []hardening.Reference{
		refSeccomp2,
		{Kind: hardening.RefCVE, ID: "CVE-2018-3639", URL: "https://nvd.nist.gov/vuln/detail/CVE-2018-3639"},
		refSeccompSpec,
	},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		sc := seccompOf(s)
		if sc == nil || !s.Observed("linux.seccomp.flags") {
			return out
		}
		for i, f := range sc.Flags {
			if f == runtimespec.LinuxSeccompFlagSpecAllow {
				out = append(out, hardening.Finding{
					Path:    hardening.Index("linux.seccomp.flags", i),
					Message: "flags holds " + string(f) + ": the filter does not force the Speculative Store Bypass mitigation on",
				})
			}
		}
		return out
	},
}

// SeccompNotify reports filters that hand syscall decisions to a
// user-space agent.
var SeccompNotify = &hardening.Check{
	ID:       "confinement.seccomp-notify",
	Title:    "seccomp decisions delegated to an agent",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindOCISpec,
	Rationale: "SCMP_ACT_NOTIFY suspends the call and asks the agent listening on listenerPath, on the host, what to do; the " +
		"agent can let it proceed or perform it on the container's behalf with the agent's own privileges. The filter is " +
		"then only as strict as the agent, which becomes part of the trusted computing base.",
	Remediation: "Make sure the agent on listenerPath is trusted, maintained and fails closed; prefer a plain allow or deny " +
		"where no agent is needed.",
	References: []hardening.Reference{
		refSeccompSpec,
		{Kind: hardening.RefDoc, ID: "seccomp_unotify(2)", URL: "https://man7.org/linux/man-pages/man2/seccomp_unotify.2.html"},
	},
	Run: runSeccompNotify,
}

func runSeccompNotify(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.seccomp.syscalls") {
		return out // not observed: no verdict
	}
	sc := seccompOf(s)
	if sc == nil {
		return out
	}
	if sc.DefaultAction == runtimespec.ActNotify {
		out = append(out, hardening.Finding{
			Path:    "linux.seccomp.defaultAction",
			Message: "defaultAction is SCMP_ACT_NOTIFY: the agent decides every syscall no rule names (runc refuses this default)",
		})
	}
	if sc.ListenerPath != "" {
		out = append(out, hardening.Finding{
			Path:    "linux.seccomp.listenerPath",
			Message: "listenerPath is " + strconv.Quote(sc.ListenerPath) + ": the runtime sends the filter's notification descriptor to the agent listening there",
		})
	}
	for i := range sc.Syscalls {
		r := &sc.Syscalls[i]
		if r.Action != runtimespec.ActNotify {
			continue
		}
		msg := "SCMP_ACT_NOTIFY delegates " + strings.Join(r.Names, ", ") + " to the agent"
		if sc.ListenerPath == "" {
			msg += ", but listenerPath is empty: the spec names no agent to receive the notifications"
		}
		out = append(out, hardening.Finding{Path: hardening.Index("linux.seccomp.syscalls", i) + ".action", Message: msg})
	}
	return out
}
