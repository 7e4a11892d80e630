package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// pod is one pod found in the input: a Pod, or a workload's pod template.
type pod struct {
	name     string // Kind/namespace/name of the object holding it
	source   string
	document int
	specPath string // where the pod spec sits in the document
	meta     *metav1.ObjectMeta
	spec     *corev1.PodSpec
}

type docError struct {
	source   string
	document int // -1 for the whole source
	err      error
}

type skipped struct {
	source   string
	document int
	kind     string
}

// sink receives what the reader finds, in input order.
type sink interface {
	pod(p *pod)
	fail(e docError)
	skip(s skipped)
}

// readPaths reads files, directories (walked in lexical order, *.yaml,
// *.yml and *.json only) and "-" for standard input.
func readPaths(paths []string, stdin io.Reader, out sink) {
	for _, p := range paths {
		if p == "-" {
			data, err := io.ReadAll(stdin)
			if err != nil {
				out.fail(docError{p, -1, err})
				continue
			}
			readSource(p, data, out)
			continue
		}
		info, err := os.Stat(p)
		if err != nil {
			out.fail(docError{p, -1, err})
			continue
		}
		if !info.IsDir() {
			readFile(p, out)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				out.fail(docError{path, -1, err})
				return nil
			}
			if d.IsDir() || !isManifest(path) {
				return nil
			}
			if !d.Type().IsRegular() {
				if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			}
			readFile(path, out)
			return nil
		})
		if err != nil {
			out.fail(docError{p, -1, err})
		}
	}
}

func isManifest(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func readFile(path string, out sink) {
	data, err := os.ReadFile(path)
	if err != nil {
		out.fail(docError{path, -1, err})
		return
	}
	readSource(path, data, out)
}

// readSource decodes every document of one source.
func readSource(source string, data []byte, out sink) {
	for i, doc := range splitDocuments(data) {
		d := decoder{source: source, document: i, out: out}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			d.fail("", err)
			continue
		}
		if js = bytes.TrimSpace(js); bytes.Equal(js, []byte("null")) {
			continue // empty or comment-only document
		}
		d.object(js, "", metav1.TypeMeta{})
	}
}

// splitDocuments splits a YAML stream at its "---" lines. A marker line
// with nothing after it but a comment is dropped; one with content ("---
// |") starts the next document. Blank text before the first marker or after
// the last is not a document; every document in between counts, so the
// numbers are those an editor shows.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	start, marked := 0, false
	for pos := 0; pos < len(data); {
		next := len(data)
		if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
			next = pos + i + 1
		}
		line := data[pos:next]
		if bytes.HasPrefix(line, []byte("---")) && (len(line) == 3 || strings.ContainsRune(" \t\r\n", rune(line[3]))) {
			if doc := data[start:pos]; marked || !commentsOnly(doc) {
				docs = append(docs, doc)
			}
			marked = true
			start = next
			if rest := bytes.TrimSpace(line[3:]); len(rest) > 0 && rest[0] != '#' {
				start = pos
			}
		}
		pos = next
	}
	if doc := data[start:]; len(bytes.TrimSpace(doc)) > 0 {
		docs = append(docs, doc)
	}
	return docs
}

// commentsOnly reports whether a preamble holds only blank and comment
// lines (a license header is no document).
func commentsOnly(b []byte) bool {
	for _, line := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

type decoder struct {
	source   string
	document int
	out      sink
}

func (d decoder) fail(prefix string, err error) {
	if prefix != "" {
		err = fmt.Errorf("%s: %w", strings.TrimSuffix(prefix, "."), err)
	}
	d.out.fail(docError{d.source, d.document, err})
}

// itemKinds maps typed lists to the kind of their items, which may omit
// apiVersion and kind.
var itemKinds = map[metav1.TypeMeta]metav1.TypeMeta{
	{APIVersion: "v1", Kind: "PodList"}:                   {APIVersion: "v1", Kind: "Pod"},
	{APIVersion: "v1", Kind: "PodTemplateList"}:           {APIVersion: "v1", Kind: "PodTemplate"},
	{APIVersion: "v1", Kind: "ReplicationControllerList"}: {APIVersion: "v1", Kind: "ReplicationController"},
	{APIVersion: "apps/v1", Kind: "DeploymentList"}:       {APIVersion: "apps/v1", Kind: "Deployment"},
	{APIVersion: "apps/v1", Kind: "StatefulSetList"}:      {APIVersion: "apps/v1", Kind: "StatefulSet"},
	{APIVersion: "apps/v1", Kind: "DaemonSetList"}:        {APIVersion: "apps/v1", Kind: "DaemonSet"},
	{APIVersion: "apps/v1", Kind: "ReplicaSetList"}:       {APIVersion: "apps/v1", Kind: "ReplicaSet"},
	{APIVersion: "batch/v1", Kind: "JobList"}:             {APIVersion: "batch/v1", Kind: "Job"},
	{APIVersion: "batch/v1", Kind: "CronJobList"}:         {APIVersion: "batch/v1", Kind: "CronJob"},
}

// object decodes one JSON object: a document, or a List item (prefix
// "items[3]."). def is the item kind of a typed list, used when the item
// names none.
func (d decoder) object(js []byte, prefix string, def metav1.TypeMeta) {
	if len(js) == 0 || js[0] != '{' {
		d.fail(prefix, errors.New("not an object"))
		return
	}
	var tm metav1.TypeMeta
	if err := json.Unmarshal(js, &tm); err != nil {
		d.fail(prefix, err)
		return
	}
	if tm.APIVersion == "" && tm.Kind == "" {
		tm = def
	}
	if tm.APIVersion == "" || tm.Kind == "" {
		d.fail(prefix, errors.New("not a Kubernetes object: apiVersion or kind is missing"))
		return
	}
	found := func(meta metav1.ObjectMeta, at string, t *corev1.PodTemplateSpec) {
		name := meta.Name
		if name == "" && meta.GenerateName != "" {
			name = meta.GenerateName + "*"
		}
		if name == "" {
			name = "<unnamed>"
		}
		if meta.Namespace != "" {
			name = meta.Namespace + "/" + name
		}
		d.out.pod(&pod{
			name: tm.Kind + "/" + name, source: d.source, document: d.document,
			specPath: prefix + at, meta: &t.ObjectMeta, spec: &t.Spec,
		})
	}
	decode := func(v any) bool {
		if err := json.Unmarshal(js, v); err != nil {
			d.fail(prefix, fmt.Errorf("%s: %w", tm.Kind, err))
			return false
		}
		return true
	}
	switch tm {
	case metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"}:
		var o corev1.Pod
		if decode(&o) {
			found(o.ObjectMeta, "spec", &corev1.PodTemplateSpec{ObjectMeta: o.ObjectMeta, Spec: o.Spec})
		}
	case metav1.TypeMeta{APIVersion: "v1", Kind: "PodTemplate"}:
		var o corev1.PodTemplate
		if decode(&o) {
			found(o.ObjectMeta, "template.spec", &o.Template)
		}
	case metav1.TypeMeta{APIVersion: "v1", Kind: "ReplicationController"}:
		var o corev1.ReplicationController
		if decode(&o) {
			if o.Spec.Template == nil {
				d.fail(prefix, errors.New("ReplicationController: spec.template is missing"))
				return
			}
			found(o.ObjectMeta, "spec.template.spec", o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"}:
		var o appsv1.Deployment
		if decode(&o) {
			found(o.ObjectMeta, "spec.template.spec", &o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "apps/v1", Kind: "StatefulSet"}:
		var o appsv1.StatefulSet
		if decode(&o) {
			found(o.ObjectMeta, "spec.template.spec", &o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "apps/v1", Kind: "DaemonSet"}:
		var o appsv1.DaemonSet
		if decode(&o) {
			found(o.ObjectMeta, "spec.template.spec", &o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"}:
		var o appsv1.ReplicaSet
		if decode(&o) {
			found(o.ObjectMeta, "spec.template.spec", &o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "batch/v1", Kind: "Job"}:
		var o batchv1.Job
		if decode(&o) {
			found(o.ObjectMeta, "spec.template.spec", &o.Spec.Template)
		}
	case metav1.TypeMeta{APIVersion: "batch/v1", Kind: "CronJob"}:
		var o batchv1.CronJob
		if decode(&o) {
			found(o.ObjectMeta, "spec.jobTemplate.spec.template.spec", &o.Spec.JobTemplate.Spec.Template)
		}
	default:
		item, typed := itemKinds[tm]
		if !typed && tm != (metav1.TypeMeta{APIVersion: "v1", Kind: "List"}) {
			d.out.skip(skipped{d.source, d.document, tm.APIVersion + " " + tm.Kind})
			return
		}
		var l struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(js, &l); err != nil {
			d.fail(prefix, fmt.Errorf("%s: %w", tm.Kind, err))
			return
		}
		for i, raw := range l.Items {
			d.object(bytes.TrimSpace(raw), prefix+"items["+strconv.Itoa(i)+"].", item)
		}
	}
}
