// Package serviceaccount holds the checks on a Pod's identity towards the
// Kubernetes API: which service account it runs as and whether its
// containers receive that account's token.
//
// # Checks
//
//	serviceaccount.default-token-mounted  the pod runs as the default service account and does not set automountServiceAccountToken: false
//
// The check's file opens with the fields it reads and the values it allows.
//
// # Why a package of its own
//
// The API token is a credential for the orchestrator, the management layer
// of the threat model, not an isolation, resource, network, confinement or
// image control, so it fits none of the other concern packages. Later
// checks on the same subject (the deprecated serviceAccount field,
// projected token audiences and lifetimes) belong here too.
//
// # Semantics
//
// automountServiceAccountToken is a pod-wide field; there is no
// per-container setting, so the finding names no container. An unset field
// leaves the decision to the ServiceAccount object, which a Pod manifest
// does not show; the default account mounts tokens unless changed, so
// bulwark reports it. Pods with a service account of their own are not
// reported.
package serviceaccount
