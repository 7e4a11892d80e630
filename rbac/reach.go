package rbac

// Check rbac.workload-reach: what a compromise of a workload's containers
// yields through its service account.
//
// Pod fields:
//
//	metadata.namespace
//	spec.serviceAccountName (and the deprecated spec.serviceAccount)
//	spec.automountServiceAccountToken
//	spec.volumes[].projected.sources[].serviceAccountToken
//
// Cluster objects: the ServiceAccount (its automountServiceAccountToken),
// every binding and role (resolved as the authorizer resolves them), the
// pod's Namespace (its pod-security.kubernetes.io/enforce label).
//
// The token is mounted as the kubelet decides: the pod's
// automountServiceAccountToken, else the ServiceAccount's, else true; a
// projected serviceAccountToken volume without an audience mounts one
// whatever they say. The account holds, besides its own bindings, those
// of the groups every token carries (system:serviceaccounts,
// system:serviceaccounts:<namespace>, system:authenticated), built-in ones
// included. The finding names what the grants yield, the binding chain as
// evidence: creating pods in namespace N yields every service-account
// token and Secret of N (a new pod mounts them, whatever N's Pod Security
// level), which in kube-system is cluster admin; it yields the node only
// where nothing forbids privileged pods, which from the audited objects is
// an assumption the message states. A workload whose account holds nothing
// ranked dangerous passes, without allocating. Without a Cluster (no
// objects around the workload were read) the check says nothing.

import (
	"slices"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/serviceaccount"
)

// WorkloadReach reports what a workload's service account token yields.
var WorkloadReach = &hardening.Check{
	ID:        "rbac.workload-reach",
	Title:     "workload's service account holds dangerous permissions",
	Severity:  hardening.SeverityHigh,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindPod,
	Platforms: hardening.PlatformAll,
	Rationale: "Whoever compromises a container, through the application or a supply-chain dependency, holds the pod's service-account token and " +
		"every permission RBAC grants the account: the step from one container to the namespace, the node or the cluster is usually one API call.",
	Remediation: "Give the workload an account of its own with only the permissions it uses, in the namespaces it works in; set automountServiceAccountToken: false where it never calls the API.",
	References:  []hardening.Reference{cis("5.1.5, 5.1.6"), refRBACGoodPractices, refNCC},
	Run:         runWorkloadReach,
}

// mount says why a pod holds its account's token.
type mount uint8

const (
	notMounted     mount = iota
	mountPod             // the pod sets automountServiceAccountToken: true
	mountAccount         // the ServiceAccount sets it true
	mountDefault         // neither says: the kubelet's default
	mountNoAccount       // the pod says nothing and the account is not audited
	mountProjected       // a projected serviceAccountToken volume
)

// tokenMount decides, as the kubelet does, whether the pod's containers
// get an API token of its account.
func tokenMount(s *hardening.Subject) (serviceaccount.Token, mount, string) {
	t := serviceaccount.PodToken(s)
	pod := s.Pod
	for i := range pod.Spec.Volumes {
		if p := pod.Spec.Volumes[i].Projected; p != nil {
			for j := range p.Sources {
				if tk := p.Sources[j].ServiceAccountToken; tk != nil && tk.Audience == "" {
					return t, mountProjected, pod.Spec.Volumes[i].Name
				}
			}
		}
	}
	switch {
	case !t.Automount:
		return t, notMounted, ""
	case t.DecidedBy == serviceaccount.DecidedByPod:
		return t, mountPod, ""
	case t.DecidedBy == serviceaccount.DecidedByAccount:
		return t, mountAccount, ""
	case t.Account == nil:
		return t, mountNoAccount, ""
	}
	return t, mountDefault, ""
}

func (m mount) String(volume string) string {
	switch m {
	case mountPod:
		return "the pod sets automountServiceAccountToken: true"
	case mountAccount:
		return "the ServiceAccount sets automountServiceAccountToken: true"
	case mountDefault:
		return "neither the pod nor the ServiceAccount sets automountServiceAccountToken, so the kubelet mounts it"
	case mountNoAccount:
		return "the pod does not set automountServiceAccountToken and the ServiceAccount is not among the audited objects, so the kubelet mounts it unless the account says otherwise"
	case mountProjected:
		return "the projected volume " + strconv.Quote(volume) + " holds a token for the API server"
	}
	return ""
}

func runWorkloadReach(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Cluster == nil {
		return out
	}
	t, m, volume := tokenMount(s)
	ns, account := t.Namespace, t.Name
	if ns == "" {
		ns = DefaultNamespace
	}
	if m == notMounted {
		return out
	}
	r := For(s.Cluster)
	if set, unknown := r.accountPowers(ns, account); set == 0 && !unknown {
		return out
	}
	reach := r.reachOf(ns, account)
	if len(reach.grants) == 0 && len(reach.unknown) == 0 {
		return out
	}
	return append(out, hardening.Finding{
		Path:     s.SpecPath("serviceAccountName"),
		Severity: reach.severity(),
		Message: "a compromise of this pod's containers yields, through the token of ServiceAccount " + ns + "/" + account +
			" (" + m.String(volume) + "): " + reach.describe(s.Cluster),
	})
}

// saKey builds the user name of a service account, or the group of a
// namespace's accounts, in buf: a map lookup with string(key) does not
// allocate.
func saKey(buf []byte, prefix, namespace, name string) []byte {
	b := append(buf[:0], prefix...)
	b = append(b, namespace...)
	if name != "" {
		b = append(b, ':')
		b = append(b, name...)
	}
	return b
}

// accountPowers returns the atoms the service account namespace/name
// holds with effect anywhere, and whether a binding that applies to it
// names a role the resolver does not know. It does not allocate.
func (r *Resolver) accountPowers(namespace, name string) (set powerSet, unknown bool) {
	var buf [128]byte
	var raw powerSet
	visit := func(refs []subjectRef) {
		for _, ref := range refs {
			b := r.bindings[ref.binding]
			if b.Role == nil {
				unknown = true
				continue
			}
			p := b.Role.all
			if b.Kind == KindRoleBinding {
				p &^= clusterOnly
			}
			raw |= p
		}
	}
	visit(r.users[string(saKey(buf[:], ServiceAccountPrefix, namespace, name))])
	visit(r.groups[AllServiceAccounts])
	visit(r.groups[string(saKey(buf[:], ServiceAccountsGroupPrefix, namespace, ""))])
	visit(r.groups[Authenticated])
	return effective(raw), unknown
}

// reachGrant is what one binding gives an account.
type reachGrant struct {
	binding *Binding
	subject int
	atoms   powerSet
	scope   string // namespace, "" for cluster-wide
}

type reach struct {
	grants  []reachGrant
	unknown []*Binding
	whole   powerSet
}

func (r *Resolver) reachOf(namespace, name string) reach {
	var out reach
	for _, g := range r.BindingsOf(ServiceAccount(namespace, name)) {
		b := g.Binding
		if b.Role == nil {
			out.unknown = append(out.unknown, b)
			continue
		}
		p := b.Role.all
		scope := ""
		if b.Kind == KindRoleBinding {
			p &^= clusterOnly
			scope = b.Namespace
		}
		out.whole |= p
		out.grants = append(out.grants, reachGrant{b, g.Subject, p, scope})
	}
	eff := effective(out.whole)
	out.grants = slices.DeleteFunc(out.grants, func(g reachGrant) bool { return g.atoms&eff == 0 })
	for i := range out.grants {
		out.grants[i].atoms &= eff
	}
	return out
}

func (rc *reach) severity() hardening.Severity {
	var s hardening.Severity
	for _, g := range rc.grants {
		s = max(s, severity(g.atoms, g.scope))
	}
	if s == 0 {
		s = hardening.SeverityLow // only unknown roles
	}
	return s
}

// clusterAdmin returns why the grants amount to cluster admin, or "".
func (rc *reach) clusterAdmin() string {
	for _, g := range rc.grants {
		switch {
		case g.scope == "" && g.atoms&(adminInKubeSystem|pImpersonate|pNodeProxy|pCSRApproval|pWebhooks) != 0:
			return "in effect cluster admin"
		case g.scope == "kube-system" && g.atoms&adminInKubeSystem != 0:
			return "in effect cluster admin (kube-system holds the controllers' service accounts)"
		}
	}
	return ""
}

// reachPhrase says what an atom yields a workload in a scope.
func reachPhrase(a powerSet, scope string) string {
	in := "namespace " + scope
	if scope == "" {
		in = "every namespace"
	}
	switch a {
	case pAll:
		if scope == "" {
			return "every permission on every object (cluster-admin)"
		}
		return "every permission in " + in
	case pSecretsList:
		return "every Secret of " + in
	case pSecretsGet:
		return "Secrets of " + in + " by name"
	case pCreatePods, pWorkloads:
		return "every service-account token and Secret of " + in + " (a new pod mounts them, whatever the Pod Security level)"
	case pUpdatePods:
		return "code in the running pods of " + in + " (an image swap)"
	case pExec:
		return "commands in every pod of " + in
	case pExecGet:
		return "commands in every pod of " + in + " on Kubernetes before " + ExecCreateSince.String() + " (get on pods/exec)"
	case pPortForward, pPortForwardGet:
		return "every pod port of " + in + ", past NetworkPolicies"
	case pEphemeral:
		return "debug containers in the pods of " + in
	case pTokenRequest:
		return "a token of every service account of " + in
	case pBind:
		return "any role in " + in + " (bind)"
	case pEscalate:
		return "any permission in " + in + " (escalate)"
	case pImpersonate:
		return "any identity, system:masters included (impersonate)"
	case pImpersonateSA:
		return "any service account of " + in + " (impersonate)"
	case pNodeProxy:
		return "commands in every pod of every node (nodes/proxy)"
	case pCSRApproval:
		return "client certificates for any identity (certificate approval)"
	case pWebhooks:
		return "every object admitted to the cluster (admission webhooks)"
	case pCreatePV:
		return "the nodes' filesystems (hostPath PersistentVolumes)"
	case pPatchNodes:
		return "where pods run (node labels and taints)"
	}
	return ""
}

// nodeClause says whether creating pods in a namespace also yields the
// node, from the namespace's Pod Security label among the audited objects.
func nodeClause(c *hardening.Cluster, namespace string) string {
	level := ""
	if n := c.Namespace(namespace); n != nil {
		level = n.Labels["pod-security.kubernetes.io/enforce"]
	}
	switch level {
	case "baseline", "restricted":
		return "; not the node: namespace " + namespace + " enforces Pod Security level " + level + ", which refuses privileged pods (unless an exemption applies)"
	case "privileged":
		return "; the node too: namespace " + namespace + " enforces Pod Security level privileged (another admission controller may still refuse privileged pods)"
	}
	return "; the node too, assuming nothing forbids privileged pods there: no pod-security.kubernetes.io/enforce label on namespace " + namespace +
		" among the audited objects, so the cluster's default level applies (privileged unless the API server's admission configuration sets another), and other admission controllers may refuse them"
}

func (rc *reach) describe(c *hardening.Cluster) string {
	var effects []string
	if why := rc.clusterAdmin(); why != "" {
		effects = append(effects, why)
	}
	scopes := []string{}
	for _, g := range rc.grants {
		if !slices.Contains(scopes, g.scope) {
			scopes = append(scopes, g.scope)
		}
	}
	slices.Sort(scopes) // cluster-wide ("") first
	for _, scope := range scopes {
		var atoms powerSet
		for _, g := range rc.grants {
			if g.scope == scope {
				atoms |= g.atoms
			}
		}
		var phrases []string
		pods := false
		// The most severe first.
		var order []powerSet
		for a := range eachAtom(atoms) {
			order = append(order, a)
		}
		slices.SortStableFunc(order, func(a, b powerSet) int { return int(severity(b, scope)) - int(severity(a, scope)) })
		for _, a := range order {
			if a&(pCreatePods|pWorkloads) != 0 {
				if pods {
					continue
				}
				pods = true
			}
			p := reachPhrase(a, scope)
			if a&(pCreatePods|pWorkloads) != 0 && scope != "" {
				p += nodeClause(c, scope)
			}
			phrases = append(phrases, p)
		}
		effects = append(effects, strings.Join(phrases, "; "))
	}
	msg := strings.Join(effects, "; ")
	var chain []string
	for _, g := range rc.grants {
		chain = append(chain, evidence(g))
	}
	if len(chain) > 0 {
		msg += " [via " + strings.Join(chain, "; ") + "]"
	}
	if len(rc.unknown) > 0 {
		var names []string
		for _, b := range rc.unknown {
			names = append(names, b.String()+" ("+b.Problem()+")")
		}
		if msg != "" {
			msg += "; "
		}
		msg += "and unknown permissions through " + strings.Join(names, ", ")
	}
	return msg
}

// evidence renders the chain of one grant: "RoleBinding ci/deployer
// (ServiceAccount ci/runner) → Role ci/deployer rules[0]".
func evidence(g reachGrant) string {
	b := g.binding
	s := b.Subjects[g.subject]
	via := subjectName(s.Kind, s.Name, s.Namespace)
	if s.Kind == rbacv1.ServiceAccountKind && s.Namespace == "" {
		via = subjectName(s.Kind, s.Name, b.Namespace)
	}
	role := b.Role
	var rules []string
	for i, p := range role.powers {
		if p&g.atoms != 0 {
			r := role.RulePath(i)
			if o := role.Origins[i].Role; o != role {
				r = o.String() + " " + r
			}
			rules = append(rules, r)
		}
	}
	name := b.String()
	if b.Builtin() {
		name += " (built in)"
	}
	rn := role.String()
	if role.Builtin() {
		rn += " (built in)"
	}
	return name + " (" + via + ") → " + rn + " " + strings.Join(firstN(rules, 3), ", ")
}

func firstN(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], "…")
}
