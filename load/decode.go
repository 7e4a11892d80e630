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
	kjson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/yaml"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/yamljson"
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
	lines, counted := 0, 0 // newlines in data[:counted]
	for i, doc := range Documents(data) {
		d := &decoder{opts: opts, source: source, index: i, r: r}
		// Documents returns subslices of data: the capacities tell where
		// doc starts. Counting on from the previous document keeps a large
		// file linear.
		start := cap(data) - cap(doc)
		lines += bytes.Count(data[counted:start], []byte("\n"))
		counted = start
		d.line = lines
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
	// rendered is the file that rendered the document, from its
	// "# Source:" comment (see helmSource).
	rendered string
	r        *hardening.Result
	search   searchLimits // zero for defaultSearchLimits
}

// limits returns the bounds of the pod spec search in one object.
func (d *decoder) limits() searchLimits {
	if d.search == (searchLimits{}) {
		return defaultSearchLimits
	}
	return d.search
}

func (d *decoder) fail(err error) {
	d.r.Errors = append(d.r.Errors, &hardening.DocumentError{Source: d.source, Document: d.index, Err: err})
}

func (d *decoder) skip(s hardening.Skipped) {
	s.Source, s.Document, s.Template = d.source, d.index, d.rendered
	d.r.Skipped = append(d.r.Skipped, s)
}

func (d *decoder) add(s *hardening.Subject) {
	s.Source, s.Document, s.Line, s.Template = d.source, d.index, d.line+1, d.rendered
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
	d.rendered = helmSource(doc)
	d.value(js, "")
}

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
		// and has nothing to expand). Most manifests are in the plain
		// subset yamljson converts exactly as YAMLToJSON does, several
		// times faster, within the depth limit and with nothing to expand;
		// it declines the rest, which the general path converts or
		// refuses.
		if js, ok := yamljson.Convert(doc, d.opts.MaxDepth); ok {
			if bytes.Equal(js, []byte("null")) {
				return nil, nil
			}
			return js, nil
		}
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
		d.skip(hardening.Skipped{Kind: "OCI container state", Reason: "the state a runtime passes to hooks, not a runtime spec"})
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
		d.skip(hardening.Skipped{Kind: "OCI image index", Reason: "an index without its image: load the image layout or archive"})
	case bool(h.SchemaVersion) && bool(h.Layers):
		d.skip(hardening.Skipped{Kind: "OCI image manifest", Reason: "a manifest without its image: load the image layout or archive"})
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
