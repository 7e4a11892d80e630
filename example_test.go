package bulwark_test

import (
	"fmt"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Audit a Pod built in code, the way a webhook or operator holds one.
func Example() {
	yes := true
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "ops"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:  "agent",
			Image: "registry.example/agent:3.4",
			SecurityContext: &corev1.SecurityContext{
				Privileged: &yes,
			},
		}}},
	}
	for _, f := range bulwark.Audit(bulwark.Checks(), hardening.NewPodSubject(pod)) {
		fmt.Println(f.Severity, f.Check, f.Path)
	}
	// Output:
	// critical capabilities.privileged spec.containers[0].securityContext.privileged
}

// Select checks from the catalog: here only those that read OCI specs,
// without the capabilities.unknown-name lint.
func ExampleProfile() {
	all, err := bulwark.Profile("all@latest")
	if err != nil {
		panic(err)
	}
	ociOnly := all.Select(hardening.Selection{
		Kinds:   hardening.KindOCISpec,
		Exclude: []string{"capabilities.unknown-name", "hardening.*"},
	})
	for _, c := range ociOnly {
		fmt.Println(c.ID)
	}
	// Output:
	// capabilities.dangerous
	// capabilities.inheritable-ambient
	// capabilities.privilege-escalation
	// capabilities.privileged
	// capabilities.runs-as-root
}
