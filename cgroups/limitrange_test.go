package cgroups_test

import (
	"strconv"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// limitRange returns a LimitRange among the objects of platform.yaml.
func limitRange(namespace, name string, items ...corev1.LimitRangeItem) hardening.ClusterObject {
	return hardening.ClusterObject{
		APIVersion: "v1", Kind: hardening.KindLimitRange, Namespace: namespace, Name: name, Source: "platform.yaml",
		Object: &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: namespace}, Spec: corev1.LimitRangeSpec{Limits: items}},
	}
}

func containerItem(defaults, defaultRequests, max, min corev1.ResourceList) corev1.LimitRangeItem {
	return corev1.LimitRangeItem{Type: corev1.LimitTypeContainer, Default: defaults, DefaultRequest: defaultRequests, Max: max, Min: min}
}

// admitted is what a table compares of cgroups.Admitted: values as
// strings, and the LimitRange each came from.
type admitted struct {
	Limits, Requests         map[string]string
	LimitsFrom, RequestsFrom map[string]string
}

func summarizeAdmitted(a cgroups.Admitted) admitted {
	out := admitted{Limits: map[string]string{}, Requests: map[string]string{}, LimitsFrom: map[string]string{}, RequestsFrom: map[string]string{}}
	for r, q := range a.Limits {
		out.Limits[string(r)] = q.String()
	}
	for r, q := range a.Requests {
		out.Requests[string(r)] = q.String()
	}
	for r, o := range a.LimitsFrom {
		out.LimitsFrom[string(r)] = o.Namespace + "/" + o.Name
	}
	for r, o := range a.RequestsFrom {
		out.RequestsFrom[string(r)] = o.Namespace + "/" + o.Name
	}
	return out
}

type values = map[string]string

// The values a container ends up with, and which LimitRange each came
// from, as the LimitRanger admission plugin gives them.
func TestAdmittedResources(t *testing.T) {
	usual := limitRange("prod", "defaults", containerItem(list("cpu", "500m", "memory", "512Mi"), list("cpu", "100m"), list("memory", "2Gi"), nil))
	tests := []struct {
		name      string
		resources corev1.ResourceRequirements
		objects   []hardening.ClusterObject // nil: no Cluster
		want      admitted
	}{
		{"no cluster: the container's own, requests defaulted from limits", corev1.ResourceRequirements{Limits: list("memory", "1Gi")}, nil,
			admitted{values{"memory": "1Gi"}, values{"memory": "1Gi"}, values{}, values{}}},
		{"default and defaultRequest; memory's request from its default", corev1.ResourceRequirements{}, []hardening.ClusterObject{usual},
			admitted{values{"cpu": "500m", "memory": "512Mi"}, values{"cpu": "100m", "memory": "512Mi"},
				values{"cpu": "prod/defaults", "memory": "prod/defaults"}, values{"cpu": "prod/defaults", "memory": "prod/defaults"}}},
		{"the container's own values stay; its limit is its request", corev1.ResourceRequirements{Limits: list("cpu", "2")}, []hardening.ClusterObject{usual},
			admitted{values{"cpu": "2", "memory": "512Mi"}, values{"cpu": "2", "memory": "512Mi"},
				values{"memory": "prod/defaults"}, values{"memory": "prod/defaults"}}},
		{"max alone defaults limit and request, min alone a request",
			corev1.ResourceRequirements{}, []hardening.ClusterObject{limitRange("prod", "bounds", containerItem(nil, nil, list("cpu", "2"), list("memory", "64Mi")))},
			admitted{values{"cpu": "2"}, values{"cpu": "2", "memory": "64Mi"}, values{"cpu": "prod/bounds"}, values{"cpu": "prod/bounds", "memory": "prod/bounds"}}},
		{"pod and PVC items default nothing", corev1.ResourceRequirements{}, []hardening.ClusterObject{limitRange("prod", "pod",
			corev1.LimitRangeItem{Type: corev1.LimitTypePod, Max: list("memory", "4Gi")},
			corev1.LimitRangeItem{Type: corev1.LimitTypePersistentVolumeClaim, Max: list("storage", "10Gi")})},
			admitted{values{}, values{}, values{}, values{}}},
		{"a later item of one LimitRange wins", corev1.ResourceRequirements{}, []hardening.ClusterObject{limitRange("prod", "two-items",
			containerItem(list("cpu", "1"), nil, nil, nil), containerItem(list("cpu", "3"), nil, nil, nil))},
			admitted{values{"cpu": "3"}, values{"cpu": "3"}, values{"cpu": "prod/two-items"}, values{"cpu": "prod/two-items"}}},
		{"the first LimitRange wins, the second fills what is left", corev1.ResourceRequirements{}, []hardening.ClusterObject{
			limitRange("prod", "first", containerItem(list("cpu", "1"), nil, nil, nil)),
			limitRange("prod", "second", containerItem(list("cpu", "3", "memory", "1Gi"), nil, nil, nil))},
			admitted{values{"cpu": "1", "memory": "1Gi"}, values{"cpu": "1", "memory": "1Gi"},
				values{"cpu": "prod/first", "memory": "prod/second"}, values{"cpu": "prod/first", "memory": "prod/second"}}},
		{"another namespace's LimitRange does not apply", corev1.ResourceRequirements{}, []hardening.ClusterObject{limitRange("dev", "defaults",
			containerItem(list("cpu", "1"), nil, nil, nil))}, admitted{values{}, values{}, values{}, values{}}},
		{"one that names no namespace applies where there is none of its own", corev1.ResourceRequirements{}, []hardening.ClusterObject{
			limitRange("", "defaults", containerItem(list("cpu", "1"), nil, nil, nil))},
			admitted{values{"cpu": "1"}, values{"cpu": "1"}, values{"cpu": "/defaults"}, values{"cpu": "/defaults"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			pod.Spec.Containers[0].Resources = tt.resources
			s := hardening.NewPodSubject(pod)
			if tt.objects != nil {
				s.Cluster = hardening.NewCluster(tt.objects)
			}
			var got admitted
			for c := range s.Containers {
				got = summarizeAdmitted(cgroups.AdmittedResources(s, c))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("admitted (-want +got):\n%s", diff)
			}
		})
	}
}

// The checks report what the LimitRange leaves unset, and say which
// LimitRanges they looked at.
func TestChecksWithLimitRanges(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
	pod.Spec.InitContainers = []corev1.Container{{Name: "init"}}
	pod.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
	tests := []struct {
		name    string
		objects []hardening.ClusterObject
		want    []got
	}{
		{"defaults for everything", []hardening.ClusterObject{limitRange("prod", "defaults",
			containerItem(list("cpu", "1", "memory", "1Gi", "ephemeral-storage", "1Gi"), nil, nil, nil))}, nil},
		{"max memory only", []hardening.ClusterObject{limitRange("prod", "defaults", containerItem(nil, nil, list("memory", "1Gi"), nil))}, []got{
			{cpuLimit, low, "init", "spec.initContainers[0].resources.limits.cpu"},
			{cpuLimit, low, "app", "spec.containers[0].resources.limits.cpu"},
			{cpuReq, info, "init", "spec.initContainers[0].resources.requests.cpu"},
			{cpuReq, info, "app", "spec.containers[0].resources.requests.cpu"},
			{storage, low, "init", "spec.initContainers[0].resources.limits.ephemeral-storage"},
			{storage, low, "app", "spec.containers[0].resources.limits.ephemeral-storage"},
		}},
		{"min cpu gives a request, no limit", []hardening.ClusterObject{limitRange("prod", "defaults",
			containerItem(list("memory", "1Gi", "ephemeral-storage", "1Gi"), nil, nil, list("cpu", "100m")))}, []got{
			{cpuLimit, low, "init", "spec.initContainers[0].resources.limits.cpu"},
			{cpuLimit, low, "app", "spec.containers[0].resources.limits.cpu"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hardening.NewPodSubject(pod)
			s.Cluster = hardening.NewCluster(tt.objects)
			if diff := cmp.Diff(tt.want, summarize(checktest.Each(cgroups.Checks(), s))); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
	messages := []struct {
		name    string
		objects []hardening.ClusterObject
		want    string
	}{
		{"none among the objects", []hardening.ClusterObject{limitRange("dev", "defaults", containerItem(list("memory", "1Gi"), nil, nil, nil))},
			`container "app" sets no memory limit and the pod sets none in spec.resources, and no LimitRange of namespace "prod" among the ` +
				`audited objects defaults one: it can take all of the node's memory until the kernel's OOM killer ends processes of other pods`},
		{"one that defaults something else", []hardening.ClusterObject{limitRange("prod", "defaults", containerItem(list("cpu", "1"), nil, nil, nil))},
			`container "app" sets no memory limit and the pod sets none in spec.resources, nor does "LimitRange/prod/defaults", the LimitRange ` +
				`of its namespace: it can take all of the node's memory until the kernel's OOM killer ends processes of other pods`},
		{"two", []hardening.ClusterObject{
			limitRange("prod", "a", containerItem(list("cpu", "1"), nil, nil, nil)),
			limitRange("prod", "b", containerItem(nil, nil, nil, list("memory", "1Gi")))},
			`container "app" sets no memory limit and the pod sets none in spec.resources, nor do its namespace's LimitRanges ` +
				`"LimitRange/prod/a", "LimitRange/prod/b": it can take all of the node's memory until the kernel's OOM killer ends processes of other pods`},
	}
	for _, tt := range messages {
		p := hardenedPod()
		p.Spec.Containers[0].Resources = corev1.ResourceRequirements{}
		s := hardening.NewPodSubject(p)
		s.Cluster = hardening.NewCluster(tt.objects)
		f := cgroups.MemoryLimitMissing.Run(s, nil)
		if len(f) != 1 || f[0].Message != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.name, f, tt.want)
		}
	}
}

func TestNamespaceLimitsMissing(t *testing.T) {
	objects := []hardening.ClusterObject{
		{APIVersion: "v1", Kind: hardening.KindNamespace, Name: "shop", Source: "platform.yaml", Document: 4, Line: 40,
			Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "shop"}}},
		limitRange("bounded", "defaults", containerItem(list("cpu", "1"), nil, nil, nil)),
		{APIVersion: "v1", Kind: hardening.KindResourceQuota, Namespace: "quota", Name: "q", Source: "platform.yaml",
			Object: &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "q", Namespace: "quota"}}},
	}
	type workload struct {
		namespace, source string
		document          int
	}
	workloads := []workload{
		{"shop", "b.yaml", 1}, {"shop", "a.yaml", 3}, {"shop", "a.yaml", 2},
		{"bounded", "a.yaml", 0}, {"quota", "a.yaml", 0},
		{"monitoring", "c.yaml", 0},
		{"", "d.yaml", 5}, {"", "d.yaml", 6},
	}
	run := func(c *hardening.Cluster) []hardening.Finding {
		r, err := hardening.NewRunner(hardening.Checks{cgroups.NamespaceLimitsMissing}, hardening.RunOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for i, w := range workloads {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pod := hardenedPod()
				pod.Namespace = w.namespace
				s := hardening.NewPodSubject(pod)
				s.Name = "Deployment/" + w.namespace + "/app-" + strconv.Itoa(i)
				s.Source, s.Document, s.Line, s.Cluster = w.source, w.document, 10*w.document+1, c
				s.PodMetaPath, s.WorkloadMetaPath = "spec.template.metadata", "metadata"
				if out := r.Check(s, nil); len(out) != 0 {
					t.Errorf("a set check reported during the run: %v", out)
				}
			}()
		}
		wg.Wait()
		return r.Finish()
	}
	type row struct {
		Subject, Source string
		Document, Line  int
		Path            string
		Kind            hardening.Kind
		Severity        hardening.Severity
		Message         string
	}
	var got []row
	for _, f := range run(hardening.NewCluster(objects)) {
		got = append(got, row{f.Subject, f.Source, f.Document, f.Line, f.Path, f.Kind, f.Severity, f.Message})
	}
	want := []row{
		{"Deployment//app-6", "d.yaml", 5, 51, "metadata.namespace", hardening.KindPod, info,
			`no LimitRange or ResourceQuota among the audited objects bounds the namespace of workloads that name none, which runs 2 workloads, ` +
				`"Deployment//app-6" first: unless the namespace is given its bounds elsewhere, its containers get no default limits and together may take what the nodes have`},
		{"Deployment/monitoring/app-5", "c.yaml", 0, 1, "metadata.namespace", hardening.KindPod, info,
			`no LimitRange or ResourceQuota among the audited objects bounds namespace "monitoring" (no Namespace object among the audited objects ` +
				`either), which runs "Deployment/monitoring/app-5": unless the namespace is given its bounds elsewhere, its containers get no default ` +
				`limits and together may take what the nodes have`},
		{"Namespace/shop", "platform.yaml", 4, 40, "metadata.name", hardening.KindObject, low,
			`namespace "shop" runs workloads (3 workloads, "Deployment/shop/app-2" first) and no LimitRange or ResourceQuota among the audited ` +
				`objects bounds it: its containers get no default limits, and together they may take what the nodes have`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// Without a view there is no absence to speak of.
	if out := run(nil); len(out) != 0 {
		t.Errorf("no cluster, yet: %v", out)
	}
	// A LimitRange that names no namespace bounds the namespaces that have
	// none of their own.
	unnamed := append(objects, limitRange("", "everywhere", containerItem(list("cpu", "1"), nil, nil, nil)))
	if out := run(hardening.NewCluster(unnamed)); len(out) != 0 {
		t.Errorf("a LimitRange without a namespace, yet: %v", out)
	}
}
