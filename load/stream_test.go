package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// exportAll lets cmp compare the Kubernetes types, whose quantities have
// unexported fields.
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

// withoutCluster returns r's subjects with their Cluster cleared.
func withoutCluster(r *hardening.Result) *hardening.Result {
	out := *r
	out.Subjects = nil
	for _, s := range r.Subjects {
		c := *s
		c.Cluster = nil
		out.Subjects = append(out.Subjects, &c)
	}
	return &out
}

// TestStreamAgreesWithBytes loads every manifest fixture through the
// stream and through Bytes, which decodes a whole source in memory: the
// results are the same, with one worker or many.
func TestStreamAgreesWithBytes(t *testing.T) {
	var files []string
	err := filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "fuzz" || d.Name() == "image") {
			return filepath.SkipDir
		}
		if !d.IsDir() && hasManifestExt(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 10 {
		t.Fatalf("found %d fixtures", len(files))
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		want := Bytes(Options{}, file, data)
		for _, workers := range []int{1, 4} {
			got := withoutCluster(Paths(Options{Workers: workers}, file))
			if diff := cmp.Diff(want, got, exportAll); diff != "" {
				t.Errorf("%s, %d workers (-Bytes +stream):\n%s", file, workers, diff)
			}
		}
	}
}

// manyDocuments is a stream of n documents: Pods, an Endpoints (skipped)
// and a broken document in turn, with documents too large for maxDoc.
func manyDocuments(n, maxDoc int) []byte {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("---\n")
		}
		switch i % 7 {
		case 3:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: s%d\n", i)
		case 5:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken%d\n spec: {}\n", i)
		case 6:
			if i%2 == 0 {
				fmt.Fprintf(&b, "# a large document\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big%d\n  annotations:\n    a: %q\n", i, strings.Repeat("x", maxDoc))
				continue
			}
			fallthrough
		default:
			fmt.Fprintf(&b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p%d\n  namespace: ns%d\nspec:\n  hostPID: %t\n  containers:\n  - name: app\n    image: example/app:%d\n", i, i%3, i%2 == 0, i)
		}
	}
	return []byte(b.String())
}

func TestStreamOrderWithManyWorkers(t *testing.T) {
	opts := Options{MaxDocumentSize: 4 << 10}
	data := manyDocuments(600, opts.MaxDocumentSize)
	file := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := Bytes(opts, file, data)
	if len(want.Subjects) < 300 || len(want.Errors) < 80 || len(want.Skipped) < 80 {
		t.Fatalf("the fixture must mix subjects, errors and skipped documents: %d, %d, %d", len(want.Subjects), len(want.Errors), len(want.Skipped))
	}
	for _, workers := range []int{1, 2, 8} {
		opts.Workers = workers
		got := withoutCluster(Paths(opts, file))
		if diff := cmp.Diff(want, got, exportAll); diff != "" {
			t.Errorf("%d workers (-Bytes +stream):\n%s", workers, diff)
		}
	}
}

// TestStreamEntries checks the order of entries: each document's subjects,
// then its errors and skipped parts, documents in input order.
func TestStreamEntries(t *testing.T) {
	in, err := Open(Options{Workers: 3}, "testdata/multidoc.yaml", "testdata/missing.yaml", "testdata/pod.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var got []string
	sum, err := in.Stream(context.Background(), nil, nil, func(e *hardening.Entry) error {
		switch {
		case e.Subject != nil:
			got = append(got, fmt.Sprintf("subject %s#%d %s", e.Subject.Source, e.Subject.Document, e.Subject.Name))
		case e.Error != nil:
			got = append(got, fmt.Sprintf("error %s#%d", e.Error.Source, e.Error.Document))
		case e.Skipped != nil:
			got = append(got, fmt.Sprintf("skipped %s#%d %s", e.Skipped.Source, e.Skipped.Document, e.Skipped.Kind))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"subject testdata/multidoc.yaml#0 Deployment/prod/api",
		"error testdata/multidoc.yaml#2",
		"subject testdata/multidoc.yaml#3 Service/api",
		"subject testdata/multidoc.yaml#4 Pod/prod/api-debug",
		"error testdata/missing.yaml#-1",
		"subject testdata/pod.yaml#0 Pod/prod/debug",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	wantSum := hardening.Summary{Documents: 6, Subjects: 4, Errors: 2}
	if diff := cmp.Diff(wantSum, sum); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}

func TestStreamStops(t *testing.T) {
	opts := Options{Workers: 2}
	data := manyDocuments(300, DefaultMaxDocumentSize)
	file := filepath.Join(t.TempDir(), "many.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	tests := []struct {
		name    string
		cancel  bool // cancel the context at the third entry, rather than fail
		wantErr error
	}{
		{"emit fails", false, stop},
		{"context canceled", true, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Open(opts, file)
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			n := 0
			_, err = in.Stream(ctx, nil, nil, func(e *hardening.Entry) error {
				n++
				if n == 3 {
					if tt.cancel {
						cancel()
						return nil
					}
					return stop
				}
				if n > 3 && !tt.cancel {
					t.Error("emit was called after it failed")
				}
				return nil
			})
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v, want %v", err, tt.wantErr)
			}
			if n > 3+4*opts.Workers+1 {
				t.Errorf("%d entries after the stream should have stopped at 3", n)
			}
		})
	}
}

func TestStdinSpooledForBothPhases(t *testing.T) {
	data, err := os.ReadFile("testdata/cluster/context.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := openInputs(Options{}, strings.NewReader(string(data)), []string{Stdin})
	if err != nil {
		t.Fatal(err)
	}
	spool := in.spooled[Stdin].path
	if _, err := os.Stat(spool); err != nil {
		t.Fatalf("standard input is not spooled: %v", err)
	}
	cluster, err := in.Cluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := &hardening.Result{}
	if _, err := in.Stream(context.Background(), cluster, nil, hardening.Collect(r)); err != nil {
		t.Fatal(err)
	}
	pods := 0
	for _, s := range r.Subjects {
		if s.Kind == hardening.KindPod {
			pods++
		}
	}
	if cluster.Len() != 15 || len(r.Subjects) != 17 || pods != 2 || r.Subjects[0].Source != Stdin || r.Subjects[0].Cluster != cluster {
		t.Errorf("read standard input twice: %d objects, subjects %v", cluster.Len(), r.Subjects)
	}
	if err := in.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(spool); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the spool %s is left behind: %v", spool, err)
	}
}

func TestStdinTooLarge(t *testing.T) {
	in, err := openInputs(Options{MaxFileSize: 10}, strings.NewReader("apiVersion: v1\nkind: Pod\n"), []string{Stdin})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	r := &hardening.Result{}
	if _, err := in.Stream(context.Background(), nil, nil, hardening.Collect(r)); err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrTooLarge) || r.Errors[0].Document != -1 || len(r.Subjects) != 0 {
		t.Errorf("errors %v, subjects %v", r.Errors, r.Subjects)
	}
}

type clusterObj struct {
	Kind, Namespace, Name string
	Document, Line        int
	Path                  string
}

func TestClusterPhase(t *testing.T) {
	in, err := Open(Options{}, "testdata/cluster", "testdata/pod.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	c, err := in.Cluster(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []clusterObj
	for _, o := range c.Objects() {
		if o.Source != "testdata/cluster/context.yaml" {
			t.Errorf("%s/%s from %s", o.Kind, o.Name, o.Source)
		}
		got = append(got, clusterObj{o.Kind, o.Namespace, o.Name, o.Document, o.Line, o.Path})
	}
	want := []clusterObj{
		{"Namespace", "", "prod", 0, 1, ""},
		{"ServiceAccount", "prod", "web", 1, 9, ""},
		{"Role", "prod", "reader", 3, 33, ""},
		{"RoleBinding", "prod", "web-reader", 4, 43, ""},
		{"ClusterRole", "", "secrets-everywhere", 5, 57, ""},
		{"ClusterRoleBinding", "", "web-secrets", 6, 66, ""},
		{"NetworkPolicy", "prod", "default-deny", 7, 79, ""},
		{"LimitRange", "prod", "defaults", 8, 88, ""},
		{"ResourceQuota", "prod", "quota", 9, 99, ""},
		{"Service", "prod", "web", 10, 108, ""},
		{"Secret", "prod", "web-tls", 11, 119, ""},
		{"Namespace", "", "indented", 12, 130, ""},
		{"ServiceAccount", "prod", "json", 13, 136, ""},
		{"Role", "dev", "listed", 14, 138, "items[1]"},
		{"Role", "dev", "typed-item", 15, 155, "items[0]"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	secret := c.Get(hardening.KindSecret, "prod", "web-tls").Object.(*corev1.Secret)
	if secret.Data != nil || secret.Annotations != nil || secret.Type != corev1.SecretTypeTLS || secret.Kind != "Secret" {
		t.Errorf("a secret is kept by name and type only: %+v", secret)
	}
	if c.Bytes() < 1000 || c.Bytes() > 20000 {
		t.Errorf("the objects take about %d bytes", c.Bytes())
	}
	if sa := c.ServiceAccount("prod", "web"); sa == nil || sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Errorf("the service account is decoded: %+v", sa)
	}
	if ns := c.Namespace("prod"); ns == nil || ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Errorf("the namespace is decoded: %+v", ns)
	}

	// The second phase gives every subject this cluster, and reports the
	// context objects as skipped and the broken one as an error, as before.
	r := &hardening.Result{}
	sum, err := in.Stream(context.Background(), c, nil, hardening.Collect(r))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Subjects {
		if s.Cluster != c {
			t.Errorf("%s has no cluster", s.Name)
		}
	}
	if sum.ClusterObjects != 15 || sum.ClusterBytes != c.Bytes() || len(r.Errors) != 1 || r.Errors[0].Document != 16 {
		t.Errorf("summary %+v, errors %v", sum, r.Errors)
	}
}

func TestQuickHeader(t *testing.T) {
	tests := []struct {
		doc  string
		want gvk
		ok   bool
	}{
		{"apiVersion: v1\nkind: Pod\n", gvk{"v1", "Pod"}, true},
		{"# c\nkind: Role # the role\napiVersion: 'rbac.authorization.k8s.io/v1'\nmetadata:\n  name: x\n", gvk{"rbac.authorization.k8s.io/v1", "Role"}, true},
		{"kind: \"Pod\"\r\napiVersion: v1\r\n", gvk{"v1", "Pod"}, true},
		{"metadata:\n  kind: Role\nspec: {}\n", gvk{}, false},                          // a flow value
		{"metadata:\n  kind: Role\nspec:\n  a: b\n", gvk{}, true},                      // no top-level kind
		{"  apiVersion: v1\n  kind: Pod\n", gvk{}, false},                              // indented top level
		{"kind: Pod\n  more\n", gvk{}, false},                                          // a plain value going on
		{"kind: Pod\n\n  more\n", gvk{}, false},                                        // after a blank line too
		{"kind: Pod\nkind: Role\n", gvk{}, false},                                      // duplicate
		{"kind: yes\n", gvk{}, false},                                                  // a YAML 1.1 boolean
		{"kind: 1\n", gvk{}, false},                                                    // a number
		{"\"kind\": Pod\n", gvk{}, false},                                              // a quoted key
		{"{\"kind\": \"Pod\"}", gvk{}, false},                                          // JSON
		{"base: &b\n  kind: Role\n<<: *b\n", gvk{}, false},                             // a merge key
		{"a: \"open\nkind: Role\nb\": c\n", gvk{}, false},                              // a quoted value left open
		{"- a\n- b\n", gvk{}, false},                                                   // a sequence
		{"%YAML 1.1\n---\nkind: Pod\n", gvk{}, false},                                  // a directive
		{"--- !!map\nkind: Pod\n", gvk{}, false},                                       // content on the marker line
		{"# only a comment\n", gvk{}, false},                                           // nothing
		{"kind: Pod\napiVersion: v1\ndata: |\n  kind: Role\n", gvk{"v1", "Pod"}, true}, // a block scalar
		{"kind: Pod\napiVersion: v1\nx: &a 1\n", gvk{}, false},                         // an anchor
		{"kind: Pod\napiVersion: v1\nkey:value\n", gvk{}, false},                       // not a key
	}
	for _, tt := range tests {
		got, ok := quickHeader([]byte(tt.doc))
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("quickHeader(%q) = %v, %t; want %v, %t", tt.doc, got, ok, tt.want, tt.ok)
		}
	}
}

// FuzzQuickHeader holds quickHeader to the decoder: when it answers, the
// decoder reads the same apiVersion and kind (or fails on the document).
func FuzzQuickHeader(f *testing.F) {
	addSeeds(f)
	f.Add([]byte("kind: Pod\napiVersion: v1\n"))
	f.Add([]byte("kind: Pod\n more: x\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		got, ok := quickHeader(doc)
		if !ok {
			return
		}
		d := &decoder{opts: fuzzOptions.withDefaults()}
		js, err := d.toJSON(doc)
		if err != nil {
			return
		}
		var want gvk
		if js != nil {
			var h header
			if unmarshalKube(js, &h) != nil {
				return
			}
			want = gvk{deref(h.APIVersion), deref(h.Kind)}
		}
		if got != want {
			t.Errorf("quickHeader says %v, the decoder reads %v in %q", got, want, js)
		}
	})
}
