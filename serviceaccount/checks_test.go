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

// account returns a ServiceAccount among the objects of sa.yaml.
func account(namespace, name string, automount *bool) hardening.ClusterObject {
	return hardening.ClusterObject{
		APIVersion: "v1", Kind: hardening.KindServiceAccount, Namespace: namespace, Name: name, Source: "sa.yaml",
		Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}, AutomountServiceAccountToken: automount},
	}
}

// row is what the tables compare of a finding.
type row struct{ Check, Path, Message string }

func rows(fs []hardening.Finding) []row {
	var out []row
	for _, f := range fs {
		out = append(out, row{f.Check, f.Path, f.Message})
	}
	return out
}

const (
	defaultToken = "serviceaccount.default-token-mounted"
	anyToken     = "serviceaccount.token-mounted"
	automount    = "spec.automountServiceAccountToken"
	gets         = ": every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"
)

func TestTokenMounted(t *testing.T) {
	emptyDirAt := func(c *corev1.Container) {
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: "no-token", MountPath: serviceaccount.TokenPath})
	}
	noToken := corev1.Volume{Name: "no-token", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	projected := func(name, audience string) corev1.Volume {
		return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
			Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", Audience: audience}}},
		}}}
	}
	tests := []struct {
		name    string
		tweak   func(p *corev1.Pod)
		objects []hardening.ClusterObject // nil: no Cluster at all
		want    []row
	}{
		{"hardened", func(p *corev1.Pod) {}, nil, nil},
		{"default account, no cluster", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = nil }, nil, []row{{defaultToken, automount,
			"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false" + gets}}},
		{"default account named, pod says true", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = ptr(true)
			p.Spec.ServiceAccountName = "default"
		}, nil, []row{{defaultToken, automount,
			`the pod runs as the default service account (serviceAccountName: "default") and sets automountServiceAccountToken: true` + gets}}},
		{"default account through the deprecated field", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.DeprecatedServiceAccount = "default"
		}, nil, []row{{defaultToken, automount,
			`the pod runs as the default service account (serviceAccount: "default") and does not set automountServiceAccountToken: false` + gets}}},
		{"default account not among the objects", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = nil },
			[]hardening.ClusterObject{account("prod", "web", nil)}, []row{{defaultToken, automount,
				"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false, " +
					"and no ServiceAccount/prod/default is among the audited objects (the one Kubernetes creates in every namespace mounts tokens unless changed)" + gets}}},
		// kubeaudit's service-account-token-nil-and-no-name-and-default-sa:
		// the default account, written without a namespace, opts out.
		{"default account opts out, no namespace written", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = nil },
			[]hardening.ClusterObject{account("", "default", ptr(false))}, nil},
		{"default account of another namespace does not count", func(p *corev1.Pod) { p.Spec.AutomountServiceAccountToken = nil },
			[]hardening.ClusterObject{account("dev", "default", ptr(false))}, []row{{defaultToken, automount,
				"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false, " +
					"and no ServiceAccount/prod/default is among the audited objects (the one Kubernetes creates in every namespace mounts tokens unless changed)" + gets}}},
		{"own account, no cluster", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, nil, []row{{anyToken, automount,
			`the pod runs as service account "web" and does not set automountServiceAccountToken: false, and whether ServiceAccount/prod/web does is not known: ` +
				"unless it does, every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"}}},
		{"own account opts out", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, []hardening.ClusterObject{account("prod", "web", ptr(false))}, nil},
		{"own account opts in", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, []hardening.ClusterObject{account("prod", "web", ptr(true))}, []row{{anyToken, automount,
			`the pod runs as service account "web" and does not set automountServiceAccountToken, and ServiceAccount/prod/web sets it to true` + gets}}},
		{"own account without a namespace opts in", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, []hardening.ClusterObject{account("", "web", ptr(true))}, []row{{anyToken, automount,
			`the pod runs as service account "web" and does not set automountServiceAccountToken, and ServiceAccount/prod/web ` +
				`(which names no namespace and is taken to be in "prod") sets it to true` + gets}}},
		{"own account says nothing", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.DeprecatedServiceAccount = "web"
		}, []hardening.ClusterObject{account("prod", "web", nil)}, []row{{anyToken, automount,
			`the pod runs as service account "web" (named by the deprecated serviceAccount field) and neither it nor ServiceAccount/prod/web, ` +
				"among the audited objects, sets automountServiceAccountToken: false" + gets}}},
		{"own account not among the objects", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName = "web"
		}, []hardening.ClusterObject{account("prod", "api", ptr(false))}, []row{{anyToken, automount,
			`the pod runs as service account "web" and does not set automountServiceAccountToken: false, and ServiceAccount/prod/web is not among ` +
				"the audited objects: unless it sets automountServiceAccountToken: false, every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"}}},
		{"the pod's true wins over the account's false", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = ptr(true)
			p.Spec.ServiceAccountName = "web"
		}, []hardening.ClusterObject{account("prod", "web", ptr(false))}, []row{{anyToken, automount,
			`the pod runs as service account "web" and sets automountServiceAccountToken: true, which wins over the false of ServiceAccount/prod/web` + gets}}},
		{"the pod's false wins over the account's true", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "web" },
			[]hardening.ClusterObject{account("prod", "web", ptr(true))}, nil},
		{"every container mounts its own volume at the path", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
			emptyDirAt(&p.Spec.InitContainers[0])
			emptyDirAt(&p.Spec.Containers[0])
			p.Spec.Volumes = []corev1.Volume{noToken}
		}, nil, nil},
		{"the init container does not", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "sidecar"})
			emptyDirAt(&p.Spec.Containers[0])
			emptyDirAt(&p.Spec.Containers[1])
			p.Spec.Volumes = []corev1.Volume{noToken}
		}, nil, []row{{defaultToken, automount,
			"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false: " +
				`container "init" gets an API token at /var/run/secrets/kubernetes.io/serviceaccount`}}},
		{"a kube-api-access volume of the manifest is what the plugin mounts", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.Volumes = []corev1.Volume{{Name: "kube-api-access-shadow", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}
		}, nil, nil},
		{"an admitted pod read back: the token is in the manifest", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.ServiceAccountName, p.Spec.DeprecatedServiceAccount = "default", "default"
			p.Spec.Volumes = []corev1.Volume{projected("kube-api-access-x7k2p", "")}
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "data", MountPath: "/data"}, {Name: "kube-api-access-x7k2p", MountPath: serviceaccount.TokenPath, ReadOnly: true}}
		}, nil, []row{{defaultToken, "spec.containers[0].volumeMounts[1]",
			`the pod runs as the default service account (serviceAccountName: "default") and every container gets its API token at ` +
				"/var/run/secrets/kubernetes.io/serviceaccount from a volume of the manifest that projects it"}}},
		{"a token for another audience is no API token", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.Volumes = []corev1.Volume{projected("vault-token", "vault")}
			p.Spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "vault-token", MountPath: serviceaccount.TokenPath}}
		}, nil, nil},
		{"a mirror pod is left alone", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Annotations = map[string]string{"kubernetes.io/config.mirror": "0f1e2d"}
		}, nil, nil},
		{"ephemeral containers never get it", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			emptyDirAt(&p.Spec.Containers[0])
			p.Spec.Volumes = []corev1.Volume{noToken}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
		}, nil, nil},
		{"windows pods get tokens too", func(p *corev1.Pod) {
			p.Spec.AutomountServiceAccountToken = nil
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
		}, nil, []row{{defaultToken, automount,
			"the pod runs as the default service account (sets no serviceAccountName) and does not set automountServiceAccountToken: false" + gets}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			s := hardening.NewPodSubject(pod)
			if tt.objects != nil {
				s.Cluster = hardening.NewCluster(tt.objects)
			}
			got := checktest.Each(hardening.Checks{serviceaccount.DefaultTokenMounted, serviceaccount.TokenMounted}, s)
			if diff := cmp.Diff(tt.want, rows(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			// Whatever the message, the decision is PodToken's.
			token := serviceaccount.PodToken(s)
			if token.Mounted() != (len(got) > 0) {
				t.Errorf("PodToken(…).Mounted() = %v with findings %v", token.Mounted(), got)
			}
		})
	}
}

// A tool that resolves RBAC plugs it in under the same IDs; the findings
// say what it knows, and it is asked only about pods that are reported.
func TestGrants(t *testing.T) {
	var asked []string
	grants := func(namespace, name string) (string, bool) {
		asked = append(asked, namespace+"/"+name)
		if name == "web" {
			return "get, list and watch on secrets in prod (RoleBinding prod/read-secrets)", true
		}
		return "", false
	}
	checks := hardening.Checks{serviceaccount.NewDefaultTokenMounted(grants), serviceaccount.NewTokenMounted(grants)}
	for i, want := range []*hardening.Check{serviceaccount.DefaultTokenMounted, serviceaccount.TokenMounted} {
		if checks[i].ID != want.ID {
			t.Errorf("constructed check %s keeps no catalog ID (%s)", checks[i].ID, want.ID)
		}
	}
	var got []row
	for _, name := range []string{"web", "default", "quiet"} {
		pod := hardenedPod()
		pod.Spec.AutomountServiceAccountToken = ptr(name != "quiet")
		pod.Spec.ServiceAccountName = name
		got = append(got, rows(checktest.Each(checks, hardening.NewPodSubject(pod)))...)
	}
	want := []row{
		{anyToken, automount, `the pod runs as service account "web" and sets automountServiceAccountToken: true` + gets +
			"; RBAC grants ServiceAccount/prod/web: get, list and watch on secrets in prod (RoleBinding prod/read-secrets)"},
		{defaultToken, automount, `the pod runs as the default service account (serviceAccountName: "default") and sets automountServiceAccountToken: true` + gets +
			"; what RBAC grants ServiceAccount/prod/default is not known from the audited objects"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"prod/web", "prod/default"}, asked); diff != "" {
		t.Errorf("grants asked about (-want +got):\n%s", diff)
	}
}

func TestAccountNotFound(t *testing.T) {
	const check = "serviceaccount.account-not-found"
	inFile := func(o hardening.ClusterObject, source string) hardening.ClusterObject {
		o.Source = source
		return o
	}
	tests := []struct {
		name    string
		tweak   func(p *corev1.Pod)
		objects []hardening.ClusterObject // nil: no Cluster at all
		want    []row
	}{
		{"declared", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "web" },
			[]hardening.ClusterObject{account("prod", "web", nil), account("prod", "api", nil)}, nil},
		{"misspelt", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "wbe" },
			[]hardening.ClusterObject{account("prod", "web", nil), account("prod", "api", nil)}, []row{{check, "spec.serviceAccountName",
				`serviceAccountName: "wbe": no ServiceAccount/prod/wbe among the audited objects, though sa.yaml declares ServiceAccounts of namespace "prod" ` +
					`("web" and "api"): the API server rejects the pod unless the account exists when the pod is created`}}},
		{"through the deprecated field, among many", func(p *corev1.Pod) { p.Spec.DeprecatedServiceAccount = "wbe" },
			[]hardening.ClusterObject{account("prod", "a", nil), account("prod", "b", nil), account("prod", "c", nil), account("prod", "d", nil)},
			[]row{{check, "spec.serviceAccount",
				`serviceAccount: "wbe": no ServiceAccount/prod/wbe among the audited objects, though sa.yaml declares ServiceAccounts of namespace "prod" ` +
					`("a", "b", "c", …): the API server rejects the pod unless the account exists when the pod is created`}}},
		{"accounts that name no namespace stand for the pod's", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "wbe" },
			[]hardening.ClusterObject{account("", "web", nil)}, []row{{check, "spec.serviceAccountName",
				`serviceAccountName: "wbe": no ServiceAccount/prod/wbe among the audited objects, though sa.yaml declares ServiceAccounts of no namespace ` +
					`("web"): the API server rejects the pod unless the account exists when the pod is created`}}},
		{"declared without a namespace", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "web" },
			[]hardening.ClusterObject{account("", "web", nil), account("prod", "api", nil)}, nil},
		{"the default account always exists", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "default" },
			[]hardening.ClusterObject{account("prod", "web", nil)}, nil},
		{"no account at all names the default", func(p *corev1.Pod) {}, []hardening.ClusterObject{account("prod", "web", nil)}, nil},
		{"another file's accounts vouch for nothing", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "wbe" },
			[]hardening.ClusterObject{inFile(account("prod", "web", nil), "other-chart.yaml")}, nil},
		{"another namespace's accounts vouch for nothing", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "wbe" },
			[]hardening.ClusterObject{account("dev", "web", nil)}, nil},
		{"no cluster: nothing to go by", func(p *corev1.Pod) { p.Spec.ServiceAccountName = "wbe" }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			s := hardening.NewPodSubject(pod)
			s.Source = "sa.yaml"
			if tt.objects != nil {
				s.Cluster = hardening.NewCluster(tt.objects)
			}
			got := checktest.Each(hardening.Checks{serviceaccount.AccountNotFound}, s)
			if diff := cmp.Diff(tt.want, rows(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLegacyTokenSecret(t *testing.T) {
	const check = "serviceaccount.legacy-token-secret"
	secret := func(typ corev1.SecretType, account string) *hardening.ClusterObject {
		s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "ci-token", Namespace: "prod"}, Type: typ}
		if account != "" {
			s.Annotations = map[string]string{corev1.ServiceAccountNameKey: account}
		}
		return &hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindSecret, Namespace: "prod", Name: "ci-token",
			Source: "list.yaml", Path: "items[2]", Object: s}
	}
	tests := []struct {
		name    string
		object  *hardening.ClusterObject
		objects []hardening.ClusterObject // nil: no Cluster at all
		want    []row
	}{
		{"opaque", secret(corev1.SecretTypeOpaque, ""), nil, nil},
		{"a token, no cluster", secret(corev1.SecretTypeServiceAccountToken, "ci"), nil, []row{{check, "items[2].type",
			`Secret/prod/ci-token has type kubernetes.io/service-account-token for ServiceAccount/prod/ci: the token controller fills it with a token ` +
				`that never expires and is bound to no pod, readable by whoever may get Secrets in namespace "prod"`}}},
		{"a token for an account among the objects", secret(corev1.SecretTypeServiceAccountToken, "ci"), []hardening.ClusterObject{account("prod", "ci", nil)},
			[]row{{check, "items[2].type",
				`Secret/prod/ci-token has type kubernetes.io/service-account-token for ServiceAccount/prod/ci (among the audited objects): the token ` +
					`controller fills it with a token that never expires and is bound to no pod, readable by whoever may get Secrets in namespace "prod"`}}},
		{"a token for an account not among them", secret(corev1.SecretTypeServiceAccountToken, "ci"), []hardening.ClusterObject{account("prod", "web", nil)},
			[]row{{check, "items[2].type",
				`Secret/prod/ci-token has type kubernetes.io/service-account-token for ServiceAccount/prod/ci (not among the audited objects; the ` +
					`controller deletes the Secret if the account does not exist): the token controller fills it with a token that never expires and ` +
					`is bound to no pod, readable by whoever may get Secrets in namespace "prod"`}}},
		{"no account named", secret(corev1.SecretTypeServiceAccountToken, ""), nil, []row{{check, "items[2].metadata.annotations",
			"Secret/prod/ci-token has type kubernetes.io/service-account-token but names no account in the kubernetes.io/service-account.name " +
				"annotation: the API server rejects it, and with the annotation the token controller would fill it with a token that never expires"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hardening.NewObjectSubject(tt.object)
			if tt.objects != nil {
				s.Cluster = hardening.NewCluster(tt.objects)
			}
			got := checktest.Each(serviceaccount.Checks(), s)
			if diff := cmp.Diff(tt.want, rows(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, serviceaccount.Checks()) }
