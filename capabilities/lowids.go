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
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
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
	psc := s.Pod.Spec.SecurityContext
	for c := range s.Containers {
		csc := c.SecurityContext
		for _, id := range [2]struct {
			kind, field    string
			ctr, pod       *int64
			fromImageIndex int // 0: user part of USER, 1: group part
		}{
			{"uid", "runAsUser", ctrField(csc, true), podField(psc, true), 0},
			{"gid", "runAsGroup", ctrField(csc, false), podField(psc, false), 1},
		} {
			v, where := id.ctr, "container"
			if v == nil && id.pod != nil {
				v, where = id.pod, "pod"
			}
			var image string
			if v == nil {
				n, ok := imageID(s, c.Image, id.fromImageIndex)
				if !ok {
					continue // the image or its /etc/passwd decides, and it is not known here
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
				msg += " (sets no " + id.field + "; its image " + strconv.Quote(image) + " has USER " + strconv.Quote(imageUser(s, image)) + ")"
			}
			msg += ", below " + strconv.FormatInt(threshold, 10) + ": it may share the " + id.kind + " of an account on the node"
			out = append(out, hardening.Finding{Container: c.Name, Path: path, Message: msg})
		}
	}
	return out
}

func ctrField(sc *corev1.SecurityContext, user bool) *int64 {
	switch {
	case sc == nil:
		return nil
	case user:
		return sc.RunAsUser
	default:
		return sc.RunAsGroup
	}
}

func podField(sc *corev1.PodSecurityContext, user bool) *int64 {
	switch {
	case sc == nil:
		return nil
	case user:
		return sc.RunAsUser
	default:
		return sc.RunAsGroup
	}
}

// imageUser returns the USER of a container image whose config the subject
// carries.
func imageUser(s *hardening.Subject, ref string) string {
	if img := s.ContainerImages[ref]; img != nil {
		return img.Config.User
	}
	return ""
}

// imageID returns the numeric user (part 0) or group (part 1) of the USER
// of an image whose config the subject carries.
func imageID(s *hardening.Subject, ref string, part int) (int64, bool) {
	img := s.ContainerImages[ref]
	if img == nil {
		return 0, false
	}
	user, group, hasGroup := strings.Cut(img.Config.User, ":")
	field := user
	if part == 1 {
		if !hasGroup {
			return 0, false
		}
		field = group
	}
	n, err := strconv.ParseInt(strings.TrimSpace(field), 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
