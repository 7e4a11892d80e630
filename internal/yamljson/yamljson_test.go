package yamljson_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/internal/jsondepth"
	"github.com/bulwarkdev/bulwark/internal/yamljson"
	"github.com/bulwarkdev/bulwark/load"
)

const maxDepth = 100

// same checks the contract on one document: when Convert says ok, its
// bytes are YAMLToJSON's and its depth is the JSON's.
func same(t *testing.T, name string, doc []byte) (ok bool) {
	t.Helper()
	fast, ok := yamljson.Convert(doc, maxDepth)
	if !ok {
		return false
	}
	slow, err := yaml.YAMLToJSON(doc)
	if err != nil {
		t.Errorf("%s: Convert accepted what YAMLToJSON refuses (%v):\n%s", name, err, doc)
		return true
	}
	if !bytes.Equal(fast, slow) {
		t.Errorf("%s: Convert and YAMLToJSON differ on\n%s\nConvert:    %s\nYAMLToJSON: %s", name, doc, fast, slow)
	}
	if depth := jsondepth.Depth(slow, 1<<30); depth > maxDepth {
		t.Errorf("%s: accepted a document %d deep, past the limit of %d", name, depth, maxDepth)
	}
	return true
}

// cases are documents in and out of the subset; they also seed the fuzz
// test.
var cases = []struct {
	name string
	yaml string
	ok   bool // in the subset
}{
	{"empty", "", true},
	{"comments only", "# a\n  # b\n\n", true},
	{"map", "b: 1\na: x\n", true},
	{"nested", "a:\n  b:\n    c: d\n  e: f\n", true},
	{"sequence at key column", "a:\n- x\n- y\nb: 2\n", true},
	{"indented sequence", "a:\n  - x\n  -   y\n", true},
	{"sequence of maps", "c:\n- name: a\n  image: b\n-   name: c\n    args: []\n", true},
	{"item on next line", "- \n  a: 1\n-\n- x\n", true},
	{"null values", "a:\nb: ~\nc: null\nd: NULL\ne: # c\n", true},
	{"yaml 1.1 booleans", "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: N\ng: true\nh: False\ni: yess\n", true},
	{"integers", "a: 0\nb: -12\nc: +5\nd: 0x1F\ne: 0o17\nf: 017\ng: 1_000\nh: 0b101\ni: -0b11\nj: 18446744073709551615\nk: 99999999999999999999\n", true},
	{"floats", "a: 0.5\nb: 1e3\nc: -1.5E-7\nd: .5\ne: 1.\nf: 1e400\ng: 3.0\n", true},
	{"quantities and strings", "cpu: 500m\nmemory: 128Mi\nsurge: 25%\nts: 2001-12-14\nt2: 2001-12-14t21:59:43.10-05:00\nv: 1.2.3\n", true},
	{"quoted", "a: \"x\\\"y\\\\zw\\n\\t\\r\"\nb: 'it''s'\nc: ''\nd: \"\"\n'e f': \"g\" # c\n\"h\": 'i'\n", true},
	{"html and controls", "a: <b>&</b>\nb: \"tab\\there\"\n", true},
	{"plain with colons and hashes", "image: nginx:1.25\nurl: http://x/y#z\nc: a # comment\nd: a#b\n", true},
	{"args", "args:\n- --port=8080\n- -v\n- \"--x=y\"\n- $(POD_IP)\n- '*'\n", true},
	{"empty flows", "a: {}\nb: []\nc: [] # x\n", true},
	{"indented document", "  a: 1\n  b: 2\n", true},
	{"trailing spaces", "a: b   \nc:   \n  d: e  \n", true},
	{"key with spaces and dots", "app.kubernetes.io/name: x\nmy key: y\n", true},
	{"plain starting with indicators", "host: ::1\nq: ?x\nr: -x\n", true},
	{"literal", "a: |\n  x\n   y\nb: 1\n", true},
	{"literal strip", "a: |-\n  x\n  y\n\n", true},
	{"literal keep", "a: |+\n  x\n\n\nb: 1\n", true},
	{"literal blank lines", "a: |\n\n  x\n\n   \n  y\n \nb: 2\n", true},
	{"literal in sequence", "- |\n  echo hi\n  # not a comment\n- x\n", true},
	{"literal with comment", "a: | # c\n    x\n  b: 1\n", false},
	{"literal at key column", "a:\n- |\n  x\n- y\n", true},
	{"literal at the end", "a: |\n  x", true},
	{"literal keep, blank last line", "A: |+\n 0\n ", true},
	{"literal, spaces last line", "A: |\n 0\n   ", true},
	{"literal in sequence map", "c:\n- name: a\n  args:\n  - |\n    set -e\n    run\n  image: b\n", true},
	{"flow sequence", "a: [1, 2, yes, ~, 0x1F, \"x\", 'y']\n", true},
	{"flow map", "a: {b: c, d: [e, {f: g}]}\n", true},
	{"flow spaces", "a: [ ]\nb: { }\nc: [ x ,y ]\n", true},
	{"flow of containers", "c: [{name: app, image: r.example/app:1.2, args: [\"--port=80\"]}]\n", true},
	{"flow in sequence", "- {name: GOGC, value: \"30\"}\n- [a]\n", true},

	{"multi-line plain", "a: b\n  c\n", false},
	{"folded scalar", "a: >-\n  x\n", false},
	{"anchor", "a: &x 1\nb: *x\n", false},
	{"merge key", "a: &x {}\nb:\n  <<: *x\n", false},
	{"tag", "a: !!str 1\n", false},
	{"tab", "a:\tb\n", false},
	{"carriage return", "a: b\r\n", false},
	{"non-ASCII", "a: é\n", false},
	{"integer key", "80: http\n", false},
	{"boolean key", "on: push\n", false},
	{"null key", "~: x\n", false},
	{"duplicate key", "a: 1\nb: 2\na: 3\n", false},
	{"duplicate quoted key", "a: 1\n'a': 2\n", false},
	{"infinity", "a: .inf\n", false},
	{"negative infinity", "a: -.Inf\n", false},
	{"nan", "a: .NaN\n", false},
	{"document marker", "---\na: 1\n", false},
	{"marker with content", "--- a: 1\n", false},
	{"directive", "%YAML 1.1\n---\na: 1\n", false},
	{"multi-line quoted", "a: \"b\n  c\"\n", false},
	{"unknown escape", "a: \"\\x41\"\n", false},
	{"sequence in sequence", "- - a\n", false},
	{"scalar document", "hello\n", false},
	{"top-level scalar after map", "a: 1\nb\n", false},
	{"bad indentation", "a:\n    b: 1\n  c: 2\n", false},
	{"mapping in value", "a: b: c\n", false},
	{"trailing colon", "a: b:\n", false},
	{"sequence after scalar", "a: b\n- c\n", false},
	{"dash value", "a: - b\n", false},
	{"text after quote", "a: 'b' c\n", false},
	{"complex key", "? a\n: b\n", false},
	{"space before colon", "a : b\n", false},
	{"scalar on next line", "a:\n  b\n", false},
	{"flow over lines", "a: [1,\n  2]\n", false},
	{"flow trailing comma", "a: [1, 2,]\n", false},
	{"flow empty value", "a: {b: }\n", false},
	{"flow comment", "a: [1 # x\n]\n", false},
	{"flow key without value", "a: {b}\n", false},
	{"flow pair in sequence", "a: [b: c]\n", false},
	{"text after flow", "a: [b] c\n", false},
	{"literal indentation indicator", "a: |2\n  x\n", false},
	{"literal without content", "a: |\nb: 1\n", false},
	{"literal deep blank first", "a: |\n      \n  x\n", false},
	{"literal then deeper line", "a: |\n    x\n  b: 1\n", false},
}

func TestCases(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if ok := same(t, tc.name, []byte(tc.yaml)); ok != tc.ok {
				t.Errorf("Convert ok = %v, want %v for\n%s", ok, tc.ok, tc.yaml)
			}
		})
	}
}

func TestDepthLimit(t *testing.T) {
	for _, doc := range []string{"a:\n  b:\n    c: []\n", "a:\n- [{c: d}]\n", "- a:\n  - [x]\n"} {
		if _, ok := yamljson.Convert([]byte(doc), 4); !ok {
			t.Errorf("limit 4: a document 4 deep was declined:\n%s", doc)
		}
		if _, ok := yamljson.Convert([]byte(doc), 3); ok {
			t.Errorf("limit 3: a document 4 deep was accepted:\n%s", doc)
		}
	}
}

// TestRepositoryManifests compares the two on every document of every
// YAML file in the repository (CNI and CSI DaemonSets, operators, Helm
// output, the PSA-shaped fixtures), and requires that the subset covers
// most of them: a fast path nothing takes would measure nothing.
func TestRepositoryManifests(t *testing.T) {
	root := filepath.Join("..", "..")
	var docs, fast int
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); name != ".." && (strings.HasPrefix(name, ".") || name == "fuzz") && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, doc := range load.Documents(data) {
			docs++
			if same(t, path+"#"+string(rune('0'+i%10)), doc) {
				fast++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d documents in the subset", fast, docs)
	if docs < 300 || fast*10 < docs*9 {
		t.Errorf("%d of %d documents in the subset: want at least 90%% of at least 300", fast, docs)
	}
}

func FuzzConvert(f *testing.F) {
	for _, tc := range cases {
		f.Add([]byte(tc.yaml))
	}
	for _, name := range []string{"../../testdata/hardened/grafana.yaml", "../../load/testdata/cluster/context.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for _, doc := range load.Documents(data) {
			f.Add(doc)
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		same(t, "fuzz", doc)
	})
}

// BenchmarkConvert compares Convert with YAMLToJSON on the documents of
// a real chart's output (testdata/hardened/grafana.yaml).
func BenchmarkConvert(b *testing.B) {
	data, err := os.ReadFile("../../testdata/hardened/grafana.yaml")
	if err != nil {
		b.Fatal(err)
	}
	docs := load.Documents(data)
	for _, doc := range docs {
		if _, ok := yamljson.Convert(doc, maxDepth); !ok {
			b.Fatalf("a document outside the subset:\n%s", doc)
		}
	}
	b.Run("yamljson", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			for _, doc := range docs {
				yamljson.Convert(doc, maxDepth)
			}
		}
	})
	b.Run("sigs.k8s.io/yaml", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			for _, doc := range docs {
				if _, err := yaml.YAMLToJSON(doc); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestRandomDocuments compares the two on documents built at random from
// the pieces where the subset's edges are: scalars YAML 1.1 types in
// surprising ways, keys that are not strings, comments, indentation
// styles, flow collections and literal block scalars. Byte mutation (the
// fuzz test) rarely assembles these; a grammar does.
func TestRandomDocuments(t *testing.T) {
	keys := []string{"a", "b", "name", "app.kubernetes.io/name", "a b", "-k", "k:x", "on", "yes", "1", "0x1F", "1.5", "~", "null",
		"<<", "'q'", `"dq"`, `"e\n"`, "'it''s'", "k#x", "k #x", "? k", "&a k", "!t k", "*a", "[a]", "{a: b}", "\"a\"b", "a'"}
	scalars := []string{"x", "yes", "No", "on", "y", "~", "null", "NULL", "Null", "true", "0", "-0", "+1", "007", "0x1F", "0o17",
		"0b101", "-0b11", "0b", "1_000", "_1", "1__0", "1e3", "1E-7", "1.", ".5", ".inf", "-.Inf", ".nan", "+.inf", "1e400", "0.1e",
		"9223372036854775807", "9223372036854775808", "18446744073709551616", "-9223372036854775809", "1.2.3", "2001-12-14",
		"2001-12-14 21:59:43.10", "12:30", "128Mi", "500m", "25%", "<b>&</b>", "a #b", "a#b", "a: b", "a:", ":x", "::1", "?x", "-x",
		"--x", "- x", "-", "=", "<<", "@x", "`x", "%x", "!x", "&x", "*x", "|x", ">x", "a, b", "a]b", "a}b", "'s'", "'it''s'", "''",
		`"d"`, `"a\"b"`, `"t\tn\nr\r"`, `"\x41"`, `"\/"`, `""`, "'a' b", `"a"b`, "[]", "{}", "[ ]", "[a, b]", "[a,b]", "[a, [b, {c: d}]]",
		"{a: b, c: [d]}", "{a: }", "{a}", "[a: b]", "[a,]", "[a # c]", "{a: b} x", "[a] # c", "x # c", "x  ", "'x' # c"}
	literals := []string{"|", "|-", "|+", "| # c", "|2", ">", "|x"}
	rng := rand.New(rand.NewPCG(7, 13))
	pick := func(l []string) string { return l[rng.IntN(len(l))] }
	var gen func(b *strings.Builder, indent, depth int, inline bool)
	// scalarOrBlock writes a value after "key:" or "- ".
	scalarOrBlock := func(b *strings.Builder, indent, depth int) bool {
		switch r := rng.IntN(10); {
		case r < 6 || depth > 3:
			b.WriteString(" " + pick(scalars) + "\n")
		case r < 7:
			b.WriteString(" " + pick(literals) + "\n")
			pad := strings.Repeat(" ", indent+1+rng.IntN(3))
			for range 1 + rng.IntN(3) {
				switch rng.IntN(4) {
				case 0:
					b.WriteString("\n")
				case 1:
					b.WriteString(pad + " \n")
				default:
					b.WriteString(pad + pick(scalars) + "\n")
				}
			}
		default:
			return false // a block below
		}
		return true
	}
	gen = func(b *strings.Builder, indent, depth int, inline bool) {
		pad := strings.Repeat(" ", indent)
		first := inline
		n := 1 + rng.IntN(3)
		if rng.IntN(2) == 0 {
			for range n {
				if !first {
					b.WriteString(pad)
				}
				first = false
				b.WriteString(pick(keys) + ":")
				if rng.IntN(8) == 0 {
					b.WriteString(" # c")
				}
				if !scalarOrBlock(b, indent, depth) {
					b.WriteString("\n")
					if rng.IntN(2) == 0 {
						gen(b, indent, depth+1, false) // maybe a sequence at the key's column
					} else {
						gen(b, indent+1+rng.IntN(3), depth+1, false)
					}
				}
				if rng.IntN(10) == 0 {
					b.WriteString(pad + "# comment\n\n")
				}
			}
			return
		}
		for range n {
			if !first {
				b.WriteString(pad)
			}
			first = false
			b.WriteString("-")
			if rng.IntN(3) == 0 && depth < 4 {
				sp := 1 + rng.IntN(2)
				b.WriteString(strings.Repeat(" ", sp))
				gen(b, indent+1+sp, depth+1, true) // a map on the entry's line
				continue
			}
			if !scalarOrBlock(b, indent, depth) {
				b.WriteString("\n")
				gen(b, indent+1+rng.IntN(3), depth+1, false)
			}
		}
	}
	accepted, total := 0, 20000
	for i := range total {
		var b strings.Builder
		gen(&b, rng.IntN(2), 0, false)
		if same(t, fmt.Sprintf("document %d", i), []byte(b.String())) {
			accepted++
		}
		if t.Failed() {
			break
		}
	}
	t.Logf("%d of %d random documents in the subset", accepted, total)
	if accepted < total/20 {
		t.Errorf("only %d of %d random documents in the subset: the test no longer reaches it", accepted, total)
	}
}

// TestAppendString pins the string escaping to encoding/json's on every
// ASCII byte, those Convert cannot produce today included.
func TestAppendString(t *testing.T) {
	for c := range 128 {
		s := "a" + string(rune(c)) + "b"
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := yamljson.AppendString(nil, []byte(s)); !bytes.Equal(got, want) {
			t.Errorf("byte %#x: %s, encoding/json writes %s", c, got, want)
		}
	}
}
