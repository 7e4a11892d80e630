package netpol_test

import (
	"encoding/json"
	"net/netip"
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// FuzzEvaluate feeds arbitrary policies (any JSON that decodes into a
// NetworkPolicy) and pods to the evaluator. It must never panic, and its
// answers must agree with each other: Valid with Problems, the set methods
// with the per-policy primitives and those with the rules, and selector
// matching with the API machinery wherever the API machinery accepts the
// selector.
func FuzzEvaluate(f *testing.F) {
	for _, seed := range []string{
		`{"metadata":{"namespace":"x"},"spec":{"podSelector":{}}}`,
		`{"metadata":{"namespace":"x"},"spec":{"podSelector":{"matchLabels":{"app":"web"}},"egress":[{}]}}`,
		`{"metadata":{"namespace":"x"},"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],"ingress":[{"from":[{"namespaceSelector":{},"podSelector":{"matchExpressions":[{"key":"app","operator":"NotIn","values":["db"]}]}}],"ports":[{"port":"http"},{"port":80,"endPort":90,"protocol":"UDP"}]}],"egress":[{"to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["169.254.169.254/32"]}}]}]}}`,
		`{"metadata":{"namespace":""},"spec":{"podSelector":{"matchExpressions":[{"key":"app","operator":"In"}]},"ingress":[{"from":[{}]}]}}`,
		`{"spec":{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.1/8","except":["nope","10.0.0.0/8"]},"podSelector":{}}],"ports":[{"port":0,"endPort":-1,"protocol":"ICMP"}]}]}}`,
	} {
		f.Add([]byte(seed), "x", "app", "web", "10.0.0.1", "http", int32(80), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, ns, key, value, ip, portName string, number int32, udpProto bool) {
		np := &networkingv1.NetworkPolicy{}
		if json.Unmarshal(data, np) != nil {
			return
		}
		proto := corev1.ProtocolTCP
		if udpProto {
			proto = corev1.ProtocolUDP
		}
		addr, _ := netip.ParseAddr(ip)
		pod := &netpol.Pod{
			Namespace:  netpol.Namespace{Name: ns, Labels: map[string]string{key: value}},
			Labels:     map[string]string{key: value},
			Containers: []corev1.Container{{Ports: []corev1.ContainerPort{{Name: portName, ContainerPort: number, Protocol: proto}}}},
			IP:         addr,
		}
		peers := []netpol.Peer{netpol.PodPeer(pod), netpol.AddressPeer(addr), {}}
		port := netpol.Port{Protocol: proto, Number: number}

		problems := netpol.Problems(np)
		if valid := netpol.Valid(np); valid != (len(problems) == 0) {
			t.Fatalf("Valid = %v with problems %v", valid, problems)
		}
		for _, p := range problems {
			if p.Path == "" || p.Message == "" {
				t.Fatalf("problem without path or message: %+v", p)
			}
		}
		applies := netpol.Applies(np, pod)
		if applies&^netpol.Types(np) != 0 || applies != 0 && len(problems) > 0 {
			t.Fatalf("Applies = %v, Types = %v, problems %v", applies, netpol.Types(np), problems)
		}
		set := netpol.Policies{np}
		if got := set.Isolated(pod); got != applies {
			t.Fatalf("Isolated = %v, Applies = %v", got, applies)
		}
		for _, peer := range peers {
			in := netpol.AllowsIngress(np, peer, pod, port)
			out := netpol.AllowsEgress(np, pod, peer, port)
			if got := set.IngressAllowed(peer, pod, port); got != (applies&netpol.Ingress == 0 || in) {
				t.Fatalf("IngressAllowed = %v, Applies %v, AllowsIngress %v", got, applies, in)
			}
			if got := set.EgressAllowed(pod, peer, port); got != (applies&netpol.Egress == 0 || out) {
				t.Fatalf("EgressAllowed = %v, Applies %v, AllowsEgress %v", got, applies, out)
			}
			anyRule := false
			for i := range np.Spec.Ingress {
				anyRule = anyRule || netpol.IngressRuleAllows(np, &np.Spec.Ingress[i], peer, pod, port)
			}
			if in && !anyRule {
				t.Fatal("AllowsIngress without a rule that allows")
			}
			anyRule = false
			for i := range np.Spec.Egress {
				anyRule = anyRule || netpol.EgressRuleAllows(np, &np.Spec.Egress[i], peer, port)
			}
			if out && !anyRule {
				t.Fatal("AllowsEgress without a rule that allows")
			}
			// A connection is allowed when both sides that are pods let it.
			self := netpol.PodPeer(pod)
			peerOut := peer.Pod == nil || set.EgressAllowed(peer.Pod, self, port)
			if got, want := set.Allowed(peer, self, port), peerOut && set.IngressAllowed(peer, pod, port); got != want {
				t.Fatalf("Allowed in = %v, want %v", got, want)
			}
			peerIn := peer.Pod == nil || set.IngressAllowed(self, peer.Pod, port)
			if got, want := set.Allowed(self, peer, port), set.EgressAllowed(pod, peer, port) && peerIn; got != want {
				t.Fatalf("Allowed out = %v, want %v", got, want)
			}
		}
		checkSelector(t, &np.Spec.PodSelector, pod.Labels)
		for _, r := range np.Spec.Ingress {
			for _, p := range r.From {
				checkSelector(t, p.PodSelector, pod.Labels)
				checkSelector(t, p.NamespaceSelector, pod.Labels)
			}
		}
		for _, r := range np.Spec.Egress {
			for _, p := range r.To {
				checkSelector(t, p.PodSelector, pod.Labels)
				checkSelector(t, p.NamespaceSelector, pod.Labels)
			}
		}
	})
}

// checkSelector compares MatchesLabels with the API machinery where the
// API machinery accepts the selector (it also rejects label syntax, which
// MatchesLabels does not judge).
func checkSelector(t *testing.T, sel *metav1.LabelSelector, set map[string]string) {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return
	}
	want := sel != nil && s.Matches(labelSet(set))
	if got := netpol.MatchesLabels(sel, set); got != want {
		t.Fatalf("MatchesLabels(%s, %v) = %v, API machinery says %v", show(sel), set, got, want)
	}
}
