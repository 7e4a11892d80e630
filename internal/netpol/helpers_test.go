package netpol_test

import (
	"fmt"
	"net/netip"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Builders for the tables: policies read like the manifests they stand for.

func policy(ns, name string, podSelector metav1.LabelSelector, opts ...func(*networkingv1.NetworkPolicy)) *networkingv1.NetworkPolicy {
	np := &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       networkingv1.NetworkPolicySpec{PodSelector: podSelector},
	}
	for _, o := range opts {
		o(np)
	}
	return np
}

// ingressRules lists Ingress in policyTypes and sets the rules, as the
// e2e suite's SetSpecIngressRules does.
func ingressRules(rules ...networkingv1.NetworkPolicyIngressRule) func(*networkingv1.NetworkPolicy) {
	return func(np *networkingv1.NetworkPolicy) {
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress)
		np.Spec.Ingress = append(np.Spec.Ingress, rules...)
	}
}

func egressRules(rules ...networkingv1.NetworkPolicyEgressRule) func(*networkingv1.NetworkPolicy) {
	return func(np *networkingv1.NetworkPolicy) {
		np.Spec.PolicyTypes = append(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		np.Spec.Egress = append(np.Spec.Egress, rules...)
	}
}

// rawIngress and rawEgress set rules without touching policyTypes.
func rawIngress(rules ...networkingv1.NetworkPolicyIngressRule) func(*networkingv1.NetworkPolicy) {
	return func(np *networkingv1.NetworkPolicy) { np.Spec.Ingress = append(np.Spec.Ingress, rules...) }
}

func rawEgress(rules ...networkingv1.NetworkPolicyEgressRule) func(*networkingv1.NetworkPolicy) {
	return func(np *networkingv1.NetworkPolicy) { np.Spec.Egress = append(np.Spec.Egress, rules...) }
}

func types(ts ...networkingv1.PolicyType) func(*networkingv1.NetworkPolicy) {
	return func(np *networkingv1.NetworkPolicy) { np.Spec.PolicyTypes = ts }
}

func labels(kv ...string) metav1.LabelSelector {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return metav1.LabelSelector{MatchLabels: m}
}

func sel(kv ...string) *metav1.LabelSelector {
	s := labels(kv...)
	return &s
}

func expr(key string, op metav1.LabelSelectorOperator, values ...string) *metav1.LabelSelector {
	return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: key, Operator: op, Values: values}}}
}

var everything = metav1.LabelSelector{}

func all() *metav1.LabelSelector { return &metav1.LabelSelector{} }

func from(peers ...networkingv1.NetworkPolicyPeer) networkingv1.NetworkPolicyIngressRule {
	return networkingv1.NetworkPolicyIngressRule{From: peers}
}

func to(peers ...networkingv1.NetworkPolicyPeer) networkingv1.NetworkPolicyEgressRule {
	return networkingv1.NetworkPolicyEgressRule{To: peers}
}

func onPorts[R networkingv1.NetworkPolicyIngressRule | networkingv1.NetworkPolicyEgressRule](r R, ports ...networkingv1.NetworkPolicyPort) R {
	switch r := any(&r).(type) {
	case *networkingv1.NetworkPolicyIngressRule:
		r.Ports = ports
	case *networkingv1.NetworkPolicyEgressRule:
		r.Ports = ports
	}
	return r
}

func pods(s *metav1.LabelSelector) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{PodSelector: s}
}

func namespaces(s *metav1.LabelSelector) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: s}
}

func podsIn(ns, p *metav1.LabelSelector) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{NamespaceSelector: ns, PodSelector: p}
}

func block(cidr string, except ...string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: cidr, Except: except}}
}

func port(n int32, proto ...corev1.Protocol) networkingv1.NetworkPolicyPort {
	p := networkingv1.NetworkPolicyPort{Port: &intstr.IntOrString{Type: intstr.Int, IntVal: n}}
	if len(proto) > 0 {
		p.Protocol = &proto[0]
	}
	return p
}

func portRange(lo, hi int32, proto ...corev1.Protocol) networkingv1.NetworkPolicyPort {
	p := port(lo, proto...)
	p.EndPort = &hi
	return p
}

func namedPort(name string, proto ...corev1.Protocol) networkingv1.NetworkPolicyPort {
	p := networkingv1.NetworkPolicyPort{Port: &intstr.IntOrString{Type: intstr.String, StrVal: name}}
	if len(proto) > 0 {
		p.Protocol = &proto[0]
	}
	return p
}

func protocolOnly(proto corev1.Protocol) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Protocol: &proto}
}

const (
	tcp  = corev1.ProtocolTCP
	udp  = corev1.ProtocolUDP
	sctp = corev1.ProtocolSCTP
)

// The e2e model: namespaces x, y and z, each with pods a, b and c
// labelled pod=<name>, serving ports 80 and 81 over TCP, UDP and SCTP on
// container ports named serve-<port>-<protocol>, at 10.<ns>.0.<pod>.
var (
	modelNamespaces = []string{"x", "y", "z"}
	modelPodNames   = []string{"a", "b", "c"}
)

func modelPod(ns, name string) *netpol.Pod {
	var ports []corev1.ContainerPort
	for _, n := range []int32{80, 81} {
		for _, proto := range []corev1.Protocol{tcp, udp, sctp} {
			ports = append(ports, corev1.ContainerPort{
				Name: fmt.Sprintf("serve-%d-%s", n, lower(proto)), ContainerPort: n, Protocol: proto,
			})
		}
	}
	nsIndex := 1 + indexOf(modelNamespaces, ns)
	podIndex := 1 + indexOf(modelPodNames, name)
	return &netpol.Pod{
		Namespace:  netpol.Namespace{Name: ns},
		Labels:     map[string]string{"pod": name},
		Containers: []corev1.Container{{Name: "cont", Ports: ports}},
		IP:         netip.AddrFrom4([4]byte{10, byte(nsIndex), 0, byte(podIndex)}),
	}
}

func lower(p corev1.Protocol) string {
	switch p {
	case tcp:
		return "tcp"
	case udp:
		return "udp"
	}
	return "sctp"
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	panic(s)
}
