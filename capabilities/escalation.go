package capabilities

// Check capabilities.privilege-escalation: the process may gain privileges
// through setuid binaries and file capabilities.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.allowPrivilegeEscalation
//
// Allowed values: false, set explicitly. Unset means true: the kubelet sets
// no_new_privs only for an explicit false. Privileged containers are left to
// capabilities.privileged; Windows pods are skipped.
//
// OCI spec fields: process.noNewPrivileges.
//
// Allowed values: true. Docker and containerd's CRI plugin leave it false
// unless asked (see shared research oci/defaults.md).

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// PrivilegeEscalation reports processes started without no_new_privs.
var PrivilegeEscalation = &hardening.Check{
	ID:       "capabilities.privilege-escalation",
	Title:    "privilege escalation allowed",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "Without no_new_privs, executing a setuid binary or one with file capabilities raises the process's privileges, " +
		"so a non-root process can become root inside the container and reach everything root can.",
	Remediation: "Set securityContext.allowPrivilegeEscalation: false (Kubernetes), process.noNewPrivileges: true (OCI), or run with --security-opt no-new-privileges (Docker).",
	References: []hardening.Reference{
		refCIS("5.26"),
		{Kind: hardening.RefPSS, ID: "restricted/privilege-escalation", URL: refPSSRestricted},
		{Kind: hardening.RefDoc, ID: "no_new_privs", URL: "https://docs.kernel.org/userspace-api/no_new_privs.html"},
	},
	Run: runPrivilegeEscalation,
	Fix: fixPrivilegeEscalation,
}

func runPrivilegeEscalation(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		if s.WindowsPod() {
			return out
		}
		for c := range s.Containers {
			if isPrivileged(c) {
				continue
			}
			var ape *bool
			if c.SecurityContext != nil {
				ape = c.SecurityContext.AllowPrivilegeEscalation
			}
			if ape != nil && !*ape {
				continue
			}
			msg := "container " + strconv.Quote(c.Name)
			if ape == nil {
				msg += " does not set allowPrivilegeEscalation, which defaults to true"
			} else {
				msg += " sets allowPrivilegeEscalation: true"
			}
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "securityContext.allowPrivilegeEscalation"),
				Message:   msg + ": setuid binaries and file capabilities can raise its privileges",
			})
		}
	case hardening.KindOCISpec:
		if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.NoNewPrivileges {
			return out
		}
		out = append(out, hardening.Finding{
			Path:    "process.noNewPrivileges",
			Message: "noNewPrivileges is not true: setuid binaries and file capabilities can raise the process's privileges",
		})
	}
	return out
}
