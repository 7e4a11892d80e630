package corpus

import (
	"math/rand/v2"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var contextKinds = []choice{
	{"ServiceAccount", 18}, {"Role", 12}, {"ClusterRole", 8}, {"RoleBinding", 16}, {"ClusterRoleBinding", 6},
	{"NetworkPolicy", 16}, {"Namespace", 6}, {"LimitRange", 6}, {"Service", 12},
}

var apps = []string{"api", "web", "worker", "scheduler", "gateway", "indexer", "auth", "billing", "reports", "cache"}

// rulePool is what Roles and ClusterRoles grant, from narrow to broad.
var rulePool = []rbacv1.PolicyRule{
	{APIGroups: []string{""}, Resources: []string{"pods", "pods/log"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{""}, Resources: []string{"configmaps"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{""}, Resources: []string{"secrets"}, ResourceNames: []string{"app-credentials"}, Verbs: []string{"get"}},
	{APIGroups: []string{"apps"}, Resources: []string{"deployments", "statefulsets"}, Verbs: []string{"get", "list", "watch", "update", "patch"}},
	{APIGroups: []string{""}, Resources: []string{"pods/exec"}, Verbs: []string{"create"}},
	{APIGroups: []string{"batch"}, Resources: []string{"jobs", "cronjobs"}, Verbs: []string{"create", "delete", "get", "list"}},
	{APIGroups: []string{"coordination.k8s.io"}, Resources: []string{"leases"}, Verbs: []string{"get", "create", "update"}},
	{APIGroups: []string{""}, Resources: []string{"events"}, Verbs: []string{"create", "patch"}},
	{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"*"}},
}

var clusterRulePool = append([]rbacv1.PolicyRule{
	{APIGroups: []string{""}, Resources: []string{"nodes", "namespaces"}, Verbs: []string{"get", "list", "watch"}},
	{APIGroups: []string{"metrics.k8s.io"}, Resources: []string{"pods", "nodes"}, Verbs: []string{"get", "list"}},
}, rulePool...)

func rules(r *rand.Rand, pool []rbacv1.PolicyRule) []rbacv1.PolicyRule {
	n := 1 + r.IntN(3)
	out := make([]rbacv1.PolicyRule, 0, n)
	for _, i := range r.Perm(len(pool))[:n] {
		// The wildcard rule is rare: most picks of it fall back to the first.
		if pool[i].Verbs[0] == "*" && r.IntN(4) != 0 {
			i = 0
		}
		out = append(out, *pool[i].DeepCopy())
	}
	return out
}

// contextObjects returns n objects of the kinds that sit next to workloads
// in a real repository of manifests, shaped as such objects usually are.
func (g *generator) contextObjects(n int) []*object {
	r := g.rand("context")
	objs := make([]*object, n)
	for i := range objs {
		ns := namespaces[r.IntN(len(namespaces))]
		app := apps[r.IntN(len(apps))]
		kind := weighted(r, contextKinds)
		name := app + "-" + strconv.Itoa(i)
		labels := map[string]string{"app.kubernetes.io/name": app, "app.kubernetes.io/part-of": ns}
		meta := metav1.ObjectMeta{Name: name, Namespace: ns, Labels: labels}
		var v any
		switch kind {
		case "ServiceAccount":
			o := &corev1.ServiceAccount{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: kind}, ObjectMeta: meta}
			if r.IntN(2) == 0 {
				o.AutomountServiceAccountToken = new(false)
			}
			if r.IntN(3) == 0 {
				o.ImagePullSecrets = []corev1.LocalObjectReference{{Name: "regcred"}}
			}
			v = o
		case "Role":
			v = &rbacv1.Role{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: kind}, ObjectMeta: meta, Rules: rules(r, rulePool)}
		case "ClusterRole":
			meta.Namespace = ""
			if r.IntN(4) == 0 {
				meta.Labels["rbac.authorization.k8s.io/aggregate-to-view"] = "true"
			}
			v = &rbacv1.ClusterRole{TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: kind}, ObjectMeta: meta, Rules: rules(r, clusterRulePool)}
		case "RoleBinding":
			subjects := []rbacv1.Subject{{Kind: "ServiceAccount", Name: app, Namespace: ns}}
			if r.IntN(8) == 0 {
				subjects = append(subjects, rbacv1.Subject{Kind: "Group", APIGroup: "rbac.authorization.k8s.io", Name: "system:authenticated"})
			}
			v = &rbacv1.RoleBinding{
				TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: kind}, ObjectMeta: meta,
				RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: app},
				Subjects: subjects,
			}
		case "ClusterRoleBinding":
			meta.Namespace = ""
			role := []string{"view", "edit", "cluster-admin", app + "-reader"}[r.IntN(4)]
			v = &rbacv1.ClusterRoleBinding{
				TypeMeta: metav1.TypeMeta{APIVersion: "rbac.authorization.k8s.io/v1", Kind: kind}, ObjectMeta: meta,
				RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: role},
				Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: app, Namespace: ns}},
			}
		case "NetworkPolicy":
			v = networkPolicy(r, meta, app)
		case "Namespace":
			meta.Name, meta.Namespace = ns+"-"+strconv.Itoa(i), ""
			level := []string{"privileged", "baseline", "restricted"}[r.IntN(3)]
			meta.Labels = map[string]string{
				"kubernetes.io/metadata.name":        meta.Name,
				"pod-security.kubernetes.io/enforce": level,
				"pod-security.kubernetes.io/warn":    "restricted",
				"team":                               ns,
			}
			v = &corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: kind}, ObjectMeta: meta}
		case "LimitRange":
			v = &corev1.LimitRange{
				TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: kind}, ObjectMeta: meta,
				Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{{
					Type:           corev1.LimitTypeContainer,
					Default:        corev1.ResourceList{"cpu": resource.MustParse("500m"), "memory": resource.MustParse("512Mi")},
					DefaultRequest: corev1.ResourceList{"cpu": resource.MustParse("100m"), "memory": resource.MustParse("128Mi")},
					Max:            corev1.ResourceList{"cpu": resource.MustParse("2"), "memory": resource.MustParse("2Gi")},
				}}},
			}
		case "Service":
			typ := []corev1.ServiceType{corev1.ServiceTypeClusterIP, corev1.ServiceTypeClusterIP, corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer}[r.IntN(5)]
			v = &corev1.Service{
				TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: kind}, ObjectMeta: meta,
				Spec: corev1.ServiceSpec{
					Type:     typ,
					Selector: map[string]string{"app.kubernetes.io/name": app},
					Ports:    []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromInt32(8080), Protocol: corev1.ProtocolTCP}},
				},
			}
		}
		objs[i] = &object{kind: kind, name: name, body: toMap(v)}
	}
	return objs
}

func networkPolicy(r *rand.Rand, meta metav1.ObjectMeta, app string) *networkingv1.NetworkPolicy {
	np := &networkingv1.NetworkPolicy{TypeMeta: metav1.TypeMeta{APIVersion: "networking.k8s.io/v1", Kind: "NetworkPolicy"}, ObjectMeta: meta}
	tcp, udp := corev1.ProtocolTCP, corev1.ProtocolUDP
	if r.IntN(3) == 0 {
		// Default deny: every pod, no rules.
		np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
		return np
	}
	port := intstr.FromInt32(8080)
	dns := intstr.FromInt32(53)
	np.Spec.PodSelector = metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": app}}
	np.Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress}
	np.Spec.Ingress = []networkingv1.NetworkPolicyIngressRule{{
		From: []networkingv1.NetworkPolicyPeer{
			{NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "ingress-nginx"}}},
			{PodSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"tier": "frontend"}}},
		},
		Ports: []networkingv1.NetworkPolicyPort{{Protocol: &tcp, Port: &port}},
	}}
	np.Spec.Egress = []networkingv1.NetworkPolicyEgressRule{{
		To: []networkingv1.NetworkPolicyPeer{{NamespaceSelector: &metav1.LabelSelector{MatchLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}}}},
		Ports: []networkingv1.NetworkPolicyPort{
			{Protocol: &udp, Port: &dns}, {Protocol: &tcp, Port: &dns},
		},
	}}
	return np
}
