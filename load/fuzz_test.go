package load

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// addSeeds adds every fixture under testdata (not the fuzz corpus) as a seed.
func addSeeds(f *testing.F) {
	f.Helper()
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "fuzz" {
				return filepath.SkipDir
			}
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		f.Add(data)
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(billionLaughs))
	f.Add([]byte("a: &a [x]\nb: [*a, *a]\n"))
	f.Add([]byte("---\n---\n# c\n--- |\n  x\n"))
}

// fuzzOptions keeps each input cheap.
var fuzzOptions = Options{MaxFileSize: 1 << 20, MaxDocumentSize: 64 << 10, MaxDepth: 30}

func FuzzBytes(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := Bytes(fuzzOptions, "fuzz", data)
		docs := len(Documents(data))
		for _, e := range r.Errors {
			if strings.Contains(e.Error(), "internal error") {
				t.Fatalf("decoder panicked: %v", e)
			}
			if e.Source != "fuzz" || e.Document < -1 || e.Document >= docs || e.Err == nil {
				t.Fatalf("bad error %#v (%d documents)", e, docs)
			}
		}
		for _, s := range r.Subjects {
			if s.Source != "fuzz" || s.Document < 0 || s.Document >= docs || s.Name == "" {
				t.Fatalf("bad subject %+v (%d documents)", s, docs)
			}
			set := 0
			for _, ok := range []bool{s.Pod != nil, s.Spec != nil, s.Image != nil, s.Object != nil} {
				if ok {
					set++
				}
			}
			want := map[hardening.Kind]bool{hardening.KindPod: s.Pod != nil, hardening.KindOCISpec: s.Spec != nil, hardening.KindImage: s.Image != nil, hardening.KindObject: s.Object != nil}
			if set != 1 || !want[s.Kind] {
				t.Fatalf("subject %q of kind %v has pod %v spec %v image %v object %v", s.Name, s.Kind, s.Pod != nil, s.Spec != nil, s.Image != nil, s.Object != nil)
			}
			if s.Kind == hardening.KindPod && (s.PodSpecPath == "" || s.PodMetaPath == "") {
				t.Fatalf("subject %q without paths", s.Name)
			}
		}
		for _, s := range r.Skipped {
			if s.Document < 0 || s.Document >= docs || s.Kind == "" || s.Reason == "" || s.Part && s.Path == "" {
				t.Fatalf("bad skipped %+v", s)
			}
		}
	})
}

// FuzzSearchPods checks the streaming pod spec search against a plain
// recursive reading of the same rules over the decoded JSON, and that
// every template and pod spec it reports is the object at its path.
func FuzzSearchPods(f *testing.F) {
	const c = `{"name":"c","image":"i"}`
	for _, seed := range []string{
		`{"spec":{"template":{"metadata":{},"spec":{"containers":[` + c + `]}}}}`,
		`{"metadata":{"a":{"containers":[` + c + `]}},"status":{"containers":[` + c + `]},"spec":{"p":{"containers":[` + c + `]}}}`,
		`{"containers":[` + c + `],"spec":{"containers":[` + c + `],"spec":{"containers":[` + c + `]}}}`,
		`{"spec":{"a":{"containers":[1]},"a":{"containers":[` + c + `]},"b":[{"container":` + c + `}],"c.d":{"spec":{"containers":[` + c + `]}}}}`,
		`{"spec":{"x":{"containers":[` + c + `],"spec":{"containers":[` + c + `]}},"y":{"containers":null,"spec":{"containers":[]}}}}`,
	} {
		f.Add([]byte(seed))
	}
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, doc := range Documents(data) {
			if js, err := yaml.YAMLToJSON(doc); err == nil && len(js) > 0 && js[0] == '{' {
				f.Add(js)
			}
		}
		return nil
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, js []byte) {
		if len(js) > 64<<10 || !json.Valid(js) || jsonDepth(js, 30) > 30 {
			return
		}
		var root any
		if err := json.Unmarshal(js, &root); err != nil {
			return
		}
		obj, ok := root.(map[string]any)
		if !ok {
			return
		}
		hits, err := searchPods(js, searchLimits{nodes: 1 << 16, hits: 1 << 16})
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		var got []string
		for i, h := range hits {
			got = append(got, [...]string{"template", "spec", "miss"}[h.kind]+" "+h.path)
			if i > 0 && hits[i-1].start > h.start {
				t.Fatalf("hits out of document order: %+v", hits)
			}
			if h.kind == hitMiss {
				continue
			}
			var span any
			if err := json.Unmarshal(js[h.start:h.end], &span); err != nil {
				t.Fatalf("%s: span %q: %v", h.path, js[h.start:h.end], err)
			}
			m, _ := span.(map[string]any)
			if h.kind == hitSpec && !isPodSpec(m) || h.kind == hitTemplate && !isPodSpec(m["spec"]) {
				t.Fatalf("%s: span %q is no %s", h.path, js[h.start:h.end], got[i])
			}
			if !bracketsInKeys(root) && !cmp.Equal(span, at(root, h.path)) {
				t.Fatalf("%s: span %q is not the value at its path", h.path, js[h.start:h.end])
			}
		}
		want := referencePods(obj, "", true, false)
		slices.Sort(got)
		slices.Sort(want)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("hits (-reference +search):\n%s", diff)
		}
	})
}

// referencePods applies the rules of searchPods by recursion over a
// decoded object at path; parentIsSpec says that it is the spec member of
// an object other than the root.
func referencePods(obj map[string]any, path string, root, parentIsSpec bool) []string {
	var out []string
	containers, has := obj["containers"]
	switch {
	case isContainerList(containers) && root:
		out = append(out, "miss containers")
	case isContainerList(containers) && parentIsSpec:
		return nil // the template is its parent
	case isContainerList(containers):
		return []string{"spec " + path}
	case !root && isPodSpec(obj["spec"]):
		return []string{"template " + path}
	case has && containers != nil && !isEmptyList(containers):
		out = append(out, "miss "+join(path, "containers"))
	}
	if ctr, ok := obj["container"].(map[string]any); ok {
		if _, ok := ctr["image"].(string); ok {
			out = append(out, "miss "+join(path, "container"))
		}
	}
	for key, v := range obj {
		if root && (key == "metadata" || key == "status") {
			continue
		}
		out = append(out, referenceValue(v, join(path, key), !root && key == "spec")...)
	}
	return out
}

// referenceValue searches any value at path.
func referenceValue(v any, path string, isSpec bool) []string {
	switch v := v.(type) {
	case map[string]any:
		return referencePods(v, path, false, isSpec)
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, referenceValue(e, path+"["+strconv.Itoa(i)+"]", false)...)
		}
		return out
	}
	return nil
}

func isEmptyList(v any) bool { l, ok := v.([]any); return ok && len(l) == 0 }

func isContainerList(v any) bool {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return false
	}
	for _, e := range l {
		m, ok := e.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := m["image"].(string); !ok {
			return false
		}
	}
	return true
}

func isPodSpec(v any) bool {
	m, ok := v.(map[string]any)
	return ok && isContainerList(m["containers"])
}

// bracketsInKeys reports whether a key in v holds a bracket, which makes
// the paths searchPods renders ambiguous to read back.
func bracketsInKeys(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if strings.ContainsAny(k, "[]") || bracketsInKeys(e) {
				return true
			}
		}
	case []any:
		for _, e := range v {
			if bracketsInKeys(e) {
				return true
			}
		}
	}
	return false
}

// at returns the value at a path that searchPods rendered, or nil.
func at(v any, path string) any {
	for path != "" {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			seg := path[1:end]
			path = path[end+1:]
			if l, ok := v.([]any); ok {
				i, err := strconv.Atoi(seg)
				if err != nil || i >= len(l) {
					return nil
				}
				v = l[i]
				continue
			}
			m, _ := v.(map[string]any)
			v = m[seg]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			m, _ := v.(map[string]any)
			v = m[path[:end]]
			path = path[end:]
		}
	}
	return v
}

// FuzzDocuments checks that splitting loses nothing but markers and blank
// text, and that documents appear in order without overlapping.
func FuzzDocuments(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		end := 0
		for _, d := range Documents(data) {
			start := cap(data) - cap(d)
			if start < end || start+len(d) > len(data) {
				t.Fatalf("document at %d..%d overlaps or leaves the input (previous end %d)", start, start+len(d), end)
			}
			// What lies between documents is markers, comments on them and blank text.
			for _, line := range strings.SplitAfter(string(data[end:start]), "\n") {
				if !isBlank([]byte(line)) && !isMarker([]byte(line)) {
					t.Fatalf("lost %q between documents", line)
				}
			}
			end = start + len(d)
		}
		if !isBlank(data[end:]) {
			for _, line := range strings.SplitAfter(string(data[end:]), "\n") {
				if !isBlank([]byte(line)) && !isMarker([]byte(line)) {
					t.Fatalf("lost trailing %q", line)
				}
			}
		}
	})
}

// FuzzAliasExpansion checks that the alias bound really bounds: whatever
// go-yaml expands, its JSON is no larger than a small multiple of the
// bound (JSON quotes and escapes what YAML leaves bare).
func FuzzAliasExpansion(f *testing.F) {
	addSeeds(f)
	f.Add([]byte("a: &a x\nb: [*a, *a, *a]\n"))
	f.Add([]byte("a: &a [&b [x, y], *b]\nc: {d: *a, e: *b}\n"))
	f.Add([]byte("a: &a {<<: {x: 1}}\nb: {<<: *a, y: 2}\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		if len(doc) > 4096 {
			return
		}
		bound, err := aliasExpansion(doc, 1<<20)
		if err != nil {
			return
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return
		}
		if limit := 8*bound + 64; int64(len(js)) > limit {
			t.Fatalf("bound %d, but the JSON is %d bytes", bound, len(js))
		}
	})
}

// imageFuzzOptions keeps each image input cheap.
var imageFuzzOptions = Options{
	MaxFileSize: 1 << 20, MaxDocumentSize: 64 << 10, MaxDepth: 30,
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
		opts := imageFuzzOptions.withDefaults()
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
		r := Bytes(imageFuzzOptions, "fuzz", data)
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
	f.Fuzz(func(t *testing.T, a, b []byte) {
		opts := imageFuzzOptions.withDefaults()
		m := newMerger(&opts)
		for i, l := range [][]byte{a, b} {
			if err := m.scan(layerBlob{r: bytes.NewReader(l), id: fmt.Sprintf("layer%d", i)}, i); err != nil {
				if strings.Contains(err.Error(), "internal error") {
					t.Fatal(err)
				}
				break
			}
		}
		checkContents(t, m.contents())
	})
}
