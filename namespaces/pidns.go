package namespaces

// Check namespaces.share-process-namespace: the containers of a Pod share
// one PID namespace.
//
// Pod fields:
//
//	spec.shareProcessNamespace
//
// Allowed values: false or unset. (Sharing the host's PID namespace,
// hostPID, is the Pod Security Standards control
// namespaces.pss-host-namespaces.)

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ShareProcessNamespace reports Pods whose containers share a PID
// namespace.
var ShareProcessNamespace = &hardening.Check{
	ID:       "namespaces.share-process-namespace",
	Title:    "containers share a process namespace",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "With a shared PID namespace every container sees and can signal the others' processes, and reaches their environment " +
		"and files through /proc/<pid>/environ and /proc/<pid>/root when it runs as the same uid or holds SYS_PTRACE: " +
		"a compromised sidecar reads the main container's secrets.",
	Remediation: "Remove shareProcessNamespace: true unless a sidecar must signal or inspect another container's processes; " +
		"then run the containers as different uids.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes share process namespace", URL: "https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/"},
		nsRefNCC("cross-container"),
	},
	Run: runShareProcessNamespace,
}

func runShareProcessNamespace(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Pod.Spec.ShareProcessNamespace == nil || !*s.Pod.Spec.ShareProcessNamespace {
		return out
	}
	n := 0
	for range s.Containers {
		n++
	}
	return append(out, hardening.Finding{
		Path: s.SpecPath("shareProcessNamespace"),
		Message: "the pod sets shareProcessNamespace: true: its " + strconv.Itoa(n) +
			" containers see each other's processes and, as the same uid, their environment and files",
	})
}
