package fixes

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

func TestRemove(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{{"remove", true}, {" Delete ", true}, {"false", true}, {"", false}, {"keep", false}, {"add", false}} {
		if got := Remove(tt.in); got != tt.want {
			t.Errorf("Remove(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestContainer(t *testing.T) {
	s := hardening.NewPodSubject(&corev1.Pod{Spec: corev1.PodSpec{
		InitContainers: []corev1.Container{{Name: "init"}},
		Containers:     []corev1.Container{{Name: "a"}, {Name: "b"}},
	}})
	s.PodSpecPath = "spec.template.spec"
	for _, tt := range []struct {
		path, want string
	}{
		{"spec.template.spec.containers[1].securityContext.runAsUser", "b"},
		{"spec.template.spec.initContainers[0]", "init"},
		{"spec.template.spec.containers[10].securityContext", ""},
		{"spec.template.spec.hostPID", ""},
	} {
		c, ok := Container(s, tt.path)
		got := ""
		if ok {
			got = c.Name
		}
		if got != tt.want {
			t.Errorf("Container(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
