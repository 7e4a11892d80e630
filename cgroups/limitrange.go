package cgroups

// LimitRange defaults, as the API server gives them to a Pod's containers
// before the limit and request checks judge them.
//
// Kubernetes v1.37:
//
//   - pkg/apis/core/v1 SetDefaults_LimitRangeItem, applied when a
//     LimitRange is created: in an item of type Container, a resource in
//     max but not in default gets default = max; one in default but not in
//     defaultRequest gets defaultRequest = default; one in min and still
//     not in defaultRequest gets defaultRequest = min. So `max: {cpu: 2}`
//     alone defaults both the CPU limit and request to 2, and
//     `min: {memory: 64Mi}` alone a memory request and no limit.
//   - pkg/apis/core/v1 SetDefaults_Pod, before admission: a container's
//     request defaults to its limit of the same resource.
//   - plugin/pkg/admission/limitranger defaultContainerResourceRequirements
//     and mergeContainerResources (PodMutateLimitFunc): for each LimitRange
//     of the pod's namespace, the defaults of its Container items (a later
//     item's value for a resource replacing an earlier one's) fill every
//     init and regular container's limits and requests that are still
//     unset. With several LimitRanges each fills only what is left, so
//     the first wins; the plugin takes them in its cache's order, which
//     is not defined, and bulwark in input order. Ephemeral containers
//     are not touched.
//
// The LimitRanges are those among the run's objects, in the pod's
// namespace or, when it has none, those that name no namespace (see
// [hardening.Cluster.ResolveList]). LimitRanger is in the API server's
// default set of admission plugins; a cluster that disables it gives no
// defaults, which a manifest cannot show. The groundtruth module checks
// [AdmittedResources] against the plugin itself.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// Admitted is a container's resources once the API server has admitted its
// pod: its own, requests defaulted from its limits, and the defaults of
// its namespace's LimitRanges.
type Admitted struct {
	Limits, Requests corev1.ResourceList
	// LimitsFrom and RequestsFrom hold, for each resource a LimitRange
	// supplied, that LimitRange.
	LimitsFrom, RequestsFrom map[corev1.ResourceName]*hardening.ClusterObject
}

// AdmittedResources returns the resources container c of s's Pod has once
// the pod is admitted, with the LimitRanges among s.Cluster. An ephemeral
// container has what it says (the API forbids resources on it).
func AdmittedResources(s *hardening.Subject, c hardening.PodContainer) Admitted {
	a := Admitted{
		Limits:   corev1.ResourceList{},
		Requests: corev1.ResourceList{},
	}
	if c.Container == nil {
		return a
	}
	for r, q := range c.Resources.Limits {
		a.Limits[r] = q.DeepCopy()
	}
	for r, q := range c.Resources.Requests {
		a.Requests[r] = q.DeepCopy()
	}
	if c.List == "ephemeralContainers" || s == nil || s.Pod == nil {
		return a
	}
	for r, q := range a.Limits {
		if _, ok := a.Requests[r]; !ok {
			a.Requests[r] = q.DeepCopy()
		}
	}
	for o := range namespaceLimitRanges(s) {
		lr := o.Object.(*corev1.LimitRange)
		fill := func(to corev1.ResourceList, from *map[corev1.ResourceName]*hardening.ClusterObject, limit bool) {
			for _, r := range rangeResources(lr) {
				if _, set := to[r]; set {
					continue
				}
				if q, ok := rangeDefault(lr, r, limit); ok {
					to[r] = q.DeepCopy()
					if *from == nil {
						*from = map[corev1.ResourceName]*hardening.ClusterObject{}
					}
					(*from)[r] = o
				}
			}
		}
		fill(a.Limits, &a.LimitsFrom, true)
		fill(a.Requests, &a.RequestsFrom, false)
	}
	return a
}

// namespaceLimitRanges yields the LimitRanges that apply to s's Pod.
func namespaceLimitRanges(s *hardening.Subject) func(yield func(*hardening.ClusterObject) bool) {
	return func(yield func(*hardening.ClusterObject) bool) {
		if s.Cluster == nil || s.Pod == nil {
			return
		}
		ns, _ := s.Cluster.ResolveList(hardening.KindLimitRange, s.Pod.Namespace)
		for o := range s.Cluster.List(hardening.KindLimitRange, ns) {
			if _, ok := o.Object.(*corev1.LimitRange); ok && !yield(o) {
				return
			}
		}
	}
}

// limitRangeSupplying returns the first LimitRange that gives container
// resource r a default limit (limit true) or request, or nil. It does not
// allocate.
func limitRangeSupplying(s *hardening.Subject, r corev1.ResourceName, limit bool) *hardening.ClusterObject {
	for o := range namespaceLimitRanges(s) {
		if _, ok := rangeDefault(o.Object.(*corev1.LimitRange), r, limit); ok {
			return o
		}
	}
	return nil
}

// rangeDefault returns the default limit (limit true) or request a
// LimitRange gives a container's resource r: the value of its last
// Container item that has one.
func rangeDefault(lr *corev1.LimitRange, r corev1.ResourceName, limit bool) (q resource.Quantity, ok bool) {
	for i := range lr.Spec.Limits {
		if v, found := itemDefault(&lr.Spec.Limits[i], r, limit); found {
			q, ok = v, true
		}
	}
	return q, ok
}

// itemDefault returns the default limit or request of one LimitRange item
// once SetDefaults_LimitRangeItem has filled it in: the limit from default,
// else max; the request from defaultRequest, else default, else max, else
// min.
func itemDefault(item *corev1.LimitRangeItem, r corev1.ResourceName, limit bool) (resource.Quantity, bool) {
	if item.Type != corev1.LimitTypeContainer {
		return resource.Quantity{}, false
	}
	if !limit {
		if q, ok := item.DefaultRequest[r]; ok {
			return q, true
		}
	}
	if q, ok := item.Default[r]; ok {
		return q, true
	}
	if q, ok := item.Max[r]; ok {
		return q, true
	}
	if !limit {
		if q, ok := item.Min[r]; ok {
			return q, true
		}
	}
	return resource.Quantity{}, false
}

// rangeResources lists the resources a LimitRange's Container items name
// in default, defaultRequest, max or min.
func rangeResources(lr *corev1.LimitRange) []corev1.ResourceName {
	var out []corev1.ResourceName
	add := func(l corev1.ResourceList) {
		for r := range l {
			if !containsResource(out, r) {
				out = append(out, r)
			}
		}
	}
	for i := range lr.Spec.Limits {
		if item := &lr.Spec.Limits[i]; item.Type == corev1.LimitTypeContainer {
			add(item.Default)
			add(item.DefaultRequest)
			add(item.Max)
			add(item.Min)
		}
	}
	return out
}

func containsResource(list []corev1.ResourceName, r corev1.ResourceName) bool {
	for _, v := range list {
		if v == r {
			return true
		}
	}
	return false
}

// limitRangeWords says, for a finding's message, which LimitRanges of the
// pod's namespace were looked at and found to give no default: empty
// without a Cluster.
func limitRangeWords(s *hardening.Subject) string {
	if s.Cluster == nil {
		return ""
	}
	var names []string
	for o := range namespaceLimitRanges(s) {
		names = append(names, strconv.Quote(hardening.ObjectName("LimitRange", o.Namespace, o.Name)))
	}
	switch len(names) {
	case 0:
		ns := "namespace " + strconv.Quote(s.Pod.Namespace)
		if s.Pod.Namespace == "" {
			ns = "its namespace"
		}
		return ", and no LimitRange of " + ns + " among the audited objects defaults one"
	case 1:
		return ", nor does " + names[0] + ", the LimitRange of its namespace"
	}
	return ", nor do its namespace's LimitRanges " + strings.Join(names, ", ")
}
