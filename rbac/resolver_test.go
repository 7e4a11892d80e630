package rbac_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/rbac"
)

// cluster builds a Cluster of RBAC objects, kinds taken from their types.
func cluster(objs ...any) *hardening.Cluster {
	var out []hardening.ClusterObject
	for i, o := range objs {
		co := hardening.ClusterObject{APIVersion: "rbac.authorization.k8s.io/v1", Source: "test", Document: i, Object: o}
		switch v := o.(type) {
		case *rbacv1.Role:
			co.Kind, co.Namespace, co.Name = hardening.KindRole, v.Namespace, v.Name
		case *rbacv1.ClusterRole:
			co.Kind, co.Name = hardening.KindClusterRole, v.Name
		case *rbacv1.RoleBinding:
			co.Kind, co.Namespace, co.Name = hardening.KindRoleBinding, v.Namespace, v.Name
		case *rbacv1.ClusterRoleBinding:
			co.Kind, co.Name = hardening.KindClusterRoleBinding, v.Name
		}
		out = append(out, co)
	}
	return hardening.NewCluster(out)
}

func rule(verbs, groups, resources string) rbacv1.PolicyRule {
	return rbacv1.PolicyRule{Verbs: strings.Fields(verbs), APIGroups: fields(groups), Resources: strings.Fields(resources)}
}

// fields splits on spaces; "-" stands for the core group "".
func fields(s string) []string {
	f := strings.Fields(s)
	for i := range f {
		if f[i] == "-" {
			f[i] = ""
		}
	}
	return f
}

func clusterRole(name string, rules ...rbacv1.PolicyRule) *rbacv1.ClusterRole {
	return &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name}, Rules: rules}
}

func role(ns, name string, rules ...rbacv1.PolicyRule) *rbacv1.Role {
	return &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns}, Rules: rules}
}

func crb(name, roleName string, subjects ...rbacv1.Subject) *rbacv1.ClusterRoleBinding {
	return &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: rbac.KindClusterRole, Name: roleName}, Subjects: subjects}
}

func rb(ns, name, kind, roleName string, subjects ...rbacv1.Subject) *rbacv1.RoleBinding {
	return &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		RoleRef: rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: kind, Name: roleName}, Subjects: subjects}
}

func sa(ns, name string) rbacv1.Subject {
	return rbacv1.Subject{Kind: rbacv1.ServiceAccountKind, Name: name, Namespace: ns}
}

func user(name string) rbacv1.Subject { return rbacv1.Subject{Kind: rbacv1.UserKind, Name: name} }

func group(name string) rbacv1.Subject { return rbacv1.Subject{Kind: rbacv1.GroupKind, Name: name} }

// answer is what a table compares of a decision: allowed, through which
// binding, subject and rule, and how many unknown roles stood in the way.
type answer struct {
	Allowed bool
	Via     string
	Unknown int
}

func answerOf(d rbac.Decision) answer {
	a := answer{Allowed: d.Allowed, Unknown: len(d.Unknown)}
	if d.Allowed {
		a.Via = d.Grant.String()
	}
	return a
}

func TestAuthorize(t *testing.T) {
	runner := rbac.ServiceAccount("ci", "runner")
	podsCreate := rbac.Request{Verb: "create", Resource: "pods", Namespace: "ci"}
	tests := []struct {
		name    string
		objects []any
		opts    rbac.Options
		user    rbac.User
		request rbac.Request
		want    answer
	}{
		{"a RoleBinding to a ClusterRole grants in its namespace",
			[]any{clusterRole("pods", rule("create", "-", "pods")), rb("ci", "b", rbac.KindClusterRole, "pods", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `RoleBinding "b/ci" of ClusterRole "pods" to ServiceAccount "runner/ci", rules[0]`}},
		{"… and nowhere else",
			[]any{clusterRole("pods", rule("create", "-", "pods")), rb("ci", "b", rbac.KindClusterRole, "pods", sa("ci", "runner"))},
			rbac.Options{}, runner, rbac.Request{Verb: "create", Resource: "pods", Namespace: "prod"}, answer{}},
		{"… nor on cluster-scoped objects",
			[]any{clusterRole("nodes", rule("get", "-", "nodes/proxy")), rb("ci", "b", rbac.KindClusterRole, "nodes", sa("ci", "runner"))},
			rbac.Options{}, runner, rbac.Request{Verb: "get", Resource: "nodes", Subresource: "proxy", Name: "n1"}, answer{}},
		{"a ClusterRoleBinding grants everywhere",
			[]any{clusterRole("pods", rule("create", "-", "pods")), crb("b", "pods", sa("ci", "runner"))},
			rbac.Options{}, runner, rbac.Request{Verb: "create", Resource: "pods", Namespace: "kube-system"},
			answer{Allowed: true, Via: `ClusterRoleBinding "b" of ClusterRole "pods" to ServiceAccount "runner/ci", rules[0]`}},
		{"an account without namespace in a RoleBinding is of the binding's namespace",
			[]any{role("ci", "r", rule("create", "-", "pods")), rb("ci", "b", rbac.KindRole, "r", sa("", "runner"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `RoleBinding "b/ci" of Role "r" to ServiceAccount "runner/ci", rules[0]`}},
		{"… and in a ClusterRoleBinding of no one",
			[]any{clusterRole("pods", rule("create", "-", "pods")), crb("b", "pods", sa("", "runner"))},
			rbac.Options{}, runner, podsCreate, answer{}},
		{"a User subject named as the account's user matches it",
			[]any{clusterRole("pods", rule("create", "-", "pods")), crb("b", "pods", user("system:serviceaccount:ci:runner"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `ClusterRoleBinding "b" of ClusterRole "pods" to User "system:serviceaccount:ci:runner", rules[0]`}},
		{"every token carries system:serviceaccounts:<namespace>",
			[]any{clusterRole("pods", rule("create", "-", "pods")), crb("b", "pods", user("alice"), group("system:serviceaccounts:ci"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `ClusterRoleBinding "b" of ClusterRole "pods" to Group "system:serviceaccounts:ci", rules[0]`}},
		{"the first binding and the first subject that apply",
			[]any{clusterRole("pods", rule("create", "-", "pods")),
				crb("a", "pods", group(rbac.Authenticated), sa("ci", "runner")), crb("b", "pods", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `ClusterRoleBinding "a" of ClusterRole "pods" to Group "system:authenticated", rules[0]`}},
		{"a Role is looked up in the binding's namespace",
			[]any{role("prod", "r", rule("create", "-", "pods")), rb("ci", "b", rbac.KindRole, "r", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate, answer{Unknown: 1}},
		{"a built-in role the input lacks resolves",
			[]any{rb("ci", "b", rbac.KindClusterRole, "edit", sa("ci", "runner"))},
			rbac.Options{}, runner, rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec", Name: "web", Namespace: "ci"},
			answer{Allowed: true, Via: `RoleBinding "b/ci" of ClusterRole "edit" to ServiceAccount "runner/ci", rules[2] of ClusterRole system:aggregate-to-edit`}},
		{"… unless told not to assume the built-in policy: unknown, not denied",
			[]any{rb("ci", "b", rbac.KindClusterRole, "edit", sa("ci", "runner"))},
			rbac.Options{NoBuiltins: true}, runner, rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec", Name: "web", Namespace: "ci"},
			answer{Unknown: 1}},
		{"the built-in bindings apply: every authenticated user may review itself",
			nil, rbac.Options{}, runner, rbac.Request{Verb: "create", APIGroup: "authorization.k8s.io", Resource: "selfsubjectaccessreviews"},
			answer{Allowed: true, Via: `ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated", rules[0]`}},
		{"anonymous requests read /healthz",
			nil, rbac.Options{}, rbac.AnonymousUser(), rbac.Request{Verb: "get", NonResource: true, Path: "/healthz"},
			answer{Allowed: true, Via: `ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated", rules[0]`}},
		{"an unknown roleRef kind grants nothing and is unknown",
			[]any{clusterRole("pods", rule("create", "-", "pods")), rb("ci", "b", "clusterrole", "pods", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate, answer{Unknown: 1}},
		{"objects without a namespace are in the default namespace",
			[]any{role("", "r", rule("create", "-", "pods")), rb("", "b", rbac.KindRole, "r", sa("", "runner"))},
			rbac.Options{}, rbac.ServiceAccount(rbac.DefaultNamespace, "runner"), rbac.Request{Verb: "create", Resource: "pods", Namespace: rbac.DefaultNamespace},
			answer{Allowed: true, Via: `RoleBinding "b/default" of Role "r" to ServiceAccount "runner/default", rules[0]`}},
		{"the first of two objects of one name counts",
			[]any{role("ci", "r", rule("get", "-", "pods")), role("ci", "r", rule("create", "-", "pods")), rb("ci", "b", rbac.KindRole, "r", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate, answer{}},
		{"aggregated rules grant",
			[]any{&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "agg"}, AggregationRule: &rbacv1.AggregationRule{
				ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{"x": "y"}}}}},
				&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "leaf", Labels: map[string]string{"x": "y"}}, Rules: []rbacv1.PolicyRule{rule("create", "-", "pods")}},
				crb("b", "agg", sa("ci", "runner"))},
			rbac.Options{}, runner, podsCreate,
			answer{Allowed: true, Via: `ClusterRoleBinding "b" of ClusterRole "agg" to ServiceAccount "runner/ci", rules[0] of ClusterRole leaf`}},
		{"… unless the rules are taken as written",
			[]any{&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "agg"}, AggregationRule: &rbacv1.AggregationRule{
				ClusterRoleSelectors: []metav1.LabelSelector{{MatchLabels: map[string]string{"x": "y"}}}}},
				&rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: "leaf", Labels: map[string]string{"x": "y"}}, Rules: []rbacv1.PolicyRule{rule("create", "-", "pods")}},
				crb("b", "agg", sa("ci", "runner"))},
			rbac.Options{AsWritten: true}, runner, podsCreate, answer{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rbac.New(cluster(tt.objects...), tt.opts)
			if diff := cmp.Diff(tt.want, answerOf(r.Authorize(tt.user, tt.request))); diff != "" {
				t.Errorf("Authorize(%v, %s) (-want +got):\n%s", tt.user, tt.request, diff)
			}
		})
	}
}

func TestRuleAllows(t *testing.T) {
	tests := []struct {
		rule    rbacv1.PolicyRule
		request rbac.Request
		want    bool
	}{
		{rule("*", "*", "*"), rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec"}, true},
		{rule("create", "-", "pods"), rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec"}, false},
		{rule("create", "-", "pods/*"), rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec"}, false},
		{rule("create", "-", "pods/*"), rbac.Request{Verb: "create", Resource: "pods"}, false},
		{rule("create", "-", "*/exec"), rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec"}, true},
		{rule("create", "-", "*/exec"), rbac.Request{Verb: "create", Resource: "pods"}, false},
		{rule("get", "*", "secrets"), rbac.Request{Verb: "get", Resource: "secrets", Name: "x"}, true},
		{rule("get", "apps", "secrets"), rbac.Request{Verb: "get", Resource: "secrets", Name: "x"}, false},
		{rule("Get", "-", "secrets"), rbac.Request{Verb: "get", Resource: "secrets"}, false},
		{rbacv1.PolicyRule{Verbs: []string{"create"}, APIGroups: []string{""}, Resources: []string{"pods"}, ResourceNames: []string{"web"}},
			rbac.Request{Verb: "create", Resource: "pods"}, false}, // create has no name: a named rule never allows it
		{rbacv1.PolicyRule{Verbs: []string{"create"}, APIGroups: []string{""}, Resources: []string{"pods/exec"}, ResourceNames: []string{"web"}},
			rbac.Request{Verb: "create", Resource: "pods", Subresource: "exec", Name: "web"}, true},
		{rbacv1.PolicyRule{Verbs: []string{"list"}, APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"a"}},
			rbac.Request{Verb: "list", Resource: "secrets"}, false},
		{rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz/*"}}, rbac.Request{Verb: "get", NonResource: true, Path: "/healthz/etcd"}, true},
		{rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/healthz/*"}}, rbac.Request{Verb: "get", NonResource: true, Path: "/healthz"}, false},
		{rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"/api*"}}, rbac.Request{Verb: "get", NonResource: true, Path: "/apis/apps"}, true},
		{rbacv1.PolicyRule{Verbs: []string{"get"}, NonResourceURLs: []string{"*"}}, rbac.Request{Verb: "get", Resource: "pods"}, false},
		{rule("get", "*", "*"), rbac.Request{Verb: "get", NonResource: true, Path: "/healthz"}, false},
	}
	for _, tt := range tests {
		if got := rbac.RuleAllows(&tt.rule, &tt.request); got != tt.want {
			t.Errorf("RuleAllows(%v, %s) = %v, want %v", tt.rule, tt.request, got, tt.want)
		}
	}
}

func labelled(name string, labels map[string]string, agg []metav1.LabelSelector, rules ...rbacv1.PolicyRule) *rbacv1.ClusterRole {
	r := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}, Rules: rules}
	if agg != nil {
		r.AggregationRule = &rbacv1.AggregationRule{ClusterRoleSelectors: agg}
	}
	return r
}

func TestAggregation(t *testing.T) {
	get := rule("get", "-", "pods")
	list := rule("list", "-", "pods")
	hand := rule("delete", "-", "pods")
	sel := func(kv ...string) []metav1.LabelSelector {
		var out []metav1.LabelSelector
		for i := 0; i < len(kv); i += 2 {
			out = append(out, metav1.LabelSelector{MatchLabels: map[string]string{kv[i]: kv[i+1]}})
		}
		return out
	}
	tests := []struct {
		name  string
		roles []*rbacv1.ClusterRole
		want  map[string][]rbacv1.PolicyRule // by role name, the roles not listed are as written
		note  string                         // of role "a"
	}{
		{"selectors in order, roles by name, equal rules once",
			[]*rbacv1.ClusterRole{
				labelled("a", nil, sel("k", "2", "k", "1"), hand),
				labelled("c", map[string]string{"k": "1"}, nil, list, get),
				labelled("b", map[string]string{"k": "1"}, nil, get),
				labelled("d", map[string]string{"k": "2"}, nil, list)},
			map[string][]rbacv1.PolicyRule{"a": {list, get}}, ""},
		{"nested: view into edit into admin",
			[]*rbacv1.ClusterRole{
				labelled("a", nil, sel("to", "a"), hand),
				labelled("e", map[string]string{"to": "a"}, sel("to", "e")),
				labelled("v", map[string]string{"to": "e"}, nil, get)},
			map[string][]rbacv1.PolicyRule{"a": {get}, "e": {get}}, ""},
		{"an empty selector selects every role but itself",
			[]*rbacv1.ClusterRole{labelled("a", nil, []metav1.LabelSelector{{}}, hand), labelled("b", nil, nil, get)},
			map[string][]rbacv1.PolicyRule{"a": {get}}, ""},
		{"a selector that finds no rule leaves the rules as written",
			[]*rbacv1.ClusterRole{labelled("a", nil, sel("k", "none"), hand), labelled("b", nil, nil, get)},
			map[string][]rbacv1.PolicyRule{"a": {hand}}, ""},
		{"a selector the controller cannot read leaves them too",
			[]*rbacv1.ClusterRole{labelled("a", nil, []metav1.LabelSelector{{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "k", Operator: "In"}}}}, hand),
				labelled("b", map[string]string{"k": "v"}, nil, get)},
			map[string][]rbacv1.PolicyRule{"a": {hand}},
			"aggregationRule.clusterRoleSelectors[0]: matchExpressions[0]: operator In needs values: the aggregation controller cannot read it and leaves the rules as written"},
		{"NotIn and DoesNotExist hold for an absent label",
			[]*rbacv1.ClusterRole{labelled("a", nil, []metav1.LabelSelector{{MatchExpressions: []metav1.LabelSelectorRequirement{
				{Key: "k", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"v"}}, {Key: "j", Operator: metav1.LabelSelectorOpDoesNotExist}}}}, hand),
				labelled("b", map[string]string{"k": "v"}, nil, list), labelled("c", nil, nil, get)},
			map[string][]rbacv1.PolicyRule{"a": {get}}, ""},
		{"a cycle settles in a state the controller keeps",
			[]*rbacv1.ClusterRole{
				labelled("a", map[string]string{"to": "b"}, sel("to", "a"), hand),
				labelled("b", map[string]string{"to": "a"}, sel("to", "b"), get)},
			map[string][]rbacv1.PolicyRule{"a": {get}, "b": {get}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var objs []any
			for _, r := range tt.roles {
				objs = append(objs, r)
			}
			r := rbac.New(cluster(objs...), rbac.Options{NoBuiltins: true})
			got := map[string][]rbacv1.PolicyRule{}
			for _, want := range tt.roles {
				role := r.ClusterRole(want.Name)
				if _, listed := tt.want[want.Name]; listed {
					got[want.Name] = role.Rules
				} else if diff := cmp.Diff(want.Rules, role.Rules); diff != "" {
					t.Errorf("%s changed (-written +got):\n%s", want.Name, diff)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("aggregated rules (-want +got):\n%s", diff)
			}
			if note := r.ClusterRole("a").Aggregation; note != tt.note {
				t.Errorf("Aggregation note %q, want %q", note, tt.note)
			}
		})
	}
}

func TestAggregationNeverSettles(t *testing.T) {
	// a takes b's rules, b c's, c a's: each sync moves the rules on.
	r := rbac.New(cluster(
		labelled("a", map[string]string{"to": "c"}, []metav1.LabelSelector{{MatchLabels: map[string]string{"to": "a"}}}, rule("get", "-", "a")),
		labelled("b", map[string]string{"to": "a"}, []metav1.LabelSelector{{MatchLabels: map[string]string{"to": "b"}}}, rule("get", "-", "b")),
		labelled("c", map[string]string{"to": "b"}, []metav1.LabelSelector{{MatchLabels: map[string]string{"to": "c"}}}, rule("get", "-", "c")),
	), rbac.Options{NoBuiltins: true})
	for _, name := range []string{"a", "b", "c"} {
		role := r.ClusterRole(name)
		if !strings.Contains(role.Aggregation, "never settles") || len(role.Rules) < 2 {
			t.Errorf("%s: %d rules, note %q; want the union of its states and a note", name, len(role.Rules), role.Aggregation)
		}
	}
}

func TestOrigins(t *testing.T) {
	r := rbac.New(cluster(
		labelled("agg", nil, []metav1.LabelSelector{{MatchLabels: map[string]string{"x": "y"}}}),
		labelled("leaf", map[string]string{"x": "y"}, nil, rule("get", "-", "pods"), rule("create", "-", "pods")),
	), rbac.Options{NoBuiltins: true})
	agg := r.ClusterRole("agg")
	if got, want := agg.RulePath(1), "rules[1]"; got != want || agg.Origins[1].Role.Name != "leaf" {
		t.Errorf("origin of agg's rule 1: %s in %s, want %s in leaf", got, agg.Origins[1].Role.Name, want)
	}
	if into := r.AggregatedInto(r.ClusterRole("leaf")); len(into) != 1 || into[0] != agg {
		t.Errorf("leaf aggregated into %v, want agg", into)
	}
	if b := r.BoundBy(agg); len(b) != 0 {
		t.Errorf("agg bound by %v", b)
	}
}
