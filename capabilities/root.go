package capabilities

// Check capabilities.runs-as-root: the container's process runs as uid 0.
//
// Pod fields:
//
//	spec.securityContext.runAsUser, spec.securityContext.runAsNonRoot
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsUser
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.runAsNonRoot
//	spec.hostUsers
//
// Allowed values: a non-zero runAsUser (container value over pod value), or
// runAsNonRoot: true, which makes the kubelet refuse to start a root
// container. With neither set the image's USER decides: the check reports
// it only when the subject carries that image's config
// ([hardening.Subject.ContainerImages]). With hostUsers: false uid 0 is
// mapped to an unprivileged host uid and the finding is low.
//
// OCI spec fields: process.user.uid, linux.namespaces, linux.uidMappings.
//
// Allowed values: uid other than 0. With a user namespace whose mapping
// sends container uid 0 to a non-zero host uid, the finding is low.
//
// Image config fields: config.User.
//
// Allowed values: a user other than "", "root" or "0" (with or without a
// ":group" suffix).

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// RunsAsRoot reports containers whose process runs as root.
var RunsAsRoot = &hardening.Check{
	ID:       "capabilities.runs-as-root",
	Title:    "container runs as root",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindAll,
	Rationale: "Root in a container without a user namespace is root on the host, held back only by capabilities, seccomp and the LSM; " +
		"every kernel or runtime bug that slips past them (CVE-2019-5736, CVE-2024-21626) lands as host root.",
	Remediation: "Run as a non-root uid: USER 10001 in the image, securityContext.runAsUser and runAsNonRoot: true in Kubernetes, process.user.uid in OCI specs; or give the container a user namespace.",
	References: []hardening.Reference{
		refCIS("4.1"),
		{Kind: hardening.RefPSS, ID: "restricted/running-as-non-root", URL: refPSSRestricted},
		refNCCEscape,
	},
	Run: runRunsAsRoot,
	Fix: fixRunAsUser,
}

func runRunsAsRoot(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		return rootPod(s, out)
	case hardening.KindOCISpec:
		if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.User.UID != 0 {
			return out
		}
		f := hardening.Finding{Path: "process.user.uid", Message: "the process runs as uid 0 (root)"}
		if host, ok := mappedRoot(s.Spec); ok && host != 0 {
			f.Severity = hardening.SeverityLow
			f.Message += "; its user namespace maps it to unprivileged host uid " + strconv.FormatUint(uint64(host), 10)
		}
		return append(out, f)
	case hardening.KindImage:
		if s.Image == nil {
			return out
		}
		if root, user := imageRunsAsRoot(s.Image); root {
			return append(out, hardening.Finding{
				Path:    "config.User",
				Message: "USER is " + describeUser(user) + ": the image runs as root unless the runtime overrides it",
			})
		}
	}
	return out
}

func rootPod(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.WindowsPod() || s.Pod == nil {
		return out
	}
	userNS := s.Pod.Spec.HostUsers != nil && !*s.Pod.Spec.HostUsers
	for c := range s.Containers {
		u := userOf(s, c)
		uid := u.UID
		if u.RequiresNonRoot() {
			continue // the kubelet refuses to start it as root
		}
		var msg string
		switch {
		case uid != nil && *uid == 0:
			msg = "container " + strconv.Quote(c.Name) + " runs as uid 0 (root)"
		case uid != nil:
			continue
		default:
			if u.Image == nil {
				continue // the image's USER decides, and it is not known here
			}
			root, user := imageRunsAsRoot(u.Image)
			if !root {
				continue
			}
			msg = "container " + strconv.Quote(c.Name) + " sets no runAsUser and its image " + strconv.Quote(c.Image) +
				" has USER " + describeUser(user) + ", so it runs as root"
		}
		uidPath := s.ContainerPath(c, "securityContext.runAsUser")
		if u.UIDFromPod {
			uidPath = s.SpecPath("securityContext.runAsUser")
		}
		f := hardening.Finding{Container: c.Name, Path: uidPath, Message: msg}
		if userNS {
			f.Severity = hardening.SeverityLow
			f.Message += "; hostUsers: false maps it to an unprivileged host uid"
		}
		out = append(out, f)
	}
	return out
}

// mappedRoot returns the host uid that container uid 0 maps to, when the
// spec has a user namespace with a mapping covering 0.
func mappedRoot(spec *runtimespec.Spec) (uint32, bool) {
	if spec.Linux == nil {
		return 0, false
	}
	hasUserNS := false
	for _, ns := range spec.Linux.Namespaces {
		if ns.Type == runtimespec.UserNamespace {
			hasUserNS = true
		}
	}
	if !hasUserNS {
		return 0, false
	}
	for _, m := range spec.Linux.UIDMappings {
		if m.ContainerID == 0 && m.Size > 0 {
			return m.HostID, true
		}
	}
	return 0, false
}
