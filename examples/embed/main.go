package main

import (
	"fmt"
	"os"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func main() {
	privileged := true
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "ops"},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name:            "agent",
			Image:           "registry.example/agent:3.4",
			SecurityContext: &corev1.SecurityContext{Privileged: &privileged},
		}}},
	}

	// Only what blocks admission: high and critical.
	checker := hardening.AtLeast(bulwark.Checks(), hardening.SeverityHigh)
	findings := bulwark.Audit(checker, hardening.NewPodSubject(pod))
	for _, f := range findings {
		fmt.Printf("%s %s\n  %s: %s\n  fix: %s\n", f.Severity, f.Check, f.Path, f.Message, f.Remediation)
	}
	if len(findings) > 0 {
		os.Exit(1)
	}
}
