package netpol

import (
	"strconv"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Problem is one reason the API server would reject a NetworkPolicy.
type Problem struct {
	// Path is the field path in the policy: "spec.ingress[0].from[1]".
	Path string
	// Message says what is wrong, as the API server's validation says it.
	Message string
}

// Problems returns the reasons the API server would reject np, in field
// order; nil when it would accept it. It checks what changes the policy's
// meaning, as Kubernetes' networking validation does: label selector
// operators and values, peers (at least one field; an ipBlock alone),
// ipBlocks (a parsable cidr; each except a parsable, strict subset of it),
// ports (protocol TCP, UDP or SCTP; a number from 1 to 65535 or an IANA
// service name; endPort only with a numeric port, at or above it) and
// policyTypes (Ingress or Egress, at most two). Names, label key and value
// syntax and metadata are not checked.
func Problems(np *networkingv1.NetworkPolicy) []Problem {
	var out []Problem
	validate(np, func(p Problem) { out = append(out, p) })
	return out
}

// Valid reports whether the API server would accept np as far as
// [Problems] checks, without allocating.
func Valid(np *networkingv1.NetworkPolicy) bool { return validate(np, nil) }

// validate walks np's checked fields. With report nil it stops at the
// first problem and builds no message; otherwise it reports every one.
// It returns whether np is valid.
func validate(np *networkingv1.NetworkPolicy, report func(Problem)) bool {
	v := validator{report: report, valid: true}
	v.selector(&np.Spec.PodSelector, "spec.podSelector")
	for i := range np.Spec.Ingress {
		if !v.more() {
			break
		}
		r := &np.Spec.Ingress[i]
		v.rule(r.Ports, r.From, "spec.ingress", i, "from")
	}
	for i := range np.Spec.Egress {
		if !v.more() {
			break
		}
		r := &np.Spec.Egress[i]
		v.rule(r.Ports, r.To, "spec.egress", i, "to")
	}
	if !v.more() {
		return v.valid
	}
	if len(np.Spec.PolicyTypes) > 2 {
		v.problem(func() Problem { return Problem{"spec.policyTypes", "may not specify more than two policyTypes"} })
		return v.valid
	}
	for i, t := range np.Spec.PolicyTypes {
		if t != networkingv1.PolicyTypeIngress && t != networkingv1.PolicyTypeEgress {
			v.problem(func() Problem {
				return Problem{index("spec.policyTypes", i), "unsupported value " + strconv.Quote(string(t)) + `: supported values: "Ingress", "Egress"`}
			})
		}
	}
	return v.valid
}

type validator struct {
	report func(Problem)
	valid  bool
}

// more reports whether the walk goes on: it stops at the first problem
// when no one listens.
func (v *validator) more() bool { return v.valid || v.report != nil }

// problem records one; the message is built only when reported.
func (v *validator) problem(p func() Problem) {
	v.valid = false
	if v.report != nil {
		v.report(p())
	}
}

func (v *validator) rule(ports []networkingv1.NetworkPolicyPort, peers []networkingv1.NetworkPolicyPeer, list string, i int, peerField string) {
	for j := range ports {
		if !v.more() {
			return
		}
		v.port(&ports[j], list, i, j)
	}
	for j := range peers {
		if !v.more() {
			return
		}
		v.peer(&peers[j], list, i, peerField, j)
	}
}

func (v *validator) port(p *networkingv1.NetworkPolicyPort, list string, i, j int) {
	path := func(field string) string { return index(index(list, i)+".ports", j) + "." + field }
	if p.Protocol != nil {
		switch *p.Protocol {
		case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			v.problem(func() Problem {
				return Problem{path("protocol"), "unsupported value " + strconv.Quote(string(*p.Protocol)) + `: supported values: "TCP", "UDP", "SCTP"`}
			})
		}
	}
	switch {
	case p.Port == nil:
		if p.EndPort != nil {
			v.problem(func() Problem { return Problem{path("endPort"), "may not be specified when `port` is not specified"} })
		}
	case p.Port.Type == intstr.Int:
		if !validPort(p.Port.IntVal) {
			v.problem(func() Problem {
				return Problem{path("port"), strconv.Itoa(int(p.Port.IntVal)) + ": must be between 1 and 65535, inclusive"}
			})
		}
		if p.EndPort != nil {
			if *p.EndPort < p.Port.IntVal {
				v.problem(func() Problem {
					return Problem{path("endPort"), strconv.Itoa(int(*p.EndPort)) + ": must be greater than or equal to `port`"}
				})
			}
			if !validPort(*p.EndPort) {
				v.problem(func() Problem {
					return Problem{path("endPort"), strconv.Itoa(int(*p.EndPort)) + ": must be between 1 and 65535, inclusive"}
				})
			}
		}
	default:
		if p.EndPort != nil {
			v.problem(func() Problem { return Problem{path("endPort"), "may not be specified when `port` is non-numeric"} })
		}
		if !validPortName(p.Port.StrVal) {
			v.problem(func() Problem {
				return Problem{path("port"), strconv.Quote(p.Port.StrVal) + ": must be a port number or an IANA service name (at most 15 lower-case letters, digits and inner single hyphens, with a letter)"}
			})
		}
	}
}

func (v *validator) peer(p *networkingv1.NetworkPolicyPeer, list string, i int, field string, j int) {
	path := func() string { return index(index(list, i)+"."+field, j) }
	n := 0
	for _, set := range [...]bool{p.PodSelector != nil, p.NamespaceSelector != nil, p.IPBlock != nil} {
		if set {
			n++
		}
	}
	if p.PodSelector != nil {
		v.selectorAt(p.PodSelector, func() string { return path() + ".podSelector" })
	}
	if p.NamespaceSelector != nil {
		v.selectorAt(p.NamespaceSelector, func() string { return path() + ".namespaceSelector" })
	}
	if p.IPBlock != nil {
		v.ipBlock(p.IPBlock, func() string { return path() + ".ipBlock" })
	}
	switch {
	case n == 0:
		v.problem(func() Problem { return Problem{path(), "must specify a peer"} })
	case n > 1 && p.IPBlock != nil:
		v.problem(func() Problem { return Problem{path(), "may not specify both ipBlock and another peer"} })
	}
}

func (v *validator) ipBlock(b *networkingv1.IPBlock, path func() string) {
	if b.CIDR == "" {
		v.problem(func() Problem { return Problem{path() + ".cidr", "required"} })
		return
	}
	cidr, ok := ParseCIDR(b.CIDR)
	if !ok {
		v.problem(func() Problem {
			return Problem{path() + ".cidr", strconv.Quote(b.CIDR) + ": must be a valid CIDR value"}
		})
		return
	}
	for k, e := range b.Except {
		except, ok := ParseCIDR(e)
		switch {
		case !ok:
			v.problem(func() Problem {
				return Problem{index(path()+".except", k), strconv.Quote(e) + ": must be a valid CIDR value"}
			})
		case !cidr.Contains(except.Addr()) || cidr.Bits() >= except.Bits():
			v.problem(func() Problem {
				return Problem{index(path()+".except", k), strconv.Quote(e) + ": must be a strict subset of `cidr`"}
			})
		}
	}
}

// selector checks a selector at a fixed path.
func (v *validator) selector(sel *metav1.LabelSelector, path string) {
	v.selectorAt(sel, func() string { return path })
}

func (v *validator) selectorAt(sel *metav1.LabelSelector, path func() string) {
	for k := range sel.MatchExpressions {
		r := &sel.MatchExpressions[k]
		at := func(field string) string { return index(path()+".matchExpressions", k) + "." + field }
		switch r.Operator {
		case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn:
			if len(r.Values) == 0 {
				v.problem(func() Problem {
					return Problem{at("values"), "must be specified when `operator` is 'In' or 'NotIn'"}
				})
			}
		case metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist:
			if len(r.Values) != 0 {
				v.problem(func() Problem {
					return Problem{at("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"}
				})
			}
		default:
			v.problem(func() Problem {
				return Problem{at("operator"), strconv.Quote(string(r.Operator)) + ": not a valid selector operator"}
			})
		}
	}
}

func validPort(n int32) bool { return n >= 1 && n <= 65535 }

// validPortName reports whether s is an IANA service name as Kubernetes
// validates port names: 1 to 15 characters of a-z, 0-9 and '-', with at
// least one letter, no hyphen at either end and no two hyphens together.
func validPortName(s string) bool {
	if len(s) == 0 || len(s) > 15 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	letter := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			letter = true
		case c >= '0' && c <= '9':
		case c == '-':
			if s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return letter
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
