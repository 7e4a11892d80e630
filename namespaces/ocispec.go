package namespaces

// Helpers shared by the checks that read OCI runtime specs. None of them
// allocates: paths are cleaned with path.Clean, which returns its argument
// unchanged when it is already clean.

import (
	"path"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// hasNamespace reports whether the spec lists a namespace of type t, and
// the index of the first such entry.
func hasNamespace(spec *runtimespec.Spec, t runtimespec.LinuxNamespaceType) (int, bool) {
	if spec.Linux == nil {
		return -1, false
	}
	for i, ns := range spec.Linux.Namespaces {
		if ns.Type == t {
			return i, true
		}
	}
	return -1, false
}

// hasOption reports whether a mount's options hold o.
func hasOption(m *runtimespec.Mount, o string) bool {
	for _, opt := range m.Options {
		if opt == o {
			return true
		}
	}
	return false
}

// readOnly reports whether a mount is read-only at its top: the last of
// "ro" and "rw" in its options wins, as when the runtime folds them into
// mount flags, and the recursive "rro" and "rrw" (runtime-spec 1.1, runc
// 1.1+, crun), which the runtime applies with mount_setattr after the
// flags, override both.
func readOnly(m *runtimespec.Mount) bool {
	ro, rro, rec := false, false, false
	for _, opt := range m.Options {
		switch opt {
		case "ro":
			ro = true
		case "rw":
			ro = false
		case "rro":
			rro, rec = true, true
		case "rrw":
			rro, rec = false, true
		}
	}
	if rec {
		return rro
	}
	return ro
}

// submountsWritable reports whether a read-only bind mount leaves the
// mounts below its source writable: with rbind the host's submounts come
// along, and "ro" (a remount of the top mount) does not reach them; only
// "rro" does. runc 1.1.5 confirms it: an rbind,ro mount whose source has a
// tmpfs below it lets the container write to that tmpfs.
func submountsWritable(m *runtimespec.Mount) bool {
	if !hasOption(m, "rbind") {
		return false
	}
	for i := len(m.Options) - 1; i >= 0; i-- {
		switch m.Options[i] {
		case "rro":
			return false
		case "rrw":
			return true
		}
	}
	return true
}

// propagation returns the propagation a mount's options give it: the last
// of shared, slave, private and unbindable (or their recursive r-forms),
// as runc applies them in order; "" when none is given.
func propagation(m *runtimespec.Mount) string {
	for i := len(m.Options) - 1; i >= 0; i-- {
		switch o := m.Options[i]; o {
		case "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable":
			return o
		}
	}
	return ""
}

// isBind reports whether a mount is a bind mount: type bind, or a bind or
// rbind option (runc and crun read either).
func isBind(m *runtimespec.Mount) bool {
	return m.Type == "bind" || hasOption(m, "bind") || hasOption(m, "rbind")
}

// isSysBind reports whether a mount binds the host's /sys onto the
// container's /sys, which rootless runtimes do in place of a sysfs mount
// (they cannot mount sysfs without their own network namespace).
func isSysBind(m *runtimespec.Mount) bool {
	return isBind(m) && path.Clean(m.Source) == "/sys" && path.Clean(m.Destination) == "/sys"
}

// under reports whether p is dir or a path below it; both are clean.
func under(p, dir string) bool {
	return p == dir || (strings.HasPrefix(p, dir) && (dir == "/" || p[len(dir)] == '/'))
}

// mountPath renders mounts[i].field.
func mountPath(i int, field string) string {
	return hardening.Index("mounts", i) + "." + field
}
