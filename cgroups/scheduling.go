package cgroups

// Checks cgroups.oom-score-adj and cgroups.realtime-scheduling: an OCI
// runtime spec that ranks the container's processes above the host's when
// memory, CPU or disk time runs short.
//
// OCI spec fields:
//
//	process.oomScoreAdj
//	process.scheduler.policy, process.ioPriority.class (runtime-spec 1.2+)
//	linux.resources.memory.limit, linux.resources.cpu.{cpus,realtimeRuntime},
//	linux.resources.blockIO.throttle*Device, linux.resources.unified["io.max"]
//
// oom-score-adj allows: unset or >= 0. A negative value makes the kernel's
// OOM killer pick the host's processes before the container's (-1000
// exempts it); it is low, or info when a memory limit bounds the container
// (the kubelet gives Guaranteed pods, which always have one, -997).
//
// realtime-scheduling allows: any policy but SCHED_FIFO and SCHED_RR
// (SCHED_DEADLINE is admission-controlled by its own runtime and period),
// unless a cpuset (linux.resources.cpu.cpus) confines the container or
// RT group scheduling gives it a budget (cpu.realtimeRuntime > 0, cgroup
// v1 with CONFIG_RT_GROUP_SCHED). A CFS quota (cpu.quota, cpu.max) does not
// count: it throttles SCHED_OTHER tasks only, never real-time ones. And any
// I/O class but IOPRIO_CLASS_RT, unless block I/O throttling
// (blockIO.throttle*Device or unified "io.max") bounds the container; an
// I/O weight does not bound the real-time class.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// OOMScoreAdj reports OCI specs with a negative oomScoreAdj.
var OOMScoreAdj = &hardening.Check{
	ID:       "cgroups.oom-score-adj",
	Title:    "container is shielded from the OOM killer",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassResourceExhaustion,
	Inputs:   hardening.KindOCISpec,
	Rationale: "When the host runs out of memory the kernel kills the process with the highest OOM score. A negative " +
		"oomScoreAdj makes the container's processes the last choice, so the host's own daemons, the runtime included, die first.",
	Remediation: "Leave process.oomScoreAdj unset or at 0 or more (docker run --oom-score-adj), and bound the container " +
		"with a memory limit instead.",
	References: []hardening.Reference{cgRefOCIProcess,
		{Kind: hardening.RefDoc, ID: "proc_pid_oom_score_adj(5)", URL: "https://man7.org/linux/man-pages/man5/proc_pid_oom_score_adj.5.html"}, cgNCC},
	Run: runOOMScoreAdj,
}

func runOOMScoreAdj(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	p := specProcess(s)
	if p == nil || p.OOMScoreAdj == nil || *p.OOMScoreAdj >= 0 {
		return out
	}
	adj := *p.OOMScoreAdj
	msg := "process.oomScoreAdj is " + strconv.Itoa(adj) + ": the OOM killer ends the host's processes before the container's"
	if adj <= -1000 {
		msg = "process.oomScoreAdj is " + strconv.Itoa(adj) + ": the OOM killer never ends the container's processes, whatever they take"
	}
	f := hardening.Finding{Path: "process.oomScoreAdj", Message: msg}
	if memoryLimit(specResources(s)).bounded() {
		f.Severity = hardening.SeverityInfo
		f.Message += "; its memory limit keeps it from causing a host-wide shortage alone"
	}
	return append(out, f)
}

// RealtimeScheduling reports OCI specs that run the container with a
// real-time CPU or I/O scheduling class and nothing bounding it.
var RealtimeScheduling = &hardening.Check{
	ID:       "cgroups.realtime-scheduling",
	Title:    "container runs with unbounded real-time priority",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassResourceExhaustion,
	Inputs:   hardening.KindOCISpec,
	Rationale: "A SCHED_FIFO or SCHED_RR task runs before every normal task on its CPU until it blocks: a busy loop in the " +
		"container starves the host's processes on every CPU it may use (only the kernel's global real-time throttling, " +
		"95% of each CPU by default, holds it back). The IOPRIO_CLASS_RT I/O class likewise goes before all other disk I/O.",
	Remediation: "Remove process.scheduler (or use SCHED_OTHER) and process.ioPriority class IOPRIO_CLASS_RT; where real-time " +
		"scheduling is needed, confine the container to dedicated CPUs with linux.resources.cpu.cpus and throttle its block I/O.",
	References: []hardening.Reference{cgRefOCIProcess,
		{Kind: hardening.RefDoc, ID: "sched(7)", URL: "https://man7.org/linux/man-pages/man7/sched.7.html"},
		{Kind: hardening.RefDoc, ID: "ioprio_set(2)", URL: "https://man7.org/linux/man-pages/man2/ioprio_set.2.html"}, cgNCC},
	Run: runRealtimeScheduling,
}

func runRealtimeScheduling(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	p := specProcess(s)
	if p == nil {
		return out
	}
	r := specResources(s)
	if sc := p.Scheduler; sc != nil && (sc.Policy == runtimespec.SchedFIFO || sc.Policy == runtimespec.SchedRR) && !rtCPUBounded(r) {
		out = append(out, hardening.Finding{
			Path: "process.scheduler.policy",
			Message: "process.scheduler.policy is " + string(sc.Policy) + " with priority " + strconv.Itoa(int(sc.Priority)) +
				" and no cpuset or real-time budget bounds it: a busy loop starves the host's processes on every CPU",
		})
	}
	if io := p.IOPriority; io != nil && io.Class == runtimespec.IOPRIO_CLASS_RT && !ioThrottled(r) {
		out = append(out, hardening.Finding{
			Path: "process.ioPriority.class",
			Message: "process.ioPriority.class is IOPRIO_CLASS_RT and no block I/O throttling bounds it: " +
				"the container's disk I/O goes before the host's",
		})
	}
	return out
}

// rtCPUBounded reports whether a cpuset or an RT runtime budget bounds
// real-time tasks.
func rtCPUBounded(r *runtimespec.LinuxResources) bool {
	if r == nil {
		return false
	}
	if r.CPU != nil && (r.CPU.Cpus != "" || (r.CPU.RealtimeRuntime != nil && *r.CPU.RealtimeRuntime > 0)) {
		return true
	}
	v, ok := unified(r, "cpuset.cpus")
	return ok && v != ""
}

// ioThrottled reports whether block I/O throttling bounds the container.
func ioThrottled(r *runtimespec.LinuxResources) bool {
	if r == nil {
		return false
	}
	if b := r.BlockIO; b != nil && (len(b.ThrottleReadBpsDevice) > 0 || len(b.ThrottleWriteBpsDevice) > 0 ||
		len(b.ThrottleReadIOPSDevice) > 0 || len(b.ThrottleWriteIOPSDevice) > 0) {
		return true
	}
	v, ok := unified(r, "io.max")
	return ok && v != ""
}
