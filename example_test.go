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
	// The general checks on privilege, without the Pod Security Standards
	// controls (profile pss-restricted has those).
	checks := bulwark.Checks().Select(hardening.Selection{Include: []string{"capabilities.*"}, Exclude: []string{"*.pss-*"}})
	for _, f := range bulwark.Audit(checks, hardening.NewPodSubject(pod)) {
		fmt.Println(f.Severity, f.Check, f.Path)
	}
	// Output:
	// critical capabilities.privileged spec.containers[0].securityContext.privileged
}

// Check a Pod against a Pod Security Standards level at a Kubernetes
// version, with Pod Security Admission's verdict and a path for each reason.
func ExampleProfile_podSecurityStandards() {
	root := int64(0)
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.PodSpec{
			SecurityContext: &corev1.PodSecurityContext{RunAsUser: &root},
			Containers:      []corev1.Container{{Name: "web", Image: "registry.example/web:1.0"}},
		},
	}
	checks, err := bulwark.Profile("pss-restricted@v1.25")
	if err != nil {
		panic(err)
	}
	for _, f := range bulwark.Audit(checks, hardening.NewPodSubject(pod)) {
		fmt.Println(f.Check, f.Path)
	}
	// Output:
	// capabilities.pss-privilege-escalation spec.containers[0].securityContext.allowPrivilegeEscalation
	// capabilities.pss-restricted spec.containers[0].securityContext.capabilities.drop
	// capabilities.pss-run-as-non-root spec.containers[0].securityContext.runAsNonRoot
	// capabilities.pss-run-as-user spec.securityContext.runAsUser
	// confinement.pss-seccomp-restricted spec.containers[0].securityContext.seccompProfile.type
}

// Select checks from the catalog: here the seccomp checks that read OCI
// specs, without the informational one about notification agents.
func ExampleProfile() {
	all, err := bulwark.Profile("all@latest")
	if err != nil {
		panic(err)
	}
	seccomp := all.Select(hardening.Selection{
		Include: []string{"confinement.seccomp-*"},
		Exclude: []string{"confinement.seccomp-notify"},
		Kinds:   hardening.KindOCISpec,
	})
	for _, c := range seccomp {
		fmt.Println(c.ID, c.Severity)
	}
	// Output:
	// confinement.seccomp-allow-default high
	// confinement.seccomp-arch-missing info
	// confinement.seccomp-escape-syscalls high
	// confinement.seccomp-missing high
	// confinement.seccomp-spec-allow low
}
