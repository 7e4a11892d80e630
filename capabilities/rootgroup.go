package capabilities

// Check capabilities.root-group: a Pod container runs with group 0 (root)
// as its primary or a supplementary group.
//
// Pod fields:
//
//	spec.securityContext.runAsGroup, spec.securityContext.fsGroup,
//	spec.securityContext.supplementalGroups[*]
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsGroup
//	spec.hostUsers, spec.os.name
//
// Allowed values: a runAsGroup other than 0 (the container's over the
// pod's, as [userOf] reads it), an fsGroup other than 0 and no 0 among the
// supplementalGroups. When runAsGroup is unset the image decides: the check
// reads the group of its USER ("10001:0", "app:root") only when the subject carries the
// image's config and USER names a numeric group, and otherwise says
// nothing (the primary group of a numeric uid comes from the image's
// /etc/passwd, or is 0 when the uid has no entry; neither is known here).
//
// fsGroup and supplementalGroups are pod-wide: the kubelet adds them to
// every container's supplementary groups, and fsGroup also makes the pod's
// volumes group-owned by it. They are reported once, at the pod spec.
//
// Pods with hostUsers: false run in a user namespace, where gid 0 maps to
// an unused host gid, and Windows pods have no Linux groups: both are
// skipped. OCI specs are not read: every runtime's default process runs
// with gid 0 beside uid 0, which capabilities.runs-as-root reports.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// RootGroup reports Pod containers that run with gid 0 as their primary
// group (runAsGroup, or the group of the image's USER) or as a
// supplementary group (fsGroup, supplementalGroups).
var RootGroup = &hardening.Check{
	ID:       "capabilities.root-group",
	Title:    "container runs with group 0 (root)",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "Without a user namespace gid 0 in a container is the root group on the node. Host files and devices that are group-owned " +
		"by root and group-readable or -writable (configuration under /etc, some device nodes, files on hostPath and shared volumes) " +
		"are then open to the container even as a non-root uid, and so are they to a process that escapes it.",
	Remediation: "Set securityContext.runAsGroup, and fsGroup where volumes need a shared group, to a non-zero gid (10000 or more), " +
		"drop 0 from supplementalGroups, and build the image with a USER whose group is not 0; or run the pod with hostUsers: false.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes security context", URL: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
		{Kind: hardening.RefDoc, ID: "Kubernetes user namespaces", URL: "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"},
		refNCCEscape,
	},
	Run: runRootGroup,
}

func runRootGroup(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil || s.WindowsPod() || (s.Pod.Spec.HostUsers != nil && !*s.Pod.Spec.HostUsers) {
		return out
	}
	if psc := s.Pod.Spec.SecurityContext; psc != nil {
		if psc.FSGroup != nil && *psc.FSGroup == 0 {
			out = append(out, hardening.Finding{
				Path: s.SpecPath("securityContext.fsGroup"),
				Message: "the pod sets fsGroup 0: every container gets the root group (gid 0) as a supplementary group, " +
					"and the kubelet makes the pod's volumes group-owned by it",
			})
		}
		for i, g := range psc.SupplementalGroups {
			if g == 0 {
				out = append(out, hardening.Finding{
					Path:    s.SpecPath(hardening.Index("securityContext.supplementalGroups", i)),
					Message: "the pod lists gid 0 among its supplementalGroups: every container gets the root group as a supplementary group",
				})
			}
		}
	}
	for c := range s.Containers {
		u := userOf(s, c)
		if u.GID != nil {
			if *u.GID != 0 {
				continue
			}
			path := s.ContainerPath(c, "securityContext.runAsGroup")
			msg := "container " + strconv.Quote(c.Name) + " runs as gid 0, the root group"
			if u.GIDFromPod {
				path = s.SpecPath("securityContext.runAsGroup")
				msg += " (from " + path + ")"
			}
			out = append(out, hardening.Finding{Container: c.Name, Path: path, Message: msg})
			continue
		}
		if u.Image == nil {
			continue // the image decides, and it is not known here
		}
		if iu := parseImageUser(u.Image); iu.HasGroup && iu.Group == "root" || imageGID0(iu) {
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "securityContext.runAsGroup"),
				Message: "container " + strconv.Quote(c.Name) + " sets no runAsGroup and its image " + strconv.Quote(c.Image) +
					" has USER " + strconv.Quote(u.Image.Config.User) + ", so it runs as gid 0, the root group",
			})
		}
	}
	return out
}

func imageGID0(iu imageUser) bool {
	gid, ok := iu.GID()
	return ok && gid == 0
}
