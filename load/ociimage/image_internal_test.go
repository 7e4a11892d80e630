package ociimage

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// setDigest stores s in a digest-typed field.
func setDigest[T ~string](dst *T, s string) { *dst = T(s) }

func marshalJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The verifier reads a blob to its end and one byte past its size, without
// overflowing at the largest size a descriptor can hold.
func TestVerifierSizes(t *testing.T) {
	blob := []byte("abc")
	tests := []struct {
		size int64
		want string
	}{
		{3, ""},
		{2, "size mismatch: the blob is larger than the 2 bytes its descriptor says"},
		{4, "size mismatch: the blob is 3 bytes, its descriptor says 4"},
		{1 << 62, "size mismatch: the blob is 3 bytes, its descriptor says 4611686018427387904"},
		{math.MaxInt64, "size mismatch: the blob is 3 bytes, its descriptor says 9223372036854775807"},
	}
	for _, tt := range tests {
		v, err := newVerifier(bytes.NewReader(blob), imagetest.Digest(blob), tt.size)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if err := v.finish(); err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("size %d: got %q, want %q", tt.size, got, tt.want)
		}
	}
	if _, err := newVerifier(bytes.NewReader(blob), imagetest.Digest(blob), -1); err == nil {
		t.Error("negative size: no error")
	}
}

// countingStore counts the files opened.
type countingStore struct {
	store
	opens int
}

func (s *countingStore) open(name string) (io.ReadCloser, int64, error) {
	s.opens++
	return s.store.open(name)
}

// Indexes naming one index many times over, at every level, are searched
// once each, not once per path through them.
func TestIndexFanOut(t *testing.T) {
	st := memStore{"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`)}
	put := func(idx imagespec.Index) imagespec.Descriptor {
		idx.SchemaVersion = 2
		data := marshalJSON(t, idx)
		d := imagespec.Descriptor{MediaType: imagespec.MediaTypeImageIndex, Size: int64(len(data))}
		setDigest(&d.Digest, imagetest.Digest(data))
		name, _ := blobName(string(d.Digest))
		st[name] = data
		return d
	}
	mips := imagespec.Descriptor{MediaType: imagespec.MediaTypeImageManifest, Platform: &imagespec.Platform{OS: "linux", Architecture: "mips"}}
	setDigest(&mips.Digest, "sha256:"+strings.Repeat("0", 64))
	d := put(imagespec.Index{Manifests: []imagespec.Descriptor{mips, mips}})
	for range maxIndexDepth - 1 {
		fan := make([]imagespec.Descriptor, 10)
		for i := range fan {
			fan[i] = d
		}
		d = put(imagespec.Index{Manifests: fan})
	}
	st["index.json"] = marshalJSON(t, imagespec.Index{Manifests: []imagespec.Descriptor{d}})
	cs := &countingStore{store: st}
	opts := Options{Platform: "linux/amd64"}.WithDefaults()
	r := &hardening.Result{}
	(&imageLoader{opts: &opts, source: "fan", st: cs, r: r}).loadLayout()
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrNoPlatform) || !strings.Contains(r.Errors[0].Error(), "the index has linux/mips;") {
		t.Errorf("errors %v", r.Errors)
	}
	// oci-layout, index.json, and each of the 8 indexes once.
	if cs.opens != 2+maxIndexDepth {
		t.Errorf("%d files opened, want %d", cs.opens, 2+maxIndexDepth)
	}
}

// A zstd window up to MaxZstdWindow is read, and the decoder's memory is
// the window: a frame that declares the largest window costs that much,
// once, whatever the stream holds.
func TestZstdWindowWithinCap(t *testing.T) {
	// Window log 27 (128 MiB): exponent 17, mantissa 0; one raw empty last block.
	blob := []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 17 << 3, 0x01, 0x00, 0x00}
	opts := Options{}.WithDefaults()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := newMerger(&opts)
	if err := m.scan(layerBlob{r: bytes.NewReader(blob), id: "l"}, 0); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got > MaxZstdWindow+4<<20 {
		t.Errorf("an empty frame with a 128 MiB window allocated %d bytes", got)
	}
}

// imageFuzzOptions keeps each image input cheap.
var imageFuzzOptions = Options{
	MaxDocumentSize: 64 << 10, MaxDepth: 30,
	MaxLayerSize: 1 << 20, MaxEntries: 2000, MaxNameLength: 1024, MaxMetadataSize: 1 << 20,
	MaxKeptContent: 4096, KeepContent: func(string, int64) bool { return true },
}

// checkImages checks what every image result must satisfy.
func checkImages(t *testing.T, r *hardening.Result, source string) {
	t.Helper()
	for _, e := range r.Errors {
		if e.Source != source || e.Err == nil || e.Document < -1 {
			t.Fatalf("bad error %#v", e)
		}
		if strings.Contains(e.Error(), "internal error") {
			t.Fatal(e)
		}
	}
	for _, s := range r.Subjects {
		if s.Kind != hardening.KindImage || s.Image == nil || !strings.HasPrefix(s.Name, source) {
			t.Fatalf("bad subject %+v", s)
		}
		if s.ImageContents != nil {
			checkContents(t, s.ImageContents)
		}
	}
}

// checkContents checks the merged filesystem's invariants.
func checkContents(t *testing.T, c *hardening.ImageContents) {
	t.Helper()
	kept := 0
	for i, f := range c.Files {
		if !strings.HasPrefix(f.Path, "/") || path.Clean(f.Path) != f.Path {
			t.Fatalf("path %q is not absolute and clean", f.Path)
		}
		if i > 0 && c.Files[i-1].Path >= f.Path {
			t.Fatalf("paths out of order or repeated: %q, %q", c.Files[i-1].Path, f.Path)
		}
		if f.LayerIndex < 0 || f.LayerIndex >= len(c.Layers) || c.Layers[f.LayerIndex] != f.Layer {
			t.Fatalf("%s: layer %q index %d of %v", f.Path, f.Layer, f.LayerIndex, c.Layers)
		}
		if !f.Hardlink {
			kept += len(f.Content)
		}
	}
	if kept > 4096 {
		t.Fatalf("kept %d bytes of content", kept)
	}
}

// memStore is a store in memory, for fuzzing.
type memStore map[string][]byte

func (m memStore) open(name string) (io.ReadCloser, int64, error) {
	b, ok := m[name]
	if !ok {
		return nil, 0, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
	}
	return io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil
}

func (m memStore) exists(name string) bool { _, ok := m[name]; return ok }

// FuzzLayout fuzzes the layout reader: index.json, a manifest, a config
// and a layer. Placeholders in them are replaced with the real digests and
// sizes of the others, so the fuzzer gets past digest verification:
// MANIFEST_DIGEST/MANIFEST_SIZE in the index, CONFIG_*/LAYER_* in the
// manifest, DIFF_ID in the config.
func FuzzLayout(f *testing.F) {
	layer, err := imagetest.TarLayer([]imagetest.Entry{
		{Name: "etc/"}, {Name: "etc/passwd", Content: "root:x:0:0"}, {Name: "etc/.wh.shadow"},
		{Name: "bin/sh", Linkname: "busybox"}, {Name: "bin/su", Mode: 0o4755, Content: "x"},
	})
	if err != nil {
		f.Fatal(err)
	}
	index := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"MANIFEST_DIGEST","size":MANIFEST_SIZE,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}`
	nested := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"MANIFEST_DIGEST","size":MANIFEST_SIZE}]}`
	manifest := `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"CONFIG_DIGEST","size":CONFIG_SIZE},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"LAYER_DIGEST","size":LAYER_SIZE}]}`
	subIndex := `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"CONFIG_DIGEST","size":CONFIG_SIZE,"platform":{"os":"linux","architecture":"amd64"}}]}`
	config := `{"architecture":"amd64","os":"linux","config":{"User":"0"},"rootfs":{"type":"layers","diff_ids":["DIFF_ID"]}}`
	f.Add([]byte(index), []byte(manifest), []byte(config), layer)
	f.Add([]byte(index), []byte(manifest), []byte(config), imagetest.Gzip(layer))
	f.Add([]byte(index), []byte(manifest), []byte(config), imagetest.Zstd(layer))
	f.Add([]byte(nested), []byte(subIndex), []byte(manifest), layer)
	f.Fuzz(func(t *testing.T, index, manifest, config, layer []byte) {
		sub := func(b []byte, name string, blob []byte) []byte {
			b = bytes.ReplaceAll(b, []byte(name+"_DIGEST"), []byte(imagetest.Digest(blob)))
			return bytes.ReplaceAll(b, []byte(name+"_SIZE"), []byte(strconv.Itoa(len(blob))))
		}
		config = bytes.ReplaceAll(config, []byte("DIFF_ID"), []byte(imagetest.Digest(layer)))
		manifest = sub(sub(manifest, "CONFIG", config), "LAYER", layer)
		index = sub(index, "MANIFEST", manifest)
		st := memStore{"oci-layout": []byte(`{"imageLayoutVersion":"1.0.0"}`), "index.json": index}
		for _, b := range [][]byte{manifest, config, layer} {
			name, _ := blobName(imagetest.Digest(b))
			st[name] = b
		}
		opts := imageFuzzOptions.WithDefaults()
		opts.Platform = "linux/amd64"
		r := &hardening.Result{}
		(&imageLoader{opts: &opts, source: "fuzz", st: st, r: r}).loadLayout()
		checkImages(t, r, "fuzz")
	})
}

// FuzzArchive fuzzes the archive reader (OCI archives and docker-archives)
// through Bytes.
func FuzzArchive(f *testing.F) {
	dir := f.TempDir()
	img := imagetest.Image{Ref: "x:1", Layers: []imagetest.Layer{
		{Entries: []imagetest.Entry{{Name: "a/"}, {Name: "a/b", Content: "b"}, {Name: "c", Linkname: "a/b"}}},
		{Entries: []imagetest.Entry{{Name: "a/.wh..wh..opq"}, {Name: "a/d", Content: "d"}}},
	}}
	if _, err := imagetest.WriteOCIArchive(filepath.Join(dir, "oci.tar"), img); err != nil {
		f.Fatal(err)
	}
	if _, err := imagetest.WriteDockerArchive(filepath.Join(dir, "docker.tar"), img); err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"oci.tar", "docker.tar"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &hardening.Result{}
		LoadArchive(&imageFuzzOptions, r, nil, "fuzz", "", bytes.NewReader(data), int64(len(data)), false)
		checkImages(t, r, "fuzz")
	})
}

// FuzzLayers fuzzes the tar and whiteout walker with two layers, raw,
// gzip- or zstd-compressed, applied in order.
func FuzzLayers(f *testing.F) {
	seeds := [][]imagetest.Entry{
		{{Name: "./"}, {Name: "etc/"}, {Name: "etc/passwd", Content: "root"}, {Name: "tmp/", Mode: 0o1777}, {Name: "x/y/z", Content: "z"}},
		{{Name: "etc/.wh.passwd"}, {Name: "tmp/.wh..wh..opq"}, {Name: ".wh.x"}, {Name: "l", Type: tar.TypeLink, Linkname: "etc/passwd"}},
		{{Name: "/abs", Xattrs: map[string]string{"security.capability": "\x01\x00\x00\x02"}}, {Name: "d", Type: tar.TypeChar, Devmajor: 1, Devminor: 3}},
		// Files replace directories (from a lower layer and from their own),
		// and a directory is made again where a file was.
		{{Name: "etc", Content: "file"}, {Name: "x/y", Content: "y"}, {Name: "x", Content: "x"}, {Name: "x/z", Content: "z"}, {Name: "tmp/.wh.a"}},
		// An opaque directory hides the files below it from lower layers.
		{{Name: "etc/.wh..wh..opq"}, {Name: "x/.wh..wh..opq"}, {Name: "x/new", Content: "new"}},
		// A whiteout removes the directory the last entry of the layer
		// below was in; the next entry goes where that directory was.
		{{Name: "d/e/f", Content: "f"}},
		{{Name: ".wh.d"}, {Name: "d/e/g", Content: "g"}},
		// A file made a directory by an entry below it, and made a file
		// again by the next layer.
		{{Name: "x", Content: "x"}, {Name: "x/y", Content: "y"}},
		{{Name: "x", Content: "x again"}},
	}
	var layers [][]byte
	for _, s := range seeds {
		b, err := imagetest.TarLayer(s)
		if err != nil {
			f.Fatal(err)
		}
		layers = append(layers, b)
	}
	f.Add(layers[0], layers[1])
	f.Add(layers[1], layers[2])
	f.Add(imagetest.Gzip(layers[0]), layers[1])
	f.Add(imagetest.Zstd(layers[0]), imagetest.Zstd(layers[2]))
	f.Add(layers[0], layers[3])
	f.Add(layers[3], layers[1])
	f.Add(layers[0], layers[4])
	f.Add(layers[5], layers[6])
	f.Add(layers[7], layers[8])
	f.Fuzz(func(t *testing.T, a, b []byte) {
		opts := imageFuzzOptions.WithDefaults()
		// The same layers, with and without the directory cache: the
		// cache must not change the tree, nor the error. The first merger
		// is also asked for its contents between the layers, which must
		// change nothing either.
		var results [2]*hardening.ImageContents
		var errs [2]string
		for k, noCache := range []bool{false, true} {
			m := newMerger(&opts)
			m.noDirCache = noCache
			for i, l := range [][]byte{a, b} {
				if err := m.scan(layerBlob{r: bytes.NewReader(l), id: fmt.Sprintf("layer%d", i)}, i); err != nil {
					if strings.Contains(err.Error(), "internal error") {
						t.Fatal(err)
					}
					errs[k] = err.Error()
					break
				}
				if k == 0 && i == 0 {
					checkContents(t, m.contents())
				}
			}
			c := m.contents()
			checkContents(t, c)
			if diff := cmp.Diff(treeFiles(m.root), c.Files, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("contents differ from the tree's files (-tree +contents):\n%s", diff)
			}
			results[k] = c
		}
		if diff := cmp.Diff(results[1], results[0], cmpopts.EquateEmpty()); diff != "" || errs[0] != errs[1] {
			t.Errorf("the directory cache changed the result (-without +with):\n%s\nerrors %q, %q", diff, errs[1], errs[0])
		}
	})
}

// treeFiles returns the files of the tree below n, sorted by path, by
// walking it: what merger.contents returns from its list.
func treeFiles(n *node) []hardening.ImageFile {
	var files []hardening.ImageFile
	var visit func(n *node)
	visit = func(n *node) {
		if n.hasFile {
			files = append(files, n.file)
		}
		for _, k := range n.kids {
			visit(k)
		}
	}
	visit(n)
	slices.SortFunc(files, func(a, b hardening.ImageFile) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// FuzzIsClean checks isClean against path.Clean, and cleanEntry's result
// against cleaning without the shortcut.
func FuzzIsClean(f *testing.F) {
	for _, s := range []string{"", ".", "..", "a", "a/", "a//", "a/b", "./a", "a/./b", "a/../b", "a/.", "a/..", "/a", "a//b", ".a/..b/...", "usr/share/d000/", "a/b/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if isClean(name) && path.Clean(name) != name {
			t.Errorf("isClean(%q), but path.Clean gives %q", name, path.Clean(name))
		}
		got, err := cleanEntry(name)
		if strings.IndexByte(name, 0) >= 0 {
			if err == nil {
				t.Errorf("cleanEntry(%q) = %q, want an error", name, got)
			}
			return
		}
		want := "/" + path.Clean(strings.TrimLeft(name, "/"))
		if climbs := want == "/.." || strings.HasPrefix(want, "/../"); climbs != (err != nil) {
			t.Fatalf("cleanEntry(%q) = %q, %v", name, got, err)
		}
		if want == "/." {
			want = "/"
		}
		if err == nil && got != want {
			t.Errorf("cleanEntry(%q) = %q, want %q", name, got, want)
		}
	})
}
