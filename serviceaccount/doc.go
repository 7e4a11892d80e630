// Package serviceaccount holds the checks on a Pod's identity towards the
// Kubernetes API: which service account it runs as, whether its containers
// receive that account's token, and token Secrets that never expire.
//
// # Checks
//
// On Pods, judged with the ServiceAccounts among the run's objects:
//
//	serviceaccount.default-token-mounted  the pod runs as the default service account and its containers get its API token (low)
//	serviceaccount.token-mounted          the pod runs as another service account and its containers get its API token (low)
//	serviceaccount.account-not-found      the pod names a service account that its file does not declare, though it declares others of its namespace (low)
//
// On Secrets among the audited objects:
//
//	serviceaccount.legacy-token-secret    a Secret of type kubernetes.io/service-account-token: a token that never expires (medium)
//
// Each file opens with the fields its check reads and the values it
// allows: token.go, missing.go and secret.go; account.go holds the token
// decision they share ([PodToken]).
//
// # Why a package of its own
//
// The API token is a credential for the orchestrator, the management layer
// of the threat model, not an isolation, resource, network, confinement or
// image control, so it fits none of the other concern packages.
//
// # Semantics
//
// The token decision is the ServiceAccount admission plugin's, checked
// against the plugin itself by the groundtruth module: the pod's
// automountServiceAccountToken wins, else the ServiceAccount's, else the
// token is mounted, into every init and regular container that does not
// mount a volume of its own at /var/run/secrets/kubernetes.io/serviceaccount.
// The setting is pod-wide, so the finding names no container. The
// ServiceAccount is looked up among the audited objects (the run's
// [hardening.Cluster]): in the pod's namespace, else one that names no
// namespace, which lands where the pod does when both are applied
// together. When it is not there, the findings say so and what Kubernetes
// does then; without a Cluster (a webhook auditing one pod) they say the
// account's setting is not known.
//
// The default account keeps the ID it always had; every other account is
// reported under serviceaccount.token-mounted, so a profile can treat the
// two differently: a dedicated account's token is often needed, but a
// dedicated account is also the one a binding grants something. What RBAC
// grants the account is another package's question: [NewTokenMounted] and
// [NewDefaultTokenMounted] take a [Grants] that answers it for the
// findings' messages, under the same IDs.
package serviceaccount
