package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// TestPolicyRuleChecks pins the rule checks on one policy each, written
// as the spec a manifest holds.
func TestPolicyRuleChecks(t *testing.T) {
	type got checktest.Got
	const (
		medium = hardening.SeverityMedium
		high   = hardening.SeverityHigh
		low    = hardening.SeverityLow
	)
	tests := []struct {
		name string
		spec string
		want []got
	}{
		{"allow-all egress", `{podSelector: {}, egress: [{}]}`, []got{
			{"network.egress-to-any-address", medium, "", "spec.egress[0]"},
			{"network.egress-to-metadata", high, "", "spec.egress[0]"},
		}},
		{"the link-local range holds the metadata address", `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 169.254.0.0/16}}]}]}`, []got{
			{"network.egress-to-metadata", high, "", "spec.egress[0].to[0]"},
		}},
		{"excepted", `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 169.254.0.0/16, except: [169.254.169.254/32]}}]}]}`, nil},
		{"port 443 only", `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]}`, nil},
		{"UDP only: every UDP port, no metadata over TCP", `{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{protocol: UDP}]}]}`, []got{
			{"network.egress-to-any-address", medium, "", "spec.egress[0]"},
		}},
		{"a range over every port", `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: "::/0"}}], ports: [{port: 1, endPort: 65535}]}]}`, []got{
			{"network.egress-to-any-address", medium, "", "spec.egress[0].to[0]"},
			{"network.egress-to-metadata", high, "", "spec.egress[0].to[0]"},
		}},
		{"a named port never reaches an address outside", `{podSelector: {}, policyTypes: [Egress], egress: [{ports: [{port: http}]}]}`, nil},
		{"pods only", `{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: {}}]}]}`, nil},
		{"egress rules under policyTypes: [Ingress] are inert", `{podSelector: {}, policyTypes: [Ingress], egress: [{}]}`, nil},
		{"egress rules default policyTypes to both", `{podSelector: {}, egress: [{}], ingress: [{}]}`, []got{
			{"network.egress-to-any-address", medium, "", "spec.egress[0]"},
			{"network.egress-to-metadata", high, "", "spec.egress[0]"},
			{"network.ingress-from-all-namespaces", medium, "", "spec.ingress[0]"},
		}},
		{"ingress rules without Ingress are inert", `{podSelector: {}, policyTypes: [Egress], ingress: [{}]}`, nil},
		{"no from, on a port: clients it cannot name", `{podSelector: {}, ingress: [{ports: [{port: 8443}]}]}`, nil},
		{"every namespace", `{podSelector: {}, ingress: [{from: [{namespaceSelector: {}}]}]}`, []got{
			{"network.ingress-from-all-namespaces", medium, "", "spec.ingress[0].from[0]"},
		}},
		{"every pod of every namespace", `{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {}}]}]}`, []got{
			{"network.ingress-from-all-namespaces", medium, "", "spec.ingress[0].from[0]"},
		}},
		{"every namespace, on a port", `{podSelector: {}, ingress: [{from: [{podSelector: {}}, {namespaceSelector: {}}], ports: [{port: 9090}]}]}`, []got{
			{"network.ingress-from-all-namespaces", low, "", "spec.ingress[0].from[1]"},
		}},
		{"some pods of every namespace (AND)", `{podSelector: {}, ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: prometheus}}}]}]}`, nil},
		{"the own namespace", `{podSelector: {}, ingress: [{from: [{podSelector: {}}]}]}`, nil},
		{"an address range", `{podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}]}]}`, nil},
		{"rejected", `{podSelector: {matchExpressions: [{key: app, operator: Exists, values: [web]}]}, ingress: [{from: [{}]}]}`, []got{
			{"network.policy-rejected", medium, "", "spec.podSelector.matchExpressions[0].values"},
			{"network.policy-rejected", medium, "", "spec.ingress[0].from[0]"},
		}},
	}
	checks := hardening.Checks{network.EgressToAnyAddress, network.EgressToMetadata, network.IngressFromAllNamespaces, network.PolicyRejected}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			np := &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "prod"}}
			if err := yaml.UnmarshalStrict([]byte(tt.spec), &np.Spec); err != nil {
				t.Fatal(err)
			}
			s := hardening.NewObjectSubject(&hardening.ClusterObject{Kind: hardening.KindNetworkPolicy, Namespace: "prod", Name: "p", Object: np})
			fs := checktest.Each(checks, s)
			for _, f := range fs {
				if f.Message == "" {
					t.Errorf("%s: no message", f.Check)
				}
			}
			if diff := cmp.Diff(tt.want, checktest.Summarize[got](fs)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestServiceChecks pins the Service checks on one Service each.
func TestServiceChecks(t *testing.T) {
	type row struct{ Check, Path, Message string }
	no := false
	tests := []struct {
		name string
		svc  corev1.ServiceSpec
		ann  map[string]string
		want []row
	}{
		{"ClusterIP", corev1.ServiceSpec{Selector: map[string]string{"app": "web"}}, nil, nil},
		{"NodePort", corev1.ServiceSpec{Type: corev1.ServiceTypeNodePort, Selector: map[string]string{"app": "web", "tier": "front"},
			Ports: []corev1.ServicePort{{Port: 80, NodePort: 30080}, {Port: 53, Protocol: corev1.ProtocolUDP}}}, nil, []row{
			{"network.service-exposed", "spec.type", "type NodePort opens 80/TCP (node port 30080), 53/UDP (node port assigned from 30000-32767) on every node's addresses, to the pods labelled app=web, tier=front"},
		}},
		{"LoadBalancer without node ports, internal", corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, AllocateLoadBalancerNodePorts: &no,
			Ports: []corev1.ServicePort{{Port: 443, TargetPort: intstr.FromInt32(8443)}}},
			map[string]string{"networking.gke.io/load-balancer-type": "Internal"}, []row{
				{"network.service-exposed", "spec.type", `type LoadBalancer exposes 443/TCP through a cloud load balancer; annotation networking.gke.io/load-balancer-type="Internal" may make the load balancer internal to the cloud network; it has no selector (its endpoints are managed elsewhere)`},
			}},
		{"externalIPs", corev1.ServiceSpec{ExternalIPs: []string{"10.0.0.53", "1.1.1.1"}, Ports: []corev1.ServicePort{{Port: 53, Protocol: corev1.ProtocolUDP}}}, nil, []row{
			{"network.service-external-ips", "spec.externalIPs[0]", `kube-proxy on every node captures traffic to "10.0.0.53" on 53/UDP for this Service, whoever owns the address (CVE-2020-8554)`},
			{"network.service-external-ips", "spec.externalIPs[1]", `kube-proxy on every node captures traffic to "1.1.1.1" on 53/UDP for this Service, whoever owns the address (CVE-2020-8554)`},
		}},
		{"ExternalName", corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: "db.example", ExternalIPs: []string{"1.1.1.1"}}, nil, nil},
	}
	checks := hardening.Checks{network.ServiceExposed, network.ServiceExternalIPs}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "s", Namespace: "prod", Annotations: tt.ann}, Spec: tt.svc}
			s := hardening.NewObjectSubject(&hardening.ClusterObject{Kind: hardening.KindService, Namespace: "prod", Name: "s", Object: svc})
			var g []row
			for _, f := range checktest.Each(checks, s) {
				g = append(g, row{f.Check, f.Path, f.Message})
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
