package netpoltest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	"github.com/mattfenwick/cyclonus/pkg/matcher"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// world is a generated cluster: namespaces with labels, pods with labels,
// addresses and named container ports, and addresses outside it.
type world struct {
	namespaces []netpol.Namespace
	pods       []*netpol.Pod
	external   []netip.Addr
}

var (
	nsNames   = []string{"x", "y", "z"}
	apps      = []string{"a", "b", "c"}
	tiers     = []string{"front", "back"}
	teams     = []string{"red", "blue"}
	protocols = []corev1.Protocol{corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP}
	// portNames are the names pods may give ports; each pod gives each
	// name at most once, to one number and protocol, as Kubernetes
	// requires of a pod's port names.
	portNames = []string{"http", "dns", "metrics"}
	numbers   = []int32{53, 80, 81, 8080, 9090}
	probes    = []netpol.Port{
		{Protocol: corev1.ProtocolTCP, Number: 80}, {Protocol: corev1.ProtocolTCP, Number: 81},
		{Protocol: corev1.ProtocolTCP, Number: 8080}, {Protocol: corev1.ProtocolUDP, Number: 53},
		{Protocol: corev1.ProtocolTCP, Number: 9090}, {Protocol: corev1.ProtocolSCTP, Number: 80},
	}
)

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

func newWorld(r *rand.Rand) *world {
	w := &world{external: []netip.Addr{
		netip.MustParseAddr("169.254.169.254"), netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("192.168.7.7"),
	}}
	for i, name := range nsNames {
		labels := map[string]string{}
		if r.IntN(3) > 0 {
			labels["team"] = pick(r, teams)
		}
		w.namespaces = append(w.namespaces, netpol.Namespace{Name: name, Labels: labels})
		for j, app := range apps {
			labels := map[string]string{"app": app} // every pod has app: NotIn goes there
			if r.IntN(2) == 0 {
				labels["tier"] = pick(r, tiers)
			}
			var ports []corev1.ContainerPort
			used := map[string]bool{}
			for _, pn := range portNames {
				if r.IntN(3) == 0 {
					continue
				}
				n, proto := pick(r, numbers), pick(r, protocols)
				key := fmt.Sprint(n, proto)
				if used[key] {
					continue // one name per number and protocol
				}
				used[key] = true
				ports = append(ports, corev1.ContainerPort{Name: pn, ContainerPort: n, Protocol: proto})
			}
			w.pods = append(w.pods, &netpol.Pod{
				Namespace:  w.namespaces[i],
				Labels:     labels,
				Containers: []corev1.Container{{Name: "c", Ports: ports}},
				IP:         netip.AddrFrom4([4]byte{10, byte(i + 1), 0, byte(j + 1)}),
			})
		}
	}
	return w
}

func podSelector(r *rand.Rand) metav1.LabelSelector {
	switch r.IntN(7) {
	case 0, 1:
		return metav1.LabelSelector{}
	case 2:
		return metav1.LabelSelector{MatchLabels: map[string]string{"app": pick(r, apps)}}
	case 3:
		return metav1.LabelSelector{MatchLabels: map[string]string{"app": pick(r, apps), "tier": pick(r, tiers)}}
	case 4:
		return metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "app", Operator: pick(r, []metav1.LabelSelectorOperator{metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn}), Values: []string{pick(r, apps), pick(r, apps)}}}}
	case 5:
		return metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: pick(r, []metav1.LabelSelectorOperator{metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist})}}}
	default:
		return metav1.LabelSelector{MatchLabels: map[string]string{"tier": pick(r, tiers)},
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpNotIn, Values: []string{pick(r, apps)}}}}
	}
}

func namespaceSelector(r *rand.Rand) *metav1.LabelSelector {
	switch r.IntN(6) {
	case 0, 1:
		return &metav1.LabelSelector{}
	case 2:
		return &metav1.LabelSelector{MatchLabels: map[string]string{"team": pick(r, teams)}}
	case 3:
		return &metav1.LabelSelector{MatchLabels: map[string]string{corev1.LabelMetadataName: pick(r, nsNames)}}
	case 4:
		return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: corev1.LabelMetadataName, Operator: metav1.LabelSelectorOpNotIn, Values: []string{pick(r, nsNames)}}}}
	default:
		return &metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "team", Operator: pick(r, []metav1.LabelSelectorOperator{metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist})}}}
	}
}

var cidrs = []struct {
	cidr   string
	except []string
}{
	{"10.0.0.0/8", nil}, {"10.0.0.0/8", []string{"10.2.0.0/16"}}, {"10.1.0.0/16", []string{"10.1.0.2/32"}},
	{"0.0.0.0/0", nil}, {"0.0.0.0/0", []string{"169.254.169.254/32", "10.0.0.0/8"}}, {"169.254.0.0/16", nil},
	{"192.168.0.0/16", []string{"192.168.7.0/24"}}, {"10.3.0.1/32", nil},
}

func peers(r *rand.Rand) []networkingv1.NetworkPolicyPeer {
	n := r.IntN(4) // 0: no from/to, everything
	var out []networkingv1.NetworkPolicyPeer
	for range n {
		switch r.IntN(4) {
		case 0:
			s := podSelector(r)
			out = append(out, networkingv1.NetworkPolicyPeer{PodSelector: &s})
		case 1:
			out = append(out, networkingv1.NetworkPolicyPeer{NamespaceSelector: namespaceSelector(r)})
		case 2:
			s := podSelector(r)
			out = append(out, networkingv1.NetworkPolicyPeer{PodSelector: &s, NamespaceSelector: namespaceSelector(r)})
		default:
			c := pick(r, cidrs)
			out = append(out, networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: c.cidr, Except: c.except}})
		}
	}
	return out
}

func ports(r *rand.Rand) []networkingv1.NetworkPolicyPort {
	n := r.IntN(3)
	var out []networkingv1.NetworkPolicyPort
	for range n {
		var p networkingv1.NetworkPolicyPort
		if r.IntN(2) == 0 {
			proto := pick(r, protocols)
			p.Protocol = &proto
		}
		switch r.IntN(5) {
		case 0: // every port of the protocol
		case 1, 2:
			p.Port = &intstr.IntOrString{Type: intstr.Int, IntVal: pick(r, numbers)}
		case 3:
			lo := pick(r, numbers)
			hi := lo + int32(r.IntN(10000))
			p.Port, p.EndPort = &intstr.IntOrString{Type: intstr.Int, IntVal: lo}, &hi
		default:
			p.Port = &intstr.IntOrString{Type: intstr.String, StrVal: pick(r, portNames)}
		}
		out = append(out, p)
	}
	return out
}

func policy(r *rand.Rand, i int) *networkingv1.NetworkPolicy {
	np := &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: pick(r, nsNames), Name: fmt.Sprint("p", i)},
		Spec:       networkingv1.NetworkPolicySpec{PodSelector: podSelector(r)},
	}
	for range r.IntN(3) {
		np.Spec.Ingress = append(np.Spec.Ingress, networkingv1.NetworkPolicyIngressRule{From: peers(r), Ports: ports(r)})
	}
	for range r.IntN(3) {
		np.Spec.Egress = append(np.Spec.Egress, networkingv1.NetworkPolicyEgressRule{To: peers(r), Ports: ports(r)})
	}
	switch r.IntN(4) {
	case 0: // left to the defaults
	case 1:
		np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	case 2:
		np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	default:
		np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
	}
	return np
}

// defaulted returns np as the API server stores it: policyTypes defaulted
// as kubernetes pkg/apis/networking/v1/defaults.go does (Ingress always,
// Egress when spec.egress has a rule). cyclonus expects stored objects
// (it panics on empty policyTypes); bulwark reads manifests and defaults
// them itself.
func defaulted(np *networkingv1.NetworkPolicy) *networkingv1.NetworkPolicy {
	out := np.DeepCopy()
	if len(out.Spec.PolicyTypes) == 0 {
		out.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		if len(out.Spec.Egress) != 0 {
			out.Spec.PolicyTypes = append(out.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		}
	}
	return out
}

// cyclonusPeer describes a peer to cyclonus: an internal pod with its
// namespace's labels as the API server keeps them (with
// kubernetes.io/metadata.name), or an address.
func cyclonusPeer(p netpol.Peer) *matcher.TrafficPeer {
	tp := &matcher.TrafficPeer{IP: p.IP.String()}
	if p.Pod != nil {
		nsLabels := map[string]string{corev1.LabelMetadataName: p.Pod.Namespace.Name}
		for k, v := range p.Pod.Namespace.Labels {
			nsLabels[k] = v
		}
		tp.Internal = &matcher.InternalPeer{PodLabels: p.Pod.Labels, NamespaceLabels: nsLabels, Namespace: p.Pod.Namespace.Name}
	}
	return tp
}

// portName is the name the destination pod gives port, as the traffic
// cyclonus judges carries it ("" outside the cluster or when unnamed).
func portName(dst netpol.Peer, port netpol.Port) string {
	if dst.Pod == nil {
		return ""
	}
	for _, c := range dst.Pod.Containers {
		for _, cp := range c.Ports {
			if cp.ContainerPort == port.Number && cp.Protocol == port.Protocol {
				return cp.Name
			}
		}
	}
	return ""
}

// TestAgainstCyclonus compares every verdict of internal/netpol with
// cyclonus' on generated worlds: pod to pod, pod to outside, outside to
// pod, on six ports, per direction and as a whole.
func TestAgainstCyclonus(t *testing.T) {
	const worlds = 400
	r := rand.New(rand.NewPCG(15, 3))
	var compared, allowed, policies int
	for wi := range worlds {
		w := newWorld(r)
		var ours netpol.Policies
		var theirs []*networkingv1.NetworkPolicy
		for i := range 1 + r.IntN(4) {
			np := policy(r, i)
			if !netpol.Valid(np) {
				t.Fatalf("world %d: the generator wrote an invalid policy: %v", wi, netpol.Problems(np))
			}
			ours = append(ours, np)
			theirs = append(theirs, defaulted(np))
		}
		policies += len(ours)
		engine := matcher.BuildNetworkPolicies(false, theirs)
		var ends []netpol.Peer
		for _, p := range w.pods {
			ends = append(ends, netpol.PodPeer(p))
		}
		for _, a := range w.external {
			ends = append(ends, netpol.AddressPeer(a))
		}
		for _, src := range ends {
			for _, dst := range ends {
				if src.Pod == nil && dst.Pod == nil {
					continue
				}
				for _, port := range probes {
					res := engine.IsTrafficAllowed(&matcher.Traffic{
						Source: cyclonusPeer(src), Destination: cyclonusPeer(dst),
						ResolvedPort: int(port.Number), ResolvedPortName: portName(dst, port), Protocol: port.Protocol,
					})
					want := res.IsAllowed()
					got := ours.Allowed(src, dst, port)
					in := dst.Pod == nil || ours.IngressAllowed(src, dst.Pod, port)
					out := src.Pod == nil || ours.EgressAllowed(src.Pod, dst, port)
					if got != want || in != res.Ingress.IsAllowed() || out != res.Egress.IsAllowed() {
						t.Fatalf("world %d, %s → %s on %d/%s: netpol allowed=%v (ingress %v, egress %v), cyclonus allowed=%v (ingress %v, egress %v)\npolicies: %s",
							wi, describe(src), describe(dst), port.Number, port.Protocol, got, in, out,
							want, res.Ingress.IsAllowed(), res.Egress.IsAllowed(), dump(theirs))
					}
					compared++
					if got {
						allowed++
					}
				}
			}
		}
	}
	// Both verdicts must be common, or the comparison proves little.
	if allowed < compared/10 || allowed > compared*9/10 {
		t.Errorf("%d of %d connections allowed: the generator is lopsided", allowed, compared)
	}
	t.Logf("%d worlds, %d policies, %d connections compared (%d allowed, %d denied)", worlds, policies, compared, allowed, compared-allowed)
}

func describe(p netpol.Peer) string {
	if p.Pod == nil {
		return p.IP.String()
	}
	return fmt.Sprintf("%s/%v", p.Pod.Namespace.Name, p.Pod.Labels)
}

func dump(nps []*networkingv1.NetworkPolicy) string {
	var s string
	for _, np := range nps {
		s += fmt.Sprintf("\n  %s/%s %+v", np.Namespace, np.Name, np.Spec)
	}
	return s
}
