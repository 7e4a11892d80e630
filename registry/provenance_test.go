package registry

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load"
)

// What is attached to an image: through the referrers API where the
// registry has it, through the referrers tag and cosign's tags where it
// has not; a lookup that fails leaves it unknown and the image read.
func TestProvenance(t *testing.T) {
	sig := imagetest.Digest([]byte("sig"))
	att := imagetest.Digest([]byte("att"))
	index := func(types ...string) []byte {
		var idx imagespec.Index
		idx.SchemaVersion, idx.MediaType = 2, imagespec.MediaTypeImageIndex
		for i, at := range types {
			d := imagespec.Descriptor{MediaType: imagespec.MediaTypeImageManifest, ArtifactType: at, Size: 10}
			setDigest(&d.Digest, []string{sig, att}[i])
			idx.Manifests = append(idx.Manifests, d)
		}
		b, _ := json.Marshal(idx)
		return b
	}
	cosignSig := []byte(`{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"` + sig + `","size":2},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"` + sig + `","size":3}]}`)
	tests := []struct {
		name    string
		handle  func(w http.ResponseWriter, r *http.Request, tag string) bool
		want    *hardening.ImageProvenance
		message string
	}{
		{"referrers API", func(w http.ResponseWriter, r *http.Request, tag string) bool {
			if strings.Contains(r.URL.Path, "/referrers/") {
				w.Header().Set("Content-Type", imagespec.MediaTypeImageIndex)
				w.Write(index("application/vnd.dev.sigstore.bundle.v0.3+json", "application/vnd.in-toto+json"))
				return true
			}
			return false
		}, &hardening.ImageProvenance{Via: "referrers API", Artifacts: []hardening.ImageArtifact{
			{ArtifactType: "application/vnd.dev.sigstore.bundle.v0.3+json", Digest: sig, Kind: "signature"},
			{ArtifactType: "application/vnd.in-toto+json", Digest: att, Kind: "attestation"},
		}}, "(referrers API): 1 attestation, 1 signature; not verified here"},
		{"referrers tag", func(w http.ResponseWriter, r *http.Request, tag string) bool {
			if strings.HasSuffix(r.URL.Path, "/manifests/"+tag) {
				w.Write(index("application/spdx+json"))
				return true
			}
			return false
		}, &hardening.ImageProvenance{Via: "referrers tag and cosign tags", Artifacts: []hardening.ImageArtifact{
			{ArtifactType: "application/spdx+json", Digest: sig, Kind: "sbom"},
		}}, "1 sbom"},
		{"cosign tag", func(w http.ResponseWriter, r *http.Request, tag string) bool {
			if strings.HasSuffix(r.URL.Path, "/manifests/"+tag+".sig") {
				w.Write(cosignSig)
				return true
			}
			return false
		}, &hardening.ImageProvenance{Via: "referrers tag and cosign tags", Artifacts: []hardening.ImageArtifact{
			{ArtifactType: "application/vnd.dev.cosign.simplesigning.v1+json", Digest: imagetest.Digest(cosignSig), Kind: "signature"},
		}}, "1 signature"},
		{"nothing", nil, &hardening.ImageProvenance{Via: "referrers tag and cosign tags"}, "no signature, attestation or SBOM"},
		{"lookup fails", func(w http.ResponseWriter, r *http.Request, tag string) bool {
			if strings.Contains(r.URL.Path, "/referrers/") {
				http.Error(w, "no", http.StatusInternalServerError)
				return true
			}
			return false
		}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tag string
			lay, host := serve(t, func(w http.ResponseWriter, r *http.Request) bool {
				return tt.handle != nil && tt.handle(w, r, tag)
			}, testImage("v1"))
			tag = strings.Replace(string(lay.Images[0].Descriptor.Digest), ":", "-", 1)
			r := audit(t, hostileOptions(host), host+"/app:v1", load.Options{})
			if len(r.Subjects) != 1 {
				t.Fatalf("subjects %d, errors %v", len(r.Subjects), r.Errors)
			}
			s := r.Subjects[0]
			if diff := cmp.Diff(tt.want, s.ImageProvenance); diff != "" {
				t.Errorf("provenance (-want +got):\n%s", diff)
			}
			fs := ProvenanceCheck().Run(s, nil)
			if tt.message == "" {
				if len(fs) != 0 {
					t.Errorf("findings %v", fs)
				}
				return
			}
			if len(fs) != 1 || !strings.Contains(fs[0].Message, tt.message) || !strings.Contains(fs[0].Message, s.ImageDigest) {
				t.Errorf("findings %v, want %q", fs, tt.message)
			}
		})
	}
	if err := hardening.Validate(hardening.Checks{ProvenanceCheck()}); err != nil {
		t.Error(err)
	}
}
