package hardening_test

import (
	"fmt"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// privileged is a small custom check: a Pod container with
// privileged: true.
var privileged = &hardening.Check{
	ID: "example.privileged", Title: "privileged container", Severity: hardening.SeverityCritical,
	Class: hardening.ClassEscape, Inputs: hardening.KindPod,
	Rationale: "A privileged container holds every capability and every device.", Remediation: "Remove privileged: true.",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		for c := range s.Containers {
			if sc := c.SecurityContext; sc != nil && sc.Privileged != nil && *sc.Privileged {
				out = append(out, s.ContainerFinding(c, "securityContext.privileged", "container "+c.Name+" is privileged"))
			}
		}
		return out
	},
}

// An admission webhook trusts no annotation of the pod under review: the
// pod's attempt to exempt itself changes nothing.
func ExampleNewRunner() {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "agent", Namespace: "prod", Annotations: map[string]string{
			hardening.SuppressionAnnotation: "example.privileged: trust me",
		}},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "agent", SecurityContext: &corev1.SecurityContext{Privileged: new(true)}}}},
	}
	admission, err := hardening.NewRunner(hardening.Checks{privileged}, hardening.RunOptions{
		Suppressions: []hardening.Suppressor{hardening.Exemptions{Namespaces: []string{"kube-system"}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range admission.Check(hardening.NewPodSubject(pod), nil) {
		fmt.Println(f.Path, f.Suppressed)
	}
	// A repository's files are audited as their authors reviewed them.
	files, _ := hardening.NewRunner(hardening.Checks{privileged}, hardening.RunOptions{
		Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations},
	})
	for _, f := range files.Check(hardening.NewPodSubject(pod), nil) {
		fmt.Println(f.Path, f.Suppressed, f.SuppressedBy)
	}
	// Output:
	// spec.containers[0].securityContext.privileged false
	// spec.containers[0].securityContext.privileged true object
}

func ExampleParsePolicy() {
	policy, err := hardening.ParsePolicy("policy.yaml", []byte(`
apiVersion: bulwark.dev/v1
kind: SuppressionPolicy
suppressions:
- check: example.privileged
  subject: Pod/kube-system/*
  reason: node agents need the host
  owner: platform@example.com
  expires: 2027-06-30
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(policy.Entries[0].Check, policy.Entries[0].Expires.Format("2006-01-02"))

	_, err = hardening.ParsePolicy("policy.yaml", []byte("apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: example.privileged\n"))
	fmt.Println(err)
	// Output:
	// example.privileged 2027-06-30
	// policy.yaml: suppressions[0]: reason is required: say why the exception is acceptable
	// policy.yaml: suppressions[0]: owner is required: who answers for the exception
}
