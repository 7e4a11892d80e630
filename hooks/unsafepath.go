package hooks

// Check hooks.unsafe-path: a hook's program can be replaced by someone who
// should not control what the runtime runs.
//
// OCI spec fields:
//
//	hooks.{prestart,createRuntime,createContainer,startContainer,poststart,poststop}[*].path
//	root.path
//
// Allowed values: an absolute path outside /tmp, /var/tmp and /dev/shm
// (world-writable, sticky directories any local user can create files in)
// and, for stages whose path resolves on the host, outside an absolute
// root.path (the container's root filesystem, which the image and, when
// writable, the container control). Paths are cleaned before comparing.
//
// Severity: high for stages whose path resolves on the host (every stage
// but startContainer). A startContainer path resolves inside the container,
// where it can only be as trusted as the container itself: a relative or
// world-writable path there is reported at low severity (inner-container),
// and root.path does not apply.
//
// Relative paths break the spec ("path MUST be absolute"); runc resolves
// them against its working directory, the bundle, which holds the image's
// root filesystem. The check does not stat files or follow symlinks (checks
// are pure): see the package documentation.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// UnsafePath reports hooks whose program others can replace.
var UnsafePath = &hardening.Check{
	ID:       "hooks.unsafe-path",
	Title:    "hook path others can replace",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "The runtime runs a host-side hook as itself — root, on the host. If the program sits in /tmp, /var/tmp or " +
		"/dev/shm any local user can plant or swap it; if it sits in the container's root filesystem the image author, or the " +
		"container itself, writes it; a relative path resolves against the runtime's working directory (the bundle). Each " +
		"turns the hook into code execution on the host.",
	Remediation: "Install hook programs in a root-owned directory that only root can write (/usr/libexec/oci/hooks.d, " +
		"/usr/bin) and refer to them by absolute path.",
	References: []hardening.Reference{refHooks, refNCCEscape},
	Run:        runUnsafePath,
}

// worldWritable are the world-writable directories of a standard Linux
// host (FHS).
var worldWritable = [...]string{"/tmp", "/var/tmp", "/dev/shm"}

func runUnsafePath(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("hooks") {
		return out // not observed: no verdict
	}
	if s.Spec == nil || s.Spec.Hooks == nil {
		return out
	}
	rootfs := ""
	if s.Spec.Root != nil && path.IsAbs(s.Spec.Root.Path) {
		rootfs = path.Clean(s.Spec.Root.Path)
		if rootfs == "/" {
			rootfs = "" // a host-root bundle: every path would be "inside" it
		}
	}
	for k := range stages {
		st := &stages[k]
		for i, h := range st.Hooks(s.Spec.Hooks) {
			reason := ""
			if !path.IsAbs(h.Path) {
				reason = "is relative: the spec requires an absolute path, and runc resolves it against its working directory, the bundle"
				if h.Path == "" {
					reason = "is empty"
				}
			} else {
				p := path.Clean(h.Path)
				for _, dir := range worldWritable {
					if under(p, dir) {
						reason = "is under " + dir + ", which anyone can write to"
						break
					}
				}
				if reason == "" && st.PathOnHost && rootfs != "" && under(p, rootfs) {
					reason = "is inside the container's root filesystem (root.path " + strconv.Quote(s.Spec.Root.Path) +
						"), which the image and the container control"
				}
			}
			if reason == "" {
				continue
			}
			f := hardening.Finding{Path: hookPath(st, i)}
			if st.PathOnHost {
				f.Message = st.Name + " hook path " + strconv.Quote(h.Path) + " " + reason +
					": the runtime runs it with its own privileges (root for a rootful runtime)"
				if st.OnHost {
					f.Message += " on the host"
				} else {
					f.Message += " in the container's namespaces, before the container is confined"
				}
			} else {
				f.Severity = hardening.SeverityLow
				f.Class = hardening.ClassInnerContainer
				f.Message = st.Name + " hook path " + strconv.Quote(h.Path) + " " + reason +
					" (inside the container): processes in the container can replace what runs before the next start"
			}
			out = append(out, f)
		}
	}
	return out
}

// under reports whether the clean absolute path p is dir or below it.
func under(p, dir string) bool {
	return strings.HasPrefix(p, dir) && (len(p) == len(dir) || p[len(dir)] == '/')
}
