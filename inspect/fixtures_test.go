package inspect

import (
	"io/fs"
	"strconv"
	"strings"
	"testing/fstest"
)

// A fixture is a captured /proc and /sys, as fstest.MapFS trees. Paths are
// relative to /proc and /sys; namespace links are symlinks.
type fixture struct {
	proc, sys fstest.MapFS
}

func (f fixture) opts() Options { return Options{Proc: f.proc, Sys: f.sys} }

// files builds a MapFS from path → content; a content starting with "->"
// makes a symlink, and a path ending in "/" a directory.
func files(m map[string]string) fstest.MapFS {
	out := fstest.MapFS{}
	for p, c := range m {
		switch {
		case strings.HasSuffix(p, "/"):
			out[strings.TrimSuffix(p, "/")] = &fstest.MapFile{Mode: fs.ModeDir | 0o555}
		case strings.HasPrefix(c, "->"):
			out[p] = &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte(strings.TrimPrefix(c, "->"))}
		default:
			out[p] = &fstest.MapFile{Data: []byte(c), Mode: 0o444}
		}
	}
	return out
}

// status renders a /proc/<pid>/status with the lines inspect reads.
func status(pid int, uid, gid string, capEff, capBnd string, nnp, seccomp int) string {
	return "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t" + strconv.Itoa(pid) + "\n" +
		"Uid:\t" + uid + "\nGid:\t" + gid + "\nGroups:\t \n" +
		"CapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff + "\nCapBnd:\t" + capBnd +
		"\nCapAmb:\t0000000000000000\nNoNewPrivs:\t" + strconv.Itoa(nnp) + "\nSeccomp:\t" + strconv.Itoa(seccomp) +
		"\nSeccomp_filters:\t" + strconv.Itoa(min(seccomp, 1)) + "\nSpeculation_Store_Bypass:\tvulnerable\n"
}

// nsLinks adds /proc/self/ns links with the given inodes by OCI file name.
func nsLinks(m map[string]string, dir string, inodes map[string]uint64) {
	for name, ino := range inodes {
		m[dir+"/ns/"+name] = "->" + name + ":[" + strconv.FormatUint(ino, 10) + "]"
	}
}

// hostInodes are the initial namespaces' inodes on Linux 6.18.
var hostInodes = map[string]uint64{
	"cgroup": 0xEFFFFFFB, "ipc": 0xEFFFFFFF, "mnt": 0xEFFFFFF8, "net": 0xEFFFFFF9,
	"pid": 0xEFFFFFFC, "time": 0xEFFFFFFA, "user": 0xEFFFFFFD, "uts": 0xEFFFFFFE,
}

// containerInodes are dynamic inodes of a container's namespaces; time and
// user stay the host's.
var containerInodes = map[string]uint64{
	"cgroup": 0xEFFFFFFB, "ipc": 4026532301, "mnt": 4026532299, "net": 4026532303,
	"pid": 4026532302, "time": 0xEFFFFFFA, "user": 0xEFFFFFFD, "uts": 4026532300,
}

const limits = `Limit                     Soft Limit           Hard Limit           Units     
Max cpu time              unlimited            unlimited            seconds   
Max file size             unlimited            unlimited            bytes     
Max data size             unlimited            unlimited            bytes     
Max stack size            8388608              unlimited            bytes     
Max core file size        0                    unlimited            bytes     
Max resident set          unlimited            unlimited            bytes     
Max processes             96365                96365                processes 
Max open files            1024                 1024                 files     
Max locked memory         8388608              8388608              bytes     
Max address space         unlimited            unlimited            bytes     
Max file locks            unlimited            unlimited            locks     
Max pending signals       96365                96365                signals   
Max msgqueue size         819200               819200               bytes     
Max nice priority         0                    0                    
Max realtime priority     0                    0                    
Max realtime timeout      unlimited            unlimited            us        
`

// hybridHost is this machine as captured: a root shell on a Firecracker VM
// with cgroup v1 controllers and a cgroup2 hierarchy at
// /sys/fs/cgroup/unified, no LSM, all capabilities but CAP_SYS_RESOURCE.
func hybridHost() fixture {
	p := map[string]string{
		"self/status": status(14598, "0\t0\t0\t0", "0\t0\t0\t0", "000001fffeffffff", "000001fffeffffff", 0, 0),
		"self/cgroup": "9:name=systemd:/\n8:pids:/\n7:blkio:/\n6:freezer:/\n5:devices:/\n" +
			"4:memory:/process_api/b1e24de21f615b7efe5dbd9ac7e952d2\n3:cpuset:/\n2:cpuacct:/\n1:cpu:/\n0::/\n",
		"self/mountinfo": `22 27 0:21 / /proc rw,relatime - proc proc rw
23 27 0:22 / /sys rw,relatime - sysfs sysfs rw
24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334524k,nr_inodes=3083631,mode=755
25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24684096k
26 24 0:24 / /dev/pts rw,relatime - devpts devpts rw,mode=600,ptmxmode=000
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard,resv_strict,resuid=65534,resgid=65534
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
`,
		"self/limits":             limits,
		"self/oom_score_adj":      "0\n",
		"self/uid_map":            "         0          0 4294967295\n",
		"self/gid_map":            "         0          0 4294967295\n",
		"self/attr/":              "",
		"sys/kernel/cap_last_cap": "40\n",
		"sys/kernel/osrelease":    "6.18.44-fc-v782\n",
		"sys/kernel/hostname":     "vm\n",
	}
	nsLinks(p, "self", hostInodes)
	s := map[string]string{
		"fs/cgroup/unified/cgroup.controllers":                                                "hugetlb\n",
		"fs/cgroup/memory/memory.limit_in_bytes":                                              "9223372036854771712\n",
		"fs/cgroup/memory/process_api/b1e24de21f615b7efe5dbd9ac7e952d2/memory.limit_in_bytes": "9223372036854771712\n",
		"fs/cgroup/pids/cgroup.procs":                                                         "1\n",
		"fs/cgroup/cpu/cpu.cfs_quota_us":                                                      "-1\n",
		"fs/cgroup/cpu/cpu.cfs_period_us":                                                     "100000\n",
		"fs/cgroup/cpu/cpu.shares":                                                            "1024\n",
		"kernel/security/":                                                                    "",
	}
	return fixture{files(p), files(s)}
}

// dockerV1 is a Docker-like container on cgroup v1 without a cgroup
// namespace: its cgroup directories are bound at the controllers' mount
// points, masks and read-only paths are in place, AppArmor confines it and
// a seccomp filter is attached.
func dockerV1() fixture {
	const id = "/docker/0123abcd"
	p := map[string]string{
		"self/status": status(1, "0\t0\t0\t0", "0\t0\t0\t0", "00000000a80425fb", "00000000a80425fb", 0, 2),
		"self/cgroup": "12:pids:" + id + "\n11:memory:" + id + "\n4:cpu,cpuacct:" + id + "\n1:name=systemd:" + id + "\n",
		"self/mountinfo": `600 500 0:50 / / rw,relatime master:1 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/A,upperdir=/var/lib/docker/overlay2/x/diff
601 600 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
602 600 0:52 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755
603 600 0:53 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
604 603 0:54 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
605 604 0:30 ` + id + ` /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:12 - cgroup cgroup rw,memory
606 604 0:36 ` + id + ` /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime master:16 - cgroup cgroup rw,pids
607 604 0:29 ` + id + ` /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:10 - cgroup cgroup rw,cpu,cpuacct
610 600 254:1 /var/lib/docker/containers/0123abcd/hostname /etc/hostname rw,relatime - ext4 /dev/sda1 rw
611 600 254:1 /srv/data /data rw,relatime - ext4 /dev/sda1 rw
612 600 0:25 /docker.sock /run/docker.sock rw,nosuid,nodev - tmpfs tmpfs rw,size=1000k
620 601 0:51 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw
621 601 0:51 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw
622 601 0:51 /sysrq-trigger /proc/sysrq-trigger ro,nosuid,nodev,noexec,relatime - proc proc rw
630 601 0:60 / /proc/acpi ro,relatime - tmpfs tmpfs ro
631 601 0:6 /null /proc/kcore rw,nosuid - devtmpfs udev rw,size=4k
632 601 0:6 /null /proc/keys rw,nosuid - devtmpfs udev rw,size=4k
633 601 0:6 /null /proc/timer_list rw,nosuid - devtmpfs udev rw,size=4k
634 603 0:61 / /sys/firmware ro,relatime - tmpfs tmpfs ro
635 602 0:6 /null /dev/null rw,nosuid - devtmpfs udev rw,size=4k
`,
		"self/limits":                limits,
		"self/oom_score_adj":         "0\n",
		"self/uid_map":               "         0          0 4294967295\n",
		"self/gid_map":               "         0          0 4294967295\n",
		"self/attr/current":          "docker-default (enforce)\n",
		"self/attr/apparmor/current": "docker-default (enforce)\n",
		"sys/kernel/cap_last_cap":    "40\n",
		"sys/kernel/osrelease":       "6.18.44\n",
		"sys/kernel/hostname":        "0123abcd\n",
	}
	nsLinks(p, "self", containerInodes)
	s := map[string]string{
		"module/apparmor/parameters/enabled":      "Y\n",
		"fs/cgroup/memory/memory.limit_in_bytes":  "67108864\n",
		"fs/cgroup/pids/pids.max":                 "100\n",
		"fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us":  "50000\n",
		"fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
		"fs/cgroup/cpu,cpuacct/cpu.shares":        "512\n",
	}
	return fixture{files(p), files(s)}
}

// podmanV2Userns is a container on a cgroup v2 host with a cgroup
// namespace and a user namespace (uid 0 → 100000), AppArmor loaded but the
// process unconfined, and its root shared with the host.
func podmanV2Userns() fixture {
	userns := map[string]uint64{}
	for k, v := range containerInodes {
		userns[k] = v
	}
	userns["user"] = 4026532298
	userns["cgroup"] = 4026532304
	p := map[string]string{
		"self/status": status(7, "0\t0\t0\t0", "0\t0\t0\t0", "00000000800405fb", "00000000800405fb", 1, 0),
		"self/cgroup": "0::/\n",
		"self/mountinfo": `700 650 0:70 / / ro,relatime shared:1 - overlay overlay rw
701 700 0:71 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
702 700 0:72 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
703 702 0:73 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw
`,
		"self/limits":                limits,
		"self/oom_score_adj":         "1000\n",
		"self/uid_map":               "         0     100000      65536\n",
		"self/gid_map":               "         0     100000      65536\n",
		"self/attr/apparmor/current": "unconfined\n",
		"self/attr/current":          "unconfined\n",
		"sys/kernel/cap_last_cap":    "40\n",
		"sys/kernel/osrelease":       "6.18.0\n",
		"sys/kernel/hostname":        "pod\n",
	}
	nsLinks(p, "self", userns)
	s := map[string]string{
		"module/apparmor/parameters/enabled": "Y\n",
		"fs/cgroup/cgroup.controllers":       "cpu memory pids\n",
		"fs/cgroup/memory.max":               "268435456\n",
		"fs/cgroup/pids.max":                 "max\n",
		"fs/cgroup/cpu.max":                  "50000 100000\n",
		"fs/cgroup/cpu.weight":               "100\n",
	}
	return fixture{files(p), files(s)}
}

// kubeV2Nested is a container on cgroup v2 without a cgroup namespace on
// an older kernel (5.15, dynamic inodes for every mount and network
// namespace), SELinux enforcing, whose memory limit is set on the pod's
// cgroup rather than its own.
func kubeV2Nested() fixture {
	const cg = "/kubepods.slice/pod1.slice/cri-ctr.scope"
	p := map[string]string{
		"self/status": status(42, "1000\t1000\t1000\t1000", "1000\t1000\t1000\t1000", "0000000000000000", "00000000a80425fb", 1, 2),
		"self/cgroup": "0::" + cg + "\n",
		"self/mountinfo": `800 750 0:80 / / rw,relatime - overlay overlay rw
801 800 0:81 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
802 800 0:82 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
803 802 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw
`,
		"self/limits":             limits,
		"self/oom_score_adj":      "-997\n",
		"self/uid_map":            "         0          0 4294967295\n",
		"self/gid_map":            "         0          0 4294967295\n",
		"self/attr/current":       "system_u:system_r:container_t:s0:c1,c2\x00",
		"sys/kernel/cap_last_cap": "40\n",
		"sys/kernel/osrelease":    "5.15.0-91-generic\n",
		"sys/kernel/hostname":     "web-0\n",
	}
	nsLinks(p, "self", map[string]uint64{
		"cgroup": 0xEFFFFFFB, "ipc": 4026532401, "mnt": 4026532399, "net": 4026532403,
		"pid": 4026532402, "time": 0xEFFFFFFA, "user": 0xEFFFFFFD, "uts": 4026532400,
	})
	s := map[string]string{
		"fs/selinux/enforce":                             "1\n",
		"fs/cgroup/cgroup.controllers":                   "cpu memory pids\n",
		"fs/cgroup/kubepods.slice/memory.max":            "max\n",
		"fs/cgroup/kubepods.slice/pod1.slice/memory.max": "536870912\n",
		"fs/cgroup/kubepods.slice/pod1.slice/pids.max":   "max\n",
		"fs/cgroup" + cg + "/memory.max":                 "max\n",
		"fs/cgroup" + cg + "/pids.max":                   "4096\n",
		"fs/cgroup" + cg + "/cpu.max":                    "max 100000\n",
		"fs/cgroup" + cg + "/cpu.weight":                 "39\n",
	}
	return fixture{files(p), files(s)}
}

// fstestFile builds single MapFS entries.
type fstestFile struct{ link string }

func (f fstestFile) file() *fstest.MapFile {
	return &fstest.MapFile{Mode: fs.ModeSymlink | 0o777, Data: []byte(f.link)}
}

func (fstestFile) dir() *fstest.MapFile { return &fstest.MapFile{Mode: fs.ModeDir | 0o555} }
