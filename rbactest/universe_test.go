package rbactest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/rbac"
)

// universe is one set of RBAC objects both sides judge. Names are unique
// per kind and namespace, and namespaced objects have a namespace: the
// resolver's handling of duplicates and unset namespaces (things no
// cluster holds) is tested in package rbac.
type universe struct {
	ClusterRoles        []*rbacv1.ClusterRole        `json:"clusterRoles,omitempty"`
	Roles               []*rbacv1.Role               `json:"roles,omitempty"`
	ClusterRoleBindings []*rbacv1.ClusterRoleBinding `json:"clusterRoleBindings,omitempty"`
	RoleBindings        []*rbacv1.RoleBinding        `json:"roleBindings,omitempty"`
}

// cluster returns the objects as a run's Cluster, in the order listed.
func (u *universe) cluster() *hardening.Cluster {
	var objs []hardening.ClusterObject
	add := func(kind, ns, name string, obj any) {
		objs = append(objs, hardening.ClusterObject{APIVersion: "rbac.authorization.k8s.io/v1", Kind: kind, Namespace: ns, Name: name, Source: "universe", Object: obj})
	}
	for _, o := range u.ClusterRoles {
		add(hardening.KindClusterRole, "", o.Name, o)
	}
	for _, o := range u.Roles {
		add(hardening.KindRole, o.Namespace, o.Name, o)
	}
	for _, o := range u.ClusterRoleBindings {
		add(hardening.KindClusterRoleBinding, "", o.Name, o)
	}
	for _, o := range u.RoleBindings {
		add(hardening.KindRoleBinding, o.Namespace, o.Name, o)
	}
	return hardening.NewCluster(objs)
}

// yaml renders the objects for a failure message.
func (u *universe) yaml() string {
	b, err := yaml.Marshal(u)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}

// Pools the generator draws from: the values where matching is subtle
// (wildcards, "pods/*", "*/exec", case, empty strings, names in rules and
// requests, URL globs), and ordinary ones.
var (
	namespaces  = []string{"ns-a", "ns-b", "kube-system"}
	verbs       = []string{"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "bind", "escalate", "impersonate", "approve", "*", "GET", ""}
	apiGroups   = []string{"", "apps", "batch", "rbac.authorization.k8s.io", "*", "Apps"}
	resources   = []string{"pods", "pods/exec", "pods/log", "pods/*", "*/exec", "*/log", "*", "secrets", "deployments", "deployments/scale", "roles", "clusterroles", "users", "serviceaccounts/token", "nodes/proxy", "*/*", "pods/exec/x", "", "Pods"}
	names       = []string{"a", "b", "", "*"}
	urls        = []string{"/healthz", "/healthz/*", "*", "/api*", "/api/", "/apis/apps", "/metrics", "/healthz/ready", "", "/a**", "/api/*"}
	paths       = []string{"/healthz", "/healthz/ready", "/api", "/api/v1", "/apis/apps", "/metrics", "/a", "/", "*", "/api/"}
	userNames   = []string{"alice", "bob", rbac.Anonymous, "system:serviceaccount:ns-a:sa1", "system:serviceaccount:ns-b:sa1", "system:serviceaccount:ns-a:sa2", "system:serviceaccount:ns-a:", "Alice"}
	groupNames  = []string{"devs", "ops", rbac.Authenticated, rbac.Unauthenticated, rbac.AllServiceAccounts, "system:serviceaccounts:ns-a", "system:serviceaccounts:ns-b"}
	subjectKind = []string{rbacv1.UserKind, rbacv1.GroupKind, rbacv1.ServiceAccountKind, rbacv1.ServiceAccountKind, "user", ""}
	saNames     = []string{"sa1", "sa2", ""}
	saSpaces    = []string{"", "ns-a", "ns-b"}
	roleNames   = []string{"r1", "r2", "r3"}
	crNames     = []string{"c1", "c2", "c3", "c4"}
	refKinds    = []string{rbac.KindRole, rbac.KindClusterRole, rbac.KindClusterRole, "role", ""}
	refNames    = []string{"r1", "r2", "r3", "c1", "c2", "c3", "c4", "missing"}
)

type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

func (g *gen) pick(pool []string) string { return pool[g.r.IntN(len(pool))] }

// some returns up to max distinct elements of pool, nil for none, in a
// random order.
func (g *gen) some(pool []string, max int) []string {
	n := g.r.IntN(max + 1)
	if n == 0 {
		return nil
	}
	perm := g.r.Perm(len(pool))
	out := make([]string, 0, n)
	for _, i := range perm[:min(n, len(pool))] {
		out = append(out, pool[i])
	}
	return out
}

func (g *gen) rule() rbacv1.PolicyRule {
	r := rbacv1.PolicyRule{Verbs: g.some(verbs, 3)}
	if g.r.IntN(4) == 0 {
		r.NonResourceURLs = g.some(urls, 3)
		if g.r.IntN(4) == 0 { // invalid mixtures occur in manifests never applied
			r.Resources = g.some(resources, 2)
		}
		return r
	}
	r.APIGroups = g.some(apiGroups, 2)
	r.Resources = g.some(resources, 3)
	if g.r.IntN(3) == 0 {
		r.ResourceNames = g.some(names, 2)
	}
	return r
}

func (g *gen) rules() []rbacv1.PolicyRule {
	var out []rbacv1.PolicyRule
	for range g.r.IntN(4) {
		out = append(out, g.rule())
	}
	return out
}

func (g *gen) subjects() []rbacv1.Subject {
	var out []rbacv1.Subject
	for range 1 + g.r.IntN(3) {
		s := rbacv1.Subject{Kind: g.pick(subjectKind)}
		switch s.Kind {
		case rbacv1.UserKind:
			s.Name = g.pick(userNames)
		case rbacv1.GroupKind:
			s.Name = g.pick(groupNames)
		default:
			s.Name = g.pick(saNames)
			s.Namespace = g.pick(saSpaces)
		}
		out = append(out, s)
	}
	return out
}

func (g *gen) roleRef() rbacv1.RoleRef {
	return rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: g.pick(refKinds), Name: g.pick(refNames)}
}

// universe returns random roles and bindings without aggregation rules.
func (g *gen) universe() *universe {
	u := &universe{}
	for _, name := range g.some(crNames, len(crNames)) {
		u.ClusterRoles = append(u.ClusterRoles, &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: g.rules()})
	}
	for _, ns := range namespaces {
		for _, name := range g.some(roleNames, 2) {
			u.Roles = append(u.Roles, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Rules: g.rules()})
		}
	}
	for i := range g.r.IntN(4) {
		u.ClusterRoleBindings = append(u.ClusterRoleBindings, &rbacv1.ClusterRoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("crb%d", i)}, RoleRef: g.roleRef(), Subjects: g.subjects()})
	}
	for _, ns := range namespaces {
		for i := range g.r.IntN(3) {
			u.RoleBindings = append(u.RoleBindings, &rbacv1.RoleBinding{
				ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("rb%d", i), Namespace: ns}, RoleRef: g.roleRef(), Subjects: g.subjects()})
		}
	}
	return u
}

func (g *gen) user() rbac.User {
	if g.r.IntN(3) == 0 {
		return rbac.ServiceAccount(g.pick(namespaces[:2]), g.pick(saNames))
	}
	return rbac.User{Name: g.pick(userNames), Groups: g.some(groupNames, 3)}
}

func (g *gen) request() rbac.Request {
	if g.r.IntN(5) == 0 {
		return rbac.Request{NonResource: true, Verb: g.pick(verbs), Path: g.pick(paths)}
	}
	q := rbac.Request{Verb: g.pick(verbs), APIGroup: g.pick(apiGroups), Name: g.pick(names)}
	res, sub, _ := strings.Cut(g.pick(resources), "/")
	q.Resource, q.Subresource = res, sub
	if g.r.IntN(4) > 0 {
		q.Namespace = g.pick(append(slices.Clone(namespaces), "ns-c"))
	}
	return q
}
