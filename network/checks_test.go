package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// hardenedPod passes every check of this package.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "registry.example/app:1.2"}}},
	}
}

type got struct{ Path, Message string }

func TestHostAliases(t *testing.T) {
	tests := []struct {
		name    string
		aliases []corev1.HostAlias
		want    []got
	}{
		{"none", nil, nil},
		{"two aliases", []corev1.HostAlias{
			{IP: "10.0.0.5", Hostnames: []string{"db.example", "db"}},
			{IP: "fd00::1", Hostnames: []string{"idp.example"}},
		}, []got{
			{"spec.hostAliases[0]", `the pod resolves "db.example", "db" to "10.0.0.5" through /etc/hosts, bypassing DNS`},
			{"spec.hostAliases[1]", `the pod resolves "idp.example" to "fd00::1" through /etc/hosts, bypassing DNS`},
		}},
		{"alias without names", []corev1.HostAlias{{IP: "10.0.0.5"}}, []got{
			{"spec.hostAliases[0]", `the pod resolves no host names to "10.0.0.5" through /etc/hosts, bypassing DNS`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			pod.Spec.HostAliases = tt.aliases
			var g []got
			for _, f := range checktest.Each(network.Checks(), hardening.NewPodSubject(pod)) {
				if f.Check != network.HostAliases.ID || f.Severity != hardening.SeverityLow || f.Container != "" {
					t.Errorf("unexpected finding %+v", f)
				}
				g = append(g, got{f.Path, f.Message})
			}
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, network.Checks()) }
