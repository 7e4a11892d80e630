package rbac

import (
	rbacv1 "k8s.io/api/rbac/v1"
)

// powerSet is a set of dangerous permissions (atoms), one bit each. An atom
// is granted by a rule when the rule allows one of its probe requests as
// the authorizer matches them ([RuleAllows]); probes name no object, so a
// rule that lists resourceNames (limited to the objects named) grants no
// atom.
type powerSet uint32

const (
	pAll            powerSet = 1 << iota // every verb on every resource of every group
	pSecretsList                         // list or watch Secrets: their contents
	pSecretsGet                          // get Secrets by name
	pCreatePods                          // create Pods
	pWorkloads                           // create, update or patch a pod controller
	pUpdatePods                          // update or patch Pods (swap an image)
	pExec                                // create pods/exec or pods/attach
	pExecGet                             // get pods/exec or pods/attach (WebSocket, before 1.35)
	pPortForward                         // create pods/portforward
	pPortForwardGet                      // get pods/portforward (WebSocket, before 1.35)
	pEphemeral                           // update or patch pods/ephemeralcontainers
	pTokenRequest                        // create serviceaccounts/token
	pBind                                // bind roles or clusterroles
	pEscalate                            // escalate roles or clusterroles
	pCreateBindings                      // create rolebindings or clusterrolebindings
	pWriteRoles                          // create, update or patch roles or clusterroles
	pImpersonate                         // impersonate users, groups, uids or userextras
	pImpersonateSA                       // impersonate serviceaccounts
	pNodeProxy                           // get or create nodes/proxy
	pCSRApproval                         // update or patch certificatesigningrequests/approval
	pSignerApprove                       // approve on a signer that issues client certificates
	pWebhooks                            // write admission webhook configurations or policies
	pCreatePV                            // create PersistentVolumes
	pPatchNodes                          // update or patch Nodes
	atomCount       = iota
)

// clusterOnly are the atoms on cluster-scoped objects: a RoleBinding
// never grants them (its rules apply to requests in its namespace only).
const clusterOnly = pImpersonate | pNodeProxy | pCSRApproval | pSignerApprove | pWebhooks | pCreatePV | pPatchNodes

// notable are the atoms that make a grant worth reporting on its own
// (pCreateBindings and pWriteRoles matter only beside bind and escalate).
const notable = ^(pCreateBindings | pWriteRoles) & (1<<atomCount - 1)

// field is the list of a rule whose element grants an atom.
type field uint8

const (
	inResources field = iota
	inVerbs
)

type atom struct {
	bit    powerSet
	field  field
	probes []Request
}

func res(group, resource, sub string, verbs ...string) []Request {
	var out []Request
	for _, v := range verbs {
		out = append(out, Request{Verb: v, APIGroup: group, Resource: resource, Subresource: sub})
	}
	return out
}

func join(lists ...[]Request) []Request {
	var out []Request
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// sentinel is no verb, group or resource a rule names except by "*".
const sentinel = "\x00"

var atoms = [atomCount]atom{
	{pAll, inResources, res(sentinel, sentinel, "", sentinel)},
	{pSecretsList, inResources, res("", "secrets", "", "list", "watch")},
	{pSecretsGet, inResources, res("", "secrets", "", "get")},
	{pCreatePods, inResources, res("", "pods", "", "create")},
	{pWorkloads, inResources, join(
		res("apps", "deployments", "", "create", "update", "patch"),
		res("apps", "replicasets", "", "create", "update", "patch"),
		res("apps", "statefulsets", "", "create", "update", "patch"),
		res("apps", "daemonsets", "", "create", "update", "patch"),
		res("batch", "jobs", "", "create", "update", "patch"),
		res("batch", "cronjobs", "", "create", "update", "patch"),
		res("", "replicationcontrollers", "", "create", "update", "patch"),
	)},
	{pUpdatePods, inResources, res("", "pods", "", "update", "patch")},
	{pExec, inResources, join(res("", "pods", "exec", "create"), res("", "pods", "attach", "create"))},
	{pExecGet, inResources, join(res("", "pods", "exec", "get"), res("", "pods", "attach", "get"))},
	{pPortForward, inResources, res("", "pods", "portforward", "create")},
	{pPortForwardGet, inResources, res("", "pods", "portforward", "get")},
	{pEphemeral, inResources, res("", "pods", "ephemeralcontainers", "update", "patch")},
	{pTokenRequest, inResources, res("", "serviceaccounts", "token", "create")},
	{pBind, inVerbs, join(res(rbacv1.GroupName, "roles", "", "bind"), res(rbacv1.GroupName, "clusterroles", "", "bind"))},
	{pEscalate, inVerbs, join(res(rbacv1.GroupName, "roles", "", "escalate"), res(rbacv1.GroupName, "clusterroles", "", "escalate"))},
	{pCreateBindings, inResources, join(res(rbacv1.GroupName, "rolebindings", "", "create"), res(rbacv1.GroupName, "clusterrolebindings", "", "create"))},
	{pWriteRoles, inResources, join(res(rbacv1.GroupName, "roles", "", "create", "update", "patch"), res(rbacv1.GroupName, "clusterroles", "", "create", "update", "patch"))},
	{pImpersonate, inVerbs, join(
		res("", "users", "", "impersonate"), res("", "groups", "", "impersonate"),
		res("authentication.k8s.io", "uids", "", "impersonate"),
		res("authentication.k8s.io", "userextras", sentinel, "impersonate"),
	)},
	{pImpersonateSA, inVerbs, res("", "serviceaccounts", "", "impersonate")},
	{pNodeProxy, inResources, res("", "nodes", "proxy", "get", "create")},
	{pCSRApproval, inResources, res("certificates.k8s.io", "certificatesigningrequests", "approval", "update", "patch")},
	{pSignerApprove, inVerbs, []Request{
		{Verb: "approve", APIGroup: "certificates.k8s.io", Resource: "signers", Name: "kubernetes.io/kube-apiserver-client"},
		{Verb: "approve", APIGroup: "certificates.k8s.io", Resource: "signers", Name: "kubernetes.io/*"},
	}},
	{pWebhooks, inResources, join(
		res("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "", "create", "update", "patch"),
		res("admissionregistration.k8s.io", "validatingwebhookconfigurations", "", "create", "update", "patch"),
		res("admissionregistration.k8s.io", "mutatingadmissionpolicies", "", "create", "update", "patch"),
		res("admissionregistration.k8s.io", "mutatingadmissionpolicybindings", "", "create", "update", "patch"),
	)},
	{pCreatePV, inResources, res("", "persistentvolumes", "", "create")},
	{pPatchNodes, inResources, res("", "nodes", "", "update", "patch")},
}

// rulePowers returns the atoms a rule grants.
func rulePowers(rule *rbacv1.PolicyRule) powerSet {
	if len(rule.Verbs) == 0 || len(rule.Resources) == 0 {
		return 0
	}
	var set powerSet
	for i := range atoms {
		for j := range atoms[i].probes {
			if RuleAllows(rule, &atoms[i].probes[j]) {
				set |= atoms[i].bit
				break
			}
		}
	}
	return set
}

// locate returns the index of the element of the rule's resources or
// verbs that grants atom a, the first if several do.
func locate(rule *rbacv1.PolicyRule, a *atom) (field, int) {
	list := rule.Resources
	if a.field == inVerbs {
		list = rule.Verbs
	}
	narrowed := *rule
	for j := range list {
		if a.field == inVerbs {
			narrowed.Verbs = list[j : j+1]
		} else {
			narrowed.Resources = list[j : j+1]
		}
		for k := range a.probes {
			if RuleAllows(&narrowed, &a.probes[k]) {
				return a.field, j
			}
		}
	}
	return a.field, 0
}

func (r *Role) computePowers() {
	r.powers = make([]powerSet, len(r.Rules))
	r.all = 0
	for i := range r.Rules {
		r.powers[i] = rulePowers(&r.Rules[i])
		r.all |= r.powers[i]
	}
	if r.Kind == KindRole {
		// A Role's rules apply inside its namespace only.
		for i := range r.powers {
			r.powers[i] &^= clusterOnly
		}
		r.all &^= clusterOnly
	}
}
