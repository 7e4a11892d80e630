package posture

// Checks posture.default-namespace and posture.system-namespace: where a
// workload is placed.
//
// Pod fields: the workload's metadata.namespace (the Pod's own for a bare
// Pod), and, for system-namespace, spec.priorityClassName.
//
// Allowed values: a namespace other than default (default-namespace), and
// other than kube-system, kube-public and kube-node-lease
// (system-namespace). An empty or absent metadata.namespace is
// unspecified, not default: the namespace is then chosen when the manifest
// is applied (kubectl -n, the context's namespace, helm --namespace), and
// nothing is reported. In kube-system, a pod with priorityClassName
// system-node-critical or system-cluster-critical declares itself a
// component of the cluster (a CNI, kube-proxy, CoreDNS, metrics-server) and
// is not reported: kube-system is where those live.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// DefaultNamespace reports workloads placed explicitly in the default
// namespace.
var DefaultNamespace = &hardening.Check{
	ID:        "posture.default-namespace",
	Title:     "workload placed in the default namespace",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindPod,
	Platforms: hardening.PlatformAll,
	Rationale: "The default namespace is where every command without -n and every new user's context lands. A workload there " +
		"shares its RBAC, NetworkPolicies, quotas and Pod Security labels with whatever else lands there, so none of them can " +
		"be cut to fit it.",
	Remediation: "Give the application a namespace of its own, with its own RBAC, NetworkPolicies, LimitRange, quota and Pod " +
		"Security labels, and set metadata.namespace to it (or leave it out and choose the namespace when applying).",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.7.1, 5.7.4", URL: "https://www.cisecurity.org/benchmark/kubernetes"},
		{Kind: hardening.RefDoc, ID: "Kubernetes namespaces", URL: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/"},
		refNCCManagement,
	},
	Run: runDefaultNamespace,
}

func runDefaultNamespace(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Pod.Namespace != "default" {
		return out
	}
	return append(out, hardening.Finding{
		Path: metaOf(s) + ".namespace",
		Message: "the workload is placed explicitly in the default namespace, which it shares with everything applied " +
			"without a namespace",
	})
}

// SystemNamespace reports workloads placed in kube-system, kube-public or
// kube-node-lease.
var SystemNamespace = &hardening.Check{
	ID:        "posture.system-namespace",
	Title:     "workload placed in a namespace of the control plane",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindPod,
	Platforms: hardening.PlatformAll,
	Rationale: "kube-system holds the service accounts and secrets of the cluster's controllers and add-ons: whoever may " +
		"create pods or read secrets there holds their power, and clusters commonly exempt it from Pod Security Admission. " +
		"kube-public is readable by every user, unauthenticated ones included where its default binding is kept, and " +
		"kube-node-lease is for node heartbeats. An application in one of them shares that exposure.",
	Remediation: "Move the workload to a namespace of its own. A cluster component that belongs in kube-system says so with " +
		"priorityClassName: system-cluster-critical or system-node-critical.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes initial namespaces", URL: "https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/#initial-namespaces"},
		{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.7.1", URL: "https://www.cisecurity.org/benchmark/kubernetes"},
		refNCCManagement,
	},
	Run: runSystemNamespace,
}

func runSystemNamespace(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	var why string
	switch s.Pod.Namespace {
	case "kube-system":
		switch s.Pod.Spec.PriorityClassName {
		case "system-node-critical", "system-cluster-critical":
			return out // a component of the cluster, where those belong
		}
		why = "the namespace of the control plane's controllers and add-ons: their service accounts and secrets are " +
			"within reach of whoever may create pods or read secrets there, and Pod Security Admission is often exempted " +
			"for it; the workload declares no system-*-critical priority class, as cluster components do"
	case "kube-public":
		why = "whose objects every user may read, unauthenticated ones included where its default binding is kept"
	case "kube-node-lease":
		why = "which holds the nodes' heartbeat leases and nothing else"
	default:
		return out
	}
	return append(out, hardening.Finding{
		Path:    metaOf(s) + ".namespace",
		Message: "the workload is placed in " + strconv.Quote(s.Pod.Namespace) + ", " + why,
	})
}
