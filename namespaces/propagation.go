package namespaces

// Check namespaces.mount-propagation: a mount shares mount events with the
// host.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].volumeMounts[*].mountPropagation
//
// Allowed values: None or unset. Bidirectional (the container's mounts
// appear on the host; the API allows it only in privileged containers) is
// high; HostToContainer (the host's later mounts, other pods' volumes among
// them, appear in the container) is low. Windows pods have no mount
// propagation and are skipped.
//
// OCI spec fields:
//
//	mounts[*].{type,source,destination,options}
//	linux.rootfsPropagation
//
// What reaches the host depends on both, as runc applies them (confirmed
// with runc 1.1.5 on a host directory made shared): the runtime first
// applies rootfsPropagation to the mount namespace's / (recursively only
// for the r-forms; unset means rslave), then bind-mounts each source and
// applies the mount's own propagation options in order, the last winning.
// A bind mount is a peer of the host's (a mount made under it inside
// appears on the host) when its source mount is still in the host's peer
// group, that is when rootfsPropagation is rshared or one of the
// non-recursive shared, slave, private and unbindable (which leave the
// host's shared mounts other than / as they are), and the mount's last
// propagation option is shared, rshared or none. Under the default rslave
// (or rprivate) a shared or rshared option only makes the mount shared in
// a new peer group of its own, still a slave of the host's: host mounts
// come in, nothing goes out, the equivalent of HostToContainer, which is
// not reported.
//
// Allowed values: no bind mount with a last propagation option shared or
// rshared while rootfsPropagation keeps the host's peer groups (the
// equivalent of Bidirectional, high, reported at mounts[i].options); a
// rootfsPropagation other than shared or rshared (high: Docker and
// containerd set rshared for :rshared volumes and Bidirectional mounts, and
// every bind mount without a propagation option becomes a peer of the
// host's); and no shared, slave, private or unbindable rootfsPropagation
// (the non-recursive forms) while some bind mount has no propagation option
// (medium: such a mount of a directory on a shared host mount, systemd's
// default, is a peer of the host's). slave and rslave mounts are not
// reported: runc and crun make the root filesystem rslave when
// rootfsPropagation is unset, so every container receives host mounts
// that way.
//
// A live container's mounts (a subject with unobserved fields) carry the
// propagation observed in mountinfo instead: a bind mount that is shared
// but not a slave, and a root mount that is shared, are reported, high.

import (
	"path"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// MountPropagation reports Pod volume mounts with Bidirectional or
// HostToContainer mount propagation, and OCI mounts and root filesystems
// with shared propagation.
var MountPropagation = &hardening.Check{
	ID:       "namespaces.mount-propagation",
	Title:    "mount propagates mounts to or from the host",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "Bidirectional propagation makes the container's mount namespace a peer of the host's: a mount made inside appears " +
		"on the node, where it can shadow host directories the kubelet and other pods use. HostToContainer lets host mounts made later, " +
		"such as other pods' secret volumes, appear inside the container.",
	Remediation: "Remove mountPropagation (None is the default), or the shared and rshared options and rootfsPropagation in OCI specs " +
		"(docker run -v without :shared or :rshared). Keep Bidirectional to CSI and storage node plugins that must publish mounts.",
	References: []hardening.Reference{
		nsRefCIS("5.20"),
		{Kind: hardening.RefDoc, ID: "Kubernetes mount propagation", URL: "https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation"},
		nsRefNCC("container escape"),
	},
	Run: runMountPropagation,
}

func runMountPropagation(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Kind == hardening.KindOCISpec {
		return sharedMounts(s, out)
	}
	if s.WindowsPod() {
		return out
	}
	for c := range s.Containers {
		for j := range c.VolumeMounts {
			m := &c.VolumeMounts[j]
			if m.MountPropagation == nil {
				continue
			}
			f := hardening.Finding{Container: c.Name}
			switch *m.MountPropagation {
			case corev1.MountPropagationBidirectional:
				f.Message = "mounts made by the container under " + strconv.Quote(m.MountPath) + " propagate to the host"
			case corev1.MountPropagationHostToContainer:
				f.Severity, f.Class = hardening.SeverityLow, hardening.ClassCrossContainer
				f.Message = "mounts made on the host later appear in the container under " + strconv.Quote(m.MountPath)
			default:
				continue
			}
			f.Path = s.ContainerPath(c, "volumeMounts["+strconv.Itoa(j)+"].mountPropagation")
			f.Message = "container " + strconv.Quote(c.Name) + " mounts volume " + strconv.Quote(m.Name) +
				" with mountPropagation: " + string(*m.MountPropagation) + "; " + f.Message
			out = append(out, f)
		}
	}
	return out
}

func sharedMounts(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil {
		return out
	}
	var root string
	if spec.Linux != nil {
		root = spec.Linux.RootfsPropagation
	}
	live := len(s.Unobserved) > 0
	var peers bool // bind mounts stay in the host's peer groups
	switch root {
	case "rshared", "shared", "slave", "private", "unbindable":
		peers = !live
	}
	unset := -1 // first bind mount without a propagation option
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		if !isBind(m) {
			continue
		}
		var opt string
		if live {
			if hasOption(m, "shared") && !hasOption(m, "slave") {
				opt = "shared"
			}
		} else {
			opt = propagation(m)
			if opt == "" && unset < 0 && !runtimeFile(path.Clean(m.Destination)) {
				unset = i // nothing can be mounted under the runtime's single-file binds
			}
			if !peers {
				continue
			}
		}
		if opt != "shared" && opt != "rshared" {
			continue
		}
		msg := "mount of " + strconv.Quote(m.Source) + " at " + strconv.Quote(m.Destination) + " has propagation " + strconv.Quote(opt)
		if !live {
			msg += " and linux.rootfsPropagation is " + strconv.Quote(root)
		}
		out = append(out, hardening.Finding{
			Path:    mountPath(i, "options"),
			Message: msg + ": mounts made in the container under it appear on the host",
		})
	}
	switch {
	case root == "shared" || root == "rshared":
		out = append(out, hardening.Finding{
			Path:    "linux.rootfsPropagation",
			Message: "rootfsPropagation is " + strconv.Quote(root) + ": mounts made in the container propagate to the host's mount namespace",
		})
	case peers && unset >= 0:
		out = append(out, hardening.Finding{
			Severity: hardening.SeverityMedium,
			Path:     "linux.rootfsPropagation",
			Message: "rootfsPropagation is " + strconv.Quote(root) + ", which the runtime applies to / alone: the host's shared mounts " +
				"stay shared, so a bind mount without a propagation option (" + hardening.Index("mounts", unset) + ", of " +
				strconv.Quote(spec.Mounts[unset].Source) + ") of a directory on one is a peer of the host's, and mounts made under it " +
				"appear on the host; use rslave or rprivate, or give the bind mounts rprivate or rslave",
		})
	}
	return out
}
