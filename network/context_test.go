package network_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Builders of cluster objects for the tables.

func netpolObject(ns, name string, podSelector metav1.LabelSelector, types ...networkingv1.PolicyType) hardening.ClusterObject {
	np := &networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec:       networkingv1.NetworkPolicySpec{PodSelector: podSelector, PolicyTypes: types},
	}
	return hardening.ClusterObject{APIVersion: "networking.k8s.io/v1", Kind: hardening.KindNetworkPolicy,
		Namespace: ns, Name: name, Source: "policies.yaml", Object: np}
}

func namespaceObject(name string, labels map[string]string) hardening.ClusterObject {
	return hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindNamespace, Name: name, Source: "namespaces.yaml",
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}}
}

func serviceObject(ns, name string, typ corev1.ServiceType, selector map[string]string) hardening.ClusterObject {
	return hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindService, Namespace: ns, Name: name, Source: "services.yaml",
		Object: &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: corev1.ServiceSpec{Type: typ, Selector: selector, Ports: []corev1.ServicePort{{Port: 443}}}}}
}

func serviceAccountObject(ns, name string) hardening.ClusterObject {
	return hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindServiceAccount, Namespace: ns, Name: name,
		Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name}}}
}

func labelSel(kv ...string) metav1.LabelSelector {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return metav1.LabelSelector{MatchLabels: m}
}

// podIn returns a subject for a pod of namespace ns labelled app=<app>,
// seeing cluster (nil for none).
func podIn(ns, app string, cluster *hardening.Cluster) *hardening.Subject {
	pod := hardenedPod()
	pod.Namespace, pod.Name = ns, app
	pod.Labels = map[string]string{"app": app}
	s := hardening.NewPodSubject(pod)
	s.Cluster = cluster
	return s
}

// TestPodNotIsolated pins how absence is judged and what isolates a pod.
func TestPodNotIsolated(t *testing.T) {
	type want struct {
		Severity hardening.Severity
		Path     string
		Message  []string // substrings
	}
	hostNetwork := func(s *hardening.Subject) { s.Pod.Spec.HostNetwork = true }
	tests := []struct {
		name    string
		objects []hardening.ClusterObject // nil: no Cluster at all
		ns, app string
		modify  func(*hardening.Subject)
		want    []want
	}{
		{name: "no Cluster (a webhook auditing one pod): not judged", objects: nil, ns: "prod", app: "web"},
		{name: "a Cluster without policy or the namespace: not judged",
			objects: []hardening.ClusterObject{serviceAccountObject("prod", "web"), namespaceObject("dev", nil)}, ns: "prod", app: "web"},
		{name: "the namespace's object: judged",
			objects: []hardening.ClusterObject{namespaceObject("prod", nil)}, ns: "prod", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", []string{"in namespace prod, which has none"}}}},
		{name: "a policy in another namespace: judged",
			objects: []hardening.ClusterObject{netpolObject("dev", "deny", labelSel())}, ns: "prod", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", []string{"among the audited objects", "which has none"}}}},
		{name: "a policy of another namespace does not isolate",
			objects: []hardening.ClusterObject{netpolObject("dev", "deny", labelSel(), "Ingress", "Egress")}, ns: "prod", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", nil}}},
		{name: "an egress-only policy isolates",
			objects: []hardening.ClusterObject{netpolObject("prod", "out", labelSel("app", "web"), "Egress")}, ns: "prod", app: "web"},
		{name: "an empty selector isolates",
			objects: []hardening.ClusterObject{netpolObject("prod", "deny", labelSel())}, ns: "prod", app: "web"},
		{name: "other labels",
			objects: []hardening.ClusterObject{netpolObject("prod", "db", labelSel("app", "db"))}, ns: "prod", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", []string{`its policy "db" selects other pods`}}}},
		{name: "the unspecified namespace: not judged by policies of named ones",
			objects: []hardening.ClusterObject{netpolObject("default", "deny", labelSel())}, ns: "", app: "web"},
		{name: "the unspecified namespace is its own",
			objects: []hardening.ClusterObject{netpolObject("", "db", labelSel("app", "db")), netpolObject("default", "deny", labelSel())}, ns: "", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", []string{"the unspecified namespace", `its policy "db" selects other pods`}}}},
		{name: "the unspecified namespace's policies",
			objects: []hardening.ClusterObject{netpolObject("", "deny", labelSel())}, ns: "", app: "web"},
		{name: "on the host's network: outside NetworkPolicy",
			objects: []hardening.ClusterObject{namespaceObject("prod", nil)}, ns: "prod", app: "web", modify: hostNetwork},
		{name: "exposed by a LoadBalancer: high",
			objects: []hardening.ClusterObject{namespaceObject("prod", nil), serviceObject("prod", "web", corev1.ServiceTypeLoadBalancer, map[string]string{"app": "web"})},
			ns:      "prod", app: "web",
			want: []want{{hardening.SeverityHigh, "metadata.labels", []string{"Service/prod/web (LoadBalancer) exposes it outside the cluster"}}}},
		{name: "a ClusterIP Service does not raise it",
			objects: []hardening.ClusterObject{namespaceObject("prod", nil), serviceObject("prod", "web", corev1.ServiceTypeClusterIP, map[string]string{"app": "web"})},
			ns:      "prod", app: "web",
			want: []want{{hardening.SeverityMedium, "metadata.labels", nil}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cluster *hardening.Cluster
			if tt.objects != nil {
				cluster = hardening.NewCluster(tt.objects)
			}
			s := podIn(tt.ns, tt.app, cluster)
			if tt.modify != nil {
				tt.modify(s)
			}
			var got []want
			for _, f := range checktest.Each(hardening.Checks{network.PodNotIsolated}, s) {
				// The message is compared by the substrings the table expects.
				w := want{f.Severity, f.Path, nil}
				if len(got) < len(tt.want) {
					for _, sub := range tt.want[len(got)].Message {
						if strings.Contains(f.Message, sub) {
							w.Message = append(w.Message, sub)
						}
					}
				}
				got = append(got, w)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSetChecks runs the set checks through a runner, from many goroutines,
// and pins their findings and order.
func TestSetChecks(t *testing.T) {
	cluster := hardening.NewCluster([]hardening.ClusterObject{
		namespaceObject("prod", nil),
		netpolObject("prod", "deny-ingress", labelSel(), "Ingress"),
		netpolObject("prod", "typo", labelSel("app", "wbe")),
		netpolObject("dev", "deny", labelSel(), "Ingress", "Egress"),
		netpolObject("dev", "ghost", labelSel("app", "ghost")),
		netpolObject("empty", "nobody-home", labelSel("app", "x")),
	})
	r, err := hardening.NewRunner(hardening.Checks{network.NamespaceWithoutDefaultDeny, network.PolicySelectsNothing}, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var subjects []*hardening.Subject
	for i, ns := range []string{"prod", "prod", "dev", "staging", "staging"} {
		s := podIn(ns, "web", cluster)
		s.Source, s.Document = "apps.yaml", 10-i
		subjects = append(subjects, s)
	}
	var wg sync.WaitGroup
	for _, s := range subjects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out := r.Check(s, nil); len(out) != 0 {
				t.Errorf("set checks reported on a subject: %v", out)
			}
		}()
	}
	wg.Wait()
	type row struct {
		Check, Subject, Source string
		Document               int
		Path, Message          string
	}
	var got []row
	for _, f := range r.Finish() {
		got = append(got, row{f.Check, f.Subject, f.Source, f.Document, f.Path, f.Message})
	}
	want := []row{
		{"network.namespace-without-default-deny", "Namespace/prod", "namespaces.yaml", 0, "metadata.name",
			"namespace prod holds 2 audited pods, and no NetworkPolicy among the audited objects denies egress by default: none selects every pod (podSelector: {}) with Egress in policyTypes, so a pod no other policy selects connects anywhere"},
		// staging has no Namespace object: its first workload (document 6
		// before 7).
		{"network.namespace-without-default-deny", "Namespace/staging", "apps.yaml", 6, "metadata.namespace",
			"namespace staging holds 2 audited pods, and no NetworkPolicy among the audited objects denies ingress and egress by default: none selects every pod (podSelector: {}) with Ingress and Egress in policyTypes, so a pod no other policy selects accepts connections from anywhere and connects anywhere (the run holds no Namespace object for it: reported at its first workload)"},
		{"network.policy-selects-nothing", "NetworkPolicy/prod/typo", "policies.yaml", 0, "spec.podSelector",
			"podSelector app=wbe selects none of the 2 audited pods of namespace prod: the policy isolates nothing and allows nothing"},
		{"network.policy-selects-nothing", "NetworkPolicy/dev/ghost", "policies.yaml", 0, "spec.podSelector",
			"podSelector app=ghost selects none of the 1 audited pod of namespace dev: the policy isolates nothing and allows nothing"},
		// empty holds no audited pod: its policy is not judged.
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("set findings (-want +got):\n%s", diff)
	}
	// Without a Cluster the set checks say nothing.
	for _, s := range subjects {
		bare := *s
		bare.Cluster = nil
		r.Check(&bare, nil)
	}
	if out := r.Finish(); len(out) != 0 {
		t.Errorf("without a Cluster: %v", out)
	}
}

// bigCluster returns a Cluster of n objects spread over 50 namespaces, as
// a cluster audit collects them: each namespace with its Namespace, a
// default deny, policies per app, services and service accounts.
func bigCluster(n int) *hardening.Cluster {
	var objects []hardening.ClusterObject
	for i := range 50 {
		ns := fmt.Sprintf("team-%02d", i)
		objects = append(objects, namespaceObject(ns, map[string]string{"team": ns}), netpolObject(ns, "default-deny", labelSel(), "Ingress", "Egress"))
	}
	for i := 0; len(objects) < n; i++ {
		ns, app := fmt.Sprintf("team-%02d", i%50), fmt.Sprintf("app-%d", i)
		switch i / 50 % 4 {
		case 0:
			objects = append(objects, netpolObject(ns, app, labelSel("app", app), "Ingress"))
		case 1:
			objects = append(objects, serviceObject(ns, app, corev1.ServiceTypeClusterIP, map[string]string{"app": app}))
		case 2:
			objects = append(objects, serviceObject(ns, app+"-lb", corev1.ServiceTypeLoadBalancer, map[string]string{"app": app}))
		default:
			objects = append(objects, serviceAccountObject(ns, app))
		}
	}
	return hardening.NewCluster(objects)
}

// TestPassingPodInABigClusterAllocates pins "a passing pod costs no
// allocation" with a 1,000-object Cluster, for the package's checks alone
// and through a runner that also feeds the set checks.
func TestPassingPodInABigClusterAllocates(t *testing.T) {
	cluster := bigCluster(1000)
	if cluster.Len() != 1000 {
		t.Fatalf("cluster of %d objects", cluster.Len())
	}
	s := podIn("team-07", "web", cluster)
	checks := network.Checks()
	if out := checks.Check(s, nil); len(out) != 0 {
		t.Fatalf("the pod no longer passes: %v", out)
	}
	out := make([]hardening.Finding, 0, 8)
	if n := testing.AllocsPerRun(50, func() { out = checks.Check(s, out[:0]) }); n != 0 {
		t.Errorf("checks: %v allocations per passing pod, want 0", n)
	}
	r, err := hardening.NewRunner(checks, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r.Check(s, nil) // the run starts: its set checks are built once
	if n := testing.AllocsPerRun(50, func() { out = r.Check(s, out[:0]) }); n != 0 {
		t.Errorf("runner with set checks: %v allocations per passing pod, want 0", n)
	}
	// team-07's app policies select other apps than web.
	var dangling []string
	for _, f := range r.Finish() {
		dangling = append(dangling, f.Check+" "+f.Subject)
	}
	wantDangling := []string{
		"network.policy-selects-nothing NetworkPolicy/team-07/app-7",
		"network.policy-selects-nothing NetworkPolicy/team-07/app-207",
		"network.policy-selects-nothing NetworkPolicy/team-07/app-407",
		"network.policy-selects-nothing NetworkPolicy/team-07/app-607",
		"network.policy-selects-nothing NetworkPolicy/team-07/app-807",
	}
	if diff := cmp.Diff(wantDangling, dangling); diff != "" {
		t.Errorf("set findings (-want +got):\n%s", diff)
	}
}
