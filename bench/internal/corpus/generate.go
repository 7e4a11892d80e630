package corpus

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v2"
)

// Sizes says how large the corpora are.
type Sizes struct {
	// Files is the number of one-object files in the files corpora, and
	// Docs the number of documents in the small single-file corpora; both
	// hold the same pod-bearing objects.
	Files, Docs int
	// BigDocs is the number of pod-bearing documents in the large file.
	BigDocs int
	// Context is the number of context objects mixed into each ctx-
	// corpus.
	Context int
}

// DefaultSizes are the sizes of issue 13 §3.
var DefaultSizes = Sizes{Files: 2000, Docs: 2000, BigDocs: 50000, Context: 500}

// Corpus describes one generated corpus.
type Corpus struct {
	// Name is the file or directory name under the output directory:
	// "files-2000", "docs-2000.yaml", "ctx-docs-50000.yaml".
	Name string
	// Dir is true for a directory of one-object files.
	Dir bool
	// Pods is the number of pod-bearing objects (Pods and workloads),
	// Context the number of context objects.
	Pods, Context int
}

// Corpora lists the corpora Generate writes for sizes, in order.
func Corpora(s Sizes) []Corpus {
	return []Corpus{
		{Name: "files-" + strconv.Itoa(s.Files), Dir: true, Pods: s.Files},
		{Name: "docs-" + strconv.Itoa(s.Docs) + ".yaml", Pods: s.Docs},
		{Name: "docs-" + strconv.Itoa(s.BigDocs) + ".yaml", Pods: s.BigDocs},
		{Name: "ctx-files-" + strconv.Itoa(s.Files), Dir: true, Pods: s.Files, Context: s.Context},
		{Name: "ctx-docs-" + strconv.Itoa(s.Docs) + ".yaml", Pods: s.Docs, Context: s.Context},
		{Name: "ctx-docs-" + strconv.Itoa(s.BigDocs) + ".yaml", Pods: s.BigDocs, Context: s.Context},
	}
}

// Generate writes the corpora of sizes into dir (created if needed): the
// same seed, fixtures and sizes give the same bytes.
func Generate(dir string, fixtures []Fixture, seed uint64, s Sizes) error {
	if len(fixtures) == 0 {
		return fmt.Errorf("no fixtures")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := generator{fixtures: fixtures, seed: seed}
	ctx := g.contextObjects(s.Context)
	cache := map[int][]*object{}
	pods := func(n int) []*object {
		if cache[n] == nil {
			cache[n] = g.podObjects(n)
		}
		return cache[n]
	}
	for _, c := range Corpora(s) {
		objs := pods(c.Pods)
		if c.Context > 0 {
			objs = g.interleave(objs, ctx[:c.Context], c.Name)
		}
		var err error
		if c.Dir {
			err = writeFiles(filepath.Join(dir, c.Name), objs)
		} else {
			err = writeStream(filepath.Join(dir, c.Name), objs)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	return nil
}

// object is one Kubernetes object to write.
type object struct {
	kind, name string
	body       map[string]any
	yaml       []byte // body as YAML, once rendered
}

type generator struct {
	fixtures []Fixture
	seed     uint64
}

// rand returns a source for one purpose, independent of the others, so
// changing one corpus never shifts another.
func (g *generator) rand(purpose string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(purpose))
	return rand.New(rand.NewPCG(g.seed, h.Sum64()))
}

var namespaces = []string{"payments", "checkout", "search", "identity", "platform", "data", "ml", "edge", "observability", "batch", "web", "internal-tools"}

var tiers = []string{"frontend", "backend", "worker", "cache", "db"}

// weighted picks a name by weight.
func weighted(r *rand.Rand, choices []choice) string {
	total := 0
	for _, c := range choices {
		total += c.weight
	}
	n := r.IntN(total)
	for _, c := range choices {
		if n < c.weight {
			return c.name
		}
		n -= c.weight
	}
	panic("unreachable")
}

type choice struct {
	name   string
	weight int
}

var podKinds = []choice{
	{"Pod", 25}, {"Deployment", 30}, {"StatefulSet", 8}, {"DaemonSet", 6}, {"ReplicaSet", 4},
	{"ReplicationController", 3}, {"Job", 9}, {"CronJob", 9}, {"PodTemplate", 6},
}

// podObjects returns n pod-bearing objects: the fixtures in a seeded
// order (reshuffled at each pass), each as a Pod or wrapped in a workload.
func (g *generator) podObjects(n int) []*object {
	r := g.rand("pods-" + strconv.Itoa(n))
	order := make([]int, len(g.fixtures))
	objs := make([]*object, n)
	for i := range objs {
		if i%len(order) == 0 {
			for j := range order {
				order[j] = j
			}
			r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		}
		objs[i] = g.podObject(r, g.fixtures[order[i%len(order)]], i)
	}
	return objs
}

func (g *generator) podObject(r *rand.Rand, f Fixture, i int) *object {
	pod := deepCopy(f.Pod).(map[string]any)
	meta, _ := pod["metadata"].(map[string]any)
	spec, _ := pod["spec"].(map[string]any)
	base, _ := meta["name"].(string)
	name := strings.ReplaceAll(strings.ToLower(base), "_", "-") + "-" + strconv.Itoa(i)
	ns := namespaces[r.IntN(len(namespaces))]
	labels := map[string]any{
		"app.kubernetes.io/name":    name,
		"app.kubernetes.io/part-of": ns,
		"tier":                      tiers[r.IntN(len(tiers))],
	}
	decorate(r, spec)

	// The pod's own metadata: the fixture's annotations, our labels.
	podMeta := map[string]any{"labels": labels}
	if a, ok := meta["annotations"]; ok {
		podMeta["annotations"] = a
	}
	template := map[string]any{"metadata": podMeta, "spec": spec}
	objMeta := map[string]any{"name": name, "namespace": ns, "labels": deepCopy(labels)}
	if r.IntN(3) == 0 {
		objMeta["annotations"] = map[string]any{"owner": "team-" + ns + "@example.com"}
	}
	selector := map[string]any{"matchLabels": map[string]any{"app.kubernetes.io/name": name}}
	replicas := 1 + r.IntN(5)

	kind := weighted(r, podKinds)
	body := map[string]any{"kind": kind, "metadata": objMeta}
	switch kind {
	case "Pod":
		body["apiVersion"] = "v1"
		for k, v := range podMeta {
			objMeta[k] = v
		}
		body["spec"] = spec
	case "PodTemplate":
		body["apiVersion"] = "v1"
		body["template"] = template
	case "ReplicationController":
		body["apiVersion"] = "v1"
		body["spec"] = map[string]any{"replicas": replicas, "selector": map[string]any{"app.kubernetes.io/name": name}, "template": template}
	case "Deployment":
		body["apiVersion"] = "apps/v1"
		body["spec"] = map[string]any{
			"replicas": replicas, "selector": selector, "template": template,
			"strategy": map[string]any{"type": "RollingUpdate", "rollingUpdate": map[string]any{"maxSurge": "25%", "maxUnavailable": 0}},
		}
	case "StatefulSet":
		body["apiVersion"] = "apps/v1"
		body["spec"] = map[string]any{"replicas": replicas, "serviceName": name, "selector": selector, "template": template}
	case "DaemonSet":
		body["apiVersion"] = "apps/v1"
		body["spec"] = map[string]any{"selector": selector, "template": template}
	case "ReplicaSet":
		body["apiVersion"] = "apps/v1"
		body["spec"] = map[string]any{"replicas": replicas, "selector": selector, "template": template}
	case "Job":
		body["apiVersion"] = "batch/v1"
		spec["restartPolicy"] = "Never"
		body["spec"] = map[string]any{"backoffLimit": 3, "template": template}
	case "CronJob":
		body["apiVersion"] = "batch/v1"
		spec["restartPolicy"] = "OnFailure"
		body["spec"] = map[string]any{
			"schedule": fmt.Sprintf("%d */%d * * *", r.IntN(60), 1+r.IntN(6)), "concurrencyPolicy": "Forbid",
			"jobTemplate": map[string]any{"spec": map[string]any{"backoffLimit": 2, "template": template}},
		}
	}
	return &object{kind: kind, name: name, body: body}
}

// decorate gives the fixture's regular and init containers what real ones
// carry — an image tag, resources, ports, environment — none of which any
// Pod Security Standards control reads. Settings the fixture has are kept.
func decorate(r *rand.Rand, spec map[string]any) {
	for _, field := range []string{"initContainers", "containers"} {
		cs, _ := spec[field].([]any)
		for _, c := range cs {
			c, ok := c.(map[string]any)
			if !ok {
				continue
			}
			setDefault := func(k string, v any) {
				if _, ok := c[k]; !ok {
					c[k] = v
				}
			}
			if img, _ := c["image"].(string); img == "registry.k8s.io/pause" && r.IntN(2) == 0 {
				c["image"] = "registry.k8s.io/pause:3.10"
			}
			if r.IntN(2) == 0 {
				setDefault("imagePullPolicy", "IfNotPresent")
			}
			if r.IntN(10) < 7 {
				setDefault("resources", map[string]any{
					"requests": map[string]any{"cpu": fmt.Sprintf("%dm", 50*(1+r.IntN(8))), "memory": fmt.Sprintf("%dMi", 64*(1+r.IntN(8)))},
					"limits":   map[string]any{"memory": fmt.Sprintf("%dMi", 512*(1+r.IntN(4)))},
				})
			}
			if field == "containers" && r.IntN(2) == 0 {
				setDefault("ports", []any{map[string]any{"name": "http", "containerPort": 8080, "protocol": "TCP"}})
			}
			if r.IntN(10) < 4 {
				setDefault("env", []any{
					map[string]any{"name": "LOG_LEVEL", "value": "info"},
					map[string]any{"name": "POD_NAME", "valueFrom": map[string]any{"fieldRef": map[string]any{"fieldPath": "metadata.name"}}},
				})
			}
		}
	}
}

// interleave mixes ctx into pods at seeded positions, keeping the order of
// each.
func (g *generator) interleave(pods, ctx []*object, purpose string) []*object {
	r := g.rand("mix-" + purpose)
	out := make([]*object, 0, len(pods)+len(ctx))
	p, c := 0, 0
	for p < len(pods) || c < len(ctx) {
		left := len(pods) - p + len(ctx) - c
		if r.IntN(left) < len(ctx)-c {
			out = append(out, ctx[c])
			c++
		} else {
			out = append(out, pods[p])
			p++
		}
	}
	return out
}

func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = deepCopy(x)
		}
		return s
	}
	return v
}

// render writes o as YAML once; corpora sharing an object share the bytes.
func render(o *object) ([]byte, error) {
	if o.yaml == nil {
		data, err := yaml.Marshal(o.body)
		if err != nil {
			return nil, err
		}
		o.yaml = data
	}
	return o.yaml, nil
}

// writeStream writes objs as one YAML stream, "---" between documents.
func writeStream(path string, objs []*object) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i, o := range objs {
		data, err := render(o)
		if err != nil {
			f.Close()
			return err
		}
		if i > 0 {
			w.WriteString("---\n")
		}
		w.Write(data)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeFiles writes each object to its own file in dir, named so that the
// lexical order is the objects' order: "00042-deployment-web-42.yaml".
func writeFiles(dir string, objs []*object) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	width := len(strconv.Itoa(len(objs)))
	for i, o := range objs {
		data, err := render(o)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%0*d-%s-%s.yaml", width, i, strings.ToLower(o.kind), o.name)
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// toMap turns a typed object into the generic form written out, without
// the null fields and empty status a typed object marshals.
func toMap(v any) map[string]any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		panic(err)
	}
	delete(m, "status")
	return prune(m).(map[string]any)
}

func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = prune(x)
		}
	case []any:
		for i, x := range v {
			v[i] = prune(x)
		}
	}
	return v
}
