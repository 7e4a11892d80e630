package inspect

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// v1Unlimited is the smallest value a v1 memory limit file shows for "no
// limit": the kernel prints PAGE_COUNTER_MAX pages (9223372036854771712
// with 4 KiB pages), anything from 2^62 up is treated as unlimited.
const v1Unlimited = 1 << 62

// cgroupLine is one line of /proc/<pid>/cgroup.
type cgroupLine struct {
	controllers []string // empty for the cgroup2 line "0::/path"
	path, raw   string
}

// cgroups reads /proc/<pid>/cgroup and the limit files in /sys/fs/cgroup.
func (o *observer) cgroups() {
	obs := o.obs
	name := o.procFile("cgroup")
	file := showProc(name)
	data, err := readFile(o.proc, name)
	if err != nil {
		for _, f := range []string{"linux.resources.memory.limit", "linux.resources.pids.limit", "linux.resources.cpu"} {
			o.unobserved(f, file+" could not be read: "+err.Error())
		}
		return
	}
	var cls []cgroupLine
	obs.Cgroup.Paths = map[string]string{}
	var v1, v2 bool
	for _, line := range lines(data) {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		cl := cgroupLine{path: f[2], raw: line}
		if f[1] != "" {
			cl.controllers = strings.Split(f[1], ",")
			v1 = true
			for _, c := range cl.controllers {
				obs.Cgroup.Paths[c] = f[2]
			}
		} else if f[0] == "0" {
			v2 = true
			obs.Cgroup.Paths[""] = f[2]
		}
		cls = append(cls, cl)
	}
	unifiedMounted := exists(o.sys, "fs/cgroup/unified/cgroup.controllers") ||
		slices.ContainsFunc(obs.Mounts, func(m Mount) bool { return m.FSType == "cgroup2" && m.MountPoint != "/sys/fs/cgroup" })
	switch {
	case v1 && (v2 || unifiedMounted):
		obs.Cgroup.Version = CgroupHybrid
	case v1:
		obs.Cgroup.Version = CgroupV1
	case v2:
		obs.Cgroup.Version = CgroupV2
	}
	o.evidence("linux.resources", file, strings.Join(lines(data), "; "), ConfidenceHigh)

	r := cgroupResolver{o: o, lines: cls}
	r.memory()
	r.pids()
	r.cpu()
}

type cgroupResolver struct {
	o     *observer
	lines []cgroupLine
}

// dir returns the sysfs-relative directory of the process's cgroup for a
// v1 controller (controller != "") or the cgroup2 hierarchy, the directory
// of the hierarchy's mount (where walking up must stop), and the line it
// came from.
func (r cgroupResolver) dir(controller string) (dir, top string, line cgroupLine, ok bool) {
	for _, cl := range r.lines {
		if controller == "" && len(cl.controllers) == 0 || controller != "" && slices.Contains(cl.controllers, controller) {
			line, ok = cl, true
			break
		}
	}
	if !ok {
		return "", "", line, false
	}
	// Find the hierarchy's mount: its root is the part of the process's
	// path hidden above the mount point (a bind of the container's own
	// cgroup, or a cgroup namespace's root).
	for _, m := range r.o.obs.Mounts {
		if controller == "" && m.FSType != "cgroup2" || controller != "" && (m.FSType != "cgroup" || !slices.Contains(m.SuperOptions, controller)) {
			continue
		}
		rel, inside := strings.CutPrefix(line.path, m.Root)
		if m.Root == "/" {
			rel, inside = line.path, true
		}
		if !inside || rel != "" && !strings.HasPrefix(rel, "/") {
			continue
		}
		mp, under := strings.CutPrefix(m.MountPoint, "/sys/")
		if !under {
			continue
		}
		return path.Clean(mp + rel), mp, line, true
	}
	// No mount table entry: assume the usual layout.
	base := "fs/cgroup"
	switch {
	case controller != "":
		base += "/" + controller
	case exists(r.o.sys, "fs/cgroup/unified/cgroup.controllers"):
		base += "/unified"
	}
	return path.Clean(base + line.path), base, line, true
}

// walk reads name in dir and each parent up to top, calling fn with each
// value found, innermost first. It reports whether dir itself exists.
func (r cgroupResolver) walk(dir, top, name string, fn func(file, value string)) (bool, error) {
	if _, err := fs.Stat(r.o.sys, dir); err != nil {
		return false, err
	}
	for d := dir; ; d = path.Dir(d) {
		if v, err := readTrimmed(r.o.sys, d+"/"+name); err == nil {
			fn(showSys(d+"/"+name), v)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return true, err
		}
		if d == top || !strings.HasPrefix(d, top+"/") {
			break
		}
	}
	return true, nil
}

// limit finds the smallest limit in the hierarchy: a parent's limit binds
// the child too.
func (r cgroupResolver) limit(controller, v1File, v2File, field string, parse func(string) (int64, bool)) *int64 {
	o := r.o
	tryV2 := controller == "" || !slices.ContainsFunc(r.lines, func(cl cgroupLine) bool { return slices.Contains(cl.controllers, controller) })
	c, file := controller, v1File
	if tryV2 {
		c, file = "", v2File
	}
	dir, top, line, ok := r.dir(c)
	if !ok {
		o.unobserved(field, "the process is in no "+controller+" cgroup")
		return nil
	}
	var best *int64
	var bestFile, bestLine string
	found, err := r.walk(dir, top, file, func(f, v string) {
		n, limited := parse(v)
		if limited && (best == nil || n < *best) {
			best, bestFile, bestLine = &n, f, v
		}
	})
	if !found || err != nil {
		reason := showSys(dir) + " could not be read"
		if err != nil {
			reason += ": " + err.Error()
		}
		o.unobserved(field, reason+" (cgroup "+line.raw+")")
		return nil
	}
	if best != nil {
		o.evidence(field, bestFile, bestLine, ConfidenceMedium)
		return best
	}
	o.evidence(field, showSys(dir+"/"+file), "no limit from "+showSys(dir)+" up to "+showSys(top), ConfidenceMedium)
	return nil
}

func parseMax(v string) (int64, bool) {
	if v == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

func parseV1Memory(v string) (int64, bool) {
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil && n < v1Unlimited && n >= 0
}

func (r cgroupResolver) memory() {
	parse := parseV1Memory
	if !r.hasV1("memory") {
		parse = parseMax
	}
	r.o.obs.Cgroup.MemoryLimit = r.limit("memory", "memory.limit_in_bytes", "memory.max", "linux.resources.memory.limit", parse)
}

func (r cgroupResolver) pids() {
	r.o.obs.Cgroup.PidsLimit = r.limit("pids", "pids.max", "pids.max", "linux.resources.pids.limit", parseMax)
}

func (r cgroupResolver) hasV1(controller string) bool {
	return slices.ContainsFunc(r.lines, func(cl cgroupLine) bool { return slices.Contains(cl.controllers, controller) })
}

// cpu reads the process's own cgroup's CFS bandwidth and weight.
func (r cgroupResolver) cpu() {
	o, cg := r.o, &r.o.obs.Cgroup
	c := ""
	if r.hasV1("cpu") {
		c = "cpu"
	}
	dir, _, line, ok := r.dir(c)
	if !ok {
		o.unobserved("linux.resources.cpu", "the process is in no cpu cgroup")
		return
	}
	read := func(name string) (string, string, bool) {
		v, err := readTrimmed(o.sys, dir+"/"+name)
		return v, showSys(dir + "/" + name), err == nil
	}
	if c == "cpu" {
		if v, f, ok := read("cpu.cfs_quota_us"); ok {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
				cg.CPUQuota = &n
			}
			o.evidence("linux.resources.cpu.quota", f, v, ConfidenceMedium)
		} else {
			o.unobserved("linux.resources.cpu.quota", f+" could not be read (cgroup "+line.raw+")")
		}
		if v, f, ok := read("cpu.cfs_period_us"); ok {
			if n, err := strconv.ParseUint(v, 10, 64); err == nil && cg.CPUQuota != nil {
				cg.CPUPeriod = &n
			}
			o.evidence("linux.resources.cpu.period", f, v, ConfidenceMedium)
		}
		if v, f, ok := read("cpu.shares"); ok {
			if n, err := strconv.ParseUint(v, 10, 64); err == nil && n != 1024 {
				cg.CPUShares = &n
			}
			o.evidence("linux.resources.cpu.shares", f, v, ConfidenceMedium)
		} else {
			o.unobserved("linux.resources.cpu.shares", f+" could not be read (cgroup "+line.raw+")")
		}
		return
	}
	if v, f, ok := read("cpu.max"); ok {
		q, p, _ := strings.Cut(v, " ")
		if n, err := strconv.ParseInt(q, 10, 64); err == nil {
			cg.CPUQuota = &n
			if pn, err := strconv.ParseUint(p, 10, 64); err == nil {
				cg.CPUPeriod = &pn
			}
		}
		o.evidence("linux.resources.cpu.quota", f, v, ConfidenceMedium)
		o.evidence("linux.resources.cpu.period", f, v, ConfidenceMedium)
	} else {
		// The root cgroup has no cpu.max, and a cgroup without the cpu
		// controller enabled neither: no bandwidth limit either way.
		o.evidence("linux.resources.cpu.quota", f, "no cpu.max: no CPU bandwidth limit", ConfidenceLow)
	}
	if v, f, ok := read("cpu.weight"); ok {
		if n, err := strconv.ParseUint(v, 10, 64); err == nil && n != 100 {
			cg.CPUWeight = &n
		}
		o.evidence("linux.resources.unified[cpu.weight]", f, v, ConfidenceMedium)
	}
}
