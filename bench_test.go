package bulwark_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// specChecks is the whole OCI catalog: every built-in check that reads OCI
// runtime specs.
func specChecks() hardening.Checks {
	return bulwark.Checks().Select(hardening.Selection{Kinds: hardening.KindOCISpec})
}

// hardenedSpec is an OCI runtime spec with every control the OCI checks
// look for in place: all namespaces with a user namespace mapping root to
// an unprivileged host range, a non-root user, no_new_privs, only
// CAP_NET_BIND_SERVICE, a default-deny seccomp allowlist, an AppArmor
// profile and an SELinux label, the union of the runtimes' masked and read-only paths, a
// read-only rootfs, pids/memory/CPU limits and a deny-all device cgroup.
// No check may report anything on it.
func hardenedSpec() *runtimespec.Spec {
	i64 := func(v int64) *int64 { return &v }
	u64 := func(v uint64) *uint64 { return &v }
	caps := []string{"CAP_NET_BIND_SERVICE"}
	return &runtimespec.Spec{
		Version:  runtimespec.Version,
		Hostname: "hardened",
		Root:     &runtimespec.Root{Path: "rootfs", Readonly: true},
		Process: &runtimespec.Process{
			User: runtimespec.User{UID: 1000, GID: 1000},
			Args: []string{"/app"},
			Env:  []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
			Cwd:  "/",
			Capabilities: &runtimespec.LinuxCapabilities{
				Bounding:  caps,
				Effective: caps,
				Permitted: caps,
			},
			Rlimits: []runtimespec.POSIXRlimit{
				{Type: "RLIMIT_NOFILE", Hard: 1024, Soft: 1024},
				{Type: "RLIMIT_NPROC", Hard: 512, Soft: 512},
			},
			NoNewPrivileges: true,
			ApparmorProfile: "docker-default",
			// A host runs one LSM, but the spec does not say which: the
			// hardened spec confines the process under either.
			SelinuxLabel: "system_u:system_r:container_t:s0:c123,c456",
		},
		Mounts: []runtimespec.Mount{
			{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
			{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
			{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
			{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}},
			{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup", Options: []string{"nosuid", "noexec", "nodev", "relatime", "ro"}},
			{Destination: "/tmp", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
		},
		Linux: &runtimespec.Linux{
			UIDMappings: []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}},
			GIDMappings: []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}},
			Namespaces: []runtimespec.LinuxNamespace{
				{Type: runtimespec.PIDNamespace},
				{Type: runtimespec.NetworkNamespace},
				{Type: runtimespec.IPCNamespace},
				{Type: runtimespec.UTSNamespace},
				{Type: runtimespec.MountNamespace},
				{Type: runtimespec.UserNamespace},
				{Type: runtimespec.CgroupNamespace},
				{Type: runtimespec.TimeNamespace},
			},
			Resources: &runtimespec.LinuxResources{
				Devices: []runtimespec.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
				Memory:  &runtimespec.LinuxMemory{Limit: i64(256 << 20), Swap: i64(256 << 20)},
				CPU:     &runtimespec.LinuxCPU{Shares: u64(512), Quota: i64(50000), Period: u64(100000)},
				Pids:    &runtimespec.LinuxPids{Limit: i64(128)},
			},
			MountLabel:        "system_u:object_r:container_file_t:s0:c123,c456",
			CgroupsPath:       "/bulwark/hardened",
			RootfsPropagation: "rprivate",
			Seccomp: &runtimespec.LinuxSeccomp{
				DefaultAction: runtimespec.ActErrno,
				Architectures: []runtimespec.Arch{runtimespec.ArchX86_64, runtimespec.ArchX86, runtimespec.ArchX32},
				Syscalls: []runtimespec.LinuxSyscall{{
					Names: []string{
						"accept4", "arch_prctl", "bind", "brk", "clock_gettime", "clock_nanosleep", "close",
						"connect", "epoll_create1", "epoll_ctl", "epoll_pwait", "exit", "exit_group", "fcntl",
						"fstat", "futex", "getdents64", "getpid", "getrandom", "gettid", "listen", "lseek",
						"madvise", "mmap", "mprotect", "munmap", "nanosleep", "newfstatat", "openat", "pipe2",
						"pread64", "read", "readlinkat", "recvfrom", "recvmsg", "rt_sigaction", "rt_sigprocmask",
						"rt_sigreturn", "sched_getaffinity", "sched_yield", "sendmsg", "sendto", "set_robust_list",
						"set_tid_address", "setsockopt", "getsockname", "getsockopt", "shutdown", "sigaltstack",
						"socket", "tgkill", "uname", "write", "writev",
					},
					Action: runtimespec.ActAllow,
				}},
			},
			MaskedPaths: []string{
				"/proc/asound",
				"/proc/acpi",
				"/proc/interrupts",
				"/proc/kcore",
				"/proc/keys",
				"/proc/latency_stats",
				"/proc/timer_list",
				"/proc/timer_stats",
				"/proc/sched_debug",
				"/proc/scsi",
				"/sys/firmware",
				"/sys/devices/virtual/powercap",
				"/sys/fs/selinux",
			},
			ReadonlyPaths: []string{
				"/proc/bus",
				"/proc/fs",
				"/proc/irq",
				"/proc/sys",
				"/proc/sysrq-trigger",
			},
		},
	}
}

// TestHardenedSpec keeps the benchmark's hardened spec honest: every OCI
// check of the catalog passes it. If a new check fires, harden the spec
// (or, if the check is wrong, fix the check).
func TestHardenedSpec(t *testing.T) {
	s := hardening.NewSpecSubject("hardened", hardenedSpec())
	for _, f := range specChecks().Check(s, nil) {
		t.Errorf("the hardened spec fails %s at %s: %s", f.Check, f.Path, f.Message)
	}
}

// BenchmarkSpec runs the whole OCI catalog on each runtime's default spec
// and on a hardened spec, which passes and so must cost no allocation.
func BenchmarkSpec(b *testing.B) {
	checks := specChecks()
	for _, file := range runtimeSpecFiles(b) {
		s := loadRuntimeSpec(b, file)
		b.Run(specName(file), func(b *testing.B) { checktest.Bench(b, checks, s) })
	}
	b.Run("hardened", func(b *testing.B) {
		checktest.BenchPassing(b, checks, hardening.NewSpecSubject("hardened", hardenedSpec()))
	})
}
