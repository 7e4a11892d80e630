package load

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// billionLaughs is the classic alias bomb: nine levels of nine aliases,
// 10^9 "lol"s once expanded, in 339 bytes.
const billionLaughs = `apiVersion: v1
kind: Pod
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

// scalarBomb passes go-yaml's own alias check, which counts nodes, not
// bytes: one 1 MiB scalar aliased 1000 times is a gigabyte of JSON.
func scalarBomb() string {
	return "apiVersion: v1\nkind: Pod\ns: &s " + strings.Repeat("x", 1<<20) + "\nl: [" + strings.Repeat("*s,", 1000) + "]\n"
}

func nested(open, close string, n int) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// blockNested is n levels of block mappings.
func blockNested(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i))
		b.WriteString("a:\n")
	}
	return b.String()
}

func TestLimits(t *testing.T) {
	small := Options{MaxFileSize: 1 << 20, MaxDocumentSize: 4096, MaxDepth: 20}
	tests := []struct {
		name string
		opts Options
		in   string
		doc  int   // the error's document index
		is   error // errors.Is target, if any
		want string
	}{
		{"file too large", small, strings.Repeat("#", 1<<20+1), -1, ErrTooLarge, "larger than the 1048576-byte limit (Options.MaxFileSize)"},
		{"document too large", small, "---\n---\nb: " + strings.Repeat("x", 4096) + "\n", 1, ErrTooLarge, "document is larger than the 4096-byte limit"},
		{"deep JSON", small, `{"apiVersion":"v1","kind":"Pod","x":` + nested("[", "]", 21) + "}", 0, ErrTooDeep, "more than 20 levels"},
		{"deep YAML flow", small, "x: " + nested("[", "]", 20), 0, ErrTooDeep, "more than 20 levels"},
		{"deep YAML block", small, blockNested(21), 0, ErrTooDeep, "more than 20 levels"},
		{"deep YAML sequence", small, strings.Repeat("- ", 21) + "x\n", 0, ErrTooDeep, "more than 20 levels"},
		{"very deep JSON", Options{}, nested("[", "]", 100000), 0, ErrTooDeep, "more than 100 levels"},
		{"very deep YAML", Options{}, "x: " + nested("[", "]", 100000), 0, ErrTooDeep, "more than 100 levels"},
		{"brackets in YAML strings and comments do not count", small, "apiVersion: v1\nkind: ConfigMap\n# " + strings.Repeat("[", 50) + "\ndata: {a: \"" + strings.Repeat("[", 50) + "\", b: '" + strings.Repeat("{", 50) + "'}\n", 0, nil, ""},
		{"billion laughs", Options{}, billionLaughs, 0, ErrTooLarge, "YAML aliases may expand the document past 2097152 bytes"},
		{"scalar bomb", Options{}, scalarBomb(), 0, ErrTooLarge, "YAML aliases may expand"},
		{"brackets in strings do not count", small, `{"apiVersion":"v1","kind":"ConfigMap","data":{"x":"` + strings.Repeat("[{", 100) + `\"]"}}`, 0, nil, ""},
		{"depth at the limit", small, `{"apiVersion":"v1","kind":"ConfigMap","x":` + nested("[", "]", 19) + "}", 0, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(tt.opts, "in", []byte(tt.in))
			if tt.want == "" {
				if len(r.Errors) != 0 {
					t.Errorf("errors: %v", r.Errors)
				}
				return
			}
			if len(r.Errors) != 1 {
				t.Fatalf("errors = %v, want one", r.Errors)
			}
			e := r.Errors[0]
			if e.Document != tt.doc || !strings.Contains(e.Error(), tt.want) {
				t.Errorf("error = %q (document %d), want document %d containing %q", e, e.Document, tt.doc, tt.want)
			}
			if tt.is != nil && !errors.Is(e, tt.is) {
				t.Errorf("error %q is not %v", e, tt.is)
			}
		})
	}
}

// The file limit is enforced while reading, not from the file's stat: a
// file of any size, or a device that never ends, costs at most the limit.
func TestFileLimitWhileReading(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	write(t, path, "apiVersion: v1\nkind: Pod\n"+strings.Repeat("# padding\n", 2000))
	r := Paths(Options{MaxFileSize: 1000}, path)
	if len(r.Errors) != 1 || r.Errors[0].Document != -1 || !strings.Contains(r.Errors[0].Error(), "1000-byte limit") || !errors.Is(r.Errors[0], ErrTooLarge) {
		t.Errorf("errors = %v", r.Errors)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		r := Paths(Options{MaxFileSize: 1 << 16}, "/dev/zero")
		if len(r.Errors) != 1 || r.Errors[0].Document != -1 {
			t.Errorf("/dev/zero: errors = %v", r.Errors)
		}
	}
}

// go-yaml v2 refuses the billion laughs itself; the loader refuses it
// before go-yaml sees it. Both stay small.
func TestAliasBombsStaySmall(t *testing.T) {
	if _, err := yaml.YAMLToJSON([]byte(billionLaughs)); err == nil || !strings.Contains(err.Error(), "excessive aliasing") {
		t.Errorf("go-yaml on the billion laughs: %v, want excessive aliasing", err)
	}
	for name, doc := range map[string]string{"billion laughs": billionLaughs, "scalar bomb": scalarBomb()} {
		alloc := allocated(func() { Bytes(Options{}, "bomb", []byte(doc)) })
		// The scalar bomb's own 1 MiB is copied a few times; its expansion
		// would be over a gigabyte.
		if alloc > 16<<20 {
			t.Errorf("%s: loading allocated %d bytes", name, alloc)
		}
	}
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Hand-written manifests with anchors load.
func TestAliases(t *testing.T) {
	in := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: &labels
    app: web
    tier: frontend
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
      - &container
        name: web
        image: web:1
        securityContext: &sc
          runAsNonRoot: true
          allowPrivilegeEscalation: false
      - <<: *container
        name: worker
        securityContext: *sc
`
	r := Bytes(Options{}, "x", []byte(in))
	if len(r.Errors) != 0 || len(r.Subjects) != 1 {
		t.Fatalf("errors %v subjects %d", r.Errors, len(r.Subjects))
	}
	pod := r.Subjects[0].Pod
	if pod.Labels["tier"] != "frontend" || len(pod.Spec.Containers) != 2 || pod.Spec.Containers[1].Image != "web:1" ||
		pod.Spec.Containers[1].SecurityContext == nil || !*pod.Spec.Containers[1].SecurityContext.RunAsNonRoot {
		t.Errorf("aliases not expanded: %+v", pod.Spec)
	}
}

func TestAliasExpansion(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"a: 1\n", 5},
		{"a: '*'\nb: \"*/5 * * *\"\n", 22},
		{"a: &x 12\nb: *x\n", 15 + 9},            // the alias expands to "&x 12\nb: " at most
		{"a: *x\nb: &x 1\n", 14},                 // an alias before its anchor expands to nothing
		{"a: &x 1\nb: *x\nc: *x\n", 20 + 8 + 22}, // the second alias counts the first one's expansion
	}
	for _, tt := range tests {
		got, err := aliasExpansion([]byte(tt.in), 1<<20)
		if err != nil || got != tt.want {
			t.Errorf("aliasExpansion(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestHostileBytes(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string // one substring per error, in order
	}{
		{"NUL bytes", "apiVersion: v1\x00\nkind: Pod\n", []string{"yaml: "}},
		{"invalid UTF-8", "apiVersion: v1\nkind: \xff\xfe\n", []string{"not valid UTF-8"}},
		{"UTF-16", "\xff\xfea\x00:\x00 \x001\x00", []string{"not valid UTF-8"}},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00", []string{"yaml: "}},
		{"a scalar", "hello", []string{"the top level is a string"}},
		{"a number", "42", []string{"the top level is a number"}},
		{"a sequence", "- a\n- b\n", []string{"the top level is an array"}},
		{"unterminated JSON", `{"apiVersion": "v1", "kind": "Pod"`, []string{"yaml: line "}},
		{"tab indentation", "apiVersion: v1\nkind: Pod\nspec:\n\tcontainers: []\n", []string{"yaml: line 4: found character that cannot start any token"}},
		{"kind not a string", "apiVersion: v1\nkind: 5\n", []string{"reading apiVersion and kind"}},
		{"apiVersion only", "apiVersion: v1\n", []string{`apiVersion "v1" without kind`}},
		{"kind only", "kind: Deployment\n", []string{`kind "Deployment" without apiVersion`}},
		{"wrong field type", "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {containers: 5}\n", []string{"Pod/ns/p: "}},
		{"int overflow", "apiVersion: v1\nkind: Pod\nspec: {containers: [{name: c, ports: [{containerPort: 99999999999}]}]}\n", []string{"Pod/<unnamed>: "}},
		{"RC without template", "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec: {replicas: 1}\n", []string{"ReplicationController/rc: spec.template is missing"}},
		{"metadata not a map", "apiVersion: apps/v1\nkind: Deployment\nmetadata: [1]\n", []string{"Deployment: "}},
		{"unknown alias", "a: *nope\n", []string{"unknown anchor"}},
		{"recursive alias", "a: &a [*a]\n", []string{"yaml: "}},
		{"merge of a scalar", "a: &a 1\nb: {<<: *a}\n", []string{"yaml: "}},
		{"binary tag", "apiVersion: v1\nkind: Pod\nmetadata: {name: !!binary aGk=}\n", nil},
		{"complex key", "? [a]\n: b\n", []string{"yaml: "}},
		{"many documents", strings.Repeat("---\n", 10000), nil},
		{"huge number", "apiVersion: v1\nkind: Pod\nspec: {activeDeadlineSeconds: 1e400}\n", []string{"Pod/<unnamed>: "}},
		{"null metadata", `{"apiVersion":"v1","kind":"Pod","metadata":null,"spec":null}`, nil},
		{"only a BOM", "\ufeff", nil},
		{"BOM before JSON", "\ufeff{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "in", []byte(tt.in))
			var got []string
			for _, e := range r.Errors {
				got = append(got, e.Error())
				if e.Source != "in" {
					t.Errorf("error %q: source %q", e, e.Source)
				}
				if strings.Contains(e.Error(), "internal error") {
					t.Errorf("panic: %v", e)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("errors = %q, want %d", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("error %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func BenchmarkBillionLaughs(b *testing.B) {
	data := []byte(billionLaughs)
	b.ReportAllocs()
	for b.Loop() {
		Bytes(Options{}, "bomb", data)
	}
}

func BenchmarkScalarBomb(b *testing.B) {
	data := []byte(scalarBomb())
	b.ReportAllocs()
	for b.Loop() {
		Bytes(Options{}, "bomb", data)
	}
}

func TestYAMLFlowDepth(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"a: [1, {b: [2]}]\n", 3},
		{"a: \"[[[\"\nb: '{{'\n", 0},
		{"a: 'it''s [' # [[[\nb: [x]\n", 1},
		{"a: \"\\\"[\"\n", 0},
		{"a: b[c]\n", 1}, // brackets in plain scalars count: harmless
		{"]]]\n[[\n", 2},
	}
	for _, tt := range tests {
		if got := yamlFlowDepth([]byte(tt.in), 100); got != tt.want {
			t.Errorf("yamlFlowDepth(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func BenchmarkDeepYAML(b *testing.B) {
	data := []byte("x: " + nested("[", "]", 9999))
	b.ReportAllocs()
	for b.Loop() {
		Bytes(Options{}, "deep", data)
	}
}

func BenchmarkDeployment(b *testing.B) {
	data, err := os.ReadFile("testdata/deployment.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Bytes(Options{}, "deployment.yaml", data)
	}
}
