package netpol_test

import (
	"net/netip"
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestTypes pins policyTypes defaulting: the API server's
// SetDefaults_NetworkPolicy (kubernetes pkg/apis/networking/v1/defaults.go)
// adds Ingress always and Egress when spec.egress has a rule; the API
// reference: "If this field is not specified, it will default based on the
// existence of ingress or egress rules".
func TestTypes(t *testing.T) {
	tests := []struct {
		name string
		np   *networkingv1.NetworkPolicy
		want netpol.Direction
	}{
		{"nothing: default deny ingress", policy("x", "p", everything), netpol.Ingress},
		{"ingress rules only", policy("x", "p", everything, rawIngress(from())), netpol.Ingress},
		{"egress rules only: ingress too", policy("x", "p", everything, rawEgress(to())), netpol.Both},
		{"egress: [] is no egress rule", policy("x", "p", everything, func(np *networkingv1.NetworkPolicy) {
			np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{}
		}), netpol.Ingress},
		{"explicit Egress without rules: default deny egress", policy("x", "p", everything, types("Egress")), netpol.Egress},
		{"explicit Ingress with egress rules: the rules are ignored", policy("x", "p", everything, types("Ingress"), rawEgress(to())), netpol.Ingress},
		{"explicit both", policy("x", "p", everything, types("Ingress", "Egress")), netpol.Both},
		{"duplicates", policy("x", "p", everything, types("Egress", "Egress")), netpol.Egress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := netpol.Types(tt.np); got != tt.want {
				t.Errorf("Types = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestSelection pins which pods a policy applies to, from the API
// reference: "podSelector selects the pods to which this NetworkPolicy
// object applies … An empty podSelector selects all pods in this
// namespace", and a policy never applies outside its namespace.
func TestSelection(t *testing.T) {
	web := &netpol.Pod{Namespace: netpol.Namespace{Name: "prod"}, Labels: map[string]string{"app": "web", "tier": "front"}}
	unspecified := &netpol.Pod{Labels: map[string]string{"app": "web"}}
	tests := []struct {
		name string
		np   *networkingv1.NetworkPolicy
		pod  *netpol.Pod
		want netpol.Direction
	}{
		{"empty selector, same namespace", policy("prod", "p", everything), web, netpol.Ingress},
		{"empty selector, other namespace", policy("dev", "p", everything), web, 0},
		{"labels match", policy("prod", "p", labels("app", "web"), types("Egress")), web, netpol.Egress},
		{"labels differ", policy("prod", "p", labels("app", "db")), web, 0},
		{"every label must match", policy("prod", "p", labels("app", "web", "tier", "back")), web, 0},
		{"NotIn matches a pod without the key", policy("prod", "p", *expr("role", metav1.LabelSelectorOpNotIn, "admin")), web, netpol.Ingress},
		{"DoesNotExist", policy("prod", "p", *expr("tier", metav1.LabelSelectorOpDoesNotExist)), web, 0},
		{"an invalid policy applies to nothing", policy("prod", "p", *expr("app", metav1.LabelSelectorOpIn)), web, 0},
		{"invalid elsewhere in the policy", policy("prod", "p", everything, rawIngress(from(networkingv1.NetworkPolicyPeer{}))), web, 0},
		{"the unspecified namespace is one namespace", policy("", "p", everything), unspecified, netpol.Ingress},
		{"and not a named one", policy("", "p", everything), web, 0},
		{"a named one is not it", policy("default", "p", everything), unspecified, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := netpol.Applies(tt.np, tt.pod); got != tt.want {
				t.Errorf("Applies = %v, want %v", got, tt.want)
			}
			if got := (netpol.Policies{tt.np, nil}).Isolated(tt.pod); got != tt.want {
				t.Errorf("Isolated = %v, want %v", got, tt.want)
			}
			sel := (netpol.Policies{tt.np}).Selecting(tt.pod, nil)
			if (len(sel) == 1) != (tt.want != 0) {
				t.Errorf("Selecting = %d policies", len(sel))
			}
		})
	}
}

// TestTraffic pins peers, ports and addresses, each case from a sentence of
// the API reference (networking.k8s.io/v1 NetworkPolicyPeer, IPBlock,
// NetworkPolicyPort) or of the Network Policies concept page.
func TestTraffic(t *testing.T) {
	prod := netpol.Namespace{Name: "prod", Labels: map[string]string{"team": "shop"}}
	dev := netpol.Namespace{Name: "dev", Labels: map[string]string{"team": "shop", corev1.LabelMetadataName: "prod"}}
	web := &netpol.Pod{Namespace: prod, Labels: map[string]string{"app": "web"}, IP: netip.MustParseAddr("10.0.0.10"),
		Containers: []corev1.Container{{Ports: []corev1.ContainerPort{
			{Name: "http", ContainerPort: 8080},
			{Name: "dns", ContainerPort: 5353, Protocol: udp},
		}}}}
	api := &netpol.Pod{Namespace: prod, Labels: map[string]string{"app": "api"}, IP: netip.MustParseAddr("10.0.0.11"),
		Containers: []corev1.Container{{Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 9090}}}}}
	devAPI := &netpol.Pod{Namespace: dev, Labels: map[string]string{"app": "api"}, IP: netip.MustParseAddr("10.1.0.11")}
	other := &netpol.Pod{Namespace: netpol.Namespace{Name: "other"}, Labels: map[string]string{"app": "api"}}
	unspecified := &netpol.Pod{Labels: map[string]string{"app": "api"}}
	external := netpol.AddressPeer(netip.MustParseAddr("203.0.113.7"))
	metadata := netpol.AddressPeer(netip.MustParseAddr("169.254.169.254"))
	tcp80 := netpol.Port{Number: 80}

	type traffic struct {
		name     string
		src, dst netpol.Peer
		port     netpol.Port
		want     bool
	}
	tests := []struct {
		name     string
		policies netpol.Policies
		traffic  []traffic
	}{
		{
			// "If podSelector is also set, then the NetworkPolicyPeer as a whole
			// selects the Pods matching podSelector in the Namespaces selected by
			// NamespaceSelector."
			name: "namespaceSelector and podSelector in one peer: AND",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				ingressRules(from(podsIn(sel("team", "shop"), sel("app", "api")))))},
			traffic: []traffic{
				{"api of prod", netpol.PodPeer(api), netpol.PodPeer(web), tcp80, true},
				{"api of dev", netpol.PodPeer(devAPI), netpol.PodPeer(web), tcp80, true},
				{"api of a namespace without the label", netpol.PodPeer(other), netpol.PodPeer(web), tcp80, false},
				{"web itself is not api", netpol.PodPeer(web), netpol.PodPeer(web), tcp80, false},
			},
		},
		{
			// Two list elements are alternatives: any pod of the selected
			// namespaces, or the matching pods of the policy's namespace.
			name: "namespaceSelector and podSelector in two peers: OR",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				ingressRules(from(namespaces(sel("team", "shop")), pods(sel("app", "api")))))},
			traffic: []traffic{
				{"any pod of a shop namespace", netpol.PodPeer(web), netpol.PodPeer(web), tcp80, true},
				{"api of another namespace: podSelector is the policy's namespace only", netpol.PodPeer(other), netpol.PodPeer(web), tcp80, false},
			},
		},
		{
			// "Otherwise it selects all Pods in the Namespaces selected by
			// NamespaceSelector" — an empty one selects all namespaces.
			name: "empty namespaceSelector: every namespace",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				ingressRules(from(namespaces(all()))))},
			traffic: []traffic{
				{"other namespace", netpol.PodPeer(other), netpol.PodPeer(web), tcp80, true},
				{"the unspecified namespace", netpol.PodPeer(unspecified), netpol.PodPeer(web), tcp80, true},
				{"not outside the cluster", external, netpol.PodPeer(web), tcp80, false},
			},
		},
		{
			name: "kubernetes.io/metadata.name is the namespace's name, whatever its labels say",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				ingressRules(from(namespaces(sel(corev1.LabelMetadataName, "prod")))))},
			traffic: []traffic{
				{"prod", netpol.PodPeer(api), netpol.PodPeer(web), tcp80, true},
				{"dev, labelled prod", netpol.PodPeer(devAPI), netpol.PodPeer(web), tcp80, false},
				{"the unspecified namespace has no name to match", netpol.PodPeer(unspecified), netpol.PodPeer(web), tcp80, false},
			},
		},
		{
			// "If this field is empty or missing, this rule matches all sources
			// (traffic not restricted by source)."
			name:     "empty from: every source, inside the cluster or not",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"), ingressRules(from()))},
			traffic: []traffic{
				{"external", external, netpol.PodPeer(web), tcp80, true},
				{"other namespace", netpol.PodPeer(other), netpol.PodPeer(web), tcp80, true},
			},
		},
		{
			name:     "no ingress rule: nothing in",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"), ingressRules())},
			traffic: []traffic{
				{"same namespace", netpol.PodPeer(api), netpol.PodPeer(web), tcp80, false},
				{"unselected pods are untouched", netpol.PodPeer(web), netpol.PodPeer(api), tcp80, true},
			},
		},
		{
			// IPBlock: "except is a slice of CIDRs that should not be included
			// within an IPBlock".
			name: "ipBlock with except",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				egressRules(to(block("0.0.0.0/0", "169.254.169.254/32", "10.0.0.0/8"))))},
			traffic: []traffic{
				{"internet", netpol.PodPeer(web), external, tcp80, true},
				{"metadata excepted", netpol.PodPeer(web), metadata, tcp80, false},
				{"a pod by its address, excepted", netpol.PodPeer(web), netpol.PodPeer(api), tcp80, false},
				{"an IPv6 address is outside 0.0.0.0/0", netpol.PodPeer(web), netpol.AddressPeer(netip.MustParseAddr("2001:db8::1")), tcp80, false},
				{"a pod without a known address matches no ipBlock", netpol.PodPeer(web), netpol.PodPeer(other), tcp80, false},
			},
		},
		{
			name: "ipBlock host bits and IPv4-mapped addresses",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				egressRules(to(block("203.0.113.9/24"))))},
			traffic: []traffic{
				{"in the /24", netpol.PodPeer(web), external, tcp80, true},
				{"mapped", netpol.PodPeer(web), netpol.AddressPeer(netip.MustParseAddr("::ffff:203.0.113.8")), tcp80, true},
			},
		},
		{
			// NetworkPolicyPort: "protocol … If not specified, this field
			// defaults to TCP."
			name: "a port without protocol is TCP",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				egressRules(onPorts(to(), port(53))))},
			traffic: []traffic{
				{"tcp/53", netpol.PodPeer(web), external, netpol.Port{Protocol: tcp, Number: 53}, true},
				{"udp/53 is not covered", netpol.PodPeer(web), external, netpol.Port{Protocol: udp, Number: 53}, false},
				{"tcp/54", netpol.PodPeer(web), external, netpol.Port{Number: 54}, false},
			},
		},
		{
			// endPort: "the policy should allow traffic on ports between port and
			// endPort, inclusive".
			name: "endPort range",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				egressRules(onPorts(to(), portRange(32000, 32768))))},
			traffic: []traffic{
				{"low end", netpol.PodPeer(web), external, netpol.Port{Number: 32000}, true},
				{"high end", netpol.PodPeer(web), external, netpol.Port{Number: 32768}, true},
				{"above", netpol.PodPeer(web), external, netpol.Port{Number: 32769}, false},
				{"below", netpol.PodPeer(web), external, netpol.Port{Number: 31999}, false},
			},
		},
		{
			// A named port resolves on each destination pod: "http" is 8080 on
			// web and 9090 on api; it never matches an address outside the
			// cluster.
			name: "named ports resolve against the destination pod",
			policies: netpol.Policies{policy("prod", "p", labels("app", "web"),
				egressRules(onPorts(to(), namedPort("http"))))},
			traffic: []traffic{
				{"api:9090", netpol.PodPeer(web), netpol.PodPeer(api), netpol.Port{Number: 9090}, true},
				{"api:8080 is not api's http", netpol.PodPeer(web), netpol.PodPeer(api), netpol.Port{Number: 8080}, false},
				{"external:9090", netpol.PodPeer(web), netpol.AddressPeer(netip.MustParseAddr("203.0.113.7")), netpol.Port{Number: 9090}, false},
			},
		},
		{
			name: "a named port's protocol must match the container port's",
			policies: netpol.Policies{policy("prod", "p", labels("app", "api"),
				egressRules(onPorts(to(), namedPort("dns"), namedPort("dns", udp))))},
			traffic: []traffic{
				{"udp/5353", netpol.PodPeer(api), netpol.PodPeer(web), netpol.Port{Protocol: udp, Number: 5353}, true},
				{"tcp/5353: web declares dns over UDP only", netpol.PodPeer(api), netpol.PodPeer(web), netpol.Port{Protocol: tcp, Number: 5353}, false},
			},
		},
		{
			name: "ingress named port resolves on the selected pod",
			policies: netpol.Policies{policy("prod", "p", everything,
				ingressRules(onPorts(from(), namedPort("http"))))},
			traffic: []traffic{
				{"web:8080", external, netpol.PodPeer(web), netpol.Port{Number: 8080}, true},
				{"api:8080", external, netpol.PodPeer(api), netpol.Port{Number: 8080}, false},
				{"api:9090", external, netpol.PodPeer(api), netpol.Port{Number: 9090}, true},
			},
		},
		{
			// Both ends must allow: api's egress side denies what web's ingress
			// side allows.
			name: "egress of the source and ingress of the destination",
			policies: netpol.Policies{
				policy("prod", "web-in", labels("app", "web"), ingressRules(from(pods(sel("app", "api"))))),
				policy("prod", "api-out", labels("app", "api"), egressRules(onPorts(to(), port(443)))),
			},
			traffic: []traffic{
				{"api→web:80 blocked by api's egress", netpol.PodPeer(api), netpol.PodPeer(web), tcp80, false},
				{"api→web:443", netpol.PodPeer(api), netpol.PodPeer(web), netpol.Port{Number: 443}, true},
				{"external→web: no source side, web's ingress denies", external, netpol.PodPeer(web), tcp80, false},
				{"web→external: web has no egress policy", netpol.PodPeer(web), external, tcp80, true},
			},
		},
		{
			name: "an invalid policy neither isolates nor allows",
			policies: netpol.Policies{
				policy("prod", "deny", labels("app", "web"), ingressRules()),
				policy("prod", "rejected", labels("app", "web"), ingressRules(from(block("10.0.0.0/8", "192.168.0.0/16")))),
			},
			traffic: []traffic{
				{"the valid deny stands", netpol.PodPeer(api), netpol.PodPeer(web), tcp80, false},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, tr := range tt.traffic {
				if got := tt.policies.Allowed(tr.src, tr.dst, tr.port); got != tr.want {
					t.Errorf("%s: Allowed = %v, want %v", tr.name, got, tr.want)
				}
			}
		})
	}
}

// TestPrimitives checks that the per-policy primitives agree with the set
// methods built on them.
func TestPrimitives(t *testing.T) {
	web := modelPod("x", "a")
	b := modelPod("x", "b")
	np := policy("x", "p", labels("pod", "a"), ingressRules(from(pods(sel("pod", "b")))), egressRules(onPorts(to(), port(443))))
	if !netpol.AllowsIngress(np, netpol.PodPeer(b), web, netpol.Port{Number: 80}) {
		t.Error("AllowsIngress: b→a denied")
	}
	if netpol.AllowsIngress(np, netpol.PodPeer(web), b, netpol.Port{Number: 80}) {
		t.Error("AllowsIngress: the policy does not select b")
	}
	if !netpol.AllowsEgress(np, web, netpol.PodPeer(b), netpol.Port{Number: 443}) || netpol.AllowsEgress(np, web, netpol.PodPeer(b), netpol.Port{Number: 80}) {
		t.Error("AllowsEgress")
	}
	if got := netpol.Direction(0).String() + "," + netpol.Ingress.String() + "," + netpol.Egress.String() + "," + netpol.Both.String(); got != "none,ingress,egress,ingress and egress" {
		t.Error(got)
	}
}

func TestProblems(t *testing.T) {
	p := func(path, msg string) netpol.Problem { return netpol.Problem{Path: path, Message: msg} }
	bad := corev1.Protocol("ICMP")
	tests := []struct {
		name string
		np   *networkingv1.NetworkPolicy
		want []netpol.Problem
	}{
		{"valid", policy("x", "p", labels("a", "b"), ingressRules(onPorts(from(block("10.0.0.0/8", "10.1.0.0/16"), podsIn(all(), all())), namedPort("http"), portRange(1, 65535, sctp)))), nil},
		{"host bits are accepted", policy("x", "p", everything, egressRules(to(block("10.0.0.1/8")))), nil},
		{"In without values", policy("x", "p", *expr("a", metav1.LabelSelectorOpIn)),
			[]netpol.Problem{p("spec.podSelector.matchExpressions[0].values", "must be specified when `operator` is 'In' or 'NotIn'")}},
		{"Exists with values", policy("x", "p", everything, ingressRules(from(pods(expr("a", metav1.LabelSelectorOpExists, "x"))))),
			[]netpol.Problem{p("spec.ingress[0].from[0].podSelector.matchExpressions[0].values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")}},
		{"unknown operator", policy("x", "p", everything, egressRules(to(namespaces(expr("a", "Gt", "1"))))),
			[]netpol.Problem{p("spec.egress[0].to[0].namespaceSelector.matchExpressions[0].operator", `"Gt": not a valid selector operator`)}},
		{"empty peer", policy("x", "p", everything, ingressRules(from(networkingv1.NetworkPolicyPeer{}))),
			[]netpol.Problem{p("spec.ingress[0].from[0]", "must specify a peer")}},
		{"ipBlock beside a selector", policy("x", "p", everything, ingressRules(from(networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: "10.0.0.0/8"}, PodSelector: all()}))),
			[]netpol.Problem{p("spec.ingress[0].from[0]", "may not specify both ipBlock and another peer")}},
		{"ipBlock problems", policy("x", "p", everything, egressRules(to(block("10.0.0.0/8", "10.0.0.0/8", "192.168.0.0/16", "nope")), to(block("")), to(block("10.0.0.0/33")))),
			[]netpol.Problem{
				p("spec.egress[0].to[0].ipBlock.except[0]", `"10.0.0.0/8": must be a strict subset of `+"`cidr`"),
				p("spec.egress[0].to[0].ipBlock.except[1]", `"192.168.0.0/16": must be a strict subset of `+"`cidr`"),
				p("spec.egress[0].to[0].ipBlock.except[2]", `"nope": must be a valid CIDR value`),
				p("spec.egress[1].to[0].ipBlock.cidr", "required"),
				p("spec.egress[2].to[0].ipBlock.cidr", `"10.0.0.0/33": must be a valid CIDR value`),
			}},
		{"ports", policy("x", "p", everything, ingressRules(onPorts(from(),
			port(0), port(70000), portRange(90, 80), networkingv1.NetworkPolicyPort{Protocol: &bad},
			namedPort("HTTP"), namedPort("80"), namedPort("a--b"), namedPort("web-frontend-123"),
			func() networkingv1.NetworkPolicyPort {
				p := namedPort("http")
				e := int32(90)
				p.EndPort = &e
				return p
			}(),
			func() networkingv1.NetworkPolicyPort {
				e := int32(90)
				return networkingv1.NetworkPolicyPort{EndPort: &e}
			}(),
		))),
			[]netpol.Problem{
				p("spec.ingress[0].ports[0].port", "0: must be between 1 and 65535, inclusive"),
				p("spec.ingress[0].ports[1].port", "70000: must be between 1 and 65535, inclusive"),
				p("spec.ingress[0].ports[2].endPort", "80: must be greater than or equal to `port`"),
				p("spec.ingress[0].ports[3].protocol", `unsupported value "ICMP": supported values: "TCP", "UDP", "SCTP"`),
				p("spec.ingress[0].ports[4].port", `"HTTP": must be a port number or an IANA service name (at most 15 lower-case letters, digits and inner single hyphens, with a letter)`),
				p("spec.ingress[0].ports[5].port", `"80": must be a port number or an IANA service name (at most 15 lower-case letters, digits and inner single hyphens, with a letter)`),
				p("spec.ingress[0].ports[6].port", `"a--b": must be a port number or an IANA service name (at most 15 lower-case letters, digits and inner single hyphens, with a letter)`),
				p("spec.ingress[0].ports[7].port", `"web-frontend-123": must be a port number or an IANA service name (at most 15 lower-case letters, digits and inner single hyphens, with a letter)`),
				p("spec.ingress[0].ports[8].endPort", "may not be specified when `port` is non-numeric"),
				p("spec.ingress[0].ports[9].endPort", "may not be specified when `port` is not specified"),
			}},
		{"policyTypes", policy("x", "p", everything, types("Ingress", "Outgress")),
			[]netpol.Problem{p("spec.policyTypes[1]", `unsupported value "Outgress": supported values: "Ingress", "Egress"`)}},
		{"three policyTypes", policy("x", "p", everything, types("Ingress", "Egress", "Ingress")),
			[]netpol.Problem{p("spec.policyTypes", "may not specify more than two policyTypes")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := netpol.Problems(tt.np)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Problems (-want +got):\n%s", diff)
			}
			if netpol.Valid(tt.np) != (len(tt.want) == 0) {
				t.Errorf("Valid = %v with %d problems", netpol.Valid(tt.np), len(tt.want))
			}
		})
	}
}
