//go:build linux

package inspect

import (
	"testing"

	"golang.org/x/sys/unix"
)

// The local capability table must follow the kernel's numbering, which
// golang.org/x/sys/unix mirrors.
func TestCapNamesMatchUnix(t *testing.T) {
	want := map[int]string{
		unix.CAP_CHOWN: "CAP_CHOWN", unix.CAP_DAC_OVERRIDE: "CAP_DAC_OVERRIDE", unix.CAP_DAC_READ_SEARCH: "CAP_DAC_READ_SEARCH",
		unix.CAP_FOWNER: "CAP_FOWNER", unix.CAP_FSETID: "CAP_FSETID", unix.CAP_KILL: "CAP_KILL", unix.CAP_SETGID: "CAP_SETGID",
		unix.CAP_SETUID: "CAP_SETUID", unix.CAP_SETPCAP: "CAP_SETPCAP", unix.CAP_LINUX_IMMUTABLE: "CAP_LINUX_IMMUTABLE",
		unix.CAP_NET_BIND_SERVICE: "CAP_NET_BIND_SERVICE", unix.CAP_NET_BROADCAST: "CAP_NET_BROADCAST",
		unix.CAP_NET_ADMIN: "CAP_NET_ADMIN", unix.CAP_NET_RAW: "CAP_NET_RAW", unix.CAP_IPC_LOCK: "CAP_IPC_LOCK",
		unix.CAP_IPC_OWNER: "CAP_IPC_OWNER", unix.CAP_SYS_MODULE: "CAP_SYS_MODULE", unix.CAP_SYS_RAWIO: "CAP_SYS_RAWIO",
		unix.CAP_SYS_CHROOT: "CAP_SYS_CHROOT", unix.CAP_SYS_PTRACE: "CAP_SYS_PTRACE", unix.CAP_SYS_PACCT: "CAP_SYS_PACCT",
		unix.CAP_SYS_ADMIN: "CAP_SYS_ADMIN", unix.CAP_SYS_BOOT: "CAP_SYS_BOOT", unix.CAP_SYS_NICE: "CAP_SYS_NICE",
		unix.CAP_SYS_RESOURCE: "CAP_SYS_RESOURCE", unix.CAP_SYS_TIME: "CAP_SYS_TIME", unix.CAP_SYS_TTY_CONFIG: "CAP_SYS_TTY_CONFIG",
		unix.CAP_MKNOD: "CAP_MKNOD", unix.CAP_LEASE: "CAP_LEASE", unix.CAP_AUDIT_WRITE: "CAP_AUDIT_WRITE",
		unix.CAP_AUDIT_CONTROL: "CAP_AUDIT_CONTROL", unix.CAP_SETFCAP: "CAP_SETFCAP", unix.CAP_MAC_OVERRIDE: "CAP_MAC_OVERRIDE",
		unix.CAP_MAC_ADMIN: "CAP_MAC_ADMIN", unix.CAP_SYSLOG: "CAP_SYSLOG", unix.CAP_WAKE_ALARM: "CAP_WAKE_ALARM",
		unix.CAP_BLOCK_SUSPEND: "CAP_BLOCK_SUSPEND", unix.CAP_AUDIT_READ: "CAP_AUDIT_READ", unix.CAP_PERFMON: "CAP_PERFMON",
		unix.CAP_BPF: "CAP_BPF", unix.CAP_CHECKPOINT_RESTORE: "CAP_CHECKPOINT_RESTORE",
	}
	if len(want) != 41 || len(capNames) != 41 || knownLastCap != unix.CAP_LAST_CAP {
		t.Fatalf("table has %d names, unix %d, CAP_LAST_CAP %d", len(capNames), len(want), unix.CAP_LAST_CAP)
	}
	for n, name := range want {
		if got := CapName(n); got != name {
			t.Errorf("CapName(%d) = %s, want %s", n, got, name)
		}
	}
	if got := CapName(41); got != "CAP_41" {
		t.Errorf("CapName(41) = %s", got)
	}
}

func TestCapMasks(t *testing.T) {
	if FullCapMask(40) != 0x1ffffffffff || FullCapMask(63) != ^uint64(0) || FullCapMask(-1) != 0 {
		t.Error("FullCapMask")
	}
	if got := CapNames(1<<21|1<<45, 40); len(got) != 1 || got[0] != "CAP_SYS_ADMIN" {
		t.Errorf("CapNames bounded by cap_last_cap: %v", got)
	}
	if got := CapNames(1<<45, -1); len(got) != 1 || got[0] != "CAP_45" {
		t.Errorf("CapNames with unknown last cap: %v", got)
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
