package serviceaccount

// Check serviceaccount.account-not-found: a Pod names a service account
// that the manifests beside it do not declare, though they declare others
// of its namespace.
//
// Pod fields:
//
//	spec.serviceAccountName (and the deprecated spec.serviceAccount)
//
// and the run's ServiceAccounts.
//
// The ServiceAccount admission plugin rejects a pod whose account does not
// exist when it is created (a Deployment is accepted and its ReplicaSet
// fails to create pods), so a misspelt or forgotten account is a broken
// rollout, and an account created later by someone else decides what the
// pod may do. The check rests on absence, which is evidence only where
// the audited objects are the whole picture, so it speaks only when:
//
//   - the run has a Cluster (a webhook auditing one pod has none);
//   - the account is not "default", which the ServiceAccount controller
//     creates in every namespace;
//   - no ServiceAccount of that name is among the objects, in the pod's
//     namespace or naming none;
//   - the pod's own source (the file, or standard input) declares other
//     ServiceAccounts of the pod's namespace (or naming none): a file that
//     declares its namespace's accounts is taken to declare the ones its
//     workloads use. Two charts rendered into one directory do not vouch
//     for each other's accounts; kube-linter's non-existent-service-account
//     looks at every file given, which this check does not.

import (
	"slices"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// AccountNotFound reports Pods whose service account is not among the
// audited objects while their source declares others of their namespace.
var AccountNotFound = &hardening.Check{
	ID:        "serviceaccount.account-not-found",
	Title:     "service account not declared beside the pod",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindPod,
	Platforms: hardening.PlatformAll,
	Rationale: "The API server rejects a pod whose service account does not exist, so a misspelt or forgotten account stops the " +
		"rollout; and an account that someone else creates later, with whatever roles they bind to it, decides what the pod may do.",
	Remediation: "Declare the ServiceAccount beside the workload (with automountServiceAccountToken: false unless it calls the API), " +
		"or correct serviceAccountName.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes service accounts",
			URL: "https://kubernetes.io/docs/concepts/security/service-accounts/"},
		{Kind: hardening.RefDoc, ID: "kube-linter non-existent-service-account",
			URL: "https://docs.kubelinter.io/#/generated/checks?id=non-existent-service-account"},
		hardening.NCC("7 management layer"),
	},
	Run: runAccountNotFound,
}

func runAccountNotFound(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Cluster == nil {
		return out
	}
	t := PodToken(s)
	if t.Name == DefaultAccount || t.Account != nil {
		return out
	}
	ns, _ := s.Cluster.ResolveList(hardening.KindServiceAccount, t.Namespace)
	var others []string
	n := 0
	for o := range s.Cluster.List(hardening.KindServiceAccount, ns) {
		if o.Source != s.Source {
			continue
		}
		n++
		if len(others) < 3 && !slices.Contains(others, o.Name) {
			others = append(others, o.Name)
		}
	}
	if n == 0 {
		return out
	}
	where := "namespace " + strconv.Quote(t.Namespace)
	if ns == "" {
		where = "no namespace"
	}
	list := strconv.Quote(others[0])
	for i, name := range others[1:] {
		if i == len(others)-2 && n == len(others) {
			list += " and " + strconv.Quote(name)
		} else {
			list += ", " + strconv.Quote(name)
		}
	}
	if n > len(others) {
		list += ", …"
	}
	field := t.Field
	return append(out, hardening.Finding{
		Path: s.SpecPath(field),
		Message: field + ": " + strconv.Quote(t.Name) + ": no " + hardening.ObjectName("ServiceAccount", t.Namespace, t.Name) +
			" among the audited objects, though " + s.Source + " declares ServiceAccounts of " + where + " (" + list + "): " +
			"the API server rejects the pod unless the account exists when the pod is created",
	})
}
