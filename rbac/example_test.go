package rbac_test

import (
	"fmt"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/rbac"
)

// What can a CI runner's service account do? Its Role creates pods and
// execs into them in its namespace, and a RoleBinding in another
// namespace grants it Kubernetes' built-in edit role, which the input
// does not hold: the resolver takes it from the bootstrap policy.
func Example() {
	c := hardening.NewCluster([]hardening.ClusterObject{
		{Kind: hardening.KindRole, Namespace: "ci", Name: "runner", Object: &rbacv1.Role{
			ObjectMeta: metav1.ObjectMeta{Name: "runner", Namespace: "ci"},
			Rules: []rbacv1.PolicyRule{
				{Verbs: []string{"create", "delete", "get"}, APIGroups: []string{""}, Resources: []string{"pods"}},
				{Verbs: []string{"create"}, APIGroups: []string{""}, Resources: []string{"pods/exec"}},
			}}},
		{Kind: hardening.KindRoleBinding, Namespace: "ci", Name: "runner", Object: &rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "runner", Namespace: "ci"},
			RoleRef:    rbacv1.RoleRef{Kind: "Role", Name: "runner"},
			Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "runner"}}}},
		{Kind: hardening.KindRoleBinding, Namespace: "staging", Name: "ci-deploys", Object: &rbacv1.RoleBinding{
			ObjectMeta: metav1.ObjectMeta{Name: "ci-deploys", Namespace: "staging"},
			RoleRef:    rbacv1.RoleRef{Kind: "ClusterRole", Name: "edit"},
			Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: "runner", Namespace: "ci"}}}},
	})
	r := rbac.For(c) // built once per run, shared by every check
	runner := rbac.ServiceAccount("ci", "runner")

	d := r.Authorize(runner, rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec", Name: "build-42", Namespace: "ci"})
	fmt.Println("exec into ci/build-42:", d.Allowed, "by", d.Grant)
	d = r.Authorize(runner, rbac.Request{Verb: "list", Resource: "secrets", Namespace: "prod"})
	fmt.Println("list Secrets of prod:", d.Allowed)

	for _, p := range r.Powers(runner) {
		where := "in every namespace"
		if p.Namespace != "" {
			where = "in " + p.Namespace
		}
		fmt.Printf("%s %s: %s\n", p.Severity, where, p.Permission)
	}
	// Output:
	// exec into ci/build-42: true by RoleBinding "runner/ci" of Role "runner" to ServiceAccount "runner/ci", rules[1]
	// list Secrets of prod: false
	// high in ci: create on Pods
	// high in ci: create on pods/exec or pods/attach
	// high in staging: list and watch on Secrets
	// high in staging: create on Pods
	// high in staging: create, update or patch on pod controllers (Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers)
	// high in staging: update or patch on Pods
	// high in staging: create on pods/exec or pods/attach
	// high in staging: create on serviceaccounts/token
	// high in staging: impersonate on serviceaccounts
	// medium in staging: create on pods/portforward
}
