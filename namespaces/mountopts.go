package namespaces

// Check namespaces.mount-options: writable bind and tmpfs mounts of an OCI
// spec without nosuid or nodev.
//
// OCI spec fields:
//
//	mounts[*].{type,destination,options}
//	process.noNewPrivileges
//
// Allowed values: every writable bind mount (type bind, or option bind or
// rbind) and tmpfs mount has the nosuid and nodev options. Read-only mounts
// are not reported (nothing new can be planted in them). The tmpfs at /dev
// needs device nodes, so only nosuid is required there. devpts, mqueue,
// proc, sysfs and cgroup mounts are other checks' business, and the
// single-file binds a runtime writes for each container (/etc/resolv.conf,
// /etc/hostname, /etc/hosts, /dev/termination-log, /run/.containerenv) and
// the pod sandbox's /dev/shm, which the runtime mounts with
// nosuid,nodev,noexec on the host, are skipped, as are binds of a runtime
// socket (namespaces.sensitive-host-path reports those; a socket holds no
// setuid file or device node).
//
// Severity: a missing nosuid is high when process.noNewPrivileges is not
// true, because a setuid-root or file-capability binary planted in the
// mount (by another container sharing it, or through the host) then raises
// a process inside to root; with noNewPrivileges true the kernel ignores
// setuid bits on exec, and the finding is low. A missing nodev alone is
// low: the device cgroup still denies opening device nodes created in the
// mount, though the host and other containers sharing a bind mount's
// directory may not.

import (
	"path"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// MountOptions reports writable bind and tmpfs mounts without nosuid or
// nodev.
var MountOptions = &hardening.Check{
	ID:       "namespaces.mount-options",
	Title:    "writable mount allows setuid binaries or device nodes",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A writable volume or tmpfs is where an attacker plants files. Without nosuid a setuid-root binary placed there " +
		"(through a volume shared with another container or the host) runs as root in the container; without nodev a device node " +
		"created there opens a disk for whoever else mounts the volume with a looser device cgroup.",
	Remediation: "Add nosuid and nodev to the options of every writable bind and tmpfs mount (docker --tmpfs /x:nosuid,nodev, " +
		"--mount type=tmpfs), mount volumes read-only where possible, and set process.noNewPrivileges: true.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "mount(8) filesystem-independent options", URL: "https://man7.org/linux/man-pages/man8/mount.8.html"},
		nsRefRuntimeSpecMounts,
		nsRefNCC("inner-container"),
	},
	Run: runMountOptions,
	Fix: fixMountOptions,
}

// runtimeFiles are destinations of the single-file and sandbox binds
// runtimes add to every container.
var runtimeFiles = [...]string{"/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/dev/termination-log", "/run/.containerenv", "/dev/shm"}

func runMountOptions(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	nnp := spec.Process != nil && spec.Process.NoNewPrivileges
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		bind := isBind(m)
		if (!bind && m.Type != "tmpfs") || readOnly(m) {
			continue
		}
		dest := path.Clean(m.Destination)
		if bind && (runtimeFile(dest) || socketSource(m.Source)) {
			continue
		}
		noSUID := !hasOption(m, "nosuid")
		noDev := !hasOption(m, "nodev") && !(m.Type == "tmpfs" && dest == "/dev")
		if !noSUID && !noDev {
			continue
		}
		out = append(out, mountOptionsFinding(i, m, bind, noSUID, noDev, nnp))
	}
	return out
}

// socketSource reports whether a bind mount's source is a runtime socket:
// it can hold neither setuid files nor device nodes, and
// namespaces.sensitive-host-path reports it.
func socketSource(src string) bool {
	return defaultHostPaths.isSocket(src)
}

func runtimeFile(dest string) bool {
	for _, f := range runtimeFiles {
		if dest == f {
			return true
		}
	}
	return false
}

func mountOptionsFinding(i int, m *runtimespec.Mount, bind, noSUID, noDev, nnp bool) hardening.Finding {
	kind := "tmpfs"
	if bind {
		kind = "bind mount of " + strconv.Quote(m.Source)
	}
	var missing string
	switch {
	case noSUID && noDev:
		missing = "nosuid and nodev"
	case noSUID:
		missing = "nosuid"
	default:
		missing = "nodev"
	}
	f := hardening.Finding{
		Severity: hardening.SeverityLow,
		Path:     mountPath(i, "options"),
		Message:  "writable " + kind + " at " + strconv.Quote(m.Destination) + " lacks " + missing + " (options " + quoteOptions(m.Options) + ")",
	}
	switch {
	case noSUID && !nnp:
		f.Severity = hardening.SeverityHigh
		f.Message += ": a setuid binary planted there runs with its owner's privileges, and process.noNewPrivileges is not true"
	case noSUID:
		f.Message += ": setuid binaries planted there are honoured if noNewPrivileges is ever dropped"
	case bind:
		f.Message += ": device nodes created there reach the host directory and whoever else mounts it"
	default:
		f.Message += ": device nodes created there open any device the device cgroup allows"
	}
	return f
}
