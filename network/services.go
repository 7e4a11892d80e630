package network

// Checks network.service-exposed, network.service-external-ips and
// network.host-pod-exposed: Services that expose pods outside the cluster
// (object subjects of kind Service), and pods on the host's network or on
// host ports behind them (Pods, with the run's Cluster).
//
// Service fields:
//
//	spec.type, spec.ports[*].{port,protocol,nodePort}, spec.selector
//	spec.externalIPs
//	spec.loadBalancerSourceRanges, spec.allocateLoadBalancerNodePorts
//	metadata.annotations (the internal load balancer annotations of AWS, GCP and Azure)
//
// Pod fields: metadata.namespace, metadata.labels, spec.hostNetwork,
// spec.{initContainers,containers,ephemeralContainers}[*].ports[*].hostPort.
//
// service-exposed allows: type ClusterIP (the default) and ExternalName.
// Reported at spec.type: NodePort (every node's addresses) and
// LoadBalancer (a cloud load balancer, and node ports unless
// allocateLoadBalancerNodePorts is false); the message lists the ports, the
// source ranges and internal-load-balancer annotations, and the selector.
// The audited pods a Service exposes are named on their side, by
// network.pod-not-isolated (when no policy isolates them) and
// network.host-pod-exposed.
//
// service-external-ips allows: no spec.externalIPs. Each address is
// reported at its index (CVE-2020-8554).
//
// host-pod-exposed allows: pods off the host's network and without host
// ports, and those no exposing Service of their namespace selects (type
// NodePort or LoadBalancer, or externalIPs; a selector whose every pair is
// among the pod's labels). Reported at spec.hostNetwork, or at each
// hostPort, where the host-namespace and host-port controls report too: the
// findings merge into one, at the higher severity, naming the Services.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

var (
	refServiceTypes = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes Service types",
		URL: "https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types"}
	refCVE20208554 = hardening.Reference{Kind: hardening.RefCVE, ID: "CVE-2020-8554",
		URL: "https://github.com/kubernetes/kubernetes/issues/97076"}
)

// serviceOf returns the Service of an object subject, or nil.
func serviceOf(s *hardening.Subject) *corev1.Service {
	if s.Object == nil || s.Object.Kind != hardening.KindService {
		return nil
	}
	svc, _ := s.Object.Object.(*corev1.Service)
	return svc
}

// internalLBAnnotations mark a load balancer as internal to the cloud
// network, by provider.
var internalLBAnnotations = [...]string{
	"service.beta.kubernetes.io/aws-load-balancer-internal",
	"service.beta.kubernetes.io/aws-load-balancer-scheme",
	"networking.gke.io/load-balancer-type",
	"cloud.google.com/load-balancer-type",
	"service.beta.kubernetes.io/azure-load-balancer-internal",
}

// ServiceExposed reports Services of type NodePort or LoadBalancer.
var ServiceExposed = &hardening.Check{
	ID:       "network.service-exposed",
	Title:    "Service exposes pods outside the cluster",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindObject,
	Rationale: "A NodePort Service opens its ports on every node's addresses, on every interface, and a LoadBalancer " +
		"Service puts a cloud load balancer, usually public, in front of them as well: the selected pods take traffic " +
		"from outside the cluster, with the source address often replaced by a node's (externalTrafficPolicy: Cluster), " +
		"which NetworkPolicy ipBlocks then cannot tell apart.",
	Remediation: "Keep the Service ClusterIP and expose it through an Ingress or Gateway that terminates TLS and " +
		"authenticates; where it must stay exposed, limit loadBalancerSourceRanges, use an internal load balancer, and " +
		"isolate the pods with NetworkPolicies.",
	References: []hardening.Reference{refServiceTypes, refNSANetwork, refNCCCross},
	Run:        runServiceExposed,
}

func runServiceExposed(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	svc := serviceOf(s)
	if svc == nil {
		return out
	}
	var msg string
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort:
		msg = "type NodePort opens " + servicePorts(svc, true) + " on every node's addresses"
	case corev1.ServiceTypeLoadBalancer:
		msg = "type LoadBalancer exposes " + servicePorts(svc, false) + " through a cloud load balancer"
		if a := svc.Spec.AllocateLoadBalancerNodePorts; a == nil || *a {
			msg += ", and opens node ports (" + servicePorts(svc, true) + ") on every node's addresses"
		}
		if len(svc.Spec.LoadBalancerSourceRanges) > 0 {
			msg += "; clients limited to " + strings.Join(svc.Spec.LoadBalancerSourceRanges, ", ")
		}
		for _, a := range internalLBAnnotations {
			if v, ok := svc.Annotations[a]; ok {
				msg += "; annotation " + a + "=" + strconv.Quote(v) + " may make the load balancer internal to the cloud network"
				break
			}
		}
	default:
		return out
	}
	if len(svc.Spec.Selector) == 0 {
		msg += "; it has no selector (its endpoints are managed elsewhere)"
	} else {
		msg += ", to the pods labelled " + describeLabels(svc.Spec.Selector)
	}
	return append(out, hardening.Finding{Path: s.ObjectPath("spec.type"), Message: msg})
}

// servicePorts renders a Service's ports: "443/TCP, 53/UDP", or with node
// ports "443/TCP (node port 30443)"; "no port" for none.
func servicePorts(svc *corev1.Service, nodePorts bool) string {
	if len(svc.Spec.Ports) == 0 {
		return "no port"
	}
	parts := make([]string, 0, len(svc.Spec.Ports))
	for _, p := range svc.Spec.Ports {
		proto := p.Protocol
		if proto == "" {
			proto = corev1.ProtocolTCP
		}
		part := strconv.Itoa(int(p.Port)) + "/" + string(proto)
		if nodePorts {
			if p.NodePort != 0 {
				part += " (node port " + strconv.Itoa(int(p.NodePort)) + ")"
			} else {
				part += " (node port assigned from 30000-32767)"
			}
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// ServiceExternalIPs reports Services with externalIPs.
var ServiceExternalIPs = &hardening.Check{
	ID:       "network.service-external-ips",
	Title:    "Service claims external IPs",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindObject,
	Rationale: "kube-proxy on every node captures traffic to a Service's externalIPs, whoever owns those addresses: " +
		"anyone who may create or edit a Service can claim another service's or an outside host's address (a DNS " +
		"resolver, an API) and intercept the cluster's traffic to it (CVE-2020-8554, unpatched by design).",
	Remediation: "Remove spec.externalIPs and use a LoadBalancer Service or an Ingress; enable the DenyServiceExternalIPs " +
		"admission plugin, or admit only an allow-list of addresses with a validating admission policy.",
	References: []hardening.Reference{refCVE20208554, refServiceTypes,
		{Kind: hardening.RefDoc, ID: "Kubernetes admission plugin DenyServiceExternalIPs",
			URL: "https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#denyserviceexternalips"},
		refNCCCross},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		svc := serviceOf(s)
		if svc == nil || svc.Spec.Type == corev1.ServiceTypeExternalName {
			return out
		}
		for i, ip := range svc.Spec.ExternalIPs {
			out = append(out, hardening.Finding{
				Path: s.ObjectPath(hardening.Index("spec.externalIPs", i)),
				Message: "kube-proxy on every node captures traffic to " + strconv.Quote(ip) + " on " + servicePorts(svc, false) +
					" for this Service, whoever owns the address (CVE-2020-8554)",
			})
		}
		return out
	},
}

// HostPodExposed reports pods on the host's network or on host ports that a
// Service exposes outside the cluster.
var HostPodExposed = &hardening.Check{
	ID:       "network.host-pod-exposed",
	Title:    "pod on the host's network exposed by a Service",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "A pod on the host's network (or binding a host port) listens on the node's own addresses, where " +
		"NetworkPolicy does not apply; a NodePort or LoadBalancer Service in front of it brings traffic from outside the " +
		"cluster straight to a process that shares the node's network stack, so a remote exploit of the application is " +
		"a foothold on the node.",
	Remediation: "Take the pod off the host's network (remove hostNetwork and hostPort) and expose it through the Service " +
		"alone, or make the Service ClusterIP.",
	References: []hardening.Reference{refServiceTypes, refNetworkPolicies, refNCCEscape},
	Run:        runHostPodExposed,
}

func runHostPodExposed(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Cluster == nil || !s.Pod.Spec.HostNetwork && !hasHostPort(s) {
		return out
	}
	svcs := exposingServices(s.Cluster, s.Pod.Namespace, s.Pod.Labels)
	if len(svcs) == 0 {
		return out
	}
	by := strings.Join(svcs, ", ") + " exposes it outside the cluster"
	if s.Pod.Spec.HostNetwork {
		return append(out, hardening.Finding{
			Path:    s.SpecPath("hostNetwork"),
			Message: "the pod shares the node's network and " + by,
		})
	}
	for c := range s.Containers {
		for i, p := range c.Ports {
			if p.HostPort == 0 {
				continue
			}
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "ports["+strconv.Itoa(i)+"].hostPort"),
				Message:   "container " + strconv.Quote(c.Name) + " binds host port " + strconv.Itoa(int(p.HostPort)) + " and " + by,
			})
		}
	}
	return out
}

func hasHostPort(s *hardening.Subject) bool {
	for c := range s.Containers {
		for _, p := range c.Ports {
			if p.HostPort != 0 {
				return true
			}
		}
	}
	return false
}
