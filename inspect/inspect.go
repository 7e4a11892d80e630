package inspect

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Options says which process to observe and where to read its view of the
// kernel from. The zero value observes the calling process through the real
// /proc and /sys.
type Options struct {
	// PID is the process to observe; 0 means the calling process
	// (/proc/self). Observing another process needs the right to read its
	// /proc files (same user, or CAP_SYS_PTRACE for some of them).
	PID int
	// Proc is the proc filesystem, rooted at what is normally /proc. nil
	// means os.DirFS("/proc"). Tests pass fixture trees.
	Proc fs.FS
	// Sys is the sysfs, rooted at what is normally /sys. nil means
	// os.DirFS("/sys").
	Sys fs.FS
}

// Confidence says how far an observed value can be trusted.
type Confidence uint8

const (
	// ConfidenceLow marks a heuristic: the value is a likely reading of
	// indirect evidence.
	ConfidenceLow Confidence = iota + 1
	// ConfidenceMedium marks a value derived from what the kernel reports
	// through one documented interpretation step (a mount that looks like a
	// runtime's mask, a cgroup file resolved through the mount table).
	ConfidenceMedium
	// ConfidenceHigh marks a value the kernel reports directly for this
	// process (a line of /proc/<pid>/status, a namespace inode compared with
	// the kernel's fixed initial inode).
	ConfidenceHigh
)

var confidenceNames = [...]string{"", "low", "medium", "high"}

// String returns "low", "medium" or "high".
func (c Confidence) String() string {
	if int(c) < len(confidenceNames) && c > 0 {
		return confidenceNames[c]
	}
	return "unknown"
}

// MarshalText encodes the confidence as its name.
func (c Confidence) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText decodes a confidence name.
func (c *Confidence) UnmarshalText(b []byte) error {
	for i, n := range confidenceNames {
		if i > 0 && n == string(b) {
			*c = Confidence(i)
			return nil
		}
	}
	return fmt.Errorf("unknown confidence %q", b)
}

// Evidence is where one observed value came from.
type Evidence struct {
	// Field is the OCI runtime spec field path the value fills in
	// ("process.capabilities.effective", "linux.namespaces[pid]",
	// "linux.maskedPaths[/proc/kcore]").
	Field string `json:"field"`
	// File is the file read, as the process sees it ("/proc/self/status").
	File string `json:"file"`
	// Line is the line (or whole value) read, trimmed.
	Line string `json:"line"`
	// Confidence is how far the value can be trusted.
	Confidence Confidence `json:"confidence"`
}

// Unobservable is a spec field the observation could not see, and why.
type Unobservable struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Tristate is a yes/no answer that may be unknown.
type Tristate uint8

// Tristate values.
const (
	// Unknown: the observation could not tell.
	Unknown Tristate = iota
	// Yes: observed to hold.
	Yes
	// No: observed not to hold.
	No
)

// String returns "unknown", "yes" or "no".
func (t Tristate) String() string { return [...]string{"unknown", "yes", "no"}[t%3] }

// MarshalText encodes the tristate as its name.
func (t Tristate) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// Observation is what Observe saw. Fields the kernel did not show are left
// at their zero value and listed in Unobserved; Evidence says where every
// observed value came from.
type Observation struct {
	// PID is the observed process's id as the reading process's /proc
	// shows it (the "Pid:" line of its status).
	PID int `json:"pid"`
	// ProcDir is the /proc directory read: "/proc/self" or "/proc/<pid>".
	ProcDir string `json:"procDir"`

	Capabilities Capabilities `json:"capabilities"`
	// NoNewPrivs is the process's no_new_privs bit.
	NoNewPrivs bool `json:"noNewPrivs"`
	// Seccomp is the seccomp mode: 0 off, 1 strict, 2 filter.
	Seccomp int `json:"seccomp"`
	// SeccompFilters is the number of filters attached, -1 when the kernel
	// does not say (before Linux 5.9).
	SeccompFilters int `json:"seccompFilters"`
	// UID and GID are the real, effective, saved and filesystem ids.
	UID [4]uint32 `json:"uid"`
	GID [4]uint32 `json:"gid"`
	// Groups are the supplementary groups.
	Groups []uint32 `json:"groups"`
	// Umask is the file mode creation mask; nil before Linux 4.7.
	Umask *uint32 `json:"umask,omitempty"`

	Namespaces []Namespace `json:"namespaces"`
	UIDMap     []IDMap     `json:"uidMap"`
	GIDMap     []IDMap     `json:"gidMap"`
	// HostRoot says whether uid 0 of the process is uid 0 of the host: yes
	// outside a user namespace or when the namespace maps 0 to 0.
	HostRoot Tristate `json:"hostRoot"`

	LSM LSM `json:"lsm"`

	Cgroup Cgroup `json:"cgroup"`

	Mounts []Mount `json:"mounts"`
	// RootReadonly is whether the mount at / is read-only.
	RootReadonly bool `json:"rootReadonly"`
	// RootPropagation is the propagation of the mount at /: "shared",
	// "slave" or "private".
	RootPropagation string `json:"rootPropagation"`
	// MaskedPaths are the paths hidden by a bind of /dev/null or a
	// read-only empty tmpfs, as runtimes implement linux.maskedPaths.
	MaskedPaths []string `json:"maskedPaths"`
	// ReadonlyPaths are /proc and /sys paths re-mounted read-only over
	// themselves, as runtimes implement linux.readonlyPaths.
	ReadonlyPaths []string `json:"readonlyPaths"`
	// ProcSysWritable and SysWritable say whether /proc/sys and /sys can be
	// written (by a process with the capabilities to do so).
	ProcSysWritable bool `json:"procSysWritable"`
	SysWritable     bool `json:"sysWritable"`
	// HostMounts are mounts of a block-device filesystem (ext4, xfs, …)
	// other than the root filesystem: bind mounts of host directories.
	HostMounts []Mount `json:"hostMounts"`
	// RuntimeSockets are mounts of a container runtime's API socket
	// (docker.sock, containerd.sock, crio.sock, podman.sock).
	RuntimeSockets []Mount `json:"runtimeSockets"`

	// Hostname is the UTS hostname.
	Hostname string `json:"hostname"`
	// OOMScoreAdj is /proc/<pid>/oom_score_adj; nil when unreadable.
	OOMScoreAdj *int `json:"oomScoreAdj,omitempty"`
	// Rlimits are the resource limits, named as OCI names them.
	Rlimits []Rlimit `json:"rlimits"`

	Evidence   []Evidence     `json:"evidence"`
	Unobserved []Unobservable `json:"unobserved"`
	// Warnings are files that could not be read or parsed, for the record.
	Warnings []string `json:"warnings"`
}

// Capabilities are the five capability sets as bitmasks and OCI names.
type Capabilities struct {
	// LastCap is the highest capability number of the kernel
	// (/proc/sys/kernel/cap_last_cap), -1 when unknown.
	LastCap int `json:"lastCap"`
	// Masks are the raw sets.
	Inheritable uint64 `json:"inheritable"`
	Permitted   uint64 `json:"permitted"`
	Effective   uint64 `json:"effective"`
	Bounding    uint64 `json:"bounding"`
	Ambient     uint64 `json:"ambient"`
}

// Full reports whether the effective set holds every capability of the
// kernel. It is not "privileged": a fresh user namespace has every
// capability too (see HostRoot).
func (c Capabilities) Full() bool {
	return c.LastCap >= 0 && c.Effective&FullCapMask(c.LastCap) == FullCapMask(c.LastCap)
}

// Namespace is one namespace of the process.
type Namespace struct {
	// Type is the OCI type: pid, network, mount, ipc, uts, user, cgroup, time.
	Type string `json:"type"`
	// Inode is the namespace's inode number (the number in "pid:[4026531836]").
	Inode uint64 `json:"inode"`
	// Host says whether this is the host's initial namespace (yes), a
	// namespace of its own (no), or cannot be told (unknown).
	Host Tristate `json:"host"`
	// Basis says how Host was decided.
	Basis string `json:"basis"`
}

// IDMap is one line of uid_map or gid_map.
type IDMap struct {
	ContainerID uint32 `json:"containerID"`
	HostID      uint32 `json:"hostID"`
	Size        uint32 `json:"size"`
}

// LSM states.
const (
	// LSMNone: no Linux security module that labels processes is active on
	// the host, so nothing confines the process (and nothing could).
	LSMNone = "none"
	// LSMUnconfined: AppArmor or SELinux is active and the process runs
	// unconfined.
	LSMUnconfined = "unconfined"
	// LSMConfined: the process runs under a profile or label.
	LSMConfined = "confined"
	// LSMUnknown: the label could not be read.
	LSMUnknown = "unknown"
)

// LSM is the process's mandatory access control state.
type LSM struct {
	// Module is "apparmor", "selinux" or "" when none was seen.
	Module string `json:"module"`
	// State is LSMNone, LSMUnconfined, LSMConfined or LSMUnknown.
	State string `json:"state"`
	// Label is the raw label: "docker-default (enforce)",
	// "system_u:system_r:container_t:s0:c1,c2", "unconfined".
	Label string `json:"label"`
	// Profile is the AppArmor profile name without its mode.
	Profile string `json:"profile,omitempty"`
	// Mode is the AppArmor mode ("enforce", "complain") when shown.
	Mode string `json:"mode,omitempty"`
}

// Cgroup versions.
const (
	CgroupV1     = "v1"
	CgroupV2     = "v2"
	CgroupHybrid = "hybrid"
)

// Cgroup is the process's control groups and the limits they set.
type Cgroup struct {
	// Version is CgroupV1, CgroupV2 or CgroupHybrid (v1 controllers with a
	// cgroup2 hierarchy mounted beside them), "" when unknown.
	Version string `json:"version"`
	// Paths maps a controller ("memory", "pids", "cpu"; "" for the cgroup2
	// hierarchy) to the process's cgroup path, as /proc/<pid>/cgroup shows it.
	Paths map[string]string `json:"paths"`
	// MemoryLimit is the memory limit in bytes; nil when unlimited.
	MemoryLimit *int64 `json:"memoryLimit,omitempty"`
	// PidsLimit is the pids limit; nil when unlimited.
	PidsLimit *int64 `json:"pidsLimit,omitempty"`
	// CPUQuota and CPUPeriod are the CFS bandwidth limit in microseconds;
	// CPUQuota is nil when unlimited.
	CPUQuota  *int64  `json:"cpuQuota,omitempty"`
	CPUPeriod *uint64 `json:"cpuPeriod,omitempty"`
	// CPUShares (v1) and CPUWeight (v2) are the relative CPU weight; nil
	// when at the kernel default (1024, 100), which cannot be told from unset.
	CPUShares *uint64 `json:"cpuShares,omitempty"`
	CPUWeight *uint64 `json:"cpuWeight,omitempty"`
}

// Mount is one line of /proc/<pid>/mountinfo.
type Mount struct {
	ID     int `json:"id"`
	Parent int `json:"parent"`
	// Major:Minor of the filesystem's device.
	Device string `json:"device"`
	// Root is the path of the mounted directory inside its filesystem: "/"
	// for a whole filesystem, "/var/lib/x" for a bind mount of it.
	Root       string `json:"root"`
	MountPoint string `json:"mountPoint"`
	// Options are the per-mount options (ro, nosuid, nodev, noexec, …).
	Options []string `json:"options"`
	// Propagation is "shared", "slave", "shared,slave" or "private".
	Propagation string `json:"propagation"`
	FSType      string `json:"fsType"`
	Source      string `json:"source"`
	// SuperOptions are the filesystem's options.
	SuperOptions []string `json:"superOptions"`
	// Line is the raw mountinfo line.
	Line string `json:"-"`
}

// ReadOnly reports whether the mount is read-only.
func (m Mount) ReadOnly() bool { return slices.Contains(m.Options, "ro") }

// Rlimit is one resource limit; Soft or Hard is ^uint64(0) for unlimited.
type Rlimit struct {
	// Type is the OCI name: "RLIMIT_NOFILE".
	Type string `json:"type"`
	Soft uint64 `json:"soft"`
	Hard uint64 `json:"hard"`
}

// observer carries what Observe needs while it reads.
type observer struct {
	proc, sys fs.FS
	pidDir    string // "self" or "123", relative to proc
	obs       *Observation
	defaultFS bool // reading the real /proc of the calling process
}

// Observe reads the kernel's view of a process. It fails only when the
// process's status cannot be read at all; anything else it cannot see is
// listed in Observation.Unobserved (and Warnings) and left unset.
func Observe(opts Options) (*Observation, error) {
	o := &observer{proc: opts.Proc, sys: opts.Sys, pidDir: "self"}
	if opts.PID < 0 {
		return nil, fmt.Errorf("inspect: invalid pid %d", opts.PID)
	}
	if opts.PID > 0 {
		o.pidDir = strconv.Itoa(opts.PID)
	}
	if o.proc == nil {
		o.proc = os.DirFS("/proc")
		o.defaultFS = opts.PID == 0
	}
	if o.sys == nil {
		o.sys = os.DirFS("/sys")
	}
	o.obs = &Observation{ProcDir: "/proc/" + o.pidDir, SeccompFilters: -1}
	if err := o.status(); err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	o.capLastCap()
	o.namespaces()
	o.idMaps()
	o.lsm()
	o.mounts()
	o.absentHiddenPaths()
	o.cgroups()
	o.oomScoreAdj()
	o.limits()
	o.hostname()
	o.unobservable()
	slices.SortStableFunc(o.obs.Evidence, func(a, b Evidence) int { return strings.Compare(a.Field, b.Field) })
	slices.SortFunc(o.obs.Unobserved, func(a, b Unobservable) int { return strings.Compare(a.Field, b.Field) })
	o.obs.Unobserved = slices.CompactFunc(o.obs.Unobserved, func(a, b Unobservable) bool { return a.Field == b.Field })
	return o.obs, nil
}

// procFile returns the path of a per-process file relative to proc.
func (o *observer) procFile(name string) string { return o.pidDir + "/" + name }

// show renders a proc-relative path as the process would name it.
func showProc(p string) string { return "/proc/" + p }
func showSys(p string) string  { return "/sys/" + p }

func (o *observer) evidence(field, file, line string, c Confidence) {
	o.obs.Evidence = append(o.obs.Evidence, Evidence{Field: field, File: file, Line: strings.TrimSpace(line), Confidence: c})
}

func (o *observer) unobserved(field, reason string) {
	o.obs.Unobserved = append(o.obs.Unobserved, Unobservable{Field: field, Reason: reason})
}

func (o *observer) warn(format string, args ...any) {
	o.obs.Warnings = append(o.obs.Warnings, fmt.Sprintf(format, args...))
}

// readFile reads a file of fsys, capped at 4 MiB (mountinfo of a busy host
// is the largest file read).
func readFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	_, err = buf.ReadFrom(&limitedReader{f, 4 << 20})
	return buf.Bytes(), err
}

type limitedReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, errors.New("file larger than 4 MiB")
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

// lines splits data into lines without their newline.
func lines(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// readTrimmed reads a small file and returns its content without
// surrounding white space.
func readTrimmed(fsys fs.FS, name string) (string, error) {
	data, err := readFile(fsys, name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(data)), nil
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}
