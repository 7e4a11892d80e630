package capabilities

// Check capabilities.non-root-unverifiable: the kubelet will refuse to start
// a container because it cannot prove runAsNonRoot.
//
// Pod fields:
//
//	spec.securityContext.runAsNonRoot, spec.securityContext.runAsUser
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsNonRoot
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsUser
//
// Image config fields (from [hardening.Subject.ContainerImages]): config.User.
//
// Reported: runAsNonRoot is true (container value over pod value),
// runAsUser is unset (container over pod), and the image's USER is root
// ("", "root", "0") or a name rather than a number ("app"): the kubelet
// checks runAsNonRoot against the numeric uid it will run, and refuses
// the container (CreateContainerConfigError) when it is 0 or unknown.
// Without the image's config the check says nothing. Windows pods are
// skipped.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// NonRootUnverifiable reports containers that ask for runAsNonRoot but
// whose image the kubelet cannot verify runs as non-root.
var NonRootUnverifiable = &hardening.Check{
	ID:       "capabilities.non-root-unverifiable",
	Title:    "runAsNonRoot cannot be satisfied by the image's user",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindPod,
	Rationale: "With runAsNonRoot: true and no runAsUser, the kubelet verifies the image's USER; a root USER, or a user name it cannot " +
		"turn into a uid without the image's /etc/passwd, makes it refuse to start the container. The control holds, " +
		"but the workload does not run, and the usual \"fix\" is to drop runAsNonRoot.",
	Remediation: "Set securityContext.runAsUser to the image user's numeric uid, or build the image with a numeric USER (USER 10001).",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "restricted/running-as-non-root", URL: refPSSRestricted},
		refCIS("4.1"),
	},
	Run: runNonRootUnverifiable,
	Fix: fixNonRootUnverifiable,
}

func runNonRootUnverifiable(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || len(s.ContainerImages) == 0 || s.WindowsPod() {
		return out
	}
	for c := range s.Containers {
		u := userOf(s, c)
		if !u.RequiresNonRoot() || u.UID != nil || u.Image == nil {
			continue
		}
		iu := parseImageUser(u.Image)
		user := iu.Raw
		var why string
		if iu.Root() {
			why = "runs as root"
		} else if _, ok := iu.UID(); !ok {
			why = "names a user, not a uid"
		} else {
			continue
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "securityContext.runAsUser"),
			Message: "container " + strconv.Quote(c.Name) + " requires runAsNonRoot but sets no runAsUser, and its image " +
				strconv.Quote(c.Image) + " has USER " + describeUser(user) + ", which " + why + ": the kubelet will refuse to start it",
		})
	}
	return out
}
