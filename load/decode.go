package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Bytes decodes the content of one source — a file, standard input, a
// request body — into a Result with Subjects, Errors and Skipped set
// (Findings is nil). source names the content in subjects and errors.
//
// data is split with [Documents]; every document is decoded on its own, so
// a bad document costs only itself. data larger than Options.MaxFileSize
// is one error with Document -1.
func Bytes(opts Options, source string, data []byte) *hardening.Result {
	opts = opts.withDefaults()
	r := &hardening.Result{}
	if int64(len(data)) > opts.MaxFileSize {
		r.Errors = append(r.Errors, &hardening.DocumentError{Source: source, Document: -1,
			Err: fmt.Errorf("%w: larger than the %d-byte limit (Options.MaxFileSize)", ErrTooLarge, opts.MaxFileSize)})
		return r
	}
	switch {
	case isTar(data):
		loadArchive(&opts, r, source, "", bytes.NewReader(data), int64(len(data)), false)
		return r
	case isGzip(data):
		r.Errors = append(r.Errors, &hardening.DocumentError{Source: source, Document: -1,
			Err: errors.New("gzip-compressed: decompress it first (an image archive is read as an uncompressed tar)")})
		return r
	}
	for i, doc := range Documents(data) {
		d := &decoder{opts: opts, source: source, index: i, r: r}
		// Documents returns subslices of data: the capacities tell where doc starts.
		d.line = bytes.Count(data[:cap(data)-cap(doc)], []byte("\n"))
		d.document(doc)
	}
	return r
}

// decoder decodes one document of a source into r.
type decoder struct {
	opts   Options
	source string
	index  int // 0-based document index
	line   int // lines in the source before the document
	r      *hardening.Result
}

func (d *decoder) fail(err error) {
	d.r.Errors = append(d.r.Errors, &hardening.DocumentError{Source: d.source, Document: d.index, Err: err})
}

func (d *decoder) skip(kind string) {
	d.r.Skipped = append(d.r.Skipped, hardening.Skipped{Source: d.source, Document: d.index, Kind: kind})
}

func (d *decoder) add(s *hardening.Subject) {
	s.Source, s.Document, s.Line = d.source, d.index, d.line+1
	d.r.Subjects = append(d.r.Subjects, s)
}

// document decodes one document. A panic in a decoder below is turned into
// an error for this document: the loader reads hostile input.
func (d *decoder) document(doc []byte) {
	defer func() {
		if v := recover(); v != nil {
			d.fail(fmt.Errorf("internal error: decoder panicked: %v", v))
		}
	}()
	js, err := d.toJSON(doc)
	if err != nil {
		d.fail(err)
		return
	}
	if js == nil {
		return // empty or comment-only document
	}
	d.value(js, "")
}

// ErrTooDeep is wrapped by the error for a document nested deeper than
// Options.MaxDepth.
var ErrTooDeep = errors.New("nested too deeply")

// ErrTooLarge is wrapped by the errors for a source or document over its
// size limit, and for YAML aliases that may expand past it.
var ErrTooLarge = errors.New("too large")

// toJSON checks doc against the limits and converts it to JSON. It returns
// nil for an empty document.
func (d *decoder) toJSON(doc []byte) ([]byte, error) {
	if len(doc) > d.opts.MaxDocumentSize {
		return nil, fmt.Errorf("%w: document is larger than the %d-byte limit (Options.MaxDocumentSize)", ErrTooLarge, d.opts.MaxDocumentSize)
	}
	if !utf8.Valid(doc) {
		return nil, errors.New("not valid UTF-8 (convert UTF-16 or other encodings to UTF-8)")
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(bytes.TrimLeft(doc, " \t\r\n"), []byte("\ufeff")), " \t\r\n")
	js := trimmed
	isJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	if isJSON {
		// Check the depth before anything else reads it.
		if depth := jsonDepth(trimmed, d.opts.MaxDepth); depth > d.opts.MaxDepth {
			return nil, d.tooDeep()
		}
		isJSON = json.Valid(trimmed)
	}
	if !isJSON {
		// Not JSON, so YAML (JSON is YAML, but the direct path is faster
		// and has nothing to expand).
		if depth := yamlFlowDepth(doc, d.opts.MaxDepth); depth > d.opts.MaxDepth {
			return nil, d.tooDeep()
		}
		if _, err := aliasExpansion(doc, int64(d.opts.MaxDocumentSize)); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrTooLarge, err)
		}
		var err error
		js, err = yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, d.yamlError(err)
		}
	}
	if bytes.Equal(js, []byte("null")) {
		return nil, nil
	}
	if depth := jsonDepth(js, d.opts.MaxDepth); depth > d.opts.MaxDepth {
		return nil, d.tooDeep()
	}
	return js, nil
}

func (d *decoder) tooDeep() error {
	return fmt.Errorf("%w: more than %d levels of maps and arrays (Options.MaxDepth)", ErrTooDeep, d.opts.MaxDepth)
}

var yamlLine = regexp.MustCompile(`^(?:error converting YAML to JSON: )?yaml: line (\d+):`)

// yamlError rewrites the line numbers of go-yaml's errors, which count
// from the start of the document, into 1-based lines of the source.
func (d *decoder) yamlError(err error) error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatchIndex(msg)
	if m == nil {
		return err
	}
	n, convErr := strconv.Atoi(msg[m[2]:m[3]])
	if convErr != nil {
		return err
	}
	rest := msg[m[1]:]
	if isParserError(strings.TrimSpace(rest)) {
		n++ // go-yaml v2 reports parser errors at the 0-based line
	}
	return fmt.Errorf("yaml: line %d:%s", n+d.line, rest)
}

// isParserError reports whether a go-yaml v2 message comes from its parser
// (not its scanner), whose line numbers it reports 0-based.
func isParserError(problem string) bool {
	for _, p := range []string{"did not find expected", "found undefined tag handle", "found duplicate %", "found incompatible YAML document"} {
		if strings.HasPrefix(problem, p) {
			return true
		}
	}
	return false
}

// present records whether a JSON key is present, without keeping its value.
type present bool

func (p *present) UnmarshalJSON([]byte) error { *p = true; return nil }

// header holds the keys that tell what a document is.
type header struct {
	APIVersion *string `json:"apiVersion"`
	Kind       *string `json:"kind"`

	OCIVersion present `json:"ociVersion"`
	Process    present `json:"process"`
	Root       present `json:"root"`
	Status     present `json:"status"`
	Bundle     present `json:"bundle"`

	RootFS *struct {
		Type    present `json:"type"`
		DiffIDs present `json:"diff_ids"`
	} `json:"rootfs"`
	Architecture present `json:"architecture"`
	OS           present `json:"os"`
	Config       present `json:"config"`

	SchemaVersion present `json:"schemaVersion"`
	Layers        present `json:"layers"`
	Manifests     present `json:"manifests"`
}

// unmarshalJSON decodes like runc, containerd and Docker decode OCI and
// image JSON: with encoding/json.
func unmarshalJSON(data []byte, v any) error { return json.Unmarshal(data, v) }

// unmarshalKube decodes like the Kubernetes API server: object keys are
// case-sensitive, so "HostPID" does not set hostPID.
func unmarshalKube(data []byte, v any) error { return kjson.Unmarshal(data, v) }

// value decodes one JSON value: a whole document, or an item of a List
// (prefix "items[3].").
func (d *decoder) value(js []byte, prefix string) {
	if len(js) == 0 || js[0] != '{' {
		d.failAt(prefix, fmt.Errorf("the top level is %s, not an object (want a Kubernetes object, an OCI runtime spec or an image config)", jsonType(js)))
		return
	}
	var h header
	if err := unmarshalKube(js, &h); err != nil {
		d.failAt(prefix, fmt.Errorf("reading apiVersion and kind: %w", err))
		return
	}
	switch {
	case h.APIVersion != nil || h.Kind != nil:
		apiVersion, kind := deref(h.APIVersion), deref(h.Kind)
		switch {
		case kind == "":
			d.failAt(prefix, fmt.Errorf("apiVersion %q without kind", apiVersion))
		case apiVersion == "":
			d.failAt(prefix, fmt.Errorf("kind %q without apiVersion", kind))
		default:
			d.kube(js, prefix, apiVersion, kind)
		}
	case prefix != "":
		d.failAt(prefix, errors.New("list item without apiVersion and kind"))
	case bool(h.OCIVersion) && !bool(h.Process) && !bool(h.Root) && (bool(h.Status) || bool(h.Bundle)):
		d.skip("OCI container state") // what a runtime passes to hooks
	case bool(h.OCIVersion):
		var spec runtimespec.Spec
		if err := unmarshalJSON(js, &spec); err != nil {
			d.fail(fmt.Errorf("OCI runtime spec: %w", err))
			return
		}
		d.add(&hardening.Subject{Name: d.fileName(), Kind: hardening.KindOCISpec, Spec: &spec})
	case h.RootFS != nil && (bool(h.RootFS.Type) || bool(h.RootFS.DiffIDs)),
		bool(h.Architecture) && bool(h.OS) && bool(h.Config):
		var img imagespec.Image
		if err := unmarshalJSON(js, &img); err != nil {
			d.fail(fmt.Errorf("image config: %w", err))
			return
		}
		d.add(&hardening.Subject{Name: d.fileName(), Kind: hardening.KindImage, Image: &img})
	case bool(h.SchemaVersion) && bool(h.Manifests):
		d.skip("OCI image index")
	case bool(h.SchemaVersion) && bool(h.Layers):
		d.skip("OCI image manifest")
	default:
		d.fail(errors.New("not a Kubernetes object (no apiVersion and kind), an OCI runtime spec (no ociVersion) or an image config (no rootfs, nor architecture, os and config)"))
	}
}

// failAt reports an error about a List item or a whole document.
func (d *decoder) failAt(prefix string, err error) {
	if prefix != "" {
		err = fmt.Errorf("%s: %w", prefix[:len(prefix)-1], err)
	}
	d.fail(err)
}

// fileName names a spec or image config subject: the source, with the
// document index when it is not the first.
func (d *decoder) fileName() string {
	if d.index == 0 {
		return d.source
	}
	return d.source + "#" + strconv.Itoa(d.index)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func jsonType(js []byte) string {
	if len(js) == 0 {
		return "empty"
	}
	switch js[0] {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}

// kind is a Kubernetes group/version and kind.
type kind struct{ apiVersion, kind string }

// listItemKinds maps the typed lists (PodList, DeploymentList, …) to the
// kind of their items, whose apiVersion and kind the API server omits.
var listItemKinds = map[kind]kind{
	{"v1", "PodList"}:                   {"v1", "Pod"},
	{"v1", "PodTemplateList"}:           {"v1", "PodTemplate"},
	{"v1", "ReplicationControllerList"}: {"v1", "ReplicationController"},
	{"apps/v1", "DeploymentList"}:       {"apps/v1", "Deployment"},
	{"apps/v1", "StatefulSetList"}:      {"apps/v1", "StatefulSet"},
	{"apps/v1", "DaemonSetList"}:        {"apps/v1", "DaemonSet"},
	{"apps/v1", "ReplicaSetList"}:       {"apps/v1", "ReplicaSet"},
	{"batch/v1", "JobList"}:             {"batch/v1", "Job"},
	{"batch/v1", "CronJobList"}:         {"batch/v1", "CronJob"},
}

// kube decodes a Kubernetes object.
func (d *decoder) kube(js []byte, prefix, apiVersion, k string) {
	failed := func(err error) {
		name := k
		var m struct {
			Metadata struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if unmarshalKube(js, &m) == nil {
			name = hardening.ObjectName(k, m.Metadata.Namespace, m.Metadata.Name)
		}
		d.failAt(prefix, fmt.Errorf("%s: %w", name, err))
	}
	switch (kind{apiVersion, k}) {
	case kind{"v1", "Pod"}:
		var o corev1.Pod
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.add(&hardening.Subject{
			Name:        hardening.ObjectName(k, o.Namespace, hardening.ObjectMetaName(o.Name, o.GenerateName)),
			Kind:        hardening.KindPod,
			Pod:         &o,
			PodSpecPath: prefix + "spec",
			PodMetaPath: prefix + "metadata",
		})
	case kind{"v1", "PodTemplate"}:
		var o corev1.PodTemplate
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Template, "template")
	case kind{"v1", "ReplicationController"}:
		var o corev1.ReplicationController
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		if o.Spec.Template == nil {
			failed(errors.New("spec.template is missing"))
			return
		}
		d.template(prefix, k, &o.ObjectMeta, o.Spec.Template, "spec.template")
	case kind{"apps/v1", "Deployment"}:
		var o appsv1.Deployment
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template")
	case kind{"apps/v1", "StatefulSet"}:
		var o appsv1.StatefulSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template")
	case kind{"apps/v1", "DaemonSet"}:
		var o appsv1.DaemonSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template")
	case kind{"apps/v1", "ReplicaSet"}:
		var o appsv1.ReplicaSet
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template")
	case kind{"batch/v1", "Job"}:
		var o batchv1.Job
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.Template, "spec.template")
	case kind{"batch/v1", "CronJob"}:
		var o batchv1.CronJob
		if err := unmarshalKube(js, &o); err != nil {
			failed(err)
			return
		}
		d.template(prefix, k, &o.ObjectMeta, &o.Spec.JobTemplate.Spec.Template, "spec.jobTemplate.spec.template")
	default:
		item, typed := listItemKinds[kind{apiVersion, k}]
		if k == "List" && apiVersion == "v1" || typed {
			d.list(js, prefix, item)
			return
		}
		d.skip(apiVersion + " " + k)
	}
}

// template lifts a workload's pod template into a Pod named after the
// workload.
func (d *decoder) template(prefix, k string, meta *metav1.ObjectMeta, t *corev1.PodTemplateSpec, at string) {
	pod := &corev1.Pod{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
		ObjectMeta: t.ObjectMeta,
		Spec:       t.Spec,
	}
	pod.Namespace, pod.Name = meta.Namespace, meta.Name
	d.add(&hardening.Subject{
		Name:                hardening.ObjectName(k, meta.Namespace, hardening.ObjectMetaName(meta.Name, meta.GenerateName)),
		Kind:                hardening.KindPod,
		Pod:                 pod,
		PodSpecPath:         prefix + at + ".spec",
		PodMetaPath:         prefix + at + ".metadata",
		WorkloadAnnotations: meta.Annotations,
		WorkloadMetaPath:    prefix + "metadata",
	})
}

// list decodes the items of a List one by one. item is the kind of a typed
// list's items (zero for kind: List), used when an item does not say.
func (d *decoder) list(js []byte, prefix string, item kind) {
	var l struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := unmarshalKube(js, &l); err != nil {
		d.failAt(prefix, fmt.Errorf("List: %w", err))
		return
	}
	for i, raw := range l.Items {
		p := prefix + "items[" + strconv.Itoa(i) + "]."
		raw = bytes.TrimSpace(raw)
		if item.kind != "" && len(raw) > 0 && raw[0] == '{' {
			var h header
			if err := unmarshalKube(raw, &h); err != nil {
				d.failAt(p, fmt.Errorf("reading apiVersion and kind: %w", err))
				continue
			}
			if h.APIVersion == nil && h.Kind == nil {
				d.kube(raw, p, item.apiVersion, item.kind)
				continue
			}
		}
		d.value(raw, p)
	}
}
