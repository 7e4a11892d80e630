package namespaces

// Check namespaces.proc-sys-mount: an OCI spec whose procfs, sysfs or
// cgroup mounts hand the container the kernel's controls.
//
// OCI spec fields:
//
//	mounts[*].{type,source,destination,options}
//
// Allowed values:
//
//   - one proc mount, at /proc: another proc mount (a second one, or one
//     elsewhere) is not covered by linux.maskedPaths and
//     linux.readonlyPaths, which the runtime applies under /proc only;
//     reported at mounts[i].destination;
//   - one sysfs mount, at /sys, with the ro option: a writable /sys is
//     what docker run --privileged emits and reaches the host's kernel and
//     device settings; reported at mounts[i].options, and another sysfs
//     mount at mounts[i].destination. A bind of the host's /sys onto /sys
//     (what rootless runtimes use instead of sysfs) is judged as the sysfs
//     mount;
//   - cgroup and cgroup2 mounts with the ro option: a writable cgroup v1
//     hierarchy holds release_agent, which runs a program on the host
//     (CVE-2022-0492), high; a writable cgroup2 mount lets the container
//     change its own limits and delegate, medium; reported at
//     mounts[i].options;
//   - no other mount at /proc or below it: a volume over /proc or a
//     /proc subpath lets the image redirect the writes the runtime makes to
//     /proc/self/attr and friends, the pattern of CVE-2019-16884 and
//     CVE-2019-19921; reported at mounts[i].destination.

import (
	"path"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// ProcSysMount reports extra or writable procfs, sysfs and cgroup mounts
// and mounts over /proc.
var ProcSysMount = &hardening.Check{
	ID:       "namespaces.proc-sys-mount",
	Title:    "procfs, sysfs or cgroupfs mounted unsafely",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Runtimes make the kernel's pseudo-filesystems safe by convention: one /proc, with the masked and read-only paths " +
		"on top, /sys and the cgroup hierarchy read-only. A second procfs escapes the masks, a writable /sys or cgroup v1 mount reaches " +
		"host kernel settings and release_agent, and a mount over /proc lets an image redirect the runtime's own writes to /proc.",
	Remediation: "Keep a single proc mount at /proc and a single sysfs at /sys; add the ro option to the sysfs and cgroup mounts; " +
		"remove any mount whose destination is /proc or below it.",
	References: []hardening.Reference{
		nsRefCIS("5.5"),
		nsRefCVE("CVE-2019-16884"),
		nsRefCVE("CVE-2019-19921"),
		nsRefCVE("CVE-2022-0492"),
		nsRefRuntimeSpecMounts,
		nsRefNCC("container escape"),
	},
	Run: runProcSysMount,
	Fix: fixProcSysMount,
}

func runProcSysMount(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	seenProc, seenSys := false, false
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		dest := path.Clean(m.Destination)
		switch {
		case m.Type == "proc":
			if dest == "/proc" && !seenProc {
				seenProc = true
				continue
			}
			out = append(out, hardening.Finding{
				Path: mountPath(i, "destination"),
				Message: "another proc mount, at " + strconv.Quote(m.Destination) +
					": the masked and read-only paths do not apply to it, so it exposes the host's /proc/kcore, /proc/sys and /proc/sysrq-trigger",
			})
		case m.Type == "sysfs" || isSysBind(m):
			if dest == "/sys" && !seenSys {
				seenSys = true
				if !readOnly(m) {
					out = append(out, hardening.Finding{
						Path:    mountPath(i, "options"),
						Message: "/sys is mounted without ro (options " + quoteOptions(m.Options) + "): the container can write the host's kernel and device settings",
					})
				}
				continue
			}
			out = append(out, hardening.Finding{
				Path:    mountPath(i, "destination"),
				Message: "another sysfs mount, at " + strconv.Quote(m.Destination) + ": the masked paths under /sys do not apply to it",
			})
		case m.Type == "cgroup" || m.Type == "cgroup2":
			if readOnly(m) {
				continue
			}
			f := hardening.Finding{
				Path: mountPath(i, "options"),
				Message: m.Type + " mount at " + strconv.Quote(m.Destination) + " is not read-only (options " + quoteOptions(m.Options) +
					"): the container can rewrite cgroup settings",
			}
			if m.Type == "cgroup" {
				f.Message += ", and set release_agent to run a program on the host (CVE-2022-0492)"
			} else {
				f.Severity = hardening.SeverityMedium
				f.Message += " such as its own limits"
			}
			out = append(out, f)
		case under(dest, "/proc"):
			out = append(out, hardening.Finding{
				Path: mountPath(i, "destination"),
				Message: "a " + describeType(m) + " mount at " + strconv.Quote(m.Destination) +
					" covers procfs: it can redirect what the runtime and the process read and write there (CVE-2019-16884, CVE-2019-19921)",
			})
		}
	}
	return out
}

// quoteOptions renders a mount's options as a JSON-like list.
func quoteOptions(opts []string) string {
	s := "["
	for i, o := range opts {
		if i > 0 {
			s += ", "
		}
		s += strconv.Quote(o)
	}
	return s + "]"
}

// describeType names a mount's type for a message.
func describeType(m *runtimespec.Mount) string {
	switch {
	case isBind(m):
		return "bind"
	case m.Type == "":
		return "untyped"
	}
	return strconv.Quote(m.Type)
}
