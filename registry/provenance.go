package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

var _ ociimage.Provenancer = (*fetcher)(nil)

// maxReferrers bounds a referrers index: at most what a manifest may be.
const maxReferrers = ociimage.DefaultMaxDocumentSize

// Provenance lists what is attached to the image: for the manifest the
// reference named and the platform's manifest under it, the OCI referrers
// API (GET /v2/REPO/referrers/DIGEST); where the registry has none, the
// referrers tag (sha256-HEX, an index) and cosign's tags (sha256-HEX.sig,
// .att, .sbom). It says what is there, never whether it verifies. It
// implements ociimage.Provenancer.
func (f *fetcher) Provenance(ctx context.Context, manifest string) (*hardening.ImageProvenance, error) {
	digests := []string{f.root}
	if manifest != f.root {
		digests = append(digests, manifest)
	}
	p := &hardening.ImageProvenance{}
	api := true
	for _, d := range digests {
		if !validDigest(d) {
			return nil, fmt.Errorf("malformed digest %q", clip(d))
		}
		found, err := f.referrersAPI(ctx, d)
		if errors.Is(err, ErrNotFound) {
			api = false
			if found, err = f.referrersTags(ctx, d); err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		p.Artifacts = append(p.Artifacts, found...)
	}
	p.Via = "referrers API"
	if !api {
		p.Via = "referrers tag and cosign tags"
	}
	return p, nil
}

// referrersAPI asks the referrers API about digest d.
func (f *fetcher) referrersAPI(ctx context.Context, d string) ([]hardening.ImageArtifact, error) {
	idx, err := f.index(ctx, "referrers/"+d)
	if err != nil {
		return nil, err
	}
	return artifactsOf(idx), nil
}

// artifactsOf lists what a referrers index names.
func artifactsOf(idx *imagespec.Index) []hardening.ImageArtifact {
	var out []hardening.ImageArtifact
	for _, m := range idx.Manifests {
		at := m.ArtifactType
		if at == "" {
			at = m.MediaType
		}
		out = append(out, hardening.ImageArtifact{ArtifactType: at, Digest: string(m.Digest), Kind: artifactKind(at)})
	}
	return out
}

// referrersTags looks for the tags registries without the referrers API
// hold: the OCI fallback index and cosign's tags.
func (f *fetcher) referrersTags(ctx context.Context, d string) ([]hardening.ImageArtifact, error) {
	tag := strings.Replace(d, ":", "-", 1)
	var out []hardening.ImageArtifact
	idx, err := f.index(ctx, "manifests/"+tag)
	switch {
	case err == nil:
		out = artifactsOf(idx)
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	for _, cosign := range []struct{ suffix, kind string }{{".sig", "signature"}, {".att", "attestation"}, {".sbom", "sbom"}} {
		suffix := cosign.suffix
		body, _, err := f.c.manifest(ctx, f.h, f.repo, tag+suffix, maxReferrers, -1)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var m imagespec.Manifest
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("cosign tag %s%s: %w", tag, suffix, err)
		}
		at := m.ArtifactType
		if at == "" && len(m.Layers) > 0 {
			at = m.Layers[0].MediaType
		}
		out = append(out, hardening.ImageArtifact{ArtifactType: at, Digest: digestOf("sha256", body), Kind: cosign.kind})
	}
	return out, nil
}

// index fetches an index at /v2/REPO/PATH, within maxReferrers bytes.
func (f *fetcher) index(ctx context.Context, path string) (*imagespec.Index, error) {
	resp, err := f.c.do(ctx, request{h: f.h, repo: f.repo, path: f.repo + "/" + path, accept: []string{imagespec.MediaTypeImageIndex}, small: true})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReferrers+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxReferrers {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ociimage.ErrTooLarge, path, maxReferrers)
	}
	var idx imagespec.Index
	if err := json.Unmarshal(body, &idx); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &idx, nil
}

// artifactKind says what an artifact type is, when it says.
func artifactKind(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "in-toto") || strings.Contains(t, "attestation") || strings.Contains(t, "provenance"):
		return "attestation"
	case strings.Contains(t, "spdx") || strings.Contains(t, "cyclonedx") || strings.Contains(t, "sbom") || strings.Contains(t, "syft"):
		return "sbom"
	case strings.Contains(t, "signature") || strings.Contains(t, "cosign") || strings.Contains(t, "sigstore") || strings.Contains(t, "notary"):
		return "signature"
	}
	return ""
}

// ProvenanceCheck returns the check "registry.provenance": information,
// for each image read from a registry, on what is attached to it there —
// signatures, attestations, SBOMs — or that nothing is. It reads
// Subject.ImageProvenance only, so it says nothing about images read from
// files, and it does not verify signatures (use cosign or notation for
// that). It is not in bulwark's catalog, which holds no registry
// knowledge: add it to the checks of a run that reads registries, as
// registry/cmd/audit does.
func ProvenanceCheck() *hardening.Check { return provenanceCheck }

var provenanceCheck = &hardening.Check{
	ID:       "registry.provenance",
	Title:    "signatures and attestations attached to the image",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassManagement,
	Rationale: "A signature or a provenance attestation lets a cluster admit only images built by the expected pipeline " +
		"(with a policy controller that verifies them); an image with neither cannot be told apart from one pushed by anyone " +
		"holding push credentials. This is information on what the registry holds, not a verification.",
	Remediation: "Sign images in the pipeline that builds them (cosign sign, notation sign) and attach provenance " +
		"(docker buildx build --provenance, cosign attest); verify at admission (sigstore policy-controller, Kyverno, Ratify).",
	Inputs: hardening.KindImage,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		p := s.ImageProvenance
		if p == nil {
			return out
		}
		f := hardening.Finding{Path: hardening.ImageRefPath}
		if len(p.Artifacts) == 0 {
			f.Message = "nothing is attached to " + s.ImageDigest + " in its registry (looked up through the " + p.Via + "): no signature, attestation or SBOM"
			return append(out, f)
		}
		counts := map[string]int{}
		for _, a := range p.Artifacts {
			k := a.Kind
			if k == "" {
				k = "other artifact"
			}
			counts[k]++
		}
		kinds := make([]string, 0, len(counts))
		for k := range counts {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		var parts []string
		for _, k := range kinds {
			parts = append(parts, strconv.Itoa(counts[k])+" "+k)
		}
		f.Message = "attached to " + s.ImageDigest + " in its registry (" + p.Via + "): " + strings.Join(parts, ", ") +
			"; not verified here"
		return append(out, f)
	},
}
