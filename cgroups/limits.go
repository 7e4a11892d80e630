package cgroups

// Checks cgroups.pids-limit-missing and cgroups.swap-unbounded: an OCI
// runtime spec whose cgroup does not bound the number of tasks, or lets the
// container page out to swap past its memory limit.
//
// OCI spec fields:
//
//	linux.resources.pids.limit, linux.resources.unified["pids.max"]
//	linux.resources.memory.{limit,swap}, linux.resources.unified["memory.max","memory.swap.max"]
//
// Allowed values: a pids limit > 0. Unset and -1 mean no limit; 0 is
// reported too, as runc and crun have long treated it as unset.
//
// memory.swap is not the swap allowance: it is the limit on memory and swap
// together (cgroup v1's memory.memsw.limit_in_bytes; on cgroup v2 runc and
// crun write memory.swap.max = swap - limit). So with a memory limit L set
// (> 0), swap == L is allowed and means no swap at all; swap > L lets the
// container use swap - L bytes of swap beyond L; -1 means unlimited swap,
// and unset (or 0) leaves the cgroup's default, which is also unlimited
// swap on both cgroup versions. swap < L is invalid (runc refuses to
// start) and not reported here. A unified "memory.swap.max" (cgroup v2,
// swap alone, not memory+swap) overrides the field: only 0 is allowed
// ("0", or with a K, M, G… suffix, as the kernel reads it).
// Without a memory limit nothing is reported here (memory-limit-missing
// is). Whether the host has swap at all is not visible in a spec.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// PidsLimitMissing reports OCI specs without a pids limit.
var PidsLimitMissing = &hardening.Check{
	ID:       "cgroups.pids-limit-missing",
	Title:    "container has no pids limit",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassResourceExhaustion,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Process IDs and kernel task structures are shared by the whole host. Without a pids limit a fork bomb or a " +
		"thread leak in one container exhausts them, and no process on the host can fork any more, the runtime's included.",
	Remediation: "Set linux.resources.pids.limit to a positive number the workload never reaches (docker run --pids-limit, " +
		"podman's default is 2048).",
	References: []hardening.Reference{cgCIS("5.29"), cgRefOCIResources, cgNCC},
	Run:        runPidsLimit,
	Fix:        fixPidsLimit,
}

func runPidsLimit(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil {
		return out
	}
	l := pidsLimit(specResources(s))
	if l.bounded() {
		return out
	}
	msg := "the spec sets no pids limit"
	switch {
	case l.shown != "":
		msg = l.path + " is " + l.shown + ", which is no limit"
	case l.set && l.bytes == 0:
		msg = l.path + " is 0, which runc and crun have long treated as unset"
	case l.set:
		msg = l.path + " is " + l.describe() + ", which is no limit"
	}
	return append(out, hardening.Finding{
		Path:    l.path,
		Message: msg + ": a fork bomb in the container can exhaust the host's process IDs",
	})
}

// SwapUnbounded reports OCI specs with a memory limit that let the
// container use swap beyond it.
var SwapUnbounded = &hardening.Check{
	ID:       "cgroups.swap-unbounded",
	Title:    "container may swap beyond its memory limit",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassResourceExhaustion,
	Inputs:   hardening.KindOCISpec,
	Rationale: "linux.resources.memory.swap limits memory and swap together. Left unset, -1, or above the memory limit, it lets " +
		"a container that reaches its memory limit page out to the host's swap instead of being stopped: the memory limit no " +
		"longer bounds it, and the host's disk I/O and every other workload's latency pay for it.",
	Remediation: "Set linux.resources.memory.swap equal to linux.resources.memory.limit (docker run --memory-swap set to the " +
		"same value as --memory) so the container cannot swap, or to the limit plus the swap it is allowed.",
	// No CIS reference: CIS 5.11 audits the memory limit alone.
	References: []hardening.Reference{cgRefOCIResources, cgNCC,
		{Kind: hardening.RefDoc, ID: "Docker --memory-swap details", URL: "https://docs.docker.com/engine/containers/resource_constraints/#--memory-swap-details"}},
	Run: runSwapUnbounded,
	Fix: fixSwap,
}

func runSwapUnbounded(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil {
		return out
	}
	r := specResources(s)
	mem := memoryLimit(r)
	if !mem.bounded() {
		return out // memory-limit-missing reports it
	}
	if v, ok := unified(r, "memory.swap.max"); ok {
		if n, ok := memparse(v); ok && n == 0 {
			return out
		}
		what := "lets the container use " + strconv.Quote(v) + " bytes of swap beyond its memory limit"
		if v == "max" {
			what = "lets the container use unlimited swap beyond its memory limit"
		}
		return append(out, hardening.Finding{
			Path:    hardening.Key(pathUnified, "memory.swap.max"),
			Message: "linux.resources.unified[memory.swap.max] is " + strconv.Quote(v) + ": it " + what,
		})
	}
	const path = "linux.resources.memory.swap"
	var swap int64
	if r.Memory != nil && r.Memory.Swap != nil {
		swap = *r.Memory.Swap
	}
	var msg string
	switch {
	case swap == 0:
		msg = "the spec sets no memory+swap limit next to its memory limit of " + mem.describeBytes() +
			": the cgroup's default lets the container use unlimited swap beyond it"
	case swap < 0:
		msg = path + " is " + strconv.FormatInt(swap, 10) + ": the container may use unlimited swap beyond its memory limit of " +
			mem.describeBytes()
	case swap > mem.bytes:
		msg = path + " is " + strconv.FormatInt(swap, 10) + ", memory and swap together: the container may use " +
			strconv.FormatInt(swap-mem.bytes, 10) + " bytes of swap beyond its memory limit of " + mem.describeBytes()
	default:
		return out // swap == limit: no swap; swap < limit is rejected by the runtime
	}
	return append(out, hardening.Finding{Path: path, Message: msg})
}
