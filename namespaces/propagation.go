package namespaces

// Check namespaces.mount-propagation: a volume mount shares mount events
// with the host.
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

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// MountPropagation reports volume mounts with Bidirectional or
// HostToContainer mount propagation.
var MountPropagation = &hardening.Check{
	ID:       "namespaces.mount-propagation",
	Title:    "volume mount propagates mounts to or from the host",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "Bidirectional propagation makes the container's mount namespace a peer of the host's: a mount made inside appears " +
		"on the node, where it can shadow host directories the kubelet and other pods use. HostToContainer lets host mounts made later, " +
		"such as other pods' secret volumes, appear inside the container.",
	Remediation: "Remove mountPropagation (None is the default). Keep Bidirectional to CSI and storage node plugins that must publish mounts.",
	References: []hardening.Reference{
		nsRefCIS("5.20"),
		{Kind: hardening.RefDoc, ID: "Kubernetes mount propagation", URL: "https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation"},
		nsRefNCC("container escape"),
	},
	Run: runMountPropagation,
}

func runMountPropagation(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
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
