// Package inspect observes a running process — usually the calling one,
// inside a container — and presents what it sees as the OCI runtime spec
// the process behaves as if it had been started from, so the same checks
// that audit a config.json audit the live container.
//
//	obs, err := inspect.Observe(inspect.Options{}) // this process
//	if err != nil { ... }
//	findings := bulwark.Audit(checks, obs.Subject())
//
// [Observe] only reads: files of /proc and /sys, plus, for the calling
// process, prctl(PR_CAPBSET_READ) when /proc/sys/kernel/cap_last_cap is
// unreadable. It never probes syscalls (calling them to see which a
// seccomp filter blocks is slow and can have effects), never connects to a
// socket and never writes. /proc and /sys are read through [fs.FS] values
// ([Options].Proc and [Options].Sys), so tests run on captured trees; the
// defaults are os.DirFS("/proc") and os.DirFS("/sys").
//
// # Evidence and confidence
//
// Every observed value records an [Evidence]: the spec field it fills in,
// the file read, the line read and a [Confidence]:
//
//   - high: the kernel states the value for this process (a line of
//     /proc/<pid>/status, a namespace inode compared with the kernel's
//     fixed initial inode, a line of mountinfo, uid_map or limits);
//   - medium: one documented interpretation step (a mount that looks like a
//     runtime's mask; a cgroup file found by resolving the process's cgroup
//     through the mount table; "no LSM" inferred from what /sys lacks; a
//     namespace judged private because the kernel version gives the initial
//     one a fixed inode);
//   - low: a default inferred from a missing file (no cpu.max).
//
// # Signals
//
// Capabilities. CapInh, CapPrm, CapEff, CapBnd and CapAmb of
// /proc/<pid>/status, decoded to OCI names (CAP_…) by the name table the
// capabilities package reads too (a capability newer than the table is
// named by its number, CAP_41) and bounded by
// /proc/sys/kernel/cap_last_cap: the kernel's number of capabilities
// varies (38 before 5.8, 41 since 5.9), so "all capabilities" is computed,
// never a fixed mask. [Capabilities.Full] is not "privileged": a fresh user
// namespace holds every capability too; read HostRoot with it. High.
//
// no_new_privs, seccomp. NoNewPrivs, Seccomp (0 off, 1 strict, 2 filter)
// and Seccomp_filters (5.9+) of status. A filter in mode 2 becomes a
// non-nil linux.seccomp whose content is unknown: see "unobservable". High.
//
// Credentials. Uid and Gid lines (real, effective, saved, filesystem; the
// spec gets the effective ids), Groups and Umask. High.
//
// Namespaces. The inode of each /proc/<pid>/ns/* link. The kernel gives
// the initial (host) namespaces fixed inodes (include/linux/proc_ns.h,
// include/uapi/linux/nsfs.h): ipc 0xEFFFFFFF, uts 0xEFFFFFFE, user
// 0xEFFFFFFD, pid 0xEFFFFFFC, cgroup 0xEFFFFFFB, time 0xEFFFFFFA, and since
// Linux 6.18 network 0xEFFFFFF9 and mount 0xEFFFFFF8. Every namespace
// created later gets a dynamic inode at or above 0xF0000000
// (PROC_DYNAMIC_FIRST). So an inode below that is a host namespace (high);
// a dynamic inode of a type with a fixed initial inode is a namespace of
// its own (high). Mount and network namespaces on kernels before 6.18 have
// no fixed number: when the process is in the host's PID namespace,
// /proc/1/ns/* (the host's init) decides (high); on 6.18 and later a
// dynamic inode is private (medium, by kernel version); otherwise the
// answer is unknown, reported as unknown, and the field path
// "linux.namespaces[network]" (or [mount]) is listed as unobserved. The
// spec lists the namespaces known to be the process's own; /proc/1 of a
// container's own PID namespace is its own init and is never compared with.
//
// User namespace mapping. /proc/<pid>/uid_map and gid_map become
// linux.uidMappings and gidMappings when the user namespace is not the
// host's. [Observation].HostRoot says whether uid 0 is the host's root:
// yes in the host's user namespace or when the map sends 0 to 0. The map
// is relative to the parent user namespace, so a nested namespace mapping
// 0 to 0 is reported as host root although it is not (medium).
//
// LSM. /proc/<pid>/attr/apparmor/current (5.8+), else attr/current. On a
// kernel where no LSM labels processes, reading attr/current fails with
// EINVAL: with no AppArmor (/sys/kernel/security/apparmor,
// /sys/module/apparmor/parameters/enabled) and no SELinux (/sys/fs/selinux)
// this is [LSMNone], "no LSM on this host", which is not the same as
// [LSMUnconfined], "an LSM is active and this process escapes it"
// (amicontained, for one, prints "unconfined" for both). An unreadable
// label for another reason is [LSMUnknown] and leaves
// process.apparmorProfile and process.selinuxLabel unobserved. A label
// "name (mode)" is AppArmor; "user:role:type:level" with SELinux present is
// SELinux. securityfs is often not mounted in containers, which is why
// /sys/module is consulted too.
//
// Cgroups. /proc/<pid>/cgroup gives the process's path per v1 controller
// ("4:memory:/docker/<id>") and in the cgroup2 hierarchy ("0::/path").
// Version: v1 lines only is [CgroupV1]; only "0::" is [CgroupV2]; both, or
// v1 lines with a cgroup2 mount beside them (/sys/fs/cgroup/unified), is
// [CgroupHybrid] — then the v1 controllers hold the limits and the "0::"
// line is the unified hierarchy, not a v2 host. The limit files are found
// by resolving the path through mountinfo: the controller's mount has a
// root (the part of the path above the mount point: a container's own
// cgroup bound at /sys/fs/cgroup/memory, or a cgroup namespace's root), so
// the directory is mountpoint + (path - root). Memory and pids limits are
// the smallest found from that directory up to the mount point, because a
// parent's limit binds the child (a Kubernetes pod's memory limit sits on
// the pod's cgroup); the hierarchy above the mount point is not visible.
// v1: memory.limit_in_bytes (values from 2^62 up mean unlimited: the kernel
// prints the page-aligned maximum), pids.max, cpu.cfs_quota_us (-1 none),
// cpu.cfs_period_us, cpu.shares. v2: memory.max, pids.max, cpu.max
// ("max 100000" or "quota period"), cpu.weight. Shares 1024 and weight 100
// are the kernel's defaults and cannot be told from "not set": they are
// reported as not set. Medium.
//
// Mounts. /proc/<pid>/mountinfo, topmost mount per mount point:
//   - root.readonly: the mount at / has the ro option (high);
//     linux.rootfsPropagation from its optional fields (shared:N is shared,
//     master:N is slave);
//   - linux.maskedPaths: a bind of the null device (mount root "/null") over
//     a path, or a read-only tmpfs with nothing beneath it inside /proc or
//     /sys — exactly how runc, crun and containerd mask; a runtime masks
//     only paths that exist, so a path this kernel lacks is never masked
//     (medium);
//   - linux.readonlyPaths: a proc or sysfs directory bound over itself
//     read-only (medium);
//   - mounts: every other mount; a mount of a disk filesystem (ext4, xfs,
//     btrfs, …) is a host bind mount, rendered as a bind whose source is the
//     directory inside that filesystem (the host path it was bound from is
//     not visible; high when it is the root's disk, medium otherwise);
//     mounts named docker.sock, containerd.sock, crio.sock, podman.sock …
//     are runtime sockets; the per-controller cgroup v1 mounts under
//     /sys/fs/cgroup are omitted;
//   - whether /proc/sys and /sys are writable (the deepest mount covering
//     them is read-write).
//
// Process. /proc/<pid>/oom_score_adj; /proc/<pid>/limits, all sixteen
// limits with their OCI names (the spec's rlimits then list every limit,
// not only the ones a runtime set); the UTS hostname from
// /proc/sys/kernel/hostname (only for the calling process: /proc/sys shows
// the reader's namespaces).
//
// # Unobservable
//
// [Observation.Subject] lists in [hardening.Subject].Unobserved every field
// the observation did not see, and checks that read them stay silent
// (see [hardening.Subject.Observed]). Each entry of
// [Observation].Unobserved carries the reason. Always unobservable:
//
//   - linux.seccomp.defaultAction, .syscalls, .architectures, .flags,
//     .defaultErrnoRet, .listenerPath, .listenerMetadata: the kernel shows
//     only that filters are attached and how many. Reading the BPF program
//     needs ptrace and CAP_SYS_ADMIN over the process
//     (PTRACE_SECCOMP_GET_FILTER) and decompiling it; probing syscalls is
//     unsafe.
//   - linux.resources.devices: on cgroup v2 the device policy is an eBPF
//     program; v1's devices.list is not translated.
//   - linux.devices: device nodes live in the container's /dev.
//   - hooks, annotations: the runtime's business, run outside the
//     container; nothing is left in /proc.
//   - linux.sysctl: /proc/sys shows every value, not which ones the runtime
//     set; a default and an override look the same.
//   - process.args, env, cwd, terminal, consoleSize, commandLine: they
//     belong to the container's first process as the runtime started it;
//     the observed process may be another one and may have changed them.
//   - root.path: the rootfs's host path is not visible inside the mount
//     namespace. linux.cgroupsPath: /proc/<pid>/cgroup is relative to the
//     cgroup namespace.
//   - not read (yet): domainname, linux.intelRdt, memoryPolicy, mountLabel,
//     netDevices, personality, timeOffsets, process.ioPriority, scheduler,
//     execCPUAffinity, the memory fields other than limit, cpus/mems and
//     realtime CPU fields, blockIO, hugepageLimits, network and rdma
//     resources.
//
// Observed only sometimes (listed when they could not be read): a
// namespace whose host-ness is unknown (linux.namespaces[<type>]), the LSM
// label, uid/gid maps, cgroup limits whose directory is unreachable
// (outside /sys, or the controller is not mounted in the container),
// hostname for another process, oom_score_adj and rlimits.
//
// Observe fails only when /proc/<pid>/status cannot be read; everything
// else degrades to "unobserved" plus a line in [Observation].Warnings.
package inspect
