package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// groupKind is a Kubernetes API group ("" for the core group) and kind.
type groupKind struct{ group, kind string }

// typeMeta is an object's apiVersion and kind.
type typeMeta struct{ apiVersion, kind string }

// groupOf returns the API group of an apiVersion: "apps" for "apps/v1",
// "" (the core group) for "v1".
func groupOf(apiVersion string) string {
	if i := strings.LastIndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// carrier is a custom resource kind that holds a pod template (or a pod
// spec) at a fixed path.
type carrier struct {
	// at is the field path of the pod template, or of the pod spec when
	// spec is set.
	at string
	// spec says that at holds a pod spec whose pod metadata is the
	// object's own, as in a Pod.
	spec bool
	// missing handles an object without anything at at; nil makes it an
	// error.
	missing func(d *decoder, js []byte, prefix, apiVersion, k string)
}

// carriers are the custom resources whose pod template bulwark reads at a
// known path, in any version of their API group.
var carriers = map[groupKind]carrier{
	{"apps.openshift.io", "DeploymentConfig"}: {at: "spec.template"},
	{"", "DeploymentConfig"}:                  {at: "spec.template"}, // OpenShift 3's legacy API: apiVersion v1
	{"argoproj.io", "Rollout"}:                {at: "spec.template", missing: rolloutWithoutTemplate},
	{"apps.kruise.io", "CloneSet"}:            {at: "spec.template"},
	{"apps.kruise.io", "StatefulSet"}:         {at: "spec.template"}, // Advanced StatefulSet
	{"apps.kruise.io", "DaemonSet"}:           {at: "spec.template"}, // Advanced DaemonSet
	{"apps.kruise.io", "BroadcastJob"}:        {at: "spec.template"},
	{"keda.sh", "ScaledJob"}:                  {at: "spec.jobTargetRef.template"},
	{"serving.knative.dev", "Service"}:        {at: "spec.template", missing: knativeWithoutTemplate},
	{"serving.knative.dev", "Configuration"}:  {at: "spec.template", missing: knativeWithoutTemplate},
	{"serving.knative.dev", "Revision"}:       {at: "spec", spec: true},
}

// offInput is a known kind whose containers bulwark does not audit from the
// object: a controller creates pods from it whose spec is not in the
// input, or it is no workload although pod-shaped fields may appear in it.
type offInput struct {
	controller string // empty when the kind runs no containers
	reason     string
}

// offInputKinds are those kinds, in any version of their API group; kind
// "*" stands for every kind of the group.
var offInputKinds = map[groupKind]offInput{
	{"argoproj.io", "Application"}: {"Argo CD",
		"deploys the manifests its spec.source names (a Git repository, a Helm chart), which are not in the input: audit them rendered"},
	{"argoproj.io", "ApplicationSet"}: {"Argo CD",
		"generates Applications whose manifests are not in the input: audit them rendered"},
	{"argoproj.io", "Workflow"}:                workflowPods,
	{"argoproj.io", "WorkflowTemplate"}:        workflowPods,
	{"argoproj.io", "ClusterWorkflowTemplate"}: workflowPods,
	{"argoproj.io", "CronWorkflow"}:            workflowPods,
	{"tekton.dev", "*"}: {"Tekton Pipelines",
		"runs each TaskRun as a pod it builds from a task's steps and sidecars (containers outside any pod spec) and the TaskRun's podTemplate"},
	{"monitoring.coreos.com", "Prometheus"}:                 prometheusPods,
	{"monitoring.coreos.com", "Alertmanager"}:               prometheusPods,
	{"monitoring.coreos.com", "ThanosRuler"}:                prometheusPods,
	{"monitoring.coreos.com", "PrometheusAgent"}:            prometheusPods,
	{"elasticsearch.k8s.elastic.co", "Elasticsearch"}:       eckPods,
	{"kibana.k8s.elastic.co", "Kibana"}:                     eckPods,
	{"apm.k8s.elastic.co", "ApmServer"}:                     eckPods,
	{"enterprisesearch.k8s.elastic.co", "EnterpriseSearch"}: eckPods,
	{"beat.k8s.elastic.co", "Beat"}:                         eckPods,
	{"agent.k8s.elastic.co", "Agent"}:                       eckPods,
	{"maps.k8s.elastic.co", "ElasticMapsServer"}:            eckPods,
	{"logstash.k8s.elastic.co", "Logstash"}:                 eckPods,
	{"helm.toolkit.fluxcd.io", "HelmRelease"}: {"Flux",
		"installs a Helm chart whose manifests are not in the input: audit them rendered (helm template)"},
	{"kustomize.toolkit.fluxcd.io", "Kustomization"}: {"Flux",
		"applies manifests from a source that are not in the input: audit them rendered (kustomize build)"},
	{"apps.kruise.io", "SidecarSet"}: {"OpenKruise",
		"injects its containers into the pods it selects, which are audited without them"},
	{"kustomize.config.k8s.io", "Kustomization"}: {"", "a kustomization: audit its output (kustomize build)"},
	{"kyverno.io", "*"}:                          {"", "a policy: pod-shaped patterns in it are not pods"},
	{"apps", "ControllerRevision"}: {"",
		"a stored revision of a DaemonSet's or StatefulSet's pod template: the workload itself is audited"},
	{"apiextensions.k8s.io", "CustomResourceDefinition"}: {"", "a resource definition: a schema, not a workload"},
}

var (
	workflowPods = offInput{"Argo Workflows",
		"builds each step's pod from the workflow's pod fields, the step template's and its container, script or containerSet, and adds its own init and wait containers: no part of the input is that pod's spec"}
	prometheusPods = offInput{"Prometheus Operator",
		"creates a StatefulSet (or a DaemonSet) whose pods merge spec.containers into the containers the operator generates: audit the workload it renders"}
	eckPods = offInput{"Elastic Cloud on Kubernetes",
		"creates workloads whose pods merge the podTemplate fields in this object into the operator's defaults: audit the workloads it renders"}
)

// Reasons for custom resources searched by shape.
const (
	reasonNoPod = "no pod template or pod spec in it"
)

// kube decodes a Kubernetes object: a List, a built-in workload at any
// version, a known custom resource, or any other object, searched for pod
// templates and pod specs by shape.
func (d *decoder) kube(js []byte, prefix, apiVersion, k string) {
	if d.maybeList(js, prefix, apiVersion, k) {
		return
	}
	g := groupOf(apiVersion)
	if d.builtin(js, prefix, g, k) {
		return
	}
	gk := groupKind{g, k}
	if c, ok := carriers[gk]; ok {
		d.carrier(js, prefix, apiVersion, k, c)
		return
	}
	o, ok := offInputKinds[gk]
	if !ok {
		o, ok = offInputKinds[groupKind{g, "*"}]
	}
	if ok {
		d.skipObject(js, prefix, apiVersion, k, o.reason, o.controller)
		return
	}
	if newObject, ok := objectSubjectKind(gvk{apiVersion, k}); ok {
		d.object(js, prefix, gvk{apiVersion, k}, newObject())
		return
	}
	d.shapes(js, prefix, apiVersion, k)
}

// object audits a Kubernetes object that is not a workload as an object
// subject.
func (d *decoder) object(js []byte, prefix string, k gvk, obj any) {
	o, err := newClusterObject(d.source, d.index, d.line+1, js, strings.TrimSuffix(prefix, "."), k, obj)
	if err != nil {
		d.failObject(js, prefix, k.kind, fmt.Errorf("%s %s: %w", k.apiVersion, k.kind, err))
		return
	}
	d.add(hardening.NewObjectSubject(&o))
}

// objectName renders the display name of an object, reading only its
// metadata's names: "Deployment/prod/web", "Widget/<unnamed>", or the kind
// alone when the metadata cannot be read.
func objectName(js []byte, k string) string {
	var m struct {
		Metadata struct {
			Name         string `json:"name"`
			GenerateName string `json:"generateName"`
			Namespace    string `json:"namespace"`
		} `json:"metadata"`
	}
	if unmarshalKube(js, &m) != nil {
		return k
	}
	return hardening.ObjectName(k, m.Metadata.Namespace, hardening.ObjectMetaName(m.Metadata.Name, m.Metadata.GenerateName))
}

// failObject reports an error about an object, named.
func (d *decoder) failObject(js []byte, prefix, k string, err error) {
	d.failAt(prefix, fmt.Errorf("%s: %w", objectName(js, k), err))
}

// skipObject records a whole object as skipped.
func (d *decoder) skipObject(js []byte, prefix, apiVersion, k, reason, controller string) {
	d.skip(hardening.Skipped{Kind: apiVersion + " " + k, Name: objectName(js, k),
		Path: strings.TrimSuffix(prefix, "."), Reason: reason, Controller: controller})
}

// builtin decodes the Kubernetes kinds that hold a pod or a pod template,
// whatever the version of their group: Pod, PodTemplate and
// ReplicationController in the core group; Deployment, StatefulSet,
// DaemonSet and ReplicaSet in apps and extensions; Job and CronJob in
// batch. Those six are also read in the core group (apiVersion: v1), a
// common mistake whose pod template is what would run once the apiVersion
// is fixed. Every version is decoded with the GA type: the pod template
// is core/v1 at every version, and fields only older versions have
// (rollbackTo, templateGeneration) are unknown fields, ignored.
func (d *decoder) builtin(js []byte, prefix, g, k string) bool {
	failed := func(err error) { d.failObject(js, prefix, k, err) }
	apps := g == "apps" || g == "extensions" || g == ""
	batch := g == "batch" || g == ""
	switch {
	case g == "" && k == "Pod":
		var o corev1.Pod
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.add(&hardening.Subject{
			Name:        hardening.ObjectName(k, o.Namespace, hardening.ObjectMetaName(o.Name, o.GenerateName)),
			Kind:        hardening.KindPod,
			Pod:         &o,
			PodSpecPath: prefix + "spec",
			PodMetaPath: prefix + "metadata",
		})
	case g == "" && k == "PodTemplate":
		var o corev1.PodTemplate
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Template, "template", "")
	case g == "" && k == "ReplicationController":
		var o corev1.ReplicationController
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		if o.Spec.Template == nil {
			failed(errors.New("spec.template is missing"))
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, o.Spec.Template, "spec.template", "")
	case apps && k == "Deployment":
		var o appsv1.Deployment
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template", "")
	case apps && k == "StatefulSet":
		var o appsv1.StatefulSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template", "")
	case apps && k == "DaemonSet":
		var o appsv1.DaemonSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template", "")
	case apps && k == "ReplicaSet":
		var o appsv1.ReplicaSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template", "")
	case batch && k == "Job":
		var o batchv1.Job
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template", "")
	case batch && k == "CronJob":
		var o batchv1.CronJob
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return true
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.JobTemplate.Spec.Template, "spec.jobTemplate.spec.template", "")
	default:
		return false
	}
	return true
}

// carrier decodes a known custom resource's metadata and the pod template
// (or pod spec) at c.at, and nothing else of it: its other fields are the
// operator's business.
func (d *decoder) carrier(js []byte, prefix, apiVersion, k string, c carrier) {
	failed := func(err error) { d.failObject(js, prefix, k, err) }
	var m objectMeta
	if err := unmarshalKube(js, &m); err != nil {
		failed(err)
		return
	}
	raw, err := field(js, c.at)
	if err != nil {
		failed(err)
		return
	}
	if raw == nil {
		if c.missing == nil {
			failed(errors.New(c.at + " is missing"))
			return
		}
		c.missing(d, js, prefix, apiVersion, k)
		return
	}
	if c.spec {
		var spec corev1.PodSpec
		if err := unmarshalKube(raw, &spec); err != nil {
			failed(fmt.Errorf("%s: %w", c.at, err))
			return
		}
		d.podSpec(prefix, k, &m.Metadata, &spec, c.at, "")
		return
	}
	var t corev1.PodTemplateSpec
	if err := unmarshalKube(raw, &t); err != nil {
		failed(fmt.Errorf("%s: %w", c.at, err))
		return
	}
	d.template(prefix, k, &m.Metadata, &t, c.at, "")
}

// rolloutWithoutTemplate handles an Argo Rollout that names a workload
// (spec.workloadRef) instead of holding a pod template: its pods run that
// workload's template.
func rolloutWithoutTemplate(d *decoder, js []byte, prefix, apiVersion, k string) {
	raw, err := field(js, "spec.workloadRef")
	var ref struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	if err == nil && raw != nil {
		err = unmarshalKube(raw, &ref)
	}
	switch {
	case err != nil:
		d.failObject(js, prefix, k, fmt.Errorf("spec.workloadRef: %w", err))
	case raw == nil:
		d.failObject(js, prefix, k, errors.New("neither spec.template nor spec.workloadRef"))
	default:
		d.skipObject(js, prefix, apiVersion, k, fmt.Sprintf(
			"its pods run the pod template of the %s %q that spec.workloadRef names, audited where that object is in the input",
			ref.Kind, ref.Name), "Argo Rollouts")
	}
}

// knativeWithoutTemplate handles a Knative Service or Configuration without
// spec.template, such as the v1alpha1 forms (runLatest, release, pinned).
func knativeWithoutTemplate(d *decoder, js []byte, prefix, apiVersion, k string) {
	d.skipObject(js, prefix, apiVersion, k,
		"no spec.template: its pods run revisions that are not in the input", "Knative Serving")
}

// objectMeta is an object's metadata, decoded alone.
type objectMeta struct {
	Metadata metav1.ObjectMeta `json:"metadata"`
}

// field returns the value at a dotted path of simple keys in the JSON
// object js, or nil when a key is missing or null. Repeated keys resolve
// as the API server resolves them: the last wins.
func field(js []byte, path string) (json.RawMessage, error) {
	cur := json.RawMessage(js)
	keys := strings.Split(path, ".")
	for i, key := range keys {
		var m map[string]json.RawMessage
		if err := unmarshalKube(cur, &m); err != nil {
			if i == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", strings.Join(keys[:i], "."), err)
		}
		v, ok := m[key]
		if !ok || bytes.Equal(bytes.TrimSpace(v), []byte("null")) {
			return nil, nil
		}
		cur = v
	}
	return cur, nil
}

// template lifts a workload's pod template into a Pod named after the
// workload, with suffix appended to the name.
func (d *decoder) template(prefix, k string, meta *metav1.ObjectMeta, t *corev1.PodTemplateSpec, at, suffix string) {
	pod := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: t.ObjectMeta,
		Spec:       t.Spec,
	}
	pod.Namespace, pod.Name = meta.Namespace, meta.Name
	d.add(&hardening.Subject{
		Name:                hardening.ObjectName(k, meta.Namespace, hardening.ObjectMetaName(meta.Name, meta.GenerateName)) + suffix,
		Kind:                hardening.KindPod,
		Pod:                 pod,
		PodSpecPath:         prefix + at + ".spec",
		PodMetaPath:         prefix + at + ".metadata",
		WorkloadAnnotations: meta.Annotations,
		WorkloadMetaPath:    prefix + "metadata",
	})
}

// podSpec lifts a pod spec found at a path other than a template's spec.
// At "spec" the object is shaped like a Pod and its metadata is the pod's;
// elsewhere the pod has no metadata of its own, and the object's
// annotations are read as a workload's.
func (d *decoder) podSpec(prefix, k string, meta *metav1.ObjectMeta, spec *corev1.PodSpec, at, suffix string) {
	pod := &corev1.Pod{
		TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		Spec:     *spec,
	}
	s := &hardening.Subject{
		Name:        hardening.ObjectName(k, meta.Namespace, hardening.ObjectMetaName(meta.Name, meta.GenerateName)) + suffix,
		Kind:        hardening.KindPod,
		Pod:         pod,
		PodSpecPath: prefix + at,
		PodMetaPath: prefix + "metadata",
	}
	if at == "spec" {
		pod.ObjectMeta = *meta
	} else {
		pod.Namespace, pod.Name = meta.Namespace, meta.Name
		s.WorkloadAnnotations, s.WorkloadMetaPath = meta.Annotations, prefix+"metadata"
	}
	d.add(s)
}

// shapes searches an object of a kind bulwark does not know for pod
// templates and pod specs, and audits each one found.
func (d *decoder) shapes(js []byte, prefix, apiVersion, k string) {
	hits, err := searchPods(js, d.limits())
	if err != nil {
		d.failObject(js, prefix, k, fmt.Errorf("searching for pod specs: %w", err))
		return
	}
	name := objectName(js, k)
	pods := 0
	for _, h := range hits {
		if h.kind != hitMiss {
			pods++
		}
	}
	if pods == 0 {
		d.skipObject(js, prefix, apiVersion, k, reasonNoPod, "")
	}
	var meta *metav1.ObjectMeta
	for _, h := range hits {
		if h.kind == hitMiss {
			d.skip(hardening.Skipped{Kind: apiVersion + " " + k, Name: name, Path: prefix + h.path, Part: true, Reason: h.reason})
			continue
		}
		if meta == nil {
			var m objectMeta
			if err := unmarshalKube(js, &m); err != nil {
				d.failAt(prefix, fmt.Errorf("%s: %w", name, err))
				return
			}
			meta = &m.Metadata
		}
		suffix := ""
		if pods > 1 {
			suffix = "@" + h.path
		}
		raw := js[h.start:h.end]
		if h.kind == hitTemplate {
			var t corev1.PodTemplateSpec
			if err := unmarshalKube(raw, &t); err != nil {
				d.failAt(prefix, fmt.Errorf("%s: %s: %w", name, h.path, err))
				continue
			}
			d.template(prefix, k, meta, &t, h.path, suffix)
			continue
		}
		var spec corev1.PodSpec
		if err := unmarshalKube(raw, &spec); err != nil {
			d.failAt(prefix, fmt.Errorf("%s: %s: %w", name, h.path, err))
			continue
		}
		d.podSpec(prefix, k, meta, &spec, h.path, suffix)
	}
}

// maybeList decodes a List — kind List, or a kind ending in List with an
// items member — item by item, and reports whether the object was one.
// The items of a typed list (PodList, WidgetList) may omit apiVersion and
// kind: they are of the list's kind without "List", at its apiVersion.
func (d *decoder) maybeList(js []byte, prefix, apiVersion, k string) bool {
	if !strings.HasSuffix(k, "List") {
		return false
	}
	var item typeMeta // of the items, for a typed list
	if k != "List" {
		var l struct {
			Items json.RawMessage `json:"items"`
		}
		if unmarshalKube(js, &l) != nil || l.Items == nil {
			return false // not a list, whatever its name
		}
		item = typeMeta{apiVersion, strings.TrimSuffix(k, "List")}
	}
	d.list(js, prefix, item)
	return true
}

// list decodes the items of a List one by one. item is the apiVersion and
// kind of a typed list's items (zero for kind: List), used when an item
// does not say.
func (d *decoder) list(js []byte, prefix string, item typeMeta) {
	var l struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := unmarshalKube(js, &l); err != nil {
		d.failAt(prefix, fmt.Errorf("List: %w", err))
		return
	}
	for i, raw := range l.Items {
		p := prefix + "items[" + strconv.Itoa(i) + "]."
		raw = bytes.TrimSpace(raw)
		if item.kind != "" && len(raw) > 0 && raw[0] == '{' {
			var h header
			if err := unmarshalKube(raw, &h); err != nil {
				d.failAt(p, fmt.Errorf("reading apiVersion and kind: %w", err))
				continue
			}
			if h.APIVersion == nil && h.Kind == nil {
				d.kube(raw, p, item.apiVersion, item.kind)
				continue
			}
		}
		d.value(raw, p)
	}
}
