package namespaces

// Check namespaces.host-users: the Pod runs in the host's user namespace.
//
// Pod fields:
//
//	spec.hostUsers
//
// Allowed values: false. Unset means true. User namespaces need Linux 6.3+
// with idmapped mounts on the node's filesystems, a runtime that supports
// them (containerd 2.0+, CRI-O 1.25+) and Kubernetes 1.33+ (or the
// UserNamespacesSupport feature gate before), so the finding is
// informational. Windows pods are skipped: the API forbids hostUsers there.

import (
	"github.com/bulwarkdev/bulwark/hardening"
)

// HostUsers reports Pods that do not ask for a user namespace.
var HostUsers = &hardening.Check{
	ID:       "namespaces.host-users",
	Title:    "pod runs in the host user namespace",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "In the host's user namespace, uid 0 and every capability in a container are uid 0 and those capabilities on the node, " +
		"held back only by the other layers. With hostUsers: false the pod's uids map to an unprivileged host range, so an escape " +
		"lands as nobody, and runtime escapes that rely on host root, such as CVE-2019-5736, stop working.",
	Remediation: "Set spec.hostUsers: false on nodes that support user namespaces (Kubernetes 1.33+, Linux 6.3+, containerd 2.0+ or CRI-O 1.25+). " +
		"Pods that use hostNetwork, hostPID or hostIPC cannot.",
	References: []hardening.Reference{
		nsRefCIS("5.31"),
		{Kind: hardening.RefDoc, ID: "Kubernetes user namespaces", URL: "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"},
		nsRefNCC("container escape"),
	},
	Run: runHostUsers,
}

func runHostUsers(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || windowsPod(s) {
		return out
	}
	hu := s.Pod.Spec.HostUsers
	if hu != nil && !*hu {
		return out
	}
	msg := "the pod does not set hostUsers: false, so it shares the node's user namespace: uid 0 inside is uid 0 on the node"
	if hu != nil {
		msg = "the pod sets hostUsers: true, so it shares the node's user namespace: uid 0 inside is uid 0 on the node"
	}
	return append(out, hardening.Finding{Path: s.SpecPath("hostUsers"), Message: msg})
}
