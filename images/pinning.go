package images

// Checks images.latest-tag, images.digest-missing and
// images.pull-policy-not-always: a Pod container's image reference names
// content that can change.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].image
//	spec.{initContainers,containers,ephemeralContainers}[*].imagePullPolicy
//
// Allowed values:
//
//	latest-tag             a reference with a digest, or with a tag other than "latest"
//	digest-missing         a reference with a digest ("app:1.2@sha256:…" counts: the runtime pulls the digest)
//	pull-policy-not-always imagePullPolicy Always, or a reference with a digest
//
// Each reference is reported once for pinning: a missing or latest tag by
// images.latest-tag, any other tag without a digest by
// images.digest-missing. An unset imagePullPolicy is read as the API server
// defaults it: Always for a missing or latest tag, IfNotPresent otherwise.
// References are read with [ParseImageRef]; an empty or malformed image
// (which the runtime cannot pull either) is not reported. Ephemeral
// containers have an image and a pull policy like the others and are
// checked; so are Windows pods.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// LatestTag reports Pod containers whose image has no tag or the tag
// "latest", and no digest.
var LatestTag = &hardening.Check{
	ID:       "images.latest-tag",
	Title:    "image uses the latest tag",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindPod,
	// Image references mean the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "An image without a tag, or tagged latest, is whatever was pushed last: a rollout, a restart or a node " +
		"that pulls it fresh runs code nobody reviewed, and whoever can push to the repository controls what runs.",
	Remediation: "Reference the image by digest (app@sha256:…), or at least by an immutable version tag (app:1.4.2).",
	References: []hardening.Reference{
		imRefImages,
		{Kind: hardening.RefDoc, ID: "Kubernetes configuration best practices: container images",
			URL: "https://kubernetes.io/docs/concepts/configuration/overview/#container-images"},
		imNCC("management layer"),
	},
	Run: runLatestTag,
}

// DigestMissing reports Pod containers whose image is referenced by a tag
// other than latest and no digest.
var DigestMissing = &hardening.Check{
	ID:       "images.digest-missing",
	Title:    "image not pinned by digest",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindPod,
	// Image references mean the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "Tags can be moved: a compromised registry account or CI job can push other content under the same version tag, " +
		"and nodes that pull it run it. A digest names exactly one image, and the runtime verifies it.",
	Remediation: "Append the image's digest to the reference (app:1.4.2@sha256:…); let a tool such as Renovate or Dependabot keep it current.",
	References: []hardening.Reference{
		imRefImages,
		imNCC("management layer"),
	},
	Run: runDigestMissing,
}

// PullPolicyNotAlways reports Pod containers whose mutable image (no
// digest) is not pulled with imagePullPolicy: Always.
var PullPolicyNotAlways = &hardening.Check{
	ID:       "images.pull-policy-not-always",
	Title:    "mutable image not pulled always",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindPod,
	// Image references mean the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "With IfNotPresent or Never a node runs whatever it cached under the tag: nodes drift apart as the tag moves, and " +
		"any pod on the node can start a private image another pod pulled, without the registry checking its credentials.",
	Remediation: "Pin the image by digest, or set imagePullPolicy: Always (or enable the AlwaysPullImages admission plugin).",
	References: []hardening.Reference{
		imCIS("5.28"),
		{Kind: hardening.RefDoc, ID: "Kubernetes image pull policy", URL: "https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy"},
		imNCC("management layer"),
	},
	Run: runPullPolicyNotAlways,
}

func runLatestTag(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	for c := range s.Containers {
		r, err := ParseImageRef(c.Image)
		if err != nil || !r.Latest() {
			continue
		}
		msg := "container " + strconv.Quote(c.Name) + " uses image " + strconv.Quote(c.Image)
		if r.Tag == "" {
			msg += " without a tag, which means latest"
		} else {
			msg += ", tagged latest"
		}
		out = append(out, hardening.Finding{Container: c.Name, Path: s.ContainerPath(c, "image"), Message: msg})
	}
	return out
}

func runDigestMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	for c := range s.Containers {
		r, err := ParseImageRef(c.Image)
		if err != nil || r.Pinned() || r.Latest() {
			continue // pinned, or left to images.latest-tag
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "image"),
			Message: "container " + strconv.Quote(c.Name) + " uses image " + strconv.Quote(c.Image) +
				" by tag only: the registry may serve other content under " + strconv.Quote(r.Tag) + " tomorrow",
		})
	}
	return out
}

func runPullPolicyNotAlways(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	for c := range s.Containers {
		if c.ImagePullPolicy == corev1.PullAlways {
			continue // whatever the reference, nothing to report
		}
		r, err := ParseImageRef(c.Image)
		if err != nil || r.Pinned() {
			continue
		}
		policy, how := c.ImagePullPolicy, ""
		if policy == "" {
			policy, how = corev1.PullIfNotPresent, "unset, which defaults to IfNotPresent for a tag other than latest"
			if r.Latest() {
				policy = corev1.PullAlways
			}
		}
		if policy == corev1.PullAlways {
			continue
		}
		if how == "" {
			how = string(policy)
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "imagePullPolicy"),
			Message: "container " + strconv.Quote(c.Name) + " runs mutable image " + strconv.Quote(c.Image) +
				" with imagePullPolicy " + how + ": the node runs whatever it cached under the tag",
		})
	}
	return out
}
