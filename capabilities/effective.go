package capabilities

// Check capabilities.effective-not-permitted: a capability is listed as
// effective without being permitted.
//
// OCI spec fields:
//
//	process.capabilities.effective[*]
//	process.capabilities.permitted
//
// Allowed values: every effective capability is also permitted (the
// kernel's rule: effective ⊆ permitted). Names that are not capabilities
// are left to capabilities.unknown-name.
//
// capset(2) refuses a set whose effective part is not a subset of the
// permitted part with EPERM, and runc and crun apply all sets in one
// capset call, so such a spec does not start there ("unable to apply
// caps: operation not permitted"); a runtime that trims the set instead
// leaves those capabilities not effective. Either way the spec does not
// mean what it says: the finding is a low-severity lint.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// EffectiveNotPermitted reports OCI effective capabilities missing from the
// permitted set.
var EffectiveNotPermitted = &hardening.Check{
	ID:       "capabilities.effective-not-permitted",
	Title:    "effective capability not permitted",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "The kernel allows only permitted capabilities to be effective: capset(2) fails with EPERM otherwise, so runc " +
		"and crun refuse to start the container, and a runtime that trims the set silently drops the capability. The spec " +
		"does not describe the process that runs, which hides what it really holds from review.",
	Remediation: "Add the capability to process.capabilities.permitted if the process needs it, or remove it from effective.",
	References: []hardening.Reference{
		refCapabilities7,
		{Kind: hardening.RefDoc, ID: "capset(2)", URL: "https://man7.org/linux/man-pages/man2/capset.2.html"},
		{Kind: hardening.RefDoc, ID: "runtime-spec config process capabilities", URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config.md#linux-process"},
	},
	Run: runEffectiveNotPermitted,
}

func runEffectiveNotPermitted(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
		return out
	}
	caps := s.Spec.Process.Capabilities
	permitted, _ := parseKnown(caps.Permitted, false)
	for i, name := range caps.Effective {
		c, ok := Parse(name)
		if !ok || permitted.Has(c) {
			continue
		}
		out = append(out, hardening.Finding{
			Path: hardening.Index("process.capabilities.effective", i),
			Message: strconv.Quote(name) + " is effective but not permitted: capset(2) refuses that (EPERM), so runc and crun " +
				"do not start the container, and a runtime that trims the set leaves " + c.OCIName() + " not effective",
		})
	}
	return out
}
