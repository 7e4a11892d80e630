package corpus

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"sigs.k8s.io/yaml"
)

var (
	fixturesOnce sync.Once
	fixturesVal  []Fixture
	fixturesErr  error
)

func testFixtures(t *testing.T) []Fixture {
	t.Helper()
	fixturesOnce.Do(func() {
		dir, err := FixturesDir()
		if err != nil {
			fixturesErr = err
			return
		}
		fixturesVal, fixturesErr = LoadFixtures(dir)
	})
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixturesVal
}

var small = Sizes{Files: 40, Docs: 120, BigDocs: 450, Context: 30}

func TestPSAVersionMatchesGoMod(t *testing.T) {
	data, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	if want := "k8s.io/pod-security-admission " + PSAVersion + "\n"; !strings.Contains(string(data), want) {
		t.Errorf("go.mod does not require %q: PSAVersion and go.mod disagree", strings.TrimSpace(want))
	}
}

func TestLoadFixtures(t *testing.T) {
	fs := testFixtures(t)
	// 4537 files at v0.37.2, of which 380 are distinct.
	if len(fs) != 380 {
		t.Errorf("%d distinct fixtures, want 380 (did PSAVersion change?)", len(fs))
	}
	for i := 1; i < len(fs); i++ {
		if fs[i-1].Rel >= fs[i].Rel {
			t.Fatalf("fixtures not sorted: %s before %s", fs[i-1].Rel, fs[i].Rel)
		}
	}
}

// readTree returns every file under dir by its slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterministic(t *testing.T) {
	fs := testFixtures(t)
	a, b, c := t.TempDir(), t.TempDir(), t.TempDir()
	for _, g := range []struct {
		dir  string
		seed uint64
	}{{a, 7}, {b, 7}, {c, 8}} {
		if err := Generate(g.dir, fs, g.seed, small); err != nil {
			t.Fatal(err)
		}
	}
	ta, tb, tc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(ta) == 0 || len(ta) != len(tb) {
		t.Fatalf("same seed: %d and %d files", len(ta), len(tb))
	}
	for name, data := range ta {
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("same seed, different bytes in %s", name)
		}
	}
	same := 0
	for name, data := range ta {
		if bytes.Equal(data, tc[name]) {
			same++
		}
	}
	if same == len(ta) {
		t.Errorf("seeds 7 and 8 gave the same corpora")
	}
}

// podKinds and contextKinds as a set, for counting.
var isPodKind, isContextKind = func() (map[string]bool, map[string]bool) {
	p, c := map[string]bool{}, map[string]bool{}
	for _, k := range podKinds {
		p[k.name] = true
	}
	for _, k := range contextKinds {
		c[k.name] = true
	}
	return p, c
}()

// count decodes every document of data and counts pod-bearing and context
// objects; anything else is an error.
func count(t *testing.T, name string, data []byte) (docs, pods, ctx int) {
	t.Helper()
	for i, doc := range bytes.Split(data, []byte("\n---\n")) {
		var h struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(doc, &h); err != nil {
			t.Fatalf("%s: document %d: %v", name, i, err)
		}
		switch {
		case h.APIVersion == "" || h.Metadata.Name == "":
			t.Errorf("%s: document %d has no apiVersion or name", name, i)
		case isPodKind[h.Kind]:
			pods++
		case isContextKind[h.Kind]:
			ctx++
		default:
			t.Errorf("%s: document %d is a %q", name, i, h.Kind)
		}
		docs++
	}
	return docs, pods, ctx
}

func checkCounts(t *testing.T, dir string, s Sizes, decode bool) {
	t.Helper()
	corpora := Corpora(s)
	if len(corpora) != 6 {
		t.Fatalf("%d corpora, want 6", len(corpora))
	}
	for _, c := range corpora {
		path := filepath.Join(dir, c.Name)
		var docs, pods, ctx int
		if c.Dir {
			files := readTree(t, path)
			docs = len(files)
			for name, data := range files {
				_, p, x := count(t, name, data)
				pods += p
				ctx += x
			}
		} else {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if decode {
				docs, pods, ctx = count(t, c.Name, data)
			} else {
				docs, pods, ctx = countLines(data)
			}
			// bulwark reads at most 64 MiB from one file by default.
			if len(data) >= 64<<20 {
				t.Errorf("%s is %d bytes, over bulwark's 64 MiB file limit", c.Name, len(data))
			}
		}
		if docs != c.Pods+c.Context || pods != c.Pods || ctx != c.Context {
			t.Errorf("%s: %d documents, %d pod-bearing and %d context objects; want %d, %d and %d",
				c.Name, docs, pods, ctx, c.Pods+c.Context, c.Pods, c.Context)
		}
	}
}

// countLines counts documents and top-level kinds without decoding: every
// document has exactly one "kind:" line at column 0.
func countLines(data []byte) (docs, pods, ctx int) {
	docs = 1 + bytes.Count(data, []byte("\n---\n"))
	for line := range bytes.Lines(data) {
		if k, ok := bytes.CutPrefix(line, []byte("kind: ")); ok {
			k = bytes.TrimSpace(k)
			switch {
			case isPodKind[string(k)]:
				pods++
			case isContextKind[string(k)]:
				ctx++
			}
		}
	}
	return docs, pods, ctx
}

func TestCounts(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, testFixtures(t), 1, small); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, dir, small, true)
}

// TestDefaultSizes generates the corpora of issue 13 at their full size.
func TestDefaultSizes(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 140 MB")
	}
	dir := t.TempDir()
	if err := Generate(dir, testFixtures(t), 1, DefaultSizes); err != nil {
		t.Fatal(err)
	}
	checkCounts(t, dir, DefaultSizes, false)
}

func TestGenerateRerunReplacesFiles(t *testing.T) {
	fs := testFixtures(t)
	dir := t.TempDir()
	if err := Generate(dir, fs, 1, small); err != nil {
		t.Fatal(err)
	}
	// A stale file in a files corpus must not survive a new run.
	stale := filepath.Join(dir, Corpora(small)[0].Name, "stale.yaml")
	if err := os.WriteFile(stale, []byte("kind: Pod\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(dir, fs, 1, small); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); err == nil {
		t.Errorf("stale file survived a second Generate")
	}
}
