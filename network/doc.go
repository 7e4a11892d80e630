// Package network holds the checks on a container's network exposure and
// identity: host networking, host ports, network sysctls, probes aimed at
// other hosts, raw sockets, and how its names resolve.
//
// # Checks
//
// [Checks] returns the checks that go beyond the Pod Security Standards.
// On Pods:
//
//	network.host-aliases                spec.hostAliases pins host names to addresses in /etc/hosts, ahead of DNS (low)
//
// On OCI runtime specs:
//
//	network.host-network                no network namespace of its own: the host's (high, CIS 5.10) or another's (medium)
//	network.raw-admin-shared-netns      CAP_NET_ADMIN or CAP_NET_RAW while sharing a network namespace (high on the host's, CIS 5.4, 5.10)
//	network.net-devices                 linux.netDevices moves host interfaces into the container (medium)
//	network.net-sysctl-without-netns    net.* sysctls without a network namespace of its own (high on the host's)
//	network.ipc-sysctl-without-ipcns    kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.* without an IPC namespace of its own (high on the host's)
//	network.unsafe-sysctl               a sysctl outside Kubernetes' safe set (medium; high when no namespace isolates it)
//
// [PSSControls] returns the Pod Security Standards controls on host ports,
// sysctls and probe or lifecycle hosts, version by version; [SafeSysctl]
// exposes their safe sysctl list, which network.unsafe-sysctl applies to
// OCI specs at the latest version. For Pods, raw sockets (NET_RAW) are a
// capability and are checked by the capabilities package
// (capabilities.net-raw-not-dropped), and host networking with the other
// host namespaces by the namespaces package.
//
// A spec's namespace is its own when linux.namespaces has an entry of the
// type without a path; without an entry the container stays in the
// runtime's, the host's. A path joins an existing namespace: /proc/1/ns/…
// (or /proc/self/…, the runtime's) is the host's, /proc/<pid>/ns/… another
// process's, anything else a named namespace (/var/run/netns/…). The
// sandbox and containers of a Kubernetes pod, as the CRI annotations mark
// them, join the pod's network and IPC namespaces by design; only joining
// the host's is reported for them. A spec without a linux section
// (Windows, VMs) is not judged.
// Docker's default spec, with its own network namespace and the sysctls
// net.ipv4.ip_unprivileged_port_start and net.ipv4.ping_group_range,
// passes every check.
//
// Each check's file opens with the fields it reads and the values it
// allows: hostaliases.go, hostnetwork.go and sysctls.go.
package network
