package capabilities_test

import (
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestNonRootUnverifiable(t *testing.T) {
	tests := []struct {
		name  string
		user  string
		tweak func(*corev1.Pod)
		want  bool
	}{
		{"named user", "app", func(*corev1.Pod) {}, true},
		{"named user and group", "app:app", func(*corev1.Pod) {}, true},
		{"root user", "root", func(*corev1.Pod) {}, true},
		{"empty user", "", func(*corev1.Pod) {}, true},
		{"numeric user", "10001", func(*corev1.Pod) {}, false},
		{"numeric user, named group", "10001:app", func(*corev1.Pod) {}, false},
		{"runAsUser given", "app", func(p *corev1.Pod) { p.Spec.Containers[0].SecurityContext.RunAsUser = ptr(int64(10001)) }, false},
		{"runAsNonRoot not asked", "app", func(p *corev1.Pod) { p.Spec.SecurityContext.RunAsNonRoot = nil }, false},
		{"container says false", "app", func(p *corev1.Pod) { p.Spec.Containers[0].SecurityContext.RunAsNonRoot = ptr(false) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			pod.Spec.SecurityContext.RunAsUser = nil
			tt.tweak(pod)
			s := hardening.NewPodSubject(pod)
			s.ContainerImages = map[string]*imagespec.Image{pod.Spec.Containers[0].Image: {Config: imagespec.ImageConfig{User: tt.user}}}
			f := checktest.Each(hardening.Checks{capabilities.NonRootUnverifiable}, s)
			if got := len(f) == 1 && f[0].Path == "spec.containers[0].securityContext.runAsUser"; got != tt.want || len(f) > 1 {
				t.Errorf("findings %v, want reported=%v", f, tt.want)
			}
		})
	}
	// Without the image nothing can be said.
	pod := hardenedPod()
	pod.Spec.SecurityContext.RunAsUser = nil
	if f := (hardening.Checks{capabilities.NonRootUnverifiable}).Check(hardening.NewPodSubject(pod), nil); len(f) != 0 {
		t.Errorf("reported without the image: %v", f)
	}
}
