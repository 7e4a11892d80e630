package posture_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/posture"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type got checktest.Got

var summarize = checktest.Summarize[got]

func TestCatalog(t *testing.T) { checktest.Catalog(t, posture.Checks(bulwark.PSSProfile)) }

const (
	labelsMissing = "posture.psa-labels-missing"
	enforceMiss   = "posture.psa-enforce-missing"
	privileged    = "posture.psa-enforce-privileged"
	invalid       = "posture.psa-label-invalid"
	outdated      = "posture.psa-version-outdated"
	defaultNS     = "posture.default-namespace"
	systemNS      = "posture.system-namespace"
	strictest     = "posture.strictest-level"

	info   = hardening.SeverityInfo
	low    = hardening.SeverityLow
	medium = hardening.SeverityMedium

	enforcePath = "metadata.labels[pod-security.kubernetes.io/enforce]"
	versionPath = "metadata.labels[pod-security.kubernetes.io/enforce-version]"
)

func namespaceSubject(name string, labels map[string]string) *hardening.Subject {
	return hardening.NewObjectSubject(&hardening.ClusterObject{
		APIVersion: "v1", Kind: hardening.KindNamespace, Name: name, Source: "ns.yaml",
		Object: &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}},
	})
}

// runChecks runs the posture checks that judge one subject on their own
// (the set check aside).
func runChecks(s *hardening.Subject) []hardening.Finding {
	return checktest.Each(posture.Checks(bulwark.PSSProfile), s)
}

func TestNamespaceLabels(t *testing.T) {
	const (
		enforce = posture.EnforceLabel
		version = posture.EnforceVersionLabel
		audit   = posture.AuditLabel
		warn    = posture.WarnLabel
	)
	tests := []struct {
		name   string
		labels map[string]string
		want   []got
	}{
		{"restricted, latest", map[string]string{enforce: "restricted", version: "latest"}, nil},
		{"baseline, unpinned", map[string]string{enforce: "baseline"}, nil},
		{"restricted at the newest version", map[string]string{enforce: "restricted", version: hardening.LatestKube.String()}, nil},
		{"no labels", nil, []got{{labelsMissing, medium, "", enforcePath}}},
		{"other labels only", map[string]string{"team": "shop", "kubernetes.io/metadata.name": "shop"}, []got{{labelsMissing, medium, "", enforcePath}}},
		{"a version alone sets no level", map[string]string{version: "v1.30"}, []got{
			{labelsMissing, medium, "", enforcePath},
			{outdated, info, "", versionPath},
		}},
		{"warn only", map[string]string{warn: "restricted"}, []got{{enforceMiss, medium, "", enforcePath}}},
		{"audit and warn", map[string]string{warn: "baseline", audit: "restricted"}, []got{{enforceMiss, medium, "", enforcePath}}},
		{"privileged", map[string]string{enforce: "privileged", warn: "restricted"}, []got{{privileged, medium, "", enforcePath}}},
		{"privileged with an old pin: the pin is moot", map[string]string{enforce: "privileged", version: "v1.20"}, []got{{privileged, medium, "", enforcePath}}},
		{"Privileged is no level: restricted is enforced", map[string]string{enforce: "Privileged"}, []got{{invalid, low, "", enforcePath}}},
		{"old pin", map[string]string{enforce: "restricted", version: "v1.25"}, []got{{outdated, info, "", versionPath}}},
		{"invalid pin is latest", map[string]string{enforce: "restricted", version: "v1.025"}, []got{{invalid, low, "", versionPath}}},
		{"misspelt key", map[string]string{"pod-security.kubernetes.io/enforced": "restricted"}, []got{
			{invalid, low, "", "metadata.labels[pod-security.kubernetes.io/enforced]"},
			{labelsMissing, medium, "", enforcePath},
		}},
		{"invalid audit and warn, in key order", map[string]string{enforce: "baseline", warn: "strict", audit: "base", "pod-security.kubernetes.io/audit-version": "1.2"}, []got{
			{invalid, low, "", "metadata.labels[pod-security.kubernetes.io/audit]"},
			{invalid, low, "", "metadata.labels[pod-security.kubernetes.io/audit-version]"},
			{invalid, low, "", "metadata.labels[pod-security.kubernetes.io/warn]"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, summarize(runChecks(namespaceSubject("shop", tt.labels)))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNamespaceLabelMessages(t *testing.T) {
	for _, tt := range []struct {
		labels map[string]string
		want   string
	}{
		{nil, `Namespace "shop" has no Pod Security Admission label: the cluster's default applies, privileged (every pod admitted) unless the API server's PodSecurity admission configuration, which is not among the audited objects, sets another`},
		{map[string]string{posture.WarnLabel: "restricted", posture.AuditLabel: "baseline"},
			`Namespace "shop" sets warn: restricted and audit: baseline but no enforce label: violating pods are reported and admitted; for enforce the cluster's default applies, privileged (every pod admitted) unless the API server's PodSecurity admission configuration, which is not among the audited objects, sets another`},
		{map[string]string{posture.EnforceLabel: "Restricted"},
			`label pod-security.kubernetes.io/enforce: "Restricted" is not a level (privileged, baseline or restricted): Pod Security Admission enforces restricted`},
		{map[string]string{posture.EnforceLabel: "baseline", posture.EnforceVersionLabel: "v1.24"},
			`Namespace "shop" pins enforce-version v1.24, older than the newest Pod Security rules bulwark knows (` + hardening.LatestKube.String() +
				`); whether the cluster is newer is unknown: bulwark was not given its version (posture.PSAVersionOutdatedFor)`},
	} {
		f := runChecks(namespaceSubject("shop", tt.labels))
		if len(f) != 1 || f[0].Message != tt.want {
			t.Errorf("%v: got %v\nwant %s", tt.labels, f, tt.want)
		}
	}
}

func TestPSAVersionOutdatedFor(t *testing.T) {
	c, err := posture.PSAVersionOutdatedFor(hardening.KubeVersion{Major: 1, Minor: 30})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != posture.PSAVersionOutdated.ID || c.Severity != low || posture.PSAVersionOutdated.Severity != info {
		t.Errorf("ID %s severity %s; the catalog's %s %s", c.ID, c.Severity, posture.PSAVersionOutdated.ID, posture.PSAVersionOutdated.Severity)
	}
	tests := []struct {
		pin  string
		want []got
	}{
		{"v1.29", []got{{outdated, low, "", versionPath}}},
		{"v1.30", nil},
		{"v1.31", nil},
		{"latest", nil},
	}
	for _, tt := range tests {
		s := namespaceSubject("prod", map[string]string{posture.EnforceLabel: "restricted", posture.EnforceVersionLabel: tt.pin})
		fs := checktest.Each(hardening.Checks{c}, s)
		if diff := cmp.Diff(tt.want, summarize(fs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.pin, diff)
		}
		if len(fs) == 1 && fs[0].Message != `Namespace "prod" pins enforce-version v1.29, older than the cluster's v1.30: its pods are judged without the Pod Security rules added since` {
			t.Errorf("message: %s", fs[0].Message)
		}
	}
	for _, bad := range []hardening.KubeVersion{{}, {Major: 2, Minor: 1}, {Major: 1, Minor: -1}} {
		if c, err := posture.PSAVersionOutdatedFor(bad); err == nil || c != nil {
			t.Errorf("PSAVersionOutdatedFor(%v) = %v, %v; want an error", bad, c, err)
		}
	}
}

func pod(namespace string) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: namespace},
		Spec: corev1.PodSpec{
			SecurityContext: &corev1.PodSecurityContext{
				RunAsNonRoot:   ptr(true),
				SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
			},
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.example/app:1.2",
				SecurityContext: &corev1.SecurityContext{
					AllowPrivilegeEscalation: ptr(false),
					Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				},
			}},
		},
	}
}

func ptr[T any](v T) *T { return &v }

func TestPlacement(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *hardening.Subject)
		want  []got
	}{
		{"own namespace", func(s *hardening.Subject) {}, nil},
		{"unspecified is not default", func(s *hardening.Subject) { s.Pod.Namespace = "" }, nil},
		{"default", func(s *hardening.Subject) { s.Pod.Namespace = "default" }, []got{{defaultNS, low, "", "metadata.namespace"}}},
		{"default, from a Deployment in a List", func(s *hardening.Subject) {
			s.Pod.Namespace = "default"
			s.PodSpecPath, s.PodMetaPath, s.WorkloadMetaPath = "items[2].spec.template.spec", "items[2].spec.template.metadata", "items[2].metadata"
		}, []got{{defaultNS, low, "", "items[2].metadata.namespace"}}},
		{"a bare pod in a List", func(s *hardening.Subject) {
			s.Pod.Namespace = "kube-public"
			s.PodSpecPath, s.PodMetaPath = "items[1].spec", "items[1].metadata"
		}, []got{{systemNS, medium, "", "items[1].metadata.namespace"}}},
		{"kube-system", func(s *hardening.Subject) { s.Pod.Namespace = "kube-system" }, []got{{systemNS, medium, "", "metadata.namespace"}}},
		{"kube-node-lease", func(s *hardening.Subject) { s.Pod.Namespace = "kube-node-lease" }, []got{{systemNS, medium, "", "metadata.namespace"}}},
		{"a cluster component in kube-system", func(s *hardening.Subject) {
			s.Pod.Namespace, s.Pod.Spec.PriorityClassName = "kube-system", "system-cluster-critical"
		}, nil},
		{"a node component in kube-system", func(s *hardening.Subject) {
			s.Pod.Namespace, s.Pod.Spec.PriorityClassName = "kube-system", "system-node-critical"
		}, nil},
		{"another priority class in kube-system", func(s *hardening.Subject) {
			s.Pod.Namespace, s.Pod.Spec.PriorityClassName = "kube-system", "high-priority"
		}, []got{{systemNS, medium, "", "metadata.namespace"}}},
		{"a critical priority does not excuse kube-public", func(s *hardening.Subject) {
			s.Pod.Namespace, s.Pod.Spec.PriorityClassName = "kube-public", "system-cluster-critical"
		}, []got{{systemNS, medium, "", "metadata.namespace"}}},
		{"names alike are other namespaces", func(s *hardening.Subject) { s.Pod.Namespace = "kube-system-apps" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := hardening.NewPodSubject(pod("prod"))
			tt.tweak(s)
			if diff := cmp.Diff(tt.want, summarize(runChecks(s))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPlacementMessages(t *testing.T) {
	s := hardening.NewPodSubject(pod("default"))
	if f := runChecks(s); len(f) != 1 || !strings.Contains(f[0].Message, "placed explicitly in the default namespace") {
		t.Errorf("%v", f)
	}
	s = hardening.NewPodSubject(pod("kube-system"))
	if f := runChecks(s); len(f) != 1 || !strings.HasPrefix(f[0].Message, `the workload is placed in "kube-system", the namespace of the control plane's controllers and add-ons`) {
		t.Errorf("%v", f)
	}
}

// BenchmarkPassingPod must report 0 allocs/op.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, posture.Checks(bulwark.PSSProfile), hardening.NewPodSubject(pod("prod")))
}

func BenchmarkPassingNamespace(b *testing.B) {
	s := namespaceSubject("prod", map[string]string{posture.EnforceLabel: "restricted", posture.EnforceVersionLabel: "latest"})
	checktest.BenchPassing(b, posture.Checks(bulwark.PSSProfile), s)
}
