package inspect

import "strconv"

// capNames holds the OCI names of the Linux capabilities by number, as
// linux/capability.h numbers them (Linux 5.9 and later: 0 through 40,
// CAP_CHECKPOINT_RESTORE). inspect keeps its own table rather than importing
// the capabilities package: DESIGN.md lets inspect import hardening only. A
// test keeps it in step with golang.org/x/sys/unix's CAP_* constants.
var capNames = [...]string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
	"CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE",
	"CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
	"CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
	"CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// knownLastCap is the highest capability number capNames names.
const knownLastCap = len(capNames) - 1

// CapName returns the OCI name of capability number n ("CAP_SYS_ADMIN" for
// 21). A capability newer than this package's table is named by its number,
// "CAP_41", so it is never silently dropped.
func CapName(n int) string {
	if n >= 0 && n < len(capNames) {
		return capNames[n]
	}
	return "CAP_" + strconv.Itoa(n)
}

// CapNames decodes a capability bitmask into OCI names in numeric order,
// considering bits 0 through lastCap only (the kernel never sets higher ones).
// A lastCap below 0 means "unknown" and considers all 64 bits.
func CapNames(mask uint64, lastCap int) []string {
	if lastCap < 0 || lastCap > 63 {
		lastCap = 63
	}
	names := []string{}
	for n := 0; n <= lastCap; n++ {
		if mask&(1<<uint(n)) != 0 {
			names = append(names, CapName(n))
		}
	}
	return names
}

// FullCapMask returns the mask of every capability 0 through lastCap: what
// a process holds when nothing was dropped on this kernel.
func FullCapMask(lastCap int) uint64 {
	if lastCap >= 63 {
		return ^uint64(0)
	}
	if lastCap < 0 {
		return 0
	}
	return 1<<uint(lastCap+1) - 1
}
