package cgroups_test

import (
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"math"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

func ptr[T any](v T) *T { return &v }

// allow returns an allow rule for a character device.
func allow(typ string, major, minor int64) runtimespec.LinuxDeviceCgroup {
	r := runtimespec.LinuxDeviceCgroup{Allow: true, Type: typ, Access: "rwm"}
	if major >= 0 {
		r.Major = ptr(major)
	}
	if minor >= 0 {
		r.Minor = ptr(minor)
	}
	return r
}

// hardenedSpec passes every check of this package: pids, memory (no swap)
// and CPU limits, a deny-all device cgroup allowing only the standard
// character devices, and bounded NOFILE and NPROC.
func hardenedSpec() *runtimespec.Spec {
	return &runtimespec.Spec{
		Version: runtimespec.Version,
		Process: &runtimespec.Process{
			User: runtimespec.User{UID: 10001, GID: 10001},
			Args: []string{"/app"},
			Cwd:  "/",
			Rlimits: []runtimespec.POSIXRlimit{
				{Type: "RLIMIT_NOFILE", Hard: 4096, Soft: 1024},
				{Type: "RLIMIT_NPROC", Hard: 512, Soft: 512},
			},
		},
		Linux: &runtimespec.Linux{
			Namespaces: []runtimespec.LinuxNamespace{
				{Type: runtimespec.PIDNamespace}, {Type: runtimespec.NetworkNamespace}, {Type: runtimespec.IPCNamespace},
				{Type: runtimespec.UTSNamespace}, {Type: runtimespec.MountNamespace},
			},
			Resources: &runtimespec.LinuxResources{
				Devices: []runtimespec.LinuxDeviceCgroup{
					{Allow: false, Access: "rwm"},
					allow("c", 1, 3), allow("c", 1, 5), allow("c", 1, 7), allow("c", 1, 8), allow("c", 1, 9),
					allow("c", 5, 0), allow("c", 5, 1), allow("c", 5, 2), allow("c", 136, -1),
				},
				Memory: &runtimespec.LinuxMemory{Limit: ptr(int64(256 << 20)), Swap: ptr(int64(256 << 20))},
				CPU:    &runtimespec.LinuxCPU{Quota: ptr(int64(50000)), Period: ptr(uint64(100000))},
				Pids:   &runtimespec.LinuxPids{Limit: ptr(int64(256))},
			},
		},
	}
}

const (
	pids      = "cgroups.pids-limit-missing"
	swap      = "cgroups.swap-unbounded"
	devOpen   = "cgroups.device-cgroup-open"
	devAllow  = "cgroups.device-allowed"
	devNode   = "cgroups.device-node"
	oom       = "cgroups.oom-score-adj"
	realtime  = "cgroups.realtime-scheduling"
	rlimits   = "cgroups.rlimits-unbounded"
	high      = hardening.SeverityHigh
	unlimited = math.MaxUint64
)

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []got
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"partial input: no linux, no process", func(s *runtimespec.Spec) { s.Linux, s.Process = nil, nil }, []got{
			{cpuLimit, low, "", "linux.resources.cpu"},
			{memLimit, medium, "", "linux.resources.memory.limit"},
			{pids, medium, "", "linux.resources.pids.limit"},
		}},
		{"partial input: empty linux and process", func(s *runtimespec.Spec) {
			s.Linux, s.Process = &runtimespec.Linux{}, &runtimespec.Process{}
		}, []got{
			{cpuLimit, low, "", "linux.resources.cpu"},
			{devOpen, info, "", "linux.resources.devices"},
			{memLimit, medium, "", "linux.resources.memory.limit"},
			{pids, medium, "", "linux.resources.pids.limit"},
			{rlimits, low, "", "process.rlimits"},
		}},
		{"partial input: empty resources", func(s *runtimespec.Spec) {
			s.Linux.Resources = &runtimespec.LinuxResources{Memory: &runtimespec.LinuxMemory{}, CPU: &runtimespec.LinuxCPU{}, Pids: &runtimespec.LinuxPids{}}
		}, []got{
			{cpuLimit, low, "", "linux.resources.cpu"},
			{devOpen, info, "", "linux.resources.devices"},
			{memLimit, medium, "", "linux.resources.memory.limit"},
			{pids, medium, "", "linux.resources.pids.limit"},
		}},
		{"unlimited values", func(s *runtimespec.Spec) {
			r := s.Linux.Resources
			r.Pids.Limit = ptr(int64(-1))
			r.Memory.Limit = ptr(int64(-1))
			r.CPU = &runtimespec.LinuxCPU{Quota: ptr(int64(-1)), Shares: ptr(uint64(1024))}
		}, []got{
			{cpuLimit, low, "", "linux.resources.cpu"},
			{memLimit, medium, "", "linux.resources.memory.limit"},
			{pids, medium, "", "linux.resources.pids.limit"},
		}},
		{"pids limit 0 is no limit", func(s *runtimespec.Spec) { s.Linux.Resources.Pids.Limit = ptr(int64(0)) },
			[]got{{pids, medium, "", "linux.resources.pids.limit"}}},
		{"cpu shares or a cpuset are constraints, quota without period too", func(s *runtimespec.Spec) {
			s.Linux.Resources.CPU = &runtimespec.LinuxCPU{Shares: ptr(uint64(512))}
		}, nil},
		{"a cpuset is a constraint", func(s *runtimespec.Spec) { s.Linux.Resources.CPU = &runtimespec.LinuxCPU{Cpus: "0-1"} }, nil},
		{"a quota without period is a constraint", func(s *runtimespec.Spec) { s.Linux.Resources.CPU.Period = nil }, nil},
		{"unified values override the fields", func(s *runtimespec.Spec) {
			s.Linux.Resources.Unified = map[string]string{"pids.max": "max", "memory.max": "max", "cpu.max": "max 100000"}
		}, []got{
			{cpuLimit, low, "", "linux.resources.unified[cpu.max]"},
			{memLimit, medium, "", "linux.resources.unified[memory.max]"},
			{pids, medium, "", "linux.resources.unified[pids.max]"},
		}},
		{"unified values alone are limits", func(s *runtimespec.Spec) {
			s.Linux.Resources.Pids, s.Linux.Resources.CPU = nil, nil
			s.Linux.Resources.Memory = nil
			s.Linux.Resources.Unified = map[string]string{"pids.max": "100", "memory.max": "1048576", "cpu.max": "50000 100000", "memory.swap.max": "0"}
		}, nil},
		{"unified memory values take the kernel's suffixes", func(s *runtimespec.Spec) {
			s.Linux.Resources.Memory = nil
			s.Linux.Resources.Unified = map[string]string{"memory.max": "512M", "memory.swap.max": "0K"}
		}, nil},
		{"a suffix the kernel rejects is no limit", func(s *runtimespec.Spec) {
			s.Linux.Resources.Memory = nil
			s.Linux.Resources.Unified = map[string]string{"memory.max": "512MB"}
		}, []got{{memLimit, medium, "", "linux.resources.unified[memory.max]"}}},
		{"unified swap", func(s *runtimespec.Spec) {
			s.Linux.Resources.Unified = map[string]string{"memory.swap.max": "max"}
		}, []got{{swap, low, "", "linux.resources.unified[memory.swap.max]"}}},
		{"swap unset with a memory limit", func(s *runtimespec.Spec) { s.Linux.Resources.Memory.Swap = nil },
			[]got{{swap, low, "", "linux.resources.memory.swap"}}},
		{"swap -1", func(s *runtimespec.Spec) { s.Linux.Resources.Memory.Swap = ptr(int64(-1)) },
			[]got{{swap, low, "", "linux.resources.memory.swap"}}},
		{"docker --memory alone: swap twice the limit", func(s *runtimespec.Spec) { s.Linux.Resources.Memory.Swap = ptr(int64(512 << 20)) },
			[]got{{swap, low, "", "linux.resources.memory.swap"}}},
		{"swap below the limit is invalid, not reported", func(s *runtimespec.Spec) { s.Linux.Resources.Memory.Swap = ptr(int64(1 << 20)) }, nil},
		{"swap without a memory limit is left to memory-limit-missing", func(s *runtimespec.Spec) { s.Linux.Resources.Memory = nil },
			[]got{{memLimit, medium, "", "linux.resources.memory.limit"}}},
		{"docker --privileged: allow all", func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}
		}, []got{{devOpen, high, "", "linux.resources.devices[0]"}}},
		{"type a ignores its numbers", func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = append(s.Linux.Resources.Devices, runtimespec.LinuxDeviceCgroup{Allow: true, Type: "a", Major: ptr(int64(1)), Minor: ptr(int64(3)), Access: "r"})
		}, []got{{devOpen, high, "", "linux.resources.devices[10]"}}},
		{"a later deny-all closes it again", func(s *runtimespec.Spec) {
			d := s.Linux.Resources.Devices
			s.Linux.Resources.Devices = append([]runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}, d...)
		}, nil},
		{"no deny-all rule relies on the runtime", func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = s.Linux.Resources.Devices[1:]
		}, []got{{devOpen, info, "", "linux.resources.devices"}}},
		{"docker --device /dev/sda, and sensitive char devices", func(s *runtimespec.Spec) {
			r := s.Linux.Resources
			r.Devices = append(r.Devices,
				allow("b", 8, 0),    // 9
				allow("c", 1, 1),    // 10
				allow("c", 10, -1),  // 11
				allow("c", 10, 200), // 12
				allow("c", -1, -1),  // 13
				runtimespec.LinuxDeviceCgroup{Allow: true, Type: "b", Access: "m"}, // mknod only
				runtimespec.LinuxDeviceCgroup{Allow: false, Type: "c", Major: ptr(int64(10)), Minor: ptr(int64(229)), Access: "rwm"},
				allow("c", 4, 0), // /dev/tty0 is not in the list
			)
			s.Linux.Devices = []runtimespec.LinuxDevice{
				{Path: "/dev/sda", Type: "b", Major: 8, Minor: 0},
				{Path: "/dev/fuse", Type: "c", Major: 10, Minor: 229}, // denied by the cgroup
				{Path: "/dev/null", Type: "c", Major: 1, Minor: 3},
				{Path: "/dev/kvm", Type: "c", Major: 10, Minor: 232},
				{Path: "/dev/fifo", Type: "p"},
			}
		}, []got{
			{devAllow, high, "", "linux.resources.devices[10]"},
			{devAllow, high, "", "linux.resources.devices[11]"},
			{devAllow, medium, "", "linux.resources.devices[12]"},
			{devAllow, low, "", "linux.resources.devices[13]"},
			{devAllow, high, "", "linux.resources.devices[14]"},
			{devNode, high, "", "linux.devices[0]"},
			{devNode, low, "", "linux.devices[1]"},
			{devNode, medium, "", "linux.devices[3]"},
		}},
		{"oom score", func(s *runtimespec.Spec) { s.Process.OOMScoreAdj = ptr(-500) }, []got{{oom, info, "", "process.oomScoreAdj"}}},
		{"oom score without a memory limit", func(s *runtimespec.Spec) {
			s.Process.OOMScoreAdj = ptr(-1000)
			s.Linux.Resources.Memory = nil
		}, []got{
			{memLimit, medium, "", "linux.resources.memory.limit"},
			{oom, low, "", "process.oomScoreAdj"},
		}},
		{"positive oom score", func(s *runtimespec.Spec) { s.Process.OOMScoreAdj = ptr(1000) }, nil},
		{"real-time scheduling bounded by a CFS quota is not bounded", func(s *runtimespec.Spec) {
			s.Process.Scheduler = &runtimespec.Scheduler{Policy: runtimespec.SchedFIFO, Priority: 50}
			s.Process.IOPriority = &runtimespec.LinuxIOPriority{Class: runtimespec.IOPRIO_CLASS_RT}
		}, []got{
			{realtime, medium, "", "process.scheduler.policy"},
			{realtime, medium, "", "process.ioPriority.class"},
		}},
		{"real-time scheduling on a cpuset with throttled I/O", func(s *runtimespec.Spec) {
			s.Process.Scheduler = &runtimespec.Scheduler{Policy: runtimespec.SchedRR, Priority: 10}
			s.Process.IOPriority = &runtimespec.LinuxIOPriority{Class: runtimespec.IOPRIO_CLASS_RT}
			s.Linux.Resources.CPU.Cpus = "3"
			s.Linux.Resources.BlockIO = &runtimespec.LinuxBlockIO{ThrottleReadBpsDevice: []runtimespec.LinuxThrottleDevice{{Rate: 1 << 20}}}
		}, nil},
		{"other policies", func(s *runtimespec.Spec) {
			s.Process.Scheduler = &runtimespec.Scheduler{Policy: runtimespec.SchedDeadline}
			s.Process.IOPriority = &runtimespec.LinuxIOPriority{Class: runtimespec.IOPRIO_CLASS_BE}
		}, nil},
		{"rlimits unlimited", func(s *runtimespec.Spec) {
			s.Process.Rlimits[0].Hard = unlimited
			s.Process.Rlimits = append(s.Process.Rlimits, runtimespec.POSIXRlimit{Type: "RLIMIT_CORE", Hard: unlimited})
		}, []got{{rlimits, low, "", "process.rlimits[0].hard"}}},
		{"rlimits missing NPROC is excused by a pids limit", func(s *runtimespec.Spec) { s.Process.Rlimits = s.Process.Rlimits[:1] }, nil},
		{"rlimits missing NPROC without a pids limit", func(s *runtimespec.Spec) {
			s.Process.Rlimits = s.Process.Rlimits[:1]
			s.Linux.Resources.Pids = nil
		}, []got{
			{pids, medium, "", "linux.resources.pids.limit"},
			{rlimits, low, "", "process.rlimits"},
		}},
		{"rlimits missing NOFILE", func(s *runtimespec.Spec) { s.Process.Rlimits = s.Process.Rlimits[1:] },
			[]got{{rlimits, low, "", "process.rlimits"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(cgroups.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpecMessages(t *testing.T) {
	for _, tt := range []struct {
		check *hardening.Check
		tweak func(s *runtimespec.Spec)
		want  string
	}{
		{cgroups.PidsLimitMissing, func(s *runtimespec.Spec) { s.Linux.Resources.Pids.Limit = ptr(int64(-1)) },
			"linux.resources.pids.limit is -1, which is no limit: a fork bomb in the container can exhaust the host's process IDs"},
		{cgroups.PidsLimitMissing, func(s *runtimespec.Spec) { s.Linux.Resources.Unified = map[string]string{"pids.max": "max"} },
			`linux.resources.unified[pids.max] is "max", which is no limit: a fork bomb in the container can exhaust the host's process IDs`},
		{cgroups.CPULimitMissing, func(s *runtimespec.Spec) { s.Linux.Resources.CPU = &runtimespec.LinuxCPU{Shares: ptr(uint64(1024))} },
			"the spec sets CPU shares of 1024, the default weight, and no quota or cpuset: the container can use every CPU of the host"},
		{cgroups.CPULimitMissing, func(s *runtimespec.Spec) { s.Linux.Resources.CPU = nil },
			"the spec sets no CPU shares and no quota or cpuset: the container can use every CPU of the host"},
		{cgroups.MemoryLimitMissing, func(s *runtimespec.Spec) { s.Linux.Resources.Memory = nil },
			"the spec sets no memory limit: the container can take all of the host's memory until the kernel's OOM killer ends processes outside it"},
		{cgroups.SwapUnbounded, func(s *runtimespec.Spec) { s.Linux.Resources.Memory.Swap = ptr(int64(512 << 20)) },
			"linux.resources.memory.swap is 536870912, memory and swap together: the container may use 268435456 bytes of swap beyond its memory limit of 268435456 bytes"},
		{cgroups.DeviceCgroupOpen, func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{{Allow: true, Type: "a", Major: ptr(int64(1)), Minor: ptr(int64(3)), Access: "rwm"}}
		}, `rule {allow: true, type: "a", major: 1, minor: 3, access: "rwm"} allows every access to every device of the host (for type "a" the kernel ignores the numbers and the access), disks and /dev/mem included`},
		{cgroups.DeviceAllowed, func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{allow("c", 10, -1)}
		},
			`rule {allow: true, type: "c", major: 10, access: "rwm"} allows access to /dev/fuse (user-space file systems), /dev/kvm (hypervisor), /dev/loop-control (allocates loop devices), /dev/net/tun (TUN/TAP interfaces)`},
		{cgroups.DeviceAllowed, func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{allow("c", -1, 1)}
		},
			`rule {allow: true, type: "c", minor: 1, access: "rwm"} allows access to character device minor 1 of every major, raw SCSI access to a disk (/dev/sg1) included, and /dev/mem (physical memory)`},
		{cgroups.DeviceAllowed, func(s *runtimespec.Spec) {
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{allow("c", -1, 5)}
		},
			`rule {allow: true, type: "c", minor: 5, access: "rwm"} allows access to character device minor 5 of every major, raw SCSI access to a disk (/dev/sg5) included`},
		{cgroups.SwapUnbounded, func(s *runtimespec.Spec) {
			s.Linux.Resources.Memory = nil
			s.Linux.Resources.Unified = map[string]string{"memory.max": "1G"}
		}, `the spec sets no memory+swap limit next to its memory limit of "1G": the cgroup's default lets the container use unlimited swap beyond it`},
		{cgroups.DeviceNode, func(s *runtimespec.Spec) {
			s.Linux.Devices = []runtimespec.LinuxDevice{{Path: "/dev/nvme0n1", Type: "b", Major: 259, Minor: 0}}
		}, `creates "/dev/nvme0n1" (b 259:0): block device major 259 (NVMe and other extended block devices), the host's storage; the device cgroup as written denies reading and writing it`},
		{cgroups.RealtimeScheduling, func(s *runtimespec.Spec) {
			s.Process.Scheduler = &runtimespec.Scheduler{Policy: runtimespec.SchedFIFO, Priority: 99}
		},
			"process.scheduler.policy is SCHED_FIFO with priority 99 and no cpuset or real-time budget bounds it: a busy loop starves the host's processes on every CPU"},
	} {
		spec := hardenedSpec()
		tt.tweak(spec)
		f := tt.check.Run(hardening.NewSpecSubject("config.json", spec), nil)
		if len(f) != 1 || f[0].Message != tt.want {
			t.Errorf("%s: got %v\nwant %s", tt.check.ID, f, tt.want)
		}
	}
}

// TestSpecNeverPanics runs every check over specs with each pointer of the
// hardened spec cleared in turn.
func TestSpecNeverPanics(t *testing.T) {
	clears := []func(s *runtimespec.Spec){
		func(s *runtimespec.Spec) { s.Process = nil },
		func(s *runtimespec.Spec) { s.Linux = nil },
		func(s *runtimespec.Spec) { s.Linux.Resources = nil },
		func(s *runtimespec.Spec) { s.Linux.Resources.Memory = nil },
		func(s *runtimespec.Spec) { s.Linux.Resources.CPU = nil },
		func(s *runtimespec.Spec) { s.Linux.Resources.Pids = nil },
		func(s *runtimespec.Spec) { s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{{}} },
		func(s *runtimespec.Spec) { s.Linux.Devices = []runtimespec.LinuxDevice{{}, {Type: "u"}} },
		func(s *runtimespec.Spec) { s.Process.Scheduler = &runtimespec.Scheduler{} },
		func(s *runtimespec.Spec) {
			s.Linux.Resources.Unified = map[string]string{"cpu.max": "", "memory.max": "junk"}
		},
	}
	subjects := []*hardening.Subject{hardening.NewSpecSubject("nil.json", nil), {Kind: hardening.KindOCISpec}}
	for _, clear := range clears {
		spec := hardenedSpec()
		clear(spec)
		subjects = append(subjects, hardening.NewSpecSubject("config.json", spec))
	}
	for _, s := range subjects {
		for _, f := range checktest.Each(cgroups.Checks(), s) {
			if f.Check == hardening.CheckFailed.ID || strings.Contains(f.Message, "panicked") {
				t.Errorf("%s: %s", s.Name, f.Message)
			}
		}
	}
}
