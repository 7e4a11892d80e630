package serviceaccount

// The ServiceAccount admission plugin's decision about a Pod's API token,
// which every check of this package on Pods reads.
//
// Kubernetes (plugin/pkg/admission/serviceaccount, Admit and
// mountServiceAccountToken; pkg/apis/core/v1 SetDefaults_PodSpec):
//
//   - the account is spec.serviceAccountName, else the deprecated
//     spec.serviceAccount, else "default";
//   - a mirror pod (annotation kubernetes.io/config.mirror) is left alone;
//   - the token is automounted when the pod's automountServiceAccountToken
//     says so, else when the ServiceAccount's does, else always;
//   - then every init and regular container that does not already mount
//     something at /var/run/secrets/kubernetes.io/serviceaccount gets the
//     token volume mounted there: the pod's first volume named
//     kube-api-access-*, or a new projected volume with the API token.
//     Ephemeral containers are added later and never get it.
//
// A container has the API token when, after that, the volume at the path
// projects a serviceAccountToken for the API server's audience (no
// audience of its own): the volume the plugin adds, or one written in the
// manifest, as `kubectl get pod -o yaml` shows an admitted pod. The
// groundtruth module checks this against the plugin itself.

import (
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// TokenPath is where Kubernetes mounts a Pod's service account token.
const TokenPath = "/var/run/secrets/kubernetes.io/serviceaccount"

// DefaultAccount is the service account of a Pod that names none; the
// ServiceAccount controller creates it in every namespace.
const DefaultAccount = "default"

// mirrorPodAnnotation marks a static pod's mirror, which the admission
// plugin does not modify.
const mirrorPodAnnotation = "kubernetes.io/config.mirror"

// tokenVolumePrefix names the volume the admission plugin adds.
const tokenVolumePrefix = "kube-api-access-"

// Decider says what decided whether a Pod's token is automounted.
type Decider uint8

// Deciders.
const (
	// DecidedByPod: the pod's spec.automountServiceAccountToken.
	DecidedByPod Decider = iota + 1
	// DecidedByAccount: the ServiceAccount's automountServiceAccountToken,
	// the account being among the run's objects.
	DecidedByAccount
	// DecidedByDefault: neither sets it (or the account is not among the
	// objects): Kubernetes mounts the token.
	DecidedByDefault
	// DecidedByMirror: a mirror pod, which the admission plugin leaves
	// alone.
	DecidedByMirror
)

// Token is what Kubernetes decides about a Pod's service account token.
type Token struct {
	// Namespace is the pod's; Name is its service account's.
	Namespace, Name string
	// Field is the field of the pod spec that names the account:
	// "serviceAccountName", "serviceAccount" (deprecated), or empty when
	// neither does and the account is "default".
	Field string
	// Account is the ServiceAccount among the run's objects (see
	// [hardening.Cluster.Resolve]); nil when it is not among them or there
	// is no Cluster. AccountNamespaceAssumed is set when the account names
	// no namespace and is taken to be in the pod's.
	Account                 *hardening.ClusterObject
	AccountNamespaceAssumed bool
	// Automount is the decision, and DecidedBy what made it.
	Automount bool
	DecidedBy Decider

	pod *corev1.Pod
}

// PodToken returns what Kubernetes decides about the service account token
// of s's Pod, reading its ServiceAccount from s.Cluster. It does not
// allocate.
func PodToken(s *hardening.Subject) Token {
	if s == nil || s.Pod == nil {
		return Token{}
	}
	pod := s.Pod
	spec := &pod.Spec
	t := Token{Namespace: pod.Namespace, Name: spec.ServiceAccountName, Field: "serviceAccountName", pod: pod}
	if t.Name == "" {
		t.Name, t.Field = spec.DeprecatedServiceAccount, "serviceAccount"
	}
	if t.Name == "" {
		t.Name, t.Field = DefaultAccount, ""
	}
	t.Account, t.AccountNamespaceAssumed = s.Cluster.Resolve(hardening.KindServiceAccount, t.Namespace, t.Name)
	_, mirror := pod.Annotations[mirrorPodAnnotation]
	switch {
	case mirror:
		t.DecidedBy = DecidedByMirror
	case spec.AutomountServiceAccountToken != nil:
		t.Automount, t.DecidedBy = *spec.AutomountServiceAccountToken, DecidedByPod
	case t.ServiceAccount() != nil && t.ServiceAccount().AutomountServiceAccountToken != nil:
		t.Automount, t.DecidedBy = *t.ServiceAccount().AutomountServiceAccountToken, DecidedByAccount
	default:
		t.Automount, t.DecidedBy = true, DecidedByDefault
	}
	return t
}

// ServiceAccount returns the decoded Account, or nil.
func (t *Token) ServiceAccount() *corev1.ServiceAccount {
	if t.Account == nil {
		return nil
	}
	sa, _ := t.Account.Object.(*corev1.ServiceAccount)
	return sa
}

// Reaches reports whether container c, an init or regular container of the
// pod, has the API token at [TokenPath] once the pod is admitted, and
// whether it got it by automount (rather than from a volume of the
// manifest mounted there).
func (t *Token) Reaches(c hardening.PodContainer) (token, automounted bool) {
	if t.pod == nil || c.Container == nil || c.List == "ephemeralContainers" {
		return false, false
	}
	for i := range c.VolumeMounts {
		if m := &c.VolumeMounts[i]; m.MountPath == TokenPath {
			return apiToken(volume(t.pod, m.Name)), false
		}
	}
	if !t.Automount {
		return false, false
	}
	for i := range t.pod.Spec.Volumes {
		if v := &t.pod.Spec.Volumes[i]; strings.HasPrefix(v.Name, tokenVolumePrefix) {
			// The plugin mounts the pod's own kube-api-access-* volume,
			// whatever it holds.
			return apiToken(v), apiToken(v)
		}
	}
	return true, true
}

// Mounted reports whether any container of the pod has the API token once
// it is admitted.
func (t *Token) Mounted() bool {
	if t.pod == nil {
		return false
	}
	spec := &t.pod.Spec
	for i := range spec.InitContainers {
		if token, _ := t.Reaches(hardening.PodContainer{Container: &spec.InitContainers[i], List: "initContainers", Index: i}); token {
			return true
		}
	}
	for i := range spec.Containers {
		if token, _ := t.Reaches(hardening.PodContainer{Container: &spec.Containers[i], List: "containers", Index: i}); token {
			return true
		}
	}
	return false
}

// volume returns the pod's volume named name, or nil.
func volume(pod *corev1.Pod, name string) *corev1.Volume {
	for i := range pod.Spec.Volumes {
		if pod.Spec.Volumes[i].Name == name {
			return &pod.Spec.Volumes[i]
		}
	}
	return nil
}

// apiToken reports whether v projects a service account token for the API
// server: a serviceAccountToken source without an audience of its own.
func apiToken(v *corev1.Volume) bool {
	if v == nil || v.Projected == nil {
		return false
	}
	for _, src := range v.Projected.Sources {
		if src.ServiceAccountToken != nil && src.ServiceAccountToken.Audience == "" {
			return true
		}
	}
	return false
}
