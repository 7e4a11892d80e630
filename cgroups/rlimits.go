package cgroups

// Check cgroups.rlimits-unbounded: an OCI runtime spec that leaves the
// per-process limits on open files and processes to whatever the runtime
// inherited, or sets them to unlimited.
//
// OCI spec fields:
//
//	process.rlimits[*].{type,hard,soft}
//	linux.resources.pids.limit (to excuse a missing RLIMIT_NPROC)
//
// Allowed values: an RLIMIT_NOFILE entry, and an RLIMIT_NPROC entry unless
// a pids limit (> 0) bounds the container (the pids cgroup counts the
// container's tasks; RLIMIT_NPROC counts the real uid's processes across
// the host and is not enforced for root), each with a hard limit below
// unlimited (18446744073709551615, RLIM_INFINITY). Without an entry the
// process inherits the runtime's limits: dockerd's and containerd's own,
// which service units have often set to infinity. Types are matched
// exactly, as runc does. Other rlimit types are not checked.

import (
	"math"

	"github.com/bulwarkdev/bulwark/hardening"
)

// RlimitsUnbounded reports OCI specs without bounded RLIMIT_NOFILE and
// RLIMIT_NPROC.
var RlimitsUnbounded = &hardening.Check{
	ID:       "cgroups.rlimits-unbounded",
	Title:    "open files or processes are not limited by rlimits",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassResourceExhaustion,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Without RLIMIT_NOFILE and RLIMIT_NPROC the container inherits the runtime's limits, often unlimited, and can " +
		"exhaust the host's file table or process count, which no cgroup controller bounds for open files.",
	Remediation: "Set process.rlimits entries for RLIMIT_NOFILE (for example 1024 soft, 524288 hard) and RLIMIT_NPROC " +
		"(or a pids limit) with finite hard limits (docker run --ulimit nofile=1024:524288).",
	References: []hardening.Reference{cgCIS("5.19"), cgRefOCIProcess,
		{Kind: hardening.RefDoc, ID: "getrlimit(2)", URL: "https://man7.org/linux/man-pages/man2/getrlimit.2.html"}, cgNCC},
	Run: runRlimitsUnbounded,
	Fix: fixRlimits,
}

func runRlimitsUnbounded(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	p := specProcess(s)
	if p == nil {
		return out
	}
	haveNofile, haveNproc := false, false
	for i, rl := range p.Rlimits {
		switch rl.Type {
		case "RLIMIT_NOFILE":
			haveNofile = true
		case "RLIMIT_NPROC":
			haveNproc = true
		default:
			continue
		}
		if rl.Hard == math.MaxUint64 {
			out = append(out, hardening.Finding{
				Path:    hardening.Index("process.rlimits", i) + ".hard",
				Message: rl.Type + " has an unlimited hard limit: the container may raise its soft limit without bound",
			})
		}
	}
	if !haveNproc && pidsLimit(specResources(s)).bounded() {
		haveNproc = true // the pids cgroup bounds the container's tasks
	}
	var missing string
	switch {
	case !haveNofile && !haveNproc:
		missing = "neither RLIMIT_NOFILE nor RLIMIT_NPROC (nor a pids limit)"
	case !haveNofile:
		missing = "no RLIMIT_NOFILE"
	case !haveNproc:
		missing = "no RLIMIT_NPROC (nor a pids limit)"
	default:
		return out
	}
	return append(out, hardening.Finding{
		Path:    "process.rlimits",
		Message: "process.rlimits sets " + missing + ": the container inherits the runtime's limits, often unlimited",
	})
}
