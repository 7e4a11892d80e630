package serviceaccount_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/serviceaccount"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func ptr[T any](v T) *T { return &v }

// hardenedPod passes every check of this package.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec: corev1.PodSpec{
			AutomountServiceAccountToken: ptr(false),
			Containers:                   []corev1.Container{{Name: "app", Image: "registry.example/app:1.2"}},
		},
	}
}

func TestDefaultTokenMounted(t *testing.T) {
	const path = "spec.automountServiceAccountToken"
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  string // the message, empty for no finding
	}{
		{"hardened", func(p *corev1.Pod) {}, ""},
		{"unset", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = nil },
			"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false: every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"},
		{"explicit true with default named", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = ptr(true)
			p.Spec.ServiceAccountName = "default"
		}, `the pod runs as the default service account (serviceAccountName: "default") and sets automountServiceAccountToken: true: every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount`},
		{"deprecated serviceAccount field", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.DeprecatedServiceAccount = "default"
		}, `the pod runs as the default service account (serviceAccount: "default") and does not set automountServiceAccountToken: false: every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount`},
		{"own service account", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, ""},
		{"own service account through the deprecated field", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = ptr(true)
			p.Spec.DeprecatedServiceAccount = "web"
		}, ""},
		{"windows pods get tokens too", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
		}, "the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false: every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			got := checktest.Each(serviceaccount.Checks(), hardening.NewPodSubject(pod))
			var want []hardening.Finding
			if tt.want != "" {
				c := serviceaccount.DefaultTokenMounted
				want = []hardening.Finding{{
					Check: c.ID, Severity: c.Severity, Class: c.Class, Subject: "Pod/prod/web", Kind: hardening.KindPod,
					Path: path, Message: tt.want, Remediation: c.Remediation, References: c.References,
				}}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, serviceaccount.Checks()) }
