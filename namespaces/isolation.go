package namespaces

// Checks namespaces.namespace-missing and namespaces.namespace-joined: an
// OCI spec that does not give the container its own pid, ipc, uts, mount,
// cgroup (or user, time) namespace, or joins one that already exists.
//
// OCI spec fields:
//
//	linux.namespaces[*].type
//	linux.namespaces[*].path
//	annotations[io.kubernetes.cri.container-type], annotations[io.kubernetes.cri-o.ContainerType]
//
// Allowed values (namespace-missing): an entry of each type pid, ipc, uts,
// mount and cgroup. A missing type is reported once, at the severity of
// what the container then shares with the runtime, normally the host's:
// mount critical, pid and ipc high, uts medium, cgroup low. Network is the
// network package's; user is namespaces.user-namespace-missing. A spec
// without a linux section has no namespaces; specs for other platforms are
// skipped.
//
// Allowed values (namespace-joined): no path on any entry but network. A
// path joins an existing namespace. /proc/1/ns/* (host init's) and
// /proc/self/ns/*, /proc/thread-self/ns/* (the runtime's own, normally in
// the host's namespaces), and the same under /proc/1/task/<tid>/, are the
// host's, and
// joining one is reported at the severity of not having the namespace
// (user: high); any other path (/proc/<pid>/ns/*, /var/run/netns/*, a
// bind-mounted ns file) is another container's, medium, cross-container
// (low for cgroup and time). A container of a Kubernetes pod joins its pod
// sandbox's ipc, uts and pid namespaces by design: when the CRI annotations
// mark the spec as a pod container, /proc/<pid>/ns/{ipc,uts,pid} other than
// pid 1's are not reported (the Pod checks judge the pod's sharing).

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// nsRule says what sharing a namespace type with the host costs.
type nsRule struct {
	typ      runtimespec.LinuxNamespaceType
	severity hardening.Severity
	class    hardening.Class
	shares   string // what the container shares without its own namespace
}

// requiredNamespaces are the namespace types namespace-missing requires,
// in the order it reports them.
var requiredNamespaces = [...]nsRule{
	{runtimespec.PIDNamespace, hardening.SeverityHigh, hardening.ClassEscape,
		"it sees every process of the host and, with the same uid or CAP_SYS_PTRACE, signals, traces and reads them through /proc/<pid>/root and environ"},
	{runtimespec.IPCNamespace, hardening.SeverityHigh, hardening.ClassCrossContainer,
		"it shares System V IPC and POSIX message queues with the host, whose shared memory segments are open to it"},
	{runtimespec.UTSNamespace, hardening.SeverityMedium, hardening.ClassInnerContainer,
		"it shares the host's hostname and NIS domain name, and with CAP_SYS_ADMIN changes them for the host"},
	{runtimespec.MountNamespace, hardening.SeverityCritical, hardening.ClassEscape,
		"it shares the host's mount table and filesystem: its mounts change the host's"},
	{runtimespec.CgroupNamespace, hardening.SeverityLow, hardening.ClassInnerContainer,
		"it sees the host's cgroup hierarchy and its own cgroup's path on the host in /proc/self/cgroup"},
}

// joinRules adds the types only namespace-joined reads.
var joinRules = [...]nsRule{
	{runtimespec.UserNamespace, hardening.SeverityHigh, hardening.ClassEscape,
		"its uids are the host's: root inside is root on the host"},
	{runtimespec.TimeNamespace, hardening.SeverityLow, hardening.ClassInnerContainer,
		"it shares the host's clock offsets"},
}

func ruleFor(t runtimespec.LinuxNamespaceType) (nsRule, bool) {
	for _, r := range requiredNamespaces {
		if r.typ == t {
			return r, true
		}
	}
	for _, r := range joinRules {
		if r.typ == t {
			return r, true
		}
	}
	return nsRule{}, false
}

// NamespaceMissing reports OCI specs that do not create a pid, ipc, uts,
// mount or cgroup namespace for the container.
var NamespaceMissing = &hardening.Check{
	ID:       "namespaces.namespace-missing",
	Title:    "container does not get its own namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A namespace type missing from linux.namespaces is not created: the container runs in the runtime's namespace of that type, " +
		"normally the host's, and shares the host's processes, IPC objects, hostname, mount table or cgroup view.",
	Remediation: "Add an entry of each type pid, ipc, uts, mount and cgroup to linux.namespaces, without a path.",
	References: []hardening.Reference{
		nsRefCIS("5.16"),
		nsRefCIS("5.17"),
		nsRefCIS("5.21"),
		nsRefNamespaces7,
		nsRefRuntimeSpecNS,
		nsRefNCC("container escape"),
	},
	Run: runNamespaceMissing,
	Fix: fixNamespaceMissing,
}

func runNamespaceMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	for _, r := range requiredNamespaces {
		if _, ok := hasNamespace(spec, r.typ); ok {
			continue
		}
		if len(s.Unobserved) > 0 && !s.Observed("linux.namespaces["+string(r.typ)+"]") {
			continue // a live container whose namespace could not be told from the host's
		}
		out = append(out, hardening.Finding{
			Severity: r.severity,
			Class:    r.class,
			Path:     "linux.namespaces",
			Message:  "no " + strconv.Quote(string(r.typ)) + " namespace: " + r.shares,
		})
	}
	return out
}

// NamespaceJoined reports OCI specs that join an existing namespace,
// the host's or another container's, instead of creating one.
var NamespaceJoined = &hardening.Check{
	ID:       "namespaces.namespace-joined",
	Title:    "container joins an existing namespace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A namespace entry with a path joins that namespace instead of creating one. /proc/1/ns/* is the host's, which is no " +
		"isolation at all (docker run --pid=host, --ipc=host, --uts=host, --userns=host); another process's namespace is shared with " +
		"that container (--pid=container:x), so each can attack the other.",
	Remediation: "Remove the path from the namespace entry so the runtime creates a new namespace; share a namespace with another " +
		"container only when both are equally trusted.",
	References: []hardening.Reference{
		nsRefCIS("5.16"),
		nsRefCIS("5.17"),
		nsRefCIS("5.21"),
		nsRefCIS("5.31"),
		nsRefNamespaces7,
		nsRefRuntimeSpecNS,
		nsRefNCC("cross-container"),
	},
	Run: runNamespaceJoined,
	Fix: fixNamespaceJoined,
}

func runNamespaceJoined(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil || spec.Linux == nil {
		return out
	}
	for i := range spec.Linux.Namespaces {
		ns := &spec.Linux.Namespaces[i]
		if ns.Path == "" || ns.Type == runtimespec.NetworkNamespace {
			continue
		}
		r, known := ruleFor(ns.Type)
		if !known {
			continue // not a namespace type: the runtime rejects it
		}
		host, pid := nsPathOwner(ns.Path)
		if !host && pid && podSandboxShare(spec, ns.Type) {
			continue
		}
		f := hardening.Finding{Path: hardening.Index("linux.namespaces", i) + ".path"}
		if host {
			f.Severity, f.Class = r.severity, r.class
			f.Message = "the " + strconv.Quote(string(ns.Type)) + " namespace joins " + strconv.Quote(ns.Path) +
				", the host's: " + r.shares
		} else {
			f.Severity, f.Class = min(hardening.SeverityMedium, r.severity), hardening.ClassCrossContainer
			f.Message = "the " + strconv.Quote(string(ns.Type)) + " namespace joins " + strconv.Quote(ns.Path) +
				", an existing namespace of another process or container, which shares it with this one"
		}
		out = append(out, f)
	}
	return out
}

// nsPathOwner classifies a namespace path: host when it names pid 1's,
// or the runtime's own (self, thread-self), namespace; pid when it is any
// /proc/<pid>/ns/ or /proc/<pid>/task/<tid>/ns/ path.
func nsPathOwner(p string) (host, pid bool) {
	rest, ok := strings.CutPrefix(path.Clean(p), "/proc/")
	if !ok {
		return false, false
	}
	owner, rest, ok := strings.Cut(rest, "/")
	if !ok {
		return false, false
	}
	if t, ok := strings.CutPrefix(rest, "task/"); ok {
		tid, r, _ := strings.Cut(t, "/")
		if !isDigits(tid) {
			return false, false
		}
		rest = r // a thread's namespaces are its process's
	}
	if !strings.HasPrefix(rest, "ns/") {
		return false, false
	}
	switch owner {
	case "1", "self", "thread-self":
		return true, true
	}
	return false, isDigits(owner)
}

// podSandboxShare reports whether a spec is a container of a Kubernetes pod
// (by the CRI annotations of containerd and CRI-O) and t is a namespace
// such a container joins from its pod sandbox.
func podSandboxShare(spec *runtimespec.Spec, t runtimespec.LinuxNamespaceType) bool {
	switch t {
	case runtimespec.IPCNamespace, runtimespec.UTSNamespace, runtimespec.PIDNamespace:
	default:
		return false
	}
	return spec.Annotations["io.kubernetes.cri.container-type"] == "container" ||
		spec.Annotations["io.kubernetes.cri-o.ContainerType"] == "container"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
