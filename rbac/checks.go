package rbac

import "github.com/bulwarkdev/bulwark/hardening"

// Checks returns the checks of this package, sorted by ID. The slice is new
// on every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		AdmissionWebhooks,
		BindEscalate,
		ClusterAdminBinding,
		CSRApproval,
		DefaultServiceAccountBinding,
		EphemeralContainers,
		ForeignServiceAccountBinding,
		Impersonate,
		MissingRole,
		NodeModification,
		NodeProxy,
		PersistentVolumeCreation,
		PodCreation,
		PodExec,
		PodPortForward,
		PublicBinding,
		SecretsAccess,
		TokenRequest,
		Wildcard,
		WorkloadReach,
	}
}

func cis(items string) hardening.Reference {
	return hardening.Reference{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark " + items, URL: "https://www.cisecurity.org/benchmark/kubernetes"}
}

var (
	refRBACGoodPractices = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes RBAC good practices: privilege escalation risks",
		URL: "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks"}
	refRBAC = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes: using RBAC authorization",
		URL: "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"}
	refNCC = hardening.NCC("7 management layer")
)

// ruleCheck returns a check on the rules of Roles and ClusterRoles that
// reports the atoms of set.
func ruleCheck(c hardening.Check, set powerSet) *hardening.Check {
	c.Inputs = hardening.KindObject
	c.Class = hardening.ClassManagement
	c.Platforms = hardening.PlatformAll
	c.Run = func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return runRuleCheck(s, out, set)
	}
	return &c
}

// SecretsAccess reports rules that read Secrets.
var SecretsAccess = ruleCheck(hardening.Check{
	ID:       "rbac.secrets-access",
	Title:    "rule reads Secrets",
	Severity: hardening.SeverityHigh,
	Rationale: "list and watch on Secrets return their contents, not only their names; get returns any Secret whose name is known or guessed. " +
		"Secrets hold service-account tokens, TLS keys and cloud credentials: reading them is wearing those identities.",
	Remediation: "Grant get on the named Secrets the workload needs (resourceNames) instead of list, watch or get on every Secret; mount Secrets into pods rather than reading them from the API.",
	References:  []hardening.Reference{cis("5.1.2"), refRBACGoodPractices, refNCC},
}, pSecretsList|pSecretsGet)

// PodCreation reports rules that create pods or pod controllers, or swap a
// running pod's image.
var PodCreation = ruleCheck(hardening.Check{
	ID:       "rbac.pod-creation",
	Title:    "rule creates or rewrites pods",
	Severity: hardening.SeverityHigh,
	Rationale: "Whoever creates a pod, or a Deployment, StatefulSet, DaemonSet, Job or CronJob that creates one, chooses its service account and volumes: " +
		"every service-account token and Secret of the namespace is one pod away, whatever the namespace's Pod Security level, and where admission " +
		"allows privileged or hostPath pods the node is too. Updating a running pod swaps its image with the same effect.",
	Remediation: "Grant pod and workload creation only to the controllers and pipelines that need it, in the namespaces they deploy to, and enforce a restrictive Pod Security level there.",
	References:  []hardening.Reference{cis("5.1.4"), refRBACGoodPractices, refNCC},
}, pCreatePods|pWorkloads|pUpdatePods)

// PodExec reports rules that run commands in pods.
var PodExec = ruleCheck(hardening.Check{
	ID:       "rbac.pod-exec",
	Title:    "rule runs commands in pods (exec, attach)",
	Severity: hardening.SeverityHigh,
	Rationale: "create on pods/exec or pods/attach runs commands in a pod's containers: its token, its Secrets and its host access are the caller's. " +
		"Before Kubernetes " + ExecCreateSince.String() + " get is enough over a WebSocket (kubernetes/kubernetes#78741); from " + ExecCreateSince.String() +
		" the API server also requires create, unless the feature gate AuthorizePodWebsocketUpgradeCreatePermission is off.",
	Remediation: "Remove pods/exec and pods/attach from roles that do not need an interactive shell; grant them for named pods (resourceNames) where they are needed.",
	References: []hardening.Reference{refRBACGoodPractices, refNCC,
		{Kind: hardening.RefDoc, ID: "kubernetes/kubernetes#134577: create required for WebSocket exec, attach and port-forward", URL: "https://github.com/kubernetes/kubernetes/pull/134577"}},
}, pExec|pExecGet)

// PodPortForward reports rules that forward ports of pods.
var PodPortForward = ruleCheck(hardening.Check{
	ID:          "rbac.pod-port-forward",
	Title:       "rule forwards ports of pods",
	Severity:    hardening.SeverityMedium,
	Rationale:   "pods/portforward reaches any port of a pod through the kubelet, past NetworkPolicies, Services and ingress controls. Before Kubernetes " + ExecCreateSince.String() + " get is enough over a WebSocket.",
	Remediation: "Remove pods/portforward from roles of workloads and pipelines; grant it to people for the namespaces they debug.",
	References:  []hardening.Reference{refRBACGoodPractices, refNCC},
}, pPortForward|pPortForwardGet)

// EphemeralContainers reports rules that add containers to running pods.
var EphemeralContainers = ruleCheck(hardening.Check{
	ID:          "rbac.ephemeral-containers",
	Title:       "rule adds ephemeral containers to pods",
	Severity:    hardening.SeverityHigh,
	Rationale:   "update or patch on pods/ephemeralcontainers adds a debug container to a running pod, with a securityContext of the caller's choosing, running as the pod's service account and sharing its volumes and namespaces.",
	Remediation: "Grant pods/ephemeralcontainers only to people who debug, in the namespaces they own, and enforce a Pod Security level there (it judges ephemeral containers too).",
	References:  []hardening.Reference{refRBACGoodPractices, refNCC},
}, pEphemeral)

// TokenRequest reports rules that mint service-account tokens.
var TokenRequest = ruleCheck(hardening.Check{
	ID:          "rbac.token-request",
	Title:       "rule mints service-account tokens",
	Severity:    hardening.SeverityHigh,
	Rationale:   "create on serviceaccounts/token (the TokenRequest API) returns a token of any service account in scope: the caller becomes that account.",
	Remediation: "Remove serviceaccounts/token from the role, or restrict it to the accounts concerned with resourceNames.",
	References:  []hardening.Reference{cis("5.1.13"), refRBACGoodPractices, refNCC},
}, pTokenRequest)

// BindEscalate reports rules with the verbs bind and escalate.
var BindEscalate = ruleCheck(hardening.Check{
	ID:       "rbac.bind-escalate",
	Title:    "rule binds or escalates roles",
	Severity: hardening.SeverityHigh,
	Rationale: "The API server refuses to let anyone grant permissions they do not hold, except to holders of bind (who may bind any role, with create on bindings) " +
		"and escalate (who may write any rule into a role). Either is every permission of the scope, cluster-admin included where granted cluster-wide.",
	Remediation: "Remove bind and escalate; where a controller must grant roles, restrict bind to the roles it grants with resourceNames.",
	References:  []hardening.Reference{cis("5.1.8"), refRBACGoodPractices, refNCC},
}, pBind|pEscalate)

// Impersonate reports rules that impersonate identities.
var Impersonate = ruleCheck(hardening.Check{
	ID:          "rbac.impersonate",
	Title:       "rule impersonates users, groups or service accounts",
	Severity:    hardening.SeverityCritical,
	Rationale:   "impersonate on users or groups acts as any identity, members of system:masters included, which no authorization limits; on serviceaccounts, as any account of the scope.",
	Remediation: "Remove impersonate, or restrict it to the identities concerned with resourceNames.",
	References:  []hardening.Reference{cis("5.1.8"), refRBACGoodPractices, refNCC},
}, pImpersonate|pImpersonateSA)

// NodeProxy reports rules that reach the kubelet API.
var NodeProxy = ruleCheck(hardening.Check{
	ID:       "rbac.node-proxy",
	Title:    "rule reaches the kubelet API (nodes/proxy)",
	Severity: hardening.SeverityCritical,
	Rationale: "nodes/proxy forwards to every kubelet's API, which runs commands in every pod of the node, past the API server's audit and admission. " +
		"The kubelet maps a WebSocket GET to the verb get, so get is as good as create.",
	Remediation: "Read node metrics through nodes/metrics and nodes/stats rather than nodes/proxy; remove nodes/proxy from the role.",
	References:  []hardening.Reference{cis("5.1.10"), refRBACGoodPractices, refNCC},
}, pNodeProxy)

// CSRApproval reports rules that approve client certificates.
var CSRApproval = ruleCheck(hardening.Check{
	ID:          "rbac.csr-approval",
	Title:       "role approves client certificate requests",
	Severity:    hardening.SeverityCritical,
	Rationale:   "update on certificatesigningrequests/approval together with approve on the kubernetes.io/kube-apiserver-client signer issues client certificates for any user or group, system:masters included.",
	Remediation: "Leave approval to kube-controller-manager and to dedicated approvers; remove the approval subresource or the signer approval from the role.",
	References:  []hardening.Reference{cis("5.1.11"), refRBACGoodPractices, refNCC},
}, pCSRApproval|pSignerApprove)

// AdmissionWebhooks reports rules that write admission webhooks.
var AdmissionWebhooks = ruleCheck(hardening.Check{
	ID:          "rbac.admission-webhooks",
	Title:       "rule writes admission webhook configurations",
	Severity:    hardening.SeverityCritical,
	Rationale:   "An admission webhook sees every object it registers for, Secrets included, and a mutating one rewrites them: it can inject privileged containers into every new pod or switch off other admission policy.",
	Remediation: "Let only the installer create webhook configurations; a controller that rotates its CA bundle needs patch on its own configuration only (resourceNames).",
	References:  []hardening.Reference{cis("5.1.12"), refRBACGoodPractices, refNCC},
}, pWebhooks)

// PersistentVolumeCreation reports rules that create PersistentVolumes.
var PersistentVolumeCreation = ruleCheck(hardening.Check{
	ID:          "rbac.persistent-volume-creation",
	Title:       "rule creates PersistentVolumes",
	Severity:    hardening.SeverityHigh,
	Rationale:   "A PersistentVolume of type hostPath, claimed by a pod, mounts the node's filesystem; Pod Security's hostPath control sees only the claim.",
	Remediation: "Leave PersistentVolume creation to storage provisioners; users create PersistentVolumeClaims.",
	References:  []hardening.Reference{cis("5.1.9"), refRBACGoodPractices, refNCC},
}, pCreatePV)

// NodeModification reports rules that change Nodes.
var NodeModification = ruleCheck(hardening.Check{
	ID:          "rbac.node-modification",
	Title:       "rule updates or patches Nodes",
	Severity:    hardening.SeverityMedium,
	Rationale:   "Node labels and taints decide where pods run: whoever changes them steers sensitive pods, and the tokens they carry, onto a node of their choosing.",
	Remediation: "Remove update and patch on nodes from the role; node labels belong to the node's own kubelet (restricted by NodeRestriction) and to the cluster's operators.",
	References:  []hardening.Reference{refRBACGoodPractices, refNCC},
}, pPatchNodes)
