// Package namespaces holds the checks on isolation: which of the host's
// namespaces a container shares, whether it gets a user namespace and how
// its ids map to the host's, and what its mount namespace holds — host
// paths, runtime sockets, procfs and sysfs, masked and read-only paths,
// mount options and propagation, and a writable root filesystem.
//
// # Checks
//
// [Checks] returns the checks that go beyond the Pod Security Standards.
// On Pods:
//
//	namespaces.sensitive-host-path       hostPath of a runtime socket (by file name, anywhere: critical, readOnly or not), of a sensitive path, a path inside one that covers its subtree (/proc, /sys/fs/cgroup, /etc/kubernetes, /var/lib/kubelet…) or a directory above one; ranked writable when a container mounts it without readOnly
//	namespaces.writable-host-path        a container mounts a hostPath volume without readOnly: true (high when the path is sensitive writable; none for a runtime socket, which readOnly does not protect)
//	namespaces.mount-propagation         volumeMounts with Bidirectional (high) or HostToContainer (low) propagation
//	namespaces.writable-root-filesystem  readOnlyRootFilesystem not true
//	namespaces.share-process-namespace   shareProcessNamespace: true: containers see each other's processes
//	namespaces.host-users                hostUsers not false: no user namespace (info)
//
// On OCI runtime specs (config.json):
//
//	namespaces.namespace-missing          no pid (high), ipc (high), uts (medium), mount (critical) or cgroup (low) namespace
//	namespaces.namespace-joined           a namespace entry with a path: the host's /proc/1/ns/* (as missing), another container's (medium)
//	namespaces.user-namespace-missing     uid 0 without a user namespace
//	namespaces.root-mapped-to-host-root   uidMappings (high) or gidMappings (medium) that reach host id 0
//	namespaces.masked-paths-incomplete    maskedPaths lacks paths current runtimes mask (one finding, worst severity)
//	namespaces.readonly-paths-incomplete  readonlyPaths lacks /proc/sys, /proc/sysrq-trigger, /proc/bus, /proc/fs, /proc/irq
//	namespaces.writable-root-filesystem   root.readonly not true
//	namespaces.sensitive-host-path        bind mount of a sensitive host path or runtime socket, ranked read-only or writable as for Pods
//	namespaces.proc-sys-mount             extra proc or sysfs mounts, /sys or cgroupfs without ro, mounts over /proc
//	namespaces.mount-propagation          bind mounts that stay peers of the host's (shared or rshared under a rootfsPropagation that keeps host peers), shared or rshared rootfsPropagation (high); non-recursive rootfsPropagation with unpropagated binds (medium)
//	namespaces.mount-options              writable bind and tmpfs mounts without nosuid (high without noNewPrivileges) or nodev
//	namespaces.proc-fd-path               process.cwd or args[0] through /proc/self/fd or /dev/fd, ".." after the fd included (CVE-2024-21626)
//
// The network namespace is the network package's. Findings on OCI specs
// point at the exact field: linux.namespaces[2].path, mounts[3].options;
// a missing setting points at the field that should hold it
// (linux.namespaces, linux.maskedPaths, root.readonly). Specs for other
// platforms than Linux are skipped.
//
// [PSSControls] returns the Pod Security Standards controls on host
// namespaces, hostPath volumes, volume types, procMount and Windows
// HostProcess, version by version.
//
// Each check's file opens with the fields it reads and the values it
// allows. Every container is visited: init, regular and ephemeral (which
// may mount volumes and set a security context like the others).
//
// # Host paths
//
// [SensitiveHostPaths] returns a copy of the table the checks use and
// [MatchSensitiveHostPath] is its matcher, exported for tools that vet
// mounts of their own. Paths are cleaned first (so "/var/run//docker.sock/"
// is the Docker socket), /var/run is read as /run, and a mount matches:
//
//   - a runtime socket by its file name in any directory (docker.sock,
//     containerd.sock, containerd.sock.ttrpc, crio.sock, podman.sock,
//     cri-dockerd.sock, dockershim.sock, buildkitd.sock): falco's
//     /run/host-containerd/containerd.sock and k3s's
//     /run/k3s/containerd/containerd.sock are containerd's socket;
//   - a sensitive path, or a path inside the nearest one when that one
//     covers what lies below it: /proc, /proc/sys, /sys and its cgroupfs,
//     bpffs, module, firmware, debugfs, tracefs and securityfs,
//     /etc/kubernetes, /etc/rancher, /root, /boot, /dev, /var/lib/kubelet,
//     /var/lib/etcd, /var/lib/rancher, the container runtimes' storage and
//     state, /var/log, and the host's programs (/usr, /bin, /sbin, /lib,
//     /lib64, /opt/cni/bin), which count only writable. /etc itself is
//     sensitive but /etc/ssl/certs is not, nor a CSI driver's own
//     /var/lib/kubelet/plugins/<driver>, one pod's /var/lib/kubelet/pods/<uid>
//     or one container's /var/lib/docker/containers/<id>;
//   - a directory above a sensitive path, as that path: / and /run hold
//     every runtime socket, /var/lib holds the kubelet's state.
//
// Each entry ranks a read-only and a writable mount: a writable /proc is
// critical (core_pattern), a read-only one high; a writable /sys/fs/cgroup
// critical (the cgroup v1 release_agent), a read-only one low; /dev and the
// sockets rank the same either way, since readOnly protects neither device
// nodes nor connect(2). Entries that exist only on control-plane nodes
// (admin.conf and the CA keys in /etc/kubernetes, /var/lib/etcd) count, so
// a read-only /etc is critical. [NewHostPaths] takes a table of one's own
// and [HostPaths.Checks] builds both hostPath checks on it under the same
// IDs.
//
// # Runtime defaults
//
// The OCI checks are calibrated on what runtimes emit. [MaskedPaths] is the
// union of Docker 28's and podman's masked paths, [ReadonlyPaths] every
// runtime's read-only paths; both return copies, and
// [MaskedPathsIncompleteWith] and [ReadonlyPathsIncompleteWith] require
// other lists. A plain `docker run` spec gets exactly
// namespaces.user-namespace-missing, namespaces.writable-root-filesystem
// and a low namespaces.masked-paths-incomplete (/sys/fs/selinux), plus a
// low namespaces.namespace-missing on cgroup v1 hosts, where Docker creates
// no cgroup namespace; `runc spec` gets the cgroup namespace, user
// namespace and a medium masked-paths finding (no /proc/interrupts nor
// powercap mask). Binds a runtime makes for every container
// (/etc/resolv.conf, /etc/hostname, /etc/hosts, the pod's /dev/shm, from
// the runtime's state directory, and the kubelet's per-pod volumes), a
// Kubernetes container joining its pod sandbox's ipc, uts and pid
// namespaces, rslave propagation (runc's default) and the read-only bind of
// /sys rootless runtimes use instead of sysfs are not reported.
//
// # Linux only
//
// Windows pods (spec.os.name: windows) have no Linux namespaces, mount
// propagation or read-only root filesystem, and the API forbids those
// fields for them: namespaces.mount-propagation,
// namespaces.writable-root-filesystem and namespaces.host-users skip them.
// The hostPath checks still apply, and namespaces.sensitive-host-path looks
// for the Docker and containerd named pipes there. OCI specs for Windows,
// Solaris, z/OS, FreeBSD or VMs are skipped by the OCI checks.
package namespaces
