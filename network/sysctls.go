package network

// Checks network.net-sysctl-without-netns, network.ipc-sysctl-without-ipcns
// and network.unsafe-sysctl: an OCI runtime spec whose sysctls write to a
// namespace the container does not own, or to the host's kernel.
//
// OCI spec fields:
//
//	linux.sysctl[<name>]
//	linux.namespaces[*].{type,path} (types "network", "ipc")
//
// Names are read with "/" as a separator too ("net/ipv4/ip_forward"), as
// runc does. Findings are at linux.sysctl[<name as written>], sorted by
// name (a map has no order).
//
// net-sysctl-without-netns allows: net.* only with a network namespace of
// the container's own. Without one, the write lands in the host's network
// stack (high; runc refuses such a spec, other runtimes may not); in a
// joined namespace, in whoever else's it is (medium, as for
// network.host-network, and likewise not for a Kubernetes pod's members).
//
// ipc-sysctl-without-ipcns allows: kernel.shm*, kernel.msg*, kernel.sem*
// and fs.mqueue.* only with an IPC namespace of the container's own; the
// same severities.
//
// unsafe-sysctl allows: the sysctls the Pod Security Standards' baseline
// level allows at the latest Kubernetes version ([SafeSysctl]): namespaced
// and isolated from other pods. Docker's defaults,
// net.ipv4.ip_unprivileged_port_start and net.ipv4.ping_group_range, are
// among them. Other namespaced sysctls (net.*, the IPC ones,
// kernel.hostname and kernel.domainname) are medium; a sysctl no namespace
// isolates (kernel.core_pattern, vm.*, fs.* outside fs.mqueue) changes the
// host's kernel for every process, and is high, in the escape class.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

var (
	refSysctlCluster = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes using sysctls in a cluster",
		URL: "https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/"}
	refOCISysctl = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec, sysctl",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#sysctl"}
)

// NetSysctlWithoutNetns reports net.* sysctls of a spec whose container
// has no network namespace of its own.
var NetSysctlWithoutNetns = &hardening.Check{
	ID:       "network.net-sysctl-without-netns",
	Title:    "network sysctl set outside an own network namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "net.* sysctls are per network namespace. Set for a container without its own, they reconfigure the host's " +
		"network stack (IP forwarding, reverse-path filtering, ARP behaviour) or another container's.",
	Remediation: "Give the container its own network namespace, or remove the net.* keys from linux.sysctl and set them on the host.",
	References:  []hardening.Reference{refOCISysctl, refNetNS, refNCCEscape},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return runNamespacedSysctls(s, out, runtimespec.NetworkNamespace, "network", isNetSysctl)
	},
}

// IPCSysctlWithoutIPCns reports IPC sysctls of a spec whose container has
// no IPC namespace of its own.
var IPCSysctlWithoutIPCns = &hardening.Check{
	ID:       "network.ipc-sysctl-without-ipcns",
	Title:    "IPC sysctl set outside an own IPC namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "kernel.shm*, kernel.msg*, kernel.sem and fs.mqueue.* are per IPC namespace. Set for a container without its " +
		"own, they change the shared-memory, message-queue and semaphore limits of the host or of another container.",
	Remediation: "Give the container its own IPC namespace, or remove the IPC keys from linux.sysctl.",
	References: []hardening.Reference{refOCISysctl,
		{Kind: hardening.RefDoc, ID: "ipc_namespaces(7)", URL: "https://man7.org/linux/man-pages/man7/ipc_namespaces.7.html"}, refNCCCross},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return runNamespacedSysctls(s, out, runtimespec.IPCNamespace, "IPC", isIPCSysctl)
	},
}

func runNamespacedSysctls(s *hardening.Subject, out []hardening.Finding, typ runtimespec.LinuxNamespaceType, kind string, match func(string) bool) []hardening.Finding {
	if !s.Observed("linux.sysctl") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil || len(spec.Linux.Sysctl) == 0 {
		return out
	}
	linux := spec.Linux
	ns := namespaceOf(spec, typ)
	if ns.state == nsOwn {
		return out
	}
	names := sortedKeys(linux.Sysctl, match)
	for _, name := range names {
		f := hardening.Finding{
			Path:     hardening.Key("linux.sysctl", name),
			Severity: ns.severity(),
			Message:  "sets " + name + "=" + strconv.Quote(linux.Sysctl[name]) + " but the container " + ns.describe(kind),
		}
		if ns.state != nsHost {
			f.Class = hardening.ClassCrossContainer
		}
		out = append(out, f)
	}
	return out
}

// UnsafeSysctl reports sysctls outside the Pod Security Standards' safe
// set.
var UnsafeSysctl = &hardening.Check{
	ID:       "network.unsafe-sysctl",
	Title:    "sysctl outside the safe set",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Only a few sysctls are both namespaced and harmless to neighbours; Kubernetes calls them safe. Other namespaced " +
		"ones can raise the container's share of kernel memory or weaken its network stack, and a sysctl that no namespace " +
		"isolates (kernel.core_pattern, vm.*) reconfigures the host's kernel, a path out of the container.",
	Remediation: "Remove the sysctl from linux.sysctl, or set it on the host if the whole node needs it.",
	References:  []hardening.Reference{refOCISysctl, refSysctlCluster, refNCCCross},
	Run:         runUnsafeSysctl,
}

func runUnsafeSysctl(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.sysctl") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil || len(spec.Linux.Sysctl) == 0 {
		return out
	}
	linux := spec.Linux
	for _, name := range sortedKeys(linux.Sysctl, isUnsafe) {
		f := hardening.Finding{Path: hardening.Key("linux.sysctl", name)}
		value := name + "=" + strconv.Quote(linux.Sysctl[name])
		if isNamespaced(name) {
			f.Message = "sets " + value + ", a namespaced sysctl outside Kubernetes' safe set (" + hardening.LatestKube.String() + ")"
		} else {
			f.Severity, f.Class = hardening.SeverityHigh, hardening.ClassEscape
			f.Message = "sets " + value + ", which no namespace isolates: it changes the host's kernel for every process " +
				"(runc and crun refuse it)"
		}
		out = append(out, f)
	}
	return out
}

// sortedKeys returns the keys of m that match, sorted; nil, without
// allocating, when none does.
func sortedKeys(m map[string]string, match func(string) bool) []string {
	n := 0
	for name := range m {
		if match(name) {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	names := make([]string, 0, n)
	for name := range m {
		if match(name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func isNetSysctl(name string) bool { return hasPrefixDots(name, "net.") }

func isIPCSysctl(name string) bool {
	return hasPrefixDots(name, "kernel.shm") || hasPrefixDots(name, "kernel.msg") ||
		hasPrefixDots(name, "kernel.sem") || hasPrefixDots(name, "fs.mqueue.")
}

func isUTSSysctl(name string) bool {
	return equalDots(name, "kernel.hostname") || equalDots(name, "kernel.domainname")
}

func isNamespaced(name string) bool {
	return isNetSysctl(name) || isIPCSysctl(name) || isUTSSysctl(name)
}

func isUnsafe(name string) bool { return !safeAtLatest(name) }

// safeAtLatest is SafeSysctl at the latest Kubernetes version, for names
// with either separator, without allocating.
func safeAtLatest(name string) bool {
	if strings.IndexByte(name, '/') < 0 {
		return SafeSysctl(name, hardening.LatestKube)
	}
	var buf [64]byte
	if len(name) > len(buf) {
		return false // longer than any safe name
	}
	b := buf[:len(name)]
	for i := range len(name) {
		c := name[i]
		if c == '/' {
			c = '.'
		}
		b[i] = c
	}
	since, ok := safeSysctls[string(b)]
	return ok && hardening.LatestKube.AtLeast(since)
}

// hasPrefixDots is strings.HasPrefix with "/" in name read as ".".
func hasPrefixDots(name, prefix string) bool {
	if len(name) < len(prefix) {
		return false
	}
	for i := range len(prefix) {
		c := name[i]
		if c == '/' {
			c = '.'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// equalDots is name == s with "/" in name read as ".".
func equalDots(name, s string) bool { return len(name) == len(s) && hasPrefixDots(name, s) }
