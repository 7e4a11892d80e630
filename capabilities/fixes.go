package capabilities

// The fixes of this package's checks (hardening.Check.Fix). What each one
// does, and what it leaves to a decision:
//
//	allowPrivilegeEscalation   set false; left when the container is privileged or
//	                           adds CAP_SYS_ADMIN (the API server rejects the pair)
//	noNewPrivileges (OCI)      set true
//	capabilities.drop          ALL appended; added capabilities are left alone
//	capabilities.add[i]        decision "remove" deletes it: only the workload's
//	                           authors know whether the program needs it
//	runAsNonRoot               set true, with runAsUser 65532 where nothing shows
//	                           the container runs as a numeric non-zero uid (the
//	                           kubelet refuses runAsNonRoot otherwise)
//	runAsUser: 0               set 65532
//	privileged (Pod)           decision "remove" deletes privileged: true
//	OCI capability sets        a dangerous capability is removed from every set; a
//	                           privileged set becomes the runtime default set less
//	                           NET_RAW and MKNOD
//	process.user.uid (OCI)     65532 (and gid 65532 when it is 0), when a user
//	                           namespace maps it
//
// Windows pods are left alone: the API server refuses Linux security
// fields on them.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/fixes"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

var defaultUID = int64(hardening.FixDefaultUID)

// uidNote is the note of every edit that sets the default uid.
var uidNote = "runs the container as uid " + strconv.Itoa(hardening.FixDefaultUID) +
	" (distroless' nonroot): the files it reads and writes must allow that uid; set the image's own uid instead if it has one"

// fixPrivilegeEscalation sets allowPrivilegeEscalation: false, or
// process.noNewPrivileges: true.
func fixPrivilegeEscalation(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.Kind == hardening.KindOCISpec {
		return []hardening.Edit{{Path: "process.noNewPrivileges", Value: true}}, ""
	}
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	c, ok := fixes.Container(s, f.Path)
	if !ok {
		return nil, "no container at " + f.Path
	}
	switch {
	case fixes.Privileged(c):
		return nil, "container " + strconv.Quote(c.Name) + " is privileged: the API server rejects allowPrivilegeEscalation: false beside privileged: true; remove privileged first (decide capabilities.privileged=remove)"
	case fixes.AddsSysAdminExactly(c):
		return nil, "container " + strconv.Quote(c.Name) + " adds CAP_SYS_ADMIN: the API server rejects allowPrivilegeEscalation: false beside it; remove the capability first"
	}
	return []hardening.Edit{{Path: s.ContainerPath(c, "securityContext.allowPrivilegeEscalation"), Value: false}}, ""
}

// fixDropAll sets capabilities.drop: [ALL].
func fixDropAll(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	c, ok := fixes.Container(s, f.Path)
	if !ok {
		return nil, "no container at " + f.Path
	}
	if strings.Contains(f.Path, ".capabilities.add[") {
		return fixAdded(s, f, decision)
	}
	// ALL is appended: what the list names already stays, with its
	// comments.
	var drop []string
	if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
		drop = capStrings(sc.Capabilities.Drop)
	}
	return []hardening.Edit{{
		Path:  s.ContainerPath(c, "securityContext.capabilities.drop"),
		Value: append(drop, "ALL"),
		Note:  "the container keeps only the capabilities it adds: add back what the program needs (the restricted level allows NET_BIND_SERVICE)",
	}}, ""
}

// fixAdded deletes an added capability when the user decides so.
func fixAdded(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	c, ok := fixes.Container(s, f.Path)
	if !ok {
		return nil, "no container at " + f.Path
	}
	name := "the capability"
	if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
		i := strings.LastIndex(f.Path, "[")
		if n, err := strconv.Atoi(strings.TrimSuffix(f.Path[i+1:], "]")); err == nil && n < len(sc.Capabilities.Add) {
			name = string(sc.Capabilities.Add[n])
		}
	}
	if !fixes.Remove(decision) {
		return nil, "container " + strconv.Quote(c.Name) + " adds " + name + ": whether the program needs it is a decision for its authors; decide " + f.Check + "=remove to delete it"
	}
	return []hardening.Edit{{Path: f.Path, Delete: true, Note: "removes " + name + ", which the program may need"}}, ""
}

// fixRunAsNonRoot sets runAsNonRoot: true where the finding is (the pod
// or a container), and a non-zero runAsUser for each container that would
// otherwise run as root or as a user the kubelet cannot verify.
func fixRunAsNonRoot(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.Pod == nil {
		return nil, "not a Pod"
	}
	if s.WindowsPod() {
		return nil, "a Windows pod runs as windowsOptions.runAsUserName, which the kubelet checks against runAsNonRoot: set both by hand"
	}
	edits := []hardening.Edit{{Path: f.Path, Value: true}}
	podLevel := f.Path == s.SpecPath("securityContext.runAsNonRoot")
	for c := range s.Containers {
		if !podLevel && s.ContainerPath(c, "securityContext.runAsNonRoot") != f.Path {
			continue
		}
		if !podLevel || c.SecurityContext == nil || c.SecurityContext.RunAsNonRoot == nil || *c.SecurityContext.RunAsNonRoot {
			if e, ok := verifiableUID(s, c); !ok {
				edits = append(edits, e)
			}
		}
	}
	return edits, ""
}

// verifiableUID reports whether the kubelet can verify c runs as non-root:
// its runAsUser (its own or the pod's) is non-zero, or, without one, its
// image's USER is a non-zero number. If not, it returns the edit setting
// the container's runAsUser.
func verifiableUID(s *hardening.Subject, c hardening.PodContainer) (hardening.Edit, bool) {
	u := userOf(s, c)
	switch {
	case u.UID != nil && *u.UID != 0:
		return hardening.Edit{}, true
	case u.UID == nil && u.Image != nil:
		if uid, ok := parseImageUser(u.Image).UID(); ok && uid != 0 {
			return hardening.Edit{}, true
		}
	}
	return hardening.Edit{Path: s.ContainerPath(c, "securityContext.runAsUser"), Value: defaultUID, Note: uidNote}, false
}

// fixRunAsUser replaces runAsUser: 0 (or sets runAsUser where the image
// runs as root).
func fixRunAsUser(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	switch s.Kind {
	case hardening.KindOCISpec:
		return fixOCIUser(s)
	case hardening.KindImage:
		return nil, "the image's USER is set when it is built: USER " + strconv.Itoa(hardening.FixDefaultUID) + " in its Dockerfile"
	}
	if s.Pod == nil {
		return nil, "not a Pod"
	}
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	if !strings.HasSuffix(f.Path, ".runAsUser") {
		return nil, "no runAsUser at " + f.Path
	}
	return []hardening.Edit{{Path: f.Path, Value: defaultUID, Note: uidNote}}, ""
}

// fixOCIUser runs an OCI spec's process as the default uid, when the
// spec's user namespace (if any) maps it.
func fixOCIUser(s *hardening.Subject) ([]hardening.Edit, string) {
	spec := s.Spec
	if spec == nil || spec.Process == nil {
		return nil, "the spec has no process"
	}
	uid := uint32(hardening.FixDefaultUID)
	if spec.Linux != nil {
		for _, ns := range spec.Linux.Namespaces {
			if ns.Type != runtimespec.UserNamespace {
				continue
			}
			if !mapped(spec.Linux.UIDMappings, uid) || !mapped(spec.Linux.GIDMappings, uid) {
				return nil, "the spec's user namespace does not map uid and gid " + strconv.Itoa(int(uid)) +
					" (a rootless runtime maps only the invoking user): widen its mappings, or keep root, which the namespace already confines"
			}
		}
	}
	edits := []hardening.Edit{{Path: "process.user.uid", Value: uid, Note: uidNote}}
	if spec.Process.User.GID == 0 {
		edits = append(edits, hardening.Edit{Path: "process.user.gid", Value: uid, Note: "the process's group was root's"})
	}
	return edits, ""
}

func mapped(ms []runtimespec.LinuxIDMapping, id uint32) bool {
	for _, m := range ms {
		if id >= m.ContainerID && uint64(id) < uint64(m.ContainerID)+uint64(m.Size) {
			return true
		}
	}
	return false
}

// fixPrivileged removes privileged: true when the user decides so; for an
// OCI spec it sets the capability sets to the runtime default.
func fixPrivileged(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if s.Kind == hardening.KindOCISpec {
		return ociDefaultSets(s), ""
	}
	if !fixes.Remove(decision) {
		return nil, "whether the container must be privileged (a CNI plugin, a storage driver) is a decision for its authors; decide capabilities.privileged=remove to delete privileged: true"
	}
	return []hardening.Edit{{Path: f.Path, Delete: true, Note: "the container loses every capability it does not add, the host's devices and its unconfined seccomp and AppArmor"}}, ""
}

// ociSafeDefault is Docker's default set less NET_RAW and MKNOD: what a
// fixed spec keeps.
var ociSafeDefault = DockerDefault &^ (Set(1)<<NetRaw | Set(1)<<Mknod)

// ociDefaultSets sets the bounding, effective and permitted sets to
// ociSafeDefault and empties the inheritable and ambient ones.
func ociDefaultSets(s *hardening.Subject) []hardening.Edit {
	var names []string
	for _, c := range ociSafeDefault.Capabilities() {
		names = append(names, c.OCIName())
	}
	note := "the process keeps Docker's default capabilities less NET_RAW and MKNOD: add back what the program needs"
	return []hardening.Edit{
		{Path: "process.capabilities.bounding", Value: names, Note: note},
		{Path: "process.capabilities.effective", Value: names},
		{Path: "process.capabilities.permitted", Value: names},
		{Path: "process.capabilities.inheritable", Value: []string{}},
		{Path: "process.capabilities.ambient", Value: []string{}},
	}
}

// fixDangerous removes an added capability from a Pod container when the
// user decides so; from an OCI spec it removes the capability from every
// set.
func fixDangerous(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if s.Kind != hardening.KindOCISpec {
		return fixAdded(s, f, decision)
	}
	if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
		return nil, "the spec has no capabilities"
	}
	field, index, ok := capIndex(f.Path)
	if !ok {
		return nil, "no capability at " + f.Path
	}
	var name string
	sets := ocispec.CapSets(s.Spec.Process.Capabilities)
	for _, set := range sets {
		if set.Field == field && index < len(set.Names) {
			name = set.Names[index]
		}
	}
	target, ok := Parse(name)
	if !ok {
		return nil, "no capability at " + f.Path
	}
	var edits []hardening.Edit
	for _, set := range sets {
		for i, n := range set.Names {
			if c, ok := Parse(n); ok && c == target {
				edits = append(edits, hardening.Edit{Path: hardening.Index("process.capabilities."+set.Field, i), Delete: true})
			}
		}
	}
	edits[0].Note = "removes " + target.OCIName() + " from every set: add it back if the program needs it"
	return edits, ""
}

// capIndex splits "process.capabilities.bounding[3]".
func capIndex(path string) (field string, index int, ok bool) {
	rest, found := strings.CutPrefix(path, "process.capabilities.")
	if !found {
		return "", 0, false
	}
	field, idx, found := strings.Cut(rest, "[")
	if !found {
		return "", 0, false
	}
	n, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
	return field, n, err == nil
}

// fixInheritableAmbient empties the inheritable or ambient set.
func fixInheritableAmbient(_ *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	switch f.Path {
	case "process.capabilities.inheritable", "process.capabilities.ambient":
		return []hardening.Edit{{Path: f.Path, Value: []string{}}}, ""
	}
	return nil, "no capability set at " + f.Path
}

// fixNetRaw adds NET_RAW to a container's drop list.
func fixNetRaw(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	c, ok := fixes.Container(s, f.Path)
	if !ok {
		return nil, "no container at " + f.Path
	}
	var drop []string
	if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
		drop = capStrings(sc.Capabilities.Drop)
	}
	return []hardening.Edit{{Path: s.ContainerPath(c, "securityContext.capabilities.drop"), Value: append(drop, "NET_RAW")}}, ""
}

// fixNonRootUnverifiable sets runAsUser where the image's USER cannot be
// verified.
func fixNonRootUnverifiable(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	return []hardening.Edit{{Path: f.Path, Value: defaultUID, Note: uidNote}}, ""
}
