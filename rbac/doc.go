// Package rbac resolves who may do what in a Kubernetes cluster from its
// Role, ClusterRole, RoleBinding and ClusterRoleBinding objects, exactly as
// the Kubernetes RBAC authorizer decides, and holds the checks on dangerous
// grants and on what each workload's service account reaches: the
// management layer of the threat model.
//
// # The model
//
// A [Resolver] is built once per run over the objects of a
// [hardening.Cluster] ([For] shares it through Cluster.Derived; [New]
// takes [Options]). It answers [Resolver.Authorize]: may a [User] make a
// [Request], and through which binding, subject and rule. The semantics
// are the authorizer's (plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation of Kubernetes), checked against its code in
// the module rbactest:
//
//   - Rules ([RuleAllows]). Verbs and apiGroups match an equal element or
//     "*". Resources match "*" (every resource and subresource), the exact
//     "resource" or "resource/subresource", or "*/subresource"; "pods/*"
//     is no wildcard. resourceNames, when listed, must contain the
//     requested name, so a rule that lists names never allows a request
//     without one: create, deletecollection, list and watch without a
//     metadata.name field selector. nonResourceURLs match "*", the path,
//     or a prefix ending in "*". Matching is case-sensitive.
//   - Bindings. ClusterRoleBindings apply to every request; the
//     RoleBindings of a namespace to requests in that namespace only, so a
//     RoleBinding to a ClusterRole grants its rules inside the binding's
//     namespace and never on cluster-scoped objects (nodes,
//     PersistentVolumes, webhooks) or non-resource URLs. The authorizer
//     visits ClusterRoleBindings, then RoleBindings, in order, and allows
//     at the first rule that matches; Decision.Grant is that rule.
//   - Subjects. A User subject matches by name, a Group by membership, a
//     ServiceAccount by its user name system:serviceaccount:<ns>:<name>,
//     its namespace defaulting to a RoleBinding's own (in a
//     ClusterRoleBinding an account without namespace matches no one).
//     [ServiceAccount] returns the identity a token carries, with the
//     groups system:serviceaccounts, system:serviceaccounts:<ns> and
//     system:authenticated; [AnonymousUser] that of an anonymous request.
//     Members of system:masters bypass RBAC in the API server;
//     Authorize judges RBAC alone.
//   - Aggregation. A ClusterRole with an aggregationRule gets the rules of
//     the ClusterRoles its selectors match, as the clusterrole-aggregation
//     controller computes them (selectors in order, roles by name, itself
//     excluded, equal rules once, nested aggregation to its fixed point;
//     a selector it cannot read, or a result without rules, leaves the
//     rules as written). Role.Origins says where each aggregated rule was
//     written. Options.AsWritten reads the rules as a live cluster holds
//     them, already aggregated.
//   - Built-in roles. Unless Options.NoBuiltins, the roles and bindings of
//     Kubernetes' bootstrap policy ([BootstrapVersion], generated from
//     plugin/pkg/auth/authorizer/rbac/bootstrappolicy by go generate in
//     rbactest) that the input lacks are assumed, as every API server
//     creates them: a binding to edit or system:auth-delegator resolves,
//     and the default grants (system:basic-user to every authenticated
//     user, …) apply. A binding to a role that is neither among the input
//     nor built in is unknown, never "no permissions": Decision.Unknown
//     lists such bindings, and rbac.missing-role reports them.
//   - Objects. Of several objects of one kind, namespace and name the
//     first counts, as [hardening.Cluster.Get] returns it; a namespaced
//     object without a namespace is in [DefaultNamespace], the namespace
//     kubectl and helm apply it to when none is named.
//
// [Resolver.Powers] lists the dangerous permissions an identity holds;
// [Resolver.Grants] every rule it holds in a namespace, as
// SelfSubjectRulesReview would.
//
// # Checks
//
// [Checks] returns the checks. On Roles and ClusterRoles, at the element of
// the rule that grants (rules[i].resources[j], or rules[i].verbs[j] for a
// verb), with the severity of what the grant leads to where the audited
// bindings grant the role (cluster-wide, in namespaces, through
// aggregation into another role such as edit, or not yet):
//
//	rbac.wildcard                      "*" in verbs, resources or apiGroups (CIS 5.1.3); all three: every permission
//	rbac.secrets-access                list, watch or get on Secrets (CIS 5.1.2)
//	rbac.pod-creation                  create pods, create or change pod controllers, update pods (CIS 5.1.4)
//	rbac.pod-exec                      pods/exec, pods/attach: create, or get before Kubernetes 1.35
//	rbac.pod-port-forward              pods/portforward
//	rbac.ephemeral-containers          pods/ephemeralcontainers
//	rbac.token-request                 serviceaccounts/token (CIS 5.1.13)
//	rbac.bind-escalate                 bind, escalate on roles (CIS 5.1.8)
//	rbac.impersonate                   impersonate users, groups, uids, service accounts (CIS 5.1.8)
//	rbac.node-proxy                    nodes/proxy, get or create (CIS 5.1.10)
//	rbac.csr-approval                  certificate approval with the kube-apiserver-client signer (CIS 5.1.11)
//	rbac.admission-webhooks            writing webhook configurations and mutating admission policies (CIS 5.1.12)
//	rbac.persistent-volume-creation    create PersistentVolumes (CIS 5.1.9)
//	rbac.node-modification             update or patch Nodes
//
// On RoleBindings and ClusterRoleBindings, at the offending subject:
//
//	rbac.cluster-admin-binding         cluster-admin (or every verb on every resource) bound to other than the control plane (CIS 5.1.1)
//	rbac.public-binding                bound to system:anonymous, system:unauthenticated, system:authenticated or system:serviceaccounts
//	rbac.default-service-account-binding  bound to a namespace's default service account (CIS 5.1.5)
//	rbac.foreign-service-account-binding  a RoleBinding to a service account of another namespace
//	rbac.missing-role                  a role that exists nowhere (roleRef.name), or a roleRef kind the authorizer ignores
//
// On Pods and workloads, at spec.serviceAccountName (or where it would be
// set), with the binding chain as evidence:
//
//	rbac.workload-reach                what a compromise of the containers yields through the mounted token
//
// A workload's token is mounted as the kubelet decides: the pod's
// automountServiceAccountToken, else the ServiceAccount's, else true; a
// projected serviceAccountToken volume for the API server mounts one
// anyway. Creating pods in a namespace yields every service-account token
// and Secret there, whatever its Pod Security level (in kube-system that
// is cluster admin); it yields the node only where nothing forbids
// privileged pods, and the message says what the namespace's
// pod-security.kubernetes.io/enforce label, or its absence among the
// audited objects, implies. Checks that rest on absence (a missing role,
// what a workload reaches) say nothing when the run has no Cluster.
//
// Each check's file opens with the fields it reads and what it reports:
// rules.go, wildcard.go, bindings.go and reach.go.
//
// # Why a package of its own
//
// Authorization is the orchestrator's control, the management layer of
// the threat model; it judges objects (roles, bindings) and joins them to
// workloads through the Cluster, which no other concern package does.
package rbac
