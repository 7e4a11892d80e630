package rbac

// Checks on the rules of Roles and ClusterRoles.
//
// Object fields:
//
//	rules[i].verbs, rules[i].apiGroups, rules[i].resources, rules[i].resourceNames
//	metadata.labels (aggregation into other ClusterRoles), aggregationRule
//
// A rule grants a dangerous permission when it allows one of the
// permission's requests as the authorizer matches them (RuleAllows): "*"
// covers every verb, group and resource, subresources included, "*/exec"
// every exec subresource; "pods/*" covers nothing. A rule that lists
// resourceNames grants only the objects named and is not reported. The
// finding is at the resources element that grants it (the verbs element
// for bind, escalate, impersonate and approve). A rule with "*" verbs,
// resources and groups is reported once, by rbac.wildcard. Permissions on
// cluster-scoped objects (nodes, PersistentVolumes, webhooks, certificate
// approval, impersonating users) are not reported on a Role, where they
// have no effect. The rules a ClusterRole's aggregationRule replaces are
// not reported: the roles they come from are.
//
// The message says what the grant leads to, and how the role is granted
// among the audited objects: cluster-wide through ClusterRoleBindings, in
// some namespaces through RoleBindings (where a ClusterRole's rules on
// cluster-scoped objects have no effect), through aggregation into another
// ClusterRole (a chart's role labelled aggregate-to-edit extends every
// holder of edit and admin), or by no audited binding yet. The severity
// follows: cluster-wide grants rank highest, and in kube-system what
// yields tokens, Secrets or code in pods is cluster admin.

import (
	"slices"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/netpol"
)

// roleSubject is a Role or ClusterRole subject.
type roleSubject struct {
	kind, namespace, name string
	rules                 []rbacv1.PolicyRule
	labels                map[string]string
	aggregation           *rbacv1.AggregationRule
}

func roleOf(s *hardening.Subject) (roleSubject, bool) {
	if s.Object == nil {
		return roleSubject{}, false
	}
	switch o := s.Object.Object.(type) {
	case *rbacv1.Role:
		if o == nil {
			return roleSubject{}, false
		}
		return roleSubject{KindRole, objectNamespace(s.Object), s.Object.Name, o.Rules, o.Labels, nil}, true
	case *rbacv1.ClusterRole:
		if o == nil {
			return roleSubject{}, false
		}
		return roleSubject{KindClusterRole, "", s.Object.Name, o.Rules, o.Labels, o.AggregationRule}, true
	}
	return roleSubject{}, false
}

// replaced reports whether the aggregation controller replaces the
// subject's written rules.
func (rs *roleSubject) replaced(r *Resolver) bool {
	if rs.aggregation == nil {
		return false
	}
	role := r.ClusterRole(rs.name)
	if role == nil || role.AggregationRule == nil {
		return false
	}
	for _, o := range role.Origins {
		if o.Role != role {
			return true
		}
	}
	return false
}

// ruleScope is how the audited objects grant a role.
type ruleScope struct {
	known      bool     // the run has a Cluster
	cluster    []string // ClusterRoleBindings, "name (to subjects)"
	namespaces []string // namespaces of RoleBindings
	into       []string // ClusterRoles it is aggregated into, transitively
	intoBound  bool     // one of them is granted by a ClusterRoleBinding
}

func scopeOf(s *hardening.Subject, rs *roleSubject) ruleScope {
	r := For(s.Cluster)
	sc := ruleScope{known: s.Cluster != nil}
	if role := rs.resolved(r); role != nil && role.Object != nil {
		for _, b := range r.BoundBy(role) {
			if b.Kind == KindClusterRoleBinding {
				sc.cluster = append(sc.cluster, b.Name+subjectsPhrase(b))
			} else {
				sc.namespaces = append(sc.namespaces, b.Namespace)
			}
		}
	}
	if rs.kind == KindClusterRole {
		for _, into := range r.aggregatorsOf(rs.name, rs.labels) {
			name := into.Name
			if into.Builtin() {
				name += " (built in)"
			}
			sc.into = append(sc.into, name)
			for _, b := range r.BoundBy(into) {
				sc.intoBound = sc.intoBound || b.Kind == KindClusterRoleBinding
			}
		}
	}
	sc.namespaces = sortedUnique(sc.namespaces)
	return sc
}

// subjectsPhrase renders " (to ServiceAccount ci/runner and 2 more)".
func subjectsPhrase(b *Binding) string {
	if len(b.Subjects) == 0 {
		return " (to no subject)"
	}
	s := b.Subjects[0]
	ns := s.Namespace
	if s.Kind == rbacv1.ServiceAccountKind && ns == "" {
		ns = b.Namespace
	}
	p := " (to " + subjectName(s.Kind, s.Name, ns)
	if len(b.Subjects) > 1 {
		p += " and " + strconv.Itoa(len(b.Subjects)-1) + " more"
	}
	return p + ")"
}

// clusterWide reports whether the role's rules apply in every namespace.
func (sc *ruleScope) clusterWide(kind string) bool {
	if kind == KindRole {
		return false
	}
	// Unbound, a ClusterRole is judged for what a ClusterRoleBinding
	// would grant.
	return len(sc.cluster) > 0 || len(sc.into) > 0 || len(sc.namespaces) == 0
}

// phrase renders how the role is granted.
func (sc *ruleScope) phrase(kind, namespace string) string {
	var parts []string
	if len(sc.cluster) > 0 {
		parts = append(parts, "granted cluster-wide by ClusterRoleBinding "+andList(sc.cluster))
	}
	if len(sc.namespaces) > 0 {
		p := "granted in namespace " + andList(sc.namespaces) + " by RoleBindings"
		if kind == KindRole {
			p = "granted in namespace " + namespace + " by RoleBindings"
		}
		parts = append(parts, p)
	}
	if len(sc.into) > 0 {
		parts = append(parts, "aggregated into ClusterRole "+andList(sc.into)+", whose holders all gain it")
	}
	if len(parts) == 0 {
		if !sc.known {
			if kind == KindRole {
				return "in namespace " + namespace
			}
			return "cluster-wide where a ClusterRoleBinding grants it"
		}
		if kind == KindRole {
			return "in namespace " + namespace + "; no audited RoleBinding grants it yet"
		}
		return "no audited binding grants it yet; cluster-wide where a ClusterRoleBinding does"
	}
	return strings.Join(parts, "; ")
}

// severity ranks the atoms of set for a role granted as sc.
func (sc *ruleScope) severity(set powerSet, kind, namespace string) hardening.Severity {
	if kind == KindRole {
		return severity(set, namespace)
	}
	if sc.clusterWide(kind) {
		return severity(set, "")
	}
	// Through RoleBindings only: cluster-scoped permissions do nothing.
	if set&^clusterOnly == 0 {
		return hardening.SeverityLow
	}
	var s hardening.Severity
	for _, ns := range sc.namespaces {
		s = max(s, severity(set&^clusterOnly, ns))
	}
	return s
}

// runRuleCheck reports the atoms of set that the subject's rules grant.
func runRuleCheck(s *hardening.Subject, out []hardening.Finding, set powerSet) []hardening.Finding {
	rs, ok := roleOf(s)
	if !ok {
		return out
	}
	// What the role grants as a whole: bind and escalate depend on their
	// companions, certificate approval on a signer.
	var whole powerSet
	var per [16]powerSet
	perRule := per[:0]
	if len(rs.rules) > len(per) {
		perRule = make([]powerSet, 0, len(rs.rules))
	}
	if role := rs.resolved(For(s.Cluster)); role != nil && role.Object == s.Object && role.AggregationRule == nil {
		perRule, whole = role.powers, role.all
	} else {
		for i := range rs.rules {
			p := rulePowers(&rs.rules[i])
			if rs.kind == KindRole {
				p &^= clusterOnly
			}
			perRule = append(perRule, p)
			whole |= p
		}
	}
	if whole&set == 0 {
		return out
	}
	if rs.aggregation != nil && rs.replaced(For(s.Cluster)) {
		return out
	}
	var sc *ruleScope
	for i, p := range perRule {
		if p&pAll != 0 {
			continue // rbac.wildcard reports it
		}
		mine := subsume(p) & set
		if mine&(pCSRApproval|pSignerApprove) != 0 && whole&pCSRApproval|whole&pSignerApprove != pCSRApproval|pSignerApprove {
			mine &^= pCSRApproval | pSignerApprove
		}
		if mine == 0 {
			continue
		}
		if sc == nil {
			v := scopeOf(s, &rs)
			sc = &v
		}
		// One finding per element that grants: atoms located at the same
		// element are one root cause.
		type located struct {
			path  string
			atoms powerSet
		}
		var at []located
		for a := range eachAtom(mine) {
			f, j := locate(&rs.rules[i], atomByBit(a))
			path := "rules[" + strconv.Itoa(i) + "]." + fieldName(f) + "[" + strconv.Itoa(j) + "]"
			k := slices.IndexFunc(at, func(l located) bool { return l.path == path })
			if k < 0 {
				at = append(at, located{path, a})
			} else {
				at[k].atoms |= a
			}
		}
		for _, l := range at {
			out = append(out, hardening.Finding{
				Path:     s.ObjectPath(l.path),
				Severity: sc.ruleSeverity(l.atoms, whole, rs.kind, rs.namespace),
				Message:  ruleMessage(i, &rs, l.atoms, whole, sc),
			})
		}
	}
	return out
}

// weak returns the atoms of located that lack, in the role, the companion
// they need to take effect: bind without create on bindings, escalate
// without a write to roles. They rank medium.
func weak(located, whole powerSet) powerSet {
	var out powerSet
	if located&pBind != 0 && whole&pCreateBindings == 0 {
		out |= pBind
	}
	if located&pEscalate != 0 && whole&pWriteRoles == 0 {
		out |= pEscalate
	}
	return out
}

func (sc *ruleScope) ruleSeverity(located, whole powerSet, kind, namespace string) hardening.Severity {
	w := weak(located, whole)
	s := sc.severity(located&^w, kind, namespace)
	if w != 0 {
		s = max(s, hardening.SeverityMedium)
	}
	return s
}

func ruleMessage(i int, rs *roleSubject, atoms, whole powerSet, sc *ruleScope) string {
	var yields []string
	for a := range eachAtom(atoms) {
		info := atomInfos[a]
		y := info.yields
		switch {
		case a == pBind && whole&pCreateBindings == 0:
			y = "once combined with create on rolebindings or clusterrolebindings, which this role does not grant: " + y
		case a == pEscalate && whole&pWriteRoles == 0:
			y = "once combined with update on roles or clusterroles, which this role does not grant: " + y
		}
		yields = append(yields, y)
	}
	grants := grantsPhrase(atoms &^ pSignerApprove)
	if atoms == pSignerApprove {
		grants = atomInfos[pCSRApproval].grants
		yields = []string{atomInfos[pCSRApproval].yields}
	}
	msg := "rules[" + strconv.Itoa(i) + "] grants " + grants + " (" + sc.phrase(rs.kind, rs.namespace) + "): " + strings.Join(yields, "; ")
	if rs.kind == KindClusterRole && !sc.clusterWide(rs.kind) && atoms&clusterOnly != 0 {
		msg += "; through RoleBindings alone it has no effect (they never grant cluster-scoped objects), until a ClusterRoleBinding grants the role"
	}
	return msg
}

func fieldName(f field) string {
	if f == inVerbs {
		return "verbs"
	}
	return "resources"
}

func atomByBit(a powerSet) *atom {
	for i := range atoms {
		if atoms[i].bit == a {
			return &atoms[i]
		}
	}
	return &atoms[0]
}

// aggregatorsOf returns the aggregated ClusterRoles that a ClusterRole
// named name with labels flows into, directly or through others, in the
// resolver's order.
func (r *Resolver) aggregatorsOf(name string, labels map[string]string) []*Role {
	var out []*Role
	add := func(a *Role) bool {
		if a.Name == name || slices.Contains(out, a) {
			return false
		}
		out = append(out, a)
		return true
	}
	var queue []*Role
	for _, a := range r.roles {
		if a.Kind != KindClusterRole || a.AggregationRule == nil || a.badSelector {
			continue
		}
		for i := range a.AggregationRule.ClusterRoleSelectors {
			if netpol.MatchesLabels(&a.AggregationRule.ClusterRoleSelectors[i], labels) {
				if add(a) {
					queue = append(queue, a)
				}
				break
			}
		}
	}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, next := range r.into[a] {
			if add(next) {
				queue = append(queue, next)
			}
		}
	}
	return out
}

// resolved returns the Role or ClusterRole of the subject's object as r
// resolved it, or nil.
func (rs *roleSubject) resolved(r *Resolver) *Role {
	if rs.kind == KindRole {
		return r.Role(rs.namespace, rs.name)
	}
	return r.ClusterRole(rs.name)
}
