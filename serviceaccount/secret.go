package serviceaccount

// Check serviceaccount.legacy-token-secret: a Secret of type
// kubernetes.io/service-account-token, which the token controller fills
// with a token that never expires.
//
// Object fields (a Secret among the audited objects):
//
//	type
//	metadata.annotations[kubernetes.io/service-account.name]
//
// and the run's ServiceAccount of that name.
//
// Since Kubernetes 1.24 such Secrets are no longer created for every
// service account; pods get short-lived, pod-bound tokens through the
// TokenRequest API instead. A manifest that still declares one gets a
// token that is valid as long as the account and the Secret exist, is not
// bound to any pod, and can be read by anyone who may get Secrets in the
// namespace. The token controller deletes the Secret when its account does
// not exist; the finding says whether the account is among the audited
// objects. A Secret without the annotation is rejected by the API server,
// and is reported as such.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// LegacyTokenSecret reports Secrets of type
// kubernetes.io/service-account-token.
var LegacyTokenSecret = &hardening.Check{
	ID:       "serviceaccount.legacy-token-secret",
	Title:    "long-lived service account token Secret",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindObject,
	Rationale: "The token controller fills a Secret of type kubernetes.io/service-account-token with a token for the account that " +
		"never expires and is bound to no pod: whoever can read Secrets in the namespace, or finds the token in a log or a backup, " +
		"acts as the account until someone deletes the Secret.",
	Remediation: "Delete the Secret. Workloads get short-lived tokens by automount or a projected serviceAccountToken volume; " +
		"clients outside the cluster can request one with `kubectl create token` (the TokenRequest API) and an expiry.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes: manually create a long-lived API token for a ServiceAccount",
			URL: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#manually-create-an-api-token-for-a-serviceaccount"},
		{Kind: hardening.RefDoc, ID: "KEP-2799: reduction of secret-based service account tokens",
			URL: "https://github.com/kubernetes/enhancements/tree/master/keps/sig-auth/2799-reduction-of-secret-based-service-account-token"},
		hardening.NCC("7 management layer"),
	},
	Run: runLegacyTokenSecret,
}

func runLegacyTokenSecret(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Object == nil {
		return out
	}
	secret, ok := s.Object.Object.(*corev1.Secret)
	if !ok || secret.Type != corev1.SecretTypeServiceAccountToken {
		return out
	}
	self := hardening.ObjectName("Secret", secret.Namespace, secret.Name)
	account := secret.Annotations[corev1.ServiceAccountNameKey]
	if account == "" {
		return append(out, hardening.Finding{
			Path: s.ObjectPath("metadata.annotations"),
			Message: self + " has type kubernetes.io/service-account-token but names no account in the " +
				corev1.ServiceAccountNameKey + " annotation: the API server rejects it, and with the annotation the token " +
				"controller would fill it with a token that never expires",
		})
	}
	ref := hardening.ObjectName("ServiceAccount", secret.Namespace, account)
	known := ""
	if s.Cluster != nil {
		if o, _ := s.Cluster.Resolve(hardening.KindServiceAccount, secret.Namespace, account); o != nil {
			known = " (among the audited objects)"
		} else {
			known = " (not among the audited objects; the controller deletes the Secret if the account does not exist)"
		}
	}
	return append(out, hardening.Finding{
		Path: s.ObjectPath("type"),
		Message: self + " has type kubernetes.io/service-account-token for " + ref + known +
			": the token controller fills it with a token that never expires and is bound to no pod, readable by whoever may get " +
			"Secrets in " + namespaceWords(secret.Namespace),
	})
}

// namespaceWords renders a namespace for a message.
func namespaceWords(ns string) string {
	if ns == "" {
		return "its namespace"
	}
	return "namespace " + strconv.Quote(ns)
}
