package capabilities

// Check capabilities.privileged-equivalent: the OCI spec is what
// `docker run --privileged` emits, whatever flag produced it.
//
// OCI spec fields:
//
//	process.capabilities.bounding        every capability of Linux 3.16–5.7 ([Legacy])
//	linux.seccomp                        not set
//	linux.maskedPaths                    empty
//	linux.readonlyPaths                  empty
//	mounts[*]                            /sys mounted read-write: destination /sys, type sysfs
//	                                     (or a bind of /sys), neither "ro" after the last "rw"
//	                                     nor a recursive "rro" after the last "rrw"
//	linux.resources.devices[*]           the last rule for all devices (type "a" or empty,
//	                                     whatever its major, minor and access) allows them
//
// Allowed values: any spec where at least one of the six does not hold.
// The check fires only when all six hold, as the moby daemon sets them for
// a privileged container (daemon/oci_linux.go: all capabilities, seccomp
// and AppArmor off, masked and read-only paths cleared, /sys rw, every
// device allowed). It summarises what capabilities.privileged and the
// seccomp, masking, mount and device checks of other packages report one
// by one. A spec without a /sys mount does not match: Docker always mounts
// sysfs. Mount options and device rules are read as the namespaces and
// cgroups checks read them (internal/ocispec): a rule for all devices
// resets the list, as runc's device emulator and the kernel apply it, and
// later rules are exceptions.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// PrivilegedEquivalent reports OCI specs that hold every element of a
// privileged container.
var PrivilegedEquivalent = &hardening.Check{
	ID:       "capabilities.privileged-equivalent",
	Title:    "spec is equivalent to a privileged container",
	Severity: hardening.SeverityCritical,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "At the OCI layer there is no privileged flag, only its effects: every capability, no seccomp filter, nothing " +
		"masked or read-only under /proc, a writable /sys and access to every host device. Together they make the host's " +
		"disks, kernel modules and firmware the container's; escaping is a mount away.",
	Remediation: "Rebuild the spec from the runtime's unprivileged default and add back only the capabilities, devices and " +
		"mounts the workload needs; drop --privileged (Docker) or privileged: true (Kubernetes).",
	References: []hardening.Reference{
		refCIS("5.5"),
		{Kind: hardening.RefDoc, ID: "docker run --privileged", URL: "https://docs.docker.com/reference/cli/docker/container/run/#privileged"},
		refNCCEscape,
	},
	Run: runPrivilegedEquivalent,
	Fix: fixPrivileged,
}

func runPrivilegedEquivalent(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.Spec
	if spec == nil || spec.Linux == nil || spec.Linux.Seccomp != nil ||
		len(spec.Linux.MaskedPaths) > 0 || len(spec.Linux.ReadonlyPaths) > 0 {
		return out
	}
	bounding, ok := ociBounding(s)
	if !ok || !bounding.Contains(Legacy) {
		return out
	}
	sys := writableSys(spec.Mounts)
	if sys < 0 {
		return out
	}
	dev := -1
	if r := spec.Linux.Resources; r != nil {
		dev = ocispec.AllDevicesAllowed(r.Devices)
	}
	if dev < 0 {
		return out
	}
	elements := []string{
		"the bounding set holds all " + strconv.Itoa(bounding.Len()) + " capabilities",
		"linux.seccomp is not set",
		"linux.maskedPaths is empty",
		"linux.readonlyPaths is empty",
		"/sys is mounted read-write (" + hardening.Index("mounts", sys) + ")",
		"the device cgroup allows every device (" + hardening.Index("linux.resources.devices", dev) + ")",
	}
	return append(out, hardening.Finding{
		Path:    "process.capabilities.bounding",
		Message: "the spec matches docker run --privileged: " + strings.Join(elements, ", "),
	})
}

// writableSys returns the index of the last mount that puts sysfs, or a
// bind of the host's /sys, read-write at /sys, or -1.
func writableSys(mounts []runtimespec.Mount) int {
	found := -1
	for i := range mounts {
		m := &mounts[i]
		if m.Destination == "" || path.Clean(m.Destination) != "/sys" {
			continue
		}
		if !ocispec.IsSysfs(m) || ocispec.ReadOnly(m.Options) {
			found = -1 // something else covers /sys, or it is read-only
			continue
		}
		found = i
	}
	return found
}
