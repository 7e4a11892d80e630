package namespaces

// Checks namespaces.sensitive-host-path and namespaces.writable-host-path:
// hostPath volumes and OCI bind mounts that reach the node's secrets,
// kernel interfaces or container runtime, and hostPath volumes a container
// can write to.
//
// Pod fields (sensitive-host-path):
//
//	spec.volumes[*].hostPath.path
//	spec.{initContainers,containers,ephemeralContainers}[*].volumeMounts[*].{name,readOnly}
//
// Allowed values: a path that [MatchSensitiveHostPath] does not rank: not a
// runtime socket (by file name, in any directory), nor a sensitive path of
// [SensitiveHostPaths], a path inside one that covers what lies below it
// (/proc/1/root inside /proc, /sys/fs/bpf, /etc/kubernetes/pki), or a
// directory above one (/run holds the sockets, /var/lib the kubelet's
// state). Paths are compared after cleaning (trailing slashes, "//", "/./"
// and ".." removed) and with /var/run read as /run (it is a symlink to /run
// on every current distribution). Paths inside a directory that does not
// cover what lies below it (/etc/ssl/certs inside /etc, a CSI driver's
// /var/lib/kubelet/plugins/<driver>) are not reported: this check names the
// paths that hand over the node or its secrets, and every hostPath is
// already reported by the Pod Security Standards control
// namespaces.pss-host-path-volumes. The finding ranks the volume as a
// writable mount when a container mounts it without readOnly: true (the
// message names the first), and as a read-only one otherwise: a writable
// /proc is critical, a read-only one high; /usr and /lib/modules count
// only writable. A runtime socket is critical either way: read-only does
// not stop a client from connecting to it, so the finding says to remove
// the mount. Windows pods are checked for the Docker and containerd named
// pipes.
//
// OCI spec fields (sensitive-host-path):
//
//	mounts[*].{type,source,destination,options}
//
// Allowed values: for every bind mount (type bind, or an option bind or
// rbind) a source that is not sensitive, judged as for Pods: a writable
// mount (no "ro" option, or "rw" after it) ranks as writable. A bind of the
// host's /sys onto /sys is how rootless runtimes replace the sysfs mount
// and is judged by namespaces.proc-sys-mount instead. The files a runtime
// binds into every container from its state directory (onto
// /etc/resolv.conf, /etc/hostname, /etc/hosts, /dev/shm,
// /dev/termination-log, /run/.containerenv, from inside
// /var/lib/containerd or /run/containerd) are not reported; a whole
// sensitive directory or a socket bound there is. "rro" counts as
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
// finding is high when the host path is sensitive mounted writable,
// medium otherwise. A mount of a runtime socket is not reported:
// readOnly: true would change nothing, and namespaces.sensitive-host-path
// says to remove it.
//
// [NewHostPaths] and [HostPaths.Checks] make both checks judge by another
// table, under the same IDs.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// SensitiveHostPath reports hostPath volumes and OCI bind mounts that mount
// a runtime socket, the node's root, or a path holding its secrets, kernel
// interfaces or container state, by the built-in table.
var SensitiveHostPath = defaultHostPaths.sensitiveCheck()

// WritableHostPath reports containers that mount a hostPath volume without
// readOnly: true, ranked by the built-in table.
var WritableHostPath = defaultHostPaths.writableCheck()

// Checks returns namespaces.sensitive-host-path and
// namespaces.writable-host-path judging by t, sorted by ID, to use in place
// of [SensitiveHostPath] and [WritableHostPath]: the IDs are the same, so
// suppressions keep working.
func (t *HostPaths) Checks() hardening.Checks {
	if t == nil || len(t.entries) == 0 {
		panic("namespaces: HostPaths.Checks on a table not made by NewHostPaths")
	}
	return hardening.Checks{t.sensitiveCheck(), t.writableCheck()}
}

// The remediations of findings about a runtime socket, which read-only
// does not protect, in place of the check's.
const (
	socketRemediationPod = "Remove the hostPath volume of the runtime socket and its volumeMounts: readOnly: true does not help, since " +
		"connect(2) needs write permission on the socket file, not on the mount. An agent that needs container metadata can read " +
		"it from the Kubernetes API."
	socketRemediationOCI = "Remove the bind mount of the runtime socket (docker run -v …/docker.sock): a read-only bind does not help, " +
		"since connect(2) needs write permission on the socket file, not on the mount."
)

func (t *HostPaths) sensitiveCheck() *hardening.Check {
	return &hardening.Check{
		ID:       "namespaces.sensitive-host-path",
		Title:    "container mounts a sensitive host path",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod | hardening.KindOCISpec,
		// Windows pods mount hostPath volumes too.
		Platforms: hardening.PlatformLinux | hardening.PlatformWindows,
		Rationale: "Some host paths hand over the node: a container runtime socket starts privileged containers on request, read-only or not; " +
			"/ and /etc hold its credentials, /etc/kubernetes the static pod manifests and on control-plane nodes the cluster's keys; " +
			"/proc and /sys hold the kernel's controls, /var/lib/kubelet every pod's secrets. Writable, host programs, CNI plugins and " +
			"kernel modules become code the node runs as root.",
		Remediation: "Remove the hostPath volume or bind mount. If an agent truly needs the node's data, mount the narrowest subdirectory read-only " +
			"(with recursiveReadOnly where it has mounts below it) and never a container runtime socket; use the Kubernetes API, a CSI driver " +
			"or the CRI through a dedicated node agent instead.",
		References: []hardening.Reference{
			nsRefCIS("5.6"),
			nsRefCIS("5.32"),
			{Kind: hardening.RefPSS, ID: "baseline/hostpath-volumes", URL: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"},
			nsRefHostPath,
			{Kind: hardening.RefDoc, ID: "unix(7): connecting to a socket needs write permission on it", URL: "https://man7.org/linux/man-pages/man7/unix.7.html"},
			nsRefNCC("container escape"),
		},
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return t.runSensitive(s, out)
		},
	}
}

func (t *HostPaths) runSensitive(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Kind == hardening.KindOCISpec {
		return t.sensitiveBindMounts(s, out)
	}
	if s.Pod == nil {
		return out
	}
	for i := range s.Pod.Spec.Volumes {
		v := &s.Pod.Spec.Volumes[i]
		if v.HostPath == nil {
			continue
		}
		writer, writable, mounted := volumeWriter(s, v.Name)
		m, ok := t.Match(v.HostPath.Path, writable)
		if !ok {
			continue
		}
		var b strings.Builder
		b.WriteString("volume " + strconv.Quote(v.Name) + " mounts host path " + strconv.Quote(v.HostPath.Path))
		cleanNote(&b, v.HostPath.Path, m)
		describe(&b, m)
		switch {
		case writable:
			b.WriteString("; container " + strconv.Quote(writer) + " mounts it writable")
		case mounted && m.Socket():
			b.WriteString("; mounted read-only, which does not stop a client from connecting to a socket")
		case mounted:
			b.WriteString("; mounted read-only")
		default:
			b.WriteString("; no container mounts it")
		}
		f := hardening.Finding{
			Severity: m.Severity,
			Path:     s.SpecPath("volumes[" + strconv.Itoa(i) + "].hostPath.path"),
			Message:  b.String(),
		}
		if m.Socket() {
			f.Remediation = socketRemediationPod
		}
		out = append(out, f)
	}
	return out
}

// volumeWriter reports the first container that mounts the volume name
// writable, whether one does, and whether any container mounts it.
func volumeWriter(s *hardening.Subject, name string) (writer string, writable, mounted bool) {
	for c := range s.Containers {
		for j := range c.VolumeMounts {
			if m := &c.VolumeMounts[j]; m.Name == name {
				mounted = true
				if !m.ReadOnly {
					return c.Name, true, true
				}
			}
		}
	}
	return "", false, mounted
}

// cleanNote writes " (<clean path>)" after a host path that needed
// cleaning, unless it matched as a Windows pipe.
func cleanNote(b *strings.Builder, p string, m HostPathMatch) {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(m.Entry.Path, `\`) {
		return
	}
	if clean := cleanHostPath(p); clean != p {
		b.WriteString(" (" + clean + ")")
	}
}

func (t *HostPaths) sensitiveBindMounts(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		if !isBind(m) || isSysBind(m) {
			continue
		}
		ro := readOnly(m)
		match, ok := t.Match(m.Source, !ro)
		if !ok || (match.Inside && match.Holds.Path == "" && runtimeFile(path.Clean(m.Destination))) {
			continue // a runtime's own file for this container: its resolv.conf, hosts, shm from its state directory
		}
		var b strings.Builder
		b.WriteString("bind mount of host path " + strconv.Quote(m.Source))
		cleanNote(&b, m.Source, match)
		b.WriteString(" at " + strconv.Quote(m.Destination))
		describe(&b, match)
		switch {
		case match.Socket() && ro:
			b.WriteString("; read-only does not stop a client from connecting to a socket")
		case ro && submountsWritable(m):
			b.WriteString("; mounted read-only with rbind, which leaves the host's mounts below it writable (rro makes them read-only too)")
		case ro:
			b.WriteString("; mounted read-only")
		default:
			b.WriteString("; mounted writable")
		}
		f := hardening.Finding{Severity: match.Severity, Path: mountPath(i, "source"), Message: b.String()}
		if match.Socket() {
			f.Remediation = socketRemediationOCI
		}
		out = append(out, f)
	}
	return out
}

func (t *HostPaths) writableCheck() *hardening.Check {
	return &hardening.Check{
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
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return t.runWritable(s, out)
		},
	}
}

func (t *HostPaths) runWritable(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
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
			rw, sensitive := t.Match(v.HostPath.Path, true)
			if sensitive && rw.Socket() {
				continue // readOnly: true would not stop connect(2); sensitive-host-path says to remove the mount
			}
			f := hardening.Finding{
				Severity:  hardening.SeverityMedium,
				Container: c.Name,
				Path:      s.ContainerPath(c, "volumeMounts["+strconv.Itoa(j)+"].readOnly"),
				Message: "container " + strconv.Quote(c.Name) + " mounts hostPath volume " + strconv.Quote(v.Name) +
					" (" + strconv.Quote(v.HostPath.Path) + ") writable at " + strconv.Quote(m.MountPath),
			}
			if sensitive {
				f.Severity = hardening.SeverityHigh
				f.Message += "; the host path is " + rw.Severity.String() + " writable"
				switch ro, _ := t.Match(v.HostPath.Path, false); {
				case ro.Severity == rw.Severity:
					f.Message += " and read-only alike"
				case ro.Severity == 0:
					f.Message += " and not sensitive read-only"
				default:
					f.Message += ", " + ro.Severity.String() + " read-only"
				}
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
