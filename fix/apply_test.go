package fix

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

func set(path string, v any) hardening.Edit { return hardening.Edit{Path: path, Value: v} }
func del(path string) hardening.Edit        { return hardening.Edit{Path: path, Delete: true} }

// TestApplyYAML applies edits to YAML documents and compares the whole
// text: only the lines of the edited fields may change.
func TestApplyYAML(t *testing.T) {
	for _, tt := range []struct {
		name    string
		src     string
		doc     int
		edits   []hardening.Edit
		want    string
		wantErr []string // per edit, a substring of its error; "" for none
	}{
		{
			name: "scalar replaced in place keeps the comment",
			src: `spec:
  containers:
  - name: web  # the app
    securityContext:
      runAsUser: 0   # root!
`,
			edits: []hardening.Edit{set("spec.containers[0].securityContext.runAsUser", 65532)},
			want: `spec:
  containers:
  - name: web  # the app
    securityContext:
      runAsUser: 65532   # root!
`,
		},
		{
			name: "new keys appended to an existing mapping, missing mappings created together",
			src: `spec:
  containers:
  - name: web

    image: x   # keep
  - name: db
    image: y
`,
			edits: []hardening.Edit{
				set("spec.containers[0].securityContext.allowPrivilegeEscalation", false),
				set("spec.containers[0].securityContext.capabilities.drop", []string{"ALL"}),
				set("spec.containers[1].securityContext.allowPrivilegeEscalation", false),
			},
			want: `spec:
  containers:
  - name: web

    image: x   # keep
    securityContext:
      allowPrivilegeEscalation: false
      capabilities:
        drop: [ALL]
  - name: db
    image: y
    securityContext:
      allowPrivilegeEscalation: false
`,
		},
		{
			name: "quoted string keeps its quotes; a flow list is written again",
			src: `metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/web: "unconfined"
spec:
  containers:
  - name: web
    securityContext:
      capabilities: {add: ["SYS_ADMIN", "NET_BIND_SERVICE"], drop: ['NET_RAW']}
`,
			edits: []hardening.Edit{
				set("metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]", "runtime/default"),
				del("spec.containers[0].securityContext.capabilities.add[0]"),
				set("spec.containers[0].securityContext.capabilities.drop", []string{"ALL"}),
			},
			want: `metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/web: "runtime/default"
spec:
  containers:
  - name: web
    securityContext:
      capabilities: {add: ["NET_BIND_SERVICE"], drop: ['ALL']}
`,
		},
		{
			name: "block list: items removed and appended, indented lists",
			src: `capabilities:
    add:
      - SYS_ADMIN
      - CHOWN
    drop:
      - NET_RAW
other: 1
`,
			edits: []hardening.Edit{
				del("capabilities.add[0]"),
				set("capabilities.drop", []string{"ALL"}),
			},
			want: `capabilities:
    add:
      - CHOWN
    drop:
      - ALL
other: 1
`,
		},
		{
			name: "null and empty flow values become blocks",
			src: `a:
  securityContext:
  b: {}
  c: ~ # nothing
`,
			edits: []hardening.Edit{
				set("a.securityContext.runAsNonRoot", true),
				set("a.b.x", "y"),
				set("a.c.d.e", 1),
			},
			want: `a:
  securityContext:
    runAsNonRoot: true
  b:
    x: "y"
  c: # nothing
    d:
      e: 1
`,
		},
		{
			name: "only the second document changes",
			src: `# Source: chart/templates/a.yaml
kind: A
x: 1
---
# Source: chart/templates/b.yaml
kind: B
x: 1
---
kind: C
x: 1
`,
			doc:   1,
			edits: []hardening.Edit{set("x", 2), set("z", "true")},
			want: `# Source: chart/templates/a.yaml
kind: A
x: 1
---
# Source: chart/templates/b.yaml
kind: B
x: 2
z: "true"
---
kind: C
x: 1
`,
		},
		{
			name: "an entry removed with its block",
			src: `sc:
  seLinuxOptions:
    type: spc_t
    level: s0
  procMount: Unmasked
  runAsUser: 1000
`,
			edits: []hardening.Edit{del("sc.seLinuxOptions.type"), del("sc.procMount")},
			want: `sc:
  seLinuxOptions:
    level: s0
  runAsUser: 1000
`,
		},
		{
			name: "the same edit at every alias is made once at the anchor",
			src: `spec:
  initContainers:
  - name: init
    securityContext: &sc
      runAsNonRoot: true
  containers:
  - name: web
    securityContext: *sc
`,
			edits: []hardening.Edit{
				set("spec.initContainers[0].securityContext.allowPrivilegeEscalation", false),
				set("spec.containers[0].securityContext.allowPrivilegeEscalation", false),
			},
			want: `spec:
  initContainers:
  - name: init
    securityContext: &sc
      runAsNonRoot: true
      allowPrivilegeEscalation: false
  containers:
  - name: web
    securityContext: *sc
`,
		},
		{
			name: "an edit through one alias de-aliases it",
			src: `x-defaults: &sc
  runAsNonRoot: true
spec:
  containers:
  - name: web
    securityContext: *sc
  - name: db
    securityContext: *sc
`,
			edits: []hardening.Edit{set("spec.containers[1].securityContext.runAsUser", 65532)},
			want: `x-defaults: &sc
  runAsNonRoot: true
spec:
  containers:
  - name: web
    securityContext: *sc
  - name: db
    securityContext:
      runAsNonRoot: true
      runAsUser: 65532
`,
		},
		{
			name: "an edit of an anchor its aliases do not share is refused",
			src: `spec:
  containers:
  - name: web
    securityContext: &sc
      runAsNonRoot: true
  - name: db
    securityContext: *sc
`,
			edits:   []hardening.Edit{set("spec.containers[0].securityContext.runAsUser", 65532)},
			wantErr: []string{"lies in anchor &sc"},
			want: `spec:
  containers:
  - name: web
    securityContext: &sc
      runAsNonRoot: true
  - name: db
    securityContext: *sc
`,
		},
		{
			name: "a key set over a merge key",
			src: `base: &b
  runAsUser: 0
sc:
  <<: *b
  runAsGroup: 1
`,
			edits: []hardening.Edit{set("sc.runAsUser", 65532)},
			want: `base: &b
  runAsUser: 0
sc:
  <<: *b
  runAsGroup: 1
  runAsUser: 65532
`,
		},
		{
			name: "a first key of a list item cannot be removed alone",
			src: `c:
- procMount: Unmasked
  name: x
`,
			edits:   []hardening.Edit{del("c[0].procMount")},
			wantErr: []string{"shares its line"},
			want: `c:
- procMount: Unmasked
  name: x
`,
		},
		{
			name: "setting what is already there changes nothing",
			src: `a:
  b: "false"
  c: False
  d: [ALL]
`,
			edits: []hardening.Edit{set("a.c", false), set("a.d", []string{"ALL"})},
			want: `a:
  b: "false"
  c: False
  d: [ALL]
`,
		},
		{
			name: "CRLF line ends and a missing final newline",
			src:  "a:\r\n  b: 1\r\n  c: 2",
			edits: []hardening.Edit{
				set("a.d", true),
			},
			want: "a:\r\n  b: 1\r\n  c: 2\r\n  d: true\r\n",
		},
		{
			name: "list appended by index, block scalar skipped over",
			src: `linux:
  maskedPaths:
  - /proc/kcore
  script: |
    echo a

    echo b
  z: 1
`,
			edits: []hardening.Edit{set("linux.maskedPaths[1]", "/proc/keys"), set("linux.script2", "x")},
			want: `linux:
  maskedPaths:
  - /proc/kcore
  - /proc/keys
  script: |
    echo a

    echo b
  z: 1
  script2: x
`,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, applied, err := Apply([]byte(tt.src), tt.doc, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("edited document (-want +got):\n%s", diff)
			}
			for i, a := range applied {
				want := ""
				if i < len(tt.wantErr) {
					want = tt.wantErr[i]
				}
				switch {
				case want == "" && a.Err != nil:
					t.Errorf("edit %d (%s): unexpected error %v", i, a.Edit.Path, a.Err)
				case want != "" && (a.Err == nil || !strings.Contains(a.Err.Error(), want)):
					t.Errorf("edit %d (%s): error %v, want one with %q", i, a.Edit.Path, a.Err, want)
				}
			}
			// Applying the same sets again changes nothing.
			var sets []hardening.Edit
			for _, e := range tt.edits {
				if !e.Delete {
					sets = append(sets, e)
				}
			}
			again, _, err := Apply(got, tt.doc, sets)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(got), string(again)); diff != "" && tt.wantErr == nil {
				t.Errorf("second application changed the document (-first +second):\n%s", diff)
			}
		})
	}
}

// TestJSONRoundTrip parses and writes again every JSON file of the
// repository's test data: the output must be the input, byte for byte,
// so that a fix changes only the lines it edits.
func TestJSONRoundTrip(t *testing.T) {
	var files []string
	for _, pattern := range []string{"../testdata/runtimes/*.json", "../*/testdata/*.json", "../examples/*/testdata/*.json", "../examples/audit/sample/*/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d JSON files found", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(data) {
			continue
		}
		d, err := newJSONDoc(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if got := d.bytes(); !bytes.Equal(got, data) {
			t.Errorf("%s: written again differently:\n%s", f, Diff(f, data, got))
		}
	}
}

func TestApplyJSON(t *testing.T) {
	for _, tt := range []struct {
		name  string
		src   string
		edits []hardening.Edit
		want  string
	}{
		{
			name: "tab indent, key order and escapes kept",
			src:  "{\n\t\"ociVersion\": \"1.0.2\",\n\t\"process\": {\n\t\t\"noNewPrivileges\": false,\n\t\t\"env\": [\"A=\\u003cb\\u003e\"]\n\t},\n\t\"root\": {\n\t\t\"path\": \"rootfs\"\n\t}\n}\n",
			edits: []hardening.Edit{
				set("process.noNewPrivileges", true),
				set("root.readonly", true),
				set("linux.resources.pids.limit", 4096),
			},
			want: "{\n\t\"ociVersion\": \"1.0.2\",\n\t\"process\": {\n\t\t\"noNewPrivileges\": true,\n\t\t\"env\": [\"A=\\u003cb\\u003e\"]\n\t},\n\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n\t\"linux\": {\n\t\t\"resources\": {\n\t\t\t\"pids\": {\n\t\t\t\t\"limit\": 4096\n\t\t\t}\n\t\t}\n\t}\n}\n",
		},
		{
			name: "list items deleted by index and appended, two-space indent",
			src: `{
  "caps": [
    "CAP_SYS_ADMIN",
    "CAP_CHOWN",
    "CAP_NET_RAW"
  ],
  "masked": []
}`,
			edits: []hardening.Edit{
				del("caps[0]"), del("caps[2]"),
				set("masked", []string{"/proc/kcore"}),
			},
			want: `{
  "caps": [
    "CAP_CHOWN"
  ],
  "masked": [
    "/proc/kcore"
  ]
}`,
		},
		{
			name:  "compact",
			src:   `{"a":{"b":1},"c":[1,2]}`,
			edits: []hardening.Edit{set("a.d", "x"), set("c[2]", 3)},
			want:  `{"a":{"b":1,"d":"x"},"c":[1,2,3]}`,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, applied, err := Apply([]byte(tt.src), 0, tt.edits)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range applied {
				if a.Err != nil {
					t.Errorf("%s: %v", a.Edit.Path, a.Err)
				}
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
