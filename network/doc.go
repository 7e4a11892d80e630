// Package network holds the checks on a container's network exposure and
// identity: host networking, host ports, network sysctls, probes aimed at
// other hosts, raw sockets, how its names resolve, the NetworkPolicies
// that isolate it and the Services that expose it.
//
// # Checks
//
// [Checks] returns the checks that go beyond the Pod Security Standards.
// On Pods:
//
//	network.host-aliases                spec.hostAliases pins host names to addresses in /etc/hosts, ahead of DNS (low)
//	network.pod-not-isolated            no NetworkPolicy among the audited objects isolates the pod, for ingress or egress (medium; high when a NodePort or LoadBalancer Service exposes it)
//	network.host-pod-exposed            a pod on the host's network or a host port, behind a NodePort or LoadBalancer Service (high)
//
// On the run as a whole (set checks, reported when the run ends):
//
//	network.namespace-without-default-deny  a namespace with audited pods and no podSelector: {} policy for ingress, egress or both (medium)
//	network.policy-selects-nothing          a NetworkPolicy whose podSelector selects no audited pod of its namespace (low)
//
// On NetworkPolicy objects:
//
//	network.policy-rejected             the API server rejects the policy (invalid selector, peer, ipBlock, port or policyTypes) (medium)
//	network.egress-to-metadata          an egress rule admits the cloud metadata service, 169.254.169.254 or fd00:ec2::254 on TCP 80 (high)
//	network.egress-to-any-address       an egress rule admits every address (no to, 0.0.0.0/0, ::/0) on every port (medium)
//	network.ingress-from-all-namespaces an ingress rule admits every namespace (namespaceSelector: {}), or everything on every port (medium; low when limited to ports)
//
// On Service objects:
//
//	network.service-exposed             type NodePort or LoadBalancer: ports on every node, a cloud load balancer (low)
//	network.service-external-ips        spec.externalIPs, which kube-proxy captures on every node (medium, CVE-2020-8554)
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
// # NetworkPolicy and Services
//
// The checks on NetworkPolicies judge them with the API's selection
// semantics, as internal/netpol implements them: policyTypes defaulted as
// the API server defaults them, empty selectors, namespaceSelector and
// podSelector in one peer (AND) or two (OR), ipBlock except, named ports,
// TCP by default, endPort; a policy the API server would reject isolates
// nothing. The checks on pods read the run's [hardening.Cluster]; those
// that rest on the absence of a policy speak only when the audited objects
// cover the namespace's policies (the run holds a NetworkPolicy, or the
// pod's Namespace object), never without a Cluster (an admission webhook
// auditing one pod), and their messages say where bulwark looked ("among
// the audited objects"). isolation.go says how absence is judged. Pods on
// the host's network are outside NetworkPolicy: they are left to the
// host-namespace control and network.host-pod-exposed.
//
// Each check's file opens with the fields it reads and the values it
// allows: hostaliases.go, hostnetwork.go, sysctls.go, policies.go,
// isolation.go and services.go.
package network
