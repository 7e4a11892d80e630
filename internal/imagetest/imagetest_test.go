package imagetest_test

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

func TestWriteLayout(t *testing.T) {
	img := imagetest.Image{
		Ref:    "app:1",
		Config: imagespec.Image{Config: imagespec.ImageConfig{User: "1000"}},
		Layers: []imagetest.Layer{{Gzip: true, Entries: []imagetest.Entry{
			{Name: "etc/"},
			{Name: "usr/bin/su", Mode: 0o4755, Content: "ELF", Xattrs: map[string]string{"security.capability": "cap"}},
		}}},
	}
	multi := imagetest.Image{Ref: "multi", Index: []imagetest.Image{img, {Config: imagespec.Image{Platform: imagespec.Platform{OS: "linux", Architecture: "arm64"}}}}}
	lay, err := imagetest.WriteLayout(t.TempDir(), img, multi)
	if err != nil {
		t.Fatal(err)
	}
	var layout imagespec.ImageLayout
	readJSON(t, filepath.Join(lay.Dir, "oci-layout"), &layout)
	if layout.Version != imagespec.ImageLayoutVersion {
		t.Errorf("oci-layout %+v", layout)
	}
	var idx imagespec.Index
	readJSON(t, filepath.Join(lay.Dir, "index.json"), &idx)
	if len(idx.Manifests) != 2 || idx.Manifests[0].Annotations[imagespec.AnnotationRefName] != "app:1" || idx.Manifests[1].MediaType != imagespec.MediaTypeImageIndex {
		t.Errorf("index.json %+v", idx)
	}
	// Every descriptor names a blob with that digest and size.
	check := func(d imagespec.Descriptor) []byte {
		data, err := os.ReadFile(lay.BlobPath(d))
		if err != nil {
			t.Fatal(err)
		}
		if imagetest.Digest(data) != string(d.Digest) || int64(len(data)) != d.Size {
			t.Errorf("blob %s: digest %s size %d", d.Digest, imagetest.Digest(data), len(data))
		}
		return data
	}
	w := lay.Images[0]
	check(w.Descriptor)
	var cfg imagespec.Image
	if err := json.Unmarshal(check(w.Config), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Config.User != "1000" || len(cfg.RootFS.DiffIDs) != 1 || string(cfg.RootFS.DiffIDs[0]) != w.DiffIDs[0] || cfg.OS != "linux" {
		t.Errorf("config %+v", cfg)
	}
	layer := check(w.Layers[0])
	if w.Layers[0].MediaType != imagespec.MediaTypeImageLayerGzip {
		t.Errorf("layer media type %s", w.Layers[0].MediaType)
	}
	raw, err := imagetest.TarLayer(img.Layers[0].Entries)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(layer, imagetest.Gzip(raw)) || imagetest.Digest(raw) != w.DiffIDs[0] {
		t.Errorf("layer is not the gzip of its tar")
	}
	tr := tar.NewReader(bytes.NewReader(raw))
	tr.Next()
	hdr, err := tr.Next()
	if err != nil || hdr.Mode != 0o4755 || hdr.PAXRecords["SCHILY.xattr.security.capability"] != "cap" {
		t.Errorf("entry %+v %v", hdr, err)
	}
	// The index entry's platforms come from the configs.
	if ps := lay.Images[1].Index; len(ps) != 2 || ps[1].Descriptor.Platform.Architecture != "arm64" || ps[0].Descriptor.Platform.Architecture != "amd64" {
		t.Errorf("index platforms %+v", ps)
	}
}

func TestWriteDockerArchive(t *testing.T) {
	p := filepath.Join(t.TempDir(), "d.tar")
	img := imagetest.Image{Ref: "a:1", Layers: []imagetest.Layer{{Entries: []imagetest.Entry{{Name: "x", Content: "x"}}}}}
	m, err := imagetest.WriteDockerArchive(p, img, imagetest.Image{Ref: "b:1", Layers: img.Layers})
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 2 || m[0].Layers[0] != m[1].Layers[0] || m[1].RepoTags[0] != "b:1" {
		t.Errorf("manifest %+v", m)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	seen := map[string]int{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[hdr.Name]++
	}
	if seen["manifest.json"] != 1 || seen[m[0].Layers[0]] != 1 || seen[m[0].Config] != 1 {
		t.Errorf("entries %v", seen)
	}
}

func readJSON(t *testing.T, p string, v any) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
