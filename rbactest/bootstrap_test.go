package rbactest

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/rbac"
	"github.com/bulwarkdev/bulwark/rbactest/internal/bootstrapgen"
)

// TestBuiltinPolicyIsGenerated keeps package rbac's built-in policy equal
// to a fresh generation from the bootstrap policy this module imports.
func TestBuiltinPolicyIsGenerated(t *testing.T) {
	want, err := bootstrapgen.Generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../rbac/builtin_policy.go")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strings.Split(string(want), "\n"), strings.Split(string(got), "\n")); diff != "" {
		t.Errorf("rbac/builtin_policy.go is stale; run go generate in rbactest (-generated +committed):\n%s", diff)
	}
	if version, _ := bootstrapgen.KubernetesVersion(); rbac.BootstrapVersion != version {
		t.Errorf("rbac.BootstrapVersion = %s, the imported Kubernetes is %s", rbac.BootstrapVersion, version)
	}
}

// TestBootstrapAuthorizer asks the authorizer, over Kubernetes' bootstrap
// policy as the API server creates it and the aggregation controller
// completes it, what bulwark's resolver answers from its built-in policy
// alone (no input): the default grants to every authenticated user and
// every service account, the controllers' accounts, the components'
// users, anonymous requests.
func TestBootstrapAuthorizer(t *testing.T) {
	p := bootstrapgen.Bootstrap()
	var roles []*rbacv1.ClusterRole
	for i := range p.ClusterRoles {
		roles = append(roles, &p.ClusterRoles[i])
	}
	aggregated := aggregateWithController(t, roles, resolved(rbac.New(nil, rbac.Options{})))
	u := &universe{}
	for _, r := range roles {
		c := r.DeepCopy()
		c.Rules = aggregated[r.Name]
		u.ClusterRoles = append(u.ClusterRoles, c)
	}
	for i := range p.Roles {
		u.Roles = append(u.Roles, &p.Roles[i])
	}
	for i := range p.ClusterRoleBindings {
		u.ClusterRoleBindings = append(u.ClusterRoleBindings, &p.ClusterRoleBindings[i])
	}
	for i := range p.RoleBindings {
		u.RoleBindings = append(u.RoleBindings, &p.RoleBindings[i])
	}
	o := newOracle(u)
	r := rbac.New(nil, rbac.Options{})

	users := []rbac.User{
		rbac.AnonymousUser(),
		{Name: "alice", Groups: []string{rbac.Authenticated}},
		rbac.ServiceAccount("default", "default"),
		rbac.ServiceAccount("kube-system", "clusterrole-aggregation-controller"),
		rbac.ServiceAccount("kube-system", "replicaset-controller"),
		rbac.ServiceAccount("kube-system", "bootstrap-signer"),
		rbac.ServiceAccount("kube-public", "bootstrap-signer"),
		{Name: "system:kube-scheduler", Groups: []string{rbac.Authenticated}},
		{Name: "system:kube-controller-manager", Groups: []string{rbac.Authenticated}},
		{Name: "system:kube-proxy", Groups: []string{rbac.Authenticated}},
		{Name: "admin", Groups: []string{rbac.Masters, rbac.Authenticated}},
		{Name: "system:node:n1", Groups: []string{"system:nodes", rbac.Authenticated}},
		{Name: "monitor", Groups: []string{"system:monitoring", rbac.Authenticated}},
	}
	var requests []rbac.Request
	// Every rule of the policy, as a request it should allow.
	for _, role := range r.Roles() {
		for _, rule := range role.Rules {
			ns := role.Namespace
			for _, v := range rule.Verbs {
				for _, url := range rule.NonResourceURLs {
					requests = append(requests, rbac.Request{Verb: v, NonResource: true, Path: strings.TrimSuffix(url, "*") + "x"})
				}
				for _, grp := range rule.APIGroups {
					for _, res := range rule.Resources {
						resource, sub, _ := strings.Cut(res, "/")
						name := ""
						if len(rule.ResourceNames) > 0 {
							name = rule.ResourceNames[0]
						}
						for _, n := range []string{ns, "kube-system", ""} {
							requests = append(requests, rbac.Request{Verb: v, APIGroup: grp, Resource: resource, Subresource: sub, Name: name, Namespace: n})
						}
					}
				}
			}
		}
	}
	g := newGen(7)
	for range 2000 {
		requests = append(requests, g.request())
	}
	asked := compareWith(t, o, r, u, users, requests)
	t.Logf("%d built-in roles, %d users, %d questions, no disagreement", len(r.Roles()), len(users), asked)
}
