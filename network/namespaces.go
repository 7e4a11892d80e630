package network

// Helpers shared by the OCI spec checks: which network, IPC and user
// namespace a spec gives its container. None of them allocates.

import (
	"path"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// nsState says where a container's namespace of one type comes from.
type nsState uint8

const (
	// nsOwn: the runtime creates a new namespace (an entry without path).
	nsOwn nsState = iota
	// nsHost: no entry, so the container stays in the runtime's (the
	// host's) namespace; or an entry whose path is /proc/1/ns/<type>, or
	// /proc/self or /proc/thread-self, which name the runtime itself.
	nsHost
	// nsProcess: the entry joins /proc/<pid>/ns/<type> of another process,
	// typically another container (docker run --network container:…).
	nsProcess
	// nsNamed: the entry joins a namespace file bind-mounted by a network
	// manager (/var/run/netns/… of ip netns and CNI, /var/run/docker/netns/…):
	// shared with whatever else joins that file.
	nsNamed
)

// The annotations containerd's and CRI-O's CRI implementations put on the
// specs of a Kubernetes pod's sandbox and containers.
const (
	annotationCRIType  = "io.kubernetes.cri.container-type"
	annotationCRIOType = "io.kubernetes.cri-o.ContainerType"
)

// nsInfo is the namespace of one type in a spec.
type nsInfo struct {
	state nsState
	index int    // index in linux.namespaces, -1 when absent
	path  string // the entry's path, as written
}

// namespaceOf returns the namespace of type typ of a spec with a linux
// section. The first entry of the type counts (runtimes reject
// duplicates). A Kubernetes pod's sandbox and containers, as the CRI
// annotations mark them, join the pod's network and IPC namespaces by
// design (containerd: /proc/<sandbox pid>/ns/net; the sandbox itself: the
// CNI's /var/run/netns/cni-…): such a join, unless it is the host's, counts
// as the container's own; the Pod checks judge the pod.
func namespaceOf(spec *runtimespec.Spec, typ runtimespec.LinuxNamespaceType) nsInfo {
	for i, ns := range spec.Linux.Namespaces {
		if ns.Type != typ {
			continue
		}
		if ns.Path == "" {
			return nsInfo{state: nsOwn, index: i}
		}
		state := classifyNSPath(ns.Path)
		if state != nsHost && isPodMember(spec) {
			state = nsOwn
		}
		return nsInfo{state: state, index: i, path: ns.Path}
	}
	return nsInfo{state: nsHost, index: -1}
}

// isPodMember reports whether the CRI annotations mark the spec as a
// Kubernetes pod's sandbox or container.
func isPodMember(spec *runtimespec.Spec) bool {
	if spec.Annotations == nil {
		return false
	}
	switch spec.Annotations[annotationCRIType] {
	case "sandbox", "container":
		return true
	}
	switch spec.Annotations[annotationCRIOType] {
	case "sandbox", "container":
		return true
	}
	return false
}

// classifyNSPath tells a host namespace path from another process's and a
// named one.
func classifyNSPath(p string) nsState {
	p = path.Clean(p) // allocates only if p is not clean
	rest, ok := strings.CutPrefix(p, "/proc/")
	if !ok {
		return nsNamed
	}
	pid, _, _ := strings.Cut(rest, "/")
	switch pid {
	case "1", "self", "thread-self":
		return nsHost
	}
	return nsProcess
}

// linuxSpec returns the spec of a Linux container that has a linux
// section, or nil: a spec without one (a Windows or VM spec, or partial
// input) has no namespaces to judge.
func linuxSpec(s *hardening.Subject) *runtimespec.Spec {
	if spec := s.LinuxSpec(); spec != nil && spec.Linux != nil {
		return spec
	}
	return nil
}

// namespacePath is the path of the namespace entry to fix: the entry
// itself, or linux.namespaces when the type is missing.
func (n nsInfo) namespacePath() string {
	if n.index < 0 {
		return "linux.namespaces"
	}
	return hardening.Index("linux.namespaces", n.index)
}

// describe says in words where the namespace comes from.
func (n nsInfo) describe(kind string) string {
	switch n.state {
	case nsHost:
		if n.index < 0 {
			return "has no " + kind + " namespace of its own: it shares the host's"
		}
		return "joins the host's " + kind + " namespace (" + n.path + ")"
	case nsProcess:
		return "joins the " + kind + " namespace of another process (" + n.path + ")"
	case nsNamed:
		return "joins the named " + kind + " namespace " + n.path + ", shared with everything that joins it"
	}
	return "has its own " + kind + " namespace"
}

// severity ranks a shared namespace: the host's high, another's medium.
func (n nsInfo) severity() hardening.Severity {
	if n.state == nsHost {
		return hardening.SeverityHigh
	}
	return hardening.SeverityMedium
}
