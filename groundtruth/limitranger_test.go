package groundtruth

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	api "k8s.io/kubernetes/pkg/apis/core"
	k8sv1 "k8s.io/kubernetes/pkg/apis/core/v1"
	"k8s.io/kubernetes/plugin/pkg/admission/limitranger"
)

func resources(kv ...string) corev1.ResourceList {
	if len(kv) == 0 {
		return nil
	}
	l := corev1.ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		l[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return l
}

// field values of a LimitRange item, scaled so that the field (and the
// item) a value came from can be told: min < defaultRequest < default <
// max, as the API's validation wants them.
var fieldValues = map[string][3]string{ // cpu, memory, ephemeral-storage
	"min":            {"100m", "64Mi", "512Mi"},
	"defaultRequest": {"250m", "256Mi", "1Gi"},
	"default":        {"500m", "512Mi", "2Gi"},
	"max":            {"2", "2Gi", "4Gi"},
}

// fieldShapes are the resources a field of an item names.
var fieldShapes = [][]int{nil, {0}, {1}, {0, 2}} // none, cpu, memory, cpu and ephemeral-storage

// item returns the Container item whose default, defaultRequest, max and
// min have the shapes of shape, at scale (a second item or LimitRange
// has other values).
func item(shape [4]int, scale int) corev1.LimitRangeItem {
	names := [3]string{"cpu", "memory", "ephemeral-storage"}
	list := func(field string, s int) corev1.ResourceList {
		var kv []string
		for _, r := range fieldShapes[s] {
			q := resource.MustParse(fieldValues[field][r])
			q.Mul(int64(scale))
			kv = append(kv, names[r], q.String())
		}
		return resources(kv...)
	}
	return corev1.LimitRangeItem{Type: corev1.LimitTypeContainer,
		Default: list("default", shape[0]), DefaultRequest: list("defaultRequest", shape[1]),
		Max: list("max", shape[2]), Min: list("min", shape[3])}
}

// limitRangeCase is one namespace of the grid and its LimitRanges, in
// input order.
type limitRangeCase struct {
	namespace string
	ranges    []*corev1.LimitRange
}

func limitRangeCases() []limitRangeCase {
	var out []limitRangeCase
	add := func(items ...[]corev1.LimitRangeItem) {
		ns := fmt.Sprintf("lr-%d", len(out))
		c := limitRangeCase{namespace: ns}
		for i, it := range items {
			c.ranges = append(c.ranges, &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("range-%d", i), Namespace: ns},
				Spec: corev1.LimitRangeSpec{Limits: it}})
		}
		out = append(out, c)
	}
	add() // no LimitRange
	var every [][4]int
	for d := range fieldShapes {
		for dr := range fieldShapes {
			for mx := range fieldShapes {
				for mn := range fieldShapes {
					shape := [4]int{d, dr, mx, mn}
					every = append(every, shape)
					add([]corev1.LimitRangeItem{item(shape, 1)})
				}
			}
		}
	}
	add([]corev1.LimitRangeItem{{Type: corev1.LimitTypePod, Max: resources("memory", "4Gi", "cpu", "4")}})
	add([]corev1.LimitRangeItem{{Type: corev1.LimitTypePersistentVolumeClaim, Max: resources("storage", "10Gi")}, item([4]int{1, 0, 2, 0}, 1)})
	// Two items of one LimitRange, and two LimitRanges, from shapes
	// spread over the grid.
	for i := 0; i < len(every); i += 37 {
		for j := 5; j < len(every); j += 41 {
			add([]corev1.LimitRangeItem{item(every[i], 1), item(every[j], 3)})
			add([]corev1.LimitRangeItem{item(every[i], 1)}, []corev1.LimitRangeItem{item(every[j], 3)})
		}
	}
	return out
}

// resourceCases are the resources a container of the grid writes.
var resourceCases = []corev1.ResourceRequirements{
	{},
	{Limits: resources("cpu", "1")},
	{Requests: resources("cpu", "200m")},
	{Limits: resources("cpu", "1", "memory", "1Gi")},
	{Requests: resources("memory", "128Mi"), Limits: resources("cpu", "1500m")},
	{Requests: resources("cpu", "100m"), Limits: resources("ephemeral-storage", "1Gi")},
}

func resourcePods() []*corev1.Pod {
	var out []*corev1.Pod
	for init := -1; init < len(resourceCases); init++ {
		for main := range resourceCases {
			pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("p%d", len(out))},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app:1", Resources: resourceCases[main]}}}}
			if init >= 0 {
				pod.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "init:1", Resources: resourceCases[init]}}
			}
			// An ephemeral container the plugin never touches.
			pod.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug", Image: "debug:1"}}}
			out = append(out, pod)
		}
	}
	return out
}

// render renders a resource list for comparison: "cpu=500m memory=…",
// sorted, each quantity canonical.
func render[K ~string](l map[K]resource.Quantity) string {
	var parts []string
	for k, q := range l {
		parts = append(parts, string(k)+"="+q.String())
	}
	slices.Sort(parts)
	return strings.Join(parts, " ")
}

// TestLimitRangeDefaultsAgainstAdmission admits every pod of the grid in
// every namespace of the grid with Kubernetes' LimitRanger plugin, and
// compares each container's resources, and the limit and request checks'
// findings, with what bulwark makes of the manifests.
func TestLimitRangeDefaultsAgainstAdmission(t *testing.T) {
	cases := limitRangeCases()
	// What the API server stores of each LimitRange: defaulted.
	var stored []runtime.Object
	for _, c := range cases {
		if len(c.ranges) == 1 {
			lr := c.ranges[0].DeepCopy()
			k8sv1.SetObjectDefaults_LimitRange(lr)
			stored = append(stored, lr)
		}
	}
	client := fake.NewClientset(stored...)
	plugin, err := limitranger.NewLimitRanger(nil)
	if err != nil {
		t.Fatal(err)
	}
	plugin.SetExternalKubeClientSet(client)
	syncedInformers(t, client, plugin.SetExternalKubeInformerFactory)
	if err := plugin.ValidateInitialization(); err != nil {
		t.Fatal(err)
	}
	checks := hardening.Checks{cgroups.MemoryLimitMissing, cgroups.CPULimitMissing, cgroups.MemoryRequestMissing,
		cgroups.CPURequestMissing, cgroups.EphemeralStorageLimitMissing}

	pods := resourcePods()
	var compared, containers, defaulted, findings int
	for _, c := range cases {
		// The run's objects: the LimitRanges as written.
		var run []hardening.ClusterObject
		for _, lr := range c.ranges {
			run = append(run, hardening.ClusterObject{APIVersion: "v1", Kind: hardening.KindLimitRange, Namespace: lr.Namespace, Name: lr.Name, Object: lr})
		}
		cluster := hardening.NewCluster(run)
		for _, pod := range pods {
			pod := pod.DeepCopy()
			pod.Namespace = c.namespace
			name := fmt.Sprintf("%s (%d LimitRanges)/%s", c.namespace, len(c.ranges), pod.Name)

			admitted := internalPod(t, pod)
			if len(c.ranges) <= 1 {
				if err := plugin.Admit(context.Background(), createPod(admitted), nil); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
			} else {
				// The plugin takes several LimitRanges in its cache's
				// order; bulwark in input order, which this is.
				for _, lr := range c.ranges {
					lr := lr.DeepCopy()
					k8sv1.SetObjectDefaults_LimitRange(lr)
					if err := limitranger.PodMutateLimitFunc(lr, admitted); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
				}
			}
			compared++

			s := hardening.NewPodSubject(pod)
			s.Cluster = cluster
			var k8s []api.Container
			k8s = append(k8s, admitted.Spec.InitContainers...)
			k8s = append(k8s, admitted.Spec.Containers...)
			var want []string // the findings the admitted pod deserves: "check path"
			i := 0
			for bc := range s.Containers {
				if bc.List == "ephemeralContainers" {
					if a := cgroups.AdmittedResources(s, bc); len(a.Limits)+len(a.Requests) != 0 {
						t.Errorf("%s: an ephemeral container got %v %v", name, a.Limits, a.Requests)
					}
					continue
				}
				containers++
				kc := k8s[i]
				i++
				a := cgroups.AdmittedResources(s, bc)
				if got, want := render(a.Limits), render(kc.Resources.Limits); got != want {
					t.Errorf("%s: %s limits: bulwark %q, LimitRanger %q", name, bc.Name, got, want)
				}
				if got, want := render(a.Requests), render(kc.Resources.Requests); got != want {
					t.Errorf("%s: %s requests: bulwark %q, LimitRanger %q", name, bc.Name, got, want)
				}
				defaulted += len(a.LimitsFrom) + len(a.RequestsFrom)
				for _, need := range []struct {
					check string
					list  api.ResourceList
					field string
				}{
					{cgroups.MemoryLimitMissing.ID, kc.Resources.Limits, "limits.memory"},
					{cgroups.CPULimitMissing.ID, kc.Resources.Limits, "limits.cpu"},
					{cgroups.MemoryRequestMissing.ID, kc.Resources.Requests, "requests.memory"},
					{cgroups.CPURequestMissing.ID, kc.Resources.Requests, "requests.cpu"},
					{cgroups.EphemeralStorageLimitMissing.ID, kc.Resources.Limits, "limits.ephemeral-storage"},
				} {
					_, resourceName, _ := strings.Cut(need.field, ".")
					if _, ok := need.list[api.ResourceName(resourceName)]; !ok {
						want = append(want, need.check+" "+s.ContainerPath(bc, "resources."+need.field))
					}
				}
			}
			var got []string
			for _, f := range checks.Check(s, nil) {
				got = append(got, f.Check+" "+f.Path)
			}
			slices.Sort(want)
			slices.Sort(got)
			findings += len(got)
			if !slices.Equal(want, got) {
				t.Errorf("%s: findings\nbulwark %q\nadmitted %q", name, got, want)
			}
		}
	}
	t.Logf("%d namespaces × %d pods: %d admitted and compared, %d containers, %d values a LimitRange supplied, %d findings on what was left unset",
		len(cases), len(pods), compared, containers, defaulted, findings)
	if compared < 1000 || defaulted == 0 || findings == 0 {
		t.Errorf("the grid must compare many pods, defaulted and not: %d compared, %d defaulted values, %d findings", compared, defaulted, findings)
	}
}
