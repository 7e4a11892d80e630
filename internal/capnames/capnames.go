// Package capnames holds the names of the Linux capabilities, numbered as
// linux/capability.h numbers them, and reads them as Kubernetes and OCI
// runtime specs write them. It is the one table of capability names: the
// capabilities package builds its typed API on it, and the packages that
// may not import capabilities (network, images, inspect) read names here.
//
// It imports only the standard library. Nothing but Parse's map is built
// at init, and no function allocates.
package capnames

import (
	"strconv"
	"strings"
)

// Last is the highest capability number the table names:
// CAP_CHECKPOINT_RESTORE, Linux 5.9 and later.
const Last = 40

// oci holds the OCI names by number.
var oci = [Last + 1]string{
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

// exact maps the exact Kubernetes ("SYS_ADMIN") and OCI ("CAP_SYS_ADMIN")
// spellings to numbers: Parse's fast path.
var exact = func() map[string]int {
	m := make(map[string]int, 2*len(oci))
	for n, name := range oci {
		m[name] = n
		m[name[len("CAP_"):]] = n
	}
	return m
}()

// Name returns the Kubernetes name of capability n, without the CAP_
// prefix ("SYS_ADMIN" for 21); ok is false for a number the table does
// not name.
func Name(n int) (name string, ok bool) {
	if n < 0 || n > Last {
		return "", false
	}
	return oci[n][len("CAP_"):], true
}

// OCIName returns the OCI name of capability n ("CAP_SYS_ADMIN" for 21). A
// number the table does not name is named by its number, "CAP_41", so a
// capability newer than the table is never silently dropped (only that
// case allocates).
func OCIName(n int) string {
	if n >= 0 && n <= Last {
		return oci[n]
	}
	return "CAP_" + strconv.Itoa(n)
}

// Parse returns the number of the capability called name. It accepts the
// Kubernetes form ("SYS_ADMIN"), the OCI form ("CAP_SYS_ADMIN") and any
// letter case, and nothing else: no surrounding space, and not the
// Kubernetes keyword ALL, which is not a capability.
func Parse(name string) (int, bool) {
	if n, ok := exact[name]; ok {
		return n, true
	}
	if len(name) > len("CAP_") && strings.EqualFold(name[:len("CAP_")], "CAP_") {
		name = name[len("CAP_"):]
	}
	for n, o := range oci {
		if strings.EqualFold(o[len("CAP_"):], name) {
			return n, true
		}
	}
	return 0, false
}
