package netpol_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestE2ETruthTables pins the evaluator with the truth tables of
// Kubernetes' own NetworkPolicy conformance suite, test/e2e/network/netpol
// /network_policy.go (kubernetes/kubernetes, "Netpol NetworkPolicy between
// server and client"): each case names the e2e test it restates, builds
// the same policies over the same model (namespaces x, y, z; pods a, b, c
// labelled pod=<name>; ports 80 and 81 named serve-<port>-<protocol>),
// and expects the same reachability matrix: every pair allowed unless
// the e2e case expects otherwise. As there, traffic from a pod to itself
// is not judged (its semantics are CNI-defined, kubernetes#95879).
func TestE2ETruthTables(t *testing.T) {
	nsY := sel(corev1.LabelMetadataName, "y")
	notX := expr(corev1.LabelMetadataName, metav1.LabelSelectorOpNotIn, "x")
	type probe struct {
		port  int32
		proto corev1.Protocol
		deny  []edge // the pairs the e2e case expects blocked
		allow []edge // pairs allowed again after deny (applied last)
	}
	tests := []struct {
		e2e      string
		pods     []string
		policies netpol.Policies
		probes   []probe
	}{
		{
			e2e:      "should support a 'default-deny-ingress' policy",
			pods:     []string{"x/a", "x/b", "y/a", "y/b"},
			policies: netpol.Policies{policy("x", "deny-ingress", everything, ingressRules())},
			probes:   []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/*"}}}},
		},
		{
			e2e:      "should support a 'default-deny-all' policy",
			pods:     []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "deny-all", everything, ingressRules(), egressRules())},
			probes:   []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/*"}, {"x/*", "*"}}}},
		},
		{
			e2e:  "should enforce policy to allow traffic from pods within server namespace based on PodSelector",
			pods: []string{"x/a", "x/b", "x/c", "y/a"},
			policies: netpol.Policies{policy("x", "x-a-allows-x-b", labels("pod", "a"),
				ingressRules(from(pods(sel("pod", "b")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"x/b", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy to allow ingress traffic for a target",
			pods: []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{
				policy("x", "deny-all", everything, ingressRules()),
				policy("x", "allow-all-to-a", labels("pod", "a"), ingressRules(from(podsIn(all(), all())))),
			},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/b"}}}},
		},
		{
			e2e:  "should enforce policy to allow ingress traffic from pods in all namespaces",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-from-another-ns", labels("pod", "a"),
				ingressRules(from(namespaces(&metav1.LabelSelector{MatchLabels: map[string]string{}}))))},
			probes: []probe{{port: 80, proto: tcp}},
		},
		{
			e2e:  "should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-ns-selector", labels("pod", "a"),
				ingressRules(from(namespaces(nsY))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on PodSelector with MatchExpressions",
			pods: []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "x-a-allows-x-b", labels("pod", "a"),
				ingressRules(from(pods(expr("pod", metav1.LabelSelectorOpIn, "b")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"x/b", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on NamespaceSelector with MatchExpressions",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-ns-y-match-selector", labels("pod", "a"),
				ingressRules(from(namespaces(expr(corev1.LabelMetadataName, metav1.LabelSelectorOpIn, "y")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on PodSelector or NamespaceSelector",
			pods: []string{"x/a", "x/b", "x/c", "y/a"},
			policies: netpol.Policies{policy("x", "allow-ns-y-match-selector", labels("pod", "a"),
				ingressRules(from(namespaces(notX), pods(sel("pod", "b")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "x/a"}, {"x/c", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on PodSelector and NamespaceSelector",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "z/b"},
			policies: netpol.Policies{policy("x", "allow-ns-y-podselector-and-nsselector", labels("pod", "a"),
				ingressRules(from(podsIn(notX, sel("pod", "b")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"y/b", "x/a"}, {"z/b", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on Multiple PodSelectors and NamespaceSelectors",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "y/c"},
			policies: netpol.Policies{policy("x", "allow-ns-y-z-pod-b-c", labels("pod", "a"),
				ingressRules(from(podsIn(notX, expr("pod", metav1.LabelSelectorOpIn, "b", "c")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"y/a", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on any PodSelectors",
			pods: []string{"x/a", "x/b", "x/c"},
			policies: netpol.Policies{policy("x", "allow-ns-x-pod-b-c", labels("pod", "a"),
				ingressRules(from(pods(sel("pod", "b")), pods(sel("pod", "c")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"x/b", "x/a"}, {"x/c", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "z/a"},
			policies: netpol.Policies{policy("x", "allow-ns-y-pod-a-via-namespace-pod-selector", labels("pod", "a"),
				ingressRules(from(podsIn(nsY, sel("pod", "a")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"y/a", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on Ports",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "z/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-ns-selector", labels("pod", "a"),
				ingressRules(onPorts(from(namespaces(nsY)), port(81, tcp))))},
			probes: []probe{{port: 81, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}}},
		},
		{
			e2e:  "should enforce multiple, stacked policies with overlapping podSelectors (port 80 before the second policy)",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "z/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-ns-selector", labels("pod", "a"),
				ingressRules(onPorts(from(namespaces(nsY)), port(81, tcp))))},
			probes: []probe{
				{port: 81, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}},
				{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}},
			},
		},
		{
			e2e:  "should enforce multiple, stacked policies with overlapping podSelectors",
			pods: []string{"x/a", "x/b", "y/a", "y/b", "z/a"},
			policies: netpol.Policies{
				policy("x", "allow-client-a-via-ns-selector", labels("pod", "a"), ingressRules(onPorts(from(namespaces(nsY)), port(81, tcp)))),
				policy("x", "allow-client-a-via-ns-selector-80", labels("pod", "a"), ingressRules(onPorts(from(namespaces(nsY)), port(80, tcp)))),
			},
			probes: []probe{
				{port: 81, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}},
				{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}},
			},
		},
		{
			e2e:      "should support allow-all policy",
			pods:     []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "allow-all", everything, ingressRules(from()))},
			probes:   []probe{{port: 80, proto: tcp}, {port: 81, proto: tcp}},
		},
		{
			e2e:  "should allow ingress access on one named port",
			pods: []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "allow-all", everything,
				ingressRules(onPorts(from(), namedPort("serve-81-tcp"))))},
			probes: []probe{{port: 81, proto: tcp}, {port: 80, proto: tcp, deny: []edge{{"*", "x/*"}}}},
		},
		{
			e2e:  "should allow ingress access from namespace on one named port",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-ns-selector-80", labels("pod", "a"),
				ingressRules(onPorts(from(namespaces(nsY)), namedPort("serve-80-tcp", tcp))))},
			probes: []probe{
				{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}},
				{port: 81, proto: tcp, deny: []edge{{"*", "x/a"}}},
			},
		},
		{
			e2e:  "should allow egress access on one named port",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "allow-egress", everything,
				egressRules(onPorts(to(), namedPort("serve-80-tcp"))))},
			probes: []probe{{port: 80, proto: tcp}, {port: 81, proto: tcp, deny: []edge{{"x/*", "*"}}}},
		},
		{
			e2e:      "should enforce updated policy (after the update to deny all)",
			pods:     []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "allow-all-mutate-to-deny-all", everything, ingressRules())},
			probes:   []probe{{port: 81, proto: tcp, deny: []edge{{"*", "x/*"}}}},
		},
		{
			e2e:  "should deny ingress from pods on other namespaces",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "deny-empty-policy", everything,
				ingressRules(from(pods(&metav1.LabelSelector{MatchLabels: map[string]string{}}))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"y/*", "x/*"}, {"z/*", "x/*"}}}},
		},
		{
			e2e:  "should deny ingress access to updated pod (after the label update)",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "deny-ingress-via-label-selector", labels("pod", "a"),
				ingressRules())},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:      "should deny egress from pods based on PodSelector",
			pods:     []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "deny-egress-pod-a", labels("pod", "a"), egressRules())},
			probes:   []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "*"}}}},
		},
		{
			e2e:      "should deny egress from all pods in a namespace",
			pods:     []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{policy("x", "deny-egress-ns-x", everything, egressRules())},
			probes:   []probe{{port: 80, proto: tcp, deny: []edge{{"x/*", "*"}}}},
		},
		{
			e2e:  "should work with Ingress, Egress specified together",
			pods: []string{"x/a", "x/b", "x/c", "y/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-pod-selector", labels("pod", "a"),
				rawIngress(from(pods(sel("pod", "b")))),
				rawEgress(onPorts(to(), port(80))),
				types("Egress", "Ingress"))},
			probes: []probe{
				{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}, allow: []edge{{"x/b", "x/a"}}},
				{port: 81, proto: tcp, deny: []edge{{"*", "x/a"}, {"x/a", "*"}}, allow: []edge{{"x/b", "x/a"}}},
			},
		},
		{
			e2e:  "should support denying of egress traffic on the client side (even if the server explicitly allows this traffic)",
			pods: []string{"x/a", "y/a", "y/b"},
			policies: netpol.Policies{
				policy("x", "allow-to-ns-y-pod-a", labels("pod", "a"), egressRules(to(podsIn(nsY, sel("pod", "a"))))),
				policy("y", "allow-from-xa-on-ya-match-selector", labels("pod", "a"),
					ingressRules(from(podsIn(sel(corev1.LabelMetadataName, "x"), sel("pod", "a"))))),
				policy("y", "allow-from-xa-on-yb-match-selector", labels("pod", "b"),
					ingressRules(from(podsIn(sel(corev1.LabelMetadataName, "x"), sel("pod", "a"))))),
			},
			probes: []probe{{port: 80, proto: tcp,
				deny:  []edge{{"x/a", "*"}, {"*", "y/a"}, {"*", "y/b"}},
				allow: []edge{{"x/a", "y/a"}},
			}},
		},
		{
			e2e:  "should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector",
			pods: []string{"x/a", "y/a", "y/b"},
			policies: netpol.Policies{policy("x", "allow-to-ns-y-pod-a", labels("pod", "a"),
				egressRules(to(podsIn(nsY, sel("pod", "a")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "*"}}, allow: []edge{{"x/a", "y/a"}}}},
		},
		{
			e2e:  "should enforce ingress policy allowing any port traffic to a server on a specific protocol",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "allow-ingress-by-proto", labels("pod", "a"),
				ingressRules(onPorts(from(), protocolOnly(tcp))))},
			probes: []probe{{port: 80, proto: tcp}, {port: 80, proto: udp, deny: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:  "should enforce multiple ingress policies with ingress allow-all policy taking precedence",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{
				policy("x", "allow-ingress-port-80", everything, ingressRules(onPorts(from(), port(80)))),
				policy("x", "allow-ingress", everything, ingressRules(from())),
			},
			probes: []probe{{port: 81, proto: tcp}},
		},
		{
			e2e:  "should enforce multiple egress policies with egress allow-all policy taking precedence (before the allow-all)",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{
				policy("x", "allow-egress-port-80", everything, egressRules(onPorts(to(), port(80)))),
			},
			probes: []probe{{port: 81, proto: tcp, deny: []edge{{"x/*", "*"}}}},
		},
		{
			e2e:  "should enforce multiple egress policies with egress allow-all policy taking precedence",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{
				policy("x", "allow-egress-port-80", everything, egressRules(onPorts(to(), port(80)))),
				policy("x", "allow-egress", everything, egressRules(to())),
			},
			probes: []probe{{port: 81, proto: tcp}},
		},
		{
			e2e:  "should allow egress access to server in CIDR block",
			pods: []string{"x/a", "y/a", "y/b"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-cidr-egress-rule", labels("pod", "a"),
				egressRules(to(block(modelPod("y", "b").IP.String()+"/32"))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "*"}}, allow: []edge{{"x/a", "y/b"}}}},
		},
		{
			e2e:  "should enforce except clause while egress access to server in CIDR block",
			pods: []string{"x/a", "x/b", "x/c"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-cidr-egress-rule", labels("pod", "a"),
				egressRules(to(block("10.1.0.0/16", modelPod("x", "b").IP.String()+"/32"))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "x/b"}}}},
		},
		{
			e2e:  "should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed",
			pods: []string{"x/a", "x/b", "x/c"},
			policies: netpol.Policies{
				// The e2e case updates the first policy into the second
				// (same name); together they still allow x/b.
				policy("x", "allow-client-a-via-cidr-egress-rule", labels("pod", "a"),
					egressRules(to(block(modelPod("x", "b").IP.String()+"/32")))),
			},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "*"}}, allow: []edge{{"x/a", "x/b"}}}},
		},
		{
			e2e:  "should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector",
			pods: []string{"x/a", "x/b", "y/a"},
			policies: netpol.Policies{
				policy("x", "allow-egress-for-target", labels("pod", "a"), egressRules(to())),
				policy("x", "deny-ingress-via-label-selector", labels("pod", "a"), ingressRules()),
			},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:  "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP', even if the plugin doesn't support SCTP",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{
				policy("x", "deny-ingress", everything, ingressRules()),
				policy("x", "allow-only-sctp-ingress-on-port-81", labels("pod", "a"), ingressRules(onPorts(from(), port(81, sctp)))),
			},
			probes: []probe{{port: 81, proto: tcp, deny: []edge{{"*", "x/*"}}}, {port: 81, proto: sctp, deny: []edge{{"*", "x/*"}}, allow: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:  "should properly isolate pods that are selected by a policy allowing SCTP, even if the plugin doesn't support SCTP",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "allow-only-sctp-ingress-on-port-80", labels("pod", "a"),
				ingressRules(onPorts(from(), port(80, sctp))))},
			probes: []probe{{port: 81, proto: tcp, deny: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:  "should not allow access by TCP when a policy specifies only UDP",
			pods: []string{"x/a", "y/a"},
			policies: netpol.Policies{policy("x", "allow-only-udp-ingress-on-port-81", labels("pod", "a"),
				ingressRules(onPorts(from(), port(81, udp))))},
			probes: []probe{{port: 81, proto: tcp, deny: []edge{{"*", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-client-a-via-ns-selector-for-immutable-ns-label", labels("pod", "a"),
				ingressRules(from(namespaces(nsY))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}}},
		},
		{
			e2e:  "should enforce policy based on NamespaceSelector with MatchExpressions using default ns label",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-ns-y-match-selector-for-immutable-ns-label", labels("pod", "a"),
				egressRules(to(namespaces(expr(corev1.LabelMetadataName, metav1.LabelSelectorOpNotIn, "y")))))},
			probes: []probe{{port: 80, proto: tcp, deny: []edge{{"x/a", "y/*"}}}},
		},
		{
			e2e:      "Netpol [LinuxOnly] NetworkPolicy between server and client using UDP should support a 'default-deny-ingress' policy",
			pods:     []string{"x/a", "x/b", "y/a", "y/b"},
			policies: netpol.Policies{policy("x", "deny-all", everything, ingressRules())},
			probes:   []probe{{port: 80, proto: udp, deny: []edge{{"*", "x/*"}}}},
		},
		{
			e2e:  "Netpol [LinuxOnly] NetworkPolicy between server and client using UDP should enforce policy based on Ports",
			pods: []string{"x/a", "x/b", "y/a", "z/a"},
			policies: netpol.Policies{policy("x", "allow-ingress-on-port-81-ns-x", labels("pod", "a"),
				ingressRules(onPorts(from(namespaces(nsY)), port(81, udp))))},
			probes: []probe{{port: 81, proto: udp, deny: []edge{{"x/*", "x/a"}, {"z/*", "x/a"}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.e2e, func(t *testing.T) {
			for _, p := range tt.probes {
				want := map[string]bool{}
				got := map[string]bool{}
				for _, src := range tt.pods {
					for _, dst := range tt.pods {
						if src == dst {
							continue
						}
						key := src + "->" + dst
						want[key] = !matchAny(p.deny, src, dst) || matchAny(p.allow, src, dst)
						s, d := podAt(src), podAt(dst)
						got[key] = tt.policies.Allowed(netpol.PodPeer(s), netpol.PodPeer(d), netpol.Port{Protocol: p.proto, Number: p.port})
					}
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%d/%s: reachability (-e2e +evaluator):\n%s", p.port, p.proto, diff)
				}
			}
		})
	}
}

// edge is a pair of "ns/pod" patterns, "*" for any and "ns/*" for any pod
// of a namespace.
type edge struct{ from, to string }

func matchAny(edges []edge, src, dst string) bool {
	for _, e := range edges {
		if matchPod(e.from, src) && matchPod(e.to, dst) {
			return true
		}
	}
	return false
}

func matchPod(pattern, pod string) bool {
	if pattern == "*" {
		return true
	}
	if ns, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(pod, ns+"/")
	}
	return pattern == pod
}

func podAt(s string) *netpol.Pod {
	ns, name, ok := strings.Cut(s, "/")
	if !ok {
		panic(fmt.Sprintf("pod %q", s))
	}
	return modelPod(ns, name)
}
