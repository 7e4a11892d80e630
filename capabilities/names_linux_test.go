//go:build linux

package capabilities

import (
	"testing"

	"golang.org/x/sys/unix"
)

// TestNumbersMatchKernel keeps the capability numbers in step with
// golang.org/x/sys/unix, which takes them from the kernel headers.
func TestNumbersMatchKernel(t *testing.T) {
	want := map[Capability]int{
		Chown: unix.CAP_CHOWN, DacOverride: unix.CAP_DAC_OVERRIDE, DacReadSearch: unix.CAP_DAC_READ_SEARCH,
		Fowner: unix.CAP_FOWNER, Fsetid: unix.CAP_FSETID, Kill: unix.CAP_KILL, Setgid: unix.CAP_SETGID,
		Setuid: unix.CAP_SETUID, Setpcap: unix.CAP_SETPCAP, LinuxImmutable: unix.CAP_LINUX_IMMUTABLE,
		NetBindService: unix.CAP_NET_BIND_SERVICE, NetBroadcast: unix.CAP_NET_BROADCAST, NetAdmin: unix.CAP_NET_ADMIN,
		NetRaw: unix.CAP_NET_RAW, IpcLock: unix.CAP_IPC_LOCK, IpcOwner: unix.CAP_IPC_OWNER, SysModule: unix.CAP_SYS_MODULE,
		SysRawio: unix.CAP_SYS_RAWIO, SysChroot: unix.CAP_SYS_CHROOT, SysPtrace: unix.CAP_SYS_PTRACE,
		SysPacct: unix.CAP_SYS_PACCT, SysAdmin: unix.CAP_SYS_ADMIN, SysBoot: unix.CAP_SYS_BOOT, SysNice: unix.CAP_SYS_NICE,
		SysResource: unix.CAP_SYS_RESOURCE, SysTime: unix.CAP_SYS_TIME, SysTtyConfig: unix.CAP_SYS_TTY_CONFIG,
		Mknod: unix.CAP_MKNOD, Lease: unix.CAP_LEASE, AuditWrite: unix.CAP_AUDIT_WRITE, AuditControl: unix.CAP_AUDIT_CONTROL,
		Setfcap: unix.CAP_SETFCAP, MacOverride: unix.CAP_MAC_OVERRIDE, MacAdmin: unix.CAP_MAC_ADMIN, Syslog: unix.CAP_SYSLOG,
		WakeAlarm: unix.CAP_WAKE_ALARM, BlockSuspend: unix.CAP_BLOCK_SUSPEND, AuditRead: unix.CAP_AUDIT_READ,
		Perfmon: unix.CAP_PERFMON, BPF: unix.CAP_BPF, CheckpointRestore: unix.CAP_CHECKPOINT_RESTORE,
	}
	if len(want) != int(Last)+1 {
		t.Fatalf("test covers %d capabilities, package knows %d", len(want), Last+1)
	}
	for c, n := range want {
		if int(c) != n {
			t.Errorf("%s = %d, x/sys/unix says %d", c, c, n)
		}
	}
	if int(Last) != unix.CAP_LAST_CAP {
		t.Errorf("Last = %d, x/sys/unix CAP_LAST_CAP = %d: a new capability needs a name and a risk", Last, unix.CAP_LAST_CAP)
	}
}
