package load_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/load"
)

// Findings about workloads at old apiVersions, custom resources and pod
// specs found by shape point into the files the user wrote, through the
// paths the loader gives each subject.
func TestFindingsAtPaths(t *testing.T) {
	checks, err := bulwark.Profile("pss-baseline")
	if err != nil {
		t.Fatal(err)
	}
	type finding struct{ Source, Subject, Check, Path string }
	const (
		v   = "testdata/versions/"
		crd = "testdata/crd/"
	)
	want := []finding{
		{v + "apps-v1beta1.yaml", "Deployment/ancient", "capabilities.privileged", "spec.template.spec.containers[0].securityContext.privileged"},
		{v + "apps-v1beta2.yaml", "DaemonSet/kube-system/node-problem-detector", "capabilities.privileged", "spec.template.spec.containers[0].securityContext.privileged"},
		{v + "apps-v1beta2.yaml", "DaemonSet/kube-system/node-problem-detector", "namespaces.pss-host-namespaces", "spec.template.spec.hostPID"},
		{v + "batch-v1beta1-cronjob.yaml", "CronJob/ops/node-inventory", "namespaces.pss-host-namespaces", "spec.jobTemplate.spec.template.spec.hostNetwork"},
		{v + "batch-v1beta1-cronjob.yaml", "CronJob/ops/node-inventory", "namespaces.pss-host-namespaces", "spec.jobTemplate.spec.template.spec.hostPID"},
		{v + "batch-v1beta1-cronjob.yaml", "CronJob/ops/node-inventory", "namespaces.pss-host-namespaces", "spec.jobTemplate.spec.template.spec.hostIPC"},
		{v + "core-v1-deployment.yaml", "Deployment/default/misversioned", "capabilities.pss-added-baseline", "spec.template.spec.containers[0].securityContext.capabilities.add[0]"},
		{v + "extensions-v1beta1.yaml", "DaemonSet/kube-system/fluentd", "namespaces.pss-host-namespaces", "spec.template.spec.hostNetwork"},
		{v + "extensions-v1beta1.yaml", "DaemonSet/kube-system/fluentd", "namespaces.pss-host-path-volumes", "spec.template.spec.volumes[0].hostPath"},
		{crd + "deploymentconfig.yaml", "DeploymentConfig/shop/frontend", "capabilities.privileged", "spec.template.spec.containers[0].securityContext.privileged"},
		{crd + "knative.yaml", "Revision/default/hello-00001", "confinement.pss-apparmor", "metadata.annotations[container.apparmor.security.beta.kubernetes.io/user-container]"},
		{crd + "kruise.yaml", "CloneSet/kruise-demo/sample", "capabilities.pss-added-baseline", "spec.template.spec.containers[0].securityContext.capabilities.add[0]"},
		{crd + "kruise.yaml", "DaemonSet/kruise-demo/sample-ds", "namespaces.pss-host-namespaces", "spec.template.spec.hostNetwork"},
		{crd + "rollout.yaml", "Rollout/demo/rollouts-demo", "namespaces.pss-host-namespaces", "spec.template.spec.hostIPC"},
		{crd + "shapes.yaml", "RayCluster/ml/raycluster-kuberay@spec.workerGroupSpecs[0].template", "capabilities.privileged",
			"spec.workerGroupSpecs[0].template.spec.containers[0].securityContext.privileged"},
		{crd + "shapes.yaml", "RayCluster/ml/raycluster-kuberay@spec.workerGroupSpecs[1].template", "namespaces.pss-host-namespaces",
			"spec.workerGroupSpecs[1].template.spec.hostIPC"},
		{crd + "shapes.yaml", "InferenceService/models/custom-model", "capabilities.pss-added-baseline", "spec.predictor.containers[0].securityContext.capabilities.add[0]"},
		{crd + "shapes.yaml", "Pod/default/misgrouped", "namespaces.pss-host-namespaces", "spec.hostPID"},
	}
	r := load.Paths(load.Options{}, "testdata/versions", "testdata/crd")
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %v", r.Errors)
	}
	r.Audit(checks)
	var got []finding
	for _, f := range r.Findings {
		got = append(got, finding{f.Source, f.Subject, f.Check, f.Path})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
