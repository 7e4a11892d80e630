package cgroups_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type got checktest.Got

var summarize = checktest.Summarize[got]

func list(kv ...string) corev1.ResourceList {
	l := corev1.ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		l[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return l
}

// hardenedPod passes every check of this package: limits on every
// resource; requests are defaulted from them.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.example/app:1.2",
				Resources: corev1.ResourceRequirements{
					Limits:   list("cpu", "500m", "memory", "256Mi", "ephemeral-storage", "1Gi"),
					Requests: list("cpu", "100m"),
				},
			}},
		},
	}
}

const (
	memLimit = "cgroups.memory-limit-missing"
	cpuLimit = "cgroups.cpu-limit-missing"
	memReq   = "cgroups.memory-request-missing"
	cpuReq   = "cgroups.cpu-request-missing"
	storage  = "cgroups.ephemeral-storage-limit-missing"
	medium   = hardening.SeverityMedium
	low      = hardening.SeverityLow
	info     = hardening.SeverityInfo
)

func TestPodChecks(t *testing.T) {
	nothing := func(c string, i int) []got {
		p := "spec." + c + "[" + string(rune('0'+i)) + "].resources."
		name := map[string]string{"containers": "app", "initContainers": "init"}[c]
		return []got{
			{cpuLimit, low, name, p + "limits.cpu"},
			{cpuReq, info, name, p + "requests.cpu"},
			{storage, low, name, p + "limits.ephemeral-storage"},
			{memLimit, medium, name, p + "limits.memory"},
			{memReq, low, name, p + "requests.memory"},
		}
	}
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  []got
	}{
		{"hardened", func(p *corev1.Pod) {}, nil},
		{"no resources at all", func(p *corev1.Pod) { p.Spec.Containers[0].Resources = corev1.ResourceRequirements{} }, nothing("containers", 0)},
		{"requests only", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{Requests: list("cpu", "1", "memory", "1Gi")}
		}, []got{
			{cpuLimit, low, "app", "spec.containers[0].resources.limits.cpu"},
			{storage, low, "app", "spec.containers[0].resources.limits.ephemeral-storage"},
			{memLimit, medium, "app", "spec.containers[0].resources.limits.memory"},
		}},
		{"memory limit alone", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{Limits: list("memory", "1Gi", "ephemeral-storage", "1Gi"), Requests: list("cpu", "1")}
		}, []got{{cpuLimit, low, "app", "spec.containers[0].resources.limits.cpu"}}},
		{"pod-level limits cover cpu and memory, not ephemeral-storage", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
			p.Spec.Resources = &corev1.ResourceRequirements{Limits: list("cpu", "1", "memory", "1Gi", "ephemeral-storage", "1Gi")}
		}, []got{{storage, low, "app", "spec.containers[0].resources.limits.ephemeral-storage"}}},
		{"pod-level requests cover requests only", func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources = corev1.ResourceRequirements{Limits: list("ephemeral-storage", "1Gi")}
			p.Spec.Resources = &corev1.ResourceRequirements{Requests: list("cpu", "1", "memory", "1Gi")}
		}, []got{
			{cpuLimit, low, "app", "spec.containers[0].resources.limits.cpu"},
			{memLimit, medium, "app", "spec.containers[0].resources.limits.memory"},
		}},
		{"init containers and sidecars are checked", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
		}, nothing("initContainers", 0)},
		{"ephemeral containers cannot have resources", func(p *corev1.Pod) {
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
		}, nil},
		{"windows pods are checked too", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
			p.Spec.Containers[0].Resources.Limits = list("cpu", "1", "memory", "1Gi")
		}, []got{{storage, low, "app", "spec.containers[0].resources.limits.ephemeral-storage"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			findings := checktest.Each(cgroups.Checks(), hardening.NewPodSubject(pod))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
	s := hardening.NewPodSubject(pod)
	for _, tt := range []struct {
		check *hardening.Check
		want  string
	}{
		{cgroups.MemoryLimitMissing, `container "app" sets no memory limit and the pod sets none in spec.resources: it can take all of the node's memory until the kernel's OOM killer ends processes of other pods`},
		{cgroups.EphemeralStorageLimitMissing, `container "app" sets no ephemeral-storage limit: its writable layer, logs and emptyDir volumes can fill the node's disk`},
	} {
		f := tt.check.Run(s, nil)
		if len(f) != 1 || f[0].Message != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.check.ID, f, tt.want)
		}
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, cgroups.Checks()) }
