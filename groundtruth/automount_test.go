package groundtruth

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/serviceaccount"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	api "k8s.io/kubernetes/pkg/apis/core"
	saplugin "k8s.io/kubernetes/plugin/pkg/admission/serviceaccount"
)

// accountVariant is what the run's objects and the cluster hold of an
// account: absent, or present with automountServiceAccountToken unset,
// true or false.
type accountVariant struct {
	present   bool
	automount *bool
}

func (v accountVariant) String() string {
	switch {
	case !v.present:
		return "absent"
	case v.automount == nil:
		return "unset"
	}
	return fmt.Sprint(*v.automount)
}

var accountVariants = []accountVariant{{false, nil}, {true, nil}, {true, ptr(true)}, {true, ptr(false)}}

// namespaceCase is one namespace of the grid: what it holds of the
// accounts "web" and "default", and whether the run's manifests write
// them without a namespace (applied with -n, they land in it all the
// same). The cluster always has "default", as its controller creates it
// without the field; the run's objects may not.
type namespaceCase struct {
	name            string
	web, def        accountVariant
	noNamespaceText bool
}

func namespaceCases() []namespaceCase {
	var out []namespaceCase
	for _, web := range accountVariants {
		for _, def := range accountVariants {
			for _, bare := range []bool{false, true} {
				out = append(out, namespaceCase{fmt.Sprintf("ns-%d", len(out)), web, def, bare})
			}
		}
	}
	return out
}

// podCase is one pod of the grid.
type podCase struct {
	name string
	pod  *corev1.Pod
}

func podCases() []podCase {
	shadow := corev1.Volume{Name: "shadow", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}
	token := func(name, audience string) corev1.Volume {
		return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
			{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token", Audience: audience}},
			{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "kube-root-ca.crt"}}},
		}}}}
	}
	at := func(volume string) []corev1.VolumeMount {
		return []corev1.VolumeMount{{Name: volume, MountPath: serviceaccount.TokenPath, ReadOnly: true}}
	}
	layouts := []struct {
		name       string
		init, main []corev1.Container
		volumes    []corev1.Volume
	}{
		{"one container", nil, []corev1.Container{{Name: "app"}}, nil},
		{"init and main", []corev1.Container{{Name: "init"}}, []corev1.Container{{Name: "app"}}, nil},
		{"both shadow the path", []corev1.Container{{Name: "init", VolumeMounts: at("shadow")}},
			[]corev1.Container{{Name: "app", VolumeMounts: at("shadow")}}, []corev1.Volume{shadow}},
		{"main shadows the path", []corev1.Container{{Name: "init"}},
			[]corev1.Container{{Name: "app", VolumeMounts: at("shadow")}}, []corev1.Volume{shadow}},
		{"kube-api-access emptyDir", nil, []corev1.Container{{Name: "app"}},
			[]corev1.Volume{{Name: "kube-api-access-manual", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}}}},
		{"admitted pod read back", nil, []corev1.Container{{Name: "app", VolumeMounts: at("kube-api-access-x7k2p")}},
			[]corev1.Volume{token("kube-api-access-x7k2p", "")}},
		{"token for another audience", nil, []corev1.Container{{Name: "app", VolumeMounts: at("vault")}},
			[]corev1.Volume{token("vault", "vault")}},
		{"one reads back, a sidecar added", nil, []corev1.Container{{Name: "app", VolumeMounts: at("kube-api-access-x7k2p")}, {Name: "sidecar"}},
			[]corev1.Volume{token("kube-api-access-x7k2p", "")}},
	}
	namings := []struct {
		name             string
		account, aliased string
	}{
		{"no account", "", ""},
		{"default named", "default", ""},
		{"web", "web", ""},
		{"web through serviceAccount", "", "web"},
		{"serviceAccountName wins", "web", "default"},
	}
	var out []podCase
	for _, automount := range []*bool{nil, ptr(true), ptr(false)} {
		for _, n := range namings {
			for _, l := range layouts {
				for _, mirror := range []bool{false, true} {
					pod := &corev1.Pod{
						ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", len(out))},
						Spec: corev1.PodSpec{
							AutomountServiceAccountToken: automount,
							ServiceAccountName:           n.account,
							DeprecatedServiceAccount:     n.aliased,
							InitContainers:               l.init,
							Containers:                   l.main,
							Volumes:                      l.volumes,
						},
					}
					if mirror {
						pod.Annotations = map[string]string{api.MirrorPodAnnotationKey: "0f1e2d3c"}
					}
					name := fmt.Sprintf("automount=%v/%s/%s/mirror=%v", automountWords(automount), n.name, l.name, mirror)
					out = append(out, podCase{name, pod})
				}
			}
		}
	}
	return out
}

func automountWords(b *bool) string {
	if b == nil {
		return "unset"
	}
	return fmt.Sprint(*b)
}

// hasAPIToken reports, for each init and regular container of an
// admitted pod, whether it has the API token at the token path: the
// volume mounted there projects a serviceAccountToken without an audience
// of its own.
func hasAPIToken(pod *api.Pod) []bool {
	volumes := map[string]*api.Volume{}
	for i := range pod.Spec.Volumes {
		volumes[pod.Spec.Volumes[i].Name] = &pod.Spec.Volumes[i]
	}
	var out []bool
	for _, cs := range [][]api.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for _, c := range cs {
			token := false
			for _, m := range c.VolumeMounts {
				if m.MountPath != serviceaccount.TokenPath {
					continue
				}
				if v := volumes[m.Name]; v != nil && v.Projected != nil {
					for _, src := range v.Projected.Sources {
						token = token || src.ServiceAccountToken != nil && src.ServiceAccountToken.Audience == ""
					}
				}
				break
			}
			out = append(out, token)
		}
	}
	return out
}

// TestAutomountAgainstAdmission admits every pod of the grid in every
// namespace of the grid with Kubernetes' ServiceAccount admission plugin,
// and compares which containers end up with the API token with what
// bulwark decides from the manifests: the pod and the run's
// ServiceAccounts.
func TestAutomountAgainstAdmission(t *testing.T) {
	namespaces := namespaceCases()
	var objects []runtime.Object
	for _, ns := range namespaces {
		objects = append(objects, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns.name}})
		// The controller's default account, or the one the run declares.
		objects = append(objects, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default", Namespace: ns.name}, AutomountServiceAccountToken: ns.def.automount})
		if ns.web.present {
			objects = append(objects, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: ns.name}, AutomountServiceAccountToken: ns.web.automount})
		}
	}
	client := fake.NewClientset(objects...)
	plugin := saplugin.NewServiceAccount()
	plugin.SetExternalKubeClientSet(client)
	syncedInformers(t, client, plugin.SetExternalKubeInformerFactory)
	if err := plugin.ValidateInitialization(); err != nil {
		t.Fatal(err)
	}

	var compared, mounted, rejected, rejectedMissing int
	for _, ns := range namespaces {
		// The run's objects, as bulwark sees them in the manifests.
		manifestNS := ns.name
		if ns.noNamespaceText {
			manifestNS = ""
		}
		var run []hardening.ClusterObject
		for _, a := range []struct {
			name string
			v    accountVariant
		}{{"default", ns.def}, {"web", ns.web}} {
			if a.v.present {
				run = append(run, hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindServiceAccount, Namespace: manifestNS, Name: a.name,
					Object: &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: a.name, Namespace: manifestNS}, AutomountServiceAccountToken: a.v.automount}})
			}
		}
		cluster := hardening.NewCluster(run)
		for _, pc := range podCases() {
			name := ns.name + " web=" + ns.web.String() + " default=" + ns.def.String() + "/" + pc.name
			pod := pc.pod
			pod.Namespace = ns.name

			admitted := internalPod(t, pod)
			err := plugin.Admit(context.Background(), createPod(admitted), nil)

			s := hardening.NewPodSubject(pod)
			s.Cluster = cluster
			token := serviceaccount.PodToken(s)
			if err != nil {
				// The plugin rejects a pod whose account does not exist,
				// and a mirror pod that names an account or projects a
				// token; bulwark does not model rejection, but must agree
				// on the account it looked for.
				rejected++
				if strings.Contains(err.Error(), "not found") {
					rejectedMissing++
					if ns.web.present || token.Name != "web" || token.Account != nil {
						t.Errorf("%s: rejected for a missing account (%v), but bulwark found %s: %+v", name, err, token.Name, token.Account)
					}
				} else if !strings.Contains(err.Error(), "mirror pod") {
					t.Errorf("%s: rejected: %v", name, err)
				}
				continue
			}
			compared++
			want := hasAPIToken(admitted)
			var got []bool
			for c := range s.Containers {
				if c.List != "ephemeralContainers" {
					reaches, _ := token.Reaches(c)
					got = append(got, reaches)
				}
			}
			if fmt.Sprint(want) != fmt.Sprint(got) {
				t.Errorf("%s: containers with the API token: admission %v, bulwark %v", name, want, got)
			}
			anyToken := strings.Contains(fmt.Sprint(want), "true")
			if anyToken {
				mounted++
			}
			if token.Mounted() != anyToken {
				t.Errorf("%s: Mounted() = %v, admission mounts %v", name, token.Mounted(), anyToken)
			}
			// The checks report exactly the pods with a token, under the
			// ID of the account admission settled on.
			findings := hardening.Checks{serviceaccount.DefaultTokenMounted, serviceaccount.TokenMounted}.Check(s, nil)
			switch {
			case !anyToken && len(findings) != 0:
				t.Errorf("%s: no token, yet %v", name, findings)
			case anyToken && len(findings) != 1:
				t.Errorf("%s: a token, and %d findings: %v", name, len(findings), findings)
			case anyToken:
				wantID := "serviceaccount.token-mounted"
				if admitted.Spec.ServiceAccountName == "default" {
					wantID = "serviceaccount.default-token-mounted"
				}
				if findings[0].Check != wantID {
					t.Errorf("%s: reported as %s, the pod runs as %q", name, findings[0].Check, admitted.Spec.ServiceAccountName)
				}
			}
		}
	}
	t.Logf("%d namespaces × %d pods: %d admitted and compared (%d with the API token, %d without), %d rejected by the plugin (%d for a missing account, %d mirror pods that name an account or project a token)",
		len(namespaces), len(podCases()), compared, mounted, compared-mounted, rejected, rejectedMissing, rejected-rejectedMissing)
	if compared < 1000 || mounted == 0 || mounted == compared {
		t.Errorf("the grid must compare many pods, with and without tokens: %d compared, %d with tokens", compared, mounted)
	}
}
