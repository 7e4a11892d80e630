package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/bench/internal/corpus"
	"github.com/bulwarkdev/bulwark/load"
	breport "github.com/bulwarkdev/bulwark/report"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

var (
	corpusOnce sync.Once
	corpusDir  string
	fixtures   []corpus.Fixture
	corpusErr  error
)

// testCorpus generates a small corpus once, in a directory removed when
// the tests end. Its 400-document file holds every distinct PSA fixture.
func testCorpus(t *testing.T) (string, []corpus.Fixture) {
	t.Helper()
	corpusOnce.Do(func() {
		var dir string
		if dir, corpusErr = corpus.FixturesDir(); corpusErr != nil {
			return
		}
		if fixtures, corpusErr = corpus.LoadFixtures(dir); corpusErr != nil {
			return
		}
		if corpusDir, corpusErr = os.MkdirTemp("", "psabaseline-test-"); corpusErr != nil {
			return
		}
		corpusErr = corpus.Generate(corpusDir, fixtures, 3, corpus.Sizes{Files: 40, Docs: 400, BigDocs: 420, Context: 50})
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpusDir, fixtures
}

func TestMain(m *testing.M) {
	code := m.Run()
	if corpusDir != "" {
		os.RemoveAll(corpusDir)
	}
	os.Exit(code)
}

// jsonOut is the part of the JSON contract the comparison reads.
type jsonOut struct {
	Subjects []struct {
		Name, Kind, Source string
		Document           int
	}
	Findings []struct {
		Check, Subject, Source, Path string
		Document                     int
		Suppressed                   bool
	}
	Errors  []struct{ Source, Message string }
	Skipped []struct {
		Source, Kind string
		Document     int
	}
}

// podsOnly keeps bulwark's Pod subjects, and returns where the objects
// that are not workloads it audited as object subjects stand
// ("source#document"): the baseline, which knows only pods, skips those.
func podsOnly(o jsonOut) (jsonOut, []string) {
	var objects []string
	kept := o.Subjects[:0]
	for _, s := range o.Subjects {
		if s.Kind == "pod" {
			kept = append(kept, s)
		} else {
			objects = append(objects, fmt.Sprintf("%s#%d", s.Source, s.Document))
		}
	}
	o.Subjects = kept
	return o, objects
}

// skippedAt lists where the skipped documents stand, "source#document",
// with more, sorted.
func skippedAt(o jsonOut, more ...string) []string {
	at := slices.Clone(more)
	for _, s := range o.Skipped {
		at = append(at, fmt.Sprintf("%s#%d", s.Source, s.Document))
	}
	slices.Sort(at)
	return at
}

func decodeOut(t *testing.T, who string, data []byte) jsonOut {
	t.Helper()
	var o jsonOut
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatalf("%s: %v", who, err)
	}
	return o
}

// runBaseline runs psabaseline in-process.
func runBaseline(t *testing.T, args ...string) (jsonOut, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	if code == 2 {
		return jsonOut{}, code, stderr.String()
	}
	return decodeOut(t, "psabaseline", stdout.Bytes()), code, stderr.String()
}

// runBulwark does what bulwark's examples/audit does for -format json.
func runBulwark(t *testing.T, profile string, paths ...string) (jsonOut, int) {
	t.Helper()
	checks, err := bulwark.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	r := bulwark.AuditPaths(checks, load.Options{}, paths...)
	var buf bytes.Buffer
	if err := breport.JSON(&buf, r, breport.Options{Checks: checks}); err != nil {
		t.Fatal(err)
	}
	code := 0
	for _, f := range r.Findings {
		if !f.Suppressed {
			code = 1
		}
	}
	if len(r.Errors) > 0 {
		code = 2
	}
	return decodeOut(t, "bulwark", buf.Bytes()), code
}

type subjectKey struct {
	source   string
	document int
	name     string
}

// verdicts maps each subject to whether it failed.
func verdicts(o jsonOut) (order []subjectKey, failed map[subjectKey]bool) {
	failed = map[subjectKey]bool{}
	for _, s := range o.Subjects {
		k := subjectKey{s.Source, s.Document, s.Name}
		order = append(order, k)
		failed[k] = false
	}
	for _, f := range o.Findings {
		if !f.Suppressed {
			failed[subjectKey{f.Source, f.Document, f.Subject}] = true
		}
	}
	return order, failed
}

// TestAgreesWithBulwark: on a generated corpus, bulwark's pss profiles and
// the baseline find the same subjects, skip the same documents and fail
// the same subjects, at several levels and versions.
func TestAgreesWithBulwark(t *testing.T) {
	dir, _ := testCorpus(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range entries {
		paths = append(paths, filepath.Join(dir, e.Name()))
	}
	profiles := []string{"pss-restricted", "pss-baseline", "pss-restricted@latest", "pss-restricted@v1.0",
		"pss-baseline@v1.0", "pss-restricted@v1.22", "pss-restricted@v1.25", "pss-baseline@v1.30", "pss-restricted@v1.99"}
	if testing.Short() {
		profiles = []string{"pss-restricted", "pss-baseline@v1.0"} // the conformance module covers every version
	}
	for _, profile := range profiles {
		t.Run(profile, func(t *testing.T) {
			b, bcode, stderr := runBaseline(t, append([]string{"-profile", profile, "-format", "json"}, paths...)...)
			w, wcode := runBulwark(t, profile, paths...)
			w, objects := podsOnly(w)
			if bcode != wcode {
				t.Errorf("exit status: baseline %d (%s), bulwark %d", bcode, stderr, wcode)
			}
			if len(b.Errors)+len(w.Errors) > 0 {
				t.Fatalf("errors: baseline %v, bulwark %v", b.Errors, w.Errors)
			}
			if bs, ws := skippedAt(b), skippedAt(w, objects...); !slices.Equal(bs, ws) || len(bs) == 0 {
				t.Errorf("skipped differ or empty: baseline %v, bulwark's skipped and object subjects %v", bs, ws)
			}
			border, bfail := verdicts(b)
			worder, wfail := verdicts(w)
			if !slices.Equal(border, worder) {
				t.Fatalf("subjects differ: baseline %d, bulwark %d", len(border), len(worder))
			}
			var disagree []string
			nfail := 0
			for _, k := range border {
				if bfail[k] {
					nfail++
				}
				if bfail[k] != wfail[k] {
					disagree = append(disagree, fmt.Sprintf("%s#%d %s: baseline failed=%v, bulwark failed=%v", k.source, k.document, k.name, bfail[k], wfail[k]))
				}
			}
			if len(disagree) > 0 {
				t.Errorf("%d of %d subjects disagree, e.g.:\n%s", len(disagree), len(border), strings.Join(disagree[:min(10, len(disagree))], "\n"))
			}
			if nfail == 0 || nfail == len(border) {
				t.Errorf("%d of %d subjects fail: the corpus does not tell verdicts apart", nfail, len(border))
			}
			t.Logf("%d subjects, %d fail, %d skipped documents", len(border), nfail, len(b.Skipped))
		})
	}
}

// TestCheckOrder: the check IDs given to EvaluatePod's results are right,
// at every level and version, on every distinct PSA fixture: running each
// named check on its own gives the same result.
func TestCheckOrder(t *testing.T) {
	_, fs := testCorpus(t)
	checks := policy.DefaultChecks()
	byID := map[policy.CheckID]policy.Check{}
	for _, c := range checks {
		byID[c.ID] = c
	}
	var pods []*corev1.Pod
	for _, f := range fs {
		data, _ := json.Marshal(f.Pod)
		p := new(corev1.Pod)
		if err := json.Unmarshal(data, p); err != nil {
			t.Fatal(err)
		}
		pods = append(pods, p)
	}
	var versions []api.Version
	for m := 0; m <= 40; m++ {
		versions = append(versions, api.MajorMinorVersion(1, m))
	}
	versions = append(versions, api.LatestVersion())
	forbidden := 0
	for _, level := range []api.Level{api.LevelBaseline, api.LevelRestricted} {
		for _, v := range versions {
			lv := api.LevelVersion{Level: level, Version: v}
			e, err := newPolicyEvaluator(lv)
			if err != nil {
				t.Fatal(err)
			}
			for i, p := range pods {
				results := e.evaluator.EvaluatePod(lv, &p.ObjectMeta, &p.Spec)
				if len(results) != len(e.ids) {
					t.Fatalf("%s: %d results for %d check IDs %v", lv, len(results), len(e.ids), e.ids)
				}
				for j, id := range e.ids {
					c := byID[id]
					if level == api.LevelBaseline && c.Level != api.LevelBaseline {
						t.Fatalf("%s: restricted check %s at baseline", lv, id)
					}
					vc := inEffectAt(c, v)
					if vc == nil {
						t.Fatalf("%s: check %s is not in effect", lv, id)
					}
					got := vc.CheckPod(&p.ObjectMeta, &p.Spec)
					if got != results[j] {
						t.Fatalf("%s, fixture %s: result %d is %+v, check %s alone says %+v", lv, fs[i].Rel, j, results[j], id, got)
					}
					if !got.Allowed {
						forbidden++
					}
				}
			}
		}
	}
	if forbidden == 0 {
		t.Errorf("no fixture was forbidden: nothing was compared")
	}
}

// inEffectAt is the version of c PSA runs at v: its newest MinimumVersion
// at or below v (latest and newer versions run each check's newest).
func inEffectAt(c policy.Check, v api.Version) *policy.VersionedCheck {
	var cur *policy.VersionedCheck
	for i := range c.Versions {
		if v.Latest() || !v.Older(c.Versions[i].MinimumVersion) {
			cur = &c.Versions[i]
		}
	}
	return cur
}

func TestReader(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	privileged := `{"containers":[{"name":"c","image":"x","securityContext":{"privileged":true}}]}`
	write("m/list.yaml", `# leading comment
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: s}
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: web, namespace: prod}
  spec:
    template:
      spec: `+privileged+`
---
---
apiVersion: apps/v1
kind: DeploymentList
items:
- metadata: {generateName: gen-}
  spec: {template: {spec: {containers: [{name: c, image: x}]}}}
--- # comment after the marker
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec: {jobTemplate: {spec: {template: {spec: `+privileged+`}}}}
`)
	write("m/pod.json", `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":`+privileged+`}`)
	write("m/ignored.txt", `not read`)
	o, code, stderr := runBaseline(t, "-profile", "pss-baseline", filepath.Join(dir, "m"))
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	var got []string
	for _, s := range o.Subjects {
		got = append(got, fmt.Sprintf("%s#%d %s", filepath.Base(s.Source), s.Document, s.Name))
	}
	want := []string{"list.yaml#0 Deployment/prod/web", "list.yaml#2 Deployment/gen-*", "list.yaml#3 CronJob/nightly", "pod.json#0 Pod/p"} // the comment-only preamble is no document
	if !slices.Equal(got, want) {
		t.Errorf("subjects:\n got %q\nwant %q", got, want)
	}
	got = nil
	for _, f := range o.Findings {
		got = append(got, fmt.Sprintf("%s %s %s", f.Subject, f.Check, f.Path))
	}
	want = []string{
		"Deployment/prod/web privileged items[1].spec.template.spec",
		"CronJob/nightly privileged spec.jobTemplate.spec.template.spec",
		"Pod/p privileged spec",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n got %q\nwant %q", got, want)
	}
	if len(o.Skipped) != 1 || o.Skipped[0].Kind != "v1 Service" || o.Skipped[0].Document != 0 {
		t.Errorf("skipped: %+v", o.Skipped)
	}
	w, _ := runBulwark(t, "pss-baseline", filepath.Join(dir, "m"))
	if w, _ := podsOnly(w); fmt.Sprint(w.Subjects) != fmt.Sprint(o.Subjects) {
		t.Errorf("bulwark's subjects differ:\n%+v\n%+v", w.Subjects, o.Subjects)
	}

	// A bad document is an error for itself only, and exit 2.
	bad := write("bad.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c, image: x}]}\n---\nkey: [unclosed\n---\nkind: ReplicationController\napiVersion: v1\nmetadata: {name: rc}\n")
	var stdout, errb bytes.Buffer
	if code := run([]string{bad, filepath.Join(dir, "missing.yaml")}, strings.NewReader(""), &stdout, &errb); code != 2 {
		t.Errorf("exit %d with bad input, want 2", code)
	}
	o = decodeOut(t, "psabaseline", stdout.Bytes())
	if len(o.Subjects) != 1 || len(o.Errors) != 3 {
		t.Errorf("want 1 subject and 3 errors, got %+v %+v", o.Subjects, o.Errors)
	}

	// Standard input, and an allowed pod: exit 0.
	stdout.Reset()
	in := "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c, image: x}]}\n"
	if code := run([]string{"-profile", "pss-baseline@v1.0", "-"}, strings.NewReader(in), &stdout, &errb); code != 0 {
		t.Errorf("exit %d for an allowed pod on stdin, want 0", code)
	}
	if o := decodeOut(t, "psabaseline", stdout.Bytes()); len(o.Subjects) != 1 || o.Subjects[0].Source != "-" || o.Findings == nil {
		t.Errorf("stdin: %+v", o)
	}
}

func TestSplitDocuments(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"a: 1\n", []string{"a: 1\n"}},
		{"\n---\na: 1\n", []string{"a: 1\n"}},
		{"a: 1\n---\n---\nb: 2\n---\n", []string{"a: 1\n", "", "b: 2\n"}},
		{"a: 1\n--- |\n  text\n", []string{"a: 1\n", "--- |\n  text\n"}},
		{"a: ---x\n----\n", []string{"a: ---x\n----\n"}},
		{"# c\n---\n", nil}, // a comment-only preamble is no document
	} {
		var got []string
		for _, d := range splitDocuments([]byte(c.in)) {
			got = append(got, string(d))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("splitDocuments(%q) = %q, want %q", c.in, got, c.want)
		}
		var want []string
		for _, d := range load.Documents([]byte(c.in)) {
			want = append(want, string(d))
		}
		if !slices.Equal(got, want) {
			t.Errorf("splitDocuments(%q) = %q, bulwark's load.Documents %q", c.in, got, want)
		}
	}
}

func TestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-profile", "all", "x"}, {"-profile", "pss-restricted@1.25", "x"}, {"-profile", "pss-restricted@v2.0", "x"},
		{"-format", "sarif", "x"}, {}, {"-nope"},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(args, strings.NewReader(""), &stdout, &stderr); code != 2 || stderr.Len() == 0 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and a message", args, code, stderr.String())
		}
	}
	for _, p := range []string{"pss-baseline", "pss-restricted@v1.25", "pss-restricted@latest"} {
		if _, err := parseProfile(p); err != nil {
			t.Errorf("parseProfile(%q): %v", p, err)
		}
	}
}
