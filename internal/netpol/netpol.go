package netpol

import (
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Direction is a set of traffic directions: Ingress, Egress, both or none.
type Direction uint8

const (
	// Ingress is traffic a pod receives.
	Ingress Direction = 1 << iota
	// Egress is traffic a pod sends.
	Egress
)

// Both is ingress and egress.
const Both = Ingress | Egress

// String renders "ingress", "egress", "ingress and egress" or "none".
func (d Direction) String() string {
	switch d & Both {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	case Both:
		return "ingress and egress"
	}
	return "none"
}

// Types returns the directions np applies to: its spec.policyTypes, or,
// when it lists none, what the API server defaults them to (Ingress, and
// Egress when spec.egress has a rule). Values other than Ingress and
// Egress are ignored here; they make the policy invalid ([Valid]).
func Types(np *networkingv1.NetworkPolicy) Direction {
	if len(np.Spec.PolicyTypes) == 0 {
		if len(np.Spec.Egress) != 0 {
			return Both
		}
		return Ingress
	}
	var d Direction
	for _, t := range np.Spec.PolicyTypes {
		switch t {
		case networkingv1.PolicyTypeIngress:
			d |= Ingress
		case networkingv1.PolicyTypeEgress:
			d |= Egress
		}
	}
	return d
}

// Namespace is a namespace as namespaceSelectors see it.
type Namespace struct {
	// Name is the namespace's name; empty for the unspecified namespace,
	// whose name is not known.
	Name string
	// Labels are the labels of the namespace's Namespace object; nil when
	// none is known. kubernetes.io/metadata.name is the Name whatever
	// Labels say, as the API server sets it.
	Labels map[string]string
}

// Label returns the value of the namespace's label key and whether it
// has one.
func (n *Namespace) Label(key string) (string, bool) {
	if key == corev1.LabelMetadataName {
		return n.Name, n.Name != ""
	}
	v, ok := n.Labels[key]
	return v, ok
}

// Pod is a pod as policies see it.
type Pod struct {
	Namespace Namespace
	Labels    map[string]string
	// Containers declare the pod's ports, to which named ports resolve;
	// with none, a named port matches nothing on this pod.
	Containers []corev1.Container
	// IP is the pod's address, matched by ipBlocks when valid.
	IP netip.Addr
}

// Peer is one end of a connection: a pod of the cluster, or an address
// outside it (Pod nil).
type Peer struct {
	Pod *Pod
	// IP is the peer's address: the one ipBlocks match. For a pod it is
	// the pod's IP when known; zero otherwise.
	IP netip.Addr
}

// PodPeer returns the peer for pod, at the pod's IP.
func PodPeer(pod *Pod) Peer { return Peer{Pod: pod, IP: pod.IP} }

// AddressPeer returns the peer for an address outside the cluster.
func AddressPeer(ip netip.Addr) Peer { return Peer{IP: ip} }

// Port is the destination port of a connection.
type Port struct {
	// Protocol is TCP, UDP or SCTP; empty means TCP.
	Protocol corev1.Protocol
	Number   int32
}

func (p Port) protocol() corev1.Protocol {
	if p.Protocol == "" {
		return corev1.ProtocolTCP
	}
	return p.Protocol
}

// Selects reports whether np selects pod: they are in the same namespace
// (the unspecified one counts as one namespace) and np's podSelector
// matches the pod's labels. It does not judge np's validity.
func Selects(np *networkingv1.NetworkPolicy, pod *Pod) bool {
	return np.Namespace == pod.Namespace.Name && MatchesLabels(&np.Spec.PodSelector, pod.Labels)
}

// Applies returns the directions np isolates pod for: its [Types] when np
// is valid and selects pod, none otherwise.
func Applies(np *networkingv1.NetworkPolicy, pod *Pod) Direction {
	if np == nil || !Selects(np, pod) || !Valid(np) {
		return 0
	}
	return Types(np)
}

// AllowsIngress reports whether np lets traffic from src on port into dst:
// it isolates dst for ingress ([Applies]) and one of its ingress rules
// allows the traffic.
func AllowsIngress(np *networkingv1.NetworkPolicy, src Peer, dst *Pod, port Port) bool {
	if Applies(np, dst)&Ingress == 0 {
		return false
	}
	for i := range np.Spec.Ingress {
		if IngressRuleAllows(np, &np.Spec.Ingress[i], src, dst, port) {
			return true
		}
	}
	return false
}

// AllowsEgress reports whether np lets traffic from src to dst on port
// out: it isolates src for egress ([Applies]) and one of its egress rules
// allows the traffic.
func AllowsEgress(np *networkingv1.NetworkPolicy, src *Pod, dst Peer, port Port) bool {
	if Applies(np, src)&Egress == 0 {
		return false
	}
	for i := range np.Spec.Egress {
		if EgressRuleAllows(np, &np.Spec.Egress[i], dst, port) {
			return true
		}
	}
	return false
}

// Policies is a set of NetworkPolicies evaluated together: those of a
// cluster, or of the namespaces involved. Order does not matter; nil
// entries are skipped.
type Policies []*networkingv1.NetworkPolicy

// Selecting appends to out the valid policies of ps that select pod, and
// returns it.
func (ps Policies) Selecting(pod *Pod, out Policies) Policies {
	for _, np := range ps {
		if Applies(np, pod) != 0 {
			out = append(out, np)
		}
	}
	return out
}

// Isolated returns the directions for which pod is isolated by ps: those
// listed by a valid policy that selects it.
func (ps Policies) Isolated(pod *Pod) Direction {
	var d Direction
	for _, np := range ps {
		if d |= Applies(np, pod); d == Both {
			break
		}
	}
	return d
}

// IngressAllowed reports whether dst's ingress side lets traffic from src
// on port in: dst is not isolated for ingress, or a policy that isolates
// it allows the traffic.
func (ps Policies) IngressAllowed(src Peer, dst *Pod, port Port) bool {
	isolated := false
	for _, np := range ps {
		if Applies(np, dst)&Ingress == 0 {
			continue
		}
		isolated = true
		for i := range np.Spec.Ingress {
			if IngressRuleAllows(np, &np.Spec.Ingress[i], src, dst, port) {
				return true
			}
		}
	}
	return !isolated
}

// EgressAllowed reports whether src's egress side lets traffic to dst on
// port out: src is not isolated for egress, or a policy that isolates it
// allows the traffic.
func (ps Policies) EgressAllowed(src *Pod, dst Peer, port Port) bool {
	isolated := false
	for _, np := range ps {
		if Applies(np, src)&Egress == 0 {
			continue
		}
		isolated = true
		for i := range np.Spec.Egress {
			if EgressRuleAllows(np, &np.Spec.Egress[i], dst, port) {
				return true
			}
		}
	}
	return !isolated
}

// Allowed reports whether a connection from src to dst on port is
// allowed: by src's egress side when src is a pod, and by dst's ingress
// side when dst is a pod (an address outside the cluster has no side).
func (ps Policies) Allowed(src, dst Peer, port Port) bool {
	if src.Pod != nil && !ps.EgressAllowed(src.Pod, dst, port) {
		return false
	}
	return dst.Pod == nil || ps.IngressAllowed(src, dst.Pod, port)
}

// IngressRuleAllows reports whether one ingress rule r of np allows
// traffic from src to the selected pod dst on port, whatever np selects
// and whatever its policyTypes.
func IngressRuleAllows(np *networkingv1.NetworkPolicy, r *networkingv1.NetworkPolicyIngressRule, src Peer, dst *Pod, port Port) bool {
	if !PortsMatch(r.Ports, port, dst) {
		return false
	}
	if len(r.From) == 0 {
		return true
	}
	for i := range r.From {
		if PeerMatches(np, &r.From[i], src) {
			return true
		}
	}
	return false
}

// EgressRuleAllows reports whether one egress rule r of np allows traffic
// from a pod it selects to dst on port, whatever np selects and whatever
// its policyTypes. Named ports resolve against dst's pod.
func EgressRuleAllows(np *networkingv1.NetworkPolicy, r *networkingv1.NetworkPolicyEgressRule, dst Peer, port Port) bool {
	if !PortsMatch(r.Ports, port, dst.Pod) {
		return false
	}
	if len(r.To) == 0 {
		return true
	}
	for i := range r.To {
		if PeerMatches(np, &r.To[i], dst) {
			return true
		}
	}
	return false
}

// PeerMatches reports whether one peer entry of np (an element of a
// rule's from or to) matches p. A malformed entry (none of its fields, or
// an ipBlock beside a selector) matches nothing.
func PeerMatches(np *networkingv1.NetworkPolicy, peer *networkingv1.NetworkPolicyPeer, p Peer) bool {
	if peer.IPBlock != nil {
		if peer.PodSelector != nil || peer.NamespaceSelector != nil {
			return false
		}
		return IPBlockContains(peer.IPBlock, p.IP)
	}
	if p.Pod == nil {
		return false
	}
	switch {
	case peer.NamespaceSelector == nil && peer.PodSelector == nil:
		return false
	case peer.NamespaceSelector == nil:
		if p.Pod.Namespace.Name != np.Namespace {
			return false
		}
	default:
		if !MatchesNamespace(peer.NamespaceSelector, &p.Pod.Namespace) {
			return false
		}
	}
	return peer.PodSelector == nil || MatchesLabels(peer.PodSelector, p.Pod.Labels)
}

// IPBlockContains reports whether ip is inside b's cidr and outside every
// entry of its except. An unparsable cidr contains nothing; an unparsable
// except excludes nothing.
func IPBlockContains(b *networkingv1.IPBlock, ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.Unmap()
	cidr, ok := ParseCIDR(b.CIDR)
	if !ok || !cidr.Contains(ip) {
		return false
	}
	for _, e := range b.Except {
		if except, ok := ParseCIDR(e); ok && except.Contains(ip) {
			return false
		}
	}
	return true
}

// ParseCIDR parses a cidr as an ipBlock holds it, host bits cleared
// ("10.0.0.1/8" is 10.0.0.0/8), an IPv4-mapped IPv6 prefix unmapped.
func ParseCIDR(s string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p.Masked(), true
}

// PortsMatch reports whether port is among ports, a rule's port list: an
// empty list matches every port of every protocol; an entry matches its
// protocol (TCP when unset) and its port (every port when unset), range
// (port to endPort) or named port, resolved against dst's containers.
func PortsMatch(ports []networkingv1.NetworkPolicyPort, port Port, dst *Pod) bool {
	if len(ports) == 0 {
		return true
	}
	proto := port.protocol()
	for i := range ports {
		pp := &ports[i]
		want := corev1.ProtocolTCP
		if pp.Protocol != nil {
			want = *pp.Protocol
		}
		if want != proto {
			continue
		}
		if pp.Port == nil {
			return true
		}
		switch pp.Port.Type {
		case intstr.Int:
			lo, hi := pp.Port.IntVal, pp.Port.IntVal
			if pp.EndPort != nil {
				hi = *pp.EndPort
			}
			if lo <= port.Number && port.Number <= hi {
				return true
			}
		case intstr.String:
			if dst != nil && dst.declares(pp.Port.StrVal, port.Number, proto) {
				return true
			}
		}
	}
	return false
}

// declares reports whether a container of p declares a port named name
// with number and protocol.
func (p *Pod) declares(name string, number int32, proto corev1.Protocol) bool {
	for i := range p.Containers {
		for j := range p.Containers[i].Ports {
			cp := &p.Containers[i].Ports[j]
			got := cp.Protocol
			if got == "" {
				got = corev1.ProtocolTCP
			}
			if cp.Name == name && cp.ContainerPort == number && got == proto {
				return true
			}
		}
	}
	return false
}
