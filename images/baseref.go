package images

// Check images.base-not-pinned: an image known by a reference that does not
// pin its content, or built on a base image recorded that way.
//
// Subject fields: ImageRef (the reference the image was read by: a
// registry reference, or the name an OCI layout or archive gives it).
//
// Image config fields:
//
//	config.Labels[org.opencontainers.image.base.name]
//	config.Labels[org.opencontainers.image.base.digest]
//
// (the OCI pre-defined annotations for the base image, which BuildKit and
// many build tools write as labels).
//
// Allowed values: a reference with a digest, or with a tag other than
// "latest"; a base name with a digest, or any base name when the
// base.digest label is set. Findings:
//
//	ImageRef untagged or :latest, no digest     medium, empty path (the reference is not part of the config)
//	base.name untagged or :latest, no digest    low, path config.Labels[org.opencontainers.image.base.name]
//
// A tag other than latest is not reported: for a subject's own reference
// that is the usual way to name a release, and images.digest-missing
// covers digests where they are deployed. References are read with
// [ParseImageRef], and one that does not parse is not reported. An
// ImageRef without "/", ":" or "@" is read as the tag an OCI layout's
// org.opencontainers.image.ref.name gives ("latest", "1.2"), not as an
// untagged repository: only "latest" is reported.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// OCI annotation keys for the base image.
const (
	LabelBaseName   = "org.opencontainers.image.base.name"
	LabelBaseDigest = "org.opencontainers.image.base.digest"
)

// BaseNotPinned reports an image referenced, or built on a base, by latest
// or no tag without a digest.
var BaseNotPinned = &hardening.Check{
	ID:       "images.base-not-pinned",
	Title:    "image or its base referenced by latest",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindImage,
	Rationale: "latest, or no tag, names whatever was pushed last: an image audited under that name is not necessarily the " +
		"one that runs, and a base taken as latest changes under the image from one build to the next without review.",
	Remediation: "Refer to the image and build on its base by digest (FROM debian:12.8@sha256:…), and let a bot such as " +
		"Renovate or Dependabot propose updates.",
	References: []hardening.Reference{
		imRefImages,
		{Kind: hardening.RefDoc, ID: "OCI image annotations", URL: "https://github.com/opencontainers/image-spec/blob/main/annotations.md"},
		imNCC("management layer"),
	},
	Run: runBaseNotPinned,
}

func runBaseNotPinned(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if ref := s.ImageRef; ref == "latest" || unpinnedLatest(ref) && strings.ContainsAny(ref, "/:@") {
		out = append(out, hardening.Finding{
			Path: hardening.ImageRefPath,
			Message: "the image is referenced as " + strconv.Quote(s.ImageRef) + latestWhy(s.ImageRef) +
				": the registry may serve other content under it tomorrow",
		})
	}
	if s.Image == nil {
		return out
	}
	labels := s.Image.Config.Labels
	if base := labels[LabelBaseName]; unpinnedLatest(base) && labels[LabelBaseDigest] == "" {
		out = append(out, hardening.Finding{
			Severity: hardening.SeverityLow,
			Path:     hardening.Key("config.Labels", LabelBaseName),
			Message:  "the image was built on " + strconv.Quote(base) + latestWhy(base) + " and records no base digest",
		})
	}
	return out
}

// unpinnedLatest reports a reference without a digest whose tag is latest
// or missing.
func unpinnedLatest(ref string) bool {
	if ref == "" {
		return false
	}
	r, err := ParseImageRef(ref)
	if err != nil {
		return false
	}
	return r.Latest()
}

func latestWhy(ref string) string {
	if ref == "latest" {
		return ", the layout's tag latest"
	}
	if r, _ := ParseImageRef(ref); r.Tag == "" {
		return ", without a tag or digest, which means latest"
	}
	return ", tagged latest without a digest"
}
