package network

// Checks network.pod-not-isolated, network.namespace-without-default-deny
// and network.policy-selects-nothing: whether the NetworkPolicies among the
// audited objects isolate the audited pods. They read the run's Cluster
// (Subject.Cluster); selection is internal/netpol's.
//
// Pod fields:
//
//	metadata.namespace, metadata.labels (of the pod template)
//	spec.hostNetwork
//
// Cluster objects: NetworkPolicy (as in policies.go), Namespace
// (metadata.name, metadata.labels), Service (spec.type, spec.selector,
// spec.externalIPs).
//
// How absence is judged. These checks rest on the absence of a policy, so
// they speak only where the audited objects say something about the
// namespace's policies: the run has a Cluster (a webhook auditing one pod
// has none, and gets no finding), and it holds a NetworkPolicy in any
// namespace (the policies are managed among these files) or the Namespace
// object of the pod's namespace (the files create the namespace, and with
// it its policies, as kubeaudit reads them). A chart audited alone, with
// no policy and no Namespace, is not judged: its policies may live
// elsewhere. Messages say where bulwark looked: "among the audited
// objects". A pod without metadata.namespace is in the unspecified
// namespace (kubectl -n at apply time), shared only with the other objects
// that leave it out; it is judged only when the run holds a policy of the
// unspecified namespace too, since policies of named namespaces say
// nothing about the namespace it will be applied to (which may be one of
// them). Pods on the host's network are outside NetworkPolicy
// (CNI-defined, usually not enforced) and are left to the host-namespace
// checks and network.host-pod-exposed.
//
// pod-not-isolated allows: a valid policy of the pod's namespace that
// selects it, for ingress or egress. Reported at the template's
// metadata.labels (what policies select on): medium, high when a Service
// of type NodePort or LoadBalancer, or with externalIPs, selects the pod
// (it receives traffic from outside the cluster unfiltered). The message
// names the namespace's policies that do not select it, and those that
// would but the API server rejects.
//
// namespace-without-default-deny allows: for each direction, a valid policy
// of the namespace with an empty podSelector ({}: every pod of the
// namespace, today's and tomorrow's) and the direction in its policyTypes
// (a default deny, or a catch-all policy with allow rules; an allow-all
// rule is reported by the rule checks). Judged once per namespace that
// holds audited pods (not on the host's network), at the end of the run;
// reported at the Namespace object's metadata.name when the run holds it,
// otherwise at metadata.namespace of the namespace's first workload (by
// source, then document).
//
// policy-selects-nothing allows: a policy whose podSelector selects an
// audited pod of its namespace. Judged only for namespaces that hold
// audited pods (a directory of policies audited without its workloads is
// not judged), at the end of the run, at spec.podSelector; policies the
// API server rejects are left to policy-rejected.

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// judged reports whether the run's objects say enough about the policies
// of namespace ns to judge their absence: there is a Cluster, and it holds
// a NetworkPolicy or the Namespace object of ns; for the unspecified
// namespace, a NetworkPolicy of the unspecified namespace.
func judged(c *hardening.Cluster, ns string) bool {
	if c == nil {
		return false
	}
	if ns == "" {
		for range c.List(hardening.KindNetworkPolicy, "") {
			return true
		}
		return false
	}
	for range c.List(hardening.KindNetworkPolicy, hardening.AllNamespaces) {
		return true
	}
	return c.Namespace(ns) != nil
}

// podOf returns the pod of s as policies see it, with its namespace's
// labels from c.
func podOf(s *hardening.Subject, c *hardening.Cluster) netpol.Pod {
	p := netpol.Pod{
		Namespace:  netpol.Namespace{Name: s.Pod.Namespace},
		Labels:     s.Pod.Labels,
		Containers: s.Pod.Spec.Containers,
	}
	if ns := c.Namespace(s.Pod.Namespace); ns != nil && s.Pod.Namespace != "" {
		p.Namespace.Labels = ns.Labels
	}
	return p
}

// namespaceName renders a namespace for messages.
func namespaceName(ns string) string {
	if ns == "" {
		return "the unspecified namespace (objects without metadata.namespace)"
	}
	return "namespace " + ns
}

// PodNotIsolated reports pods that no NetworkPolicy among the audited
// objects isolates, for ingress or for egress.
var PodNotIsolated = &hardening.Check{
	ID:       "network.pod-not-isolated",
	Title:    "no NetworkPolicy isolates the pod",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "A pod that no NetworkPolicy selects accepts connections from every pod of the cluster (and from outside " +
		"when a Service exposes it) and connects anywhere: one compromised workload reaches it, and it reaches the " +
		"databases, the control plane's services and the cloud metadata service. Kubernetes isolates a pod only when a " +
		"policy of its own namespace selects it.",
	Remediation: "Add a default-deny policy to the namespace (podSelector: {}, policyTypes: [Ingress, Egress]) and policies " +
		"that allow the traffic the pod needs, or fix the labels a policy meant to select it by.",
	References: []hardening.Reference{refNetworkPolicies, refCISKube532, refNSANetwork, refNCCCross},
	Run:        runPodNotIsolated,
}

func runPodNotIsolated(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.Pod.Spec.HostNetwork || !judged(s.Cluster, s.Pod.Namespace) {
		return out
	}
	c, ns := s.Cluster, s.Pod.Namespace
	pod := podOf(s, c)
	for np := range c.NetworkPolicies(ns) {
		if netpol.Applies(np, &pod) != 0 {
			return out
		}
	}
	// Not isolated: say what the namespace holds.
	var others, rejected []string
	for np := range c.NetworkPolicies(ns) {
		switch {
		case !netpol.Valid(np) && netpol.Selects(np, &pod):
			rejected = append(rejected, strconv.Quote(np.Name)+" would select it, but the API server rejects it")
		case !netpol.Valid(np):
			rejected = append(rejected, strconv.Quote(np.Name)+" is rejected by the API server")
		default:
			others = append(others, strconv.Quote(np.Name))
		}
	}
	msg := "no NetworkPolicy among the audited objects selects this pod (labels " + describeLabels(s.Pod.Labels) + ") in " + namespaceName(ns)
	switch {
	case len(others)+len(rejected) == 0:
		msg += ", which has none"
	case len(others) > 0:
		if len(others) == 1 {
			msg += ": its policy " + others[0] + " selects other pods"
		} else {
			msg += ": its policies " + strings.Join(others, ", ") + " select other pods"
		}
	}
	if len(rejected) > 0 {
		msg += "; " + strings.Join(rejected, "; ") + " (network.policy-rejected)"
	}
	msg += ": it " + openFor(netpol.Both)
	f := hardening.Finding{Path: s.MetaPath("labels"), Message: msg}
	if svcs := exposingServices(c, ns, s.Pod.Labels); len(svcs) > 0 {
		f.Severity = hardening.SeverityHigh
		f.Message += "; " + strings.Join(svcs, ", ") + " exposes it outside the cluster"
	}
	return append(out, f)
}

// NamespaceWithoutDefaultDeny reports, once per namespace with audited
// pods, the directions no catch-all policy isolates.
var NamespaceWithoutDefaultDeny = &hardening.Check{
	ID:       "network.namespace-without-default-deny",
	Title:    "namespace without a default-deny NetworkPolicy",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "A namespace is isolated by default only when a policy selects all its pods (podSelector: {}) for each " +
		"direction. Without it, every pod no other policy selects, including the next one deployed, accepts and opens " +
		"connections freely; without a default deny for egress, a compromised pod exfiltrates data and reaches the cloud " +
		"metadata service even when ingress is locked down.",
	Remediation: "Add a policy with podSelector: {} and policyTypes: [Ingress, Egress] to the namespace, then policies " +
		"that allow what each workload needs (DNS: UDP and TCP 53 to kube-dns).",
	References: []hardening.Reference{refNetworkPolicies, refCISKube532, refNSANetwork, refNCCCross},
	Set: func(c *hardening.Cluster) hardening.SetRun {
		return &defaultDenyRun{cluster: c, namespaces: map[string]*namespaceSeen{}}
	},
}

// namespaceSeen is what a set check remembers of a namespace: how many
// audited pods it holds and where the first of them is.
type namespaceSeen struct {
	pods  int
	first workloadAt
}

// workloadAt locates a workload for a finding about its namespace: meta
// is the path of its metadata.
type workloadAt struct {
	source   string
	document int
	line     int
	meta     string
}

func (w workloadAt) before(v workloadAt) bool {
	return cmp.Or(strings.Compare(w.source, v.source), cmp.Compare(w.document, v.document), strings.Compare(w.meta, v.meta)) < 0
}

type defaultDenyRun struct {
	cluster    *hardening.Cluster
	mu         sync.Mutex
	namespaces map[string]*namespaceSeen
}

func (r *defaultDenyRun) Observe(s *hardening.Subject, _ []hardening.Finding) {
	if s.Pod == nil || s.Pod.Spec.HostNetwork || !judged(r.cluster, s.Pod.Namespace) {
		return
	}
	at := workloadAt{s.Source, s.Document, s.Line, workloadMeta(s)}
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := r.namespaces[s.Pod.Namespace]
	if seen == nil {
		seen = &namespaceSeen{first: at}
		r.namespaces[s.Pod.Namespace] = seen
	} else if at.before(seen.first) {
		seen.first = at
	}
	seen.pods++
}

func (r *defaultDenyRun) Finish(out []hardening.Finding) []hardening.Finding {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := slices.Sorted(maps.Keys(r.namespaces))
	for _, ns := range names {
		var covered netpol.Direction
		for np := range r.cluster.NetworkPolicies(ns) {
			if netpol.IsEmptySelector(&np.Spec.PodSelector) && netpol.Valid(np) {
				covered |= netpol.Types(np)
			}
		}
		missing := netpol.Both &^ covered
		if missing == 0 {
			continue
		}
		seen := r.namespaces[ns]
		msg := namespaceName(ns) + " holds " + plural(seen.pods, "audited pod") + ", and no NetworkPolicy among the audited objects " +
			"denies " + missing.String() + " by default: none selects every pod (podSelector: {}) with " + typesNeeded(missing) +
			" in policyTypes, so a pod no other policy selects " + openFor(missing)
		if obj := r.cluster.Get(hardening.KindNamespace, "", ns); ns != "" && obj != nil {
			out = append(out, hardening.ObjectFinding(obj, "metadata.name", msg))
			continue
		}
		out = append(out, hardening.Finding{
			Subject: hardening.ObjectName(hardening.KindNamespace, "", cmp.Or(ns, "(unspecified)")), Kind: hardening.KindObject,
			Source: seen.first.source, Document: seen.first.document, Line: seen.first.line, Path: seen.first.meta + ".namespace",
			Message: msg + " (the run holds no Namespace object for it: reported at its first workload)",
		})
	}
	return out
}

// openFor says what a pod that is not isolated for d does.
func openFor(d netpol.Direction) string {
	switch d {
	case netpol.Ingress:
		return "accepts connections from anywhere"
	case netpol.Egress:
		return "connects anywhere"
	}
	return "accepts connections from anywhere and connects anywhere"
}

// typesNeeded renders the policyTypes a default deny of d lists.
func typesNeeded(d netpol.Direction) string {
	switch d {
	case netpol.Ingress:
		return "Ingress"
	case netpol.Egress:
		return "Egress"
	}
	return "Ingress and Egress"
}

// workloadMeta returns the path of the metadata of the workload that
// holds the subject's pod (of the Pod itself for a bare Pod): where its
// namespace is named.
func workloadMeta(s *hardening.Subject) string {
	return cmp.Or(s.WorkloadMetaPath, s.MetaPath(""))
}

// PolicySelectsNothing reports NetworkPolicies whose podSelector selects
// no audited pod of their namespace.
var PolicySelectsNothing = &hardening.Check{
	ID:       "network.policy-selects-nothing",
	Title:    "NetworkPolicy selects no audited pod",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "A policy whose podSelector matches no pod isolates nothing and allows nothing: usually a label typo or a " +
		"workload that was renamed, which leaves the pods it was written for open while the policy suggests they are " +
		"protected.",
	Remediation: "Fix spec.podSelector to the labels of the pods the policy is for (kubectl get pods -l …), or delete the " +
		"policy.",
	References: []hardening.Reference{refNetworkPolicies, refNetworkPolicyAPI},
	Set:        newDanglingRun,
}

type danglingRun struct {
	cluster  *hardening.Cluster
	policies []*hardening.ClusterObject // the valid policies, in input order
	byNS     map[string][]int

	mu       sync.Mutex
	selected []bool
	pods     map[string]int // audited pods per namespace
}

func newDanglingRun(c *hardening.Cluster) hardening.SetRun {
	r := &danglingRun{cluster: c, byNS: map[string][]int{}, pods: map[string]int{}}
	for o := range c.List(hardening.KindNetworkPolicy, hardening.AllNamespaces) {
		if np, ok := o.Object.(*networkingv1.NetworkPolicy); ok && netpol.Valid(np) {
			r.byNS[o.Namespace] = append(r.byNS[o.Namespace], len(r.policies))
			r.policies = append(r.policies, o)
		}
	}
	r.selected = make([]bool, len(r.policies))
	return r
}

func (r *danglingRun) Observe(s *hardening.Subject, _ []hardening.Finding) {
	if s.Pod == nil || r.cluster == nil {
		return
	}
	pod := podOf(s, r.cluster)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pods[pod.Namespace.Name]++
	for _, i := range r.byNS[pod.Namespace.Name] {
		if !r.selected[i] && netpol.Selects(r.policies[i].Object.(*networkingv1.NetworkPolicy), &pod) {
			r.selected[i] = true
		}
	}
}

func (r *danglingRun) Finish(out []hardening.Finding) []hardening.Finding {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, o := range r.policies {
		n := r.pods[o.Namespace]
		if r.selected[i] || n == 0 {
			continue
		}
		np := o.Object.(*networkingv1.NetworkPolicy)
		out = append(out, hardening.ObjectFinding(o, "spec.podSelector",
			"podSelector "+describeSelector(&np.Spec.PodSelector)+" selects none of the "+plural(n, "audited pod")+" of "+
				namespaceName(o.Namespace)+": the policy isolates nothing and allows nothing"))
	}
	return out
}

// describeLabels renders labels sorted by key: "app=web, tier=front", or
// "none".
func describeLabels(labels map[string]string) string {
	if len(labels) == 0 {
		return "none"
	}
	keys := slices.Sorted(maps.Keys(labels))
	for i, k := range keys {
		keys[i] = k + "=" + labels[k]
	}
	return strings.Join(keys, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// exposingServices returns the Services of namespace ns that select a pod
// with labels and expose it outside the cluster (type NodePort or
// LoadBalancer, or externalIPs), rendered "Service/ns/name (LoadBalancer)".
func exposingServices(c *hardening.Cluster, ns string, labels map[string]string) []string {
	var out []string
	for o := range c.List(hardening.KindService, ns) {
		svc, ok := o.Object.(*corev1.Service)
		if !ok || !exposed(svc) || !selectsPod(svc, labels) {
			continue
		}
		out = append(out, hardening.ObjectName(hardening.KindService, o.Namespace, o.Name)+" ("+exposure(svc)+")")
	}
	return out
}

// selectsPod reports whether a Service's selector selects a pod with
// labels: every pair of a non-empty selector is among them (a Service
// without a selector has its endpoints managed elsewhere).
func selectsPod(svc *corev1.Service, labels map[string]string) bool {
	if len(svc.Spec.Selector) == 0 || svc.Spec.Type == corev1.ServiceTypeExternalName {
		return false
	}
	for k, v := range svc.Spec.Selector {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

// exposed reports whether a Service is reachable from outside the
// cluster: type NodePort or LoadBalancer, or externalIPs.
func exposed(svc *corev1.Service) bool {
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer:
		return true
	}
	return len(svc.Spec.ExternalIPs) > 0 && svc.Spec.Type != corev1.ServiceTypeExternalName
}

// exposure names how a Service is exposed: "LoadBalancer", "NodePort",
// "externalIPs".
func exposure(svc *corev1.Service) string {
	switch svc.Spec.Type {
	case corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer:
		return string(svc.Spec.Type)
	}
	return "externalIPs"
}
