package bulwark_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

// Which controls make up each level at each version: Pod Security
// Admission's registry, from research/pod/checks.md.
func TestPSSProfileAssembly(t *testing.T) {
	baseline0 := []string{
		"capabilities.privileged", "capabilities.pss-added-baseline", "confinement.pss-apparmor",
		"confinement.pss-seccomp-baseline", "confinement.pss-selinux", "namespaces.pss-host-namespaces",
		"namespaces.pss-host-path-volumes", "namespaces.pss-proc-mount", "namespaces.pss-windows-host-process",
		"network.pss-host-ports", "network.pss-sysctls",
	}
	tests := []struct {
		ref  string
		want []string
	}{
		{"pss-baseline@v1.0", baseline0},
		{"pss-baseline@v1.33", baseline0},
		{"pss-baseline@v1.34", append(append([]string{}, baseline0...), "network.pss-host-probes")},
		{"pss-restricted@v1.0", []string{
			"capabilities.privileged", "capabilities.pss-added-baseline", "capabilities.pss-run-as-non-root",
			"confinement.pss-apparmor", "confinement.pss-seccomp-baseline", "confinement.pss-selinux",
			"namespaces.pss-host-namespaces", "namespaces.pss-proc-mount", "namespaces.pss-restricted-volumes",
			"namespaces.pss-windows-host-process", "network.pss-host-ports", "network.pss-sysctls",
		}},
		{"pss-restricted@v1.22", []string{
			"capabilities.privileged", "capabilities.pss-privilege-escalation", "capabilities.pss-restricted",
			"capabilities.pss-run-as-non-root", "confinement.pss-apparmor", "confinement.pss-seccomp-restricted",
			"confinement.pss-selinux", "namespaces.pss-host-namespaces", "namespaces.pss-proc-mount",
			"namespaces.pss-restricted-volumes", "namespaces.pss-windows-host-process", "network.pss-host-ports",
			"network.pss-sysctls",
		}},
		{"pss-restricted@v1.35", []string{
			"capabilities.privileged", "capabilities.pss-privilege-escalation", "capabilities.pss-restricted",
			"capabilities.pss-run-as-non-root", "capabilities.pss-run-as-user", "confinement.pss-apparmor",
			"confinement.pss-seccomp-restricted", "confinement.pss-selinux", "namespaces.pss-host-namespaces",
			"namespaces.pss-proc-mount-restricted", "namespaces.pss-restricted-volumes",
			"namespaces.pss-windows-host-process", "network.pss-host-probes", "network.pss-host-ports",
			"network.pss-sysctls",
		}},
	}
	for _, tt := range tests {
		checks, err := bulwark.Profile(tt.ref)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range checks {
			got = append(got, c.ID)
			if c.Inputs != hardening.KindPod {
				t.Errorf("%s: %s reads %v, want pods only", tt.ref, c.ID, c.Inputs)
			}
		}
		slices.Sort(tt.want)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.ref, diff)
		}
	}
}

func TestProfileVersions(t *testing.T) {
	latest, _ := bulwark.Profile("pss-restricted")
	for _, ref := range []string{"pss-restricted@latest", "pss-restricted@v1.37", "pss-restricted@v1.99"} {
		checks, err := bulwark.Profile(ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(checks) != len(latest) {
			t.Errorf("%s has %d checks, latest %d", ref, len(checks), len(latest))
		}
	}
	for _, bad := range []string{"pss-restricted@1", "pss-restricted@v2.1", "pss-restricted@v1.x", "pss-strict", "pss-baseline@v1.05"} {
		if _, err := bulwark.Profile(bad); err == nil {
			t.Errorf("Profile(%q) accepted", bad)
		}
	}
}

// Misuse gives an error, never an empty profile under which every pod
// passes.
func TestPSSProfileFailsClosed(t *testing.T) {
	for _, tt := range []struct {
		level hardening.PSSLevel
		v     hardening.KubeVersion
		want  string
	}{
		{hardening.PSSRestricted, hardening.KubeVersion{}, "want v1.0 or newer"},
		{0, hardening.LatestKube, "want hardening.PSSBaseline or hardening.PSSRestricted"},
		{7, hardening.LatestKube, "want hardening.PSSBaseline or hardening.PSSRestricted"},
		{hardening.PSSBaseline, hardening.KubeVersion{Major: 1, Minor: -1}, "want v1.0 or newer"},
	} {
		checks, err := bulwark.PSSProfile(tt.level, tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) || checks != nil {
			t.Errorf("PSSProfile(%v, %v) = %d checks, %v; want an error containing %q", tt.level, tt.v, len(checks), err, tt.want)
		}
	}
	if checks, err := bulwark.PSSProfile(hardening.PSSBaseline, hardening.KubeVersion{Major: 1, Minor: 0}); err != nil || len(checks) == 0 {
		t.Errorf("v1.0 is a version: %d checks, %v", len(checks), err)
	}
}
