package rbac

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"sync"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// DefaultNamespace is the namespace the resolver puts a namespaced object
// (Role, RoleBinding, Pod) in when its manifest leaves metadata.namespace
// unset: the namespace kubectl and helm apply it to when none is named.
// Objects written to be applied together thus resolve together.
const DefaultNamespace = "default"

// Kinds of roles and bindings, as roleRef.kind and Binding.Kind spell them.
const (
	KindRole               = "Role"
	KindClusterRole        = "ClusterRole"
	KindRoleBinding        = "RoleBinding"
	KindClusterRoleBinding = "ClusterRoleBinding"
)

// Options choose what a [Resolver] assumes beyond its input.
type Options struct {
	// NoBuiltins resolves the input alone. By default the roles and
	// bindings of Kubernetes' bootstrap policy ([BootstrapVersion]) that
	// the input lacks are assumed present, as the API server creates them
	// in every cluster: a binding to "edit" or "system:auth-delegator"
	// resolves, and the default bindings (system:basic-user to every
	// authenticated user, …) apply.
	NoBuiltins bool
	// AsWritten takes every ClusterRole's rules as written, as the
	// authorizer reads them from a live cluster whose aggregation
	// controller has already run. By default the rules of a ClusterRole
	// with an aggregationRule are computed as the controller computes them.
	AsWritten bool
}

// Role is a Role or ClusterRole as the resolver sees it.
type Role struct {
	// Kind is KindRole or KindClusterRole; Namespace is empty for a
	// ClusterRole.
	Kind, Namespace, Name string
	// Object is where the role was read; nil for a built-in role of the
	// bootstrap policy that the input lacks.
	Object *hardening.ClusterObject
	// Labels and AggregationRule are the object's.
	Labels          map[string]string
	AggregationRule *rbacv1.AggregationRule
	// Written are the rules as written in the object.
	Written []rbacv1.PolicyRule
	// Rules are the rules the authorizer reads: the aggregated rules of
	// a ClusterRole with an aggregationRule (unless Options.AsWritten),
	// Written otherwise.
	Rules []rbacv1.PolicyRule
	// Origins says, for each of Rules, the role and index in its Written
	// rules where it was written: the role itself, or for an aggregated
	// role the role it was aggregated from.
	Origins []RuleOrigin
	// Aggregation holds what went wrong computing aggregated rules: a
	// selector the controller cannot read (Rules are then Written, as the
	// controller leaves the role alone), or aggregation in a cycle that
	// never settles (Rules are then the union of every state it goes
	// through). Empty otherwise.
	Aggregation string

	powers      []powerSet // per rule of Rules
	all         powerSet   // the role's powers, rules combined
	badSelector bool       // a selector the controller cannot read: it aggregates nothing
}

// RuleOrigin is where a rule was written.
type RuleOrigin struct {
	Role  *Role
	Index int
}

// Builtin reports whether the role comes from the bootstrap policy rather
// than the input.
func (r *Role) Builtin() bool { return r.Object == nil }

// String renders "ClusterRole edit" or "Role prod/app".
func (r *Role) String() string {
	if r.Namespace == "" {
		return r.Kind + " " + r.Name
	}
	return r.Kind + " " + r.Namespace + "/" + r.Name
}

// RulePath returns the field path of the written rule an effective rule
// came from, in its role's object: "rules[2]" (or "items[1].rules[2]").
func (r *Role) RulePath(rule int) string {
	o := r.Origins[rule]
	p := "rules[" + strconv.Itoa(o.Index) + "]"
	if o.Role.Object != nil {
		p = o.Role.Object.FieldPath(p)
	}
	return p
}

// Binding is a RoleBinding or ClusterRoleBinding as the resolver sees it.
type Binding struct {
	// Kind is KindRoleBinding or KindClusterRoleBinding; Namespace is
	// empty for a ClusterRoleBinding.
	Kind, Namespace, Name string
	// Object is where the binding was read; nil for a built-in binding of
	// the bootstrap policy that the input lacks.
	Object   *hardening.ClusterObject
	RoleRef  rbacv1.RoleRef
	Subjects []rbacv1.Subject
	// Role is the role RoleRef names, nil when it names none the resolver
	// knows (see Problem).
	Role *Role

	order int
}

// Builtin reports whether the binding comes from the bootstrap policy
// rather than the input.
func (b *Binding) Builtin() bool { return b.Object == nil }

// String renders "ClusterRoleBinding ci" or "RoleBinding prod/app".
func (b *Binding) String() string {
	if b.Namespace == "" {
		return b.Kind + " " + b.Name
	}
	return b.Kind + " " + b.Namespace + "/" + b.Name
}

// Problem says why Role is nil: a roleRef kind the authorizer does not
// know, or a role that is neither among the input nor built in. Its
// permissions are then unknown: the authorizer grants nothing through it
// today, but whoever creates the role later activates the binding.
func (b *Binding) Problem() string {
	if b.Role != nil {
		return ""
	}
	switch b.RoleRef.Kind {
	case KindRole:
		return fmt.Sprintf("Role %s/%s is not among the audited objects", b.Namespace, b.RoleRef.Name)
	case KindClusterRole:
		return fmt.Sprintf("ClusterRole %s is neither among the audited objects nor a built-in role of Kubernetes %s", b.RoleRef.Name, BootstrapVersion)
	}
	return fmt.Sprintf("roleRef.kind %q is neither Role nor ClusterRole: the binding grants nothing", b.RoleRef.Kind)
}

// Resolver answers who may do what among a set of RBAC objects, exactly
// as the Kubernetes RBAC authorizer decides. It is built once per run
// ([For], [New]) and safe for concurrent use.
type Resolver struct {
	opts         Options
	roles        []*Role
	clusterRoles map[string]*Role
	nsRoles      map[nsName]*Role
	// bindings: ClusterRoleBindings first, then RoleBindings, each in
	// input order followed by the built-in ones: the order in which the
	// authorizer visits them.
	bindings []*Binding
	users    map[string][]subjectRef
	groups   map[string][]subjectRef
	boundBy  map[*Role][]*Binding
	// into maps a role to the aggregated roles its rules flow into.
	into map[*Role][]*Role
}

type nsName struct{ namespace, name string }

// subjectRef is subject Subject of binding Binding (indexes).
type subjectRef struct{ binding, subject int32 }

type resolverKey struct{ opts Options }

// For returns the resolver of the run's objects with the default
// [Options], built once per Cluster and shared by every check of the run.
// For a nil Cluster it resolves the built-in policy alone.
func For(c *hardening.Cluster) *Resolver {
	if c == nil {
		return builtinOnly()
	}
	return c.Derived(resolverKey{}, buildDefault).(*Resolver)
}

// builtinOnly resolves the built-in policy alone, once.
var builtinOnly = sync.OnceValue(func() *Resolver { return New(nil, Options{}) })

func buildDefault(c *hardening.Cluster) any { return New(c, Options{}) }

// New builds a resolver over the RBAC objects of c. Objects of the same
// kind, namespace and name count once, the first as [hardening.Cluster.Get]
// returns it; namespaced objects without a namespace are in
// [DefaultNamespace].
func New(c *hardening.Cluster, opts Options) *Resolver {
	r := &Resolver{
		opts:         opts,
		clusterRoles: map[string]*Role{},
		nsRoles:      map[nsName]*Role{},
		users:        map[string][]subjectRef{},
		groups:       map[string][]subjectRef{},
		boundBy:      map[*Role][]*Binding{},
	}
	r.addRoles(c)
	if !opts.AsWritten {
		r.aggregate()
	}
	for _, role := range r.roles {
		role.computePowers()
	}
	r.addBindings(c)
	return r
}

func objectNamespace(o *hardening.ClusterObject) string {
	if o.Namespace == "" {
		return DefaultNamespace
	}
	return o.Namespace
}

func (r *Resolver) addRoles(c *hardening.Cluster) {
	for o := range c.List(hardening.KindClusterRole, hardening.AllNamespaces) {
		cr, ok := o.Object.(*rbacv1.ClusterRole)
		if !ok || cr == nil || r.clusterRoles[o.Name] != nil {
			continue
		}
		role := &Role{Kind: KindClusterRole, Name: o.Name, Object: o, Labels: cr.Labels, AggregationRule: cr.AggregationRule, Written: cr.Rules}
		r.clusterRoles[o.Name] = role
		r.roles = append(r.roles, role)
	}
	for o := range c.List(hardening.KindRole, hardening.AllNamespaces) {
		ro, ok := o.Object.(*rbacv1.Role)
		k := nsName{objectNamespace(o), o.Name}
		if !ok || ro == nil || r.nsRoles[k] != nil {
			continue
		}
		role := &Role{Kind: KindRole, Namespace: k.namespace, Name: o.Name, Object: o, Labels: ro.Labels, Written: ro.Rules}
		r.nsRoles[k] = role
		r.roles = append(r.roles, role)
	}
	if !r.opts.NoBuiltins {
		for i := range builtinClusterRoles {
			cr := &builtinClusterRoles[i]
			if r.clusterRoles[cr.Name] != nil {
				continue
			}
			role := &Role{Kind: KindClusterRole, Name: cr.Name, Labels: cr.Labels, AggregationRule: cr.AggregationRule, Written: cr.Rules}
			r.clusterRoles[cr.Name] = role
			r.roles = append(r.roles, role)
		}
		for i := range builtinRoles {
			ro := &builtinRoles[i]
			k := nsName{ro.Namespace, ro.Name}
			if r.nsRoles[k] != nil {
				continue
			}
			role := &Role{Kind: KindRole, Namespace: ro.Namespace, Name: ro.Name, Labels: ro.Labels, Written: ro.Rules}
			r.nsRoles[k] = role
			r.roles = append(r.roles, role)
		}
	}
	for _, role := range r.roles {
		role.Rules = role.Written
		role.Origins = make([]RuleOrigin, len(role.Written))
		for i := range role.Origins {
			role.Origins[i] = RuleOrigin{role, i}
		}
	}
}

func (r *Resolver) addBindings(c *hardening.Cluster) {
	seenCRB := map[string]bool{}
	for o := range c.List(hardening.KindClusterRoleBinding, hardening.AllNamespaces) {
		crb, ok := o.Object.(*rbacv1.ClusterRoleBinding)
		if !ok || crb == nil || seenCRB[o.Name] {
			continue
		}
		seenCRB[o.Name] = true
		r.addBinding(&Binding{Kind: KindClusterRoleBinding, Name: o.Name, Object: o, RoleRef: crb.RoleRef, Subjects: crb.Subjects})
	}
	if !r.opts.NoBuiltins {
		for i := range builtinClusterRoleBindings {
			b := &builtinClusterRoleBindings[i]
			if !seenCRB[b.Name] {
				r.addBinding(&Binding{Kind: KindClusterRoleBinding, Name: b.Name, RoleRef: b.RoleRef, Subjects: b.Subjects})
			}
		}
	}
	seenRB := map[nsName]bool{}
	for o := range c.List(hardening.KindRoleBinding, hardening.AllNamespaces) {
		rb, ok := o.Object.(*rbacv1.RoleBinding)
		k := nsName{objectNamespace(o), o.Name}
		if !ok || rb == nil || seenRB[k] {
			continue
		}
		seenRB[k] = true
		r.addBinding(&Binding{Kind: KindRoleBinding, Namespace: k.namespace, Name: o.Name, Object: o, RoleRef: rb.RoleRef, Subjects: rb.Subjects})
	}
	if !r.opts.NoBuiltins {
		for i := range builtinRoleBindings {
			b := &builtinRoleBindings[i]
			if !seenRB[nsName{b.Namespace, b.Name}] {
				r.addBinding(&Binding{Kind: KindRoleBinding, Namespace: b.Namespace, Name: b.Name, RoleRef: b.RoleRef, Subjects: b.Subjects})
			}
		}
	}
}

// addBinding resolves b's role and indexes its subjects as the authorizer
// matches them.
func (r *Resolver) addBinding(b *Binding) {
	b.order = len(r.bindings)
	r.bindings = append(r.bindings, b)
	switch b.RoleRef.Kind {
	case KindClusterRole:
		b.Role = r.clusterRoles[b.RoleRef.Name]
	case KindRole:
		if b.Kind == KindRoleBinding {
			b.Role = r.nsRoles[nsName{b.Namespace, b.RoleRef.Name}]
		}
	}
	if b.Role != nil {
		r.boundBy[b.Role] = append(r.boundBy[b.Role], b)
	}
	for i, s := range b.Subjects {
		ref := subjectRef{int32(b.order), int32(i)}
		switch s.Kind {
		case rbacv1.UserKind:
			r.users[s.Name] = append(r.users[s.Name], ref)
		case rbacv1.GroupKind:
			r.groups[s.Name] = append(r.groups[s.Name], ref)
		case rbacv1.ServiceAccountKind:
			ns := s.Namespace
			if ns == "" && b.Kind == KindRoleBinding {
				ns = b.Namespace // a RoleBinding's own namespace
			}
			if ns == "" {
				continue // a ClusterRoleBinding's account without a namespace matches no one
			}
			name := ServiceAccountPrefix + ns + ":" + s.Name
			r.users[name] = append(r.users[name], ref)
		}
	}
}

// Roles returns every role the resolver knows: the input's (the first of
// each kind, namespace and name), then the built-in ones the input lacks.
// The slice is the resolver's own: do not modify it.
func (r *Resolver) Roles() []*Role { return r.roles }

// Bindings returns every binding in the order the authorizer visits
// them: ClusterRoleBindings, then RoleBindings, each the input's first and
// then the built-in ones the input lacks. The slice is the resolver's own.
func (r *Resolver) Bindings() []*Binding { return r.bindings }

// ClusterRole returns the ClusterRole named name, or nil.
func (r *Resolver) ClusterRole(name string) *Role { return r.clusterRoles[name] }

// Role returns the Role namespace/name, or nil. An empty namespace is
// [DefaultNamespace].
func (r *Resolver) Role(namespace, name string) *Role {
	if namespace == "" {
		namespace = DefaultNamespace
	}
	return r.nsRoles[nsName{namespace, name}]
}

// BoundBy returns the bindings that reference role, in visiting order.
func (r *Resolver) BoundBy(role *Role) []*Binding { return r.boundBy[role] }

// AggregatedInto returns the ClusterRoles whose aggregation rules select
// role, so that its rules become theirs (directly; follow them for nested
// aggregation).
func (r *Resolver) AggregatedInto(role *Role) []*Role { return r.into[role] }

// Grant is one rule granted to a user: the binding and subject through
// which it applies, and the index of the rule in the binding's role.
type Grant struct {
	Binding *Binding
	Subject int
	Rule    int
}

// Role returns the role whose rule it is.
func (g Grant) Role() *Role { return g.Binding.Role }

// PolicyRule returns the rule.
func (g Grant) PolicyRule() *rbacv1.PolicyRule { return &g.Binding.Role.Rules[g.Rule] }

// String renders the grant as the authorizer names the source of an
// allowed request, with the rule where it was written:
// ClusterRoleBinding "ci" of ClusterRole "ci" to ServiceAccount
// "runner/ci", rules[0] (the account as name/namespace, as the authorizer
// writes it); for an aggregated rule, "rules[2] of ClusterRole
// system:aggregate-to-edit".
func (g Grant) String() string {
	b := g.Binding
	name := b.Name
	if b.Kind == KindRoleBinding {
		name += "/" + b.Namespace
	}
	s := b.Subjects[g.Subject]
	who := s.Name
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := s.Namespace
		if ns == "" {
			ns = b.Namespace
		}
		who += "/" + ns
	}
	rule := b.Role.RulePath(g.Rule)
	if o := b.Role.Origins[g.Rule].Role; o != b.Role {
		rule += " of " + o.String() // aggregated
	}
	return fmt.Sprintf("%s %q of %s %q to %s %q, %s", b.Kind, name, b.RoleRef.Kind, b.RoleRef.Name, s.Kind, who, rule)
}

// Decision is the authorizer's answer to one request.
type Decision struct {
	// Allowed is the authorizer's decision.
	Allowed bool
	// Grant is the rule that allowed the request, the first the authorizer
	// visits; zero when not allowed.
	Grant Grant
	// Unknown lists the bindings that apply to the user in the request's
	// scope but name a role the resolver does not know: a request that is
	// not allowed may be allowed through one of them.
	Unknown []*Binding
}

// Certain reports whether the decision does not depend on a role the
// resolver does not know.
func (d Decision) Certain() bool { return d.Allowed || len(d.Unknown) == 0 }

// Authorize answers whether u may make request q, as the RBAC authorizer
// decides: it visits the ClusterRoleBindings and then, for a request in a
// namespace, the RoleBindings of that namespace, in order; for each
// binding with a subject that applies to u (a User by name, a Group among
// u's groups, a ServiceAccount by its user name), it visits the rules of
// the binding's role and allows at the first rule that allows q
// ([RuleAllows]). Members of system:masters bypass RBAC in the API server;
// Authorize judges RBAC alone.
func (r *Resolver) Authorize(u User, q Request) Decision {
	var d Decision
	for _, ref := range r.candidates(u) {
		b := r.bindings[ref.binding]
		if b.Kind == KindRoleBinding && (q.Namespace == "" || b.Namespace != q.Namespace) {
			continue
		}
		if b.Role == nil {
			d.Unknown = append(d.Unknown, b)
			continue
		}
		for i := range b.Role.Rules {
			if RuleAllows(&b.Role.Rules[i], &q) {
				return Decision{Allowed: true, Grant: Grant{b, int(ref.subject), i}}
			}
		}
	}
	return d
}

// Grants returns every rule that applies to u in namespace (empty: the
// rules that apply cluster-wide), in the order the authorizer visits them.
func (r *Resolver) Grants(u User, namespace string) []Grant {
	var out []Grant
	for _, ref := range r.candidates(u) {
		b := r.bindings[ref.binding]
		if b.Role == nil || b.Kind == KindRoleBinding && (namespace == "" || b.Namespace != namespace) {
			continue
		}
		for i := range b.Role.Rules {
			out = append(out, Grant{b, int(ref.subject), i})
		}
	}
	return out
}

// BindingsOf returns the bindings with a subject that applies to u, each
// once with its first such subject (Rule is -1), in visiting order:
// through ClusterRoleBindings u holds their roles' rules everywhere,
// through a RoleBinding in its namespace only. A binding whose Role is
// nil grants u permissions the resolver does not know.
func (r *Resolver) BindingsOf(u User) []Grant {
	var out []Grant
	for _, ref := range r.candidates(u) {
		out = append(out, Grant{Binding: r.bindings[ref.binding], Subject: int(ref.subject), Rule: -1})
	}
	return out
}

// candidates returns the bindings with a subject that applies to u, each
// once with its first such subject, in visiting order.
func (r *Resolver) candidates(u User) []subjectRef {
	refs := slices.Clone(r.users[u.Name])
	for _, g := range u.Groups {
		refs = append(refs, r.groups[g]...)
	}
	slices.SortFunc(refs, func(a, b subjectRef) int {
		return cmp.Or(cmp.Compare(a.binding, b.binding), cmp.Compare(a.subject, b.subject))
	})
	return slices.CompactFunc(refs, func(a, b subjectRef) bool { return a.binding == b.binding })
}
