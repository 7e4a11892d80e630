package inspect

import (
	"fmt"
	"strconv"
	"strings"
)

// status reads /proc/<pid>/status: capabilities, no_new_privs, seccomp,
// credentials, groups and umask.
func (o *observer) status() error {
	name := o.procFile("status")
	data, err := readFile(o.proc, name)
	if err != nil {
		return err
	}
	file := showProc(name)
	obs := o.obs
	seen := map[string]bool{}
	for _, line := range lines(data) {
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		val = strings.TrimSpace(val)
		var perr error
		switch key {
		case "Pid":
			obs.PID, perr = strconv.Atoi(val)
		case "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb":
			var mask uint64
			if mask, perr = strconv.ParseUint(val, 16, 64); perr == nil {
				*capSet(&obs.Capabilities, key) = mask
				o.evidence("process.capabilities."+capFields[key], file, line, ConfidenceHigh)
			}
		case "NoNewPrivs":
			obs.NoNewPrivs = val == "1"
			o.evidence("process.noNewPrivileges", file, line, ConfidenceHigh)
		case "Seccomp":
			obs.Seccomp, perr = strconv.Atoi(val)
			if perr == nil {
				o.evidence("linux.seccomp", file, line, ConfidenceHigh)
			}
		case "Seccomp_filters":
			obs.SeccompFilters, perr = strconv.Atoi(val)
		case "Uid", "Gid":
			ids := &obs.UID
			field := "process.user.uid"
			if key == "Gid" {
				ids, field = &obs.GID, "process.user.gid"
			}
			f := strings.Fields(val)
			if len(f) != 4 {
				perr = fmt.Errorf("want 4 ids, got %d", len(f))
				break
			}
			for i := range f {
				var v uint64
				if v, perr = strconv.ParseUint(f[i], 10, 32); perr != nil {
					break
				}
				ids[i] = uint32(v)
			}
			if perr == nil {
				o.evidence(field, file, line, ConfidenceHigh)
			}
		case "Groups":
			obs.Groups = []uint32{}
			for _, g := range strings.Fields(val) {
				var v uint64
				if v, perr = strconv.ParseUint(g, 10, 32); perr != nil {
					break
				}
				obs.Groups = append(obs.Groups, uint32(v))
			}
			if perr == nil {
				o.evidence("process.user.additionalGids", file, line, ConfidenceHigh)
			}
		case "Umask":
			var v uint64
			if v, perr = strconv.ParseUint(val, 8, 32); perr == nil {
				u := uint32(v)
				obs.Umask = &u
				o.evidence("process.user.umask", file, line, ConfidenceHigh)
			}
		default:
			continue
		}
		if perr != nil {
			o.warn("%s: %q: %v", file, line, perr)
			continue
		}
		seen[key] = true
	}
	if !seen["CapEff"] {
		return fmt.Errorf("%s: no CapEff line: not a process status file", file)
	}
	for key, field := range map[string]string{
		"CapInh": "process.capabilities.inheritable", "CapPrm": "process.capabilities.permitted",
		"CapBnd": "process.capabilities.bounding", "CapAmb": "process.capabilities.ambient",
		"NoNewPrivs": "process.noNewPrivileges", "Seccomp": "linux.seccomp",
		"Uid": "process.user.uid", "Gid": "process.user.gid", "Groups": "process.user.additionalGids",
		"Umask": "process.user.umask",
	} {
		if !seen[key] {
			o.unobserved(field, file+" has no "+key+" line (kernel too old, or not readable)")
		}
	}
	return nil
}

// capFields maps the status lines to the OCI capability sets.
var capFields = map[string]string{
	"CapInh": "inheritable", "CapPrm": "permitted", "CapEff": "effective", "CapBnd": "bounding", "CapAmb": "ambient",
}

func capSet(c *Capabilities, key string) *uint64 {
	switch key {
	case "CapInh":
		return &c.Inheritable
	case "CapPrm":
		return &c.Permitted
	case "CapBnd":
		return &c.Bounding
	case "CapAmb":
		return &c.Ambient
	}
	return &c.Effective
}

// capLastCap reads the kernel's highest capability number, which bounds
// the sets: a fixed 41-bit mask would be wrong on older and newer kernels.
func (o *observer) capLastCap() {
	c := &o.obs.Capabilities
	c.LastCap = -1
	const name = "sys/kernel/cap_last_cap"
	if v, err := readTrimmed(o.proc, name); err == nil {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n < 64 {
			c.LastCap = n
			o.evidence("process.capabilities", showProc(name), v, ConfidenceHigh)
			return
		}
	}
	if o.defaultFS {
		if n, ok := probeLastCap(); ok {
			c.LastCap = n
			o.evidence("process.capabilities", "prctl(PR_CAPBSET_READ)", "last capability "+strconv.Itoa(n), ConfidenceHigh)
			return
		}
	}
	o.warn("%s unreadable: capability sets decoded over all 64 bits", showProc(name))
}
