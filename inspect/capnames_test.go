//go:build linux

package inspect

import (
	"testing"

	"golang.org/x/sys/unix"
)

func TestCapMasks(t *testing.T) {
	if FullCapMask(40) != 0x1ffffffffff || FullCapMask(63) != ^uint64(0) || FullCapMask(-1) != 0 {
		t.Error("FullCapMask")
	}
	if got := capNames(1<<21|1<<45, 40); len(got) != 1 || got[0] != "CAP_SYS_ADMIN" {
		t.Errorf("capNames bounded by cap_last_cap: %v", got)
	}
	if got := capNames(1<<45, -1); len(got) != 1 || got[0] != "CAP_45" {
		t.Errorf("capNames with unknown last cap: %v", got)
	}
}

// Observe on the real /proc of the test process agrees with the kernel's
// own answers through prctl.
func TestObserveSelf(t *testing.T) {
	obs, err := Observe(Options{})
	if err != nil {
		t.Fatal(err)
	}
	nnp, err := unix.PrctlRetInt(unix.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if obs.NoNewPrivs != (nnp == 1) {
		t.Errorf("NoNewPrivs %v, prctl says %d", obs.NoNewPrivs, nnp)
	}
	mode, err := unix.PrctlRetInt(unix.PR_GET_SECCOMP, 0, 0, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if obs.Seccomp != mode {
		t.Errorf("Seccomp %d, prctl says %d", obs.Seccomp, mode)
	}
	if last, ok := probeLastCap(); !ok || last != obs.Capabilities.LastCap {
		t.Errorf("cap_last_cap %d, PR_CAPBSET_READ says %d (%v)", obs.Capabilities.LastCap, last, ok)
	}
	if obs.PID != unix.Getpid() || obs.UID[1] != uint32(unix.Geteuid()) {
		t.Errorf("pid %d uid %d", obs.PID, obs.UID[1])
	}
	t.Logf("self: cgroup %s, lsm %s, %d namespaces, %d mounts, %d warnings", obs.Cgroup.Version, obs.LSM.State, len(obs.Namespaces), len(obs.Mounts), len(obs.Warnings))
}
