package rbac

// Checks on RoleBindings and ClusterRoleBindings.
//
// Object fields:
//
//	roleRef.kind, roleRef.name
//	subjects[i].kind, subjects[i].name, subjects[i].namespace
//
// The role a binding grants is resolved as the authorizer resolves it: a
// ClusterRoleBinding grants a ClusterRole everywhere; a RoleBinding grants
// a Role of its namespace, or a ClusterRole, inside its namespace only (a
// ClusterRole's permissions on cluster-scoped objects do nothing there).
// Roles the input lacks are Kubernetes' built-in ones where the bootstrap
// policy has them (BootstrapVersion). Findings are at the offending
// subject's name (roleRef.name for a role that exists nowhere); their
// severity follows what the role grants in the binding's scope, said in
// the message.

import (
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// bindingSubject is a RoleBinding or ClusterRoleBinding subject.
type bindingSubject struct {
	kind, namespace, name string
	roleRef               rbacv1.RoleRef
	subjects              []rbacv1.Subject
}

func bindingOf(s *hardening.Subject) (bindingSubject, bool) {
	if s.Object == nil {
		return bindingSubject{}, false
	}
	switch o := s.Object.Object.(type) {
	case *rbacv1.RoleBinding:
		if o == nil {
			return bindingSubject{}, false
		}
		return bindingSubject{KindRoleBinding, objectNamespace(s.Object), s.Object.Name, o.RoleRef, o.Subjects}, true
	case *rbacv1.ClusterRoleBinding:
		if o == nil {
			return bindingSubject{}, false
		}
		return bindingSubject{KindClusterRoleBinding, "", s.Object.Name, o.RoleRef, o.Subjects}, true
	}
	return bindingSubject{}, false
}

// role returns the role the binding grants, nil when unknown.
func (b *bindingSubject) role(r *Resolver) *Role {
	switch b.roleRef.Kind {
	case KindClusterRole:
		return r.ClusterRole(b.roleRef.Name)
	case KindRole:
		if b.kind == KindRoleBinding {
			return r.Role(b.namespace, b.roleRef.Name)
		}
	}
	return nil
}

// scope is the namespace the binding grants in, "" for cluster-wide.
func (b *bindingSubject) scope() string {
	if b.kind == KindRoleBinding {
		return b.namespace
	}
	return ""
}

// powers returns what the role grants in the binding's scope.
func (b *bindingSubject) powers(role *Role) powerSet {
	if role == nil {
		return 0
	}
	p := role.all
	if b.kind == KindRoleBinding {
		p &^= clusterOnly
	}
	return effective(p)
}

// grant renders "ClusterRole edit (built in) in namespace prod".
func (b *bindingSubject) grant(role *Role) string {
	g := b.roleRef.Kind + " " + b.roleRef.Name
	if role != nil && role.Builtin() {
		g += " (built in)"
	}
	if b.kind == KindRoleBinding {
		return g + " in namespace " + b.namespace
	}
	return g + " cluster-wide"
}

// yields renders what the role grants in scope, for a message.
func (b *bindingSubject) yields(role *Role) string {
	if role == nil {
		p := "unknown permissions"
		if b.roleRef.Kind == KindClusterRole || b.roleRef.Kind == KindRole {
			p += " (the role is not among the audited objects)"
		}
		return p
	}
	p := b.powers(role)
	if p == 0 {
		return "nothing bulwark ranks as dangerous"
	}
	var parts []string
	for a := range eachAtom(p) {
		parts = append(parts, atomInfos[a].grants+" ("+atomInfos[a].yields+")")
	}
	return strings.Join(parts, "; ")
}

// rank returns the severity of what the binding grants, at least floor.
func (b *bindingSubject) rank(role *Role, floor hardening.Severity) hardening.Severity {
	return max(floor, severity(b.powers(role), b.scope()))
}

func subjectPath(s *hardening.Subject, i int) string {
	return s.ObjectPath("subjects[" + strconv.Itoa(i) + "].name")
}

// systemIdentity reports whether a subject is a component of the control
// plane, which may hold cluster-admin: the group system:masters and users
// named system:… other than the anonymous user, service accounts and
// nodes.
func systemIdentity(s rbacv1.Subject) bool {
	switch s.Kind {
	case rbacv1.GroupKind:
		return s.Name == Masters
	case rbacv1.UserKind:
		return strings.HasPrefix(s.Name, "system:") && s.Name != Anonymous &&
			!strings.HasPrefix(s.Name, ServiceAccountPrefix) && !strings.HasPrefix(s.Name, "system:node:")
	}
	return false
}

// ClusterAdminBinding reports cluster-admin, or a role as powerful, bound
// to anything but the control plane's own identities.
var ClusterAdminBinding = &hardening.Check{
	ID:        "rbac.cluster-admin-binding",
	Title:     "cluster-admin bound to a user, group or service account",
	Severity:  hardening.SeverityCritical,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "cluster-admin, or any role with every verb on every resource, is every permission: through a ClusterRoleBinding in every namespace, " +
		"through a RoleBinding over the namespace with its Secrets and service accounts. A workload or person holding it turns any compromise into the cluster's.",
	Remediation: "Bind a role with the permissions the subject uses; keep cluster-admin for break-glass access through system:masters credentials.",
	References:  []hardening.Reference{cis("5.1.1"), refRBACGoodPractices, refNCC},
	Run:         runClusterAdminBinding,
}

func runClusterAdminBinding(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	b, ok := bindingOf(s)
	if !ok {
		return out
	}
	role := b.role(For(s.Cluster))
	if role == nil || role.all&pAll == 0 {
		return out
	}
	what := "cluster admin"
	if b.kind == KindRoleBinding {
		what = "admin of namespace " + b.namespace + ": its Secrets, its service accounts, its pods"
		if b.namespace == "kube-system" {
			what = "admin of kube-system, which holds the controllers' service accounts: cluster admin"
		}
	}
	for i, sub := range b.subjects {
		if systemIdentity(sub) {
			continue
		}
		out = append(out, hardening.Finding{
			Path:     subjectPath(s, i),
			Severity: severity(pAll, b.scope()),
			Message:  b.kind + " grants " + b.grant(role) + ", every verb on every resource, to " + describeSubject(sub, b) + ": " + what,
		})
	}
	return out
}

// describeSubject renders a binding subject, with the namespace a
// RoleBinding gives a service account that names none.
func describeSubject(sub rbacv1.Subject, b bindingSubject) string {
	ns := sub.Namespace
	if sub.Kind == rbacv1.ServiceAccountKind && ns == "" {
		ns = b.namespace
	}
	return subjectName(sub.Kind, sub.Name, ns)
}

// PublicBinding reports bindings to everyone: anonymous requests, every
// authenticated user, every service account.
var PublicBinding = &hardening.Check{
	ID:        "rbac.public-binding",
	Title:     "role bound to anonymous, every authenticated user or every service account",
	Severity:  hardening.SeverityHigh,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "system:anonymous and system:unauthenticated are whoever reaches the API server without credentials (anonymous requests are on by default); " +
		"system:authenticated is anyone with any credential, every service account and node included (on some providers any account of the provider); " +
		"system:serviceaccounts is every workload of every namespace. A grant to them is a grant to an attacker with the least foothold.",
	Remediation: "Bind the role to the users, groups or service accounts that need it.",
	References:  []hardening.Reference{refRBACGoodPractices, refRBAC, refNCC},
	Run:         runPublicBinding,
}

func runPublicBinding(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	b, ok := bindingOf(s)
	if !ok {
		return out
	}
	var role *Role
	resolved := false
	for i, sub := range b.subjects {
		var who string
		var base hardening.Severity
		switch {
		case sub.Kind == rbacv1.UserKind && sub.Name == Anonymous, sub.Kind == rbacv1.GroupKind && sub.Name == Unauthenticated:
			who, base = "anyone who reaches the API server, without credentials", hardening.SeverityHigh
		case sub.Kind == rbacv1.GroupKind && sub.Name == Authenticated:
			who, base = "anyone with any credential: every user, service account and node", hardening.SeverityMedium
		case sub.Kind == rbacv1.GroupKind && sub.Name == AllServiceAccounts:
			who, base = "every service account of every namespace: a compromise of any workload", hardening.SeverityMedium
		default:
			continue
		}
		if builtinBindingHas(b, sub) {
			continue // the bootstrap policy's own default grant, repeated
		}
		if !resolved {
			role, resolved = b.role(For(s.Cluster)), true
		}
		if role != nil && b.powers(role) == 0 {
			base--
		}
		out = append(out, hardening.Finding{
			Path:     subjectPath(s, i),
			Severity: b.rank(role, base),
			Message:  b.kind + " grants " + b.grant(role) + " to " + describeSubject(sub, b) + ", that is " + who + ": " + b.yields(role),
		})
	}
	return out
}

// builtinBindingHas reports whether the bootstrap policy has a binding of
// b's kind, namespace, name and roleRef with the subject: the API server's
// own default grant, as a dump of a live cluster repeats it.
func builtinBindingHas(b bindingSubject, sub rbacv1.Subject) bool {
	has := func(ref rbacv1.RoleRef, subjects []rbacv1.Subject) bool {
		if ref.Kind != b.roleRef.Kind || ref.Name != b.roleRef.Name {
			return false
		}
		for _, s := range subjects {
			if s.Kind == sub.Kind && s.Name == sub.Name && s.Namespace == sub.Namespace {
				return true
			}
		}
		return false
	}
	if b.kind == KindClusterRoleBinding {
		for i := range builtinClusterRoleBindings {
			if c := &builtinClusterRoleBindings[i]; c.Name == b.name && has(c.RoleRef, c.Subjects) {
				return true
			}
		}
		return false
	}
	for i := range builtinRoleBindings {
		if c := &builtinRoleBindings[i]; c.Namespace == b.namespace && c.Name == b.name && has(c.RoleRef, c.Subjects) {
			return true
		}
	}
	return false
}

// DefaultServiceAccountBinding reports grants to a namespace's default
// service account.
var DefaultServiceAccountBinding = &hardening.Check{
	ID:        "rbac.default-service-account-binding",
	Title:     "role bound to a default service account",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "Every pod of a namespace that names no service account runs as its default account and, unless told otherwise, mounts its token: " +
		"a grant to the default account is a grant to every such pod, today's and tomorrow's.",
	Remediation: "Create a service account for the workload that needs the role, bind the role to it and name it in the workload's serviceAccountName.",
	References:  []hardening.Reference{cis("5.1.5"), refRBACGoodPractices, refNCC},
	Run:         runDefaultServiceAccountBinding,
}

func runDefaultServiceAccountBinding(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	b, ok := bindingOf(s)
	if !ok {
		return out
	}
	for i, sub := range b.subjects {
		if sub.Kind != rbacv1.ServiceAccountKind || sub.Name != "default" || b.kind == KindClusterRoleBinding && sub.Namespace == "" {
			continue
		}
		role := b.role(For(s.Cluster))
		ns := sub.Namespace
		if ns == "" {
			ns = b.namespace
		}
		floor := hardening.SeverityLow
		if role == nil || b.powers(role) != 0 {
			floor = hardening.SeverityMedium
		}
		out = append(out, hardening.Finding{
			Path:     subjectPath(s, i),
			Severity: b.rank(role, floor),
			Message: b.kind + " grants " + b.grant(role) + " to the default service account of namespace " + ns +
				", which every pod there that names no service account runs as: " + b.yields(role),
		})
	}
	return out
}

// ForeignServiceAccountBinding reports RoleBindings that grant a
// namespace's permissions to a service account of another namespace.
var ForeignServiceAccountBinding = &hardening.Check{
	ID:        "rbac.foreign-service-account-binding",
	Title:     "RoleBinding grants to a service account of another namespace",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "A RoleBinding that names a service account of another namespace joins the two: a compromise of any workload running as that account, " +
		"or of anyone who may create pods in its namespace, reaches this namespace too. Namespaces stop being the boundary they look like.",
	Remediation: "Run the workload that needs this namespace's permissions in this namespace, or make the cross-namespace grant explicit and as narrow as possible.",
	References:  []hardening.Reference{refRBACGoodPractices, refRBAC, refNCC},
	Run:         runForeignServiceAccountBinding,
}

func runForeignServiceAccountBinding(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	b, ok := bindingOf(s)
	if !ok || b.kind != KindRoleBinding {
		return out
	}
	for i, sub := range b.subjects {
		if sub.Kind != rbacv1.ServiceAccountKind || sub.Namespace == "" || sub.Namespace == b.namespace {
			continue
		}
		role := b.role(For(s.Cluster))
		out = append(out, hardening.Finding{
			Path:     s.ObjectPath("subjects[" + strconv.Itoa(i) + "].namespace"),
			Severity: b.rank(role, hardening.SeverityLow),
			Message: "RoleBinding grants " + b.grant(role) + " to ServiceAccount " + sub.Namespace + "/" + sub.Name +
				" of another namespace: whoever compromises " + sub.Namespace + "'s workloads running as it gets " + b.yields(role),
		})
	}
	return out
}

// MissingRole reports bindings to a role that exists nowhere.
var MissingRole = &hardening.Check{
	ID:        "rbac.missing-role",
	Title:     "binding references a role that exists nowhere",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "A binding to a role that does not exist grants nothing today, and whatever the role holds once someone creates it: whoever may create roles " +
		"(or a chart installed later) then grants its subjects at will. Among audited files it may also mean the role lives elsewhere, and its permissions are unknown.",
	Remediation: "Audit the binding with the role it references, or delete a binding whose role is gone.",
	References:  []hardening.Reference{refRBAC, refNCC},
	Run:         runMissingRole,
}

func runMissingRole(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	b, ok := bindingOf(s)
	if !ok || s.Cluster == nil {
		return out // absence from no view is no evidence
	}
	if b.role(For(s.Cluster)) != nil {
		return out
	}
	f := hardening.Finding{Path: s.ObjectPath("roleRef.name")}
	switch {
	case b.roleRef.Kind == KindClusterRole:
		f.Message = b.kind + " references ClusterRole " + b.roleRef.Name + ", which is neither among the audited objects nor a built-in role of Kubernetes " +
			BootstrapVersion + ": its permissions are unknown, and where it does not exist whoever creates it grants it to " + subjectsList(b)
	case b.roleRef.Kind == KindRole && b.kind == KindRoleBinding:
		f.Message = "RoleBinding references Role " + b.namespace + "/" + b.roleRef.Name + ", which is not among the audited objects: " +
			"its permissions are unknown, and where it does not exist whoever creates it grants it to " + subjectsList(b)
	case b.roleRef.Kind == KindRole:
		f.Path = s.ObjectPath("roleRef.kind")
		f.Message = "ClusterRoleBinding references a Role (" + b.roleRef.Name + "), which only a RoleBinding can: the API server rejects it, and the authorizer grants nothing through it"
	default:
		f.Path = s.ObjectPath("roleRef.kind")
		f.Message = "roleRef.kind " + quote(b.roleRef.Kind) + " is neither Role nor ClusterRole (it is case-sensitive): the API server rejects it, and the authorizer grants nothing through it"
	}
	return append(out, f)
}

func subjectsList(b bindingSubject) string {
	if len(b.subjects) == 0 {
		return "no subject"
	}
	var names []string
	for _, sub := range b.subjects {
		names = append(names, describeSubject(sub, b))
	}
	return andList(names)
}

func quote(s string) string { return `"` + s + `"` }
