package capabilities

// Check capabilities.low-ids: a Pod container runs with a uid or gid that
// may belong to an account on the host.
//
// Pod fields:
//
//	spec.securityContext.runAsUser, spec.securityContext.runAsGroup
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsUser
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsGroup
//	spec.hostUsers, spec.os.name
//
// Allowed values: IDs at or above the threshold (10000 for [LowIDsDefault],
// as kube-score and kubesec use). A container value overrides the pod
// value, as the kubelet applies them. uid and gid 0 are left to the root
// checks (capabilities.runs-as-root). When runAsUser is unset the image's
// USER decides: the check reads it only when the subject carries the
// image's config ([hardening.Subject.ContainerImages]) and USER is numeric,
// and otherwise says nothing. An unset runAsGroup is the primary group of
// the user in the image's /etc/passwd, which is not known here, unless USER
// names a numeric group ("10001:10001"). Pods with hostUsers: false run in
// a user namespace whose IDs map to an unused host range, and Windows pods
// have no Linux IDs; both are skipped.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// DefaultIDThreshold is the lowest uid and gid [LowIDsDefault] accepts.
const DefaultIDThreshold = 10000

// LowIDsDefault reports Pod containers that run with a uid or gid between 1
// and 9999; it is LowIDs(DefaultIDThreshold).
var LowIDsDefault = LowIDs(DefaultIDThreshold)

// LowIDs returns the check capabilities.low-ids for a threshold: it reports
// Pod containers whose uid or gid is above 0 and below threshold. Every
// threshold yields the same ID, so suppressions keep working; use one
// LowIDs check per list, in place of [LowIDsDefault].
func LowIDs(threshold int64) *hardening.Check {
	limit := strconv.FormatInt(threshold, 10)
	return &hardening.Check{
		ID:       "capabilities.low-ids",
		Title:    "container runs with a uid or gid below " + limit,
		Severity: hardening.SeverityInfo,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "Without a user namespace a container's uid is the same uid on the node. Low uids and gids belong to system and login " +
			"accounts there (regular users start at 1000), so a process that escapes, or reaches host files through a mount, acts as that " +
			"account and owns its files. IDs of " + limit + " and above are unlikely to collide.",
		Remediation: "Set securityContext.runAsUser and runAsGroup to IDs of " + limit + " or more (and build the image with such a USER), " +
			"or run the pod in a user namespace with hostUsers: false.",
		References: []hardening.Reference{
			{Kind: hardening.RefDoc, ID: "Kubernetes security context", URL: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
			{Kind: hardening.RefDoc, ID: "Kubernetes user namespaces", URL: "https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/"},
			refNCCEscape,
		},
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return runLowIDs(s, out, threshold)
		},
	}
}

func runLowIDs(s *hardening.Subject, out []hardening.Finding, threshold int64) []hardening.Finding {
	if s.Pod == nil || s.WindowsPod() || (s.Pod.Spec.HostUsers != nil && !*s.Pod.Spec.HostUsers) {
		return out
	}
	for c := range s.Containers {
		u := userOf(s, c)
		for _, id := range [2]struct {
			kind, field string
			v           *int64
			fromPod     bool
			group       bool // the group part of the image's USER
		}{
			{"uid", "runAsUser", u.UID, u.UIDFromPod, false},
			{"gid", "runAsGroup", u.GID, u.GIDFromPod, true},
		} {
			v, where := id.v, "container"
			if v != nil && id.fromPod {
				where = "pod"
			}
			var image string
			if v == nil {
				if u.Image == nil {
					continue // the image or its /etc/passwd decides, and it is not known here
				}
				iu := parseImageUser(u.Image)
				n, ok := iu.UID()
				if id.group {
					n, ok = iu.GID()
				}
				if !ok {
					continue
				}
				v, where, image = &n, "image", c.Image
			}
			if *v <= 0 || *v >= threshold {
				continue
			}
			path := s.ContainerPath(c, "securityContext."+id.field)
			msg := "container " + strconv.Quote(c.Name) + " runs as " + id.kind + " " + strconv.FormatInt(*v, 10)
			switch where {
			case "pod":
				path = s.SpecPath("securityContext." + id.field)
				msg += " (from " + path + ")"
			case "image":
				msg += " (sets no " + id.field + "; its image " + strconv.Quote(image) + " has USER " + strconv.Quote(u.Image.Config.User) + ")"
			}
			msg += ", below " + strconv.FormatInt(threshold, 10) + ": it may share the " + id.kind + " of an account on the node"
			out = append(out, hardening.Finding{Container: c.Name, Path: path, Message: msg})
		}
	}
	return out
}
