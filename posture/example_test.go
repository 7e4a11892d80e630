package posture_test

import (
	"fmt"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/posture"
)

// For a cluster whose version is known, the two checks that depend on it
// replace the catalog's, by ID.
func Example() {
	v133 := hardening.KubeVersion{Major: 1, Minor: 33}
	strictest, err := posture.StrictestLevel(v133, bulwark.PSSProfile)
	if err != nil {
		panic(err)
	}
	outdated, err := posture.PSAVersionOutdatedFor(v133)
	if err != nil {
		panic(err)
	}
	checks := bulwark.Checks().Select(hardening.Selection{Include: []string{"posture.*"}})
	for i, c := range checks {
		switch c.ID {
		case strictest.ID:
			checks[i] = strictest
		case outdated.ID:
			checks[i] = outdated
		}
	}
	runner, err := hardening.NewRunner(checks, hardening.RunOptions{})
	if err != nil {
		panic(err)
	}
	manifest := []byte(`apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/enforce-version: v1.29
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
  - name: web
    image: registry.example/web:1.0
    securityContext:
      allowPrivilegeEscalation: false
      capabilities: {drop: [ALL]}
`)
	r := load.Bytes(load.Options{}, "shop.yaml", manifest)
	r.Audit(runner)
	for _, f := range r.Findings {
		fmt.Printf("%s %s at %s\n  %s\n", f.Check, f.Severity, f.Path, f.Message)
	}
	// Output:
	// posture.psa-version-outdated low at metadata.labels[pod-security.kubernetes.io/enforce-version]
	//   Namespace "shop" pins enforce-version v1.29, older than the cluster's v1.33: its pods are judged without the Pod Security rules added since
	// posture.strictest-level info at metadata.labels[pod-security.kubernetes.io/enforce]
	//   the only audited workload of namespace "shop" passes the Pod Security Standards restricted level at v1.33; it enforces baseline: set pod-security.kubernetes.io/enforce=restricted and pod-security.kubernetes.io/enforce-version=v1.33
}
