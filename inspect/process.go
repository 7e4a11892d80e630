package inspect

import (
	"strconv"
	"strings"
)

// rlimitNames maps the rows of /proc/<pid>/limits to OCI rlimit types.
var rlimitNames = []struct{ row, oci string }{
	{"Max cpu time", "RLIMIT_CPU"},
	{"Max file size", "RLIMIT_FSIZE"},
	{"Max data size", "RLIMIT_DATA"},
	{"Max stack size", "RLIMIT_STACK"},
	{"Max core file size", "RLIMIT_CORE"},
	{"Max resident set", "RLIMIT_RSS"},
	{"Max processes", "RLIMIT_NPROC"},
	{"Max open files", "RLIMIT_NOFILE"},
	{"Max locked memory", "RLIMIT_MEMLOCK"},
	{"Max address space", "RLIMIT_AS"},
	{"Max file locks", "RLIMIT_LOCKS"},
	{"Max pending signals", "RLIMIT_SIGPENDING"},
	{"Max msgqueue size", "RLIMIT_MSGQUEUE"},
	{"Max nice priority", "RLIMIT_NICE"},
	{"Max realtime priority", "RLIMIT_RTPRIO"},
	{"Max realtime timeout", "RLIMIT_RTTIME"},
}

// limits reads /proc/<pid>/limits.
func (o *observer) limits() {
	name := o.procFile("limits")
	file := showProc(name)
	data, err := readFile(o.proc, name)
	if err != nil {
		o.unobserved("process.rlimits", file+" could not be read: "+err.Error())
		return
	}
	o.obs.Rlimits = []Rlimit{}
	for _, line := range lines(data) {
		for _, rn := range rlimitNames {
			rest, ok := strings.CutPrefix(line, rn.row)
			if !ok || rest != "" && rest[0] != ' ' {
				continue
			}
			f := strings.Fields(rest)
			if len(f) < 2 {
				o.warn("%s: %q: want soft and hard limits", file, line)
				break
			}
			soft, ok1 := parseRlimit(f[0])
			hard, ok2 := parseRlimit(f[1])
			if !ok1 || !ok2 {
				o.warn("%s: %q: bad limit", file, line)
				break
			}
			o.obs.Rlimits = append(o.obs.Rlimits, Rlimit{Type: rn.oci, Soft: soft, Hard: hard})
			o.evidence("process.rlimits["+rn.oci+"]", file, line, ConfidenceHigh)
			break
		}
	}
}

func parseRlimit(s string) (uint64, bool) {
	if s == "unlimited" {
		return ^uint64(0), true
	}
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil
}

// oomScoreAdj reads /proc/<pid>/oom_score_adj.
func (o *observer) oomScoreAdj() {
	name := o.procFile("oom_score_adj")
	v, err := readTrimmed(o.proc, name)
	if err == nil {
		var n int
		if n, err = strconv.Atoi(v); err == nil {
			o.obs.OOMScoreAdj = &n
			o.evidence("process.oomScoreAdj", showProc(name), v, ConfidenceHigh)
			return
		}
	}
	o.unobserved("process.oomScoreAdj", showProc(name)+" could not be read: "+err.Error())
}

// hostname reads the UTS hostname. It is the observed process's only when
// reading /proc/self (or a process in the reader's UTS namespace).
func (o *observer) hostname() {
	const name = "sys/kernel/hostname"
	if o.pidDir != "self" {
		o.unobserved("hostname", "/proc/sys/kernel/hostname shows the reading process's UTS namespace, not another process's")
		return
	}
	v, err := readTrimmed(o.proc, name)
	if err != nil {
		o.unobserved("hostname", "/proc/sys/kernel/hostname could not be read: "+err.Error())
		return
	}
	o.obs.Hostname = v
	o.evidence("hostname", showProc(name), v, ConfidenceHigh)
}
