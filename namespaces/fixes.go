package namespaces

// The fixes of this package's checks (hardening.Check.Fix):
//
//	hostNetwork, hostPID, hostIPC    a decision: "remove" deletes the field. A CNI
//	                                 plugin, a node exporter or a debugging pod
//	                                 needs the host's namespace; only its authors know
//	hostPath and restricted volumes  left: the data lives on the node or in that
//	                                 volume type, and moving it is the workload's
//	procMount                        set Default
//	readOnlyRootFilesystem           set true, with a note: the program must write
//	                                 only to volumes (emptyDir for /tmp). CIS 5.13 and
//	                                 every hardening guide ask for it, and a program
//	                                 that writes elsewhere fails at once, visibly
//	root.readonly (OCI)              set true, with the same note
//	linux.maskedPaths,
//	linux.readonlyPaths (OCI)        the missing paths appended
//	mounts[i].options (OCI)          nosuid and nodev added to a writable bind or
//	                                 tmpfs mount; ro added to a writable /sys or
//	                                 cgroup mount; an extra proc or sysfs mount is
//	                                 left
//	linux.namespaces (OCI)           the missing pid, ipc, uts, mount and cgroup
//	                                 namespaces appended; a user namespace needs
//	                                 mappings to a host range, which is the host's
//	                                 to give, and joining another namespace is a
//	                                 design decision: both are left
//
// Windows pods are left alone: the API server refuses Linux security
// fields on them.

import (
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/fixes"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// fixHostNamespaces deletes hostNetwork, hostPID or hostIPC when the user
// decides so.
func fixHostNamespaces(_ *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if !fixes.Remove(decision) {
		return nil, "whether the pod may leave the host's namespace is a decision for its authors (a CNI plugin or a node " +
			"exporter needs it); decide " + f.Check + "=remove to delete it"
	}
	return []hardening.Edit{{Path: f.Path, Delete: true, Note: "the pod gets its own namespace: what it reached on the host's is gone"}}, ""
}

// fixVolumes says why volumes are left alone.
func fixVolumes(_ *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	return nil, "the volume's data lives on the node or in that volume type: replace it with an allowed type " +
		"(a PersistentVolumeClaim, emptyDir, configMap, secret) by hand"
}

// fixProcMount sets procMount: Default.
func fixProcMount(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	return []hardening.Edit{{Path: f.Path, Value: "Default"}}, ""
}

// fixWindowsHostProcess says why HostProcess is left alone.
func fixWindowsHostProcess(_ *hardening.Subject, _ *hardening.Finding, _ string) ([]hardening.Edit, string) {
	return nil, "a HostProcess container exists to run on the host: whether it may is a decision for its authors"
}

const readOnlyNote = "the program must write only to volumes: mount an emptyDir (tmpfs in a spec) where it writes (/tmp, caches)"

// fixReadOnlyRoot makes the root filesystem read-only.
func fixReadOnlyRoot(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.Kind == hardening.KindOCISpec {
		return []hardening.Edit{{Path: "root.readonly", Value: true, Note: readOnlyNote}}, ""
	}
	if s.WindowsPod() {
		return nil, "a Windows pod cannot set readOnlyRootFilesystem (the API server refuses it)"
	}
	c, ok := fixes.Container(s, f.Path)
	if !ok {
		return nil, "no container at " + f.Path
	}
	return []hardening.Edit{{Path: s.ContainerPath(c, "securityContext.readOnlyRootFilesystem"), Value: true, Note: readOnlyNote}}, ""
}

// procPathsFix returns the fix appending the paths of want that list (or
// also) does not cover to field.
func procPathsFix(want []ProcPath, masked bool) func(*hardening.Subject, *hardening.Finding, string) ([]hardening.Edit, string) {
	return func(s *hardening.Subject, _ *hardening.Finding, _ string) ([]hardening.Edit, string) {
		spec := s.LinuxSpec()
		if spec == nil {
			return nil, "not a Linux spec"
		}
		var list, also []string
		field := "linux.readonlyPaths"
		if spec.Linux != nil {
			list, also = spec.Linux.ReadonlyPaths, spec.Linux.MaskedPaths
			if masked {
				list, also = spec.Linux.MaskedPaths, nil
			}
		}
		if masked {
			field = "linux.maskedPaths"
		}
		var edits []hardening.Edit
		for _, w := range want {
			if covers(list, w.Path) || covers(also, w.Path) {
				continue
			}
			edits = append(edits, hardening.Edit{Path: hardening.Index(field, len(list)+len(edits)), Value: w.Path})
		}
		if len(edits) == 0 {
			return nil, "every path is listed"
		}
		return edits, ""
	}
}

// fixNamespaceMissing appends the namespaces the spec lacks.
func fixNamespaceMissing(s *hardening.Subject, _ *hardening.Finding, _ string) ([]hardening.Edit, string) {
	spec := s.LinuxSpec()
	if spec == nil {
		return nil, "not a Linux spec"
	}
	n := 0
	if spec.Linux != nil {
		n = len(spec.Linux.Namespaces)
	}
	var edits []hardening.Edit
	for _, r := range requiredNamespaces {
		if _, ok := hasNamespace(spec, r.typ); ok {
			continue
		}
		edits = append(edits, hardening.Edit{
			Path:  hardening.Index("linux.namespaces", n+len(edits)),
			Value: runtimespec.LinuxNamespace{Type: r.typ},
		})
	}
	if len(edits) == 0 {
		return nil, "every required namespace is there"
	}
	return edits, ""
}

// fixUserNamespace says why a user namespace is left to the host.
func fixUserNamespace(_ *hardening.Subject, _ *hardening.Finding, _ string) ([]hardening.Edit, string) {
	return nil, "a user namespace needs uid and gid mappings to a host range the runtime owns (dockerd --userns-remap, " +
		"podman --userns=auto): add them by hand, or run the process as a non-root uid (capabilities.runs-as-root's fix)"
}

// fixNamespaceJoined says why a joined namespace is left.
func fixNamespaceJoined(_ *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	return nil, "joining " + strconv.Quote(f.Path) + " is how the container shares a namespace by design: remove the path by hand if it need not"
}

// mountIndex returns the mount a "mounts[i].…" path names.
func mountIndex(s *hardening.Subject, path string) (*runtimespec.Mount, int, bool) {
	spec := s.LinuxSpec()
	rest, ok := strings.CutPrefix(path, "mounts[")
	if !ok || spec == nil {
		return nil, 0, false
	}
	n, err := strconv.Atoi(rest[:max(strings.IndexByte(rest, ']'), 0)])
	if err != nil || n < 0 || n >= len(spec.Mounts) {
		return nil, 0, false
	}
	return &spec.Mounts[n], n, true
}

// fixMountOptions adds nosuid and nodev to a writable mount's options.
func fixMountOptions(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	m, i, ok := mountIndex(s, f.Path)
	if !ok {
		return nil, "no mount at " + f.Path
	}
	options := append([]string(nil), m.Options...)
	if !hasOption(m, "nosuid") {
		options = append(options, "nosuid")
	}
	if !hasOption(m, "nodev") && !(m.Type == "tmpfs" && path.Clean(m.Destination) == "/dev") {
		options = append(options, "nodev")
	}
	return []hardening.Edit{{Path: mountPath(i, "options"), Value: options,
		Note: "setuid binaries and device nodes in " + strconv.Quote(m.Destination) + " no longer work"}}, ""
}

// fixProcSysMount makes a writable sysfs or cgroup mount read-only; an
// extra proc or sysfs mount, or a mount over /proc, is the workload's
// design and is left.
func fixProcSysMount(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	m, i, ok := mountIndex(s, f.Path)
	if !ok {
		return nil, "no mount at " + f.Path
	}
	if !strings.HasSuffix(f.Path, ".options") {
		return nil, "the mount at " + strconv.Quote(m.Destination) + " is part of how the container was built: remove it by hand if it need not be there"
	}
	return []hardening.Edit{{Path: mountPath(i, "options"), Value: append(append([]string(nil), m.Options...), "ro"),
		Note: strconv.Quote(m.Destination) + " becomes read-only"}}, ""
}
