package rbac

import (
	"slices"
	"strconv"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/internal/netpol"
)

// aggregate computes the rules of every ClusterRole with an aggregation
// rule as kube-controller-manager's clusterrole-aggregation controller
// does. For one role, the controller lists, selector by selector in order,
// the ClusterRoles whose labels the selector matches, sorted by name and
// without the role itself, and appends each of their rules unless an equal
// rule (every list equal, a nil list equal to an empty one) is already
// there; the result replaces the role's rules, unless it is empty: the
// controller writes with a server-side apply that omits an empty list, so
// the rules as written stay. A selector it cannot read stops it: the role
// keeps its rules. It syncs every aggregated role again
// whenever any ClusterRole changes, so nested aggregation (view into edit
// into admin) settles on the rules of the roles selected, as aggregated
// themselves.
//
// Roles are computed in dependency order. Roles that aggregate each other
// in a cycle are synced in name order until none changes, a state the
// controller can reach; a cycle that never settles (the controller then
// rewrites it forever) takes the union of every state it goes through.
func (r *Resolver) aggregate() {
	byName := slices.Clone(r.roles)
	byName = slices.DeleteFunc(byName, func(role *Role) bool { return role.Kind != KindClusterRole })
	slices.SortFunc(byName, func(a, b *Role) int { return strings.Compare(a.Name, b.Name) })

	deps := map[*Role][][]*Role{}
	r.into = map[*Role][]*Role{}
	var nodes []*Role
	for _, a := range byName {
		if a.AggregationRule == nil {
			continue
		}
		var bad string
		for i := range a.AggregationRule.ClusterRoleSelectors {
			if err := selectorError(&a.AggregationRule.ClusterRoleSelectors[i]); err != nil {
				bad = "aggregationRule.clusterRoleSelectors[" + strconv.Itoa(i) + "]: " + err.Error() +
					": the aggregation controller cannot read it and leaves the rules as written"
				break
			}
		}
		if bad != "" {
			a.Aggregation, a.badSelector = bad, true
			continue
		}
		sels := make([][]*Role, len(a.AggregationRule.ClusterRoleSelectors))
		for i := range a.AggregationRule.ClusterRoleSelectors {
			sel := &a.AggregationRule.ClusterRoleSelectors[i]
			for _, m := range byName {
				if m == a {
					continue
				}
				if netpol.MatchesLabels(sel, m.Labels) {
					sels[i] = append(sels[i], m)
					if !slices.Contains(r.into[m], a) {
						r.into[m] = append(r.into[m], a)
					}
				}
			}
		}
		deps[a] = sels
		nodes = append(nodes, a)
	}
	for _, scc := range stronglyConnected(nodes, deps) {
		if len(scc) == 1 {
			a := scc[0]
			a.sync(deps[a])
			continue
		}
		settle(scc, deps)
	}
}

// sync does what one sync of the controller does to a role whose
// selectors matched sels. The controller writes the rules with a
// server-side apply that omits an empty list, which leaves the rules as
// they are: a role whose selectors find no rule keeps the rules it has.
func (a *Role) sync(sels [][]*Role) {
	if rules, origins := aggregateFrom(sels); len(rules) > 0 {
		a.Rules, a.Origins = rules, origins
	}
}

// aggregateFrom returns the rules the controller writes into a role whose
// selectors matched sels.
func aggregateFrom(sels [][]*Role) ([]rbacv1.PolicyRule, []RuleOrigin) {
	rules := []rbacv1.PolicyRule{}
	var origins []RuleOrigin
	seen := map[string]bool{}
	for _, matched := range sels {
		for _, m := range matched {
			for i := range m.Rules {
				k := ruleKey(&m.Rules[i])
				if seen[k] {
					continue
				}
				seen[k] = true
				rules = append(rules, m.Rules[i])
				origins = append(origins, m.Origins[i])
			}
		}
	}
	return rules, origins
}

// settleRounds bounds the syncs of a cycle before it is judged unsettled.
const settleRounds = 64

// settle syncs the roles of a cycle in name order until none changes.
func settle(scc []*Role, deps map[*Role][][]*Role) {
	slices.SortFunc(scc, func(a, b *Role) int { return strings.Compare(a.Name, b.Name) })
	for range settleRounds {
		changed := false
		for _, a := range scc {
			before := a.Rules
			a.sync(deps[a])
			if !equalRules(before, a.Rules) {
				changed = true
			}
		}
		if !changed {
			return
		}
	}
	// It never settles: take everything it goes through.
	union := map[*Role]*ruleUnion{}
	for _, a := range scc {
		union[a] = newRuleUnion(a.Rules, a.Origins)
	}
	for range settleRounds {
		for _, a := range scc {
			a.sync(deps[a])
			union[a].add(a.Rules, a.Origins)
		}
	}
	var names []string
	for _, a := range scc {
		names = append(names, a.Name)
	}
	for _, a := range scc {
		a.Rules, a.Origins = union[a].rules, union[a].origins
		a.Aggregation = "ClusterRoles " + strings.Join(names, ", ") + " aggregate each other in a cycle that never settles: " +
			"the aggregation controller rewrites them forever; their rules are taken as every rule they hold on the way"
	}
}

type ruleUnion struct {
	rules   []rbacv1.PolicyRule
	origins []RuleOrigin
	seen    map[string]bool
}

func newRuleUnion(rules []rbacv1.PolicyRule, origins []RuleOrigin) *ruleUnion {
	u := &ruleUnion{seen: map[string]bool{}}
	u.add(rules, origins)
	return u
}

func (u *ruleUnion) add(rules []rbacv1.PolicyRule, origins []RuleOrigin) {
	for i := range rules {
		if k := ruleKey(&rules[i]); !u.seen[k] {
			u.seen[k] = true
			u.rules = append(u.rules, rules[i])
			u.origins = append(u.origins, origins[i])
		}
	}
}

// ruleKey encodes a rule so that two rules have the same key exactly when
// the controller deems them equal: each list element by element, a nil
// list equal to an empty one.
func ruleKey(p *rbacv1.PolicyRule) string {
	var b strings.Builder
	for _, list := range [...][]string{p.Verbs, p.APIGroups, p.Resources, p.ResourceNames, p.NonResourceURLs} {
		b.WriteString(strconv.Itoa(len(list)))
		b.WriteByte(':')
		for _, e := range list {
			b.WriteString(strconv.Itoa(len(e)))
			b.WriteByte(':')
			b.WriteString(e)
		}
	}
	return b.String()
}

func equalRules(a, b []rbacv1.PolicyRule) bool {
	return slices.EqualFunc(a, b, func(x, y rbacv1.PolicyRule) bool { return ruleKey(&x) == ruleKey(&y) })
}

// stronglyConnected returns the strongly connected components of the
// graph whose edges lead from each node to the aggregated roles it selects,
// dependencies first (Tarjan's algorithm).
func stronglyConnected(nodes []*Role, deps map[*Role][][]*Role) [][]*Role {
	index := map[*Role]int{}
	low := map[*Role]int{}
	onStack := map[*Role]bool{}
	var stack []*Role
	var out [][]*Role
	var visit func(v *Role)
	visit = func(v *Role) {
		index[v] = len(index)
		low[v] = index[v]
		stack = append(stack, v)
		onStack[v] = true
		for _, sel := range deps[v] {
			for _, w := range sel {
				if _, aggregated := deps[w]; !aggregated {
					continue
				}
				if _, seen := index[w]; !seen {
					visit(w)
					low[v] = min(low[v], low[w])
				} else if onStack[w] {
					low[v] = min(low[v], index[w])
				}
			}
		}
		if low[v] == index[v] {
			var scc []*Role
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			out = append(out, scc)
		}
	}
	for _, v := range nodes {
		if _, seen := index[v]; !seen {
			visit(v)
		}
	}
	return out
}
