package rbac_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/rbac"
)

func ptr[T any](v T) *T { return &v }

// TestWorkloadReachMessages pins what the message says a grant yields and
// what it assumes: the node only where nothing forbids privileged pods,
// cluster admin in kube-system, unknown roles never as nothing.
func TestWorkloadReachMessages(t *testing.T) {
	deployer := clusterRole("deployer", rule("create", "apps", "deployments"))
	ns := func(name, level string) hardening.ClusterObject {
		n := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}
		if level != "" {
			n.Labels = map[string]string{"pod-security.kubernetes.io/enforce": level}
		}
		return hardening.ClusterObject{Kind: hardening.KindNamespace, Name: name, Object: n}
	}
	account := func(namespace string, automount *bool) hardening.ClusterObject {
		return hardening.ClusterObject{Kind: hardening.KindServiceAccount, Namespace: namespace, Name: "app",
			Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: namespace}, AutomountServiceAccountToken: automount}}
	}
	tests := []struct {
		name      string
		namespace string
		objects   []any
		extra     []hardening.ClusterObject
		automount *bool
		severity  hardening.Severity
		says      []string // the message contains each
	}{
		{"no label: the node is an assumption", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, nil, nil,
			hardening.SeverityHigh, []string{
				"every service-account token and Secret of namespace shop (a new pod mounts them, whatever the Pod Security level)",
				"the node too, assuming nothing forbids privileged pods there: no pod-security.kubernetes.io/enforce label on namespace shop among the audited objects",
				"other admission controllers may refuse them",
				"[via RoleBinding shop/b (ServiceAccount shop/app) → ClusterRole deployer rules[0]]",
				"the pod does not set automountServiceAccountToken and the ServiceAccount is not among the audited objects",
			}},
		{"restricted: not the node", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, []hardening.ClusterObject{ns("shop", "restricted")}, nil,
			hardening.SeverityHigh, []string{"not the node: namespace shop enforces Pod Security level restricted"}},
		{"privileged: the node", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, []hardening.ClusterObject{ns("shop", "privileged"), account("shop", ptr(true))}, nil,
			hardening.SeverityHigh, []string{"the node too: namespace shop enforces Pod Security level privileged", "the ServiceAccount sets automountServiceAccountToken: true"}},
		{"kube-system: cluster admin", "kube-system",
			[]any{deployer, rb("kube-system", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, nil, nil,
			hardening.SeverityCritical, []string{"in effect cluster admin (kube-system holds the controllers' service accounts)"}},
		{"cluster-wide: cluster admin", "shop",
			[]any{deployer, crb("b", "deployer", group("system:serviceaccounts:shop"))}, nil, ptr(true),
			hardening.SeverityCritical, []string{"in effect cluster admin", "every service-account token and Secret of every namespace", "(Group system:serviceaccounts:shop)"}},
		{"an unknown role is unknown, not nothing", "shop",
			[]any{rb("shop", "b", rbac.KindClusterRole, "somewhere-else", sa("", "app"))}, nil, nil,
			hardening.SeverityLow, []string{"unknown permissions through RoleBinding shop/b (ClusterRole somewhere-else is neither among the audited objects nor a built-in role"}},
		{"the account says no token", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, []hardening.ClusterObject{account("shop", ptr(false))}, nil,
			0, nil},
		{"the account, naming no namespace, says no token", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, []hardening.ClusterObject{account("", ptr(false))}, nil,
			0, nil},
		{"the pod says no token", "shop",
			[]any{deployer, rb("shop", "b", rbac.KindClusterRole, "deployer", sa("", "app"))}, nil, ptr(false),
			0, nil},
		{"nothing dangerous", "shop",
			[]any{clusterRole("reader", rule("get list", "-", "pods")), rb("shop", "b", rbac.KindClusterRole, "reader", sa("", "app"))}, nil, nil,
			0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs := cluster(tt.objects...).Objects()
			c := hardening.NewCluster(append(objs, tt.extra...))
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: tt.namespace},
				Spec: corev1.PodSpec{ServiceAccountName: "app", AutomountServiceAccountToken: tt.automount, Containers: []corev1.Container{{Name: "c", Image: "i"}}}}
			s := hardening.NewPodSubject(pod)
			s.Cluster = c
			got := rbac.WorkloadReach.Run(s, nil)
			if tt.severity == 0 {
				if len(got) != 0 {
					t.Fatalf("want no finding, got %v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one finding, got %v", got)
			}
			f := got[0]
			if diff := cmp.Diff([]any{"spec.serviceAccountName", tt.severity}, []any{f.Path, f.Severity}); diff != "" {
				t.Errorf("path and severity (-want +got):\n%s", diff)
			}
			for _, want := range tt.says {
				if !strings.Contains(f.Message, want) {
					t.Errorf("message lacks %q:\n%s", want, f.Message)
				}
			}
		})
	}
	// Without a Cluster the check says nothing: it would rest on absence.
	// With one, even empty, the built-in grants count: bootstrap-signer
	// reads Secrets in kube-system.
	s := hardening.NewPodSubject(&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "kube-system"},
		Spec: corev1.PodSpec{ServiceAccountName: "bootstrap-signer", Containers: []corev1.Container{{Name: "c"}}}})
	if got := rbac.WorkloadReach.Run(s, nil); len(got) != 0 {
		t.Errorf("no Cluster: %v", got)
	}
	s.Cluster = hardening.NewCluster(nil)
	if got := rbac.WorkloadReach.Run(s, nil); len(got) != 1 || got[0].Severity != hardening.SeverityCritical {
		t.Errorf("an empty Cluster: %v, want one critical finding through the built-in role", got)
	}
}

func TestPowers(t *testing.T) {
	r := rbac.New(cluster(
		clusterRole("reader", rule("get list", "-", "secrets")),
		clusterRole("getter", rule("get", "-", "secrets")),
		clusterRole("binder", rbacv1.PolicyRule{Verbs: []string{"bind"}, APIGroups: []string{"rbac.authorization.k8s.io"}, Resources: []string{"clusterroles"}}),
		crb("everywhere", "reader", sa("ci", "runner")),
		rb("prod", "prod", rbac.KindClusterRole, "getter", sa("ci", "runner")),
		rb("prod", "bind", rbac.KindClusterRole, "binder", sa("ci", "runner")),
	), rbac.Options{NoBuiltins: true})
	type power struct {
		Permission, Namespace string
		Severity              hardening.Severity
	}
	var got []power
	for _, p := range r.Powers(rbac.ServiceAccount("ci", "runner")) {
		got = append(got, power{p.Permission, p.Namespace, p.Severity})
	}
	// get in prod is covered by list everywhere; bind without create on
	// bindings is no power of its own.
	want := []power{{"list and watch on Secrets", "", hardening.SeverityCritical}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Powers (-want +got):\n%s", diff)
	}
}
