package capabilities

// Check capabilities.drop-all-missing: a Pod container keeps the runtime's
// default capabilities.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.capabilities.drop
//
// Allowed values: a list holding ALL (any letter case). Privileged
// containers are left to capabilities.privileged; Windows pods
// (spec.os.name: windows) have no Linux capabilities and are skipped.
//
// The default set assumed is [PodDefault], containerd's 14 capabilities
// ([DropAllMissingAssuming] builds the check for another runtime's); the
// finding names the runtime and what the container keeps under that
// assumption.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// DropAllMissing reports Pod containers that do not drop ALL capabilities
// and so keep the container runtime's default set, assuming containerd's
// ([PodDefault]).
var DropAllMissing = DropAllMissingAssuming("containerd", PodDefault)

// DropAllMissingAssuming returns the check capabilities.drop-all-missing
// for a cluster whose runtime gives a container that drops nothing the set
// defaults; runtime names it in findings ("CRI-O"). Every set yields the
// same ID, so suppressions keep working; use it in place of
// [DropAllMissing].
func DropAllMissingAssuming(runtime string, defaults Set) *hardening.Check {
	assumed := "assuming " + runtime + "'s default set"
	return &hardening.Check{
		ID:       "capabilities.drop-all-missing",
		Title:    "container does not drop all capabilities",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "A container that drops nothing keeps the runtime's default capabilities (14 on containerd and Docker), among them NET_RAW " +
			"for spoofing neighbours, MKNOD, SETUID and DAC_OVERRIDE; few applications need any of them, and each widens every kernel bug an attacker can reach.",
		Remediation: "Set securityContext.capabilities.drop: [ALL] and add back only what the workload needs (often nothing, or NET_BIND_SERVICE).",
		References: []hardening.Reference{
			refCIS("5.4"),
			{Kind: hardening.RefPSS, ID: "restricted/capabilities", URL: refPSSRestricted},
			refCapabilities7,
		},
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return runDropAllMissing(s, out, defaults, assumed)
		},
		Fix: fixDropAll,
	}
}

func runDropAllMissing(s *hardening.Subject, out []hardening.Finding, defaults Set, assumed string) []hardening.Finding {
	if s.WindowsPod() {
		return out
	}
	for c := range s.Containers {
		if isPrivileged(c) {
			continue
		}
		var drop, add []string
		if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
			if hasAll(sc.Capabilities.Drop) {
				continue
			}
			drop, add = capStrings(sc.Capabilities.Drop), capStrings(sc.Capabilities.Add)
		}
		dropped, _ := ParseList(drop)
		added, _ := ParseList(add)
		kept := defaults.Without(dropped)
		msg := "container " + strconv.Quote(c.Name) + " does not drop ALL; " + assumed + " it keeps " +
			strconv.Itoa(kept.Len()) + " capabilities"
		if kept.Len() > 0 {
			msg += " (" + kept.String() + ")"
		}
		if extra := added.Without(kept); extra != 0 {
			msg += " plus the added " + extra.String()
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "securityContext.capabilities.drop"),
			Message:   msg,
		})
	}
	return out
}

// hasAll reports whether a Kubernetes capability list holds ALL.
func hasAll[S ~string](list []S) bool {
	for _, name := range list {
		if IsAll(string(name)) {
			return true
		}
	}
	return false
}

// capStrings converts a Kubernetes capability list to strings.
func capStrings[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = string(c)
	}
	return out
}
