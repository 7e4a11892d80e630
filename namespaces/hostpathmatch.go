package namespaces

// The table of sensitive host paths and its matcher, which
// namespaces.sensitive-host-path and namespaces.writable-host-path judge
// hostPath volumes and OCI bind mounts by.
//
// A mounted path p (cleaned, /var/run read as /run) is ranked by:
//
//   - a runtime socket of the table whose file name p ends with, in any
//     directory: /host/run/containerd/containerd.sock is containerd's socket;
//   - otherwise the nearest entry p is or lies inside (the longest entry path
//     that is p or a directory above it): p is sensitive when it is that
//     entry, or when the entry has Below. An entry without Below ends the
//     search, so /etc/ssl/certs inside /etc is not sensitive, and
//     /var/lib/kubelet/plugins keeps a CSI driver's own directory inside it
//     out of the Below of /var/lib/kubelet;
//   - and the most severe entry inside p (p is a directory above it: /run
//     holds the runtime sockets), when it ranks the mount higher.
//
// Each entry has a severity for a read-only mount and one for a writable
// mount, so that one exposure ranks the same whichever path spells it, and
// a mount ranks higher writable only where writing adds something.

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SensitivePath is a host path whose mount hands a container part of the
// node.
type SensitivePath struct {
	// Path is the host path, clean and absolute, with /run in place of
	// /var/run. For a Socket it is the socket's usual location: a mount of a
	// directory above it holds the socket.
	Path string
	// Severity ranks a read-only mount of Path (and of the paths below it,
	// with Below); zero when a read-only mount exposes nothing worth a
	// finding.
	Severity hardening.Severity
	// Writable ranks a writable mount; never zero, and at least Severity.
	Writable hardening.Severity
	// Below makes the paths inside Path sensitive too, ranked as Path, down
	// to the next entry inside it. Without Below only Path itself and the
	// directories above it are, and what lies inside Path is not sensitive
	// even when an entry above Path has Below.
	Below bool
	// Socket marks a container runtime's API socket: it matches a path with
	// its file name in any directory, and it ranks read-only mounts as
	// writable ones, since connect(2) needs write permission on the socket
	// file, which a read-only mount does not take away. Severity and
	// Writable must be equal.
	Socket bool
	// What says what the path holds, in a phrase.
	What string
}

// severity ranks a mount of e, read-only or writable.
func (e *SensitivePath) severity(writable bool) hardening.Severity {
	if writable {
		return e.Writable
	}
	return e.Severity
}

// sensitiveHostPaths is the built-in table, runtime sockets first; the order
// decides which entry a message names among equally severe ones. Every
// entry says what a read-only and a writable mount expose. Paths that exist
// only on control-plane nodes count: node agents (CNI, CSI, log and
// security agents) tolerate control-plane taints and run there too.
var sensitiveHostPaths = []SensitivePath{
	// Runtime sockets. Whoever connects to one asks the runtime to start a
	// privileged container with the host's / mounted: the node is theirs,
	// read-only mount or not.

	// The Docker Engine API (also rootless Docker's
	// $XDG_RUNTIME_DIR/docker.sock, matched by name).
	{Path: "/run/docker.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the Docker daemon's API socket: whoever connects to it runs privileged containers on the node"},
	// containerd's gRPC API, the CRI included.
	{Path: "/run/containerd/containerd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "containerd's API socket: whoever connects to it runs privileged containers on the node"},
	// containerd's second API, over ttrpc, which its shims and plugins
	// call.
	{Path: "/run/containerd/containerd.sock.ttrpc", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "containerd's ttrpc socket, the daemon's API for its shims and plugins"},
	// CRI-O's CRI API.
	{Path: "/run/crio/crio.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the CRI-O socket: whoever connects to it runs privileged containers on the node"},
	// podman's Docker-compatible API (rootless podman's
	// /run/user/<uid>/podman/podman.sock is matched by name).
	{Path: "/run/podman/podman.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the podman API socket: whoever connects to it runs privileged containers on the node"},
	// cri-dockerd, the CRI shim in front of Docker since Kubernetes 1.24.
	{Path: "/run/cri-dockerd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "cri-dockerd's CRI socket: whoever connects to it runs privileged containers on the node"},
	// The kubelet's dockershim (Kubernetes 1.23 and older).
	{Path: "/run/dockershim.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the dockershim CRI socket: whoever connects to it runs privileged containers on the node"},
	// The BuildKit daemon: RUN --security=insecure and bind mounts of the
	// daemon's filesystem.
	{Path: "/run/buildkit/buildkitd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the BuildKit daemon's socket: whoever connects to it runs builds with the daemon's privileges"},
	// Usual locations of containerd's socket beyond /run/containerd, so that
	// a mount of their directories counts: k3s and rke2, Bottlerocket's
	// host containerd (which falco's chart mounts), and k0s.
	{Path: "/run/k3s/containerd/containerd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the containerd socket of k3s and rke2: whoever connects to it runs privileged containers on the node"},
	{Path: "/run/host-containerd/containerd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "Bottlerocket's host containerd socket, which runs the node's own control and admin containers"},
	{Path: "/run/k0s/containerd.sock", Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "k0s's containerd socket: whoever connects to it runs privileged containers on the node"},

	// containerd's state directories: beside the API sockets, each shim's
	// ttrpc socket (under s/), which runs processes in its containers, and
	// every running container's bundle and root filesystem.
	{Path: "/run/containerd", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "containerd's state: its API socket, the shim sockets that run processes in every container, and every running container's root filesystem"},
	{Path: "/run/k3s/containerd", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "the containerd state of k3s and rke2: its API socket, the shim sockets that run processes in every container, and every running container's root filesystem"},

	// The node's whole filesystem: everything below, sockets included.
	{Path: "/", Severity: sevCritical, Writable: sevCritical,
		What: "the node's whole filesystem"},

	// /etc itself: /etc/shadow and SSH host keys read-only; cron, systemd
	// units and /etc/passwd writable. Not Below: /etc/ssl/certs,
	// /etc/localtime, /etc/machine-id are routine read-only mounts.
	{Path: "/etc", Severity: sevHigh, Writable: sevCritical,
		What: "the node's configuration: password hashes and SSH host keys, and cron and systemd units that run as root"},
	// kubeadm's directory: the kubelet's kubeconfig; on control-plane nodes
	// admin.conf and the cluster CA and service-account signing keys (any
	// identity in the cluster); the static pod manifests the kubelet runs.
	{Path: "/etc/kubernetes", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "the kubelet's credentials, on control-plane nodes the cluster's admin kubeconfig and CA keys, and the static pod manifests the kubelet runs"},
	// k3s and rke2 configuration: /etc/rancher/k3s/k3s.yaml and
	// /etc/rancher/rke2/rke2.yaml are cluster-admin kubeconfigs on servers.
	{Path: "/etc/rancher", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "the k3s and rke2 configuration, with the cluster-admin kubeconfig on server nodes"},
	// root's home: SSH keys, kubeconfigs, registry credentials;
	// authorized_keys and shell profiles writable.
	{Path: "/root", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "root's home on the node: SSH keys, kubeconfigs and registry credentials, and the files root's logins run"},
	// Kernels, initramfs and boot loader: symbol maps read-only; a writable
	// mount replaces the kernel the node boots next.
	{Path: "/boot", Severity: sevMedium, Writable: sevCritical, Below: true,
		What: "the node's kernels, their configuration and symbol maps, and the boot loader"},
	// Executables and libraries root runs: harmless read-only (falco reads
	// /usr and /lib/modules), the node's root writable. Merged-/usr
	// distributions make /bin, /sbin, /lib and /lib64 links into /usr, so
	// both spellings reach the same files.
	{Path: "/usr", Writable: sevCritical, Below: true,
		What: "the node's programs and libraries, which root runs"},
	{Path: "/bin", Writable: sevCritical, Below: true,
		What: "the node's programs, which root runs"},
	{Path: "/sbin", Writable: sevCritical, Below: true,
		What: "the node's system programs, which root runs"},
	// Also /lib/modules, where a planted module is loaded into the kernel on
	// the next modprobe the kernel itself requests.
	{Path: "/lib", Writable: sevCritical, Below: true,
		What: "the node's libraries and kernel modules, which root and the kernel load"},
	{Path: "/lib64", Writable: sevCritical, Below: true,
		What: "the node's libraries and dynamic loader, which root runs"},
	// CNI plugins: the runtime runs them as root on the host for every pod
	// sandbox it creates or deletes.
	{Path: "/opt/cni/bin", Writable: sevCritical, Below: true,
		What: "the CNI plugins, which the container runtime runs as root on the node for every pod"},

	// Device nodes: disks, memory, the kernel log. The device cgroup alone
	// decides which the container may open, and a read-only mount does not
	// stop writes to a device node.
	{Path: "/dev", Severity: sevHigh, Writable: sevHigh, Below: true,
		What: "the node's device nodes: disks, memory and terminals, which readOnly does not protect"},

	// procfs of the host's PID namespace: every process's command line,
	// mounts and /proc/<pid>/root; writable, /proc/sys/kernel/core_pattern
	// runs a program as host root and /proc/sysrq-trigger reboots the node.
	{Path: "/proc", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "the node's processes: their command lines, mounts and files through /proc/<pid>/root, and the kernel's controls in /proc/sys and /proc/sysrq-trigger"},
	// The host's sysctls: readable settings; writable, core_pattern and
	// modprobe run programs as host root.
	{Path: "/proc/sys", Severity: sevLow, Writable: sevCritical, Below: true,
		What: "the node's kernel settings, among them kernel.core_pattern and kernel.modprobe, which run a program as root when written"},

	// sysfs. Root in a container without a user namespace is root to
	// sysfs: most attributes check file modes only, so any writable part of
	// it reaches the host's kernel and devices (power state, device removal,
	// driver binding).
	{Path: "/sys", Severity: sevLow, Writable: sevHigh, Below: true,
		What: "the node's sysfs: kernel, device and driver attributes that root in a container can write"},
	// Firmware tables (ACPI, DMI, EFI variables), which runtimes mask.
	{Path: "/sys/firmware", Severity: sevHigh, Writable: sevHigh, Below: true,
		What: "the firmware tables: ACPI, DMI and EFI variables"},
	// cgroupfs: every pod's usage read-only; writable, the root cgroup's v1
	// release_agent runs a program as host root (CVE-2022-0492 without
	// even a new mount), and every pod's limits and processes move.
	{Path: "/sys/fs/cgroup", Severity: sevLow, Writable: sevCritical, Below: true,
		What: "the node's cgroup hierarchies: every pod's limits and processes, and the cgroup v1 release_agent, which runs a program as root on the node"},
	// bpffs: the pinned programs and maps of the CNI and security agents;
	// writable, they can be replaced or unpinned.
	{Path: "/sys/fs/bpf", Severity: sevLow, Writable: sevHigh, Below: true,
		What: "the pinned BPF programs and maps the node's CNI and agents enforce policy with"},
	// Loaded modules and their parameters, which root writes without a
	// capability; some turn off protections or crash the node.
	{Path: "/sys/module", Severity: sevLow, Writable: sevHigh, Below: true,
		What: "the kernel modules' parameters, which root in a container can rewrite"},
	// /sys/kernel itself: debugfs, tracefs and securityfs are mounted below
	// it, uevent_helper is in it. Not Below: /sys/kernel/btf and
	// /sys/kernel/mm are routine for eBPF agents.
	{Path: "/sys/kernel", Severity: sevMedium, Writable: sevHigh,
		What: "the kernel's sysfs: debugfs, tracefs and securityfs are mounted below it"},
	// The program the kernel runs as root on every device event
	// (CONFIG_UEVENT_HELPER); reading it tells nothing.
	{Path: "/sys/kernel/uevent_helper", Writable: sevCritical,
		What: "the uevent helper, a program the kernel runs as root on every device event"},
	// debugfs and tracefs: kernel internals and addresses, traces of every
	// process; writable, kprobes that read any process's data and fault
	// injection.
	{Path: "/sys/kernel/debug", Severity: sevMedium, Writable: sevHigh, Below: true,
		What: "debugfs: the kernel's internals and addresses, and its tracing and fault-injection controls"},
	{Path: "/sys/kernel/tracing", Severity: sevMedium, Writable: sevHigh, Below: true,
		What: "tracefs: traces of every process on the node, and kprobes that read any process's data"},
	// securityfs: the loaded LSM policies and IMA measurements; writable,
	// AppArmor profiles can be replaced or removed.
	{Path: "/sys/kernel/security", Severity: sevMedium, Writable: sevHigh, Below: true,
		What: "securityfs: the node's AppArmor and other LSM policies, and the IMA measurements"},

	// The kubelet's state: every pod's volumes (secrets, service account
	// tokens) and the kubelet's client certificate; writable, other pods'
	// volumes, privileged pods' among them.
	{Path: "/var/lib/kubelet", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "the kubelet's state: every pod's volumes, secrets and service account tokens, and the kubelet's client certificate"},
	// Every pod's directory: its volumes, secrets and projected service
	// account tokens. Not Below: one pod's own directory is where the
	// kubelet binds that pod's volumes from (every container's OCI spec
	// holds such binds).
	{Path: "/var/lib/kubelet/pods", Severity: sevHigh, Writable: sevCritical,
		What: "every pod's volumes, secrets and service account tokens"},
	// Every CSI driver's socket: whoever connects asks a driver to mount
	// volumes at any path of the node. Not Below: a driver's own
	// /var/lib/kubelet/plugins/<driver> directory holds only its socket.
	{Path: "/var/lib/kubelet/plugins", Severity: sevHigh, Writable: sevHigh,
		What: "every CSI driver's socket: whoever connects to one has the driver mount volumes on the node"},
	// Plugin registration: node-driver-registrar writes its socket here;
	// writable, a plugin the kubelet trusts can be registered or removed.
	{Path: "/var/lib/kubelet/plugins_registry", Severity: sevLow, Writable: sevMedium,
		What: "the kubelet's plugin registration sockets"},
	// Device plugins register through kubelet.sock here, read-only or not,
	// and the kubelet then hands their devices and mounts to the pods that
	// ask for them.
	{Path: "/var/lib/kubelet/device-plugins", Severity: sevMedium, Writable: sevMedium,
		What: "the kubelet's device-plugin sockets: a registered plugin chooses the devices and mounts of the pods that request its resource"},
	// The pod-resources API: which devices each pod holds.
	{Path: "/var/lib/kubelet/pod-resources", Severity: sevLow, Writable: sevLow,
		What: "the kubelet's pod-resources socket: the devices and CPUs of every pod"},
	// etcd's data on control-plane nodes: every Secret of the cluster.
	{Path: "/var/lib/etcd", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "etcd's database on control-plane nodes: every Secret of the cluster"},
	// k3s and rke2 state: the server's token and CA keys, auto-deployed
	// manifests, the embedded containerd's images and containers.
	{Path: "/var/lib/rancher", Severity: sevCritical, Writable: sevCritical, Below: true,
		What: "the k3s and rke2 state: on servers the cluster token, CA keys and auto-deployed manifests, and every container's files"},
	// Container runtimes' storage: every image and container filesystem,
	// every container's configuration (environment variables included);
	// writable, other containers' files, which they run.
	{Path: "/var/lib/docker", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "Docker's state: every container's filesystem, configuration and environment, and every image"},
	// Docker's per-container directories (configuration with the
	// environment, logs, the resolv.conf, hosts and shm it binds into the
	// container) and named volumes. Not Below: one container's directory or
	// one volume is what Docker binds into that container.
	{Path: "/var/lib/docker/containers", Severity: sevHigh, Writable: sevCritical,
		What: "every Docker container's configuration and environment, which dockerd loads again (privileged flag included) when it restarts, and its logs"},
	{Path: "/var/lib/docker/volumes", Severity: sevHigh, Writable: sevCritical,
		What: "every Docker named volume, privileged containers' among them"},
	{Path: "/var/lib/containerd", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "containerd's storage: every container's filesystem and every image"},
	{Path: "/var/lib/containers", Severity: sevHigh, Writable: sevCritical, Below: true,
		What: "the storage of podman and CRI-O: every container's filesystem and every image"},
	// podman's named volumes, as Docker's.
	{Path: "/var/lib/containers/storage/volumes", Severity: sevHigh, Writable: sevCritical,
		What: "every podman named volume, privileged containers' among them"},
	// Every pod's logs read-only. Writable, a log file replaced by a
	// symlink makes the kubelet read any host file as root when it serves
	// kubectl logs (the "pod escape using log mounts").
	{Path: "/var/log", Severity: sevLow, Writable: sevHigh, Below: true,
		What: "the node's and every pod's logs, which the kubelet reads as root and follows symlinks in to serve kubectl logs"},
}

// windowsPipes are the Windows named pipes of the container engines; they
// are compared without cleaning, in any letter case and with / for \, in
// every table.
var windowsPipes = []SensitivePath{
	{Path: `\\.\pipe\docker_engine`, Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "the Docker engine's named pipe: whoever connects to it controls every container on the node"},
	{Path: `\\.\pipe\containerd-containerd`, Severity: sevCritical, Writable: sevCritical, Socket: true,
		What: "containerd's named pipe: whoever connects to it controls every container on the node"},
}

const (
	sevCritical = hardening.SeverityCritical
	sevHigh     = hardening.SeverityHigh
	sevMedium   = hardening.SeverityMedium
	sevLow      = hardening.SeverityLow
)

// defaultHostPaths is the built-in table's matcher.
var defaultHostPaths = mustHostPaths(sensitiveHostPaths)

func mustHostPaths(table []SensitivePath) *HostPaths {
	t, err := NewHostPaths(table)
	if err != nil {
		panic(err)
	}
	return t
}

// SensitiveHostPaths returns the table the built-in checks use, runtime
// sockets first, as a new copy on every call: change it and pass it to
// [NewHostPaths] for checks of your own.
func SensitiveHostPaths() []SensitivePath {
	return slices.Clone(sensitiveHostPaths)
}

// HostPaths matches host paths against a table of sensitive paths. It is
// immutable and safe for concurrent use; make one with [NewHostPaths] (the
// zero HostPaths matches nothing but the Windows pipes, and its Checks
// method panics).
type HostPaths struct {
	entries []SensitivePath
	// names holds the file name of each Socket entry, "" for the others.
	names []string
}

// NewHostPaths checks a table and returns its matcher; the table is
// copied. Entries with /var/run paths are read as /run. It is an error
// for the table to be empty, or for an entry to have a path that is not
// clean and absolute, a path listed twice, no What, a Writable severity
// that is zero, invalid or below Severity, or, for a Socket, a path
// without a file name, Below, or two different severities.
func NewHostPaths(table []SensitivePath) (*HostPaths, error) {
	if len(table) == 0 {
		return nil, errors.New("namespaces: empty table of sensitive host paths")
	}
	t := &HostPaths{entries: slices.Clone(table), names: make([]string, len(table))}
	var errs []error
	seen := make(map[string]bool, len(table))
	for i := range t.entries {
		e := &t.entries[i]
		if e.Path == "/var/run" || strings.HasPrefix(e.Path, "/var/run/") {
			e.Path = e.Path[len("/var"):]
		}
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("namespaces: sensitive host path %d (%q): "+format, append([]any{i, e.Path}, args...)...))
		}
		switch {
		case !strings.HasPrefix(e.Path, "/") || path.Clean(e.Path) != e.Path:
			bad("not a clean absolute path")
		case seen[e.Path]:
			bad("listed twice")
		}
		seen[e.Path] = true
		if e.What == "" {
			bad("no What")
		}
		if e.Writable == 0 || e.Writable > hardening.SeverityCritical || e.Severity > e.Writable {
			bad("severities %v read-only and %v writable: Writable must be set, valid and at least Severity", e.Severity, e.Writable)
		}
		if e.Socket {
			t.names[i] = path.Base(e.Path)
			switch {
			case e.Path == "/":
				bad("a socket needs a file name")
			case e.Below:
				bad("nothing lies below a socket: Below must be false")
			case e.Severity != e.Writable:
				bad("a read-only mount of a socket is as bad as a writable one: Severity must equal Writable")
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return t, nil
}

// Entries returns a copy of the table.
func (t *HostPaths) Entries() []SensitivePath {
	return slices.Clone(t.entries)
}

// HostPathMatch says what a mount of a host path exposes.
type HostPathMatch struct {
	// Entry is the entry the mounted path is (or, for a Socket, a socket
	// of that name), or lies inside when Inside is set; zero when neither
	// ranks the mount.
	Entry SensitivePath
	// Inside says the mounted path lies inside Entry.Path rather than
	// being it.
	Inside bool
	// Holds is the most severe entry that lies inside the mounted path
	// (the mount holds it: /run holds the sockets), when it ranks the mount
	// higher than Entry; zero otherwise.
	Holds SensitivePath
	// Severity ranks the mount: the higher of Entry's and Holds' severity
	// for a read-only or a writable mount, as asked.
	Severity hardening.Severity
}

// Socket reports whether the mount is of a runtime socket itself, which
// read-only does not protect and only removing the mount fixes.
func (m HostPathMatch) Socket() bool {
	return m.Entry.Socket && m.Holds.Path == ""
}

// MatchSensitiveHostPath reports what mounting the host path p exposes,
// read-only or writable, by the built-in table ([SensitiveHostPaths]): see
// [HostPaths.Match].
func MatchSensitiveHostPath(p string, writable bool) (HostPathMatch, bool) {
	return defaultHostPaths.Match(p, writable)
}

// Match reports what mounting the host path p exposes, read-only or
// writable, and whether that ranks at all. p is cleaned first (trailing
// slashes, "//", "." and ".." go; "/var/run//docker.sock/" is the Docker
// socket) and /var/run is read as /run, a link to it on current
// distributions (/var/run/../etc is /etc). A relative or empty p is no
// host path and does not match, except for the Windows named pipes of
// Docker and containerd, compared in any letter case and with either
// slash. It does not allocate unless p needs cleaning.
func (t *HostPaths) Match(p string, writable bool) (HostPathMatch, bool) {
	for i := range windowsPipes {
		if samePipe(p, windowsPipes[i].Path) {
			w := windowsPipes[i]
			return HostPathMatch{Entry: w, Severity: w.severity(writable)}, true
		}
	}
	p, ok := hostPathKey(p)
	if !ok {
		return HostPathMatch{}, false
	}
	base := p[strings.LastIndexByte(p, '/')+1:]
	sock, in, holds := -1, -1, -1
	for i := range t.entries {
		e := &t.entries[i]
		switch {
		case t.names[i] != "" && t.names[i] == base:
			// A socket by its file name, in any directory; its usual
			// location first.
			if sock < 0 || e.Path == p {
				sock = i
			}
		case under(p, e.Path):
			if in < 0 || len(e.Path) > len(t.entries[in].Path) {
				in = i
			}
		case under(e.Path, p):
			if holds < 0 || e.severity(writable) > t.entries[holds].severity(writable) {
				holds = i
			}
		}
	}
	if sock >= 0 {
		e := t.entries[sock]
		return HostPathMatch{Entry: e, Severity: e.severity(writable)}, true
	}
	var m HostPathMatch
	if in >= 0 {
		e := &t.entries[in]
		if s := e.severity(writable); s > 0 && (e.Path == p || e.Below) {
			m.Entry, m.Inside, m.Severity = *e, e.Path != p, s
		}
	}
	if holds >= 0 {
		if h := &t.entries[holds]; h.severity(writable) > m.Severity {
			m.Holds, m.Severity = *h, h.severity(writable)
		}
	}
	return m, m.Severity > 0
}

// samePipe reports whether p names the Windows named pipe w: letter case
// and the direction of slashes do not matter (//./pipe/docker_engine is
// the Docker engine's pipe too).
func samePipe(p, w string) bool {
	if len(p) != len(w) {
		return false
	}
	for i := 0; i < len(p); i++ {
		a, b := p[i], w[i]
		if a == '/' {
			a = '\\'
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// isSocket reports whether the host path p is a runtime socket of the
// table, by file name, or a Windows pipe: cheaper than Match.
func (t *HostPaths) isSocket(p string) bool {
	for i := range windowsPipes {
		if samePipe(p, windowsPipes[i].Path) {
			return true
		}
	}
	p, ok := hostPathKey(p)
	if !ok {
		return false
	}
	base := p[strings.LastIndexByte(p, '/')+1:]
	for _, name := range t.names {
		if name != "" && name == base {
			return true
		}
	}
	return false
}

// hostPathKey cleans an absolute host path and reads /var/run as /run; it
// reports false for a relative or empty path. /var/run is a link to /run,
// so a ".." after it climbs from /run: /var/run/../etc is /etc, as the
// kernel resolves it, not /var/etc as path.Clean would have it.
func hostPathKey(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") {
		return "", false
	}
	p = cleanHostPath(p)
	if p == "/var/run" || strings.HasPrefix(p, "/var/run/") {
		p = p[len("/var"):]
	}
	return p, true
}

// cleanHostPath cleans an absolute path as path.Clean does, but climbs
// from /run for a ".." after /var/run. It does not allocate when p is
// clean.
func cleanHostPath(p string) string {
	if strings.Contains(p, "..") {
		p = resolveDots(p)
	}
	return path.Clean(p)
}

// resolveDots resolves the "." and ".." elements of an absolute path one by
// one, reading /var/run as /run whenever the path so far is /var/run.
func resolveDots(p string) string {
	var stack []string
	for elem := range strings.SplitSeq(p, "/") {
		switch elem {
		case "", ".":
		case "..":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		default:
			stack = append(stack, elem)
			if len(stack) == 2 && stack[0] == "var" && stack[1] == "run" {
				stack = append(stack[:0], "run")
			}
		}
	}
	return "/" + strings.Join(stack, "/")
}

// describe renders what a match exposes, after the mounted path in a
// message: ", <what>", ", inside <entry>, <what>", ", which holds <entry>,
// <what>" or both of the first with "; it holds …".
func describe(b *strings.Builder, m HostPathMatch) {
	if m.Entry.Path != "" {
		if m.Inside {
			b.WriteString(", inside " + m.Entry.Path)
		}
		b.WriteString(", " + m.Entry.What)
	}
	if m.Holds.Path != "" {
		if m.Entry.Path != "" {
			b.WriteString("; it holds ")
		} else {
			b.WriteString(", which holds ")
		}
		b.WriteString(m.Holds.Path + ", " + m.Holds.What)
	}
}
