package capabilities

// Check capabilities.unknown-name: a capability list names something that
// is not a Linux capability.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.capabilities.{add,drop}[*]
//
// Allowed values: capability names with or without the CAP_ prefix, in any
// letter case, and ALL.
//
// OCI spec fields:
//
//	process.capabilities.{bounding,effective,permitted,inheritable,ambient}[*]
//
// Allowed values: capability names. ALL is not a name OCI runtimes know.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
)

// UnknownName reports capability names that are not capabilities: a typo
// in a drop list drops nothing.
var UnknownName = &hardening.Check{
	ID:       "capabilities.unknown-name",
	Title:    "unknown capability name",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "Runtimes ignore capability names they do not know (runc warns and carries on), so a misspelt drop " +
		"(\"NET-RAW\") silently keeps the capability the author meant to remove.",
	Remediation: "Spell the capability as capabilities(7) does, without the CAP_ prefix in Kubernetes (NET_RAW) and with it in OCI specs (CAP_NET_RAW).",
	References:  []hardening.Reference{refCapabilities7},
	Run:         runUnknownName,
}

func runUnknownName(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		for c := range s.Containers {
			if c.SecurityContext == nil || c.SecurityContext.Capabilities == nil {
				continue
			}
			caps := c.SecurityContext.Capabilities
			for i, name := range caps.Drop {
				if _, ok := Parse(string(name)); !ok && !IsAll(string(name)) {
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.capabilities.drop["+strconv.Itoa(i)+"]"),
						Message:   "container " + strconv.Quote(c.Name) + " drops " + strconv.Quote(string(name)) + ", which is not a capability: nothing is dropped",
					})
				}
			}
			for i, name := range caps.Add {
				if _, ok := Parse(string(name)); !ok && !IsAll(string(name)) {
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.capabilities.add["+strconv.Itoa(i)+"]"),
						Message:   "container " + strconv.Quote(c.Name) + " adds " + strconv.Quote(string(name)) + ", which is not a capability",
					})
				}
			}
		}
	case hardening.KindOCISpec:
		if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
			return out
		}
		for _, set := range ocispec.CapSets(s.Spec.Process.Capabilities) {
			for i, name := range set.Names {
				if _, ok := Parse(name); ok {
					continue
				}
				msg := strconv.Quote(name) + " in the " + set.Field + " set is not a capability; runtimes ignore it"
				if IsAll(name) {
					msg = "\"ALL\" in the " + set.Field + " set is a Kubernetes keyword, not a capability; OCI runtimes ignore it"
				}
				out = append(out, hardening.Finding{
					Path:    "process.capabilities." + set.Field + "[" + strconv.Itoa(i) + "]",
					Message: msg,
				})
			}
		}
	}
	return out
}
