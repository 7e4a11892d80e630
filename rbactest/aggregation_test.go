package rbactest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	"k8s.io/kubernetes/pkg/controller/clusterroleaggregation"

	"github.com/bulwarkdev/bulwark/rbac"
	"github.com/bulwarkdev/bulwark/rbactest/internal/bootstrapgen"
)

// quiet is how long the controller must go without writing a ClusterRole
// for it to count as settled.
const quiet = 150 * time.Millisecond

// aggregateWithController runs kube-controller-manager's
// clusterrole-aggregation controller over the roles, against a fake API
// (server-side apply included), until the roles stop changing, and returns
// the rules of every ClusterRole by name. The fake API announces every
// write, even one that changes nothing (an apply without rules, which a
// real API server takes as a no-op), so the controller may keep syncing:
// settled means the roles stop changing, after the controller's informer
// has synced. Under load the controller may be slow to start: while the
// roles differ from expect (bulwark's answer; nil for none), it is given
// up to ten seconds more before its state counts as its last word.
func aggregateWithController(t testing.TB, roles []*rbacv1.ClusterRole, expect map[string][]rbacv1.PolicyRule) map[string][]rbacv1.PolicyRule {
	t.Helper()
	var objs []runtime.Object
	for _, r := range roles {
		objs = append(objs, r.DeepCopy())
	}
	client := fake.NewClientset(objs...)
	factory := informers.NewSharedInformerFactory(client, 0)
	ctrl := clusterroleaggregation.NewClusterRoleAggregation(factory.Rbac().V1().ClusterRoles(), client.RbacV1())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	factory.Start(ctx.Done())
	done := make(chan struct{})
	go func() { ctrl.Run(ctx, 1); close(done) }()
	factory.WaitForCacheSync(ctx.Done())
	var last map[string][]rbacv1.PolicyRule
	start, since := time.Now(), time.Now()
	for {
		time.Sleep(quiet / 5)
		list, err := client.RbacV1().ClusterRoles().List(context.Background(), metav1.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		now := rulesByName(list)
		if last == nil || !equality.Semantic.DeepEqual(last, now) {
			last, since = now, time.Now()
		}
		stable := time.Since(since) > quiet && time.Since(start) > 2*quiet
		if stable && (expect == nil || equality.Semantic.DeepEqual(now, expect) || time.Since(start) > 10*time.Second) {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the controller's roles keep changing: a cycle that never settles")
		}
	}
	cancel()
	<-done
	factory.Shutdown()
	return last
}

func rulesByName(list *rbacv1.ClusterRoleList) map[string][]rbacv1.PolicyRule {
	out := map[string][]rbacv1.PolicyRule{}
	for _, r := range list.Items {
		out[r.Name] = r.Rules
	}
	return out
}

// resolved returns bulwark's rules of every ClusterRole by name.
func resolved(r *rbac.Resolver) map[string][]rbacv1.PolicyRule {
	out := map[string][]rbacv1.PolicyRule{}
	for _, role := range r.Roles() {
		if role.Kind == rbac.KindClusterRole {
			out[role.Name] = role.Rules
		}
	}
	return out
}

var equateEmpty = cmpopts.EquateEmpty()

// Label pools for aggregation: selectors that match, miss, match
// everything ({}), and that the controller cannot read.
var (
	labelKeys   = []string{"agg", "tier", "example.com/agg"}
	labelValues = []string{"a", "b"}
)

func (g *gen) labels() map[string]string {
	if g.r.IntN(4) == 0 {
		return nil
	}
	m := map[string]string{}
	for _, k := range g.some(labelKeys, 2) {
		m[k] = g.pick(labelValues)
	}
	return m
}

func (g *gen) selector() metav1.LabelSelector {
	var s metav1.LabelSelector
	switch g.r.IntN(12) {
	case 0:
		return s // selects every ClusterRole
	case 1:
		s.MatchLabels = map[string]string{"bad key!": "a"}
		return s
	case 2:
		s.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "agg", Operator: "Gt", Values: []string{"1"}}}
		return s
	case 3:
		s.MatchExpressions = []metav1.LabelSelectorRequirement{{Key: "agg", Operator: metav1.LabelSelectorOpIn}}
		return s
	}
	if g.r.IntN(2) == 0 {
		s.MatchLabels = map[string]string{g.pick(labelKeys): g.pick(labelValues)}
	}
	for range g.r.IntN(2) {
		e := metav1.LabelSelectorRequirement{Key: g.pick(labelKeys)}
		switch g.r.IntN(4) {
		case 0:
			e.Operator, e.Values = metav1.LabelSelectorOpIn, g.some(labelValues, 2)
		case 1:
			e.Operator, e.Values = metav1.LabelSelectorOpNotIn, g.some(labelValues, 2)
		case 2:
			e.Operator = metav1.LabelSelectorOpExists
		default:
			e.Operator = metav1.LabelSelectorOpDoesNotExist
		}
		if (e.Operator == metav1.LabelSelectorOpIn || e.Operator == metav1.LabelSelectorOpNotIn) && len(e.Values) == 0 {
			e.Values = []string{"a"}
		}
		s.MatchExpressions = append(s.MatchExpressions, e)
	}
	if len(s.MatchLabels)+len(s.MatchExpressions) == 0 {
		s.MatchLabels = map[string]string{"agg": "a"}
	}
	return s
}

// aggregatedRoles returns ClusterRoles, some aggregating others, with
// rules that repeat across roles (to exercise deduplication).
func (g *gen) aggregatedRoles() []*rbacv1.ClusterRole {
	shared := []rbacv1.PolicyRule{g.rule(), g.rule(), g.rule()}
	var out []*rbacv1.ClusterRole
	for i := range 2 + g.r.IntN(6) {
		r := &rbacv1.ClusterRole{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("role-%c", 'a'+g.r.IntN(26)) + fmt.Sprint(i), Labels: g.labels()}}
		for range g.r.IntN(4) {
			if g.r.IntN(2) == 0 {
				r.Rules = append(r.Rules, shared[g.r.IntN(len(shared))])
			} else {
				r.Rules = append(r.Rules, g.rule())
			}
		}
		if g.r.IntN(2) == 0 {
			r.AggregationRule = &rbacv1.AggregationRule{}
			for range g.r.IntN(3) {
				r.AggregationRule.ClusterRoleSelectors = append(r.AggregationRule.ClusterRoleSelectors, g.selector())
			}
		}
		out = append(out, r)
	}
	return out
}

// cyclic reports whether aggregation rules select each other in a cycle,
// judged with the API machinery's own selectors.
func cyclic(roles []*rbacv1.ClusterRole) bool {
	edges := map[string][]string{}
	for _, a := range roles {
		if a.AggregationRule == nil {
			continue
		}
		for i := range a.AggregationRule.ClusterRoleSelectors {
			sel, err := metav1.LabelSelectorAsSelector(&a.AggregationRule.ClusterRoleSelectors[i])
			if err != nil {
				edges[a.Name] = nil // the controller gives up on this role
				break
			}
			for _, m := range roles {
				if m.Name != a.Name && m.AggregationRule != nil && sel.Matches(labelSet(m.Labels)) {
					edges[a.Name] = append(edges[a.Name], m.Name)
				}
			}
		}
	}
	state := map[string]int{}
	var visit func(string) bool
	visit = func(n string) bool {
		state[n] = 1
		for _, m := range edges[n] {
			if state[m] == 1 || state[m] == 0 && visit(m) {
				return true
			}
		}
		state[n] = 2
		return false
	}
	for n := range edges {
		if state[n] == 0 && visit(n) {
			return true
		}
	}
	return false
}

type labelSet map[string]string

func (l labelSet) Has(k string) bool              { _, ok := l[k]; return ok }
func (l labelSet) Get(k string) string            { return l[k] }
func (l labelSet) Lookup(k string) (string, bool) { v, ok := l[k]; return v, ok }

// TestAggregationRandom runs the aggregation controller over random
// ClusterRoles and compares every role's rules with bulwark's; without a
// cycle the result is unique, with one bulwark's must be a state the
// controller leaves alone. Then it asks the authorizer, over the roles as
// the controller left them, what bulwark answers from the roles as
// written.
func TestAggregationRandom(t *testing.T) {
	n := 160
	if testing.Short() {
		n = 30
	}
	var acyclic, cycles, asked atomic.Int64
	t.Run("seeds", func(t *testing.T) {
		for seed := range uint64(n) {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				a, c, q := aggregationCase(t, seed)
				acyclic.Add(a)
				cycles.Add(c)
				asked.Add(q)
			})
		}
	})
	t.Logf("%d acyclic and %d cyclic sets of ClusterRoles aggregated as the controller does; %d questions to the authorizer over its result",
		acyclic.Load(), cycles.Load(), asked.Load())
	if cycles.Load() == 0 && !testing.Short() { // -short's 30 seeds hold no cycle
		t.Error("no cycle generated: the generator does not reach that case")
	}
}

// aggregationCase judges one random set of ClusterRoles and says whether
// it was acyclic or cyclic, and how many questions were asked.
func aggregationCase(t *testing.T, seed uint64) (acyclic, cycles, asked int64) {
	g := newGen(1000 + seed)
	roles := g.aggregatedRoles()
	u := &universe{ClusterRoles: roles}
	mine := rbac.New(u.cluster(), rbac.Options{NoBuiltins: true})
	if cyclic(roles) {
		// Start the controller from bulwark's state: it must find
		// nothing to change, unless bulwark says the cycle never settles.
		var settled []*rbacv1.ClusterRole
		for _, r := range roles {
			c := r.DeepCopy()
			role := mine.ClusterRole(r.Name)
			if strings.Contains(role.Aggregation, "never settles") {
				return 0, 0, 0
			}
			c.Rules = role.Rules
			settled = append(settled, c)
		}
		got := aggregateWithController(t, settled, resolved(mine))
		if diff := cmp.Diff(got, resolved(mine), equateEmpty); diff != "" {
			t.Fatalf("seed %d: bulwark's aggregation of a cycle is not a state the controller keeps (-controller +bulwark):\n%s\nobjects:\n%s", seed, diff, u.yaml())
		}
		return 0, 1, 0
	}
	want := aggregateWithController(t, roles, resolved(mine))
	if diff := cmp.Diff(want, resolved(mine), equateEmpty); diff != "" {
		t.Fatalf("seed %d: aggregated rules differ (-controller +bulwark):\n%s\nobjects:\n%s", seed, diff, u.yaml())
	}
	// The authorizer reads the controller's rules; bulwark computes them
	// from the roles as written.
	aggregated := &universe{}
	for _, r := range roles {
		c := r.DeepCopy()
		c.Rules = want[r.Name]
		c.AggregationRule = nil
		aggregated.ClusterRoles = append(aggregated.ClusterRoles, c)
	}
	for i, r := range roles {
		b := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("b%d", i)},
			RoleRef: rbacv1.RoleRef{Kind: rbac.KindClusterRole, Name: r.Name}, Subjects: []rbacv1.Subject{{Kind: rbacv1.UserKind, Name: r.Name}}}
		aggregated.ClusterRoleBindings = append(aggregated.ClusterRoleBindings, b)
		u.ClusterRoleBindings = append(u.ClusterRoleBindings, b)
	}
	o := newOracle(aggregated)
	r := rbac.New(u.cluster(), rbac.Options{NoBuiltins: true})
	for _, role := range roles {
		who := rbac.User{Name: role.Name}
		for range 40 {
			q := g.request()
			asked++
			d, why, _ := o.authz.Authorize(context.Background(), attributes(who, q))
			got := r.Authorize(who, q)
			if got.Allowed != (d == authorizer.DecisionAllow) || got.Allowed && reason(got) != why {
				t.Fatalf("seed %d: user %s, request %s: authorizer over the aggregated roles %v %q, bulwark %v %q\nobjects as written:\n%s",
					seed, who.Name, q, d == authorizer.DecisionAllow, why, got.Allowed, reason(got), u.yaml())
			}
		}
	}
	return 1, 0, asked
}

// TestAggregationBootstrap aggregates Kubernetes' own ClusterRoles (admin,
// edit, view and the roles aggregated into them) with the controller and
// compares every built-in ClusterRole of the resolver.
func TestAggregationBootstrap(t *testing.T) {
	p := bootstrapgen.Bootstrap()
	var roles []*rbacv1.ClusterRole
	for i := range p.ClusterRoles {
		roles = append(roles, &p.ClusterRoles[i])
	}
	got := resolved(rbac.New(nil, rbac.Options{}))
	want := aggregateWithController(t, roles, got)
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Fatalf("built-in ClusterRoles differ from the controller's aggregation of the bootstrap policy (-controller +bulwark):\n%s", diff)
	}
	if len(got["admin"]) == 0 || len(got["admin"]) <= len(got["edit"]) || len(got["edit"]) <= len(got["view"]) {
		t.Errorf("admin %d, edit %d, view %d rules: want admin ⊋ edit ⊋ view", len(got["admin"]), len(got["edit"]), len(got["view"]))
	}
}
