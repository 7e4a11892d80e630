package images

// Check images.healthcheck-missing: a Docker-format image without a
// HEALTHCHECK, or with HEALTHCHECK NONE.
//
// Image config fields: config.Healthcheck.Test of a Docker-format config
// (media type application/vnd.docker.container.image.v1+json), which
// image-spec's ImageConfig does not carry (its config.md lists Healthcheck
// among the fields reserved for compatibility); the config's media type;
// and history[*].created_by (HEALTHCHECK steps).
//
// Allowed values: a healthcheck whose Test is not ["NONE"]. Whether there
// is one is unknown, and not reported, when the config is in OCI format
// (Podman, Buildah and umoci drop HEALTHCHECK when they write OCI images,
// so its absence there is no choice of the image's author) or in a format
// the subject does not say. Findings:
//
//	Docker-format config, no Healthcheck (or an empty Test)  path config.Healthcheck
//	Healthcheck Test ["NONE"]                                path config.Healthcheck.Test
//	the last HEALTHCHECK step in the history is NONE         path history[i].created_by
//
// The media type and the Healthcheck are the subject's
// [hardening.Subject.ImageConfigMediaType] and
// [hardening.Subject.ImageHealthcheck], which the load package decodes from
// the config's JSON and the manifest. Without them (a config file read on
// its own) the check reads the history alone, where Docker's builders
// record "HEALTHCHECK &{["NONE"] …}".

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Config media types.
const (
	// MediaTypeDockerConfig is the media type of a Docker (schema 2) image
	// config, which may hold a Healthcheck.
	MediaTypeDockerConfig = "application/vnd.docker.container.image.v1+json"
	// MediaTypeOCIConfig is the media type of an OCI image config.
	MediaTypeOCIConfig = imagespec.MediaTypeImageConfig
)

// HealthcheckMissing reports Docker-format images without a healthcheck,
// reading the config's media type and HEALTHCHECK from the subject
// ([hardening.Subject.ImageConfigMediaType] and
// [hardening.Subject.ImageHealthcheck], which the load package fills in).
var HealthcheckMissing = &hardening.Check{
	ID:       "images.healthcheck-missing",
	Title:    "image has no healthcheck",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindImage,
	Rationale: "Without a HEALTHCHECK, Docker and Swarm see a hung or half-broken container as running and never restart " +
		"or replace it. (Kubernetes ignores HEALTHCHECK and uses the Pod's probes instead.)",
	Remediation: "Add a HEALTHCHECK that exercises the service (HEALTHCHECK CMD [\"/app\", \"health\"]), and build in " +
		"Docker format if the image runs on Docker; on Kubernetes define liveness and readiness probes.",
	References: []hardening.Reference{
		imCIS("4.6"),
		{Kind: hardening.RefDoc, ID: "Dockerfile reference: HEALTHCHECK", URL: "https://docs.docker.com/reference/dockerfile/#healthcheck"},
		{Kind: hardening.RefDoc, ID: "OCI image config: reserved fields", URL: "https://github.com/opencontainers/image-spec/blob/main/config.md"},
	},
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return healthcheckFindings(s.Image, s.ImageConfigMediaType, s.ImageHealthcheck, out)
	},
}

func healthcheckFindings(img *imagespec.Image, mediaType string, hc *hardening.ImageHealthcheck, out []hardening.Finding) []hardening.Finding {
	if img == nil || img.OS == "windows" && hc == nil {
		return out
	}
	switch {
	case hc != nil && len(hc.Test) > 0 && strings.EqualFold(hc.Test[0], "NONE"):
		return append(out, hardening.Finding{
			Path:    "config.Healthcheck.Test",
			Message: `the image turns its healthcheck off (HEALTHCHECK NONE), including any its base image defined`,
		})
	case hc != nil && len(hc.Test) > 0:
		return out
	case mediaType == MediaTypeDockerConfig:
		return append(out, hardening.Finding{
			Path:    "config.Healthcheck",
			Message: "the Docker-format image defines no HEALTHCHECK",
		})
	}
	// Format unknown or OCI: only the history can tell, and only of NONE.
	for i := len(img.History) - 1; i >= 0; i-- {
		st := parseStep(img.History[i].CreatedBy)
		if st.op != "HEALTHCHECK" {
			continue
		}
		if test := strings.TrimPrefix(st.args, "&{"); strings.HasPrefix(test, `["NONE"]`) || strings.HasPrefix(test, "NONE") {
			return append(out, hardening.Finding{
				Path:    "history[" + strconv.Itoa(i) + "].created_by",
				Message: "step " + strconv.Itoa(i) + " turns the image's healthcheck off (HEALTHCHECK NONE)",
			})
		}
		break
	}
	return out
}
