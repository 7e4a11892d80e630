package serviceaccount

// Checks serviceaccount.default-token-mounted and
// serviceaccount.token-mounted: a Pod whose containers get an API token of
// the default service account, or of any other.
//
// Pod fields:
//
//	spec.serviceAccountName (and the deprecated spec.serviceAccount, which it defaults from)
//	spec.automountServiceAccountToken
//	metadata.annotations[kubernetes.io/config.mirror]
//	spec.{initContainers,containers}[*].volumeMounts[*].mountPath, spec.volumes
//
// and, among the run's objects, the ServiceAccount's
// automountServiceAccountToken.
//
// Allowed values: a pod whose containers have no API token once admitted,
// as account.go decides it: automountServiceAccountToken: false on the
// pod, or unset on the pod and false on its ServiceAccount among the
// audited objects (an account that names no namespace stands for the
// pod's namespace when the run holds none of that name there), or every
// container mounting a volume of its own at
// /var/run/secrets/kubernetes.io/serviceaccount. When the account is not
// among the objects, Kubernetes' default decides: the default account,
// which the ServiceAccount controller creates without the field, mounts
// tokens, and any other account does unless it sets the field, which the
// finding says it cannot see. The setting is pod-wide; every init and
// regular container gets the token. Windows pods get tokens too and are
// checked.
//
// default-token-mounted is about pods that run as the default account;
// token-mounted about every other account, with what is known of it. A
// tool that resolves RBAC passes a [Grants] to [NewTokenMounted] and
// [NewDefaultTokenMounted], under the same IDs, and the findings say what
// the account is granted; the built-in checks have none.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Grants tells what RBAC grants a service account, for the findings of the
// token checks: a phrase such as "get on secrets in prod (RoleBinding
// prod/read-secrets)", and whether it is known. A tool that resolves roles
// and bindings passes one to [NewTokenMounted] and [NewDefaultTokenMounted].
// It is called only for pods that are reported.
type Grants func(namespace, name string) (summary string, known bool)

// DefaultTokenMounted reports Pods that run as the default service account
// and get its API token.
var DefaultTokenMounted = NewDefaultTokenMounted(nil)

// TokenMounted reports Pods that run as a service account other than the
// default one and get its API token.
var TokenMounted = NewTokenMounted(nil)

var tokenRefs = []hardening.Reference{
	{Kind: hardening.RefDoc, ID: "Kubernetes service accounts: opt out of API credential automounting",
		URL: "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting"},
	{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.1.5, 5.1.6", URL: "https://www.cisecurity.org/benchmark/kubernetes"},
	hardening.NCC("7 management layer"),
}

// NewDefaultTokenMounted returns serviceaccount.default-token-mounted,
// whose findings say what grants tells of the default account; grants may
// be nil.
func NewDefaultTokenMounted(grants Grants) *hardening.Check {
	return &hardening.Check{
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
		References: tokenRefs,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return runTokenMounted(s, out, true, grants)
		},
	}
}

// NewTokenMounted returns serviceaccount.token-mounted, whose findings say
// what grants tells of the account; grants may be nil.
func NewTokenMounted(grants Grants) *hardening.Check {
	return &hardening.Check{
		ID:        "serviceaccount.token-mounted",
		Title:     "service account token mounted",
		Severity:  hardening.SeverityLow,
		Class:     hardening.ClassManagement,
		Inputs:    hardening.KindPod,
		Platforms: hardening.PlatformAll,
		Rationale: "Every container of the pod gets a token that authenticates to the Kubernetes API as the pod's service account. " +
			"A dedicated account usually exists because a binding grants it something, and an attacker in any container of the pod, " +
			"not only the one that calls the API, can use those grants.",
		Remediation: "Set spec.automountServiceAccountToken: false (or on the ServiceAccount) unless the workload calls the API; " +
			"if it does, keep the account's roles to what it needs, or mount a projected token with a short expiry only into the " +
			"container that uses it.",
		References: tokenRefs,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return runTokenMounted(s, out, false, grants)
		},
	}
}

func runTokenMounted(s *hardening.Subject, out []hardening.Finding, defaultAccount bool, grants Grants) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	t := PodToken(s)
	if (t.Name == DefaultAccount) != defaultAccount || !t.Mounted() {
		return out
	}
	// Which containers get the token, and whether one gets it by automount.
	var with []string
	total, automounted := 0, false
	explicit := ""
	spec := &s.Pod.Spec
	visit := func(c hardening.PodContainer) {
		total++
		token, auto := t.Reaches(c)
		if !token {
			return
		}
		with = append(with, c.Name)
		automounted = automounted || auto
		if !auto && explicit == "" {
			for i, m := range c.VolumeMounts {
				if m.MountPath == TokenPath {
					explicit = s.ContainerPath(c, hardening.Index("volumeMounts", i))
					break
				}
			}
		}
	}
	for i := range spec.InitContainers {
		visit(hardening.PodContainer{Container: &spec.InitContainers[i], List: "initContainers", Index: i})
	}
	for i := range spec.Containers {
		visit(hardening.PodContainer{Container: &spec.Containers[i], List: "containers", Index: i})
	}
	who := "every container gets"
	if len(with) < total {
		who = containerNames(with) + " get"
		if len(with) == 1 {
			who = containerNames(with) + " gets"
		}
	}
	ref := hardening.ObjectName("ServiceAccount", t.Namespace, t.Name)
	var msg, path string
	if automounted {
		path = s.SpecPath("automountServiceAccountToken")
		msg = "the pod runs as " + t.describe() + " and " + t.decision(s.Cluster != nil, ref) + who + " an API token at " + TokenPath
	} else {
		path = explicit
		msg = "the pod runs as " + t.describe() + " and " + who + " its API token at " + TokenPath + " from a volume of the manifest that projects it"
	}
	if grants != nil {
		if summary, known := grants(t.Namespace, t.Name); known {
			msg += "; RBAC grants " + ref + ": " + summary
		} else {
			msg += "; what RBAC grants " + ref + " is not known from the audited objects"
		}
	}
	return append(out, hardening.Finding{Path: path, Message: msg})
}

// describe names the pod's account and the field that names it.
func (t *Token) describe() string {
	if t.Name == DefaultAccount {
		if t.Field == "" {
			return "the default service account (sets no serviceAccountName)"
		}
		return "the default service account (" + t.Field + ": " + strconv.Quote(t.Name) + ")"
	}
	if t.Field == "serviceAccount" {
		return "service account " + strconv.Quote(t.Name) + " (named by the deprecated serviceAccount field)"
	}
	return "service account " + strconv.Quote(t.Name)
}

// decision says why the token is automounted, up to the phrase that
// names the containers: "sets automountServiceAccountToken: true: ".
func (t *Token) decision(haveCluster bool, ref string) string {
	account := ref
	if t.AccountNamespaceAssumed {
		account += " (which names no namespace and is taken to be in " + strconv.Quote(t.Namespace) + ")"
	}
	switch t.DecidedBy {
	case DecidedByPod:
		if sa := t.ServiceAccount(); sa != nil && sa.AutomountServiceAccountToken != nil && !*sa.AutomountServiceAccountToken {
			return "sets automountServiceAccountToken: true, which wins over the false of " + account + ": "
		}
		return "sets automountServiceAccountToken: true: "
	case DecidedByAccount:
		return "does not set automountServiceAccountToken, and " + account + " sets it to true: "
	}
	// Nothing sets it.
	switch {
	case t.Account != nil:
		return "neither it nor " + account + ", among the audited objects, sets automountServiceAccountToken: false: "
	case t.Name == DefaultAccount && haveCluster:
		return "does not set automountServiceAccountToken: false, and no " + ref + " is among the audited objects " +
			"(the one Kubernetes creates in every namespace mounts tokens unless changed): "
	case t.Name == DefaultAccount:
		return "does not set automountServiceAccountToken: false: "
	case haveCluster:
		return "does not set automountServiceAccountToken: false, and " + ref + " is not among the audited objects: " +
			"unless it sets automountServiceAccountToken: false, "
	}
	return "does not set automountServiceAccountToken: false, and whether " + ref + " does is not known: unless it does, "
}

// containerNames renders `container "a"`, `containers "a" and "b"`,
// `containers "a", "b" and "c"`.
func containerNames(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	if len(quoted) == 1 {
		return "container " + quoted[0]
	}
	return "containers " + strings.Join(quoted[:len(quoted)-1], ", ") + " and " + quoted[len(quoted)-1]
}
