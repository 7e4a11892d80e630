package posture

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Values as k8s.io/pod-security-admission's api.ParseLevel and
// api.ParseVersion take them.
func TestParseLevelAndVersion(t *testing.T) {
	for _, tt := range []struct {
		in    string
		want  level
		valid bool
	}{
		{"privileged", levelPrivileged, true},
		{"baseline", levelBaseline, true},
		{"restricted", levelRestricted, true},
		{"Restricted", levelRestricted, false},
		{"", levelRestricted, false},
		{" baseline", levelRestricted, false},
	} {
		if got, valid := parseLevel(tt.in); got != tt.want || valid != tt.valid {
			t.Errorf("parseLevel(%q) = %v, %v; want %v, %v", tt.in, got, valid, tt.want, tt.valid)
		}
	}
	latest := version{latest: true}
	v := func(minor int) version { return version{v: hardening.KubeVersion{Major: 1, Minor: minor}} }
	for _, tt := range []struct {
		in    string
		want  version
		valid bool
	}{
		{"latest", latest, true},
		{"v1.0", v(0), true},
		{"v1.25", v(25), true},
		{"v1.100", v(100), true},
		{"Latest", latest, false},
		{"1.25", latest, false},
		{"v1.025", latest, false},
		{"v1.00", latest, false},
		{"v2.1", latest, false},
		{"v1.", latest, false},
		{"v1.-1", latest, false},
		{"v1.+1", latest, false},
		{"v1.25.3", latest, false},
		{"v1.99999999999999999999", latest, false},
	} {
		if got, valid := parseVersion(tt.in); got != tt.want || valid != tt.valid {
			t.Errorf("parseVersion(%q) = %v, %v; want %v, %v", tt.in, got, valid, tt.want, tt.valid)
		}
	}
}

// Each mode on its own; invalid enforce fails closed, invalid audit and
// warn fail open, invalid versions are latest.
func TestPolicyOf(t *testing.T) {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{
		EnforceLabel: "Baseline", EnforceVersionLabel: "v1.30",
		AuditLabel: "nope", AuditVersionLabel: "1.30",
		WarnLabel: "baseline",
	}}}
	latest := version{latest: true}
	want := policy{
		Enforce: mode{Set: true, Level: levelRestricted, VersionSet: true, ValidVersion: true, Version: version{v: hardening.KubeVersion{Major: 1, Minor: 30}}},
		Audit:   mode{Set: true, Level: levelPrivileged, VersionSet: true, Version: latest},
		Warn:    mode{Set: true, ValidLevel: true, Level: levelBaseline, Version: latest},
	}
	if diff := cmp.Diff(want, policyOf(ns), cmp.AllowUnexported(version{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(policy{Enforce: mode{Version: latest}, Audit: mode{Version: latest}, Warn: mode{Version: latest}},
		policyOf(&corev1.Namespace{}), cmp.AllowUnexported(version{})); diff != "" {
		t.Errorf("no labels (-want +got):\n%s", diff)
	}
}
