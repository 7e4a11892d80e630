package inspect

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

func observe(t *testing.T, f fixture) *Observation {
	t.Helper()
	obs, err := Observe(f.opts())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range obs.Warnings {
		t.Errorf("warning: %s", w)
	}
	return obs
}

func nsHost(obs *Observation) map[string]Tristate {
	m := map[string]Tristate{}
	for _, ns := range obs.Namespaces {
		m[ns.Type] = ns.Host
	}
	return m
}

func nsTypes(s *runtimespec.Spec) []string {
	var out []string
	for _, n := range s.Linux.Namespaces {
		out = append(out, string(n.Type))
	}
	slices.Sort(out)
	return out
}

func i64(v int64) *int64 { return &v }

func TestHybridHost(t *testing.T) {
	obs := observe(t, hybridHost())
	if obs.PID != 14598 || obs.ProcDir != "/proc/self" {
		t.Errorf("pid %d dir %s", obs.PID, obs.ProcDir)
	}
	if obs.Capabilities.Effective != 0x1fffeffffff || obs.Capabilities.LastCap != 40 || obs.Capabilities.Full() {
		t.Errorf("capabilities %+v", obs.Capabilities)
	}
	if obs.Cgroup.Version != CgroupHybrid {
		t.Errorf("cgroup version %q, want hybrid", obs.Cgroup.Version)
	}
	if obs.Cgroup.MemoryLimit != nil || obs.Cgroup.PidsLimit != nil || obs.Cgroup.CPUQuota != nil || obs.Cgroup.CPUShares != nil {
		t.Errorf("limits on an unlimited host: %+v", obs.Cgroup)
	}
	if got := obs.Cgroup.Paths["memory"]; got != "/process_api/b1e24de21f615b7efe5dbd9ac7e952d2" {
		t.Errorf("memory cgroup path %q", got)
	}
	for typ, h := range nsHost(obs) {
		if h != Yes {
			t.Errorf("namespace %s: host %s, want yes", typ, h)
		}
	}
	if obs.HostRoot != Yes {
		t.Errorf("HostRoot %s", obs.HostRoot)
	}
	if obs.LSM.State != LSMNone {
		t.Errorf("LSM %+v, want none", obs.LSM)
	}
	if obs.RootReadonly || !obs.ProcSysWritable || !obs.SysWritable || len(obs.MaskedPaths) != 0 || len(obs.ReadonlyPaths) != 0 {
		t.Errorf("mounts: root ro %v, /proc/sys writable %v, /sys writable %v, masked %v, ro %v",
			obs.RootReadonly, obs.ProcSysWritable, obs.SysWritable, obs.MaskedPaths, obs.ReadonlyPaths)
	}
	spec := obs.Spec()
	if len(spec.Linux.Namespaces) != 0 || spec.Linux.Seccomp != nil || spec.Linux.UIDMappings != nil || spec.Linux.Resources != nil {
		t.Errorf("host spec: %+v", spec.Linux)
	}
	if n := len(spec.Process.Capabilities.Effective); n != 40 {
		t.Errorf("%d effective capabilities, want 40 (all 41 but CAP_SYS_RESOURCE)", n)
	}
	if slices.Contains(spec.Process.Capabilities.Effective, "CAP_SYS_RESOURCE") {
		t.Error("CAP_SYS_RESOURCE decoded although bit 24 is clear")
	}
	if spec.Hostname != "vm" {
		t.Errorf("hostname %q", spec.Hostname)
	}
	if e := obs.EvidenceFor("linux.resources.memory.limit"); len(e) != 1 ||
		e[0].File != "/sys/fs/cgroup/memory/process_api/b1e24de21f615b7efe5dbd9ac7e952d2/memory.limit_in_bytes" {
		t.Errorf("memory evidence %+v", e)
	}
}

func TestDockerV1(t *testing.T) {
	obs := observe(t, dockerV1())
	if obs.Cgroup.Version != CgroupV1 {
		t.Errorf("cgroup version %q, want v1", obs.Cgroup.Version)
	}
	cg := obs.Cgroup
	if diff := cmp.Diff([]*int64{i64(67108864), i64(100), i64(50000)}, []*int64{cg.MemoryLimit, cg.PidsLimit, cg.CPUQuota}); diff != "" {
		t.Errorf("memory, pids, cpu quota (-want +got):\n%s", diff)
	}
	if cg.CPUPeriod == nil || *cg.CPUPeriod != 100000 || cg.CPUShares == nil || *cg.CPUShares != 512 {
		t.Errorf("cpu period %v shares %v", cg.CPUPeriod, cg.CPUShares)
	}
	wantMasked := []string{"/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware"}
	if diff := cmp.Diff(wantMasked, obs.MaskedPaths); diff != "" {
		t.Errorf("masked paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/proc/bus", "/proc/sys", "/proc/sysrq-trigger"}, obs.ReadonlyPaths); diff != "" {
		t.Errorf("read-only paths (-want +got):\n%s", diff)
	}
	if obs.ProcSysWritable || obs.SysWritable || obs.RootReadonly || obs.RootPropagation != "slave" {
		t.Errorf("/proc/sys writable %v, /sys writable %v, root ro %v, propagation %s", obs.ProcSysWritable, obs.SysWritable, obs.RootReadonly, obs.RootPropagation)
	}
	var hostMounts, sockets []string
	for _, m := range obs.HostMounts {
		hostMounts = append(hostMounts, m.MountPoint)
	}
	for _, m := range obs.RuntimeSockets {
		sockets = append(sockets, m.MountPoint)
	}
	if diff := cmp.Diff([]string{"/etc/hostname", "/data"}, hostMounts); diff != "" {
		t.Errorf("host mounts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/run/docker.sock"}, sockets); diff != "" {
		t.Errorf("runtime sockets (-want +got):\n%s", diff)
	}
	if obs.LSM != (LSM{Module: "apparmor", State: LSMConfined, Label: "docker-default (enforce)", Profile: "docker-default", Mode: "enforce"}) {
		t.Errorf("LSM %+v", obs.LSM)
	}
	h := nsHost(obs)
	for _, typ := range []string{"pid", "ipc", "uts", "mount", "network"} {
		if h[typ] != No {
			t.Errorf("namespace %s: host %s, want no", typ, h[typ])
		}
	}
	for _, typ := range []string{"user", "cgroup", "time"} {
		if h[typ] != Yes {
			t.Errorf("namespace %s: host %s, want yes", typ, h[typ])
		}
	}

	spec := obs.Spec()
	if diff := cmp.Diff([]string{"ipc", "mount", "network", "pid", "uts"}, nsTypes(spec)); diff != "" {
		t.Errorf("spec namespaces (-want +got):\n%s", diff)
	}
	wantCaps := []string{"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
		"CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD", "CAP_AUDIT_WRITE", "CAP_SETFCAP"}
	if diff := cmp.Diff(wantCaps, spec.Process.Capabilities.Effective); diff != "" {
		t.Errorf("Docker's default capabilities (-want +got):\n%s", diff)
	}
	if spec.Linux.Seccomp == nil || spec.Linux.Seccomp.DefaultAction != "" || spec.Linux.Seccomp.Syscalls != nil {
		t.Errorf("seccomp: want present with unknown content, got %+v", spec.Linux.Seccomp)
	}
	if spec.Process.ApparmorProfile != "docker-default" {
		t.Errorf("apparmorProfile %q", spec.Process.ApparmorProfile)
	}
	var socket *runtimespec.Mount
	for i, m := range spec.Mounts {
		if m.Destination == "/run/docker.sock" {
			socket = &spec.Mounts[i]
		}
		if strings.HasPrefix(m.Destination, "/sys/fs/cgroup/") || slices.Contains(wantMasked, m.Destination) || m.Destination == "/proc/sys" {
			t.Errorf("spec mount %s should be expressed otherwise", m.Destination)
		}
	}
	if socket == nil || socket.Type != "bind" || socket.Source != "/docker.sock" {
		t.Errorf("docker.sock mount %+v", socket)
	}
	if e := obs.EvidenceFor("linux.maskedPaths[/proc/kcore]"); len(e) != 1 || e[0].Confidence != ConfidenceMedium ||
		!strings.Contains(e[0].Line, "/null /proc/kcore") {
		t.Errorf("kcore evidence %+v", e)
	}
}

func TestPodmanV2UserNamespace(t *testing.T) {
	obs := observe(t, podmanV2Userns())
	if obs.Cgroup.Version != CgroupV2 {
		t.Errorf("cgroup version %q, want v2", obs.Cgroup.Version)
	}
	cg := obs.Cgroup
	if cg.MemoryLimit == nil || *cg.MemoryLimit != 268435456 || cg.PidsLimit != nil {
		t.Errorf("memory %v pids %v", cg.MemoryLimit, cg.PidsLimit)
	}
	if cg.CPUQuota == nil || *cg.CPUQuota != 50000 || cg.CPUPeriod == nil || *cg.CPUPeriod != 100000 || cg.CPUWeight != nil {
		t.Errorf("cpu %+v", cg)
	}
	if obs.HostRoot != No {
		t.Errorf("HostRoot %s with uid 0 mapped to 100000", obs.HostRoot)
	}
	if h := nsHost(obs); h["user"] != No || h["cgroup"] != No {
		t.Errorf("user ns %s, cgroup ns %s", h["user"], h["cgroup"])
	}
	if obs.LSM.Module != "apparmor" || obs.LSM.State != LSMUnconfined {
		t.Errorf("LSM %+v, want apparmor unconfined", obs.LSM)
	}
	if !obs.RootReadonly || obs.RootPropagation != "shared" || obs.SysWritable {
		t.Errorf("root ro %v propagation %s /sys writable %v", obs.RootReadonly, obs.RootPropagation, obs.SysWritable)
	}
	spec := obs.Spec()
	want := []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}}
	if diff := cmp.Diff(want, spec.Linux.UIDMappings); diff != "" {
		t.Errorf("uidMappings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, spec.Linux.GIDMappings); diff != "" {
		t.Errorf("gidMappings (-want +got):\n%s", diff)
	}
	if spec.Linux.RootfsPropagation != "shared" || spec.Process.ApparmorProfile != "" || !spec.Process.NoNewPrivileges || !spec.Root.Readonly {
		t.Errorf("propagation %q apparmor %q nnp %v root ro %v", spec.Linux.RootfsPropagation, spec.Process.ApparmorProfile, spec.Process.NoNewPrivileges, spec.Root.Readonly)
	}
	if spec.Process.OOMScoreAdj == nil || *spec.Process.OOMScoreAdj != 1000 {
		t.Errorf("oomScoreAdj %v", spec.Process.OOMScoreAdj)
	}
	if !slices.Contains(nsTypes(spec), "user") {
		t.Errorf("no user namespace in %v", nsTypes(spec))
	}
}

func TestKubeV2NestedOldKernel(t *testing.T) {
	obs := observe(t, kubeV2Nested())
	cg := obs.Cgroup
	if cg.Version != CgroupV2 || cg.MemoryLimit == nil || *cg.MemoryLimit != 536870912 || cg.PidsLimit == nil || *cg.PidsLimit != 4096 {
		t.Errorf("cgroup %+v: want the pod's memory limit (536870912) and the container's pids limit (4096)", cg)
	}
	if cg.CPUQuota != nil || cg.CPUWeight == nil || *cg.CPUWeight != 39 {
		t.Errorf("cpu quota %v weight %v", cg.CPUQuota, cg.CPUWeight)
	}
	if e := obs.EvidenceFor("linux.resources.memory.limit"); len(e) != 1 || e[0].File != "/sys/fs/cgroup/kubepods.slice/pod1.slice/memory.max" {
		t.Errorf("memory evidence %+v", e)
	}
	// Linux 5.15: the mount and network namespaces' inodes say nothing,
	// and /proc/1 is the container's own init.
	h := nsHost(obs)
	if h["mount"] != Unknown || h["network"] != Unknown || h["pid"] != No {
		t.Errorf("mount %s network %s pid %s", h["mount"], h["network"], h["pid"])
	}
	s := obs.Subject()
	for _, f := range []string{"linux.namespaces[mount]", "linux.namespaces[network]"} {
		if s.Observed(f) {
			t.Errorf("%s observed on a kernel without fixed inodes", f)
		}
	}
	if diff := cmp.Diff([]string{"ipc", "pid", "uts"}, nsTypes(s.Spec)); diff != "" {
		t.Errorf("spec namespaces (-want +got):\n%s", diff)
	}
	if obs.LSM.Module != "selinux" || obs.LSM.State != LSMConfined || s.Spec.Process.SelinuxLabel != "system_u:system_r:container_t:s0:c1,c2" {
		t.Errorf("LSM %+v label %q", obs.LSM, s.Spec.Process.SelinuxLabel)
	}
	if s.Spec.Process.User.UID != 1000 || obs.HostRoot != Yes {
		t.Errorf("uid %d host root %s", s.Spec.Process.User.UID, obs.HostRoot)
	}
	if !obs.ProcSysWritable || !obs.SysWritable {
		t.Errorf("/proc/sys writable %v /sys writable %v", obs.ProcSysWritable, obs.SysWritable)
	}
}

// On an old kernel in the host's PID namespace, /proc/1 is the host's init
// and settles the mount and network namespaces.
func TestNamespacesAgainstPID1(t *testing.T) {
	f := kubeV2Nested()
	f.proc["self/ns/pid"].Data = []byte("pid:[4026531836]")
	for name, ino := range map[string]string{"mnt": "4026532399", "net": "4026531992"} {
		f.proc["1/ns/"+name] = fstestFile{name + ":[" + ino + "]"}.file()
	}
	obs := observe(t, f)
	h := nsHost(obs)
	if h["pid"] != Yes || h["mount"] != Yes || h["network"] != No {
		t.Errorf("pid %s mount %s network %s, want yes yes no", h["pid"], h["mount"], h["network"])
	}
}

func TestSubjectUnobserved(t *testing.T) {
	s := observe(t, dockerV1()).Subject()
	if s.Kind != hardening.KindOCISpec || s.Name != "live:1" || s.Source != "/proc/self" {
		t.Errorf("subject %s %s %s", s.Kind, s.Name, s.Source)
	}
	for _, f := range []string{
		"linux.seccomp.syscalls", "linux.seccomp.syscalls[3].names", "linux.seccomp.defaultAction",
		"linux.seccomp.architectures", "linux.seccomp.flags", "linux.resources.devices", "linux.resources.devices[0].allow",
		"hooks", "hooks.prestart", "linux.sysctl", "process.args", "process.env", "root.path",
	} {
		if s.Observed(f) {
			t.Errorf("%s is observed", f)
		}
	}
	for _, f := range []string{
		"linux.seccomp", "process.capabilities.effective", "process.noNewPrivileges", "linux.namespaces",
		"linux.maskedPaths", "linux.resources.memory.limit", "linux.resources.pids.limit", "root.readonly", "mounts",
		"process.apparmorProfile", "linux.uidMappings",
	} {
		if !s.Observed(f) {
			t.Errorf("%s is not observed", f)
		}
	}
	if !slices.IsSorted(s.Unobserved) {
		t.Error("Unobserved not sorted")
	}
}

func TestUnreadableLSMIsUnknown(t *testing.T) {
	f := dockerV1()
	delete(f.proc, "self/attr/current")
	delete(f.proc, "self/attr/apparmor/current")
	f.proc["self/attr/current"] = fstestFile{}.dir() // reading a directory fails
	obs := observe(t, f)
	if obs.LSM.State != LSMUnknown {
		t.Errorf("LSM %+v, want unknown", obs.LSM)
	}
	if obs.Subject().Observed("process.apparmorProfile") {
		t.Error("apparmorProfile observed")
	}
}

func TestMissingStatus(t *testing.T) {
	f := dockerV1()
	delete(f.proc, "self/status")
	if _, err := Observe(f.opts()); err == nil || !strings.Contains(err.Error(), "status") {
		t.Errorf("err = %v", err)
	}
	if _, err := Observe(Options{PID: -1, Proc: f.proc, Sys: f.sys}); err == nil {
		t.Error("negative pid accepted")
	}
}

func TestOtherPID(t *testing.T) {
	f := dockerV1()
	for p, file := range f.proc {
		if rest, ok := strings.CutPrefix(p, "self/"); ok {
			f.proc["4242/"+rest] = file
			delete(f.proc, p)
		}
	}
	obs, err := Observe(Options{PID: 4242, Proc: f.proc, Sys: f.sys})
	if err != nil {
		t.Fatal(err)
	}
	if obs.ProcDir != "/proc/4242" || obs.Hostname != "" || obs.Subject().Observed("hostname") {
		t.Errorf("dir %s hostname %q", obs.ProcDir, obs.Hostname)
	}
	if e := obs.EvidenceFor("process.capabilities.effective"); len(e) != 1 || e[0].File != "/proc/4242/status" {
		t.Errorf("evidence %+v", e)
	}
}

func TestOlderKernelCapabilities(t *testing.T) {
	f := hybridHost()
	f.proc["sys/kernel/cap_last_cap"].Data = []byte("37\n")
	f.proc["self/status"].Data = []byte(status(1, "0\t0\t0\t0", "0\t0\t0\t0", "0000003fffffffff", "0000003fffffffff", 0, 0))
	obs := observe(t, f)
	if !obs.Capabilities.Full() {
		t.Error("all 38 capabilities of a 5.8 kernel not seen as full")
	}
	if got := obs.Spec().Process.Capabilities.Bounding; len(got) != 38 || got[37] != "CAP_AUDIT_READ" {
		t.Errorf("bounding %v", got)
	}
}

func TestRlimits(t *testing.T) {
	obs := observe(t, hybridHost())
	if len(obs.Rlimits) != 16 {
		t.Fatalf("%d rlimits, want 16", len(obs.Rlimits))
	}
	got := obs.Spec().Process.Rlimits
	if got[7] != (runtimespec.POSIXRlimit{Type: "RLIMIT_NOFILE", Soft: 1024, Hard: 1024}) || got[0].Soft != ^uint64(0) {
		t.Errorf("rlimits %+v", got)
	}
}
