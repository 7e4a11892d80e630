package network_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/network"
)

func pssAt(v hardening.KubeVersion) hardening.Checks {
	return hardening.PSSChecks(network.PSSControls(), hardening.PSSRestricted, v)
}

func TestPSSFixtures(t *testing.T) {
	hardeningtest.Run(t, pssAt(hardening.LatestKube), "testdata/pss.yaml")
	hardeningtest.Run(t, pssAt(hardening.KubeVersion{Major: 1, Minor: 33}), "testdata/pss-1.33.yaml")
}

func TestSafeSysctlVersions(t *testing.T) {
	for _, tt := range []struct {
		name  string
		minor int
		want  bool
	}{
		{"kernel.shm_rmid_forced", 0, true},
		{"net.ipv4.ip_local_reserved_ports", 26, false},
		{"net.ipv4.ip_local_reserved_ports", 27, true},
		{"net.ipv4.tcp_keepalive_time", 28, false},
		{"net.ipv4.tcp_keepalive_time", 29, true},
		{"net.ipv4.tcp_wmem", 31, false},
		{"net.ipv4.tcp_wmem", 32, true},
		{"net.ipv4.tcp_slow_start_after_idle", 36, false},
		{"net.ipv4.tcp_slow_start_after_idle", 37, true},
		{"kernel.msgmax", 37, false},
		{"NET.IPV4.TCP_SYNCOOKIES", 37, false},
	} {
		if got := network.SafeSysctl(tt.name, hardening.KubeVersion{Major: 1, Minor: tt.minor}); got != tt.want {
			t.Errorf("SafeSysctl(%s, 1.%d) = %v", tt.name, tt.minor, got)
		}
	}
}
