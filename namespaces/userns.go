package namespaces

// Check namespaces.host-users: the Pod runs in the host's user namespace.
//
// Pod fields:
//
//	spec.hostUsers
//
// Allowed values: false. Unset means true. User namespaces need Linux 6.3+
// with idmapped mounts on the node's filesystems, a runtime that supports
// them (containerd 2.0+, CRI-O 1.25+) and Kubernetes 1.33+ (or the
// UserNamespacesSupport feature gate before), so the finding is
// informational. Windows pods are skipped: the API forbids hostUsers there;
// so are pods with hostNetwork, hostPID or hostIPC, beside which the API
// server rejects hostUsers: false (the host namespace is its own finding).
//
// Check namespaces.user-namespace-missing: an OCI spec runs root without a
// user namespace.
//
// OCI spec fields:
//
//	process.user.uid
//	linux.namespaces[*].type
//
// Allowed values: a user entry in linux.namespaces, or a uid other than 0.
// A spec without a process (uid unknown) is skipped; a user entry that
// joins the host's namespace is namespaces.namespace-joined's.
//
// Check namespaces.root-mapped-to-host-root: a user namespace that maps
// some container id to host id 0.
//
// OCI spec fields:
//
//	linux.namespaces[*].{type,path}
//	linux.uidMappings[*], linux.gidMappings[*]
//
// Allowed values: with a user entry that has no path, mappings whose host
// range (hostID to hostID+size-1) does not hold 0, that is hostID > 0 or
// size 0. A uid mapping is high (that container uid is host root), a gid
// mapping medium (host group 0 owns files root alone should read). A user
// namespace without any mappings is not reported: crun fills in the
// invoking user's mapping, runc refuses the spec.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// HostUsers reports Pods that do not ask for a user namespace.
var HostUsers = &hardening.Check{
	ID:       "namespaces.host-users",
	Title:    "pod runs in the host user namespace",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "In the host's user namespace, uid 0 and every capability in a container are uid 0 and those capabilities on the node, " +
		"held back only by the other layers. With hostUsers: false the pod's uids map to an unprivileged host range, so an escape " +
		"lands as nobody, and runtime escapes that rely on host root, such as CVE-2019-5736, stop working.",
	Remediation: "Set spec.hostUsers: false on nodes that support user namespaces (Kubernetes 1.33+, Linux 6.3+, containerd 2.0+ or CRI-O 1.25+). " +
		"Pods that use hostNetwork, hostPID or hostIPC cannot.",
	References: []hardening.Reference{
		nsRefCIS("5.31"),
		{Kind: hardening.RefDoc, ID: "Kubernetes user namespaces", URL: "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"},
		nsRefNCC("container escape"),
	},
	Run: runHostUsers,
}

func runHostUsers(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.WindowsPod() {
		return out
	}
	hu := s.Pod.Spec.HostUsers
	if hu != nil && !*hu {
		return out
	}
	if spec := &s.Pod.Spec; spec.HostNetwork || spec.HostPID || spec.HostIPC {
		// The API server rejects hostUsers: false beside a host namespace:
		// the fix is impossible until that goes, and that is its own finding.
		return out
	}
	msg := "the pod does not set hostUsers: false, so it shares the node's user namespace: uid 0 inside is uid 0 on the node"
	if hu != nil {
		msg = "the pod sets hostUsers: true, so it shares the node's user namespace: uid 0 inside is uid 0 on the node"
	}
	return append(out, hardening.Finding{Path: s.SpecPath("hostUsers"), Message: msg})
}

// UserNamespaceMissing reports OCI specs whose process runs as uid 0
// without a user namespace.
var UserNamespaceMissing = &hardening.Check{
	ID:       "namespaces.user-namespace-missing",
	Title:    "root container has no user namespace",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Without a user namespace uid 0 in the container is uid 0 on the host, held back only by capabilities, seccomp and the LSM: " +
		"every file it reaches through a mount or a kernel bug it exploits is root's, and runtime escapes such as CVE-2019-5736 land as host root.",
	Remediation: "Add a user entry to linux.namespaces with uidMappings and gidMappings to an unprivileged host range " +
		"(dockerd --userns-remap, podman --userns=auto, Kubernetes hostUsers: false), or run the process as a non-root uid.",
	References: []hardening.Reference{
		nsRefCIS("5.31"),
		nsRefUserNS7,
		nsRefNCC("container escape"),
	},
	Run: runUserNamespaceMissing,
	Fix: fixUserNamespace,
}

func runUserNamespaceMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil || spec.Process == nil || spec.Process.User.UID != 0 {
		return out
	}
	if _, ok := hasNamespace(spec, runtimespec.UserNamespace); ok {
		return out
	}
	return append(out, hardening.Finding{
		Path:    "linux.namespaces",
		Message: `no "user" namespace while process.user.uid is 0: root in the container is root on the host`,
	})
}

// RootMappedToHostRoot reports user namespaces whose uid or gid mappings
// reach host id 0.
var RootMappedToHostRoot = &hardening.Check{
	ID:       "namespaces.root-mapped-to-host-root",
	Title:    "user namespace maps an id to host root",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A user namespace protects the host only if no container id maps to host id 0: a mapping whose host range starts at 0 " +
		"makes that container user (usually root) root on the host, and the namespace only adds the privileges user namespaces grant.",
	Remediation: "Map the container's ids to an unprivileged host range that no other container uses (hostID 100000 or above, " +
		"for instance from /etc/subuid), never to a range that holds host id 0.",
	References: []hardening.Reference{
		nsRefUserNS7,
		{Kind: hardening.RefDoc, ID: "OCI runtime spec: user namespace mappings",
			URL: "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#user-namespace-mappings"},
		nsRefNCC("container escape"),
	},
	Run: runRootMappedToHostRoot,
}

func runRootMappedToHostRoot(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	i, ok := hasNamespace(spec, runtimespec.UserNamespace)
	if !ok || spec.Linux.Namespaces[i].Path != "" {
		return out // no user namespace, or a joined one whose mappings are set already
	}
	out = appendHostRootMappings(out, spec.Linux.UIDMappings, "linux.uidMappings", "uid", hardening.SeverityHigh)
	return appendHostRootMappings(out, spec.Linux.GIDMappings, "linux.gidMappings", "gid", hardening.SeverityMedium)
}

func appendHostRootMappings(out []hardening.Finding, ms []runtimespec.LinuxIDMapping, field, id string, sev hardening.Severity) []hardening.Finding {
	for i, m := range ms {
		if m.HostID != 0 || m.Size == 0 {
			continue
		}
		msg := "mapping {containerID: " + strconv.FormatUint(uint64(m.ContainerID), 10) + ", hostID: 0, size: " +
			strconv.FormatUint(uint64(m.Size), 10) + "} maps container " + id + " " + strconv.FormatUint(uint64(m.ContainerID), 10) +
			" to host " + id + " 0"
		switch {
		case id == "gid":
			msg += ": that group is the host's root group"
		case m.ContainerID == 0:
			msg += ": root in the container is root on the host"
		default:
			msg += ": that container user is root on the host"
		}
		out = append(out, hardening.Finding{Severity: sev, Path: hardening.Index(field, i), Message: msg})
	}
	return out
}
