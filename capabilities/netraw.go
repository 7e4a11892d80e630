package capabilities

// Check capabilities.net-raw-not-dropped: a Pod container keeps NET_RAW
// from the runtime's default set.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.capabilities.drop
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.capabilities.add
//
// Allowed values: a drop list holding ALL or NET_RAW (any letter case, with
// or without the CAP_ prefix). The default set assumed is [PodDefault],
// containerd's, which keeps NET_RAW (podman's would not; the finding says
// which default it assumed, and [NetRawNotDroppedAssuming] builds the
// check for another runtime's set). Containers that add NET_RAW or ALL back are
// left to capabilities.dangerous and privileged containers to
// capabilities.privileged, so each container is reported once for it.
// Windows pods (spec.os.name: windows) have no Linux capabilities and are
// skipped.
//
// This check overlaps capabilities.drop-all-missing on purpose: it is the
// narrower control (kube-linter's drop-net-raw-capability, Polaris'
// insecureCapabilities) for profiles that do not demand drop: [ALL].

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// NetRawNotDropped reports Pod containers that keep NET_RAW because they
// drop neither ALL nor NET_RAW, assuming containerd's default set
// ([PodDefault]). Its severity is the one [RiskOf] gives NET_RAW.
var NetRawNotDropped = NetRawNotDroppedAssuming("containerd", PodDefault)

// NetRawNotDroppedAssuming returns the check
// capabilities.net-raw-not-dropped for a cluster whose runtime gives a
// container that drops nothing the set defaults; runtime names it in
// findings ("CRI-O"). A set without NET_RAW reports nothing. Every set
// yields the same ID; use it in place of [NetRawNotDropped].
func NetRawNotDroppedAssuming(runtime string, defaults Set) *hardening.Check {
	assumed := "(assuming " + runtime + "'s defaults)"
	return &hardening.Check{
		ID:       "capabilities.net-raw-not-dropped",
		Title:    "container does not drop NET_RAW",
		Severity: hardening.SeverityLow,
		Class:    hardening.ClassCrossContainer,
		Inputs:   hardening.KindPod,
		Rationale: "NET_RAW lets a process open raw and packet sockets: it can spoof ARP and DNS answers to the pods on its node's bridge, " +
			"and packet-socket kernel bugs such as CVE-2020-14386 turned it into a container escape. Only ping-like tools need it, " +
			"and unprivileged ICMP sockets (net.ipv4.ping_group_range) replace it.",
		Remediation: "Add NET_RAW to securityContext.capabilities.drop, or better drop ALL and add back only what the workload needs.",
		References: []hardening.Reference{
			refCIS("5.4"),
			{Kind: hardening.RefCVE, ID: "CVE-2020-14386", URL: "https://nvd.nist.gov/vuln/detail/CVE-2020-14386"},
			refCapabilities7,
			{Kind: hardening.RefNCC, ID: "7 cross-container", URL: refNCCEscape.URL},
		},
		Fix: fixNetRaw,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if !defaults.Has(NetRaw) {
				return out
			}
			return runNetRawNotDropped(s, out, assumed)
		},
	}
}

func runNetRawNotDropped(s *hardening.Subject, out []hardening.Finding, assumed string) []hardening.Finding {
	if s.WindowsPod() {
		return out
	}
	for c := range s.Containers {
		if isPrivileged(c) {
			continue
		}
		if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
			if kubeCapSet(sc.Capabilities.Drop).Has(NetRaw) || kubeCapSet(sc.Capabilities.Add).Has(NetRaw) {
				continue // dropped, or added back: capabilities.dangerous
			}
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "securityContext.capabilities.drop"),
			Message: "container " + strconv.Quote(c.Name) + " drops neither ALL nor NET_RAW, so it keeps NET_RAW " +
				"from the runtime's default set " + assumed + ": it can craft raw packets",
		})
	}
	return out
}

// kubeCapSet parses a Kubernetes capability list, ALL included, ignoring
// unknown names, without allocating.
func kubeCapSet[S ~string](list []S) Set {
	var set Set
	for _, name := range list {
		if IsAll(string(name)) {
			return All
		}
		if c, ok := Parse(string(name)); ok {
			set = set.With(c)
		}
	}
	return set
}
