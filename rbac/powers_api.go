package rbac

import (
	"cmp"
	"slices"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Power is a dangerous permission a user holds: what it grants, what that
// leads to, where, and the rule that grants it.
type Power struct {
	// Permission says what is granted: "create on pods/exec or pods/attach".
	Permission string
	// Yields says what it leads to.
	Yields string
	// Namespace is where it applies; empty for every namespace and the
	// cluster-scoped objects (a ClusterRoleBinding).
	Namespace string
	// Severity ranks it in its scope: in kube-system, what yields tokens,
	// Secrets or code in pods is cluster admin.
	Severity hardening.Severity
	// Grant is the first rule, in the authorizer's order, that grants it.
	Grant Grant

	atom powerSet
}

// Powers returns the dangerous permissions u holds (the permissions the
// checks of this package report on rules: every verb on every resource,
// reading Secrets, creating or rewriting pods, exec, attach, port-forward,
// ephemeral containers, tokens, bind, escalate, impersonate, nodes/proxy,
// certificate approval, admission webhooks, PersistentVolumes, Nodes),
// each once per scope, the most severe first (then by namespace, cluster-wide
// first). Bind and escalate count only
// where u also holds create on bindings or a write to roles, certificate
// approval only with a signer to approve for.
func (r *Resolver) Powers(u User) []Power {
	type held struct {
		atom  powerSet
		scope string
		grant Grant
	}
	var all []held
	var whole powerSet
	for _, g := range r.BindingsOf(u) {
		b := g.Binding
		if b.Role == nil {
			continue
		}
		scope := ""
		mask := ^powerSet(0)
		if b.Kind == KindRoleBinding {
			scope, mask = b.Namespace, ^clusterOnly
		}
		for i, p := range b.Role.powers {
			p &= mask
			whole |= p
			for a := range eachAtom(p) {
				if !slices.ContainsFunc(all, func(h held) bool { return h.atom == a && h.scope == scope }) {
					all = append(all, held{a, scope, Grant{b, g.Subject, i}})
				}
			}
		}
	}
	eff := effective(whole)
	scopes := map[string]powerSet{}
	for _, h := range all {
		scopes[h.scope] |= h.atom
	}
	var out []Power
	for _, h := range all {
		if h.atom&eff == 0 || subsume(scopes[h.scope]|scopes[""])&h.atom == 0 || h.scope != "" && scopes[""]&h.atom != 0 {
			continue // not dangerous alone, or a stronger grant covers it
		}
		info := atomInfos[h.atom]
		out = append(out, Power{Permission: info.grants, Yields: info.yields, Namespace: h.scope, Severity: severity(h.atom, h.scope), Grant: h.grant, atom: h.atom})
	}
	slices.SortFunc(out, func(a, b Power) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.atom, b.atom))
	})
	return out
}
