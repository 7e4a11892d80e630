package cgroups

// Checks cgroups.memory-limit-missing, cgroups.cpu-limit-missing,
// cgroups.memory-request-missing, cgroups.cpu-request-missing and
// cgroups.ephemeral-storage-limit-missing: a Pod container, or an OCI
// runtime spec, without the resource settings that bound what it takes from
// its node. The request and ephemeral-storage checks read Pods only.
//
// Pod fields:
//
//	spec.{initContainers,containers}[*].resources.limits.{memory,cpu,ephemeral-storage}
//	spec.{initContainers,containers}[*].resources.requests.{memory,cpu}
//	spec.resources.limits.{memory,cpu}, spec.resources.requests.{memory,cpu}
//
// Allowed values: any quantity, set on the container or, for memory and
// CPU, on the pod (spec.resources, the PodLevelResources feature of
// Kubernetes 1.32+, which bounds all containers together; it does not take
// ephemeral-storage). A request is also satisfied by a limit of the same
// resource, on the container or the pod: the API server defaults a missing
// request to the limit.
//
// Ephemeral containers are skipped: the API forbids resources on them (they
// run within the pod's existing allocation). Windows pods are checked like
// Linux ones: the kubelet enforces CPU and memory limits there through job
// objects.
//
// A LimitRange of the pod's namespace among the run's objects fills in
// defaults at admission, as limitrange.go describes: a container that
// gets its limit or request from there is not reported (a LimitRange with
// `default: {memory: 512Mi}`, or only `max: {memory: 1Gi}`, gives every
// container of the namespace a memory limit and request). A finding says
// which LimitRanges it looked at, or that there was none among the
// audited objects; without a Cluster it says nothing of them.
//
// OCI spec fields (memory-limit-missing and cpu-limit-missing):
//
//	linux.resources.memory.limit, linux.resources.unified["memory.max"]
//	linux.resources.cpu.{shares,quota,period,cpus}, linux.resources.unified["cpu.max"]
//
// Allowed values: a memory limit > 0 bytes (unset, 0 and -1 mean
// unlimited; a cgroup v2 unified "memory.max" overrides the field, as runc
// and crun apply unified values last, "max" is unlimited, and a number may
// carry the kernel's K, M, G, T, P or E suffix: "512M"). Any CPU
// constraint: cpu.shares other than 0 and 1024 (1024 is the default weight,
// which CIS 5.12 does not count), cpu.quota > 0 (with cpu.period, or the
// kernel's default period of 100ms when unset; a unified "cpu.max" of
// "max ..." cancels it, a numeric one sets it), or a cpuset in cpu.cpus.
// The finding's path is linux.resources.memory.limit, or
// linux.resources.cpu for the CPU constraint (any of its fields will do);
// a unified override that lifts the limit is reported at its key.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
)

// MemoryLimitMissing reports Pod containers and OCI specs without a memory
// limit.
var MemoryLimitMissing = resourceCheck(resourceRule{
	id:       "cgroups.memory-limit-missing",
	title:    "container has no memory limit",
	severity: hardening.SeverityMedium,
	resource: corev1.ResourceMemory,
	limit:    true,
	podLevel: true,
	effect:   "it can take all of the node's memory until the kernel's OOM killer ends processes of other pods",
	rationale: "Memory is not compressible: a container without a memory limit that leaks or is driven to allocate (decompression " +
		"bombs, unbounded caches) pushes the node into memory pressure, and the kubelet or the kernel evicts and kills its neighbours.",
	remediation: "Set resources.limits.memory on every container (or spec.resources.limits.memory for the whole pod) " +
		"to what the workload needs at its peak; in an OCI spec set linux.resources.memory.limit (docker run --memory).",
	refs: []hardening.Reference{cgCIS("5.11"), cgRefResources, cgRefOCIResources, cgNCC},
	spec: runMemoryLimitSpec,
	fix:  fixMemoryLimit,
})

// CPULimitMissing reports Pod containers without a CPU limit, and OCI
// specs without any CPU constraint.
var CPULimitMissing = resourceCheck(resourceRule{
	id:       "cgroups.cpu-limit-missing",
	title:    "container has no CPU limit",
	severity: hardening.SeverityLow,
	resource: corev1.ResourceCPU,
	limit:    true,
	podLevel: true,
	effect:   "it can use every idle CPU of the node",
	rationale: "Without a CPU limit a container may use all idle CPU of its node. CPU is compressible and the requests of other " +
		"containers still guarantee their share, so the risk is noisy neighbours and unpredictable latency rather than outage; " +
		"many clusters omit CPU limits on purpose, hence the low severity.",
	remediation: "Set resources.limits.cpu (or spec.resources.limits.cpu for the whole pod), or suppress the check where CPU limits " +
		"are omitted by policy and CPU requests are enforced. In an OCI spec set linux.resources.cpu: shares (docker run " +
		"--cpu-shares), quota and period (--cpus) or cpus (--cpuset-cpus).",
	refs: []hardening.Reference{cgCIS("5.12"), cgRefResources, cgRefOCIResources, cgNCC},
	spec: runCPULimitSpec,
})

// MemoryRequestMissing reports Pod containers with neither a memory
// request nor a memory limit that would default it.
var MemoryRequestMissing = resourceCheck(resourceRule{
	id:       "cgroups.memory-request-missing",
	title:    "container has no memory request",
	severity: hardening.SeverityLow,
	resource: corev1.ResourceMemory,
	podLevel: true,
	effect:   "the scheduler reserves no memory for it, and under memory pressure the kubelet evicts it among the first",
	rationale: "The scheduler places pods by their requests. A container that requests no memory is placed as if it needed none, " +
		"overcommitting its node, and is the first the kubelet evicts when memory runs short.",
	remediation: "Set resources.requests.memory (or a memory limit, which the request defaults to) on every container, " +
		"or spec.resources.requests.memory for the whole pod.",
	refs: []hardening.Reference{cgCIS("5.11"), cgRefResources, cgNCC},
})

// CPURequestMissing reports Pod containers with neither a CPU request nor
// a CPU limit that would default it.
var CPURequestMissing = resourceCheck(resourceRule{
	id:       "cgroups.cpu-request-missing",
	title:    "container has no CPU request",
	severity: hardening.SeverityInfo,
	resource: corev1.ResourceCPU,
	podLevel: true,
	effect:   "the scheduler reserves no CPU for it and it gets the smallest CPU weight when the node is busy",
	rationale: "The scheduler places pods by their requests, and CPU requests become the cgroup's CPU weight. A container that " +
		"requests no CPU overcommits its node and is starved first under contention.",
	remediation: "Set resources.requests.cpu (or a CPU limit, which the request defaults to) on every container, " +
		"or spec.resources.requests.cpu for the whole pod.",
	refs: []hardening.Reference{cgCIS("5.12"), cgRefResources, cgNCC},
})

// EphemeralStorageLimitMissing reports Pod containers without an
// ephemeral-storage limit.
var EphemeralStorageLimitMissing = resourceCheck(resourceRule{
	id:       "cgroups.ephemeral-storage-limit-missing",
	title:    "container has no ephemeral-storage limit",
	severity: hardening.SeverityLow,
	resource: corev1.ResourceEphemeralStorage,
	limit:    true,
	effect:   "its writable layer, logs and emptyDir volumes can fill the node's disk",
	rationale: "A container's writable layer, its logs and its emptyDir volumes live on the node's disk. Without an ephemeral-storage " +
		"limit one container can fill it, and the kubelet then evicts every pod on the node to reclaim space.",
	remediation: "Set resources.limits.ephemeral-storage on every container (pod-level resources do not cover it), " +
		"and sizeLimit on emptyDir volumes.",
	refs: []hardening.Reference{cgRefEphemeralStorage, cgNCC},
})

// resourceRule describes one resource check.
type resourceRule struct {
	id, title   string
	severity    hardening.Severity
	resource    corev1.ResourceName
	limit       bool // a limit, else a request
	podLevel    bool // spec.resources may set it for the whole pod
	effect      string
	rationale   string
	remediation string
	refs        []hardening.Reference
	// spec, when set, checks an OCI spec too.
	spec func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding
	// fix is the check's Fix.
	fix func(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string)
}

func resourceCheck(r resourceRule) *hardening.Check {
	inputs := hardening.KindPod
	if r.spec != nil {
		inputs |= hardening.KindOCISpec
	}
	return &hardening.Check{
		ID:       r.id,
		Title:    r.title,
		Severity: r.severity,
		Class:    hardening.ClassResourceExhaustion,
		Inputs:   inputs,
		// Windows pods have resources too; the OCI part reads linux.* and
		// skips other platforms' specs below.
		Platforms:   hardening.PlatformLinux | hardening.PlatformWindows,
		Rationale:   r.rationale,
		Remediation: r.remediation,
		References:  r.refs,
		Fix:         r.fix,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Kind == hardening.KindOCISpec {
				if r.spec == nil || s.LinuxSpec() == nil {
					return out
				}
				return r.spec(s, out)
			}
			return runResource(&r, s, out)
		},
	}
}

func runMemoryLimitSpec(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil {
		return out
	}
	l := memoryLimit(specResources(s))
	if l.bounded() {
		return out
	}
	msg := "the spec sets no memory limit"
	if l.set {
		msg = l.path + " is " + l.describe() + ", which is no limit"
	}
	return append(out, hardening.Finding{
		Path:    l.path,
		Message: msg + ": the container can take all of the host's memory until the kernel's OOM killer ends processes outside it",
	})
}

func runCPULimitSpec(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil {
		return out
	}
	r := specResources(s)
	if cpuConstrained(r) {
		return out
	}
	shares := "no CPU shares"
	if r != nil && r.CPU != nil && r.CPU.Shares != nil && *r.CPU.Shares == 1024 {
		shares = "CPU shares of 1024, the default weight,"
	}
	path, msg := "linux.resources.cpu", "the spec sets "+shares+" and no quota or cpuset"
	if v, ok := unified(r, "cpu.max"); ok {
		path, msg = hardening.Key(pathUnified, "cpu.max"), "linux.resources.unified[cpu.max] is "+strconv.Quote(v)+" and the spec sets "+shares+" and no cpuset"
	}
	return append(out, hardening.Finding{Path: path, Message: msg + ": the container can use every CPU of the host"})
}

// cpuConstrained reports whether the resources hold any CPU constraint.
func cpuConstrained(r *runtimespec.LinuxResources) bool {
	if r == nil {
		return false
	}
	quota := false
	if c := r.CPU; c != nil {
		if c.Shares != nil && *c.Shares != 0 && *c.Shares != 1024 {
			return true
		}
		if strings.TrimSpace(c.Cpus) != "" {
			return true
		}
		quota = c.Quota != nil && *c.Quota > 0
	}
	if v, ok := unified(r, "cpu.max"); ok {
		first, _, _ := strings.Cut(v, " ")
		n, err := strconv.ParseInt(first, 10, 64)
		quota = err == nil && n > 0
	}
	return quota
}

func runResource(r *resourceRule, s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	if r.podLevel && s.Pod.Spec.Resources != nil {
		if has(s.Pod.Spec.Resources.Limits, r.resource) || (!r.limit && has(s.Pod.Spec.Resources.Requests, r.resource)) {
			return out // the pod as a whole is bounded or reserved
		}
	}
	for c := range s.Containers {
		if c.List == "ephemeralContainers" {
			continue // the API forbids resources on ephemeral containers
		}
		if has(c.Resources.Limits, r.resource) || (!r.limit && has(c.Resources.Requests, r.resource)) {
			continue
		}
		if limitRangeSupplying(s, r.resource, r.limit) != nil {
			continue // the namespace's LimitRange gives the default (limitrange.go)
		}
		field, what := "resources.requests.", " request"
		if r.limit {
			field, what = "resources.limits.", " limit"
		}
		msg := "container " + strconv.Quote(c.Name) + " sets no " + string(r.resource) + what
		if r.podLevel {
			msg += " and the pod sets none in spec.resources"
		}
		msg += limitRangeWords(s)
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, field+string(r.resource)),
			Message:   msg + ": " + r.effect,
		})
	}
	return out
}

func has(l corev1.ResourceList, name corev1.ResourceName) bool {
	_, ok := l[name]
	return ok
}
