package fix

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	yaml "go.yaml.in/yaml/v3"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

func profile(t *testing.T, ref string) hardening.Checks {
	t.Helper()
	cs, err := bulwark.Profile(ref)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// manifests are the files the fixer is proven on: a rendered chart with
// comments, anchors and Helm quoting, load's fixture of every workload
// kind, a List and several documents, a real helm template output, and
// hardened charts of real projects.
func manifests(t *testing.T) []string {
	t.Helper()
	files := []string{"testdata/chart.yaml", "../examples/audit/sample/careless-pod.yaml", "../load/testdata/helm/shop.yaml"}
	for _, pattern := range []string{"../load/testdata/*.yaml", "../load/testdata/*.json", "../testdata/hardened/*.yaml", "../testdata/runtimes/*.json"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	return files
}

// TestMinimalAndIdempotent fixes every manifest toward several profiles
// and checks what the fix promises: only lines on the paths of the edits
// made change, every comment and every anchor and alias survives, the
// result loads as before, no finding is introduced, and a second run
// changes nothing.
func TestMinimalAndIdempotent(t *testing.T) {
	profiles := []string{"default", "pss-restricted@v1.30", "all", "cis-docker"}
	changed := 0
	for _, file := range manifests(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range profiles {
			t.Run(filepath.Base(file)+"@"+p, func(t *testing.T) {
				opts := Options{Checks: profile(t, p)}
				res, err := Source(file, data, opts)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Introduced) > 0 {
					t.Errorf("introduced: %v", res.Introduced)
				}
				for _, o := range append(slices.Clone(res.Fixed), res.Unfixed...) {
					for _, a := range o.Edits {
						if a.Err != nil {
							t.Errorf("%s: edit not applied: %v", a.Edit.Path, a.Err)
						}
					}
				}
				if !res.Changed() {
					return
				}
				changed++
				checkMinimal(t, res)
				checkComments(t, res.Before, res.After)
				before, after := load.Bytes(load.Options{}, file, res.Before), load.Bytes(load.Options{}, file, res.After)
				if len(after.Errors) != len(before.Errors) || len(after.Subjects) != len(before.Subjects) {
					t.Errorf("the fixed source loads as %d subjects and %v, the original as %d and %v",
						len(after.Subjects), after.Errors, len(before.Subjects), before.Errors)
				}
				again, err := Source(file, res.After, opts)
				if err != nil {
					t.Fatal(err)
				}
				if again.Changed() {
					t.Errorf("a second run changed the fixed source:\n%s", again.Diff())
				}
				if diff := cmp.Diff(outcomeKeys(res.Unfixed), outcomeKeys(again.Unfixed)); diff != "" {
					t.Errorf("a second run leaves other findings (-first +second):\n%s", diff)
				}
			})
		}
	}
	if changed < 20 {
		t.Errorf("only %d fixes changed anything", changed)
	}
}

// outcomeKeys names the findings of outcomes by subject and path (a
// merged finding's primary check may change once another is fixed).
func outcomeKeys(os []Outcome) []string {
	var out []string
	for _, o := range os {
		out = append(out, o.Finding.Subject+" "+o.Finding.Path)
	}
	return out
}

// checkMinimal checks that every line the fix changed lies on the path of
// an edit it applied: the edited field, a mapping created on its way, or
// a flow collection that holds it. A trailing comma JSON needs after the
// new last member is no change.
func checkMinimal(t *testing.T, res *Result) {
	t.Helper()
	var edits []string
	for _, o := range append(slices.Clone(res.Fixed), res.Unfixed...) {
		for _, a := range o.Edits {
			if a.Err == nil {
				edits = append(edits, a.Edit.Path)
			}
		}
	}
	related := func(p string) bool {
		for _, e := range edits {
			if under(e, p) || under(p, e) {
				return true
			}
		}
		return false
	}
	norm := func(b []byte) []string {
		lines := splitLines(b)
		for i, l := range lines {
			lines[i] = strings.TrimRight(strings.TrimRight(l, "\r\n"), ", ")
		}
		return lines
	}
	x, y := norm(res.Before), norm(res.After)
	pathsBefore, pathsAfter := linePaths(t, res.Before), linePaths(t, res.After)
	for _, op := range diffLines(x, y) {
		var line string
		var paths []string
		switch op.kind {
		case '-':
			line, paths = x[op.ai], pathsBefore[op.ai]
		case '+':
			line, paths = y[op.bi], pathsAfter[op.bi]
		default:
			continue
		}
		if t := strings.TrimSpace(line); t == "}" || t == "]" || t == "{" || t == "[" {
			continue // JSON punctuation around a new or removed member
		}
		if !slices.ContainsFunc(paths, related) {
			t.Errorf("changed line %q (paths %v) is on no edited path %v\n%s", line, paths, edits, res.Diff())
			return
		}
	}
}

// under reports whether p is root or lies below it.
func under(p, root string) bool {
	return p == root || strings.HasPrefix(p, root) && len(p) > len(root) && (p[len(root)] == '.' || p[len(root)] == '[')
}

// linePaths returns, for each line of a source, the field paths of the
// nodes that start on it.
func linePaths(t *testing.T, src []byte) [][]string {
	t.Helper()
	out := make([][]string, len(splitLines(src)))
	for _, doc := range load.Documents(src) {
		start := cap(src) - cap(doc)
		offset := bytes.Count(src[:start], []byte("\n"))
		var n yaml.Node
		if err := yaml.Unmarshal(doc, &n); err != nil || len(n.Content) == 0 {
			continue
		}
		var walk func(n *yaml.Node, path string)
		add := func(line int, path string) {
			if i := offset + line - 1; i >= 0 && i < len(out) {
				out[i] = append(out[i], path)
			}
		}
		walk = func(n *yaml.Node, path string) {
			add(n.Line, path)
			switch n.Kind {
			case yaml.MappingNode:
				for i := 0; i+1 < len(n.Content); i += 2 {
					p := joinKey(path, n.Content[i].Value)
					add(n.Content[i].Line, p)
					walk(n.Content[i+1], p)
				}
			case yaml.SequenceNode:
				for i, c := range n.Content {
					walk(c, path+"["+strconv.Itoa(i)+"]")
				}
			}
		}
		walk(n.Content[0], "")
	}
	return out
}

// checkComments checks that every comment of before is in after, as many
// times.
func checkComments(t *testing.T, before, after []byte) {
	t.Helper()
	count := func(src []byte) map[string]int {
		m := map[string]int{}
		for _, doc := range load.Documents(src) {
			var n yaml.Node
			if yaml.Unmarshal(doc, &n) != nil {
				continue
			}
			var walk func(n *yaml.Node)
			walk = func(n *yaml.Node) {
				for _, c := range []string{n.HeadComment, n.LineComment, n.FootComment} {
					if c != "" {
						m[c]++
					}
				}
				if n.Anchor != "" {
					m["&"+n.Anchor]++
				}
				if n.Kind == yaml.AliasNode {
					m["*"+n.Value]++
				}
				for _, c := range n.Content {
					walk(c)
				}
			}
			walk(&n)
		}
		return m
	}
	b, a := count(before), count(after)
	for c, n := range b {
		if a[c] < n {
			t.Errorf("comment or anchor %q: %d before the fix, %d after", c, n, a[c])
		}
	}
}

// TestGolden pins the fixed text of the chart and of a runtime's default
// spec under the profiles that matter for them; -update rewrites the
// golden files after a reviewed change.
func TestGolden(t *testing.T) {
	for _, tt := range []struct {
		file, profile, golden string
		decisions             map[string]string
	}{
		{"testdata/chart.yaml", "pss-restricted@v1.30", "testdata/chart.pss-restricted.golden", nil},
		{"testdata/chart.yaml", "default", "testdata/chart.default.golden", map[string]string{"namespaces.pss-host-namespaces": "remove"}},
		{"../testdata/runtimes/docker-base.json", "cis-docker", "testdata/docker-base.cis-docker.golden", nil},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Source(filepath.Base(tt.file), data, Options{Checks: profile(t, tt.profile), Decisions: tt.decisions})
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.Write(res.Diff())
			for _, o := range res.Unfixed {
				b.WriteString("left: " + o.Finding.Subject + " " + o.Finding.Path + " [" + o.Finding.Check + "]: " + o.Reason + "\n")
			}
			if *update {
				if err := os.WriteFile(tt.golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(tt.golden)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(string(want), b.String()); diff != "" {
				t.Errorf("(-golden +now):\n%s", diff)
			}
		})
	}
}

// TestTargets fixes toward a profile, or toward chosen checks only.
func TestTargets(t *testing.T) {
	data, err := os.ReadFile("testdata/chart.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name      string
		opts      Options
		passes    bool
		leftCheck []string // checks of the findings left
	}{
		{"restricted at 1.30 leaves hostPID", Options{Checks: profile(t, "pss-restricted@v1.30")}, false,
			[]string{"namespaces.pss-host-namespaces"}},
		{"restricted with the hostPID decision passes", Options{Checks: profile(t, "pss-restricted@v1.30"),
			Decisions: map[string]string{"namespaces.pss-host-namespaces": "remove"}}, true, nil},
		{"baseline at 1.30 with the decision passes", Options{Checks: profile(t, "pss-baseline@v1.30"),
			Decisions: map[string]string{"namespaces.pss-host-namespaces": "remove"}}, true, nil},
		{"only allowPrivilegeEscalation", Options{Checks: profile(t, "pss-restricted@v1.30"),
			Only: []string{"capabilities.pss-privilege-escalation"}}, true, nil},
		{"default at medium leaves the unpinned images", Options{Checks: profile(t, "default"), Min: hardening.SeverityMedium,
			Decisions: map[string]string{"namespaces.pss-host-namespaces": "remove"}}, true, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Source("chart.yaml", data, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, o := range res.Unfixed {
				if !slices.Contains(left, o.Finding.Check) {
					left = append(left, o.Finding.Check)
				}
			}
			if diff := cmp.Diff(tt.leftCheck, left); diff != "" {
				t.Errorf("checks left (-want +got):\n%s", diff)
			}
			if res.Passes() != tt.passes {
				t.Errorf("passes: %v, want %v", res.Passes(), tt.passes)
			}
			// What the target does not select is left as it was.
			if len(tt.opts.Only) > 0 {
				for _, o := range res.Fixed {
					if o.Finding.Check != "capabilities.pss-privilege-escalation" {
						t.Errorf("fixed %s, which was not chosen", o.Finding.Check)
					}
				}
				if strings.Contains(string(res.After), "RuntimeDefault") {
					t.Errorf("a check not chosen was fixed:\n%s", res.Diff())
				}
			}
			// The result passes the target when the fixer says so.
			r := load.Bytes(load.Options{}, "chart.yaml", res.After)
			runner, err := hardening.NewRunner(tt.opts.Checks, hardening.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			counted := 0
			for _, s := range r.Subjects {
				for _, f := range runner.Check(s, nil) {
					if f.Counts(tt.opts.Min) && (len(tt.opts.Only) == 0 || f.Check == tt.opts.Only[0]) {
						counted++
					}
				}
			}
			if (counted == 0) != tt.passes {
				t.Errorf("%d findings count after the fix; passes %v", counted, tt.passes)
			}
		})
	}
}

// TestRunAsNonRootUser: runAsNonRoot comes with a numeric uid unless the
// image's USER is a known non-zero number.
func TestRunAsNonRootUser(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: known
    image: registry.example/known:1
  - name: named
    image: registry.example/named:1
  - name: unknown
    image: registry.example/unknown:1
`
	images := map[string]*imagespecImage{
		"registry.example/known:1": imageWithUser("10001"),
		"registry.example/named:1": imageWithUser("app"),
	}
	res, err := Source("pod.yaml", []byte(pod), Options{Checks: profile(t, "pss-restricted@v1.30"), Images: images,
		Only: []string{"capabilities.pss-run-as-non-root"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: known
    image: registry.example/known:1
    securityContext:
      runAsNonRoot: true
  - name: named
    image: registry.example/named:1
    securityContext:
      runAsNonRoot: true
      runAsUser: 65532
  - name: unknown
    image: registry.example/unknown:1
    securityContext:
      runAsNonRoot: true
      runAsUser: 65532
`
	if diff := cmp.Diff(want, string(res.After)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestNeverRejected: the fixes never write what the API server rejects.
func TestNeverRejected(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - name: priv
    image: x
    securityContext:
      privileged: true
  - name: sysadmin
    image: x
    securityContext:
      capabilities:
        add: [CAP_SYS_ADMIN]
`
	res, err := Source("pod.yaml", []byte(pod), Options{Checks: profile(t, "pss-restricted@v1.30")})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(res.After), "allowPrivilegeEscalation") {
		t.Errorf("allowPrivilegeEscalation: false written beside privileged or CAP_SYS_ADMIN:\n%s", res.Diff())
	}
	var reasons []string
	for _, o := range res.Unfixed {
		if o.Finding.Check == "capabilities.pss-privilege-escalation" {
			reasons = append(reasons, o.Reason)
		}
	}
	if len(reasons) != 2 || !strings.Contains(reasons[0], "privileged") || !strings.Contains(reasons[1], "CAP_SYS_ADMIN") {
		t.Errorf("reasons for leaving allowPrivilegeEscalation: %q", reasons)
	}
	// Once privileged goes (a decision), the next round sets it.
	res, err = Source("pod.yaml", []byte(pod), Options{Checks: profile(t, "pss-restricted@v1.30"),
		Decisions: map[string]string{"capabilities.privileged": "remove", "capabilities.pss-restricted": "remove"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passes() {
		t.Errorf("with the decisions the pod still fails: %v\n%s", outcomeKeys(res.Unfixed), res.Diff())
	}
}

type imagespecImage = imagespec.Image

func imageWithUser(user string) *imagespec.Image {
	img := &imagespec.Image{}
	img.Config.User = user
	return img
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
