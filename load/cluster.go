package load

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// gvk is a Kubernetes apiVersion and kind.
type gvk struct{ apiVersion, kind string }

// contextKinds are the kinds a [hardening.Cluster] keeps, at the
// apiVersions whose shape is the decoded type's.
var contextKinds = map[gvk]func() any{
	{"v1", hardening.KindNamespace}:      func() any { return new(corev1.Namespace) },
	{"v1", hardening.KindServiceAccount}: func() any { return new(corev1.ServiceAccount) },
	{"v1", hardening.KindLimitRange}:     func() any { return new(corev1.LimitRange) },
	{"v1", hardening.KindResourceQuota}:  func() any { return new(corev1.ResourceQuota) },
	{"v1", hardening.KindService}:        func() any { return new(corev1.Service) },
	{"v1", hardening.KindSecret}:         func() any { return new(corev1.Secret) },

	{"rbac.authorization.k8s.io/v1", hardening.KindRole}:               func() any { return new(rbacv1.Role) },
	{"rbac.authorization.k8s.io/v1", hardening.KindClusterRole}:        func() any { return new(rbacv1.ClusterRole) },
	{"rbac.authorization.k8s.io/v1", hardening.KindRoleBinding}:        func() any { return new(rbacv1.RoleBinding) },
	{"rbac.authorization.k8s.io/v1", hardening.KindClusterRoleBinding}: func() any { return new(rbacv1.ClusterRoleBinding) },
	// v1beta1 and v1alpha1 RBAC objects have v1's shape.
	{"rbac.authorization.k8s.io/v1beta1", hardening.KindRole}:                func() any { return new(rbacv1.Role) },
	{"rbac.authorization.k8s.io/v1beta1", hardening.KindClusterRole}:         func() any { return new(rbacv1.ClusterRole) },
	{"rbac.authorization.k8s.io/v1beta1", hardening.KindRoleBinding}:         func() any { return new(rbacv1.RoleBinding) },
	{"rbac.authorization.k8s.io/v1beta1", hardening.KindClusterRoleBinding}:  func() any { return new(rbacv1.ClusterRoleBinding) },
	{"rbac.authorization.k8s.io/v1alpha1", hardening.KindRole}:               func() any { return new(rbacv1.Role) },
	{"rbac.authorization.k8s.io/v1alpha1", hardening.KindClusterRole}:        func() any { return new(rbacv1.ClusterRole) },
	{"rbac.authorization.k8s.io/v1alpha1", hardening.KindRoleBinding}:        func() any { return new(rbacv1.RoleBinding) },
	{"rbac.authorization.k8s.io/v1alpha1", hardening.KindClusterRoleBinding}: func() any { return new(rbacv1.ClusterRoleBinding) },

	{"networking.k8s.io/v1", hardening.KindNetworkPolicy}: func() any { return new(networkingv1.NetworkPolicy) },
	// extensions/v1beta1 NetworkPolicy has networking.k8s.io/v1's shape.
	{"extensions/v1beta1", hardening.KindNetworkPolicy}: func() any { return new(networkingv1.NetworkPolicy) },
}

// contextListKinds maps the typed lists of the context kinds (RoleList, …)
// to their items' kind, and kind: List to none.
var contextListKinds = func() map[gvk]gvk {
	m := map[gvk]gvk{{"v1", "List"}: {}}
	for k := range contextKinds {
		m[gvk{k.apiVersion, k.kind + "List"}] = k
	}
	return m
}()

// secretOverhead is about what a kept Secret costs besides its strings.
const secretOverhead = 64

// Cluster is the first phase of a run: it reads every input once and
// returns the objects around the workloads (namespaces, service accounts,
// roles and bindings, network policies, limit ranges, quotas, services and
// secrets by name and type), in input order. Workloads are recognised by
// a scan of each document's top-level apiVersion and kind and not
// decoded; images are not read. Nothing is reported: an input that cannot
// be read, or a context object that cannot be decoded, is reported by
// [Inputs.Stream], which reads everything again. The error is ctx's, if it
// ended.
func (in *Inputs) Cluster(ctx context.Context) (*hardening.Cluster, error) {
	// The walk lists the files; workers scan them, each file's objects
	// kept in its place.
	files := &fileList{}
	in.walker(ctx, files).walk(in.paths)
	found := make([][]hardening.ClusterObject, len(files.files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(in.opts.workers(), max(1, len(files.files))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				cs := &clusterScan{opts: &in.opts, ctx: ctx}
				cs.manifest(files.files[i].source, files.files[i].path)
				found[i] = cs.objects
			}
		}()
	}
	for i := range files.files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var objects []hardening.ClusterObject
	for _, objs := range found {
		objects = append(objects, objs...)
	}
	return hardening.NewCluster(objects), nil
}

// fileList lists the files of documents a walk finds.
type fileList struct {
	files []struct{ source, path string }
}

func (*fileList) sourceError(string, error)           {}
func (*fileList) skipped(hardening.Skipped)           {}
func (*fileList) image(source, p, ref string, _ bool) {}
func (l *fileList) manifest(source, path string) {
	l.files = append(l.files, struct{ source, path string }{source, path})
}

// clusterScan keeps the context objects of one file.
type clusterScan struct {
	opts    *Options
	ctx     context.Context
	objects []hardening.ClusterObject
}

func (cs *clusterScan) manifest(source, path string) {
	m, err := openManifest(path, cs.opts.MaxFileSize)
	if err != nil {
		return
	}
	defer m.Close()
	if isTar(m.head) || isGzip(m.head) {
		return
	}
	sc := newDocScanner(m.br, cs.opts.MaxDocumentSize+1, scanBufferSize)
	for i := 0; cs.ctx.Err() == nil; i++ {
		doc, line, ok, _ := sc.next()
		if !ok {
			return
		}
		cs.document(source, i, line, doc)
	}
}

// document keeps the context objects of one document.
func (cs *clusterScan) document(source string, index, line int, doc []byte) {
	if len(doc) > cs.opts.MaxDocumentSize {
		return
	}
	if h, ok := quickHeader(doc); ok {
		_, isContext := contextKinds[h]
		_, isList := contextListKinds[h]
		if !isContext && !isList {
			return // a workload, or something else phase 2 reports
		}
	}
	d := &decoder{opts: *cs.opts, source: source, index: index, line: line}
	js, err := d.toJSON(doc)
	if err != nil || js == nil {
		return
	}
	cs.value(source, index, line+1, js, "", gvk{})
}

// value keeps js if it is a context object, or the context objects of a
// List. item is a typed list's item kind, for items that leave it out.
func (cs *clusterScan) value(source string, index, line int, js []byte, path string, item gvk) {
	if len(js) == 0 || js[0] != '{' {
		return
	}
	var h header
	if unmarshalKube(js, &h) != nil {
		return
	}
	k := gvk{deref(h.APIVersion), deref(h.Kind)}
	if h.APIVersion == nil && h.Kind == nil {
		k = item
	}
	if newObject, ok := contextKinds[k]; ok {
		cs.object(source, index, line, js, path, k, newObject())
		return
	}
	itemKind, ok := contextListKinds[k]
	if !ok || path != "" { // Lists do not nest
		return
	}
	var l struct {
		Items []json.RawMessage `json:"items"`
	}
	if unmarshalKube(js, &l) != nil {
		return
	}
	for i, raw := range l.Items {
		cs.value(source, index, line, bytes.TrimSpace(raw), "items["+strconv.Itoa(i)+"]", itemKind)
	}
}

// object decodes and keeps one context object.
func (cs *clusterScan) object(source string, index, line int, js []byte, path string, k gvk, obj any) {
	if o, err := newClusterObject(source, index, line, js, path, k, obj); err == nil {
		cs.objects = append(cs.objects, o)
	}
}

// newClusterObject decodes js into obj, a new object of kind k, and
// returns it with where it was read. A Secret keeps its name and type
// only: the rest may hold the secret.
func newClusterObject(source string, index, line int, js []byte, path string, k gvk, obj any) (hardening.ClusterObject, error) {
	if err := unmarshalKube(js, obj); err != nil {
		return hardening.ClusterObject{}, err
	}
	o := hardening.ClusterObject{
		APIVersion: k.apiVersion, Kind: k.kind,
		Source: source, Document: index, Line: line, Path: path,
		Object: obj, Size: int64(len(js)),
	}
	if v, ok := obj.(*corev1.Secret); ok {
		kept := &corev1.Secret{Type: v.Type}
		kept.APIVersion, kept.Kind = k.apiVersion, k.kind
		kept.Name, kept.Namespace = v.Name, v.Namespace
		kept.Annotations = secretAnnotations(v.Annotations)
		o.Object = kept
		o.Size = secretOverhead + int64(len(v.Name)+len(v.Namespace)+len(v.Type)+len(k.apiVersion)+len(k.kind))
		for key, value := range kept.Annotations {
			o.Size += int64(len(key) + len(value))
		}
	}
	if meta, ok := obj.(interface {
		GetName() string
		GetNamespace() string
	}); ok {
		o.Name, o.Namespace = meta.GetName(), meta.GetNamespace()
	}
	return o, nil
}

// secretAnnotations returns the annotations of a Secret that are kept:
// the service account a token Secret is for, and bulwark's own
// suppressions. Others may repeat the data
// (kubectl.kubernetes.io/last-applied-configuration) and are dropped.
func secretAnnotations(all map[string]string) map[string]string {
	var kept map[string]string
	for key, value := range all {
		if key == corev1.ServiceAccountNameKey || key == hardening.SuppressionAnnotation || strings.HasPrefix(key, hardening.SuppressionPrefix) {
			if kept == nil {
				kept = map[string]string{}
			}
			kept[key] = value
		}
	}
	return kept
}

// ShareCluster gives every subject of r, read in one phase (by [Bytes]),
// the Cluster of the context objects among r's object subjects (the
// objects [Inputs.Cluster] keeps, read from the same input), and returns
// it. Tests and small tools that read one buffer use it to judge
// workloads with the objects beside them.
func ShareCluster(r *hardening.Result) *hardening.Cluster {
	var objects []hardening.ClusterObject
	for _, s := range r.Subjects {
		if o := s.Object; o != nil {
			if _, ok := contextKinds[gvk{o.APIVersion, o.Kind}]; ok {
				objects = append(objects, *o)
			}
		}
	}
	c := hardening.NewCluster(objects)
	for _, s := range r.Subjects {
		s.Cluster = c
	}
	return c
}

// objectSubjectKinds are the kinds the second phase audits as object
// subjects ([hardening.KindObject]): the context kinds, and ConfigMaps,
// which the Cluster does not keep (they can be large, and no check of
// another subject reads them) but whose own content is audited.
func objectSubjectKind(k gvk) (func() any, bool) {
	if newObject, ok := contextKinds[k]; ok {
		return newObject, true
	}
	if k == (gvk{"v1", "ConfigMap"}) {
		return func() any { return new(corev1.ConfigMap) }, true
	}
	return nil, false
}

// quickHeader reads the top-level apiVersion and kind of a YAML document
// without decoding it, for the first phase to pass over workloads
// cheaply. It answers only for the plain block mappings manifests are
// written in: every top-level key at column 0 with a plain key, apiVersion
// and kind each once with a plain value on their line. For anything else
// (JSON, flow style, quoted or complex keys, anchors on keys, merge keys,
// directives, a value that YAML 1.1 reads as a boolean or null, …) it
// reports false and the caller decodes the document. When it answers,
// the answer is what the decoder reads.
func quickHeader(doc []byte) (gvk, bool) {
	var h gvk
	var seenAPI, seenKind, seenContent bool
	// afterHeader is set on the line after apiVersion or kind: an
	// indented line there would continue its plain value.
	afterHeader := false
	for len(doc) > 0 {
		var line []byte
		if i := bytes.IndexByte(doc, '\n'); i >= 0 {
			line, doc = doc[:i], doc[i+1:]
		} else {
			line, doc = doc, nil
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimLeft(line, " \t")) == 0 {
			continue // blank
		}
		if afterHeader && (line[0] == ' ' || line[0] == '\t') {
			return h, false
		}
		afterHeader = false
		if line[0] == '#' {
			continue // a comment
		}
		if line[0] == ' ' || line[0] == '\t' {
			if !seenContent {
				return h, false // an indented top level
			}
			continue // inside a top-level value
		}
		seenContent = true
		key, value, ok := topLevelEntry(line)
		if !ok {
			return h, false
		}
		switch key {
		case "apiVersion", "kind":
			v, ok := plainValue(value)
			if !ok {
				return h, false
			}
			afterHeader = true
			if key == "kind" {
				if seenKind {
					return h, false
				}
				seenKind, h.kind = true, v
			} else {
				if seenAPI {
					return h, false
				}
				seenAPI, h.apiVersion = true, v
			}
		default:
			if !safeValue(value) {
				return h, false
			}
		}
	}
	return h, seenContent
}

// topLevelEntry splits "key: value" of a top-level line whose key is
// plain: letters, digits, '.', '_', '-' and '/', starting with a letter.
func topLevelEntry(line []byte) (key string, value []byte, ok bool) {
	i := 0
	for i < len(line) && keyChar(line[i], i == 0) {
		i++
	}
	if i == 0 || i >= len(line) || line[i] != ':' {
		return "", nil, false
	}
	if i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '\t' {
		return "", nil, false
	}
	return string(line[:i]), line[i+1:], true
}

func keyChar(b byte, first bool) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z':
		return true
	case first:
		return false
	case b >= '0' && b <= '9', b == '.', b == '_', b == '-', b == '/':
		return true
	}
	return false
}

// stripComment removes a trailing comment (" #…") and white space.
func stripComment(v []byte) []byte {
	for i := 0; i < len(v); i++ {
		if v[i] == '#' && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t') {
			v = v[:i]
			break
		}
	}
	return bytes.Trim(v, " \t")
}

// plainValue returns a value that YAML reads as the same string whatever
// the YAML version: a plain or simply quoted word of letters, digits, '.',
// '-' and '/' starting with a letter, not a YAML 1.1 boolean or null.
func plainValue(v []byte) (string, bool) {
	v = stripComment(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = v[1 : len(v)-1]
	}
	if len(v) == 0 || !(v[0] >= 'a' && v[0] <= 'z' || v[0] >= 'A' && v[0] <= 'Z') {
		return "", false
	}
	for _, b := range v {
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-' || b == '/') {
			return "", false
		}
	}
	switch string(bytes.ToLower(v)) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null":
		return "", false
	}
	return string(v), true
}

// safeValue reports whether the value of another top-level key cannot
// hide a top-level line: it is not a quoted or flow value left open on
// its line, nor an alias, anchor or tag (which may carry a merge).
func safeValue(v []byte) bool {
	v = bytes.TrimLeft(v, " \t")
	if len(v) == 0 {
		return true // a nested block, or empty
	}
	switch v[0] {
	case '"', '\'', '[', '{', '&', '*', '!', '%', '@', '`':
		return false
	}
	return true
}
