package namespaces_test

import (
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/google/go-cmp/cmp"
	rs "github.com/opencontainers/runtime-spec/specs-go"
)

// Check IDs of the OCI spec checks.
const (
	nsMissing   = "namespaces.namespace-missing"
	nsJoined    = "namespaces.namespace-joined"
	userMissing = "namespaces.user-namespace-missing"
	rootMapped  = "namespaces.root-mapped-to-host-root"
	masked      = "namespaces.masked-paths-incomplete"
	readonly    = "namespaces.readonly-paths-incomplete"
	procSys     = "namespaces.proc-sys-mount"
	mountOpts   = "namespaces.mount-options"
	procFD      = "namespaces.proc-fd-path"
)

// Indexes of the hardened spec's mounts.
const (
	mProc = iota
	mDev
	mDevPts
	mShm
	mMqueue
	mSys
	mCgroup
	mTmp
	mData
)

var (
	allMasked = []string{
		"/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
		"/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
		"/sys/firmware", "/sys/devices/virtual/powercap", "/sys/fs/selinux",
	}
	allReadonly = []string{"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}
)

// hardenedSpec passes every check of this package: its own namespaces of
// every type, a user namespace mapping root to an unprivileged range, the
// full masked and read-only lists, a read-only root, read-only /sys and
// cgroupfs, and tmpfs and bind mounts with nosuid and nodev.
func hardenedSpec() *rs.Spec {
	return &rs.Spec{
		Version: rs.Version,
		Process: &rs.Process{
			User:            rs.User{UID: 0, GID: 0},
			Args:            []string{"/app"},
			Cwd:             "/",
			NoNewPrivileges: true,
		},
		Root: &rs.Root{Path: "rootfs", Readonly: true},
		Mounts: []rs.Mount{
			{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/dev", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "strictatime", "mode=755", "size=65536k"}},
			{Destination: "/dev/pts", Type: "devpts", Source: "devpts", Options: []string{"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}},
			{Destination: "/dev/shm", Type: "tmpfs", Source: "shm", Options: []string{"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
			{Destination: "/dev/mqueue", Type: "mqueue", Source: "mqueue", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "ro"}},
			{Destination: "/sys/fs/cgroup", Type: "cgroup", Source: "cgroup", Options: []string{"nosuid", "noexec", "nodev", "relatime", "ro"}},
			{Destination: "/tmp", Type: "tmpfs", Source: "tmpfs", Options: []string{"nosuid", "nodev", "noexec", "size=64m"}},
			{Destination: "/data", Type: "bind", Source: "/srv/app/data", Options: []string{"rbind", "rprivate", "nosuid", "nodev"}},
		},
		Linux: &rs.Linux{
			Namespaces: []rs.LinuxNamespace{
				{Type: rs.PIDNamespace}, {Type: rs.NetworkNamespace}, {Type: rs.IPCNamespace}, {Type: rs.UTSNamespace},
				{Type: rs.MountNamespace}, {Type: rs.CgroupNamespace}, {Type: rs.UserNamespace},
			},
			UIDMappings:   []rs.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}},
			GIDMappings:   []rs.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}},
			MaskedPaths:   append([]string(nil), allMasked...),
			ReadonlyPaths: append([]string(nil), allReadonly...),
		},
	}
}

func mountAt(i int, field string) string { return "mounts[" + strconv.Itoa(i) + "]." + field }

func withoutNS(t rs.LinuxNamespaceType) func(*rs.Spec) {
	return func(s *rs.Spec) {
		var keep []rs.LinuxNamespace
		for _, ns := range s.Linux.Namespaces {
			if ns.Type != t {
				keep = append(keep, ns)
			}
		}
		s.Linux.Namespaces = keep
	}
}

func joinNS(t rs.LinuxNamespaceType, p string) func(*rs.Spec) {
	return func(s *rs.Spec) {
		for i := range s.Linux.Namespaces {
			if s.Linux.Namespaces[i].Type == t {
				s.Linux.Namespaces[i].Path = p
			}
		}
	}
}

func without(list []string, drop ...string) []string {
	var out []string
	for _, p := range list {
		if !strings.Contains(strings.Join(drop, "\n")+"\n", p+"\n") {
			out = append(out, p)
		}
	}
	return out
}

func addMount(m rs.Mount) func(*rs.Spec) {
	return func(s *rs.Spec) { s.Mounts = append(s.Mounts, m) }
}

const mNew = mData + 1 // index of a mount added by addMount

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *rs.Spec)
		want  []got
	}{
		{"hardened", func(s *rs.Spec) {}, nil},

		// partial input
		{"no process", func(s *rs.Spec) { s.Process = nil }, nil},
		{"no mounts", func(s *rs.Spec) { s.Mounts = nil }, nil},
		{"no linux section", func(s *rs.Spec) { s.Linux = nil }, []got{
			{masked, high, "", "linux.maskedPaths"},
			{nsMissing, high, "", "linux.namespaces"},
			{nsMissing, high, "", "linux.namespaces"},
			{nsMissing, medium, "", "linux.namespaces"},
			{nsMissing, critical, "", "linux.namespaces"},
			{nsMissing, low, "", "linux.namespaces"},
			{readonly, high, "", "linux.readonlyPaths"},
			{userMissing, medium, "", "linux.namespaces"},
		}},
		{"windows spec is skipped", func(s *rs.Spec) {
			*s = rs.Spec{Version: rs.Version, Process: &rs.Process{Cwd: `C:\`}, Windows: &rs.Windows{},
				Mounts: []rs.Mount{{Destination: `C:\data`, Source: `C:\data`}}}
		}, nil},
		{"empty spec", func(s *rs.Spec) { *s = rs.Spec{} }, []got{
			{masked, high, "", "linux.maskedPaths"},
			{nsMissing, high, "", "linux.namespaces"},
			{nsMissing, high, "", "linux.namespaces"},
			{nsMissing, medium, "", "linux.namespaces"},
			{nsMissing, critical, "", "linux.namespaces"},
			{nsMissing, low, "", "linux.namespaces"},
			{readonly, high, "", "linux.readonlyPaths"},
			{rootfs, medium, "", "root.readonly"},
		}},

		// namespace-missing
		{"no pid namespace", withoutNS(rs.PIDNamespace), []got{{nsMissing, high, "", "linux.namespaces"}}},
		{"no ipc namespace", withoutNS(rs.IPCNamespace), []got{{nsMissing, high, "", "linux.namespaces"}}},
		{"no uts namespace", withoutNS(rs.UTSNamespace), []got{{nsMissing, medium, "", "linux.namespaces"}}},
		{"no mount namespace", withoutNS(rs.MountNamespace), []got{{nsMissing, critical, "", "linux.namespaces"}}},
		{"no cgroup namespace", withoutNS(rs.CgroupNamespace), []got{{nsMissing, low, "", "linux.namespaces"}}},
		{"no network namespace is the network package's", withoutNS(rs.NetworkNamespace), nil},
		{"no time namespace is fine", withoutNS(rs.TimeNamespace), nil},

		// namespace-joined
		{"host pid", joinNS(rs.PIDNamespace, "/proc/1/ns/pid"), []got{{nsJoined, high, "", "linux.namespaces[0].path"}}},
		{"host ipc via self", joinNS(rs.IPCNamespace, "/proc/self/ns/ipc"), []got{{nsJoined, high, "", "linux.namespaces[2].path"}}},
		{"host uts", joinNS(rs.UTSNamespace, "/proc/1/ns/uts"), []got{{nsJoined, medium, "", "linux.namespaces[3].path"}}},
		{"host mount", joinNS(rs.MountNamespace, "/proc/1/ns/mnt"), []got{{nsJoined, critical, "", "linux.namespaces[4].path"}}},
		{"host cgroup", joinNS(rs.CgroupNamespace, "/proc/1/ns/cgroup"), []got{{nsJoined, low, "", "linux.namespaces[5].path"}}},
		{"host user", joinNS(rs.UserNamespace, "/proc/1/ns/user"), []got{{nsJoined, high, "", "linux.namespaces[6].path"}}},
		{"another container's pid", joinNS(rs.PIDNamespace, "/proc/4242/ns/pid"), []got{{nsJoined, medium, "", "linux.namespaces[0].path"}}},
		{"another container's cgroup", joinNS(rs.CgroupNamespace, "/proc/4242/ns/cgroup"), []got{{nsJoined, low, "", "linux.namespaces[5].path"}}},
		{"a named namespace", joinNS(rs.IPCNamespace, "/var/run/netns/shared"), []got{{nsJoined, medium, "", "linux.namespaces[2].path"}}},
		{"host pid through a thread of pid 1", joinNS(rs.PIDNamespace, "/proc/1/task/1/ns/pid"), []got{{nsJoined, high, "", "linux.namespaces[0].path"}}},
		{"/proc/12/ns path is not pid 1's", joinNS(rs.IPCNamespace, "/proc/12/ns/ipc"), []got{{nsJoined, medium, "", "linux.namespaces[2].path"}}},
		{"host network is the network package's", joinNS(rs.NetworkNamespace, "/proc/1/ns/net"), nil},
		{"pod container joins its sandbox", func(s *rs.Spec) {
			s.Annotations = map[string]string{"io.kubernetes.cri.container-type": "container", "io.kubernetes.cri.sandbox-id": "abc"}
			joinNS(rs.IPCNamespace, "/proc/4242/ns/ipc")(s)
			joinNS(rs.UTSNamespace, "/proc/4242/ns/uts")(s)
			joinNS(rs.PIDNamespace, "/proc/4242/ns/pid")(s)
		}, nil},
		{"pod container joining the host is still reported", func(s *rs.Spec) {
			s.Annotations = map[string]string{"io.kubernetes.cri-o.ContainerType": "container"}
			joinNS(rs.IPCNamespace, "/proc/1/ns/ipc")(s)
			joinNS(rs.MountNamespace, "/proc/4242/ns/mnt")(s)
		}, []got{{nsJoined, high, "", "linux.namespaces[2].path"}, {nsJoined, medium, "", "linux.namespaces[4].path"}}},

		// user namespaces
		{"root without user namespace", withoutNS(rs.UserNamespace), []got{{userMissing, medium, "", "linux.namespaces"}}},
		{"non-root without user namespace", func(s *rs.Spec) {
			withoutNS(rs.UserNamespace)(s)
			s.Process.User.UID = 10001
		}, nil},
		{"root mapped to host root", func(s *rs.Spec) {
			s.Linux.UIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 1}}
			s.Linux.GIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 1}}
		}, []got{{rootMapped, high, "", "linux.uidMappings[0]"}, {rootMapped, medium, "", "linux.gidMappings[0]"}}},
		{"a range covering host uid 0", func(s *rs.Spec) {
			s.Linux.UIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 1000}, {ContainerID: 1000, HostID: 0, Size: 65536}}
		}, []got{{rootMapped, high, "", "linux.uidMappings[1]"}}},
		{"empty mapping of host 0 maps nothing", func(s *rs.Spec) {
			s.Linux.UIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 0}, {ContainerID: 0, HostID: 1000, Size: 1}}
		}, nil},
		{"user namespace without mappings is crun's to fill", func(s *rs.Spec) { s.Linux.UIDMappings, s.Linux.GIDMappings = nil, nil }, nil},
		{"mappings without a user namespace are ignored", func(s *rs.Spec) {
			withoutNS(rs.UserNamespace)(s)
			s.Process.User.UID = 1000
			s.Linux.UIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 1}}
		}, nil},

		// masked and read-only paths
		{"runc 1.1 masks", func(s *rs.Spec) {
			s.Linux.MaskedPaths = without(allMasked, "/proc/interrupts", "/sys/devices/virtual/powercap", "/sys/fs/selinux")
		}, []got{{masked, medium, "", "linux.maskedPaths"}}},
		{"docker 28 masks: selinux is low", func(s *rs.Spec) { s.Linux.MaskedPaths = without(allMasked, "/sys/fs/selinux") }, []got{{masked, low, "", "linux.maskedPaths"}}},
		{"kcore missing is high", func(s *rs.Spec) { s.Linux.MaskedPaths = without(allMasked, "/proc/kcore") }, []got{{masked, high, "", "linux.maskedPaths"}}},
		{"read-only does not mask", func(s *rs.Spec) {
			s.Linux.MaskedPaths = without(allMasked, "/proc/asound")
			s.Linux.ReadonlyPaths = append(s.Linux.ReadonlyPaths, "/proc/asound")
		}, []got{{masked, medium, "", "linux.maskedPaths"}}},
		{"a masked parent covers", func(s *rs.Spec) {
			s.Linux.MaskedPaths = append(without(allMasked, "/sys/devices/virtual/powercap", "/sys/fs/selinux"), "/sys/devices/virtual/", "/sys/fs")
		}, nil},
		{"privileged: no masks, no read-only paths", func(s *rs.Spec) { s.Linux.MaskedPaths, s.Linux.ReadonlyPaths = nil, nil }, []got{
			{masked, high, "", "linux.maskedPaths"}, {readonly, high, "", "linux.readonlyPaths"},
		}},
		{"sysrq-trigger writable", func(s *rs.Spec) { s.Linux.ReadonlyPaths = without(allReadonly, "/proc/sysrq-trigger") }, []got{{readonly, high, "", "linux.readonlyPaths"}}},
		{"/proc/irq writable", func(s *rs.Spec) { s.Linux.ReadonlyPaths = without(allReadonly, "/proc/irq") }, []got{{readonly, medium, "", "linux.readonlyPaths"}}},
		{"masked counts as read-only", func(s *rs.Spec) {
			s.Linux.ReadonlyPaths = without(allReadonly, "/proc/irq", "/proc/bus")
			s.Linux.MaskedPaths = append(s.Linux.MaskedPaths, "/proc/irq", "/proc/bus/")
		}, nil},

		// root filesystem
		{"writable root", func(s *rs.Spec) { s.Root.Readonly = false }, []got{{rootfs, medium, "", "root.readonly"}}},
		{"no root", func(s *rs.Spec) { s.Root = nil }, []got{{rootfs, medium, "", "root.readonly"}}},

		// sensitive host paths
		{"docker socket read-only is still critical", addMount(rs.Mount{Destination: "/var/run/docker.sock", Type: "bind", Source: "/var/run/docker.sock", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"containerd ttrpc socket", addMount(rs.Mount{Destination: "/s", Source: "/run/containerd/containerd.sock.ttrpc", Options: []string{"bind", "ro", "nosuid", "nodev"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"buildkit socket", addMount(rs.Mount{Destination: "/s", Type: "none", Source: "/run/buildkit/buildkitd.sock", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"dockershim socket", addMount(rs.Mount{Destination: "/s", Type: "bind", Source: "/var/run/dockershim.sock", Options: []string{"ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"crio and podman sockets", func(s *rs.Spec) {
			addMount(rs.Mount{Destination: "/a", Type: "bind", Source: "/run/crio/crio.sock", Options: []string{"ro"}})(s)
			addMount(rs.Mount{Destination: "/b", Type: "bind", Source: "/run/podman/podman.sock", Options: []string{"ro"}})(s)
		}, []got{{sensitive, critical, "", mountAt(mNew, "source")}, {sensitive, critical, "", mountAt(mNew+1, "source")}}},
		{"/run wholesale", addMount(rs.Mount{Destination: "/host/run", Type: "bind", Source: "/run", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"/var/run wholesale", addMount(rs.Mount{Destination: "/host/run", Type: "bind", Source: "/var/run/", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"/proc read-only is high", addMount(rs.Mount{Destination: "/host/proc", Type: "bind", Source: "/proc", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, high, "", mountAt(mNew, "source")}}},
		{"/proc writable is critical", addMount(rs.Mount{Destination: "/host/proc", Type: "bind", Source: "/proc", Options: []string{"rbind", "nosuid", "nodev"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"/etc read-only holds /etc/kubernetes", addMount(rs.Mount{Destination: "/host/etc", Type: "bind", Source: "/etc", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"containerd socket by name", addMount(rs.Mount{Destination: "/s", Type: "bind", Source: "/run/host-containerd/containerd.sock", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"/sys/fs writable holds cgroupfs", addMount(rs.Mount{Destination: "/sys/fs", Type: "bind", Source: "/sys/fs/", Options: []string{"rbind", "nosuid", "nodev"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"runtime's own shm from its state directory", addMount(rs.Mount{Destination: "/dev/shm", Type: "bind",
			Source: "/run/containerd/io.containerd.grpc.v1.cri/sandboxes/3f1c/shm", Options: []string{"rbind", "ro"}}), nil},
		{"a state directory bound onto /etc/hosts is still reported", addMount(rs.Mount{Destination: "/etc/hosts", Type: "bind",
			Source: "/run/containerd", Options: []string{"rbind", "ro"}}), []got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"a pod's own volume from the kubelet", addMount(rs.Mount{Destination: "/var/run/secrets/kubernetes.io/serviceaccount", Type: "bind",
			Source: "/var/lib/kubelet/pods/6a0f/volumes/kubernetes.io~projected/kube-api-access-x7k2p", Options: []string{"rbind", "ro"}}), nil},
		{"a Docker named volume", addMount(rs.Mount{Destination: "/data", Type: "bind",
			Source: "/var/lib/docker/volumes/pgdata/_data", Options: []string{"rbind", "ro"}}), nil},
		{"ro then rw is writable", addMount(rs.Mount{Destination: "/host/boot", Type: "bind", Source: "/boot", Options: []string{"ro", "rw", "nosuid", "nodev"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"host root", addMount(rs.Mount{Destination: "/host", Type: "bind", Source: "/", Options: []string{"rbind", "ro"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"rro is read-only", addMount(rs.Mount{Destination: "/host/proc", Type: "bind", Source: "/proc", Options: []string{"rbind", "rro"}}),
			[]got{{sensitive, high, "", mountAt(mNew, "source")}}},
		{"rrw after ro is writable", addMount(rs.Mount{Destination: "/host/boot", Type: "bind", Source: "/boot", Options: []string{"rbind", "ro", "rrw", "nosuid", "nodev"}}),
			[]got{{sensitive, critical, "", mountAt(mNew, "source")}}},
		{"not a bind mount", addMount(rs.Mount{Destination: "/x", Type: "tmpfs", Source: "/etc", Options: []string{"nosuid", "nodev"}}), nil},
		{"subdirectory of a sensitive dir", addMount(rs.Mount{Destination: "/certs", Type: "bind", Source: "/etc/ssl/certs", Options: []string{"rbind", "ro"}}), nil},

		// proc, sys and cgroup mounts
		{"second proc mount", addMount(rs.Mount{Destination: "/host/proc", Type: "proc", Source: "proc"}), []got{{procSys, high, "", mountAt(mNew, "destination")}}},
		{"second sysfs mount", addMount(rs.Mount{Destination: "/host/sys", Type: "sysfs", Source: "sysfs", Options: []string{"ro"}}), []got{{procSys, high, "", mountAt(mNew, "destination")}}},
		{"writable /sys", func(s *rs.Spec) { s.Mounts[mSys].Options = []string{"nosuid", "noexec", "nodev", "rw"} }, []got{{procSys, high, "", mountAt(mSys, "options")}}},
		{"writable cgroup v1", func(s *rs.Spec) { s.Mounts[mCgroup].Options = []string{"nosuid"} }, []got{{procSys, high, "", mountAt(mCgroup, "options")}}},
		{"writable cgroup2", func(s *rs.Spec) { s.Mounts[mCgroup].Type, s.Mounts[mCgroup].Options = "cgroup2", nil }, []got{{procSys, medium, "", mountAt(mCgroup, "options")}}},
		{"tmpfs over /proc/sys", addMount(rs.Mount{Destination: "/proc/sys", Type: "tmpfs", Source: "tmpfs", Options: []string{"ro"}}), []got{{procSys, high, "", mountAt(mNew, "destination")}}},
		{"volume at /proc (CVE-2019-16884)", addMount(rs.Mount{Destination: "/proc", Type: "bind", Source: "/srv/vol", Options: []string{"rbind", "ro"}}), []got{{procSys, high, "", mountAt(mNew, "destination")}}},
		{"rootless /sys bind read-only passes", func(s *rs.Spec) {
			s.Mounts[mSys] = rs.Mount{Destination: "/sys", Type: "none", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev", "ro"}}
		}, nil},
		{"rootless /sys bind writable", func(s *rs.Spec) {
			s.Mounts[mSys] = rs.Mount{Destination: "/sys", Type: "none", Source: "/sys", Options: []string{"rbind", "nosuid", "noexec", "nodev"}}
		}, []got{{procSys, high, "", mountAt(mSys, "options")}}},

		// propagation
		// runc 1.1.5, host directory made shared: under the default rslave
		// root an rshared bind is "shared:2 master:1" and a tmpfs mounted
		// under it in the container does not appear on the host; with
		// rootfsPropagation rshared it does.
		{"rshared bind under the default rslave root receives only", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "rshared", "nosuid", "nodev"}
		}, nil},
		{"rshared bind and rshared root", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "rshared", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "rshared"
		}, []got{{propagate, high, "", mountAt(mData, "options")}, {propagate, high, "", "linux.rootfsPropagation"}}},
		{"read-only rshared bind still propagates", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "ro", "rshared"}
			s.Linux.RootfsPropagation = "rshared"
		}, []got{{propagate, high, "", mountAt(mData, "options")}, {propagate, high, "", "linux.rootfsPropagation"}}},
		{"the last propagation option wins", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "rshared", "rprivate", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "rshared"
		}, []got{{propagate, high, "", "linux.rootfsPropagation"}}},
		{"a shared tmpfs has no host peers", func(s *rs.Spec) {
			s.Mounts[mTmp].Options = append(s.Mounts[mTmp].Options, "rshared")
			s.Linux.RootfsPropagation = "private"
		}, nil},
		{"non-recursive private root keeps host peers", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "private"
		}, []got{{propagate, medium, "", "linux.rootfsPropagation"}}},
		{"non-recursive slave root and an explicit rshared bind", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "shared", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "slave"
		}, []got{{propagate, high, "", mountAt(mData, "options")}}},
		{"non-recursive root with every bind rprivate", func(s *rs.Spec) { s.Linux.RootfsPropagation = "private" }, nil},
		{"rprivate root", func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "rprivate"
		}, nil},
		{"shared rootfs", func(s *rs.Spec) { s.Linux.RootfsPropagation = "shared" }, []got{{propagate, high, "", "linux.rootfsPropagation"}}},
		{"rslave is the default", func(s *rs.Spec) {
			s.Linux.RootfsPropagation = "rslave"
			s.Mounts[mData].Options = []string{"rbind", "rslave", "nosuid", "nodev"}
		}, nil},

		// mount options
		{"bind without nosuid, NNP off", func(s *rs.Spec) {
			s.Process.NoNewPrivileges = false
			s.Mounts[mData].Options = []string{"rbind", "nodev"}
		}, []got{{mountOpts, high, "", mountAt(mData, "options")}}},
		{"bind without nosuid, NNP on", func(s *rs.Spec) { s.Mounts[mData].Options = []string{"rbind", "nodev"} }, []got{{mountOpts, low, "", mountAt(mData, "options")}}},
		{"tmpfs without nodev", func(s *rs.Spec) { s.Mounts[mTmp].Options = []string{"nosuid"} }, []got{{mountOpts, low, "", mountAt(mTmp, "options")}}},
		{"read-only bind needs neither", func(s *rs.Spec) { s.Mounts[mData].Options = []string{"rbind", "ro"} }, nil},
		{"recursively read-only bind needs neither", func(s *rs.Spec) { s.Mounts[mData].Options = []string{"rbind", "rro"} }, nil},
		{"rrw undoes ro", func(s *rs.Spec) { s.Mounts[mData].Options = []string{"rbind", "ro", "rrw", "nosuid"} },
			[]got{{mountOpts, low, "", mountAt(mData, "options")}}},
		{"/dev tmpfs needs only nosuid", func(s *rs.Spec) { s.Mounts[mDev].Options = []string{"mode=755"} }, []got{{mountOpts, low, "", mountAt(mDev, "options")}}},
		{"devpts and mqueue are not judged", func(s *rs.Spec) { s.Mounts[mDevPts].Options, s.Mounts[mMqueue].Options = nil, nil }, nil},
		{"runtime's own file binds are skipped", func(s *rs.Spec) {
			s.Process.NoNewPrivileges = false
			for _, f := range []string{"/etc/resolv.conf", "/etc/hostname", "/etc/hosts"} {
				addMount(rs.Mount{Destination: f, Type: "bind", Source: "/var/lib/docker/containers/abc" + f[4:], Options: []string{"rbind", "rprivate"}})(s)
			}
		}, nil},

		// /proc fd paths
		{"cwd /proc/self/fd/7", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/fd/7" }, []got{{procFD, high, "", "process.cwd"}}},
		{"cwd /proc/thread-self/fd/", func(s *rs.Spec) { s.Process.Cwd = "/proc/thread-self/fd/" }, []got{{procFD, high, "", "process.cwd"}}},
		{"args[0] /proc/1/fd/3", func(s *rs.Spec) { s.Process.Args = []string{"/proc/1/fd/3"} }, []got{{procFD, high, "", "process.args[0]"}}},
		{"args[0] via task", func(s *rs.Spec) { s.Process.Args = []string{"/proc/self/task/9/fd/5/../5"} }, []got{{procFD, high, "", "process.args[0]"}}},
		{"cwd climbing out of an fd", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/fd/7/../../.." }, []got{{procFD, high, "", "process.cwd"}}},
		{"args[0] climbing out of an fd", func(s *rs.Spec) { s.Process.Args = []string{"/proc/self/fd/7/../../../bin/sh"} },
			[]got{{procFD, high, "", "process.args[0]"}}},
		{"cwd /dev/fd/7", func(s *rs.Spec) { s.Process.Cwd = "/dev/fd/7" }, []got{{procFD, high, "", "process.cwd"}}},
		{"dots before the fd directory", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/../1/./fd//3" }, []got{{procFD, high, "", "process.cwd"}}},
		{"relative args[0] from cwd /proc", func(s *rs.Spec) {
			s.Process.Cwd = "/proc"
			s.Process.Args = []string{"self/fd/3"}
		}, []got{{procFD, high, "", "process.args[0]"}}},
		{"args[0] looked up in PATH", func(s *rs.Spec) {
			s.Process.Cwd = "/proc/self"
			s.Process.Args = []string{"fd"}
		}, nil},
		{"dots that leave /proc before fd", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/../../fd/7" }, nil},
		{"fdinfo is not fd", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/fdinfo" }, nil},
		{"cwd /proc/self is not fd", func(s *rs.Spec) { s.Process.Cwd = "/proc/self/cwd" }, nil},
		{"cwd /procfs/self/fd", func(s *rs.Spec) { s.Process.Cwd = "/procfs/self/fd/7" }, nil},
		{"no args", func(s *rs.Spec) { s.Process.Args = nil }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(namespaces.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpecMessages(t *testing.T) {
	tests := []struct {
		name  string
		check *hardening.Check
		tweak func(s *rs.Spec)
		want  string
	}{
		{"masked paths name every missing path", namespaces.MaskedPathsIncomplete, func(s *rs.Spec) {
			s.Linux.MaskedPaths = without(allMasked, "/proc/asound", "/sys/fs/selinux")
			s.Linux.ReadonlyPaths = append(s.Linux.ReadonlyPaths, "/proc/asound")
		}, "2 of the 13 paths current runtimes mask are not masked: /proc/asound (medium, the host's sound devices; in linux.readonlyPaths, which leaves it readable); " +
			"/sys/fs/selinux (low, the SELinux policy and its status, when the container's /sys exposes them)"},
		{"read-only paths, one missing", namespaces.ReadonlyPathsIncomplete, func(s *rs.Spec) { s.Linux.ReadonlyPaths = without(allReadonly, "/proc/sysrq-trigger") },
			"1 of the 5 paths current runtimes make read-only is writable: /proc/sysrq-trigger (high, SysRq: one write reboots or crashes the host)"},
		{"joined host namespace", namespaces.NamespaceJoined, joinNS(rs.IPCNamespace, "/proc/1/ns/ipc"),
			`the "ipc" namespace joins "/proc/1/ns/ipc", the host's: it shares System V IPC and POSIX message queues with the host, whose shared memory segments are open to it`},
		{"socket bind", namespaces.SensitiveHostPath, addMount(rs.Mount{Destination: "/var/run/docker.sock", Type: "bind", Source: "/var/run//docker.sock", Options: []string{"rbind", "ro"}}),
			`bind mount of host path "/var/run//docker.sock" (/var/run/docker.sock) at "/var/run/docker.sock", the Docker daemon's API socket: ` +
				`whoever connects to it runs privileged containers on the node; read-only does not stop a client from connecting to a socket`},
		{"parent of a sensitive path", namespaces.SensitiveHostPath, addMount(rs.Mount{Destination: "/h", Type: "bind", Source: "/var/lib", Options: []string{"rbind", "nosuid", "nodev"}}),
			`bind mount of host path "/var/lib" at "/h", which holds /var/lib/kubelet, the kubelet's state: every pod's volumes, secrets and service ` +
				`account tokens, and the kubelet's client certificate; mounted writable`},
		{"rbind ro leaves submounts writable", namespaces.SensitiveHostPath, addMount(rs.Mount{Destination: "/k", Type: "bind", Source: "/var/lib/kubelet", Options: []string{"rbind", "ro"}}),
			`bind mount of host path "/var/lib/kubelet" at "/k", the kubelet's state: every pod's volumes, secrets and service account tokens, ` +
				`and the kubelet's client certificate; ` +
				`mounted read-only with rbind, which leaves the host's mounts below it writable (rro makes them read-only too)`},
		{"non-recursive root propagation", namespaces.MountPropagation, func(s *rs.Spec) {
			s.Mounts[mData].Options = []string{"rbind", "nosuid", "nodev"}
			s.Linux.RootfsPropagation = "slave"
		}, `rootfsPropagation is "slave", which the runtime applies to / alone: the host's shared mounts stay shared, so a bind mount ` +
			`without a propagation option (mounts[8], of "/srv/app/data") of a directory on one is a peer of the host's, and mounts made ` +
			`under it appear on the host; use rslave or rprivate, or give the bind mounts rprivate or rslave`},
		{"root mapped", namespaces.RootMappedToHostRoot, func(s *rs.Spec) { s.Linux.UIDMappings = []rs.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 65536}} },
			"mapping {containerID: 0, hostID: 0, size: 65536} maps container uid 0 to host uid 0: root in the container is root on the host"},
		{"mount options", namespaces.MountOptions, func(s *rs.Spec) {
			s.Process.NoNewPrivileges = false
			s.Mounts[mData].Options = []string{"rbind"}
		}, `writable bind mount of "/srv/app/data" at "/data" lacks nosuid and nodev (options ["rbind"]): a setuid binary planted there runs with its owner's privileges, and process.noNewPrivileges is not true`},
		{"writable cgroup", namespaces.ProcSysMount, func(s *rs.Spec) { s.Mounts[mCgroup].Options = []string{"nosuid", "rw"} },
			`cgroup mount at "/sys/fs/cgroup" is not read-only (options ["nosuid", "rw"]): the container can rewrite cgroup settings, and set release_agent to run a program on the host (CVE-2022-0492)`},
		{"cwd", namespaces.ProcFDPath, func(s *rs.Spec) { s.Process.Cwd = "/proc/self/fd/7" },
			`process.cwd is "/proc/self/fd/7", a descriptor the runtime holds, which may be a host directory (CVE-2024-21626)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			f := tt.check.Run(hardening.NewSpecSubject("config.json", spec), nil)
			if len(f) != 1 || f[0].Message != tt.want {
				t.Errorf("got %v\nwant %s", f, tt.want)
			}
		})
	}
}

// TestSpecChecksNeverPanic runs every check over specs with each pointer
// and slice emptied in turn.
func TestSpecChecksNeverPanic(t *testing.T) {
	for _, tweak := range []func(*rs.Spec){
		func(s *rs.Spec) { *s = rs.Spec{} },
		func(s *rs.Spec) { s.Linux = &rs.Linux{} },
		func(s *rs.Spec) { s.Process = &rs.Process{} },
		func(s *rs.Spec) {
			s.Mounts = []rs.Mount{{}, {Type: "bind"}, {Type: "proc"}, {Type: "sysfs"}, {Type: "cgroup"}, {Type: "tmpfs"}}
		},
		func(s *rs.Spec) {
			s.Linux.Namespaces = []rs.LinuxNamespace{{Type: rs.UserNamespace, Path: "/proc/"}, {Type: "bogus", Path: "/x"}, {Type: rs.PIDNamespace, Path: "/proc/1"}}
		},
		func(s *rs.Spec) { s.Linux.MaskedPaths, s.Linux.ReadonlyPaths = []string{"", "/"}, []string{""} },
		func(s *rs.Spec) { s.Process.Args, s.Process.Cwd = []string{""}, "/proc/" },
	} {
		spec := hardenedSpec()
		tweak(spec)
		for _, c := range namespaces.Checks() {
			if c.Inputs&hardening.KindOCISpec != 0 {
				c.Run(hardening.NewSpecSubject("config.json", spec), nil)
			}
		}
	}
	for _, c := range namespaces.Checks() {
		if c.Inputs&hardening.KindOCISpec != 0 {
			c.Run(&hardening.Subject{Kind: hardening.KindOCISpec}, nil)
		}
	}
}

// TestLivePropagation: a live container's mounts carry the propagation
// mountinfo shows. A shared mount that is also a slave ("shared:2
// master:1", what an rshared bind under the default rslave root becomes)
// receives host mounts but sends none; shared alone is a peer.
func TestLivePropagation(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []string
		want []got
	}{
		{"shared and slave", []string{"rbind", "shared", "slave"}, nil},
		{"shared", []string{"rbind", "shared"}, []got{{propagate, high, "", mountAt(mData, "options")}}},
		{"slave", []string{"rbind", "slave"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			spec.Mounts[mData].Options = tt.opts
			spec.Linux.RootfsPropagation = "slave"
			s := hardening.NewSpecSubject("live:1", spec)
			s.Unobserved = []string{"linux.seccomp.syscalls"}
			if diff := cmp.Diff(tt.want, summarize(checktest.Each(hardening.Checks{namespaces.MountPropagation}, s))); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}
