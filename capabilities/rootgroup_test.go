package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestRootGroup(t *testing.T) {
	const (
		rootGroup = "capabilities.root-group"
		ctrGID    = "spec.containers[0].securityContext.runAsGroup"
		podGID    = "spec.securityContext.runAsGroup"
	)
	low := hardening.SeverityLow
	tests := []podCase{
		{"hardened", func(p *corev1.Pod) {}, nil, nil},
		{"pod runAsGroup 0", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(0))
		}, nil, []got{{rootGroup, low, "app", podGID}}},
		{"container runAsGroup 0 over a pod value", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(10001))
			p.Spec.Containers[0].SecurityContext.RunAsGroup = ptr(int64(0))
		}, nil, []got{{rootGroup, low, "app", ctrGID}}},
		{"container value overrides a pod gid 0", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(0))
			p.Spec.Containers[0].SecurityContext.RunAsGroup = ptr(int64(10001))
		}, nil, nil},
		{"fsGroup 0", func(p *corev1.Pod) {
			p.Spec.SecurityContext.FSGroup = ptr(int64(0))
		}, nil, []got{{rootGroup, low, "", "spec.securityContext.fsGroup"}}},
		{"supplementalGroups with 0", func(p *corev1.Pod) {
			p.Spec.SecurityContext.SupplementalGroups = []int64{10001, 0, 0}
		}, nil, []got{
			{rootGroup, low, "", "spec.securityContext.supplementalGroups[1]"},
			{rootGroup, low, "", "spec.securityContext.supplementalGroups[2]"},
		}},
		{"non-zero groups pass", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup, p.Spec.SecurityContext.FSGroup = ptr(int64(1)), ptr(int64(2000))
			p.Spec.SecurityContext.SupplementalGroups = []int64{5, 10001}
		}, nil, nil},
		{"unset with an unknown image says nothing", func(p *corev1.Pod) {}, map[string]*imagespec.Image{
			"registry.example/other:1": {Config: imagespec.ImageConfig{User: "1001:0"}},
		}, nil},
		{"unset with an image USER of group 0", func(p *corev1.Pod) {}, map[string]*imagespec.Image{
			"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "1001:0"}},
		}, []got{{rootGroup, low, "app", ctrGID}}},
		{"unset with an image USER of group root", func(p *corev1.Pod) {}, map[string]*imagespec.Image{
			"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "app:root"}},
		}, []got{{rootGroup, low, "app", ctrGID}}},
		{"unset with an image USER without a group", func(p *corev1.Pod) {}, map[string]*imagespec.Image{
			"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "1001"}},
		}, nil},
		{"runAsGroup set: the image's group does not count", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(10001))
		}, map[string]*imagespec.Image{
			"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "1001:0"}},
		}, nil},
		{"user namespace", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup, p.Spec.SecurityContext.FSGroup = ptr(int64(0)), ptr(int64(0))
			p.Spec.HostUsers = ptr(false)
		}, nil, nil},
		{"windows", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(0))
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
		}, nil, nil},
		{"no security context at all", func(p *corev1.Pod) {
			p.Spec.SecurityContext = nil
			p.Spec.Containers[0].SecurityContext = nil
		}, nil, nil},
		{"every container", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", SecurityContext: &corev1.SecurityContext{RunAsGroup: ptr(int64(0))}}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", SecurityContext: &corev1.SecurityContext{RunAsGroup: ptr(int64(0))},
			}}}
		}, nil, []got{
			{rootGroup, low, "init", "spec.initContainers[0].securityContext.runAsGroup"},
			{rootGroup, low, "debug", "spec.ephemeralContainers[0].securityContext.runAsGroup"},
		}},
	}
	runPodCases(t, hardening.Checks{capabilities.RootGroup}, tests)
}

func TestRootGroupMessages(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.SecurityContext.RunAsGroup = ptr(int64(0))
	pod.Spec.SecurityContext.FSGroup = ptr(int64(0))
	s := hardening.NewPodSubject(pod)
	var msgs []string
	for _, f := range capabilities.RootGroup.Run(s, nil) {
		msgs = append(msgs, f.Message)
	}
	want := []string{
		"the pod sets fsGroup 0: every container gets the root group (gid 0) as a supplementary group, and the kubelet makes the pod's volumes group-owned by it",
		`container "app" runs as gid 0, the root group (from spec.securityContext.runAsGroup)`,
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}
