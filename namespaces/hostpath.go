package namespaces

// Checks namespaces.sensitive-host-path and namespaces.writable-host-path:
// hostPath volumes and OCI bind mounts that reach the node's secrets,
// kernel interfaces or container runtime, and hostPath volumes a container
// can write to.
//
// Pod fields (sensitive-host-path):
//
//	spec.volumes[*].hostPath.path
//
// Allowed values: any path that is not one of [SensitiveHostPaths] nor a
// parent directory of one, compared after cleaning (trailing slashes, "//",
// "/./" and ".." removed) and with /var/run read as /run (it is a symlink to
// /run on every current distribution). Subdirectories of a sensitive
// directory (/etc/ssl/certs, /var/lib/docker/containers) are not reported:
// this check names the paths that hand over the node, and every hostPath is
// already reported by the Pod Security Standards control
// namespaces.pss-host-path-volumes. Windows pods are checked for the Docker
// and containerd named pipes.
//
// OCI spec fields (sensitive-host-path):
//
//	mounts[*].{type,source,destination,options}
//
// Allowed values: for every bind mount (type bind, or an option bind or
// rbind) a source that is not sensitive, judged as for Pods. A writable
// mount (no "ro" option, or "rw" after it) ranks one level higher than the
// entry, up to critical; a runtime socket is critical either way, since
// read-only does not stop a client from connecting to a socket. A bind of
// the host's /sys onto /sys is how rootless runtimes replace the sysfs
// mount and is judged by namespaces.proc-sys-mount instead. "rro" counts as
// read-only; "ro" with rbind makes only the top mount read-only, not the
// host's mounts below the source, which the message says (the severity
// stays that of a read-only mount, as for a Pod's readOnly volumeMount).
//
// Pod fields (writable-host-path):
//
//	spec.volumes[*].hostPath
//	spec.{initContainers,containers,ephemeralContainers}[*].volumeMounts[*].{name,readOnly}
//
// Allowed values: readOnly: true on every mount of a hostPath volume. The
// finding is high when the host path is sensitive, medium otherwise.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// SensitivePath is a host path whose mount hands a container part of the
// node.
type SensitivePath struct {
	// Path is the host path, clean and absolute; runtime sockets under /run
	// match /var/run too.
	Path string
	// Severity ranks a mount of Path or of a directory above it.
	Severity hardening.Severity
	// What says what the path holds, in a phrase.
	What string
}

// SensitiveHostPaths lists the host paths bulwark treats as sensitive,
// runtime sockets first. Mounting one of them, or a directory above one,
// is reported. The checks read it: treat it as read-only.
var SensitiveHostPaths = []SensitivePath{
	{"/run/docker.sock", hardening.SeverityCritical, "the Docker daemon socket: whoever can write to it runs privileged containers on the node"},
	{"/run/containerd/containerd.sock", hardening.SeverityCritical, "containerd's API socket: whoever can write to it runs privileged containers on the node"},
	{"/run/containerd/containerd.sock.ttrpc", hardening.SeverityCritical, "containerd's ttrpc socket, which controls its shims and containers"},
	{"/run/crio/crio.sock", hardening.SeverityCritical, "the CRI-O socket: whoever can write to it runs containers on the node"},
	{"/run/podman/podman.sock", hardening.SeverityCritical, "the podman API socket: whoever can write to it runs privileged containers on the node"},
	{"/run/cri-dockerd.sock", hardening.SeverityCritical, "cri-dockerd's CRI socket: whoever can write to it runs containers on the node"},
	{"/run/k3s/containerd/containerd.sock", hardening.SeverityCritical, "k3s's containerd socket: whoever can write to it runs privileged containers on the node"},
	{"/run/buildkit/buildkitd.sock", hardening.SeverityCritical, "the BuildKit daemon socket: whoever can write to it runs builds with the daemon's privileges"},
	{"/run/dockershim.sock", hardening.SeverityCritical, "the dockershim CRI socket: whoever can write to it runs containers on the node"},
	{"/", hardening.SeverityCritical, "the node's whole filesystem"},
	{"/etc", hardening.SeverityHigh, "the node's configuration: /etc/shadow, the kubelet's credentials and static pod manifests"},
	{"/proc", hardening.SeverityHigh, "the node's processes: /proc/<pid>/root reaches every container's files and /proc/sys the kernel's settings"},
	{"/sys", hardening.SeverityHigh, "the node's kernel, device and cgroup settings"},
	{"/boot", hardening.SeverityHigh, "the node's kernels and boot loader"},
	{"/root", hardening.SeverityHigh, "root's home on the node: SSH keys and credentials"},
	{"/dev", hardening.SeverityHigh, "the node's device nodes, its disks among them"},
	{"/var/lib/kubelet", hardening.SeverityHigh, "the kubelet's state: every pod's volumes, secrets and service account tokens"},
	{"/var/lib/docker", hardening.SeverityHigh, "Docker's state: every container's filesystem and image"},
	{"/var/lib/containerd", hardening.SeverityHigh, "containerd's state: every container's filesystem and image"},
	{"/var/lib/containers", hardening.SeverityHigh, "podman's and CRI-O's storage: every container's filesystem and image"},
}

// windowsPipes are the Windows named pipes of the container engines; they
// are compared without cleaning and in any letter case.
var windowsPipes = []SensitivePath{
	{`\\.\pipe\docker_engine`, hardening.SeverityCritical, "the Docker engine's named pipe: whoever can write to it controls every container on the node"},
	{`\\.\pipe\containerd-containerd`, hardening.SeverityCritical, "containerd's named pipe: whoever can write to it controls every container on the node"},
}

// MatchSensitiveHostPath reports whether mounting the host path p exposes a
// sensitive path: p is, after cleaning, one of [SensitiveHostPaths] or a
// directory above one (the runtime socket directories, /run, /var/lib…).
// It returns the most severe entry involved, and whether p is that entry
// itself. It does not allocate unless p needs cleaning.
func MatchSensitiveHostPath(p string) (entry SensitivePath, exact, ok bool) {
	for _, w := range windowsPipes {
		if strings.EqualFold(p, w.Path) {
			return w, true, true
		}
	}
	if !strings.HasPrefix(p, "/") {
		return SensitivePath{}, false, false
	}
	p = path.Clean(p)
	if p == "/var/run" || strings.HasPrefix(p, "/var/run/") {
		p = p[len("/var"):] // /var/run is /run
	}
	for _, e := range SensitiveHostPaths {
		switch {
		case p == e.Path:
			return e, true, true
		case !ok || e.Severity > entry.Severity:
			if len(e.Path) > len(p) && e.Path[:len(p)] == p && e.Path[len(p)] == '/' {
				entry, ok = e, true
			}
		}
	}
	return entry, false, ok
}

// SensitiveHostPath reports hostPath volumes and OCI bind mounts that mount
// a runtime socket, the node's root, or a directory holding its secrets,
// kernel interfaces or container state.
var SensitiveHostPath = &hardening.Check{
	ID:       "namespaces.sensitive-host-path",
	Title:    "container mounts a sensitive host path",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	// Windows pods mount hostPath volumes too.
	Platforms: hardening.PlatformLinux | hardening.PlatformWindows,
	Rationale: "Some host paths hand over the node: a container runtime socket starts privileged containers on request, / and /etc " +
		"hold its credentials and static pod manifests, /proc and /sys its kernel's controls, /var/lib/kubelet every pod's secrets.",
	Remediation: "Remove the hostPath volume or bind mount. If an agent truly needs the node's data, mount the narrowest subdirectory read-only " +
		"and never a container runtime socket; use the Kubernetes API, a CSI driver or the CRI through a dedicated node agent instead.",
	References: []hardening.Reference{
		nsRefCIS("5.6"),
		nsRefCIS("5.32"),
		{Kind: hardening.RefPSS, ID: "baseline/hostpath-volumes", URL: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
		nsRefHostPath,
		nsRefNCC("container escape"),
	},
	Run: runSensitiveHostPath,
}

func runSensitiveHostPath(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Kind == hardening.KindOCISpec {
		return sensitiveBindMounts(s, out)
	}
	if s.Pod == nil {
		return out
	}
	for i := range s.Pod.Spec.Volumes {
		v := &s.Pod.Spec.Volumes[i]
		if v.HostPath == nil {
			continue
		}
		e, exact, ok := MatchSensitiveHostPath(v.HostPath.Path)
		if !ok {
			continue
		}
		msg := "volume " + strconv.Quote(v.Name) + " mounts host path " + strconv.Quote(v.HostPath.Path)
		if exact {
			if clean := path.Clean(v.HostPath.Path); clean != v.HostPath.Path && !strings.HasPrefix(v.HostPath.Path, `\`) {
				msg += " (" + clean + ")"
			}
			msg += ", " + e.What
		} else {
			msg += ", which holds " + e.Path + ", " + e.What
		}
		out = append(out, hardening.Finding{
			Severity: e.Severity,
			Path:     s.SpecPath("volumes[" + strconv.Itoa(i) + "].hostPath.path"),
			Message:  msg,
		})
	}
	return out
}

func sensitiveBindMounts(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		if !isBind(m) || isSysBind(m) {
			continue
		}
		e, exact, ok := MatchSensitiveHostPath(m.Source)
		if !ok {
			continue
		}
		ro := readOnly(m)
		f := hardening.Finding{Severity: e.Severity, Path: mountPath(i, "source")}
		msg := "bind mount of host path " + strconv.Quote(m.Source)
		if clean := path.Clean(m.Source); exact && clean != m.Source && !strings.HasPrefix(m.Source, `\`) {
			msg += " (" + clean + ")"
		}
		msg += " at " + strconv.Quote(m.Destination)
		if exact {
			msg += ", " + e.What
		} else {
			msg += ", which holds " + e.Path + ", " + e.What
		}
		switch {
		case isSocketPath(e.Path) && ro:
			msg += "; read-only does not stop a client from connecting to a socket"
		case ro && submountsWritable(m):
			msg += "; mounted read-only with rbind, which leaves the host's mounts below it writable (rro makes them read-only too)"
		case ro:
			msg += "; mounted read-only"
		default:
			msg += "; mounted writable"
			f.Severity = min(e.Severity+1, hardening.SeverityCritical)
		}
		f.Message = msg
		out = append(out, f)
	}
	return out
}

// isSocketPath reports whether a sensitive path is a runtime socket (its
// parent directories are reported as holding one).
func isSocketPath(p string) bool {
	return strings.HasSuffix(p, ".sock") || strings.HasSuffix(p, ".ttrpc") || strings.HasPrefix(p, `\\.\pipe\`)
}

// WritableHostPath reports containers that mount a hostPath volume without
// readOnly: true.
var WritableHostPath = &hardening.Check{
	ID:       "namespaces.writable-host-path",
	Title:    "hostPath volume mounted writable",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	// Windows pods mount hostPath volumes too.
	Platforms: hardening.PlatformLinux | hardening.PlatformWindows,
	Rationale: "A writable host mount lets the container change files the node and other pods trust: plant binaries or symlinks " +
		"the kubelet or a node agent follows, fill the node's disk, or tamper with other workloads' data.",
	Remediation: "Set readOnly: true on the volumeMount (and recursiveReadOnly: IfPossible where the host path has submounts), " +
		"or replace the hostPath volume with an emptyDir or a persistent volume.",
	References: []hardening.Reference{
		nsRefCIS("5.6"),
		nsRefHostPath,
		nsRefNCC("container escape"),
	},
	Run: runWritableHostPath,
}

func runWritableHostPath(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	for c := range s.Containers {
		for j := range c.VolumeMounts {
			m := &c.VolumeMounts[j]
			if m.ReadOnly {
				continue
			}
			v := hostPathVolume(&s.Pod.Spec, m.Name)
			if v == nil {
				continue
			}
			f := hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "volumeMounts["+strconv.Itoa(j)+"].readOnly"),
				Message: "container " + strconv.Quote(c.Name) + " mounts hostPath volume " + strconv.Quote(v.Name) +
					" (" + strconv.Quote(v.HostPath.Path) + ") writable at " + strconv.Quote(m.MountPath),
			}
			if e, _, ok := MatchSensitiveHostPath(v.HostPath.Path); ok {
				f.Severity = hardening.SeverityHigh
				f.Message += "; it reaches " + e.Path
			}
			out = append(out, f)
		}
	}
	return out
}

// hostPathVolume returns the hostPath volume named name, or nil.
func hostPathVolume(spec *corev1.PodSpec, name string) *corev1.Volume {
	for i := range spec.Volumes {
		if v := &spec.Volumes[i]; v.Name == name && v.HostPath != nil {
			return v
		}
	}
	return nil
}
