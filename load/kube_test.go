package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Workloads at every apiVersion their kind was ever served at, and in the
// core group by mistake, are audited like the GA kind.
func TestWorkloadVersions(t *testing.T) {
	tmpl := func(name, pod string, containers ...string) summary {
		return summary{Name: name, Kind: hardening.KindPod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: pod, Containers: containers}
	}
	tests := []struct {
		file string
		want []summary
	}{
		{"extensions-v1beta1.yaml", []summary{
			{Name: "Deployment/web/nginx-legacy", Kind: hardening.KindPod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
				Pod: "web/nginx-legacy", Containers: []string{"containers/nginx"},
				Annotations: map[string]string{"deployment.kubernetes.io/revision": "7"}},
			tmpl("DaemonSet/kube-system/fluentd", "kube-system/fluentd", "containers/fluentd"),
			tmpl("ReplicaSet/frontend", "/frontend", "containers/php-redis"),
		}},
		{"apps-v1beta1.yaml", []summary{
			tmpl("Deployment/ancient", "/ancient", "containers/app"),
			tmpl("StatefulSet/shop/web", "shop/web", "containers/nginx"),
		}},
		{"apps-v1beta2.yaml", []summary{
			tmpl("Deployment/prod/api", "prod/api", "containers/api"),
			tmpl("StatefulSet/data/zk", "data/zk", "containers/kubernetes-zookeeper"),
			tmpl("DaemonSet/kube-system/node-problem-detector", "kube-system/node-problem-detector", "containers/npd"),
			tmpl("ReplicaSet/prod/cache", "prod/cache", "containers/redis"),
		}},
		{"batch-v1beta1-cronjob.yaml", []summary{
			{Name: "CronJob/ops/node-inventory", Kind: hardening.KindPod, SpecPath: "spec.jobTemplate.spec.template.spec",
				MetaPath: "spec.jobTemplate.spec.template.metadata", Pod: "ops/node-inventory", Containers: []string{"containers/inventory"}},
		}},
		{"batch-v2alpha1-cronjob.yaml", []summary{
			{Name: "CronJob/hello", Kind: hardening.KindPod, SpecPath: "spec.jobTemplate.spec.template.spec",
				MetaPath: "spec.jobTemplate.spec.template.metadata", Pod: "/hello", Containers: []string{"containers/hello"}},
		}},
		{"core-v1-deployment.yaml", []summary{
			tmpl("Deployment/default/misversioned", "default/misversioned", "containers/app"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "versions", tt.file)
			r := Paths(Options{}, path)
			for i := range tt.want {
				tt.want[i].Source, tt.want[i].Document = path, i
			}
			if diff := cmp.Diff(tt.want, summarize(r.Subjects)); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			if len(r.Errors) > 0 || len(r.Skipped) > 0 {
				t.Errorf("errors %v, skipped %v; want none", r.Errors, r.Skipped)
			}
		})
	}
}

// The pod spec of the batch/v1beta1 CronJob that used to be skipped is
// decoded whole.
func TestOldCronJobHostNamespaces(t *testing.T) {
	r := Paths(Options{}, "testdata/versions/batch-v1beta1-cronjob.yaml")
	if len(r.Subjects) != 1 {
		t.Fatalf("subjects %v, skipped %v, errors %v", summarize(r.Subjects), r.Skipped, r.Errors)
	}
	spec := r.Subjects[0].Pod.Spec
	if !spec.HostPID || !spec.HostIPC || !spec.HostNetwork {
		t.Errorf("hostPID %v, hostIPC %v, hostNetwork %v; want all true", spec.HostPID, spec.HostIPC, spec.HostNetwork)
	}
}

func TestCustomResources(t *testing.T) {
	pod := hardening.KindPod
	tests := []struct {
		file     string
		subjects []summary
		skipped  []hardening.Skipped
	}{
		{file: "deploymentconfig.yaml", subjects: []summary{
			{Name: "DeploymentConfig/shop/frontend", Kind: pod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
				Pod: "shop/frontend", Containers: []string{"containers/helloworld"},
				Annotations: map[string]string{"openshift.io/generated-by": "OpenShiftNewApp"}},
			{Name: "DeploymentConfig/shop/legacy", Kind: pod, Document: 1, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
				Pod: "shop/legacy", Containers: []string{"containers/ruby"}},
		}},
		{file: "rollout.yaml",
			subjects: []summary{
				{Name: "Rollout/demo/rollouts-demo", Kind: pod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "demo/rollouts-demo", Containers: []string{"containers/rollouts-demo"}},
				{Name: "Deployment/demo/rollout-ref-deployment", Kind: pod, Document: 2, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "demo/rollout-ref-deployment", Containers: []string{"containers/rollouts-demo"}},
			},
			skipped: []hardening.Skipped{{Document: 1, Kind: "argoproj.io/v1alpha1 Rollout", Name: "Rollout/demo/rollout-ref-deployment",
				Reason:     `its pods run the pod template of the Deployment "rollout-ref-deployment" that spec.workloadRef names, audited where that object is in the input`,
				Controller: "Argo Rollouts"}},
		},
		{file: "kruise.yaml",
			subjects: []summary{
				{Name: "CloneSet/kruise-demo/sample", Kind: pod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "kruise-demo/sample", Containers: []string{"containers/nginx"}},
				{Name: "StatefulSet/kruise-demo/sample-sts", Kind: pod, Document: 1, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "kruise-demo/sample-sts", Containers: []string{"containers/main"}},
				{Name: "DaemonSet/kruise-demo/sample-ds", Kind: pod, Document: 2, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "kruise-demo/sample-ds", Containers: []string{"containers/agent"}},
				{Name: "BroadcastJob/kruise-demo/download-image", Kind: pod, Document: 3, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "kruise-demo/download-image", Containers: []string{"containers/pull"}},
			},
			skipped: []hardening.Skipped{{Document: 4, Kind: "apps.kruise.io/v1alpha1 SidecarSet", Name: "SidecarSet/log-sidecar",
				Reason: "injects its containers into the pods it selects, which are audited without them", Controller: "OpenKruise"}},
		},
		{file: "keda.yaml",
			subjects: []summary{{Name: "ScaledJob/queues/rabbitmq-consumer", Kind: pod, SpecPath: "spec.jobTargetRef.template.spec",
				MetaPath: "spec.jobTargetRef.template.metadata", Pod: "queues/rabbitmq-consumer", Containers: []string{"containers/consumer"},
				Annotations: map[string]string{"autoscaling.keda.sh/paused": "false"}}},
			skipped: []hardening.Skipped{{Document: 1, Kind: "keda.sh/v1alpha1 ScaledObject", Name: "ScaledObject/queues/worker",
				Reason: "no pod template or pod spec in it"}},
		},
		{file: "knative.yaml",
			subjects: []summary{
				{Name: "Service/default/hello", Kind: pod, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "default/hello", Containers: []string{"containers/"}},
				{Name: "Configuration/default/hello-config", Kind: pod, Document: 1, SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
					Pod: "default/hello-config", Containers: []string{"containers/"}},
				// A Revision is shaped like a Pod: its metadata is the pod's.
				{Name: "Revision/default/hello-00001", Kind: pod, Document: 2, SpecPath: "spec", MetaPath: "metadata",
					Pod: "default/hello-00001", Containers: []string{"containers/user-container"}},
			},
			skipped: []hardening.Skipped{{Document: 3, Kind: "serving.knative.dev/v1alpha1 Service", Name: "Service/default/legacy",
				Reason: "no spec.template: its pods run revisions that are not in the input", Controller: "Knative Serving"}},
		},
		{file: "argo-workflows.yaml", skipped: []hardening.Skipped{
			{Kind: "argoproj.io/v1alpha1 Workflow", Name: "Workflow/argo/steps-*", Reason: workflowPods.reason, Controller: "Argo Workflows"},
			{Document: 1, Kind: "argoproj.io/v1alpha1 WorkflowTemplate", Name: "WorkflowTemplate/argo/container-set", Reason: workflowPods.reason, Controller: "Argo Workflows"},
			{Document: 2, Kind: "argoproj.io/v1alpha1 CronWorkflow", Name: "CronWorkflow/argo/hello-world", Reason: workflowPods.reason, Controller: "Argo Workflows"},
		}},
		{file: "tekton.yaml", skipped: []hardening.Skipped{
			{Kind: "tekton.dev/v1 Task", Name: "Task/ci/run-tests", Reason: offInputKinds[groupKind{"tekton.dev", "*"}].reason, Controller: "Tekton Pipelines"},
			{Document: 1, Kind: "tekton.dev/v1 TaskRun", Name: "TaskRun/ci/run-tests-*", Reason: offInputKinds[groupKind{"tekton.dev", "*"}].reason, Controller: "Tekton Pipelines"},
		}},
		{file: "operators.yaml", skipped: []hardening.Skipped{
			{Kind: "monitoring.coreos.com/v1 Prometheus", Name: "Prometheus/monitoring/k8s", Reason: prometheusPods.reason, Controller: "Prometheus Operator"},
			{Document: 1, Kind: "monitoring.coreos.com/v1 Alertmanager", Name: "Alertmanager/monitoring/main", Reason: prometheusPods.reason, Controller: "Prometheus Operator"},
			{Document: 2, Kind: "elasticsearch.k8s.elastic.co/v1 Elasticsearch", Name: "Elasticsearch/elastic/quickstart", Reason: eckPods.reason,
				Controller: "Elastic Cloud on Kubernetes"},
			{Document: 3, Kind: "argoproj.io/v1alpha1 Application", Name: "Application/argocd/guestbook",
				Reason:     "deploys the manifests its spec.source names (a Git repository, a Helm chart), which are not in the input: audit them rendered",
				Controller: "Argo CD"},
			{Document: 4, Kind: "helm.toolkit.fluxcd.io/v2 HelmRelease", Name: "HelmRelease/apps/podinfo",
				Reason: "installs a Helm chart whose manifests are not in the input: audit them rendered (helm template)", Controller: "Flux"},
			// Pod-shaped fields in a policy or a stored revision are no pods.
			{Document: 5, Kind: "kyverno.io/v1 ClusterPolicy", Name: "ClusterPolicy/disallow-latest-tag", Reason: "a policy: pod-shaped patterns in it are not pods"},
			{Document: 6, Kind: "apps/v1 ControllerRevision", Name: "ControllerRevision/kube-system/fluentd-6d8f7b9c4d",
				Reason: "a stored revision of a DaemonSet's or StatefulSet's pod template: the workload itself is audited"},
		}},
		{file: "shapes.yaml",
			subjects: []summary{
				// One object, several pod templates: each is named after its path.
				{Name: "RayCluster/ml/raycluster-kuberay@spec.headGroupSpec.template", Kind: pod,
					SpecPath: "spec.headGroupSpec.template.spec", MetaPath: "spec.headGroupSpec.template.metadata",
					Pod: "ml/raycluster-kuberay", Containers: []string{"containers/ray-head"}},
				{Name: "RayCluster/ml/raycluster-kuberay@spec.workerGroupSpecs[0].template", Kind: pod,
					SpecPath: "spec.workerGroupSpecs[0].template.spec", MetaPath: "spec.workerGroupSpecs[0].template.metadata",
					Pod: "ml/raycluster-kuberay", Containers: []string{"containers/ray-worker"}},
				{Name: "RayCluster/ml/raycluster-kuberay@spec.workerGroupSpecs[1].template", Kind: pod,
					SpecPath: "spec.workerGroupSpecs[1].template.spec", MetaPath: "spec.workerGroupSpecs[1].template.metadata",
					Pod: "ml/raycluster-kuberay", Containers: []string{"containers/ray-worker"}},
				{Name: "PyTorchJob/kubeflow/pytorch-simple@spec.pytorchReplicaSpecs.Master.template", Kind: pod, Document: 1,
					SpecPath: "spec.pytorchReplicaSpecs.Master.template.spec", MetaPath: "spec.pytorchReplicaSpecs.Master.template.metadata",
					Pod: "kubeflow/pytorch-simple", Containers: []string{"containers/pytorch"}},
				{Name: "PyTorchJob/kubeflow/pytorch-simple@spec.pytorchReplicaSpecs.Worker.template", Kind: pod, Document: 1,
					SpecPath: "spec.pytorchReplicaSpecs.Worker.template.spec", MetaPath: "spec.pytorchReplicaSpecs.Worker.template.metadata",
					Pod: "kubeflow/pytorch-simple", Containers: []string{"containers/pytorch"}},
				// A pod spec under another key: the object's annotations
				// are read as a workload's.
				{Name: "InferenceService/models/custom-model", Kind: pod, Document: 2, SpecPath: "spec.predictor", MetaPath: "metadata",
					Pod: "models/custom-model", Containers: []string{"containers/kserve-container"},
					Annotations: map[string]string{"serving.kserve.io/deploymentMode": "RawDeployment"}},
				{Name: "Pod/default/misgrouped", Kind: pod, Document: 3, SpecPath: "spec", MetaPath: "metadata",
					Pod: "default/misgrouped", Containers: []string{"containers/shell"}},
				{Name: "Template/openshift/redis-template", Kind: pod, Document: 4,
					SpecPath: "objects[1].spec.template.spec", MetaPath: "objects[1].spec.template.metadata",
					Pod: "openshift/redis-template", Containers: []string{"containers/redis"}},
			},
			skipped: []hardening.Skipped{
				{Document: 5, Kind: "numaflow.numaproj.io/v1alpha1 Pipeline", Name: "Pipeline/streams/simple-pipeline", Reason: "no pod template or pod spec in it"},
				{Document: 5, Kind: "numaflow.numaproj.io/v1alpha1 Pipeline", Name: "Pipeline/streams/simple-pipeline",
					Path: "spec.vertices[1].udf.container", Part: true, Reason: "a lone container, outside any pod spec"},
				{Document: 6, Kind: "flink.apache.org/v1beta1 FlinkDeployment", Name: "FlinkDeployment/flink/pod-template-example",
					Reason: "no pod template or pod spec in it"},
				{Document: 6, Kind: "flink.apache.org/v1beta1 FlinkDeployment", Name: "FlinkDeployment/flink/pod-template-example",
					Path: "spec.podTemplate.spec.containers", Part: true,
					Reason: "containers that are not a pod's list of containers: element 0 has no image"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "crd", tt.file)
			r := Paths(Options{}, path)
			for i := range tt.subjects {
				tt.subjects[i].Source = path
			}
			for i := range tt.skipped {
				tt.skipped[i].Source = path
			}
			if diff := cmp.Diff(tt.subjects, summarize(r.Subjects)); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, r.Skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if len(r.Errors) > 0 {
				t.Errorf("errors: %v", r.Errors)
			}
		})
	}
}

// Known kinds are decoded exactly: a missing or malformed template is an
// error naming the object and the path.
func TestCustomResourceErrors(t *testing.T) {
	tests := []struct {
		name, in string
		err      string
	}{
		{"DeploymentConfig without template",
			"apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: dc}\nspec: {replicas: 1}\n",
			"DeploymentConfig/dc: spec.template is missing"},
		{"Rollout with neither template nor workloadRef",
			"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, namespace: ns}\nspec: {replicas: 1}\n",
			"Rollout/ns/r: neither spec.template nor spec.workloadRef"},
		{"Rollout with a malformed workloadRef",
			"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {workloadRef: [1]}\n",
			"Rollout/r: spec.workloadRef: json: cannot unmarshal array"},
		{"template containers not a list",
			"apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {template: {spec: {containers: 5}}}\n",
			"Rollout/r: spec.template: json: cannot unmarshal number"},
		{"spec not an object",
			"apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: j}\nspec: [1]\n",
			"ScaledJob/j: spec: json: cannot unmarshal array"},
		{"ScaledJob without jobTargetRef",
			"apiVersion: keda.sh/v1alpha1\nkind: ScaledJob\nmetadata: {name: j}\nspec: {triggers: []}\n",
			"ScaledJob/j: spec.jobTargetRef.template is missing"},
		{"Revision with a malformed spec",
			"apiVersion: serving.knative.dev/v1\nkind: Revision\nmetadata: {name: r}\nspec: {hostPID: yes-please}\n",
			"Revision/r: spec: json: cannot unmarshal string"},
		{"metadata not an object",
			"apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata: [1]\nspec: {template: {}}\n",
			"CloneSet: json: cannot unmarshal array"},
		{"a pod spec found by shape with a wrong type",
			"apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: {name: rc}\nspec: {headGroupSpec: {template: {spec: {hostPID: 3, containers: [{name: h, image: ray}]}}}}\n",
			"RayCluster/rc: spec.headGroupSpec.template: json: cannot unmarshal number"},
		{"metadata of a shape object not an object",
			"apiVersion: ray.io/v1\nkind: RayCluster\nmetadata: 5\nspec: {headGroupSpec: {template: {spec: {containers: [{name: h, image: ray}]}}}}\n",
			"RayCluster: json: cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "in.yaml", []byte(tt.in))
			if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.err) {
				t.Errorf("errors %v, want one containing %q", r.Errors, tt.err)
			}
			if len(r.Subjects) != 0 || len(r.Skipped) != 0 {
				t.Errorf("subjects %v, skipped %v; want none", summarize(r.Subjects), r.Skipped)
			}
		})
	}
}

// hitSummary is what the tests compare of a hit.
type hitSummary struct {
	Kind   string
	Path   string
	Reason string `json:",omitempty"`
}

func summarizeHits(js string, hits []hit) []hitSummary {
	var out []hitSummary
	for _, h := range hits {
		s := hitSummary{Kind: [...]string{"template", "spec", "miss"}[h.kind], Path: h.path, Reason: h.reason}
		if h.kind != hitMiss {
			// The span must be exactly the template or pod spec.
			if span := js[h.start:h.end]; span[0] != '{' || span[len(span)-1] != '}' {
				s.Reason = "bad span " + span
			}
		}
		out = append(out, s)
	}
	return out
}

func TestSearchPods(t *testing.T) {
	const c = `{"name":"c","image":"i"}`
	tests := []struct {
		name string
		in   string
		want []hitSummary
	}{
		{"nothing", `{"kind":"Widget","spec":{"size":3}}`, nil},
		{"template", `{"spec":{"template":{"metadata":{},"spec":{"containers":[` + c + `]}}}}`,
			[]hitSummary{{Kind: "template", Path: "spec.template"}}},
		{"template without metadata", `{"spec":{"x":{"spec":{"containers":[` + c + `]}}}}`,
			[]hitSummary{{Kind: "template", Path: "spec.x"}}},
		{"the object's own spec", `{"metadata":{"name":"p"},"spec":{"containers":[` + c + `]}}`,
			[]hitSummary{{Kind: "spec", Path: "spec"}}},
		{"a pod spec under another key", `{"spec":{"predictor":{"containers":[` + c + `]}}}`,
			[]hitSummary{{Kind: "spec", Path: "spec.predictor"}}},
		{"in arrays, in document order", `{"spec":{"groups":[{"template":{"spec":{"containers":[` + c + `]}}},{"pod":{"containers":[` + c + `,` + c + `]}}]}}`,
			[]hitSummary{{Kind: "template", Path: "spec.groups[0].template"}, {Kind: "spec", Path: "spec.groups[1].pod"}}},
		{"nothing below a pod spec counts", `{"spec":{"template":{"spec":{"containers":[{"image":"i","x":{"spec":{"containers":[` + c + `]}},"container":` + c + `}],"y":{"containers":[1]}}}}}`,
			[]hitSummary{{Kind: "template", Path: "spec.template"}}},
		{"metadata and status are not searched", `{"metadata":{"a":{"containers":[` + c + `]}},"status":{"template":{"spec":{"containers":[` + c + `]}}},"spec":{}}`, nil},
		{"deeper metadata and status are", `{"spec":{"status":{"containers":[` + c + `]}}}`,
			[]hitSummary{{Kind: "spec", Path: "spec.status"}}},
		{"empty and null containers are no pod spec and no miss", `{"spec":{"a":{"containers":[]},"b":{"containers":null}}}`, nil},
		{"containers not objects", `{"spec":{"containers":["app","sidecar"]}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: element 0 is a string"}}},
		{"containers an object", `{"spec":{"containers":{"type":"array"}}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: it is an object"}}},
		{"containers a number", `{"spec":{"containers":5}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: it is a number"}}},
		{"one container without an image", `{"spec":{"containers":[` + c + `,{"name":"patch"}]}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: element 1 has no image"}}},
		{"an image that is not a string", `{"spec":{"containers":[{"image":{"repository":"nginx"}}]}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: element 0 has no image"}}},
		{"element null", `{"spec":{"containers":[null]}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: element 0 is null"}}},
		{"a lone container", `{"spec":{"steps":[{"container":` + c + `}]}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.steps[0].container", Reason: "a lone container, outside any pod spec"}}},
		{"a container without image is no container", `{"spec":{"template":{"container":{"resources":{}}}}}`, nil},
		{"containers at the top level", `{"kind":"Odd","containers":[` + c + `]}`,
			[]hitSummary{{Kind: "miss", Path: "containers", Reason: "containers at the top level of the object, outside any pod spec"}}},
		{"escaped keys are the keys they decode to", `{"spec":{"cont\u0061iners":[{"im\u0061ge":"i"}]}}`,
			[]hitSummary{{Kind: "spec", Path: "spec"}}},
		{"keys are case-sensitive", `{"spec":{"Containers":[` + c + `]}}`, nil},
		{"keys that are not identifiers are bracketed", `{"spec":{"by.zone":{"eu-1":{"template":{"spec":{"containers":[` + c + `]}}}}}}`,
			[]hitSummary{{Kind: "template", Path: "spec[by.zone].eu-1.template"}}},
		{"a repeated key: the last value wins", `{"spec":{"template":{"spec":{"containers":[` + c + `]}},"template":{"spec":{}}}}`, nil},
		{"a repeated key: the last value wins, found", `{"spec":{"a":{"containers":[1]},"a":{"containers":[` + c + `]}}}`,
			[]hitSummary{{Kind: "spec", Path: "spec.a"}}},
		{"a repeated containers key", `{"spec":{"containers":[` + c + `],"containers":"x"}}`,
			[]hitSummary{{Kind: "miss", Path: "spec.containers", Reason: "containers that are not a pod's list of containers: it is a string"}}},
		{"containers of its own make a pod spec, whatever its spec holds", `{"spec":{"x":{"containers":[` + c + `],"spec":{"containers":[` + c + `]}}}}`,
			[]hitSummary{{Kind: "spec", Path: "spec.x"}}},
		{"the object's own containers are a miss; its spec is searched", `{"containers":[` + c + `],"spec":{"containers":[` + c + `]}}`,
			[]hitSummary{{Kind: "miss", Path: "containers", Reason: "containers at the top level of the object, outside any pod spec"}, {Kind: "spec", Path: "spec"}}},
		{"a repeated spec in a template", `{"spec":{"t":{"spec":{"containers":[` + c + `]},"spec":{"containers":[]}}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, err := searchPods([]byte(tt.in), defaultSearchLimits)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, summarizeHits(tt.in, hits)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchPodsLimits(t *testing.T) {
	const c = `{"name":"c","image":"i"}`
	many := `{"spec":{"pods":[` + strings.Repeat(`{"containers":[`+c+`]},`, 9) + `{"containers":[` + c + `]}]}}`
	tests := []struct {
		name string
		in   string
		lim  searchLimits
		err  string
	}{
		{"values", `{"a":[1,2,3,4,5,6,7,8,9,10]}`, searchLimits{nodes: 10, hits: 10}, "more than 10 values to search for pod specs"},
		{"values, fitting", `{"a":[1,2,3,4,5,6,7,8]}`, searchLimits{nodes: 10, hits: 10}, ""},
		{"pod specs", many, searchLimits{nodes: 1000, hits: 9}, "more than 9 pod templates, pod specs and containers outside them"},
		{"pod specs, fitting", many, searchLimits{nodes: 1000, hits: 10}, ""},
		{"misses count too", `{"a":[{"containers":1},{"containers":2},{"containers":3}]}`, searchLimits{nodes: 1000, hits: 2}, "more than 2 pod templates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := searchPods([]byte(tt.in), tt.lim)
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Errorf("error %v, want one containing %q", err, tt.err)
			}
		})
	}
}

// Hostile custom resources give subjects, skips or errors, never a panic,
// and cost what their size allows.
func TestHostileShapes(t *testing.T) {
	const c = `{"name":"c","image":"i"}`
	obj := func(spec string) string {
		return `{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":` + spec + `}`
	}
	deep := func(levels int, inner string) string {
		return strings.Repeat(`{"a":`, levels) + inner + strings.Repeat(`}`, levels)
	}
	tests := []struct {
		name     string
		in       string
		subjects []string // name@PodSpecPath
		skipped  []string // path: reason
		err      string
	}{
		{name: "a pod spec deep down", in: obj(deep(90, `{"containers":[`+c+`]}`)),
			subjects: []string{"Widget/w@spec" + strings.Repeat(".a", 90)}},
		{name: "deeper than MaxDepth", in: obj(deep(200, `{"containers":[`+c+`]}`)), err: "nested too deeply"},
		{name: "a huge array of numbers as containers", in: obj(`{"containers":[` + strings.Repeat("0,", 200000) + `0]}`),
			skipped: []string{": no pod template or pod spec in it",
				"spec.containers: containers that are not a pod's list of containers: element 0 is a number"}},
		{name: "a huge list of containers", in: obj(`{"containers":[` + strings.Repeat(c+",", 20000) + c + `]}`),
			subjects: []string{"Widget/w@spec"}},
		{name: "containers of strings, lists and nulls", in: obj(`{"a":{"containers":[[` + c + `]]},"b":{"containers":["x"]},"c":{"containers":[null]}}`),
			skipped: []string{": no pod template or pod spec in it",
				"spec.a.containers: containers that are not a pod's list of containers: element 0 is an array",
				"spec.b.containers: containers that are not a pod's list of containers: element 0 is a string",
				"spec.c.containers: containers that are not a pod's list of containers: element 0 is null"}},
		{name: "more pod specs than the search takes", in: obj(`[` + strings.Repeat(`{"containers":[`+c+`]},`, 1000) + `{"containers":[` + c + `]}]`),
			err: "Widget/w: searching for pod specs: too large: more than 1000 pod templates"},
		{name: "many keys", in: obj(`{` + strings.Repeat(`"k":1,`, 100000) + `"containers":[` + c + `]}`),
			subjects: []string{"Widget/w@spec"}},
		{name: "a template whose metadata is not an object", in: obj(`{"t":{"metadata":"x","spec":{"containers":[` + c + `]}}}`),
			err: "Widget/w: spec.t: json: cannot unmarshal string"},
		{name: "a container list the decoder refuses", in: obj(`{"containers":[{"image":"i","ports":[{"containerPort":"80"}]}]}`),
			err: "Widget/w: spec: json: cannot unmarshal string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "in.json", []byte(tt.in))
			var subjects, skipped []string
			for _, s := range r.Subjects {
				subjects = append(subjects, s.Name+"@"+s.PodSpecPath)
			}
			for _, s := range r.Skipped {
				skipped = append(skipped, s.Path+": "+s.Reason)
			}
			if diff := cmp.Diff(tt.subjects, subjects); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			switch {
			case tt.err == "" && len(r.Errors) > 0:
				t.Errorf("errors %v, want none", r.Errors)
			case tt.err != "" && (len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.err)):
				t.Errorf("errors %v, want one containing %q", r.Errors, tt.err)
			}
			for _, e := range r.Errors {
				if strings.Contains(e.Error(), "internal error") {
					t.Errorf("decoder panicked: %v", e)
				}
			}
		})
	}
}

func BenchmarkSearchPods(b *testing.B) {
	data, err := os.ReadFile("testdata/crd/shapes.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Bytes(Options{}, "shapes.yaml", data)
	}
}

// Parts of a List item that are not audited are recorded with their path
// in the document.
func TestSkippedPartInList(t *testing.T) {
	in := `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"numaflow.numaproj.io/v1alpha1","kind":"Pipeline","metadata":{"name":"p","namespace":"s"},
		"spec":{"vertices":[{"name":"cat","udf":{"container":{"image":"quay.io/numaio/numaflow-go/map-cat:stable"}}}]}}]}`
	r := Bytes(Options{}, "list.json", []byte(in))
	want := []hardening.Skipped{
		{Source: "list.json", Kind: "numaflow.numaproj.io/v1alpha1 Pipeline", Name: "Pipeline/s/p", Path: "items[0]", Reason: reasonNoPod},
		{Source: "list.json", Kind: "numaflow.numaproj.io/v1alpha1 Pipeline", Name: "Pipeline/s/p", Path: "items[0].spec.vertices[0].udf.container",
			Part: true, Reason: "a lone container, outside any pod spec"},
	}
	if diff := cmp.Diff(want, r.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	if len(r.Subjects) != 0 || len(r.Errors) != 0 {
		t.Errorf("subjects %v, errors %v; want none", summarize(r.Subjects), r.Errors)
	}
}
