package capabilities

// Check capabilities.setuid-escalation: a non-root process may become root
// through a setuid binary, with nothing filtering what root then does.
//
// OCI spec fields:
//
//	process.noNewPrivileges
//	process.user.uid
//	linux.seccomp
//
// Allowed values: noNewPrivileges true, or uid 0 (already root: nothing to
// escalate to; capabilities.runs-as-root reports it), or a seccomp filter
// set. The check is the composite of the three; capabilities.privilege-
// escalation reports noNewPrivileges alone for every uid.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SetuidEscalation reports non-root OCI processes that may escalate through
// setuid binaries while running without a seccomp filter.
var SetuidEscalation = &hardening.Check{
	ID:       "capabilities.setuid-escalation",
	Title:    "non-root process can become root through setuid binaries",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Running as a non-root uid protects only if the process cannot become root again. Without no_new_privs, " +
		"executing a setuid-root binary from the image (su, mount, ping on older images) gives uid 0 and the bounding set; " +
		"without a seccomp filter nothing then limits the syscalls that root can make.",
	Remediation: "Set process.noNewPrivileges: true (Docker: --security-opt no-new-privileges; Kubernetes: " +
		"allowPrivilegeEscalation: false), and set a seccomp profile.",
	References: []hardening.Reference{
		refCIS("5.26"),
		{Kind: hardening.RefDoc, ID: "no_new_privs", URL: "https://docs.kernel.org/userspace-api/no_new_privs.html"},
	},
	Run: runSetuidEscalation,
	Fix: fixPrivilegeEscalation,
}

func runSetuidEscalation(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.Spec
	if spec == nil || spec.Process == nil || spec.Process.NoNewPrivileges || spec.Process.User.UID == 0 {
		return out
	}
	if spec.Linux != nil && spec.Linux.Seccomp != nil {
		return out
	}
	return append(out, hardening.Finding{
		Path: "process.noNewPrivileges",
		Message: "noNewPrivileges is false for uid " + strconv.FormatUint(uint64(spec.Process.User.UID), 10) +
			" and linux.seccomp is not set: a setuid-root binary makes the process root, with every syscall open to it",
	})
}
