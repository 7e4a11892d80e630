// Package posture holds the checks on the namespace a workload lives in:
// the Pod Security Admission labels of its Namespace, where it is placed,
// and the strictest Pod Security Standards level its namespace could
// enforce today.
//
// # Checks
//
// On Namespace objects ([hardening.KindObject]):
//
//	posture.psa-labels-missing      no enforce, audit or warn label: the cluster's default applies (privileged unless configured) (medium)
//	posture.psa-enforce-missing     warn or audit labels without enforce: violating pods are reported and admitted (medium)
//	posture.psa-enforce-privileged  enforce: privileged admits every pod (medium)
//	posture.psa-label-invalid       an unknown pod-security.kubernetes.io/ key (ignored) or an unparseable value, with what PSA evaluates instead (low)
//	posture.psa-version-outdated    enforce-version pinned before the cluster's version (low, PSAVersionOutdatedFor); before the newest rules bulwark knows when the cluster's version is not given (info)
//
// On Pods:
//
//	posture.default-namespace       metadata.namespace: default (low)
//	posture.system-namespace        metadata.namespace: kube-system (unless a system-*-critical priority class), kube-public or kube-node-lease (medium)
//
// About the run as a whole (a set check, [hardening.Check.Set]):
//
//	posture.strictest-level         every audited workload of a namespace passes baseline or restricted, stricter than its enforce label or with its labels unknown: the labels to set (info)
//
// Each check's file opens with the fields it reads and the values it
// allows: labels.go, placement.go, strictest.go.
//
// # Fields read
//
// Namespace: metadata.name and metadata.labels, the six Pod Security
// Admission labels (pod-security.kubernetes.io/{enforce,audit,warn} and
// their -version) and any other label under pod-security.kubernetes.io/.
// Pods: the workload's metadata.namespace and spec.priorityClassName; for
// posture.strictest-level, every field the Pod Security Standards controls
// read (the pss-baseline and pss-restricted profiles).
//
// # Semantics
//
// Labels are read as Kubernetes' Pod Security Admission reads them
// (k8s.io/pod-security-admission, api.PolicyToEvaluate): each mode on its
// own; levels compared as written (Restricted is not a level); an invalid
// enforce level is evaluated as restricted (fail closed), an invalid audit
// or warn level as privileged (fail open), an invalid version as latest;
// a missing label takes the cluster's default from the API server's
// PodSecurity admission configuration, privileged and latest when it sets
// none. That configuration is not a Kubernetes object and is never among
// the audited ones: findings that rest on a missing label say which
// default they assumed. Exemptions (usernames, runtime classes,
// namespaces) live there too and are not seen.
//
// An empty metadata.namespace is unspecified, not "default": the namespace
// is chosen when the manifest is applied (kubectl -n, helm --namespace),
// so such a workload is placed nowhere and counts for no namespace.
//
// # Absence
//
// What is absent from the audited objects is not absent from a cluster. A
// Namespace object's own labels are judged whenever it is audited. A
// namespace known only through its workloads has labels bulwark cannot
// see: posture.strictest-level reports it only in a run with a
// [hardening.Cluster] (files loaded in two phases, a live collector), and
// says that no Namespace object was among the audited objects.
//
// # Options
//
// Two checks depend on facts the objects do not hold. [StrictestLevel]
// builds posture.strictest-level for a Kubernetes version with the Pod
// Security Standards profiles (bulwark.PSSProfile: this package cannot
// import bulwark, which imports it); [Checks] takes the profiles and
// evaluates at [hardening.LatestKube]. [PSAVersionOutdatedFor] builds
// posture.psa-version-outdated for the cluster's version. Each keeps its
// ID: replace the catalog's check by ID in a list.
package posture
