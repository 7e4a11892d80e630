package rbac

// Check rbac.wildcard: "*" in a rule's verbs, resources or apiGroups.
//
// Object fields:
//
//	rules[i].resources, rules[i].verbs, rules[i].apiGroups
//
// "*" matches what exists and what is added later: every resource of the
// groups listed, subresources included (pods/exec, nodes/proxy,
// serviceaccounts/token); every verb, bind, escalate and impersonate
// included; every API group, those of CRDs installed later included. The
// finding is at the first "*" of resources, else of verbs, else of
// apiGroups: one per rule. A rule with "*" in all three grants every
// permission: cluster admin where granted cluster-wide. Aggregated rules
// are reported on the roles they come from.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Wildcard reports "*" in verbs, resources or apiGroups.
var Wildcard = &hardening.Check{
	ID:        "rbac.wildcard",
	Title:     "rule uses a wildcard in verbs, resources or apiGroups",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassManagement,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "A wildcard grants what exists and what will: \"*\" in resources covers every subresource (pods/exec, nodes/proxy, serviceaccounts/token), " +
		"\"*\" in verbs covers bind, escalate and impersonate, \"*\" in apiGroups the groups of every CRD installed later. With all three the rule is cluster-admin.",
	Remediation: "List the verbs, resources and API groups the workload uses.",
	References:  []hardening.Reference{cis("5.1.3"), refRBACGoodPractices, refNCC},
	Run:         runWildcard,
}

func runWildcard(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	rs, ok := roleOf(s)
	if !ok {
		return out
	}
	var sc *ruleScope
	for i := range rs.rules {
		rule := &rs.rules[i]
		field, j := "resources", slices.Index(rule.Resources, "*")
		if j < 0 {
			field, j = "verbs", slices.Index(rule.Verbs, "*")
		}
		if j < 0 {
			field, j = "apiGroups", slices.Index(rule.APIGroups, "*")
		}
		if j < 0 {
			continue
		}
		if sc == nil {
			if rs.aggregation != nil && rs.replaced(For(s.Cluster)) {
				return out
			}
			v := scopeOf(s, &rs)
			sc = &v
		}
		f := hardening.Finding{Path: s.ObjectPath("rules[" + strconv.Itoa(i) + "]." + field + "[" + strconv.Itoa(j) + "]")}
		p := rulePowers(rule)
		if rs.kind == KindRole {
			p &^= clusterOnly
		}
		if p&pAll != 0 {
			f.Severity = sc.severity(pAll, rs.kind, rs.namespace)
			f.Message = "rules[" + strconv.Itoa(i) + "] grants " + atomInfos[pAll].grants + " (" + sc.phrase(rs.kind, rs.namespace) + "): " + atomInfos[pAll].yields
		} else {
			var what []string
			if slices.Contains(rule.Resources, "*") {
				what = append(what, `"*" in resources covers every resource of `+groupsPhrase(rule.APIGroups)+", subresources such as pods/exec and serviceaccounts/token included")
			}
			if slices.Contains(rule.Verbs, "*") {
				what = append(what, `"*" in verbs covers every verb, bind, escalate and impersonate included`)
			}
			if slices.Contains(rule.APIGroups, "*") {
				what = append(what, `"*" in apiGroups covers every API group, those of CRDs installed later included`)
			}
			f.Message = "rules[" + strconv.Itoa(i) + "]: " + strings.Join(what, "; ") + " (" + sc.phrase(rs.kind, rs.namespace) + ")"
		}
		out = append(out, f)
	}
	return out
}

func groupsPhrase(groups []string) string {
	if slices.Contains(groups, "*") {
		return "every API group"
	}
	var named []string
	for _, g := range groups {
		if g == "" {
			g = `the core group ("")`
		}
		named = append(named, g)
	}
	if len(named) == 0 {
		return "no API group (the rule lists none)"
	}
	return andList(named)
}
