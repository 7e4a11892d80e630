package images_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func configMapSubject(data map[string]string, binary map[string][]byte) *hardening.Subject {
	cm := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "app", Namespace: "prod"}, Data: data, BinaryData: binary}
	return hardening.NewObjectSubject(&hardening.ClusterObject{
		APIVersion: "v1", Kind: "ConfigMap", Namespace: "prod", Name: "app", Source: "cm.yaml", Path: "items[2]", Object: cm,
	})
}

func TestSecretInConfigMap(t *testing.T) {
	type row struct {
		Severity hardening.Severity
		Path     string
		Message  string
	}
	tests := []struct {
		name   string
		data   map[string]string
		binary map[string][]byte
		want   []row
	}{
		{"harmless", map[string]string{"LOG_LEVEL": "debug", "nginx.conf": "server {\n  listen 8080;\n}\n", "TOKEN_TTL": "3600"}, nil, nil},
		{"empty", nil, nil, nil},
		{"material and names, sorted by key", map[string]string{
			"z.key":       fakePKCS8,
			"DB_PASSWORD": "hunter2",
			"a.yaml":      "db:\n  url: postgres://app:hunter2@db/app\n",
			"GH":          fakeGHP,
		}, nil, []row{
			{medium, "items[2].data[DB_PASSWORD]", `key "DB_PASSWORD" holds a literal value of 7 characters (not shown); its name says it is a secret`},
			{high, "items[2].data[GH]", `key "GH" holds a GitHub personal access token (ghp_…, 40 characters, not shown)`},
			{medium, "items[2].data[a.yaml]", `key "a.yaml" holds a file with a URL with an embedded password (41 characters, not shown)`},
			{high, "items[2].data[z.key]", `key "z.key" holds a PEM private key (-----BEGIN PRIVATE KEY-----…, 183 characters, not shown)`},
		}},
		{"a one-line URL with a password", map[string]string{"DATABASE_URL": "postgres://app:hunter2@db/app"}, nil, []row{
			{medium, "items[2].data[DATABASE_URL]", `key "DATABASE_URL" holds a URL with an embedded password (29 characters, not shown)`},
		}},
		{"binary data", nil, map[string][]byte{"b.bin": {0, 1, 2}, "a.pem": []byte(fakeOpenSSHEncrypted)}, []row{
			{medium, "items[2].binaryData[a.pem]", `binary key "a.pem" holds an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----…, 211 characters, not shown; encrypted)`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []row
			checks := hardening.Checks{images.SecretInConfigMap}
			for _, f := range checks.Check(configMapSubject(tt.data, tt.binary), nil) {
				got = append(got, row{f.Severity, f.Path, f.Message})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecretInConfigMapReadsOnlyConfigMaps(t *testing.T) {
	ns := hardening.NewObjectSubject(&hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindNamespace, Name: "prod",
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "prod", Annotations: map[string]string{"key": fakeGHP}}}})
	for _, s := range []*hardening.Subject{ns, {Name: "empty", Kind: hardening.KindObject}, configMapSubject(nil, nil)} {
		if f := images.SecretInConfigMap.Run(s, nil); len(f) != 0 {
			t.Errorf("%s: %v", s.Name, f)
		}
	}
}

func TestPassingConfigMapCostsNothing(t *testing.T) {
	s := configMapSubject(map[string]string{"LOG_LEVEL": "debug", "app.yaml": "listen: 8080\nworkers: 4\n"}, map[string][]byte{"logo.png": {0x89, 'P', 'N', 'G'}})
	checks := images.Checks()
	out := make([]hardening.Finding, 0, 4)
	if out = checks.Check(s, out); len(out) != 0 {
		t.Fatalf("must pass: %v", out)
	}
	if n := testing.AllocsPerRun(100, func() { out = checks.Check(s, out[:0]) }); n != 0 {
		t.Errorf("a passing ConfigMap costs %v allocations", n)
	}
}
