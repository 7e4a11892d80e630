package inspect

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// Why fields are never observable from inside; see the package
// documentation for the longer story.
const (
	whySeccomp = "the kernel shows only that a seccomp filter is attached (Seccomp: 2) and how many (Seccomp_filters); " +
		"reading the BPF program needs ptrace and CAP_SYS_ADMIN over the process (PTRACE_SECCOMP_GET_FILTER) and decompiling it, " +
		"and probing syscalls is unsafe"
	whyDevices = "the device cgroup is an eBPF program on cgroup v2 and is not translated from devices.list on v1"
	whyEntry   = "belongs to the container's first process as the runtime started it; the observed process may be another " +
		"and may have changed it since"
	whyRuntime = "done by the runtime outside the container: nothing of it is left in /proc or /sys"
)

// staticUnobserved are the spec fields no observation ever fills in.
var staticUnobserved = []Unobservable{
	{"annotations", whyRuntime},
	{"domainname", "not read"},
	{"hooks", whyRuntime},
	{"linux.cgroupsPath", "/proc/<pid>/cgroup shows the path relative to the cgroup namespace's root, not the runtime's cgroupsPath"},
	{"linux.devices", "device nodes are files in the container's /dev, which is neither /proc nor /sys"},
	{"linux.intelRdt", "not read"},
	{"linux.memoryPolicy", "not read"},
	{"linux.mountLabel", "not read"},
	{"linux.netDevices", "not read"},
	{"linux.personality", "/proc/<pid>/personality needs ptrace access; not read"},
	{"linux.resources.blockIO", "not read"},
	{"linux.resources.cpu.cpus", "not read"},
	{"linux.resources.cpu.mems", "not read"},
	{"linux.resources.cpu.realtimePeriod", "not read"},
	{"linux.resources.cpu.realtimeRuntime", "not read"},
	{"linux.resources.devices", whyDevices},
	{"linux.resources.hugepageLimits", "not read"},
	{"linux.resources.memory.kernel", "not read"},
	{"linux.resources.memory.kernelTCP", "not read"},
	{"linux.resources.memory.reservation", "not read"},
	{"linux.resources.memory.swap", "not read"},
	{"linux.resources.memory.swappiness", "not read"},
	{"linux.resources.memory.disableOOMKiller", "not read"},
	{"linux.resources.network", "not read"},
	{"linux.resources.rdma", "not read"},
	{"linux.seccomp.architectures", whySeccomp},
	{"linux.seccomp.defaultAction", whySeccomp},
	{"linux.seccomp.defaultErrnoRet", whySeccomp},
	{"linux.seccomp.flags", whySeccomp},
	{"linux.seccomp.listenerMetadata", whySeccomp},
	{"linux.seccomp.listenerPath", whySeccomp},
	{"linux.seccomp.syscalls", whySeccomp},
	{"linux.sysctl", "/proc/sys shows every value, not which ones the runtime set: a default and an override look the same"},
	{"linux.timeOffsets", "not read"},
	{"process.args", whyEntry},
	{"process.commandLine", whyEntry},
	{"process.consoleSize", whyEntry},
	{"process.cwd", whyEntry},
	{"process.env", whyEntry},
	{"process.execCPUAffinity", "not read"},
	{"process.ioPriority", "not read (ioprio_get on the process)"},
	{"process.scheduler", "not read (sched_getattr on the process)"},
	{"process.terminal", whyEntry},
	{"process.user.username", "Windows only"},
	{"root.path", "the root filesystem's path on the host is not visible from inside the mount namespace"},
}

func (o *observer) unobservable() {
	o.obs.Unobserved = append(o.obs.Unobserved, staticUnobserved...)
}

// UnobservedFields returns the field paths of Unobserved, sorted: what
// [hardening.Subject.Unobserved] holds for this observation.
func (obs *Observation) UnobservedFields() []string {
	out := make([]string, 0, len(obs.Unobserved))
	for _, u := range obs.Unobserved {
		out = append(out, u.Field)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// EvidenceFor returns the evidence recorded for a field path.
func (obs *Observation) EvidenceFor(field string) []Evidence {
	var out []Evidence
	for _, e := range obs.Evidence {
		if e.Field == field {
			out = append(out, e)
		}
	}
	return out
}

// Name returns "live:<pid>".
func (obs *Observation) Name() string { return "live:" + strconv.Itoa(obs.PID) }

// Subject returns the observation as an OCI spec subject named
// "live:<pid>", with Unobserved listing the fields checks must not judge.
func (obs *Observation) Subject() *hardening.Subject {
	s := hardening.NewSpecSubject(obs.Name(), obs.Spec())
	s.Source = obs.ProcDir
	s.Unobserved = obs.UnobservedFields()
	return s
}

// Spec returns the OCI runtime spec the observed process behaves as if it
// had been started from. Fields the observation could not see are left
// unset; Subject lists them so checks do not read the zero value as a
// setting.
func (obs *Observation) Spec() *runtimespec.Spec {
	c := obs.Capabilities
	lc := c.LastCap
	p := &runtimespec.Process{
		User: runtimespec.User{
			UID: obs.UID[1], GID: obs.GID[1],
			Umask:          obs.Umask,
			AdditionalGids: slices.Clone(obs.Groups),
		},
		Capabilities: &runtimespec.LinuxCapabilities{
			Bounding:    capNames(c.Bounding, lc),
			Effective:   capNames(c.Effective, lc),
			Inheritable: capNames(c.Inheritable, lc),
			Permitted:   capNames(c.Permitted, lc),
			Ambient:     capNames(c.Ambient, lc),
		},
		NoNewPrivileges: obs.NoNewPrivs,
		OOMScoreAdj:     obs.OOMScoreAdj,
	}
	for _, r := range obs.Rlimits {
		p.Rlimits = append(p.Rlimits, runtimespec.POSIXRlimit{Type: r.Type, Hard: r.Hard, Soft: r.Soft})
	}
	switch {
	case obs.LSM.Module == "apparmor" && obs.LSM.State == LSMConfined:
		p.ApparmorProfile = obs.LSM.Profile
	case obs.LSM.Module == "selinux":
		p.SelinuxLabel = obs.LSM.Label
	}
	spec := &runtimespec.Spec{
		Version:  runtimespec.Version,
		Process:  p,
		Hostname: obs.Hostname,
		Root:     &runtimespec.Root{Readonly: obs.RootReadonly},
		Linux:    &runtimespec.Linux{},
	}
	l := spec.Linux
	userNS := false
	for _, ns := range obs.Namespaces {
		if ns.Host == No {
			l.Namespaces = append(l.Namespaces, runtimespec.LinuxNamespace{Type: runtimespec.LinuxNamespaceType(ns.Type)})
			userNS = userNS || ns.Type == "user"
		}
	}
	if userNS {
		l.UIDMappings = idMappings(obs.UIDMap)
		l.GIDMappings = idMappings(obs.GIDMap)
	}
	if obs.Seccomp != 0 {
		// A filter is attached; what it filters is unobservable.
		l.Seccomp = &runtimespec.LinuxSeccomp{}
	}
	if obs.MaskedPaths != nil {
		l.MaskedPaths = slices.Clone(obs.MaskedPaths)
	}
	if obs.ReadonlyPaths != nil {
		l.ReadonlyPaths = slices.Clone(obs.ReadonlyPaths)
	}
	if obs.RootPropagation == "shared" || obs.RootPropagation == "slave" {
		l.RootfsPropagation = obs.RootPropagation
	}
	l.Resources = obs.Cgroup.resources()
	spec.Mounts = obs.specMounts()
	return spec
}

func idMappings(m []IDMap) []runtimespec.LinuxIDMapping {
	var out []runtimespec.LinuxIDMapping
	for _, e := range m {
		out = append(out, runtimespec.LinuxIDMapping{ContainerID: e.ContainerID, HostID: e.HostID, Size: e.Size})
	}
	return out
}

func (cg Cgroup) resources() *runtimespec.LinuxResources {
	r := &runtimespec.LinuxResources{}
	if cg.MemoryLimit != nil {
		v := *cg.MemoryLimit
		r.Memory = &runtimespec.LinuxMemory{Limit: &v}
	}
	if cg.PidsLimit != nil {
		v := *cg.PidsLimit
		r.Pids = &runtimespec.LinuxPids{Limit: &v}
	}
	if cg.CPUQuota != nil || cg.CPUShares != nil {
		r.CPU = &runtimespec.LinuxCPU{Quota: cg.CPUQuota, Period: cg.CPUPeriod, Shares: cg.CPUShares}
	}
	if cg.CPUWeight != nil {
		r.Unified = map[string]string{"cpu.weight": strconv.FormatUint(*cg.CPUWeight, 10)}
	}
	if r.Memory == nil && r.Pids == nil && r.CPU == nil && r.Unified == nil {
		return nil
	}
	return r
}

// specMounts renders the mount table as spec mounts: every visible mount
// but the root, the masks and read-only paths (which the spec expresses in
// maskedPaths and readonlyPaths) and the per-controller cgroup v1 mounts a
// runtime creates under /sys/fs/cgroup. A mount of a disk filesystem is
// rendered as a bind mount whose source is the directory inside that
// filesystem (mountinfo's root field): the host path it was bound from is
// not visible.
func (obs *Observation) specMounts() []runtimespec.Mount {
	var out []runtimespec.Mount
	for _, m := range obs.Mounts {
		if m.MountPoint == "/" || slices.Contains(obs.MaskedPaths, m.MountPoint) ||
			slices.Contains(obs.ReadonlyPaths, m.MountPoint) || strings.HasPrefix(m.MountPoint, "/sys/fs/cgroup/") {
			continue
		}
		sm := runtimespec.Mount{Destination: m.MountPoint, Type: m.FSType, Source: m.Source}
		if blockFS[m.FSType] || slices.ContainsFunc(obs.RuntimeSockets, func(s Mount) bool { return s.ID == m.ID }) {
			sm.Type, sm.Source = "bind", m.Root
			sm.Options = append(sm.Options, "rbind")
		}
		for _, opt := range m.Options {
			switch opt {
			case "ro", "nosuid", "nodev", "noexec":
				sm.Options = append(sm.Options, opt)
			}
		}
		for _, prop := range strings.Split(m.Propagation, ",") {
			if prop == "shared" || prop == "slave" {
				sm.Options = append(sm.Options, prop)
			}
		}
		out = append(out, sm)
	}
	return out
}
