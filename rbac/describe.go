package rbac

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// atomInfo says what an atom grants and what it leads to, and how severe
// that is in one namespace and cluster-wide.
type atomInfo struct {
	grants, yields string
	ns, cluster    hardening.Severity
}

const (
	low      = hardening.SeverityLow
	medium   = hardening.SeverityMedium
	high     = hardening.SeverityHigh
	critical = hardening.SeverityCritical
)

// ExecCreateSince is the Kubernetes version from which the API server
// requires create, not only get, on pods/exec, pods/attach and
// pods/portforward for WebSocket clients (the feature gate
// AuthorizePodWebsocketUpgradeCreatePermission, beta and on by default).
var ExecCreateSince = hardening.KubeVersion{Major: 1, Minor: 35}

var atomInfos = map[powerSet]atomInfo{
	pAll: {"every verb on every resource of every API group",
		"full control of every object in scope: cluster admin where bound cluster-wide, namespace admin (its Secrets, its service accounts, its pods) through a RoleBinding", high, critical},
	pSecretsList: {"list and watch on Secrets",
		"list and watch return their contents: service-account tokens, TLS keys, credentials", high, critical},
	pSecretsGet: {"get on Secrets",
		"the contents of any Secret whose name is known or guessed", medium, high},
	pCreatePods: {"create on Pods",
		"a new pod can run as any service account of its namespace and mount any Secret there, and takes the node where admission allows privileged pods", high, critical},
	pWorkloads: {"create, update or patch on pod controllers (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers)",
		"their pod templates run as any service account of the namespace with any Secret mounted, and take the node where admission allows privileged pods", high, critical},
	pUpdatePods: {"update or patch on Pods",
		"swapping a running pod's image runs code as its service account, with its mounts and host access", high, critical},
	pExec: {"create on pods/exec or pods/attach",
		"commands in any pod in scope: its service-account token, its Secrets, its host access", high, critical},
	pExecGet: {"get on pods/exec or pods/attach",
		"commands in any pod in scope over a WebSocket on Kubernetes before " + ExecCreateSince.String() + " (and later where the feature gate AuthorizePodWebsocketUpgradeCreatePermission is off); from " + ExecCreateSince.String() + " the API server also requires create", medium, high},
	pPortForward: {"create on pods/portforward",
		"any port of any pod in scope, past NetworkPolicies and Services", medium, medium},
	pPortForwardGet: {"get on pods/portforward",
		"any port of any pod in scope over a WebSocket on Kubernetes before " + ExecCreateSince.String() + " (and later where the feature gate AuthorizePodWebsocketUpgradeCreatePermission is off)", low, medium},
	pEphemeral: {"update or patch on pods/ephemeralcontainers",
		"a debug container with a securityContext of one's choosing in any running pod in scope, as its service account", high, critical},
	pTokenRequest: {"create on serviceaccounts/token",
		"a token of any service account in scope", high, critical},
	pBind: {"the verb bind on roles or clusterroles",
		"any role for anyone, past the API server's escalation check: admin of a namespace through a RoleBinding, cluster-admin through a ClusterRoleBinding", high, critical},
	pEscalate: {"the verb escalate on roles or clusterroles",
		"any permission written into a role one holds, past the API server's escalation check", high, critical},
	pImpersonate: {"impersonate on users, groups or uids",
		"acting as any identity, members of system:masters included", critical, critical},
	pImpersonateSA: {"impersonate on serviceaccounts",
		"acting as any service account in scope", high, critical},
	pNodeProxy: {"get or create on nodes/proxy",
		"the kubelet API of every node: commands in every pod, past the API server's audit and admission (a WebSocket GET maps to get)", critical, critical},
	pCSRApproval: {"update or patch on certificatesigningrequests/approval with approve on the kube-apiserver-client signer",
		"client certificates for any user or group, system:masters included", critical, critical},
	pWebhooks: {"create, update or patch on admission webhook configurations or mutating admission policies",
		"every admitted object seen and rewritten: privileged containers injected, Secrets read, policy switched off", critical, critical},
	pCreatePV: {"create on PersistentVolumes",
		"a hostPath volume a pod claims mounts the node's filesystem, past Pod Security's hostPath rules", high, high},
	pPatchNodes: {"update or patch on Nodes",
		"labels and taints that steer pods, and the tokens they carry, onto a node of one's choosing", medium, medium},
}

// effective returns the atoms of set that have an effect on their own in
// the presence of the whole set: bind needs create on bindings, escalate
// a role write, approval a signer (both are reported once together).
func effective(set powerSet) powerSet {
	out := subsume(set & notable)
	if set&pCreateBindings == 0 {
		out &^= pBind
	}
	if set&pWriteRoles == 0 {
		out &^= pEscalate
	}
	if set&pCSRApproval == 0 || set&pSignerApprove == 0 {
		out &^= pCSRApproval | pSignerApprove
	} else {
		out &^= pSignerApprove
	}
	if set&pAll != 0 {
		out = pAll
	}
	return out
}

// subsume drops the atoms of set that a stronger atom of set includes:
// get on Secrets beside list, get on exec beside create.
func subsume(set powerSet) powerSet {
	if set&pSecretsList != 0 {
		set &^= pSecretsGet
	}
	if set&pExec != 0 {
		set &^= pExecGet
	}
	if set&pPortForward != 0 {
		set &^= pPortForwardGet
	}
	return set
}

// severity returns the highest severity of the atoms of set in a scope:
// namespace ns, or cluster-wide for "". In kube-system, which holds the
// controllers' service accounts, what yields tokens, Secrets or code in
// pods is cluster admin.
func severity(set powerSet, ns string) hardening.Severity {
	var s hardening.Severity
	for a := range eachAtom(set) {
		ai := atomInfos[a]
		v := ai.ns
		if ns == "" || ns == "kube-system" && a&adminInKubeSystem != 0 {
			v = ai.cluster
		}
		s = max(s, v)
	}
	return s
}

// adminInKubeSystem are the atoms that make one cluster admin in
// kube-system.
const adminInKubeSystem = pAll | pSecretsList | pCreatePods | pWorkloads | pUpdatePods | pExec | pEphemeral | pTokenRequest | pBind | pEscalate | pImpersonateSA

// eachAtom yields the atoms of set, lowest bit first.
func eachAtom(set powerSet) func(yield func(powerSet) bool) {
	return func(yield func(powerSet) bool) {
		for set != 0 {
			a := powerSet(1) << bits.TrailingZeros32(uint32(set))
			set &^= a
			if !yield(a) {
				return
			}
		}
	}
}

// grantsPhrase renders the atoms of set as "list and watch on Secrets;
// create on Pods".
func grantsPhrase(set powerSet) string {
	var parts []string
	for a := range eachAtom(set) {
		parts = append(parts, atomInfos[a].grants)
	}
	return strings.Join(parts, "; ")
}

// andList renders names as "a, b and c".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// subjectName renders a binding subject: "ServiceAccount ci/runner",
// "Group system:authenticated".
func subjectName(kind, name, namespace string) string {
	if namespace != "" {
		return kind + " " + namespace + "/" + name
	}
	return kind + " " + name
}

// sortedUnique sorts names and drops repeats.
func sortedUnique(names []string) []string {
	slices.Sort(names)
	return slices.Compact(names)
}
