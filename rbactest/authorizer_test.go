package rbactest

import (
	"context"
	"fmt"
	"testing"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/kubernetes/pkg/registry/rbac/validation"
	rbacauthorizer "k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac"
	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/rbac"
	"github.com/google/go-cmp/cmp"
)

// oracle is Kubernetes' RBAC authorizer over a universe, with in-memory
// getters and listers that return the objects in the universe's order.
type oracle struct {
	authz *rbacauthorizer.RBACAuthorizer
	rules validation.AuthorizationRuleResolver
}

func newOracle(u *universe) *oracle {
	resolver, static := validation.NewTestRuleResolver(u.Roles, u.RoleBindings, u.ClusterRoles, u.ClusterRoleBindings)
	return &oracle{rbacauthorizer.New(static, static, static, static), resolver}
}

func attributes(u rbac.User, q rbac.Request) authorizer.AttributesRecord {
	return authorizer.AttributesRecord{
		User: &user.DefaultInfo{Name: u.Name, Groups: u.Groups},
		Verb: q.Verb, Namespace: q.Namespace, APIGroup: q.APIGroup, Resource: q.Resource, Subresource: q.Subresource, Name: q.Name,
		ResourceRequest: !q.NonResource, Path: q.Path,
	}
}

// reason renders bulwark's decision as the authorizer's reason for an
// allowed request: which binding, role and subject allowed it.
func reason(d rbac.Decision) string {
	if !d.Allowed {
		return ""
	}
	b := d.Grant.Binding
	name := b.Name
	if b.Kind == rbac.KindRoleBinding {
		name += "/" + b.Namespace
	}
	s := b.Subjects[d.Grant.Subject]
	who := fmt.Sprintf("%s %q", s.Kind, s.Name)
	if s.Kind == rbacv1.ServiceAccountKind {
		ns := s.Namespace
		if ns == "" {
			ns = b.Namespace
		}
		who = fmt.Sprintf("%s %q", s.Kind, s.Name+"/"+ns)
	}
	return fmt.Sprintf("RBAC: allowed by %s %q of %s %q to %s", b.Kind, name, b.RoleRef.Kind, b.RoleRef.Name, who)
}

// compare asks both sides every request for every user and returns the
// number of questions asked; it fails t at the first disagreement with
// the objects as YAML.
func compare(t testing.TB, u *universe, users []rbac.User, requests []rbac.Request) int {
	t.Helper()
	return compareWith(t, newOracle(u), rbac.New(u.cluster(), rbac.Options{NoBuiltins: true, AsWritten: true}), u, users, requests)
}

// compareWith is compare with the two sides given.
func compareWith(t testing.TB, o *oracle, r *rbac.Resolver, u *universe, users []rbac.User, requests []rbac.Request) int {
	t.Helper()
	ctx := context.Background()
	asked := 0
	for _, who := range users {
		for _, q := range requests {
			asked++
			decision, why, err := o.authz.Authorize(ctx, attributes(who, q))
			if err != nil {
				t.Fatalf("authorizer: %v", err)
			}
			got := r.Authorize(who, q)
			want := decision == authorizer.DecisionAllow
			if got.Allowed != want || reason(got) != map[bool]string{true: why, false: ""}[want] {
				t.Fatalf("user %+v, request %s:\nauthorizer: allowed %v %q\nbulwark:    allowed %v %q (unknown roles: %d)\nobjects:\n%s",
					who, q, want, why, got.Allowed, reason(got), len(got.Unknown), u.yaml())
			}
		}
		for _, ns := range append([]string{""}, namespaces...) {
			asked++
			want, _ := o.rules.RulesFor(ctx, &user.DefaultInfo{Name: who.Name, Groups: who.Groups}, ns)
			var got []rbacv1.PolicyRule
			for _, g := range r.Grants(who, ns) {
				got = append(got, *g.PolicyRule())
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("user %+v, rules in namespace %q (-authorizer +bulwark):\n%s\nobjects:\n%s", who, ns, diff, u.yaml())
			}
		}
	}
	return asked
}

// TestAuthorizerRandom asks both sides random requests over random roles
// and bindings.
func TestAuthorizerRandom(t *testing.T) {
	universes, perUniverse := 3000, 60
	if testing.Short() {
		universes = 300
	}
	asked := 0
	for seed := range uint64(universes) {
		g := newGen(seed)
		u := g.universe()
		var users []rbac.User
		for range 6 {
			users = append(users, g.user())
		}
		var requests []rbac.Request
		for range perUniverse {
			requests = append(requests, g.request())
		}
		asked += compare(t, u, users, requests)
	}
	t.Logf("%d universes, %d questions, no disagreement", universes, asked)
}

// TestAuthorizerSystematic asks every request of a grid (verb × group ×
// resource × subresource × name × namespace, and every non-resource path)
// over roles that each hold one rule of a grid, bound to one user each
// way a binding can apply.
func TestAuthorizerSystematic(t *testing.T) {
	var rules []rbacv1.PolicyRule
	for _, v := range []string{"get", "*", "create"} {
		for _, grp := range []string{"", "*", "apps"} {
			for _, res := range []string{"pods", "pods/exec", "pods/*", "*/exec", "*", "deployments"} {
				for _, n := range [][]string{nil, {"a"}} {
					rules = append(rules, rbacv1.PolicyRule{Verbs: []string{v}, APIGroups: []string{grp}, Resources: []string{res}, ResourceNames: n})
				}
			}
		}
		for _, url := range []string{"*", "/healthz", "/api*", "/api/*"} {
			rules = append(rules, rbacv1.PolicyRule{Verbs: []string{v}, NonResourceURLs: []string{url}})
		}
	}
	var requests []rbac.Request
	for _, v := range []string{"get", "create", "*"} {
		for _, grp := range []string{"", "apps", "*"} {
			for _, res := range [][2]string{{"pods", ""}, {"pods", "exec"}, {"pods", "log"}, {"deployments", ""}, {"deployments", "exec"}, {"*", ""}} {
				for _, n := range []string{"", "a"} {
					for _, ns := range []string{"", "ns-a", "ns-b"} {
						requests = append(requests, rbac.Request{Verb: v, APIGroup: grp, Resource: res[0], Subresource: res[1], Name: n, Namespace: ns})
					}
				}
			}
		}
		for _, p := range []string{"/healthz", "/api", "/api/v1", "/apis", "/", "/healthz/x"} {
			requests = append(requests, rbac.Request{Verb: v, NonResource: true, Path: p})
		}
	}
	sa := rbac.ServiceAccount("ns-a", "sa1")
	subjects := []rbacv1.Subject{
		{Kind: rbacv1.ServiceAccountKind, Name: "sa1", Namespace: "ns-a"},
		{Kind: rbacv1.ServiceAccountKind, Name: "sa1"}, // the binding's namespace in a RoleBinding, no one in a ClusterRoleBinding
		{Kind: rbacv1.UserKind, Name: sa.Name},
		{Kind: rbacv1.GroupKind, Name: "system:serviceaccounts:ns-a"},
		{Kind: rbacv1.GroupKind, Name: rbac.AllServiceAccounts},
		{Kind: rbacv1.GroupKind, Name: rbac.Authenticated},
		{Kind: rbacv1.ServiceAccountKind, Name: "sa1", Namespace: "ns-b"},
	}
	asked := 0
	for _, rule := range rules {
		for _, s := range subjects {
			for _, scope := range []string{"cluster", "rolebinding-clusterrole", "rolebinding-role"} {
				u := &universe{}
				switch scope {
				case "cluster":
					u.ClusterRoles = []*rbacv1.ClusterRole{{Rules: []rbacv1.PolicyRule{rule}}}
					u.ClusterRoles[0].Name = "c"
					u.ClusterRoleBindings = []*rbacv1.ClusterRoleBinding{{RoleRef: rbacv1.RoleRef{Kind: rbac.KindClusterRole, Name: "c"}, Subjects: []rbacv1.Subject{s}}}
					u.ClusterRoleBindings[0].Name = "b"
				case "rolebinding-clusterrole":
					u.ClusterRoles = []*rbacv1.ClusterRole{{Rules: []rbacv1.PolicyRule{rule}}}
					u.ClusterRoles[0].Name = "c"
					u.RoleBindings = []*rbacv1.RoleBinding{{RoleRef: rbacv1.RoleRef{Kind: rbac.KindClusterRole, Name: "c"}, Subjects: []rbacv1.Subject{s}}}
					u.RoleBindings[0].Name, u.RoleBindings[0].Namespace = "b", "ns-a"
				case "rolebinding-role":
					u.Roles = []*rbacv1.Role{{Rules: []rbacv1.PolicyRule{rule}}}
					u.Roles[0].Name, u.Roles[0].Namespace = "r", "ns-a"
					u.RoleBindings = []*rbacv1.RoleBinding{{RoleRef: rbacv1.RoleRef{Kind: rbac.KindRole, Name: "r"}, Subjects: []rbacv1.Subject{s}}}
					u.RoleBindings[0].Name, u.RoleBindings[0].Namespace = "b", "ns-a"
				}
				asked += compare(t, u, []rbac.User{sa}, requests)
			}
		}
	}
	t.Logf("%d rules × %d subjects × 3 scopes, %d questions, no disagreement", len(rules), len(subjects), asked)
}

// FuzzAuthorizer decodes a universe, a user and a request from the
// fuzzer's bytes (YAML, so that the corpus reads) and asks both sides.
func FuzzAuthorizer(f *testing.F) {
	for seed := range uint64(8) {
		g := newGen(seed)
		c := fuzzCase{Universe: *g.universe(), User: g.user(), Request: g.request()}
		b, err := yaml.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c fuzzCase
		if yaml.UnmarshalStrict(data, &c) != nil || !c.Universe.wellFormed() {
			return
		}
		compare(t, &c.Universe, []rbac.User{c.User}, []rbac.Request{c.Request})
	})
}

type fuzzCase struct {
	Universe universe     `json:"universe"`
	User     rbac.User    `json:"user"`
	Request  rbac.Request `json:"request"`
}

// wellFormed reports whether the universe is one a cluster can hold:
// unique names per kind and namespace, namespaced objects with a
// namespace, no nil object.
func (u *universe) wellFormed() bool {
	seen := map[string]bool{}
	ok := func(kind, ns, name string, namespaced bool) bool {
		k := kind + "/" + ns + "/" + name
		if seen[k] || namespaced && ns == "" || !namespaced && ns != "" {
			return false
		}
		seen[k] = true
		return true
	}
	for _, o := range u.ClusterRoles {
		if o == nil || o.AggregationRule != nil || !ok("cr", o.Namespace, o.Name, false) {
			return false
		}
	}
	for _, o := range u.Roles {
		if o == nil || !ok("r", o.Namespace, o.Name, true) {
			return false
		}
	}
	for _, o := range u.ClusterRoleBindings {
		if o == nil || !ok("crb", o.Namespace, o.Name, false) {
			return false
		}
	}
	for _, o := range u.RoleBindings {
		if o == nil || !ok("rb", o.Namespace, o.Name, true) {
			return false
		}
	}
	return true
}
