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
//	mounts[*].options
//	linux.rootfsPropagation
//
// Allowed values: no shared or rshared option on any mount (the
// equivalent of Bidirectional, high), and a rootfsPropagation other than
// shared or rshared (high: every mount the container makes reaches the
// host). slave and rslave, the equivalent of HostToContainer, are not
// reported: runc and crun make the root filesystem rslave when
// rootfsPropagation is unset, so every container receives host mounts
// that way.

import (
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
	if windowsPod(s) {
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
	spec := linuxSpec(s)
	if spec == nil {
		return out
	}
	for i := range spec.Mounts {
		m := &spec.Mounts[i]
		for _, opt := range m.Options {
			if opt != "shared" && opt != "rshared" {
				continue
			}
			out = append(out, hardening.Finding{
				Path: mountPath(i, "options"),
				Message: "mount of " + strconv.Quote(m.Source) + " at " + strconv.Quote(m.Destination) + " has propagation " + strconv.Quote(opt) +
					": mounts made in the container under it appear on the host",
			})
			break
		}
	}
	if spec.Linux != nil {
		if p := spec.Linux.RootfsPropagation; p == "shared" || p == "rshared" {
			out = append(out, hardening.Finding{
				Path:    "linux.rootfsPropagation",
				Message: "rootfsPropagation is " + strconv.Quote(p) + ": mounts made in the container propagate to the host's mount namespace",
			})
		}
	}
	return out
}
