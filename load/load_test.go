package load

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/hardening"
)

// summary is what the tests compare of a subject.
type summary struct {
	Name        string
	Kind        hardening.Kind
	Source      string
	Document    int
	SpecPath    string            `json:",omitempty"`
	MetaPath    string            `json:",omitempty"`
	Pod         string            `json:",omitempty"` // namespace/name of the lifted Pod
	Containers  []string          `json:",omitempty"` // list/name
	Annotations map[string]string `json:",omitempty"` // workload annotations
	ObjectPath  string            `json:",omitempty"` // an object subject's place in its document
}

func summarize(subjects []*hardening.Subject) []summary {
	var out []summary
	for _, s := range subjects {
		sum := summary{Name: s.Name, Kind: s.Kind, Source: s.Source, Document: s.Document,
			SpecPath: s.PodSpecPath, MetaPath: s.PodMetaPath, Annotations: s.WorkloadAnnotations}
		if s.Object != nil {
			sum.ObjectPath = s.Object.Path
		}
		if s.Pod != nil {
			sum.Pod = s.Pod.Namespace + "/" + s.Pod.Name
			for c := range s.Containers {
				sum.Containers = append(sum.Containers, c.List+"/"+c.Name)
			}
		}
		out = append(out, sum)
	}
	return out
}

// errSummary is what the tests compare of a DocumentError: the message
// must contain every one of Contains.
type errSummary struct {
	Source   string
	Document int
}

func summarizeErrors(t *testing.T, errs []*hardening.DocumentError, contains map[int][]string) []errSummary {
	t.Helper()
	var out []errSummary
	for _, e := range errs {
		out = append(out, errSummary{e.Source, e.Document})
		for _, want := range contains[e.Document] {
			if !strings.Contains(e.Error(), want) {
				t.Errorf("error %q does not contain %q", e.Error(), want)
			}
		}
		if strings.Contains(e.Error(), "internal error") {
			t.Errorf("decoder panicked: %v", e)
		}
	}
	return out
}

func TestWorkloads(t *testing.T) {
	tests := []struct {
		file string
		want summary
	}{
		{"pod.yaml", summary{Name: "Pod/prod/debug", SpecPath: "spec", MetaPath: "metadata", Pod: "prod/debug",
			Containers: []string{"containers/shell"}}},
		{"pod.json", summary{Name: "Pod/default/nginx", SpecPath: "spec", MetaPath: "metadata", Pod: "default/nginx",
			Containers: []string{"containers/nginx"}}},
		{"deployment.yaml", summary{Name: "Deployment/prod/web", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "prod/web", Containers: []string{"initContainers/migrate", "containers/web", "containers/sidecar"},
			Annotations: map[string]string{
				"deployment.kubernetes.io/revision":  "3",
				"bulwark.dev/ignore-images.unpinned": "pinned by the release pipeline",
			}}},
		{"statefulset.yaml", summary{Name: "StatefulSet/data/db", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "data/db", Containers: []string{"containers/postgres"}}},
		{"daemonset.yaml", summary{Name: "DaemonSet/monitoring/node-exporter", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "monitoring/node-exporter", Containers: []string{"containers/node-exporter"}}},
		{"replicaset.yaml", summary{Name: "ReplicaSet/frontend-7d9c8", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "/frontend-7d9c8", Containers: []string{"containers/php-redis"}}},
		{"replicationcontroller.yaml", summary{Name: "ReplicationController/old/legacy", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "old/legacy", Containers: []string{"containers/app"}}},
		{"job.yaml", summary{Name: "Job/batch/pi", SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata",
			Pod: "batch/pi", Containers: []string{"containers/pi"}}},
		{"cronjob.yaml", summary{Name: "CronJob/ops/backup", SpecPath: "spec.jobTemplate.spec.template.spec", MetaPath: "spec.jobTemplate.spec.template.metadata",
			Pod: "ops/backup", Containers: []string{"containers/backup"}, Annotations: map[string]string{"owner": "sre"}}},
		{"podtemplate.yaml", summary{Name: "PodTemplate/ci/runner", SpecPath: "template.spec", MetaPath: "template.metadata",
			Pod: "ci/runner", Containers: []string{"containers/runner"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			r := Paths(Options{}, path)
			tt.want.Kind, tt.want.Source = hardening.KindPod, path
			if diff := cmp.Diff([]summary{tt.want}, summarize(r.Subjects)); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			if len(r.Errors) > 0 || len(r.Skipped) > 0 || r.Findings != nil {
				t.Errorf("errors %v, skipped %v, findings %v; want none", r.Errors, r.Skipped, r.Findings)
			}
		})
	}
}

// The lifted Pod keeps the template's metadata (labels, annotations) and
// spec, with the workload's name and namespace.
func TestTemplateLifting(t *testing.T) {
	r := Paths(Options{}, "testdata/deployment.yaml")
	if len(r.Subjects) != 1 {
		t.Fatalf("got %d subjects, want 1 (errors %v)", len(r.Subjects), r.Errors)
	}
	pod := r.Subjects[0].Pod
	if diff := cmp.Diff(map[string]string{"app.kubernetes.io/name": "web"}, pod.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"prometheus.io/scrape": "true"}, pod.Annotations); diff != "" {
		t.Errorf("annotations (-want +got):\n%s", diff)
	}
	if pod.Kind != "Pod" || pod.APIVersion != "v1" {
		t.Errorf("TypeMeta = %v, want v1 Pod", pod.TypeMeta)
	}
	if got := pod.Spec.Containers[1].SecurityContext.Capabilities.Add; len(got) != 1 || got[0] != "NET_ADMIN" {
		t.Errorf("sidecar capabilities.add = %v", got)
	}
	if pod.Spec.ServiceAccountName != "web" || pod.Spec.SecurityContext.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("pod spec not lifted: %+v", pod.Spec)
	}
}

func TestList(t *testing.T) {
	const src = "testdata/list.yaml"
	r := Paths(Options{}, src)
	want := []summary{
		{Name: "Deployment/shop/cart", Kind: hardening.KindPod, Source: src, SpecPath: "items[0].spec.template.spec",
			MetaPath: "items[0].spec.template.metadata", Pod: "shop/cart", Containers: []string{"containers/cart"},
			Annotations: map[string]string{"deployment.kubernetes.io/revision": "1"}},
		// A Service is an object subject: checks of its own judge it.
		{Name: "Service/shop/cart", Kind: hardening.KindObject, Source: src, ObjectPath: "items[1]"},
		{Name: "Pod/shop/cart-5f7b9c-xk2lp", Kind: hardening.KindPod, Source: src, SpecPath: "items[2].spec",
			MetaPath: "items[2].metadata", Pod: "shop/cart-5f7b9c-xk2lp", Containers: []string{"containers/cart"}},
	}
	if diff := cmp.Diff(want, summarize(r.Subjects)); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if len(r.Skipped) != 0 {
		t.Errorf("skipped: %v", r.Skipped)
	}
	if len(r.Errors) != 0 {
		t.Errorf("errors: %v", r.Errors)
	}
}

func TestListItems(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		subjects []string
		skipped  []string
		errs     []string // substrings, one per error
	}{
		{
			name: "typed list items without apiVersion and kind",
			in: `{"apiVersion":"apps/v1","kind":"DeploymentList","items":[
				{"metadata":{"name":"a","namespace":"n"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}},
				{"metadata":{"name":"b"}}]}`,
			subjects: []string{"Deployment/n/a@items[0].spec.template.spec", "Deployment/b@items[1].spec.template.spec"},
		},
		{
			name:     "bad items do not hide good ones",
			in:       `{"apiVersion":"v1","kind":"List","items":[5,{"kind":"Pod"},{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}},{"metadata":{}},{"apiVersion":"v1","kind":"Pod","spec":{"containers":7}}]}`,
			subjects: []string{"Pod/p@items[2].spec"},
			errs: []string{"items[0]: the top level is a number", `items[1]: kind "Pod" without apiVersion`,
				"items[3]: list item without apiVersion and kind", "items[4]: Pod/<unnamed>: "},
		},
		{
			name:     "nested List",
			in:       `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}]}]}`,
			subjects: []string{"Pod/p@items[0].items[0].spec"},
		},
		{
			name:    "typed list of a kind without pods: items skipped one by one",
			in:      `{"apiVersion":"v1","kind":"EndpointsList","items":[{},{"metadata":{"name":"b"}}]}`,
			skipped: []string{"v1 Endpoints", "v1 Endpoints"},
		},
		{
			name:     "typed list of objects audited as objects",
			in:       `{"apiVersion":"v1","kind":"ServiceList","items":[{},{"metadata":{"name":"b"}}]}`,
			subjects: []string{"Service/<unnamed>@", "Service/b@"},
		},
		{
			name:     "typed list of an older version",
			in:       `{"apiVersion":"apps/v1beta1","kind":"DeploymentList","items":[{"metadata":{"name":"a"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}}]}`,
			subjects: []string{"Deployment/a@items[0].spec.template.spec"},
		},
		{
			name:     "typed list of a custom resource",
			in:       `{"apiVersion":"argoproj.io/v1alpha1","kind":"RolloutList","items":[{"metadata":{"name":"r"},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}}]}`,
			subjects: []string{"Rollout/r@items[0].spec.template.spec"},
		},
		{
			name: "pod templates found by shape in a List item",
			in: `{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Endpoints"},{"apiVersion":"ray.io/v1","kind":"RayCluster","metadata":{"name":"r"},"spec":{
				"head":{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},"workers":[{"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}}]}}]}`,
			subjects: []string{"RayCluster/r@spec.head.template@items[1].spec.head.template.spec",
				"RayCluster/r@spec.workers[0].template@items[1].spec.workers[0].template.spec"},
			skipped: []string{"v1 Endpoints"},
		},
		{
			name:    "a kind named like a list without items is an object",
			in:      `{"apiVersion":"example.com/v1","kind":"AllowList","spec":{"entries":["a"]}}`,
			skipped: []string{"example.com/v1 AllowList"},
		},
		{
			name: "typed list whose items are not an array",
			in:   `{"apiVersion":"example.com/v1","kind":"WidgetList","items":{"a":1}}`,
			errs: []string{"List: "},
		},
		{
			name: "items not an array",
			in:   `{"apiVersion":"v1","kind":"List","items":{"a":1}}`,
			errs: []string{"List: "},
		},
		{
			name: "empty list",
			in:   `{"apiVersion":"v1","kind":"List","items":[]}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "in", []byte(tt.in))
			var subjects, skipped, errs []string
			for _, s := range r.Subjects {
				subjects = append(subjects, s.Name+"@"+s.PodSpecPath)
			}
			for _, s := range r.Skipped {
				skipped = append(skipped, s.Kind)
			}
			for i, e := range r.Errors {
				if e.Document != 0 {
					t.Errorf("error %v: document %d, want 0", e, e.Document)
				}
				if i < len(tt.errs) && !strings.Contains(e.Error(), tt.errs[i]) {
					t.Errorf("error %d = %q, want it to contain %q", i, e, tt.errs[i])
				}
				errs = append(errs, e.Error())
			}
			if diff := cmp.Diff(tt.subjects, subjects); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.skipped, skipped); diff != "" {
				t.Errorf("skipped (-want +got):\n%s", diff)
			}
			if len(errs) != len(tt.errs) {
				t.Errorf("errors = %q, want %d", errs, len(tt.errs))
			}
		})
	}
}

func TestMultiDocument(t *testing.T) {
	const src = "testdata/multidoc.yaml"
	r := Paths(Options{}, src)
	want := []summary{
		{Name: "Deployment/prod/api", Kind: hardening.KindPod, Source: src, Document: 0, SpecPath: "spec.template.spec",
			MetaPath: "spec.template.metadata", Pod: "prod/api", Containers: []string{"containers/api"}},
		{Name: "Service/api", Kind: hardening.KindObject, Source: src, Document: 3},
		{Name: "Pod/prod/api-debug", Kind: hardening.KindPod, Source: src, Document: 4, SpecPath: "spec",
			MetaPath: "metadata", Pod: "prod/api-debug", Containers: []string{"containers/debug"}},
	}
	if diff := cmp.Diff(want, summarize(r.Subjects)); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	// Document 2 is broken at line 27 of the file (line 5 of the document).
	gotErrs := summarizeErrors(t, r.Errors, map[int][]string{2: {"testdata/multidoc.yaml: document 2: yaml: line 27:"}})
	if diff := cmp.Diff([]errSummary{{src, 2}}, gotErrs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if len(r.Skipped) != 0 {
		t.Errorf("skipped: %v", r.Skipped)
	}
	if n := len(Documents(mustRead(t, src))); n != 5 {
		t.Errorf("Documents: %d documents, want 5", n)
	}
}

func TestSkipped(t *testing.T) {
	const src = "testdata/skipped.yaml"
	r := Paths(Options{}, src)
	want := []hardening.Skipped{
		{Source: src, Document: 1, Kind: "apiextensions.k8s.io/v1 CustomResourceDefinition", Name: "CustomResourceDefinition/widgets.example.com",
			Reason: "a resource definition: a schema, not a workload"},
		{Source: src, Document: 2, Kind: "example.com/v1 Widget", Name: "Widget/sprocket", Reason: "no pod template or pod spec in it"},
	}
	if diff := cmp.Diff(want, r.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
	// The ConfigMap is an object subject (its content is audited), not a skip.
	if diff := cmp.Diff([]summary{{Name: "ConfigMap/settings", Kind: hardening.KindObject, Source: src}}, summarize(r.Subjects)); diff != "" || len(r.Errors) != 0 {
		t.Errorf("subjects (-want +got):\n%s\nerrors %v", diff, r.Errors)
	}
}

func TestOCISpec(t *testing.T) {
	const src = "testdata/oci-config.json"
	r := Paths(Options{}, src)
	want := []summary{{Name: src, Kind: hardening.KindOCISpec, Source: src}}
	if diff := cmp.Diff(want, summarize(r.Subjects)); diff != "" {
		t.Fatalf("subjects (-want +got):\n%s (errors %v)", diff, r.Errors)
	}
	spec := r.Subjects[0].Spec
	if spec.Version != "1.2.0" || spec.Process == nil || !spec.Process.NoNewPrivileges ||
		len(spec.Process.Capabilities.Bounding) != 3 || len(spec.Linux.Namespaces) != 6 || !spec.Root.Readonly {
		t.Errorf("spec decoded wrongly: %+v", spec)
	}
}

func TestImageConfig(t *testing.T) {
	for _, file := range []string{"testdata/image/oci-image-config.json", "testdata/image/docker-image-config.json"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			r := Paths(Options{}, file)
			want := []summary{{Name: file, Kind: hardening.KindImage, Source: file}}
			if diff := cmp.Diff(want, summarize(r.Subjects)); diff != "" {
				t.Fatalf("subjects (-want +got):\n%s (errors %v)", diff, r.Errors)
			}
			img := r.Subjects[0].Image
			if img.OS != "linux" || img.Architecture != "amd64" || img.RootFS.Type != "layers" || len(img.RootFS.DiffIDs) == 0 ||
				len(img.Config.ExposedPorts) != 1 || len(img.Config.Env) != 2 {
				t.Errorf("image decoded wrongly: %+v", img)
			}
		})
	}
}

// Walking a directory reads *.yaml, *.yml and *.json in lexical order,
// loads a bundle's config.json and never enters its rootfs (whose junk.yaml
// would be an error).
func TestDirectory(t *testing.T) {
	r := Paths(Options{}, "testdata/tree")
	want := []summary{
		{Name: "CronJob/ops/backup", Kind: hardening.KindPod, Source: "testdata/tree/apps/backup.yml",
			SpecPath: "spec.jobTemplate.spec.template.spec", MetaPath: "spec.jobTemplate.spec.template.metadata",
			Pod: "ops/backup", Containers: []string{"containers/backup"}, Annotations: map[string]string{"owner": "sre"}},
		{Name: "Pod/default/nginx", Kind: hardening.KindPod, Source: "testdata/tree/apps/nginx.json",
			SpecPath: "spec", MetaPath: "metadata", Pod: "default/nginx", Containers: []string{"containers/nginx"}},
		{Name: "Deployment/prod/web", Kind: hardening.KindPod, Source: "testdata/tree/apps/web.yaml",
			SpecPath: "spec.template.spec", MetaPath: "spec.template.metadata", Pod: "prod/web",
			Containers:  []string{"initContainers/migrate", "containers/web", "containers/sidecar"},
			Annotations: map[string]string{"deployment.kubernetes.io/revision": "3", "bulwark.dev/ignore-images.unpinned": "pinned by the release pipeline"}},
		{Name: "testdata/tree/bundle/config.json", Kind: hardening.KindOCISpec, Source: "testdata/tree/bundle/config.json"},
	}
	if diff := cmp.Diff(want, summarize(r.Subjects)); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if len(r.Errors) != 0 || len(r.Skipped) != 0 {
		t.Errorf("errors %v, skipped %v; want none", r.Errors, r.Skipped)
	}

	// A bundle given directly, and a file given directly whatever its name.
	r = Paths(Options{}, "testdata/tree/bundle", "testdata/tree/apps/notes.txt")
	got := summarize(r.Subjects)
	if len(got) != 2 || got[0].Kind != hardening.KindOCISpec || got[1].Name != "Pod/ignored-by-extension" || len(r.Errors) != 0 {
		t.Errorf("got %+v, errors %v", got, r.Errors)
	}
}

func TestSymlinksAndSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	write(t, filepath.Join(outside, "pod.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: outside}\n")
	write(t, filepath.Join(dir, "real.yaml"), "apiVersion: v1\nkind: Pod\nmetadata: {name: real}\n")
	mustSymlink(t, outside, filepath.Join(dir, "linked-dir"))                           // not followed
	mustSymlink(t, filepath.Join(outside, "pod.yaml"), filepath.Join(dir, "link.yaml")) // followed
	mustSymlink(t, filepath.Join(dir, "missing"), filepath.Join(dir, "dangling.yaml"))  // an error
	mustSymlink(t, outside, filepath.Join(dir, "dir-link.yaml"))                        // a directory: ignored
	r := Paths(Options{}, dir)
	var names []string
	for _, s := range r.Subjects {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"Pod/outside", "Pod/real"}, names); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if len(r.Errors) != 1 || r.Errors[0].Source != filepath.Join(dir, "dangling.yaml") || !errors.Is(r.Errors[0], fs.ErrNotExist) {
		t.Errorf("errors = %v, want one for dangling.yaml", r.Errors)
	}

	r = Paths(Options{}, filepath.Join(dir, "nope.yaml"))
	if len(r.Errors) != 1 || r.Errors[0].Document != -1 || !errors.Is(r.Errors[0], fs.ErrNotExist) ||
		strings.Count(r.Errors[0].Error(), "nope.yaml") != 1 {
		t.Errorf("missing file: errors = %v", r.Errors)
	}
}

func TestStdin(t *testing.T) {
	f, err := os.Open("testdata/multidoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	old := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = old }()
	r := Paths(Options{}, "-")
	var got []string
	for _, s := range r.Subjects {
		got = append(got, s.Source+" "+s.Name)
	}
	if diff := cmp.Diff([]string{"- Deployment/prod/api", "- Service/api", "- Pod/prod/api-debug"}, got); diff != "" {
		t.Errorf("subjects (-want +got):\n%s", diff)
	}
	if len(r.Errors) != 1 || r.Errors[0].Source != "-" || r.Errors[0].Document != 2 {
		t.Errorf("errors = %v", r.Errors)
	}
}

// Object keys are case-sensitive for Kubernetes objects, as in the API
// server: a "HostPID" key neither sets hostPID nor hides a real one.
func TestKubernetesKeysAreCaseSensitive(t *testing.T) {
	r := Bytes(Options{}, "x", []byte("apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  HostPID: false\n  HostNetwork: true\n"))
	if len(r.Subjects) != 1 {
		t.Fatalf("subjects %v, errors %v", r.Subjects, r.Errors)
	}
	spec := r.Subjects[0].Pod.Spec
	if !spec.HostPID || spec.HostNetwork {
		t.Errorf("hostPID = %v, hostNetwork = %v; want true, false", spec.HostPID, spec.HostNetwork)
	}
}

func TestDocuments(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"\n\n", nil},
		{"a: 1\n", []string{"a: 1\n"}},
		{"---\na: 1\n", []string{"a: 1\n"}},
		{"# header\n---\na: 1\n", []string{"a: 1\n"}}, // a comment-only preamble is no document
		{"# header\n\n  # more\n---\na: 1\n", []string{"a: 1\n"}},
		{"# header\nb: 2\n---\na: 1\n", []string{"# header\nb: 2\n", "a: 1\n"}},
		{"---\n# between\n---\na: 1\n", []string{"# between\n", "a: 1\n"}}, // between markers, every document counts
		{"a: 1\n---\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"a: 1\n---\n---\nb: 2\n---\n", []string{"a: 1\n", "", "b: 2\n"}},
		{"a: 1\n--- # next\nb: 2", []string{"a: 1\n", "b: 2"}},
		{"a: 1\r\n---\r\nb: 2\r\n", []string{"a: 1\r\n", "b: 2\r\n"}},
		{"a: 1\n--- |\n  text\n", []string{"a: 1\n", "--- |\n  text\n"}},
		{"a: 1\n---\t\nb: 2\n", []string{"a: 1\n", "b: 2\n"}},
		{"a: |\n  ---\n----\n---x: 1\n", []string{"a: |\n  ---\n----\n---x: 1\n"}},
		{"a: 1\n---\n# only a comment\n---\nb: 2\n", []string{"a: 1\n", "# only a comment\n", "b: 2\n"}},
		{"---", nil},
		{`{"a": "---"}`, []string{`{"a": "---"}`}},
	}
	for _, tt := range tests {
		var got []string
		for _, d := range Documents([]byte(tt.in)) {
			got = append(got, string(d))
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Documents(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

// Empty and comment-only documents are skipped without error but count.
func TestEmptyDocumentsCount(t *testing.T) {
	in := "# nothing\n---\n---\nnull\n---\n~\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
	r := Bytes(Options{}, "x", []byte(in))
	if len(r.Subjects) != 1 || r.Subjects[0].Document != 3 || len(r.Errors) != 0 {
		t.Errorf("subjects %+v errors %v; want one Pod at document 3 (the comment-only preamble is none)", summarize(r.Subjects), r.Errors)
	}
}

func TestOCIVariants(t *testing.T) {
	tests := []struct {
		name, in string
		kind     hardening.Kind
		skipped  hardening.Skipped
		err      string
	}{
		{name: "minimal spec in YAML", in: "ociVersion: 1.0.2\nprocess:\n  args: [sh]\n", kind: hardening.KindOCISpec},
		{name: "container state", in: `{"ociVersion":"1.2.0","id":"c1","status":"creating","pid":42,"bundle":"/run/b"}`, skipped: hardening.Skipped{Kind: "OCI container state", Reason: "the state a runtime passes to hooks, not a runtime spec"}},
		{name: "image index", in: `{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}`, skipped: hardening.Skipped{Kind: "OCI image index", Reason: "an index without its image: load the image layout or archive"}},
		{name: "image manifest", in: `{"schemaVersion":2,"config":{},"layers":[]}`, skipped: hardening.Skipped{Kind: "OCI image manifest", Reason: "a manifest without its image: load the image layout or archive"}},
		{name: "image without rootfs", in: `{"architecture":"arm64","os":"linux","config":{"User":"1000"}}`, kind: hardening.KindImage},
		{name: "spec with wrong types", in: `{"ociVersion":"1.0.0","process":{"args":"sh"}}`, err: "OCI runtime spec: json: cannot unmarshal"},
		{name: "image with wrong types", in: `{"rootfs":{"type":"layers","diff_ids":"x"}}`, err: "image config: json: cannot unmarshal"},
		{name: "unknown JSON", in: `{"name":"left-pad","version":"1.3.0"}`, err: "not a Kubernetes object"},
		{name: "docker inspect output", in: `[{"Id":"sha256:1"}]`, err: "the top level is an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "in.json", []byte(tt.in))
			switch {
			case tt.kind != 0:
				if len(r.Subjects) != 1 || r.Subjects[0].Kind != tt.kind || r.Subjects[0].Name != "in.json" {
					t.Errorf("subjects %+v errors %v, want one %v", summarize(r.Subjects), r.Errors, tt.kind)
				}
			case tt.skipped.Kind != "":
				tt.skipped.Source = "in.json"
				if diff := cmp.Diff([]hardening.Skipped{tt.skipped}, r.Skipped); diff != "" {
					t.Errorf("skipped (-want +got):\n%s", diff)
				}
			default:
				if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.err) {
					t.Errorf("errors %v, want one containing %q", r.Errors, tt.err)
				}
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
}

func TestSubjectLines(t *testing.T) {
	data := []byte("# header\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# two\n\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n")
	r := Bytes(Options{}, "pods.yaml", data)
	if len(r.Subjects) != 2 {
		t.Fatalf("subjects %d, errors %v", len(r.Subjects), r.Errors)
	}
	for i, want := range []int{1, 6} {
		if got := r.Subjects[i].Line; got != want {
			t.Errorf("subject %d starts at line %d, want %d", i, got, want)
		}
	}
}
