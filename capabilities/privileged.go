package capabilities

// Check capabilities.privileged: the container holds every privilege of
// root on the host.
//
// Pod fields:
//
//	spec.initContainers[*].securityContext.privileged
//	spec.containers[*].securityContext.privileged
//	spec.ephemeralContainers[*].securityContext.privileged
//
// Allowed values: false, unset.
//
// OCI spec fields: process.capabilities.bounding.
//
// Allowed values: any set that lacks at least one capability of Linux 3.16
// through 5.7 ([Legacy]); runtimes fill a privileged container's sets from
// the running kernel, so "all" is judged by the capabilities every kernel
// since 3.16 has.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Privileged reports privileged containers: a Pod container with
// securityContext.privileged: true, or an OCI spec whose bounding set holds
// every capability.
var Privileged = &hardening.Check{
	ID:       "capabilities.privileged",
	Title:    "container runs privileged",
	Severity: hardening.SeverityCritical,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "A privileged container holds every capability and, in Kubernetes and Docker, also gets all host devices, " +
		"no seccomp filter, no AppArmor profile and writable /sys: escaping to the host is a matter of mounting its disk.",
	Remediation: "Remove privileged: true (or the runtime's --privileged) and add only the capabilities the workload needs.",
	References: []hardening.Reference{
		refCIS("5.5"),
		{Kind: hardening.RefPSS, ID: "baseline/privileged-containers", URL: refPSSBaseline},
		refNCCEscape,
	},
	Run:   runPrivileged,
	Moots: privilegedMoots,
	Fix:   fixPrivileged,
}

// privilegedMoots lists what a privileged Pod container makes moot: the
// API server rejects allowPrivilegeEscalation: false beside privileged:
// true, and runtimes ignore the capability drops and the seccomp profile
// of a privileged container. Findings there are folded into the privileged
// finding, which says they must be fixed once privileged is gone. Added
// capabilities are not moot: they survive the removal of privileged.
func privilegedMoots(f *hardening.Finding) []string {
	sc, ok := strings.CutSuffix(f.Path, ".securityContext.privileged")
	if !ok {
		return nil // an OCI spec: its sets and seccomp filter still apply
	}
	sc += ".securityContext"
	return []string{sc + ".allowPrivilegeEscalation", sc + ".capabilities.drop", sc + ".seccompProfile"}
}

func runPrivileged(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		for c := range s.Containers {
			if isPrivileged(c) {
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.privileged"),
					Message:   "container " + strconv.Quote(c.Name) + " sets privileged: true",
				})
			}
		}
	case hardening.KindOCISpec:
		if bounding, ok := ociBounding(s); ok && bounding.Contains(Legacy) {
			out = append(out, hardening.Finding{
				Path: "process.capabilities.bounding",
				Message: "the bounding set holds all " + strconv.Itoa(bounding.Len()) +
					" capabilities: the process has every privilege root has on the host",
			})
		}
	}
	return out
}

// ociBounding returns the spec's bounding set, ignoring unknown names.
func ociBounding(s *hardening.Subject) (Set, bool) {
	if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
		return 0, false
	}
	set, _ := parseKnown(s.Spec.Process.Capabilities.Bounding, false)
	return set, true
}

// parseKnown is ParseList without collecting unknown names, so it never
// allocates. It reports whether any name was unknown. ALL means every
// capability only where allowAll is set: Kubernetes knows the keyword, OCI
// runtimes do not.
func parseKnown(list []string, allowAll bool) (set Set, anyUnknown bool) {
	for _, name := range list {
		if allowAll && IsAll(name) {
			set = All
			continue
		}
		if c, ok := Parse(name); ok {
			set = set.With(c)
		} else {
			anyUnknown = true
		}
	}
	return set, anyUnknown
}
