package fix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	yaml "go.yaml.in/yaml/v3"
)

// TestApplyRandom applies random single edits (set a scalar, a mapping or
// a list, add a key, delete) at random places of the chart fixture and of
// a runtime spec, and reads the result back: an edit reported as applied
// did exactly what it says at its path, and nothing else changed in any
// document.
func TestApplyRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	for _, file := range []string{"testdata/chart.yaml", "../testdata/runtimes/crun-spec.json", "../load/testdata/list.yaml"} {
		src := mustRead(t, file)
		before := decodeDocs(t, src) // edited copies what it edits
		pathsOf := make([][]string, len(before))
		for i, d := range before {
			pathsOf[i] = allPaths(d)
		}
		applied, refused := 0, 0
		for i := 0; i < 400; i++ {
			doc := r.IntN(len(before))
			paths := pathsOf[doc]
			if len(paths) == 0 {
				continue
			}
			p := paths[r.IntN(len(paths))]
			var e hardening.Edit
			switch r.IntN(6) {
			case 0:
				e = hardening.Edit{Path: p, Delete: true}
			case 1:
				e = hardening.Edit{Path: p, Value: r.IntN(1000)}
			case 2:
				e = hardening.Edit{Path: p, Value: "v" + strconv.Itoa(r.IntN(9))}
			case 3:
				e = hardening.Edit{Path: p, Value: map[string]any{"k": true, "l": []string{"a"}}}
			case 4:
				e = hardening.Edit{Path: p, Value: []string{"x", "y"}}
			default:
				if _, ok := lookup(before[doc], p).(map[string]any); !ok {
					continue
				}
				e = hardening.Edit{Path: p + ".added", Value: "yes"}
			}
			out, res, err := Apply(src, doc, []hardening.Edit{e})
			if err != nil {
				t.Fatalf("%s doc %d %+v: %v", file, doc, e, err)
			}
			if res[0].Err != nil {
				refused++
				if testing.Verbose() && refused <= 30 {
					t.Logf("refused %+v: %v", e, res[0].Err)
				}
				if !bytes.Equal(out, src) {
					t.Fatalf("%s doc %d %+v: refused (%v) but changed the source", file, doc, e, res[0].Err)
				}
				continue
			}
			applied++
			after := decodeDocs(t, out)
			if len(after) != len(before) {
				t.Fatalf("%s %+v: %d documents after, %d before\n%s", file, e, len(after), len(before), Diff(file, src, out))
			}
			for j := range before {
				want := before[j]
				if j == doc {
					want = edited(before[j], e)
				}
				if !reflect.DeepEqual(norm(want), norm(after[j])) {
					t.Fatalf("%s doc %d %+v: document %d is not what the edit says\n%s", file, doc, e, j, Diff(file, src, out))
				}
			}
		}
		t.Logf("%s: %d edits applied, %d refused", file, applied, refused)
		if applied < 100 {
			t.Errorf("%s: only %d of the random edits applied", file, applied)
		}
	}
}

func decodeDocs(t *testing.T, src []byte) []any {
	t.Helper()
	var out []any
	for _, d := range load.Documents(src) {
		var v any
		if err := yaml.Unmarshal(d, &v); err != nil {
			t.Fatalf("does not parse: %v\n%s", err, src)
		}
		out = append(out, v)
	}
	return out
}

// norm makes YAML values comparable: numbers as float64, through JSON.
func norm(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

func allPaths(v any) []string {
	var out []string
	var walk func(v any, p string)
	walk = func(v any, p string) {
		if p != "" {
			out = append(out, p)
		}
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(c, joinKey(p, k))
			}
		case []any:
			for i, c := range x {
				walk(c, p+"["+strconv.Itoa(i)+"]")
			}
		}
	}
	walk(v, "")
	slices.Sort(out) // maps walk in random order: sorted, a seed replays the same edits
	return out
}

func lookup(v any, p string) any {
	segs, _ := parsePath(p)
	for _, s := range segs {
		switch x := v.(type) {
		case map[string]any:
			v = x[s.key]
		case []any:
			if !s.isIndex || s.index >= len(x) {
				return nil
			}
			v = x[s.index]
		default:
			return nil
		}
	}
	return v
}

// edited returns v with e applied, as plain data.
func edited(v any, e hardening.Edit) any {
	v = norm(v)
	segs, _ := parsePath(e.Path)
	var val any
	if !e.Delete {
		val = norm(e.Value)
	}
	var set func(cur any, segs []segment) any
	set = func(cur any, segs []segment) any {
		s := segs[0]
		switch x := cur.(type) {
		case map[string]any:
			if len(segs) == 1 {
				if e.Delete {
					delete(x, s.key)
				} else {
					x[s.key] = val
				}
				return x
			}
			x[s.key] = set(x[s.key], segs[1:])
			return x
		case []any:
			if len(segs) == 1 {
				if e.Delete {
					return append(x[:s.index:s.index], x[s.index+1:]...)
				}
				x[s.index] = val
				return x
			}
			x[s.index] = set(x[s.index], segs[1:])
			return x
		case nil:
			m := map[string]any{}
			return set(m, segs)
		}
		panic(fmt.Sprintf("cannot apply %+v", e))
	}
	return set(v, segs)
}
