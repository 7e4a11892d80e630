package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/hardening"
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
			for _, ok := range []bool{s.Pod != nil, s.Spec != nil, s.Image != nil} {
				if ok {
					set++
				}
			}
			want := map[hardening.Kind]bool{hardening.KindPod: s.Pod != nil, hardening.KindOCISpec: s.Spec != nil, hardening.KindImage: s.Image != nil}
			if set != 1 || !want[s.Kind] {
				t.Fatalf("subject %q of kind %v has pod %v spec %v image %v", s.Name, s.Kind, s.Pod != nil, s.Spec != nil, s.Image != nil)
			}
			if s.Kind == hardening.KindPod && (s.PodSpecPath == "" || s.PodMetaPath == "") {
				t.Fatalf("subject %q without paths", s.Name)
			}
		}
		for _, s := range r.Skipped {
			if s.Document < 0 || s.Document >= docs || s.Kind == "" {
				t.Fatalf("bad skipped %+v", s)
			}
		}
	})
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
