package inspect

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// nsKinds lists the namespace files of /proc/<pid>/ns, their OCI types and
// the fixed inode number the kernel gives the initial namespace of that
// type (include/linux/proc_ns.h; include/uapi/linux/nsfs.h since the
// mount and network numbers were added). 0 means no fixed number on older
// kernels: see dynamicFirst.
var nsKinds = []struct {
	file, oci string
	initIno   uint64
	always    bool // the fixed number predates every kernel we support
}{
	{"pid", "pid", 0xEFFFFFFC, true}, // first: mount and network are compared with /proc/1 only in the host's
	{"cgroup", "cgroup", 0xEFFFFFFB, true},
	{"ipc", "ipc", 0xEFFFFFFF, true},
	{"mnt", "mount", 0xEFFFFFF8, false},
	{"net", "network", 0xEFFFFFF9, false},
	{"time", "time", 0xEFFFFFFA, true},
	{"user", "user", 0xEFFFFFFD, true},
	{"uts", "uts", 0xEFFFFFFE, true},
}

// dynamicFirst is PROC_DYNAMIC_FIRST: every namespace created after boot
// gets an inode at or above it; fixed initial-namespace inodes sit below.
const dynamicFirst = 0xF0000000

// readNSInode reads the inode number of a namespace link ("pid:[4026531836]").
func readNSInode(fsys fs.FS, name string) (uint64, string, error) {
	target, err := fs.ReadLink(fsys, name)
	if err != nil {
		return 0, "", err
	}
	_, rest, ok := strings.Cut(target, ":[")
	if !ok || !strings.HasSuffix(rest, "]") {
		return 0, target, fmt.Errorf("unexpected namespace link %q", target)
	}
	ino, err := strconv.ParseUint(strings.TrimSuffix(rest, "]"), 10, 64)
	return ino, target, err
}

// kernelAtLeast reports whether /proc/sys/kernel/osrelease names a kernel
// at or above major.minor; ok is false when it cannot be read.
func (o *observer) kernelAtLeast(major, minor int) (at bool, release string, ok bool) {
	release, err := readTrimmed(o.proc, "sys/kernel/osrelease")
	if err != nil {
		return false, "", false
	}
	f := strings.FieldsFunc(release, func(r rune) bool { return r < '0' || r > '9' })
	if len(f) < 2 {
		return false, release, false
	}
	ma, err1 := strconv.Atoi(f[0])
	mi, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return false, release, false
	}
	return ma > major || ma == major && mi >= minor, release, true
}

// namespaces decides, for every namespace type, whether the process shares
// the host's initial namespace.
func (o *observer) namespaces() {
	obs := o.obs
	hostPID := false
	for _, k := range nsKinds {
		name := o.procFile("ns/" + k.file)
		field := "linux.namespaces[" + k.oci + "]"
		ino, target, err := readNSInode(o.proc, name)
		if errors.Is(err, fs.ErrNotExist) {
			// The kernel lacks this namespace type (time before 5.6):
			// there is nothing to share or isolate.
			continue
		}
		ns := Namespace{Type: k.oci, Inode: ino}
		if err != nil {
			ns.Basis = "unreadable: " + err.Error()
			obs.Namespaces = append(obs.Namespaces, ns)
			o.unobserved(field, showProc(name)+" could not be read: "+err.Error())
			continue
		}
		conf := ConfidenceHigh
		switch {
		case ino < dynamicFirst:
			ns.Host, ns.Basis = Yes, fmt.Sprintf("inode %#x is below the dynamic range (%#x): the kernel's fixed initial-namespace inode", ino, dynamicFirst)
		case k.always:
			ns.Host, ns.Basis = No, fmt.Sprintf("inode %#x differs from the initial %s namespace's fixed inode %#x", ino, k.file, k.initIno)
		default:
			ns.Host, ns.Basis, conf = o.compareDynamic(k.file, ino, hostPID)
		}
		if k.oci == "pid" {
			hostPID = ns.Host == Yes
		}
		obs.Namespaces = append(obs.Namespaces, ns)
		if ns.Host == Unknown {
			o.unobserved(field, "whether the "+k.oci+" namespace is the host's: "+ns.Basis)
			continue
		}
		o.evidence(field, showProc(name), target, conf)
	}
}

// compareDynamic decides for a mount or network namespace whose inode is
// dynamic. Kernels before 6.18 gave the initial mount and network
// namespaces dynamic inodes too, so the number alone says nothing there.
func (o *observer) compareDynamic(file string, ino uint64, hostPID bool) (Tristate, string, Confidence) {
	// In the host's PID namespace, /proc/1 is the host's init: compare.
	if hostPID {
		if o.obs.PID == 1 {
			return Yes, "the process is the host's init", ConfidenceHigh
		}
		if ino1, _, err := readNSInode(o.proc, "1/ns/"+file); err == nil {
			if ino1 == ino {
				return Yes, fmt.Sprintf("inode %d equals /proc/1/ns/%s (the host's init)", ino, file), ConfidenceHigh
			}
			return No, fmt.Sprintf("inode %d differs from /proc/1/ns/%s (%d, the host's init)", ino, file, ino1), ConfidenceHigh
		}
	}
	if at, release, ok := o.kernelAtLeast(6, 18); ok && at {
		return No, fmt.Sprintf("inode %#x is dynamic, and kernel %s gives the initial %s namespace the fixed inode %#x", ino, release, file, map[string]uint64{"mnt": 0xEFFFFFF8, "net": 0xEFFFFFF9}[file]), ConfidenceMedium
	}
	return Unknown, "the kernel gives the initial " + file + " namespace no fixed inode before 6.18, and /proc/1/ns/" + file + " is not the host's init's or is unreadable", 0
}

// idMaps reads uid_map and gid_map and decides whether uid 0 is host root.
func (o *observer) idMaps() {
	obs := o.obs
	userHost := Unknown
	for _, ns := range obs.Namespaces {
		if ns.Type == "user" {
			userHost = ns.Host
		}
	}
	for _, m := range []struct {
		file, field string
		out         *[]IDMap
	}{
		{"uid_map", "linux.uidMappings", &obs.UIDMap},
		{"gid_map", "linux.gidMappings", &obs.GIDMap},
	} {
		name := o.procFile(m.file)
		data, err := readFile(o.proc, name)
		if err != nil {
			o.unobserved(m.field, showProc(name)+" could not be read: "+err.Error())
			continue
		}
		*m.out = []IDMap{}
		for _, line := range lines(data) {
			f := strings.Fields(line)
			if len(f) != 3 {
				continue
			}
			var v [3]uint64
			var perr error
			for i := range f {
				if v[i], perr = strconv.ParseUint(f[i], 10, 32); perr != nil {
					break
				}
			}
			if perr != nil {
				o.warn("%s: %q: %v", showProc(name), line, perr)
				continue
			}
			*m.out = append(*m.out, IDMap{ContainerID: uint32(v[0]), HostID: uint32(v[1]), Size: uint32(v[2])})
		}
		o.evidence(m.field, showProc(name), strings.Join(lines(data), "; "), ConfidenceHigh)
	}
	identity := len(obs.UIDMap) == 1 && obs.UIDMap[0] == IDMap{0, 0, 4294967295}
	switch {
	case userHost == Yes || userHost == Unknown && identity:
		obs.HostRoot = Yes
	case obs.UIDMap != nil:
		obs.HostRoot = No
		for _, m := range obs.UIDMap {
			if m.ContainerID == 0 && m.HostID == 0 && m.Size > 0 {
				obs.HostRoot = Yes
			}
		}
	}
}
