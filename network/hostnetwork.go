package network

// Checks network.host-network, network.raw-admin-shared-netns and
// network.net-devices: an OCI runtime spec whose container does not have a
// network stack of its own, or reaches into the host's.
//
// OCI spec fields:
//
//	linux.namespaces[*].{type,path} (type "network", and "user")
//	process.capabilities.{bounding,effective,permitted,inheritable,ambient}
//	linux.netDevices (runtime-spec 1.3)
//
// host-network allows: a "network" entry without path (the runtime creates
// a namespace). Reported: no entry at all, or a path to the host's
// namespace (/proc/1/ns/net; /proc/self and /proc/thread-self name the
// runtime, which runs in the host's) at high severity, CIS 5.10; any other
// path — another process's namespace (/proc/<pid>/ns/net, docker run
// --network container:…) or a named namespace file (/var/run/netns/… from
// ip netns or CNI) — at medium, cross-container. A Kubernetes pod's sandbox
// and containers, marked by the CRI annotations
// io.kubernetes.cri.container-type or io.kubernetes.cri-o.ContainerType,
// join the pod's namespace by design: only the host's is reported for them
// (as namespaces.namespace-joined does for ipc, uts and pid). A spec
// without a linux section is not judged.
//
// raw-admin-shared-netns allows: CAP_NET_ADMIN and CAP_NET_RAW in no set
// (names read as capabilities.Parse reads them: any letter case, with or
// without the CAP_ prefix), or a network namespace of the container's own,
// or a user namespace of its own (capabilities held in a new user namespace give no power over a
// network namespace it joins, which an ancestor user namespace owns). The
// first set holding each capability is reported, in the order bounding,
// effective, permitted, inheritable, ambient (as capabilities.dangerous
// reports them); severity follows
// host-network's (high on the host's namespace).
//
// net-devices allows: no linux.netDevices entry. Each is reported at
// linux.netDevices[<host name>], sorted by name.

import (
	"slices"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/capnames"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

var (
	refCIS   = hardening.CISDocker
	refNetNS = hardening.Reference{Kind: hardening.RefDoc, ID: "network_namespaces(7)",
		URL: "https://man7.org/linux/man-pages/man7/network_namespaces.7.html"}
	refOCINamespaces = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec, Linux namespaces",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#namespaces"}
	refNCCCross  = hardening.NCC("7 cross-container")
	refNCCEscape = hardening.NCC("7 container escape")
)

// HostNetwork reports OCI specs whose container has no network namespace
// of its own.
var HostNetwork = &hardening.Check{
	ID:       "network.host-network",
	Title:    "container shares a network namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "In the host's network namespace a container sees every host interface, sniffs and binds on the host's " +
		"addresses, and reaches services listening on localhost or on abstract Unix sockets (containerd-shim's, in " +
		"CVE-2020-15257). Joining another container's namespace shares that container's traffic and ports.",
	Remediation: "Add {\"type\": \"network\"} without a path to linux.namespaces (drop docker run --network host or " +
		"container:…) and publish ports instead.",
	References: []hardening.Reference{refCIS("5.10"), refOCINamespaces, refNetNS,
		{Kind: hardening.RefCVE, ID: "CVE-2020-15257", URL: "https://github.com/advisories/GHSA-36xw-fx78-c5r4"}, refNCCEscape},
	Run: runHostNetwork,
	Fix: fixHostNetwork,
}

func runHostNetwork(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.namespaces[network]") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil {
		return out
	}
	ns := namespaceOf(spec, runtimespec.NetworkNamespace)
	if ns.state == nsOwn {
		return out
	}
	f := hardening.Finding{
		Path:     ns.namespacePath(),
		Severity: ns.severity(),
		Message:  "the container " + ns.describe("network"),
	}
	if ns.index >= 0 {
		f.Path += ".path"
	}
	if ns.state != nsHost {
		f.Class = hardening.ClassCrossContainer
	}
	return append(out, f)
}

// RawAdminSharedNetns reports OCI specs that hold CAP_NET_ADMIN or
// CAP_NET_RAW in a network namespace that is not the container's own.
var RawAdminSharedNetns = &hardening.Check{
	ID:       "network.raw-admin-shared-netns",
	Title:    "network capabilities in a shared network namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "CAP_NET_ADMIN reconfigures interfaces, routes and firewall rules, and CAP_NET_RAW forges and sniffs packets, " +
		"of the network namespace the process is in. In the host's or another container's namespace that is the host's or " +
		"the other container's traffic: spoofing, interception, and firewall rules turned off.",
	Remediation: "Drop CAP_NET_ADMIN and CAP_NET_RAW from every capability set, or give the container its own network " +
		"namespace (or its own user namespace).",
	References: []hardening.Reference{refCIS("5.4"), refCIS("5.10"), refNetNS,
		{Kind: hardening.RefDoc, ID: "capabilities(7)", URL: "https://man7.org/linux/man-pages/man7/capabilities.7.html"}, refNCCCross},
	Run: runRawAdminSharedNetns,
}

func runRawAdminSharedNetns(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.namespaces[network]") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil || spec.Process == nil || spec.Process.Capabilities == nil {
		return out
	}
	ns := namespaceOf(spec, runtimespec.NetworkNamespace)
	if ns.state == nsOwn {
		return out
	}
	for _, u := range spec.Linux.Namespaces {
		if u.Type == runtimespec.UserNamespace && u.Path == "" {
			return out // capabilities of a new user namespace do not reach a joined network namespace
		}
	}
	sets := ocispec.CapSets(spec.Process.Capabilities)
	for _, want := range [...]string{"NET_ADMIN", "NET_RAW"} {
		wanted, _ := capnames.Parse(want)
	sets:
		for _, set := range sets {
			for i, name := range set.Names {
				if n, ok := capnames.Parse(name); !ok || n != wanted {
					continue
				}
				out = append(out, hardening.Finding{
					Path:     hardening.Index("process.capabilities."+set.Field, i),
					Severity: ns.severity(),
					Message:  "the " + set.Field + " set holds " + strconv.Quote(name) + " while the container " + ns.describe("network"),
				})
				break sets
			}
		}
	}
	return out
}

// NetDevices reports OCI specs that move host network interfaces into the
// container.
var NetDevices = &hardening.Check{
	ID:       "network.net-devices",
	Title:    "host network interface moved into the container",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "linux.netDevices moves a host interface into the container's network namespace: the container gets the raw " +
		"link, outside the host's bridge, firewall and network policy, on whatever network segment it is cabled to, and " +
		"the host loses the interface while the container runs.",
	Remediation: "Remove linux.netDevices and connect the container through the runtime's network (a veth pair on a " +
		"bridge, CNI), or confine the interface to a segment reserved for the container.",
	References: []hardening.Reference{{Kind: hardening.RefDoc, ID: "OCI runtime spec, network devices",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#network-devices"}, refNCCCross},
	Run: runNetDevices,
}

func runNetDevices(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.netDevices") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil || len(spec.Linux.NetDevices) == 0 {
		return out
	}
	linux := spec.Linux
	names := make([]string, 0, len(linux.NetDevices))
	for name := range linux.NetDevices {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		msg := "moves host interface " + strconv.Quote(name) + " into the container"
		if in := linux.NetDevices[name].Name; in != "" && in != name {
			msg += " as " + strconv.Quote(in)
		}
		out = append(out, hardening.Finding{Path: hardening.Key("linux.netDevices", name), Message: msg})
	}
	return out
}
