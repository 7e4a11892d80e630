package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// This file finds pod templates and pod specs in objects bulwark does not
// know, by their shape (see the package documentation, "Custom
// resources").

// hitKind says what the search found.
type hitKind uint8

const (
	// hitTemplate is an object whose spec is a pod spec: a pod template,
	// with its metadata beside the spec.
	hitTemplate hitKind = iota
	// hitSpec is a pod spec that is not a template's spec: the object's
	// own spec, or a pod spec under any other key.
	hitSpec
	// hitMiss is a field with containers that is not audited: a
	// containers value that is not a list of containers, or a lone
	// container outside any pod spec.
	hitMiss
)

// hit is one thing the search found in an object.
type hit struct {
	kind hitKind
	// path is the field path of the template or pod spec, or of the field
	// not audited, relative to the object.
	path string
	// start and end are the byte span, in the object's JSON, of the
	// template or pod spec, or of the object that holds a missed field.
	start, end int
	// reason says why a missed field is not audited.
	reason string
}

// searchLimits bounds the search in one object: values visited, and
// templates, pod specs and missed fields found.
type searchLimits struct{ nodes, hits int }

// defaultSearchLimits: a 2 MiB document holds at most about a million
// values; a real object holds a few pod templates.
var defaultSearchLimits = searchLimits{nodes: 1 << 20, hits: 1000}

// containersState is what an object's "containers" member holds.
type containersState uint8

const (
	containersNone    containersState = iota // no containers member
	containersEmpty                          // null or []
	containersValid                          // a list of containers: a pod spec
	containersInvalid                        // anything else
)

// frame is an object or array being read.
type frame struct {
	array   bool
	wantKey bool   // object: the next token is a key or the end
	key     string // object: the member whose value is being read
	index   int    // array: the element being read
	id      int    // object: its number, to recognise repeated keys
	start   int    // offset of the value's first byte

	// Facts about an object, from the last occurrence of each key, as the
	// API server decodes repeated keys.
	containers containersState
	why        string // why containers is invalid
	image      bool   // "image" is a string
	lone       bool   // "container" is an object with a string image
	specIsPod  bool   // "spec" is a pod spec

	// Facts about an array that is the value of a "containers" member.
	list bool   // it is such an array
	bad  string // the first element that is not a container, if any
	n    int    // its elements
}

// valueKind is the JSON type of a value, for the facts above.
type valueKind uint8

const (
	kindNull valueKind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

var valueKindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

// member identifies a key of one object.
type member struct {
	object int
	key    string
}

// searchPods walks the JSON object js once, without recursion, and
// returns the pod templates, pod specs and missed fields in it, in
// document order. A pod spec is an object whose "containers" member is a
// non-empty array of objects that each have a string "image"; it is a pod
// template's when it is the "spec" member of an object other than js
// itself. Nothing inside a template or pod spec is reported besides it,
// nor anything under the top-level "metadata" and "status" members.
func searchPods(js []byte, lim searchLimits) ([]hit, error) {
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var (
		stack []frame
		hits  []hit
		seen  = map[member]bool{}
		nodes int
		ids   int
	)
	tooMany := func() error {
		return fmt.Errorf("%w: more than %d pod templates, pod specs and containers outside them in one object", ErrTooLarge, lim.hits)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
			if key, ok := tok.(string); ok {
				top := &stack[n-1]
				top.key, top.wantKey = key, false
				m := member{top.id, key}
				if seen[m] {
					// A repeated key: the last value wins, so nothing found
					// in an earlier one counts.
					hits = dropUnder(hits, pathOf(stack))
				}
				seen[m] = true
				continue
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if nodes++; nodes > lim.nodes {
				return nil, fmt.Errorf("%w: more than %d values to search for pod specs", ErrTooLarge, lim.nodes)
			}
			f := frame{array: tok == json.Delim('['), start: int(dec.InputOffset()) - 1}
			if f.array {
				n := len(stack)
				f.list = n > 0 && !stack[n-1].array && stack[n-1].key == "containers"
			} else {
				ids++
				f.id, f.wantKey = ids, true
			}
			stack = append(stack, f)
		case json.Delim('}'), json.Delim(']'):
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			kind := kindArray
			if !f.array {
				kind = kindObject
				hits = closeObject(hits, stack, &f, int(dec.InputOffset()))
				if len(hits) > lim.hits {
					return nil, tooMany()
				}
			}
			finish(stack, kind, &f)
		default:
			if nodes++; nodes > lim.nodes {
				return nil, fmt.Errorf("%w: more than %d values to search for pod specs", ErrTooLarge, lim.nodes)
			}
			kind := kindNull
			switch tok.(type) {
			case bool:
				kind = kindBool
			case json.Number:
				kind = kindNumber
			case string:
				kind = kindString
			}
			finish(stack, kind, nil)
		}
	}
	if len(stack) != 0 {
		return nil, errors.New("unexpected end of JSON")
	}
	return settle(hits), nil
}

// closeObject records what the object f, just read, is: parents is the
// stack above it and end the offset after it.
func closeObject(hits []hit, parents []frame, f *frame, end int) []hit {
	root := len(parents) == 0
	var p string
	if !root {
		p = pathOf(parents)
	}
	if f.containers == containersInvalid {
		hits = append(hits, hit{kind: hitMiss, path: join(p, "containers"), start: f.start, end: end,
			reason: "containers that are not a pod's list of containers: " + f.why})
	}
	if f.lone {
		hits = append(hits, hit{kind: hitMiss, path: join(p, "container"), start: f.start, end: end,
			reason: "a lone container, outside any pod spec"})
	}
	n := len(parents)
	switch {
	case f.containers == containersValid && root:
		hits = append(hits, hit{kind: hitMiss, path: "containers", start: f.start, end: end,
			reason: "containers at the top level of the object, outside any pod spec"})
	case f.containers == containersValid && n >= 2 && !parents[n-1].array && parents[n-1].key == "spec":
		// A template's spec: the template is recorded when it closes.
	case f.containers == containersValid:
		hits = append(hits, hit{kind: hitSpec, path: p, start: f.start, end: end})
	case f.specIsPod && !root:
		// An object with containers of its own is a pod spec, whatever its
		// spec holds.
		hits = append(hits, hit{kind: hitTemplate, path: p, start: f.start, end: end})
	}
	return hits
}

// finish records the value just read (of kind, the frame f when it is an
// object or array) in its parent, the top of stack.
func finish(stack []frame, kind valueKind, f *frame) {
	n := len(stack)
	if n == 0 {
		return
	}
	par := &stack[n-1]
	if par.array {
		if par.list && par.bad == "" {
			switch {
			case kind != kindObject:
				par.bad = "element " + strconv.Itoa(par.index) + " is " + valueKindNames[kind]
			case !f.image:
				par.bad = "element " + strconv.Itoa(par.index) + " has no image"
			}
		}
		par.n++
		par.index++
		return
	}
	par.wantKey = true
	switch par.key {
	case "containers":
		switch {
		case kind == kindNull || kind == kindArray && f.n == 0:
			par.containers = containersEmpty
		case kind == kindArray && f.bad == "":
			par.containers = containersValid
		case kind == kindArray:
			par.containers, par.why = containersInvalid, f.bad
		default:
			par.containers, par.why = containersInvalid, "it is "+valueKindNames[kind]
		}
	case "image":
		par.image = kind == kindString
	case "container":
		par.lone = kind == kindObject && f.image
	case "spec":
		par.specIsPod = kind == kindObject && f.containers == containersValid
	}
}

// settle drops what lies inside a template or pod spec (it belongs to it)
// or under the top-level metadata and status, and sorts the rest in
// document order.
func settle(hits []hit) []hit {
	var out []hit
	for _, h := range hits {
		if under(h.path, "metadata") || under(h.path, "status") {
			continue
		}
		inside := false
		for _, c := range hits {
			if c.kind != hitMiss && c != h && c.start <= h.start && h.end <= c.end && (h.kind == hitMiss || c.start != h.start) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, h)
		}
	}
	slices.SortStableFunc(out, func(a, b hit) int { return a.start - b.start })
	return out
}

// dropUnder removes the hits at p or below it.
func dropUnder(hits []hit, p string) []hit {
	return slices.DeleteFunc(hits, func(h hit) bool { return under(h.path, p) })
}

// under reports whether path is p or lies below it.
func under(path, p string) bool {
	if !strings.HasPrefix(path, p) {
		return false
	}
	rest := path[len(p):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// pathOf renders the field path of the value being read in the innermost
// frame of stack: "spec.templates[2].containerSet".
func pathOf(stack []frame) string {
	var p string
	for _, f := range stack {
		if f.array {
			p += "[" + strconv.Itoa(f.index) + "]"
		} else {
			p = join(p, f.key)
		}
	}
	return p
}

// join appends a key to a path: after a dot when it is an identifier, in
// brackets otherwise, as annotation keys are written.
func join(path, key string) string {
	switch {
	case !isIdentifier(key):
		return path + "[" + key + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

// isIdentifier reports whether a key can be written after a dot in a field
// path; other keys are written in brackets, as annotation keys are.
func isIdentifier(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || i > 0 && (c >= '0' && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}
