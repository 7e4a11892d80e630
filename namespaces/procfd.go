package namespaces

// Check namespaces.proc-fd-path: an OCI spec starts the process in, or
// executes, a file descriptor of the runtime.
//
// OCI spec fields:
//
//	process.cwd
//	process.args[0]
//
// Allowed values: a path that does not pass through /proc/self/fd,
// /proc/thread-self/fd or /proc/<pid>/fd (or their task/<tid>/fd), nor
// /dev/fd, the symlink to /proc/self/fd runc and crun create in the
// container's /dev. Such a path names a descriptor the runtime holds open
// while it sets up the container, which may be a directory of the host:
// CVE-2024-21626 ("Leaky Vessels") used process.cwd /proc/self/fd/7 to
// start the process with the host's cgroupfs as its working directory.
// The path is resolved as the kernel does: ".." is taken lexically only
// up to the fd directory, because an fd entry is a link to its target and
// "/proc/self/fd/7/../../.." climbs the host's tree from there (the
// advisory's variant). A relative args[0] with a slash is resolved
// against process.cwd.

import (
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
	spec := s.LinuxSpec()
	if spec == nil || spec.Process == nil {
		return out
	}
	p := spec.Process
	if procFDPath("", p.Cwd) {
		out = append(out, hardening.Finding{
			Path:    "process.cwd",
			Message: "process.cwd is " + strconv.Quote(p.Cwd) + ", a descriptor the runtime holds, which may be a host directory (CVE-2024-21626)",
		})
	}
	if len(p.Args) > 0 && procFDPath(p.Cwd, p.Args[0]) {
		out = append(out, hardening.Finding{
			Path:    "process.args[0]",
			Message: "process.args[0] is " + strconv.Quote(p.Args[0]) + ", a descriptor the runtime holds, which may be a host file (CVE-2024-21626)",
		})
	}
	return out
}

// procFDPath reports whether p, resolved from dir when it is relative and
// holds a slash (as exec resolves a program), passes through /proc/<who>/fd
// (who: thread-self, self or a pid, optionally followed by task/<tid>) or
// /dev/fd. ".." is resolved lexically until then; once the walk is in an
// fd directory the rest of the path does not matter.
func procFDPath(dir, p string) bool {
	var w fdWalk
	if p == "" || (p[0] != '/' && strings.IndexByte(p, '/') < 0) {
		return false // a program name looked up in PATH, or nothing
	}
	if p[0] != '/' && w.walk(dir) {
		return true
	}
	return w.walk(p)
}

// fdWalk resolves a path component by component, keeping the first few
// components of the lexical result: enough to recognise /proc/<who>/fd,
// /proc/<who>/task/<tid>/fd and /dev/fd, without allocating.
type fdWalk struct {
	elems [5]string
	depth int
}

// walk adds the components of p and reports whether the result ever is an
// fd directory.
func (w *fdWalk) walk(p string) bool {
	for p != "" {
		var c string
		c, p, _ = strings.Cut(p, "/")
		switch c {
		case "", ".":
			continue
		case "..":
			if w.depth > 0 {
				w.depth--
			}
			continue
		}
		if w.depth < len(w.elems) {
			w.elems[w.depth] = c
		}
		w.depth++
		if w.inFD() {
			return true
		}
	}
	return false
}

// inFD reports whether the components so far are an fd directory.
func (w *fdWalk) inFD() bool {
	e := w.elems[:min(w.depth, len(w.elems))]
	switch {
	case w.depth == 2 && e[0] == "dev" && e[1] == "fd":
		return true
	case w.depth < 3 || e[0] != "proc":
		return false
	case w.depth == 3:
		return (e[1] == "thread-self" || e[1] == "self" || isDigits(e[1])) && e[2] == "fd"
	case w.depth == 5:
		return (e[1] == "self" || isDigits(e[1])) && e[2] == "task" && isDigits(e[3]) && e[4] == "fd"
	}
	return false
}
