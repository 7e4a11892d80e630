package network

// Checks network.policy-rejected, network.egress-to-metadata,
// network.egress-to-any-address and network.ingress-from-all-namespaces:
// what one NetworkPolicy says, judged on its own (object subjects of kind
// NetworkPolicy). Its selection semantics are internal/netpol's.
//
// NetworkPolicy fields:
//
//	metadata.namespace
//	spec.podSelector
//	spec.policyTypes (defaulted when empty: Ingress, and Egress when spec.egress has a rule)
//	spec.ingress[*].from[*].{podSelector,namespaceSelector,ipBlock.{cidr,except}}
//	spec.ingress[*].ports[*].{protocol,port,endPort}
//	spec.egress[*].to[*].{podSelector,namespaceSelector,ipBlock.{cidr,except}}
//	spec.egress[*].ports[*].{protocol,port,endPort}
//
// policy-rejected allows: a policy the API server accepts (netpol.Problems:
// selector operators and values, peers, ipBlocks, ports, policyTypes).
// Each problem is reported at its field.
//
// The rule checks read a direction's rules only when the policy's
// (defaulted) policyTypes lists the direction: egress rules under
// policyTypes: [Ingress] are inert, and not reported.
//
// egress-to-metadata allows: no egress rule admitting TCP port 80 of the
// cloud metadata addresses 169.254.169.254 (AWS, GCP, Azure, OpenStack and
// most others) and fd00:ec2::254 (AWS over IPv6): a rule without to, or an
// ipBlock that holds the address and does not except it, on ports that
// include TCP 80. Named ports never reach an address outside the cluster.
// Reported at the peer that admits it (spec.egress[i].to[j]), or at the
// rule when it has no to.
//
// egress-to-any-address allows: egress rules limited in destination or in
// port. Reported: a rule that admits every address (no to, or an ipBlock
// of prefix length 0, whatever it excepts) on every port of a protocol
// (no ports, or a port entry without a number, or a range from 1 to
// 65535). A rule limited to ports (DNS on 53, HTTPS on 443) is a design a
// team chooses for services outside the cluster, and not reported.
//
// ingress-from-all-namespaces allows: ingress rules limited to some
// namespaces or pods, or to ports. Reported: a rule without from on every
// port (ingress: [{}], every source inside the cluster or not; at
// spec.ingress[i]), and a peer with an empty namespaceSelector and an
// empty or absent podSelector (every pod of every namespace; at its
// from[j]): medium on every port, low when the rule lists ports. A rule
// without from but with ports is how a pod behind a NodePort or
// LoadBalancer Service admits clients it cannot name (their traffic
// arrives from node addresses), and is not reported; nor is an ipBlock,
// for the same reason.

import (
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var (
	refNetworkPolicies = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes Network Policies",
		URL: "https://kubernetes.io/docs/concepts/services-networking/network-policies/"}
	refNetworkPolicyAPI = hardening.Reference{Kind: hardening.RefDoc, ID: "NetworkPolicy v1 API reference",
		URL: "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/"}
	refCISKube532 = hardening.Reference{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.3.2",
		URL: "https://www.cisecurity.org/benchmark/kubernetes"}
	refNSANetwork = hardening.Reference{Kind: hardening.RefDoc, ID: "NSA/CISA Kubernetes Hardening Guide, network separation",
		URL: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF"}
	refNCCManagement = hardening.NCC("7 management layer")
)

// policyOf returns the NetworkPolicy of an object subject, or nil.
func policyOf(s *hardening.Subject) *networkingv1.NetworkPolicy {
	if s.Object == nil || s.Object.Kind != hardening.KindNetworkPolicy {
		return nil
	}
	np, _ := s.Object.Object.(*networkingv1.NetworkPolicy)
	return np
}

// PolicyRejected reports NetworkPolicies the API server would reject.
var PolicyRejected = &hardening.Check{
	ID:       "network.policy-rejected",
	Title:    "NetworkPolicy the API server rejects",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindObject,
	Rationale: "The API server refuses a NetworkPolicy with an invalid selector, an empty peer, an ipBlock beside a selector, " +
		"an except outside its cidr or a malformed port: applying it fails, and the pods it was written to isolate stay " +
		"open. Such a policy is easy to miss when manifests are applied in bulk and errors scroll by.",
	Remediation: "Fix the field the finding names, and check that the policy applies (kubectl apply --dry-run=server).",
	References:  []hardening.Reference{refNetworkPolicyAPI, refNetworkPolicies},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		np := policyOf(s)
		if np == nil || netpol.Valid(np) {
			return out
		}
		for _, p := range netpol.Problems(np) {
			out = append(out, hardening.Finding{
				Path:    s.ObjectPath(p.Path),
				Message: "the API server rejects this NetworkPolicy: " + p.Path + ": " + p.Message + "; it isolates and allows nothing until fixed",
			})
		}
		return out
	},
}

// metadataAddresses are the cloud metadata services' addresses; each
// serves credentials over HTTP on TCP port 80.
var metadataAddresses = [...]struct {
	addr  netip.Addr
	cloud string
}{
	{netip.MustParseAddr("169.254.169.254"), "AWS, GCP, Azure, OpenStack and most clouds"},
	{netip.MustParseAddr("fd00:ec2::254"), "AWS over IPv6"},
}

// EgressToMetadata reports egress rules that let pods reach a cloud
// metadata service.
var EgressToMetadata = &hardening.Check{
	ID:       "network.egress-to-metadata",
	Title:    "egress allowed to the cloud metadata service",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindObject,
	Rationale: "The cloud metadata service (169.254.169.254) hands out the node's instance credentials to whoever asks from " +
		"the node's network; a pod that reaches it can act as the node in the cloud account (the Capital One breach), read " +
		"bootstrap secrets such as kubelet credentials, and pivot to the control plane. An egress rule without to, or with " +
		"an ipBlock such as 0.0.0.0/0 that does not except the address, opens it to every pod the policy selects.",
	Remediation: "Except the metadata addresses in the ipBlock (except: [169.254.169.254/32], and fd00:ec2::254/128 on " +
		"IPv6), or list the destinations the pods need; also block the metadata service at the node (IMDSv2 with a hop " +
		"limit of 1, GKE metadata concealment or Workload Identity).",
	References: []hardening.Reference{refNetworkPolicies,
		{Kind: hardening.RefDoc, ID: "AWS EC2 instance metadata service",
			URL: "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html"},
		{Kind: hardening.RefDoc, ID: "Kubernetes security checklist, network security",
			URL: "https://kubernetes.io/docs/concepts/security/security-checklist/#network-security"},
		refNCCManagement},
	Run: runEgressToMetadata,
}

func runEgressToMetadata(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	np := policyOf(s)
	if np == nil || netpol.Types(np)&netpol.Egress == 0 {
		return out
	}
	http := netpol.Port{Protocol: corev1.ProtocolTCP, Number: 80}
	for i := range np.Spec.Egress {
		r := &np.Spec.Egress[i]
		if !netpol.PortsMatch(r.Ports, http, nil) {
			continue
		}
		// One finding per peer that admits an address (or per rule
		// without to), naming every address it admits.
		start := len(out)
		for _, m := range metadataAddresses {
			addr := netpol.AddressPeer(m.addr)
			if !netpol.EgressRuleAllows(np, r, addr, http) {
				continue
			}
			path := hardening.Index("spec.egress", i)
			how := "the rule has no to, so it allows every destination"
			for j := range r.To {
				if netpol.PeerMatches(np, &r.To[j], addr) {
					path = hardening.Index(path+".to", j)
					how = "ipBlock " + describeBlock(r.To[j].IPBlock) + " holds it"
					break
				}
			}
			what := m.addr.String() + " (" + m.cloud + ")"
			path = s.ObjectPath(path)
			if k := slices.IndexFunc(out[start:], func(f hardening.Finding) bool { return f.Path == path }); k >= 0 {
				f := &out[start+k]
				f.Message = strings.Replace(f.Message, ") on TCP port 80", ") and "+what+" on TCP port 80", 1)
				continue
			}
			out = append(out, hardening.Finding{
				Path:    path,
				Message: "pods this policy selects may connect to the cloud metadata service " + what + " on TCP port 80: " + how,
			})
		}
	}
	return out
}

// EgressToAnyAddress reports egress rules open to every address on every
// port.
var EgressToAnyAddress = &hardening.Check{
	ID:       "network.egress-to-any-address",
	Title:    "egress allowed to every address on every port",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindObject,
	Rationale: "An egress rule with neither destinations nor ports (egress: [{}]), or with 0.0.0.0/0 or ::/0 on every port, " +
		"undoes egress isolation for the pods it selects: a compromised container reaches every service of the cluster " +
		"and of the internet, exfiltrates data, fetches tooling and calls back to its controller. Since rules add up, one " +
		"such policy cancels every default-deny egress policy of its namespace for the pods it selects.",
	Remediation: "List the destinations the pods need (namespaceSelector and podSelector for services of the cluster, " +
		"ipBlocks for outside ones) or at least the ports, and keep DNS in a rule of its own (UDP and TCP 53).",
	References: []hardening.Reference{refNetworkPolicies, refNSANetwork, refNCCCross},
	Run:        runEgressToAnyAddress,
}

func runEgressToAnyAddress(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	np := policyOf(s)
	if np == nil || netpol.Types(np)&netpol.Egress == 0 {
		return out
	}
	for i := range np.Spec.Egress {
		r := &np.Spec.Egress[i]
		ports, every := describePorts(r.Ports)
		if !every {
			continue
		}
		path := hardening.Index("spec.egress", i)
		if len(r.To) == 0 {
			out = append(out, hardening.Finding{
				Path:    s.ObjectPath(path),
				Message: "the rule has no to: pods this policy selects may connect to every address, in the cluster and outside it, on " + ports,
			})
			continue
		}
		for j := range r.To {
			b := r.To[j].IPBlock
			if b == nil {
				continue
			}
			if cidr, ok := netpol.ParseCIDR(b.CIDR); ok && cidr.Bits() == 0 {
				out = append(out, hardening.Finding{
					Path:    s.ObjectPath(hardening.Index(path+".to", j)),
					Message: "ipBlock " + describeBlock(b) + ": pods this policy selects may connect to every address on " + ports,
				})
			}
		}
	}
	return out
}

// IngressFromAllNamespaces reports ingress rules that admit every pod of
// every namespace.
var IngressFromAllNamespaces = &hardening.Check{
	ID:       "network.ingress-from-all-namespaces",
	Title:    "ingress allowed from every namespace",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindObject,
	Rationale: "An ingress rule without from (ingress: [{}]), or with a peer whose namespaceSelector is empty ({}) and whose " +
		"podSelector is empty or absent, admits every pod of every namespace, today's and tomorrow's: any compromised " +
		"workload of the cluster can reach the selected pods, and since rules add up, one such policy cancels the " +
		"namespace's default deny for the pods it selects. An empty namespaceSelector means every namespace, not this one.",
	Remediation: "Name the clients: a namespaceSelector on kubernetes.io/metadata.name with a podSelector in the same peer, " +
		"or a podSelector alone for clients of the policy's own namespace; and list the ports.",
	References: []hardening.Reference{refNetworkPolicies, refNetworkPolicyAPI, refNCCCross},
	Run:        runIngressFromAllNamespaces,
}

func runIngressFromAllNamespaces(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	np := policyOf(s)
	if np == nil || netpol.Types(np)&netpol.Ingress == 0 {
		return out
	}
	for i := range np.Spec.Ingress {
		r := &np.Spec.Ingress[i]
		ports, every := describePorts(r.Ports)
		severity := hardening.SeverityMedium
		if !every {
			severity = hardening.SeverityLow
		}
		path := hardening.Index("spec.ingress", i)
		if len(r.From) == 0 {
			if every {
				out = append(out, hardening.Finding{
					Path:    s.ObjectPath(path),
					Message: "the rule has no from: pods this policy selects accept connections from every pod of every namespace and from outside the cluster, on " + ports,
				})
			}
			continue
		}
		for j := range r.From {
			p := &r.From[j]
			if p.IPBlock != nil || !netpol.IsEmptySelector(p.NamespaceSelector) || p.PodSelector != nil && !netpol.IsEmptySelector(p.PodSelector) {
				continue
			}
			out = append(out, hardening.Finding{
				Path:     s.ObjectPath(hardening.Index(path+".from", j)),
				Severity: severity,
				Message:  "namespaceSelector: {} selects every namespace: pods this policy selects accept connections from every pod of the cluster, on " + ports,
			})
		}
	}
	return out
}

// describePorts renders a rule's ports ("every port", "TCP 80, UDP 53")
// and whether they cover every port of some protocol.
func describePorts(ports []networkingv1.NetworkPolicyPort) (string, bool) {
	if len(ports) == 0 {
		return "every port", true
	}
	var parts []string
	every := false
	for _, p := range ports {
		proto := "TCP"
		if p.Protocol != nil {
			proto = string(*p.Protocol)
		}
		switch {
		case p.Port == nil:
			every = true
			parts = append(parts, "every "+proto+" port")
		case p.Port.Type == intstr.String:
			parts = append(parts, proto+" port named "+strconv.Quote(p.Port.StrVal))
		case p.EndPort != nil:
			if p.Port.IntVal <= 1 && *p.EndPort >= 65535 {
				every = true
			}
			parts = append(parts, proto+" "+strconv.Itoa(int(p.Port.IntVal))+"-"+strconv.Itoa(int(*p.EndPort)))
		default:
			parts = append(parts, proto+" "+strconv.Itoa(int(p.Port.IntVal)))
		}
	}
	return strings.Join(parts, ", "), every
}

// describeBlock renders "0.0.0.0/0" or "0.0.0.0/0 except 10.0.0.0/8".
func describeBlock(b *networkingv1.IPBlock) string {
	if b == nil {
		return ""
	}
	if len(b.Except) == 0 {
		return b.CIDR
	}
	return b.CIDR + " except " + strings.Join(b.Except, ", ")
}

// describeSelector renders a label selector: "{}" for the empty one,
// "app=web, tier in (a, b)" otherwise, in a stable order.
func describeSelector(sel *metav1.LabelSelector) string {
	if sel == nil {
		return "none"
	}
	if netpol.IsEmptySelector(sel) {
		return "{}"
	}
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return "an invalid selector"
	}
	return s.String()
}
