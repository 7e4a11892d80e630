package load

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
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
