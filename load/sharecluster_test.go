package load_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

const shared = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: prod}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: prod}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata:
  name: web-token
  namespace: prod
  annotations:
    kubernetes.io/service-account.name: web
    bulwark.dev/ignore-serviceaccount.legacy-token-secret: "CI needs it until the migration"
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"token":"c2VjcmV0"}}'
type: kubernetes.io/service-account-token
data: {token: c2VjcmV0}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: prod}
spec:
  serviceAccountName: web
  containers: [{name: app, image: app:1}]
`

// A buffer read in one phase gets the Cluster of its own context objects:
// ConfigMaps are object subjects but not context, and a Secret keeps only
// the annotations that say whose token it is and what it suppresses.
func TestShareCluster(t *testing.T) {
	r := load.Bytes(load.Options{}, "shared.yaml", []byte(shared))
	if len(r.Errors) > 0 || len(r.Subjects) != 4 {
		t.Fatalf("subjects %d, errors %v", len(r.Subjects), r.Errors)
	}
	c := load.ShareCluster(r)
	var kinds []string
	for _, o := range c.Objects() {
		kinds = append(kinds, o.Kind+"/"+o.Name)
	}
	if diff := cmp.Diff([]string{"ServiceAccount/web", "Secret/web-token"}, kinds); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	for _, s := range r.Subjects {
		if s.Cluster != c {
			t.Errorf("%s does not share the cluster", s.Name)
		}
	}
	if sa := c.ServiceAccount("prod", "web"); sa == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("service account: %+v", sa)
	}
	secret := c.Get(hardening.KindSecret, "prod", "web-token").Object.(*corev1.Secret)
	want := map[string]string{
		"kubernetes.io/service-account.name":                    "web",
		"bulwark.dev/ignore-serviceaccount.legacy-token-secret": "CI needs it until the migration",
	}
	if diff := cmp.Diff(want, secret.Annotations); diff != "" || secret.Data != nil {
		t.Errorf("kept annotations (-want +got):\n%s\ndata %v", diff, secret.Data)
	}
}
