package capabilities

// Check capabilities.inheritable-ambient: capabilities are handed on to
// every program the process executes.
//
// OCI spec fields:
//
//	process.capabilities.inheritable
//	process.capabilities.ambient
//
// Allowed values: empty. An ambient capability takes effect only when it is
// also in the permitted and inheritable sets; ambient capabilities that are
// not (the `runc spec` and `crun spec` templates write such a set) are
// reported at info level as not applied.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// InheritableAmbient reports OCI specs with non-empty inheritable or ambient
// capability sets.
var InheritableAmbient = &hardening.Check{
	ID:       "capabilities.inheritable-ambient",
	Title:    "capabilities passed on across exec",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Ambient capabilities are raised in every program the process executes, even as a non-root user; inheritable " +
		"capabilities combine with file capabilities on exec (the CVE-2022-24769 class). Runtimes stopped setting either: " +
		"a spec that still does hands privileges to programs that never asked for them.",
	Remediation: "Leave process.capabilities.inheritable and ambient empty; grant what a binary needs with file capabilities or the effective set.",
	References: []hardening.Reference{
		{Kind: hardening.RefCVE, ID: "CVE-2022-24769", URL: "https://github.com/advisories/GHSA-f3fp-gc8g-vw66"},
		refCapabilities7,
	},
	Run: runInheritableAmbient,
	Fix: fixInheritableAmbient,
}

func runInheritableAmbient(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
		return out
	}
	caps := s.Spec.Process.Capabilities
	if len(caps.Inheritable) > 0 {
		set, _ := parseKnown(caps.Inheritable, false)
		out = append(out, hardening.Finding{
			Path:    "process.capabilities.inheritable",
			Message: "the inheritable set holds " + strconv.Itoa(len(caps.Inheritable)) + " capabilities (" + ociNames(set) + "): executing a binary with matching file capabilities grants them",
		})
	}
	if len(caps.Ambient) > 0 {
		ambient, _ := parseKnown(caps.Ambient, false)
		permitted, _ := parseKnown(caps.Permitted, false)
		inheritable, _ := parseKnown(caps.Inheritable, false)
		applied := ambient & permitted & inheritable
		ignored := ambient.Without(applied)
		f := hardening.Finding{Path: "process.capabilities.ambient"}
		if applied != 0 {
			f.Message = "the ambient set raises " + ociNames(applied) + " in every program the process executes"
			if s.Spec.Process.User.UID != 0 {
				f.Message += ", handing them to non-root uid " + strconv.FormatUint(uint64(s.Spec.Process.User.UID), 10)
			}
			if ignored != 0 {
				f.Message += "; " + ociNames(ignored) + " are not also permitted and inheritable, so the kernel does not apply them"
			}
		} else {
			f.Severity = hardening.SeverityInfo
			f.Message = "the ambient set lists " + ociNames(ignored) + ", none of them both permitted and inheritable, so the kernel applies none: the setting is inert but misleading"
		}
		out = append(out, f)
	}
	return out
}

// ociNames renders a set with OCI names, sorted.
func ociNames(s Set) string {
	names := s.Names()
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += "CAP_" + n
	}
	if out == "" {
		return "no known capability"
	}
	return out
}
