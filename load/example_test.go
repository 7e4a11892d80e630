package load_test

import (
	"fmt"
	"github.com/bulwarkdev/bulwark/hardening"
	"strings"

	"github.com/bulwarkdev/bulwark/load"
)

// Load a directory: manifests, and an OCI bundle whose rootfs is not read.
func ExamplePaths() {
	r := load.Paths(load.Options{}, "testdata/tree")
	for _, s := range r.Subjects {
		fmt.Printf("%-8s %s (%s)\n", s.Kind, s.Name, s.Source)
	}
	fmt.Println(len(r.Errors), "errors")
	// Output:
	// pod      CronJob/ops/backup (testdata/tree/apps/backup.yml)
	// pod      Pod/default/nginx (testdata/tree/apps/nginx.json)
	// pod      Deployment/prod/web (testdata/tree/apps/web.yaml)
	// oci-spec testdata/tree/bundle/config.json (testdata/tree/bundle/config.json)
	// 0 errors
}

// Decode a multi-document stream: a workload's pod template is lifted into
// a Pod whose field paths still point into the workload; a bad document
// and a Service do not hide the rest.
func ExampleBytes() {
	const manifests = `apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - {name: restic, image: restic/restic:0.17.1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: Pod
metadata: {name: broken}
spec: {containers: "not a list"}
`
	r := load.Bytes(load.Options{}, "stream.yaml", []byte(manifests))
	for _, s := range r.Subjects {
		if s.Kind == hardening.KindObject {
			fmt.Println(s.Name, "is an object subject")
		}
		for c := range s.Containers {
			fmt.Println(s.Name, s.ContainerPath(c, "securityContext"))
		}
	}
	for _, s := range r.Skipped {
		fmt.Printf("skipped document %d: %s %s: %s\n", s.Document, s.Kind, s.Name, s.Reason)
	}
	for _, e := range r.Errors {
		fmt.Println(e)
	}
	// Output:
	// CronJob/ops/backup spec.jobTemplate.spec.template.spec.containers[0].securityContext
	// Service/web is an object subject
	// stream.yaml: document 2: Pod/broken: json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container
}

// Custom resources: pod templates are found by shape, and an operator
// resource whose pods are not in the input is skipped with its controller
// named.
func ExampleBytes_customResources() {
	const manifests = `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: ray, namespace: ml}
spec:
  headGroupSpec:
    template:
      spec:
        containers: [{name: head, image: rayproject/ray:2.9.0}]
  workerGroupSpecs:
  - groupName: cpu
    template:
      spec:
        containers: [{name: worker, image: rayproject/ray:2.9.0}]
---
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec: {replicas: 2}
`
	r := load.Bytes(load.Options{}, "stream.yaml", []byte(manifests))
	for _, s := range r.Subjects {
		fmt.Println(s.Name, s.PodSpecPath)
	}
	for _, s := range r.Skipped {
		fmt.Printf("%s, run by the %s: %s\n", s.Name, s.Controller, s.Reason)
	}
	// Output:
	// RayCluster/ml/ray@spec.headGroupSpec.template spec.headGroupSpec.template.spec
	// RayCluster/ml/ray@spec.workerGroupSpecs[0].template spec.workerGroupSpecs[0].template.spec
	// Prometheus/monitoring/k8s, run by the Prometheus Operator: creates a StatefulSet (or a DaemonSet) whose pods merge spec.containers into the containers the operator generates: audit the workload it renders
}

// Read standard input, or any reader.
func ExampleReader() {
	in := strings.NewReader(`{"ociVersion": "1.2.0", "process": {"args": ["sh"], "user": {"uid": 0}}}`)
	r := load.Reader(load.Options{}, "-", in)
	s := r.Subjects[0]
	fmt.Println(s.Kind, s.Name, s.Spec.Process.Args)
	// Output:
	// oci-spec - [sh]
}

// Limits turn hostile input into errors.
func ExampleOptions() {
	deep := strings.Repeat("[", 50) + strings.Repeat("]", 50)
	r := load.Bytes(load.Options{MaxDepth: 20}, "deep.json", []byte(deep))
	fmt.Println(r.Errors[0])
	// Output:
	// deep.json: document 0: nested too deeply: more than 20 levels of maps and arrays (Options.MaxDepth)
}

// Count documents as the loader numbers them.
func ExampleDocuments() {
	// A comment-only preamble (a license, Helm's "# Source:") is no
	// document; an empty document between markers is one.
	stream := "# header comment\n---\napiVersion: v1\nkind: Pod\n---\n---\napiVersion: v1\nkind: Service\n"
	fmt.Println(len(load.Documents([]byte(stream))))
	// Output:
	// 3
}
