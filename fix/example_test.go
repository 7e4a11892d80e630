package fix_test

import (
	"fmt"
	"os"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/fix"
	"github.com/bulwarkdev/bulwark/hardening"
)

func ExampleSource() {
	manifest := []byte(`apiVersion: v1
kind: Pod
metadata:
  name: web # the storefront
spec:
  hostNetwork: true
  containers:
  - name: web
    image: registry.example/web:1.4.2
    securityContext:
      runAsUser: 0
`)
	checks, _ := bulwark.Profile("pss-restricted@v1.30")
	res, err := fix.Source("pod.yaml", manifest, fix.Options{Checks: checks})
	if err != nil {
		panic(err)
	}
	os.Stdout.Write(res.Diff())
	for _, o := range res.Unfixed {
		fmt.Printf("left: %s: %s\n", o.Finding.Path, o.Reason)
	}
	// Output:
	// --- a/pod.yaml
	// +++ b/pod.yaml
	// @@ -8,4 +8,10 @@
	//    - name: web
	//      image: registry.example/web:1.4.2
	//      securityContext:
	// -      runAsUser: 0
	// +      runAsUser: 65532
	// +      allowPrivilegeEscalation: false
	// +      capabilities:
	// +        drop: [ALL]
	// +      runAsNonRoot: true
	// +      seccompProfile:
	// +        type: RuntimeDefault
	// left: spec.hostNetwork: whether the pod may leave the host's namespace is a decision for its authors (a CNI plugin or a node exporter needs it); decide namespaces.pss-host-namespaces=remove to delete it
}

func ExampleApply() {
	spec := []byte("{\n\t\"process\": {\n\t\t\"noNewPrivileges\": false\n\t}\n}\n")
	out, applied, err := fix.Apply(spec, 0, []hardening.Edit{
		{Path: "process.noNewPrivileges", Value: true},
		{Path: "linux.resources.pids.limit", Value: 4096},
	})
	if err != nil || applied[0].Err != nil {
		panic(fmt.Sprint(err, applied))
	}
	fmt.Print(string(out))
	// Output:
	// {
	// 	"process": {
	// 		"noNewPrivileges": true
	// 	},
	// 	"linux": {
	// 		"resources": {
	// 			"pids": {
	// 				"limit": 4096
	// 			}
	// 		}
	// 	}
	// }
}
