package namespaces

// Check namespaces.proc-fd-path: an OCI spec starts the process in, or
// executes, a file descriptor of the runtime.
//
// OCI spec fields:
//
//	process.cwd
//	process.args[0]
//
// Allowed values: a path that is not /proc/self/fd, /proc/thread-self/fd
// or /proc/<pid>/fd (or their task/<tid>/fd), nor below one. Such a
// path names a descriptor the runtime holds open while it sets up the
// container, which may be a directory of the host: CVE-2024-21626 ("Leaky
// Vessels") used process.cwd /proc/self/fd/7 to start the process with
// the host's cgroupfs as its working directory.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ProcFDPath reports OCI specs whose process.cwd or process.args[0] is
// under a /proc fd directory.
var ProcFDPath = &hardening.Check{
	ID:       "namespaces.proc-fd-path",
	Title:    "process starts in or runs a /proc fd path",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "While it sets up a container the runtime holds descriptors of host files and directories; a working directory or " +
		"program under /proc/self/fd resolves to one of them, outside the container's root. runc before 1.1.12 leaked such a " +
		"descriptor (CVE-2024-21626), and an image or spec naming /proc/self/fd/<n> turned it into a host filesystem escape.",
	Remediation: "Set process.cwd and process.args[0] to paths inside the container's root filesystem (WORKDIR and ENTRYPOINT of the image), " +
		"and run runc 1.1.12 or later.",
	References: []hardening.Reference{
		nsRefCVE("CVE-2024-21626"),
		{Kind: hardening.RefDoc, ID: "GHSA-xr7r-f8xq-vfvv", URL: "https://github.com/opencontainers/runc/security/advisories/GHSA-xr7r-f8xq-vfvv"},
		nsRefNCC("container escape"),
	},
	Run: runProcFDPath,
}

func runProcFDPath(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("process.cwd") || !s.Observed("process.args") {
		return out // not observed: no verdict
	}
	spec := linuxSpec(s)
	if spec == nil || spec.Process == nil {
		return out
	}
	p := spec.Process
	if procFDPath(p.Cwd) {
		out = append(out, hardening.Finding{
			Path:    "process.cwd",
			Message: "process.cwd is " + strconv.Quote(p.Cwd) + ", a descriptor the runtime holds, which may be a host directory (CVE-2024-21626)",
		})
	}
	if len(p.Args) > 0 && procFDPath(p.Args[0]) {
		out = append(out, hardening.Finding{
			Path:    "process.args[0]",
			Message: "process.args[0] is " + strconv.Quote(p.Args[0]) + ", a descriptor the runtime holds, which may be a host file (CVE-2024-21626)",
		})
	}
	return out
}

// procFDPath reports whether p is, after cleaning, /proc/<who>/fd or below
// it, where who is thread-self, self or a pid, optionally followed by
// task/<tid>.
func procFDPath(p string) bool {
	rest, ok := strings.CutPrefix(path.Clean(p), "/proc/")
	if !ok {
		return false
	}
	who, rest, _ := strings.Cut(rest, "/")
	switch {
	case who == "thread-self":
	case who == "self" || isDigits(who):
		if t, ok := strings.CutPrefix(rest, "task/"); ok {
			tid, r, _ := strings.Cut(t, "/")
			if !isDigits(tid) {
				return false
			}
			rest = r
		}
	default:
		return false
	}
	return rest == "fd" || strings.HasPrefix(rest, "fd/")
}
