package namespaces

// Helpers shared by the checks that read OCI runtime specs. None of them
// allocates: paths are cleaned with path.Clean, which returns its argument
// unchanged when it is already clean.

import (
	"path"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
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

// The mount readers below read a mount's options as internal/ocispec
// reads them for every package.

// hasOption reports whether a mount's options hold o.
func hasOption(m *runtimespec.Mount, o string) bool { return ocispec.HasOption(m.Options, o) }

// readOnly reports whether a mount is read-only at its top: "ro" and "rw",
// overridden by the recursive "rro" and "rrw".
func readOnly(m *runtimespec.Mount) bool { return ocispec.ReadOnly(m.Options) }

// submountsWritable reports whether an rbind mount leaves the host's
// submounts below its source writable: only "rro" reaches them.
func submountsWritable(m *runtimespec.Mount) bool { return ocispec.SubmountsWritable(m.Options) }

// propagation returns the last propagation option of a mount, or "".
func propagation(m *runtimespec.Mount) string { return ocispec.Propagation(m.Options) }

// isBind reports whether a mount is a bind mount.
func isBind(m *runtimespec.Mount) bool { return ocispec.IsBind(m) }

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
