package netpol_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNoAllocations pins the package's promise: evaluating allocates
// nothing, so a check that passes a pod costs no allocation.
func TestNoAllocations(t *testing.T) {
	a, b := modelPod("x", "a"), modelPod("y", "b")
	ps := netpol.Policies{
		policy("x", "deny", everything, ingressRules(), egressRules()),
		policy("x", "web", labels("pod", "a"),
			ingressRules(onPorts(from(podsIn(sel(corev1.LabelMetadataName, "y"), expr("pod", metav1.LabelSelectorOpNotIn, "c")), block("10.0.0.0/8", "10.9.0.0/16")), namedPort("serve-80-tcp"), portRange(8000, 9000))),
			egressRules(onPorts(to(namespaces(all())), port(53, udp)))),
		policy("y", "other", labels("pod", "b"), egressRules(to(pods(sel("pod", "a")), block("0.0.0.0/0", "169.254.169.254/32")))),
	}
	port := netpol.Port{Number: 80}
	byName := sel(corev1.LabelMetadataName, "x")
	for name, f := range map[string]func(){
		"Valid":     func() { netpol.Valid(ps[1]) },
		"Problems":  func() { netpol.Problems(ps[1]) },
		"Isolated":  func() { ps.Isolated(a) },
		"Allowed":   func() { ps.Allowed(netpol.PodPeer(b), netpol.PodPeer(a), port) },
		"Allowed 2": func() { ps.Allowed(netpol.PodPeer(a), netpol.PodPeer(b), port) },
		"Namespace": func() { netpol.MatchesNamespace(byName, &a.Namespace) },
	} {
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("%s: %v allocations, want 0", name, n)
		}
	}
	if !ps.Allowed(netpol.PodPeer(b), netpol.PodPeer(a), port) {
		t.Error("y/b → x/a:80 is allowed by the fixture's policies")
	}
}
