package registry

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// fakeRegistry serves the images of a layout as a registry's API does,
// without authentication: /v2/REPO/manifests/TAG for every named image
// (any REPO), /v2/REPO/manifests/DIGEST and /v2/REPO/blobs/DIGEST for every
// blob. override, when set, answers first; it returns false to let the
// registry answer.
type fakeRegistry struct {
	lay      *imagetest.Layout
	override func(w http.ResponseWriter, r *http.Request) bool
}

func (f *fakeRegistry) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.override != nil && f.override(w, r) {
		return
	}
	if r.URL.Path == "/v2/" {
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/v2/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	for _, kind := range []string{"/manifests/", "/blobs/"} {
		i := strings.LastIndex(rest, kind)
		if i < 0 {
			continue
		}
		target := rest[i+len(kind):]
		d, ok := f.find(target)
		if !ok {
			writeError(w, http.StatusNotFound, "MANIFEST_UNKNOWN", "manifest unknown")
			return
		}
		data, err := os.ReadFile(f.lay.BlobPath(d))
		if err != nil {
			writeError(w, http.StatusNotFound, "BLOB_UNKNOWN", "blob unknown")
			return
		}
		if kind == "/manifests/" {
			mt := d.MediaType
			if mt == "" {
				mt = imagespec.MediaTypeImageManifest
			}
			w.Header().Set("Content-Type", mt)
			if w.Header().Get("Docker-Content-Digest") == "" {
				w.Header().Set("Docker-Content-Digest", string(d.Digest))
			}
		}
		w.Write(data)
		return
	}
	http.NotFound(w, r)
}

// find returns the descriptor of a tag or digest.
func (f *fakeRegistry) find(target string) (imagespec.Descriptor, bool) {
	for _, d := range f.lay.Index.Manifests {
		if d.Annotations[imagespec.AnnotationRefName] == target || string(d.Digest) == target {
			return d, true
		}
	}
	if strings.HasPrefix(target, "sha256:") && !strings.ContainsAny(target, "/.") {
		var d imagespec.Descriptor
		setDigest(&d.Digest, target)
		if _, err := os.Stat(f.lay.BlobPath(d)); err == nil {
			return d, true
		}
	}
	return imagespec.Descriptor{}, false
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]string{{"code": code, "message": msg}}})
}

// testImage is a small image with two layers, gzip and zstd.
func testImage(ref string) imagetest.Image {
	return imagetest.Image{
		Ref:    ref,
		Config: imagespec.Image{Config: imagespec.ImageConfig{User: "1000"}},
		Layers: []imagetest.Layer{
			{Gzip: true, Entries: []imagetest.Entry{{Name: "etc/"}, {Name: "etc/passwd", Content: "root:x:0:0::/root:/bin/sh\n"}}},
			{Zstd: true, Entries: []imagetest.Entry{{Name: "usr/bin/su", Mode: 0o4755, Content: "ELF"}}},
		},
	}
}

// serve writes images to a layout and serves it over plain HTTP; the host
// is "127.0.0.1:PORT".
func serve(t *testing.T, override func(w http.ResponseWriter, r *http.Request) bool, images ...imagetest.Image) (*imagetest.Layout, string) {
	t.Helper()
	lay, err := imagetest.WriteLayout(filepath.Join(t.TempDir(), "lay"), images...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(&fakeRegistry{lay: lay, override: override})
	t.Cleanup(srv.Close)
	return lay, strings.TrimPrefix(srv.URL, "http://")
}
