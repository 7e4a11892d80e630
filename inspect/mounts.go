package inspect

import (
	"path"
	"slices"
	"strconv"
	"strings"
)

// parseMountinfo parses /proc/<pid>/mountinfo (proc(5)): "36 35 98:0
// /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".
func parseMountinfo(data []byte) ([]Mount, []string) {
	var out []Mount
	var bad []string
	for _, line := range lines(data) {
		pre, post, ok := strings.Cut(line, " - ")
		f := strings.Fields(pre)
		g := strings.Fields(post)
		if !ok || len(f) < 6 || len(g) < 2 {
			if strings.TrimSpace(line) != "" {
				bad = append(bad, line)
			}
			continue
		}
		id, err1 := strconv.Atoi(f[0])
		parent, err2 := strconv.Atoi(f[1])
		if err1 != nil || err2 != nil {
			bad = append(bad, line)
			continue
		}
		m := Mount{
			ID: id, Parent: parent, Device: f[2],
			Root: unescapeMount(f[3]), MountPoint: unescapeMount(f[4]),
			Options: strings.Split(f[5], ","),
			FSType:  g[0], Source: unescapeMount(g[1]),
			Line: line,
		}
		if len(g) > 2 {
			m.SuperOptions = strings.Split(g[2], ",")
		}
		var prop []string
		for _, opt := range f[6:] {
			switch {
			case strings.HasPrefix(opt, "shared:"):
				prop = append(prop, "shared")
			case strings.HasPrefix(opt, "master:"):
				prop = append(prop, "slave")
			case opt == "unbindable":
				prop = append(prop, "unbindable")
			}
		}
		m.Propagation = "private"
		if len(prop) > 0 {
			m.Propagation = strings.Join(prop, ",")
		}
		out = append(out, m)
	}
	return out, bad
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// blockFS are filesystems backed by a disk: a mount of one of them, other
// than the root filesystem, is a bind mount of host storage.
var blockFS = map[string]bool{
	"ext2": true, "ext3": true, "ext4": true, "xfs": true, "btrfs": true, "zfs": true,
	"f2fs": true, "jfs": true, "reiserfs": true, "vfat": true, "exfat": true, "ntfs": true, "ntfs3": true,
}

// runtimeSockets are the API sockets of container engines.
var runtimeSockets = []string{
	"docker.sock", "containerd.sock", "crio.sock", "podman.sock", "dockershim.sock", "cri-dockerd.sock", "frakti.sock", "rktlet.sock",
}

// underProcOrSys reports whether p is inside /proc or /sys.
func underProcOrSys(p string) bool {
	return strings.HasPrefix(p, "/proc/") || strings.HasPrefix(p, "/sys/")
}

// mounts reads the mount table and derives what runtimes configure through
// it: a read-only root, masked and read-only paths, host bind mounts and
// runtime sockets, propagation, and whether /proc/sys and /sys are writable.
func (o *observer) mounts() {
	obs := o.obs
	name := o.procFile("mountinfo")
	file := showProc(name)
	data, err := readFile(o.proc, name)
	if err != nil {
		for _, f := range []string{"root.readonly", "mounts", "linux.maskedPaths", "linux.readonlyPaths", "linux.rootfsPropagation"} {
			o.unobserved(f, file+" could not be read: "+err.Error())
		}
		return
	}
	all, bad := parseMountinfo(data)
	for _, l := range bad {
		o.warn("%s: unparsable line %q", file, l)
	}
	// Only the topmost mount at each mount point is visible.
	top := map[string]int{}
	for i, m := range all {
		top[m.MountPoint] = i
	}
	visible := all[:0:0]
	for i, m := range all {
		if top[m.MountPoint] == i {
			visible = append(visible, m)
		}
	}
	obs.Mounts = visible
	obs.MaskedPaths, obs.ReadonlyPaths = []string{}, []string{}
	obs.HostMounts, obs.RuntimeSockets = []Mount{}, []Mount{}
	hasChild := func(m Mount) bool {
		return slices.ContainsFunc(visible, func(c Mount) bool { return c.Parent == m.ID && c.ID != m.ID })
	}
	var rootDevice string
	for _, m := range visible {
		if m.MountPoint == "/" {
			rootDevice = m.Device
		}
	}
	obs.ProcSysWritable, obs.SysWritable = false, false
	procSysMount, sysMount := "", ""
	for _, m := range visible {
		switch {
		case m.MountPoint == "/":
			obs.RootReadonly = m.ReadOnly()
			obs.RootPropagation = m.Propagation
			o.evidence("root.readonly", file, m.Line, ConfidenceHigh)
			o.evidence("linux.rootfsPropagation", file, m.Line, ConfidenceHigh)
		case isMask(m, hasChild(m)):
			obs.MaskedPaths = append(obs.MaskedPaths, m.MountPoint)
			o.evidence("linux.maskedPaths["+m.MountPoint+"]", file, m.Line, ConfidenceMedium)
		case underProcOrSys(m.MountPoint) && (m.FSType == "proc" || m.FSType == "sysfs") && m.ReadOnly() &&
			strings.HasSuffix(m.MountPoint, m.Root) && m.Root != "/":
			// A proc or sysfs directory bound over itself read-only.
			obs.ReadonlyPaths = append(obs.ReadonlyPaths, m.MountPoint)
			o.evidence("linux.readonlyPaths["+m.MountPoint+"]", file, m.Line, ConfidenceMedium)
		}
		if slices.Contains(runtimeSockets, path.Base(m.MountPoint)) || slices.Contains(runtimeSockets, path.Base(m.Root)) {
			obs.RuntimeSockets = append(obs.RuntimeSockets, m)
			o.evidence("mounts["+m.MountPoint+"]", file, m.Line, ConfidenceHigh)
		} else if m.MountPoint != "/" && blockFS[m.FSType] {
			obs.HostMounts = append(obs.HostMounts, m)
			conf := ConfidenceMedium
			if m.Device == rootDevice {
				conf = ConfidenceHigh // the same disk as the root: certainly the host's
			}
			o.evidence("mounts["+m.MountPoint+"]", file, m.Line, conf)
		}
		// The deepest mount covering /proc/sys and /sys decides writability.
		if covers(m.MountPoint, "/proc/sys") && len(m.MountPoint) > len(procSysMount) {
			procSysMount = m.MountPoint
			obs.ProcSysWritable = !m.ReadOnly() && !slices.Contains(m.SuperOptions, "ro")
		}
		if covers(m.MountPoint, "/sys") && len(m.MountPoint) > len(sysMount) {
			sysMount = m.MountPoint
			obs.SysWritable = !m.ReadOnly() && !slices.Contains(m.SuperOptions, "ro")
		}
	}
	o.evidence("mounts", file, strconv.Itoa(len(visible))+" visible mounts", ConfidenceHigh)
}

// covers reports whether a mount at mp covers path p.
func covers(mp, p string) bool {
	return mp == p || mp == "/" || strings.HasPrefix(p, mp+"/")
}

// isMask reports whether a mount hides a path the way runtimes implement
// linux.maskedPaths: a bind of the null device over a file, or a read-only
// tmpfs with nothing mounted beneath over a directory of /proc or /sys.
func isMask(m Mount, hasChild bool) bool {
	if m.MountPoint == "/dev/null" {
		return false
	}
	if m.Root == "/null" || strings.HasSuffix(m.Root, "/null") && (m.FSType == "devtmpfs" || m.FSType == "tmpfs") {
		return true
	}
	return m.FSType == "tmpfs" && m.ReadOnly() && !hasChild && underProcOrSys(m.MountPoint) &&
		m.MountPoint != "/sys/fs/cgroup"
}
