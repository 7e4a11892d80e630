package serviceaccount

// Check serviceaccount.default-token-mounted: a Pod running as its
// namespace's default service account gets an API token it most likely
// does not need.
//
// Pod fields:
//
//	spec.serviceAccountName (and the deprecated spec.serviceAccount, which it defaults from)
//	spec.automountServiceAccountToken
//
// Allowed values: automountServiceAccountToken: false, or a service account
// other than "default". The setting is pod-wide: there is no per-container
// opt-out, and every container, init and ephemeral ones included, gets the
// token at /var/run/secrets/kubernetes.io/serviceaccount. When the Pod says
// nothing, the ServiceAccount object's own automountServiceAccountToken
// decides; a manifest does not show it and the default account mounts
// tokens unless someone changed it, so an unset field is reported. A Pod
// with a dedicated service account is left alone: someone chose it, and its
// token is presumably needed. Windows pods get tokens too and are checked.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// DefaultTokenMounted reports Pods that run as the default service account
// without automountServiceAccountToken: false.
var DefaultTokenMounted = &hardening.Check{
	ID:       "serviceaccount.default-token-mounted",
	Title:    "default service account token mounted",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindPod,
	// The token is mounted on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "Every container of the pod gets a token that authenticates to the Kubernetes API as the namespace's default " +
		"service account. Most applications never call the API, but an attacker in the container can: to explore the cluster, " +
		"and to use whatever a RoleBinding, often made in haste for another workload, granted the default account.",
	Remediation: "Set spec.automountServiceAccountToken: false; if the workload calls the API, give it its own service account " +
		"with the least privilege it needs (or mount a projected token with a short expiry only where it is used).",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes service accounts: opt out of API credential automounting",
			URL: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"},
		{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.1.5, 5.1.6", URL: "https://www.cisecurity.org/benchmark/kubernetes"},
		{Kind: hardening.RefNCC, ID: "7 management layer",
			URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"},
	},
	Run: runDefaultTokenMounted,
}

func runDefaultTokenMounted(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	spec := &s.Pod.Spec
	account, field := spec.ServiceAccountName, "serviceAccountName"
	if account == "" && spec.DeprecatedServiceAccount != "" {
		account, field = spec.DeprecatedServiceAccount, "serviceAccount"
	}
	if account != "" && account != "default" {
		return out
	}
	automount := spec.AutomountServiceAccountToken
	if automount != nil && !*automount {
		return out
	}
	msg := "the pod runs as the default service account"
	if account == "" {
		msg += " (sets no serviceAccountName)"
	} else {
		msg += " (" + field + ": " + strconv.Quote(account) + ")"
	}
	if automount == nil {
		msg += " and does not set automountServiceAccountToken: false"
	} else {
		msg += " and sets automountServiceAccountToken: true"
	}
	return append(out, hardening.Finding{
		Path:    s.SpecPath("automountServiceAccountToken"),
		Message: msg + ": every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount",
	})
}
