package fix

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	yaml "go.yaml.in/yaml/v3"
)

// Applied is what came of one edit.
type Applied struct {
	Edit hardening.Edit
	// Err says why the edit was not applied; nil when it was (or when the
	// document already said so).
	Err error
	// Note says what a reviewer should know about how it was applied (at
	// an anchor that several places share, on a de-aliased copy).
	Note string
}

// Apply applies edits to the document-th document of src, numbered as
// load.Documents numbers them, and returns src with that document changed
// and nothing else. A YAML document is edited in place: only the lines of
// the fields edited change, and comments, key order, quoting, anchors and
// the other documents stay as they were. A JSON document keeps its key
// order, its literals as written and its layout. Edits that cannot be
// applied are reported in their Applied, not as an error; err is for a
// document that cannot be read.
func Apply(src []byte, document int, edits []hardening.Edit) ([]byte, []Applied, error) {
	return apply(src, document, edits, nil)
}

// apply is Apply with the path prefixes the document's subjects read
// (see ydoc.live).
func apply(src []byte, document int, edits []hardening.Edit, live []string) ([]byte, []Applied, error) {
	docs := load.Documents(src)
	if document < 0 || document >= len(docs) {
		return nil, nil, fmt.Errorf("document %d: the source holds %d documents", document, len(docs))
	}
	doc := docs[document]
	start := cap(src) - cap(doc) // docs alias src
	if start < 0 || start+len(doc) > len(src) {
		return nil, nil, errors.New("internal error: a document outside its source")
	}
	edited, applied, err := editDocument(doc, edits, live, bytes.Count(src[:start], []byte("\n")))
	if err != nil {
		return nil, applied, err
	}
	out := make([]byte, 0, len(src)-len(doc)+len(edited))
	out = append(out, src[:start]...)
	out = append(out, edited...)
	out = append(out, src[start+len(doc):]...)
	return out, applied, nil
}

// editDocument applies edits to one document.
// lines is the number of lines of the source before the document, so that
// notes and errors name lines of the source.
func editDocument(doc []byte, edits []hardening.Edit, live []string, lines int) ([]byte, []Applied, error) {
	applied := make([]Applied, len(edits))
	for i, e := range edits {
		applied[i].Edit = e
	}
	if looksLikeJSON(doc) {
		if jd, err := newJSONDoc(doc); err == nil {
			jd.apply(applied)
			if !jd.changed {
				return doc, applied, nil
			}
			return jd.bytes(), applied, nil
		}
		// Not JSON after all (a YAML flow mapping): edit it as YAML.
	}
	yd, err := newYAMLDoc(doc)
	if err != nil {
		return nil, applied, err
	}
	yd.live, yd.lines = live, lines
	ys := make([]*yedit, len(edits))
	for i, e := range edits {
		ys[i] = &yedit{del: e.Delete}
		segs, err := parsePath(e.Path)
		if err != nil {
			ys[i].err = err
			continue
		}
		ys[i].segs = segs
		if !e.Delete {
			v, err := jsonValue(e.Value)
			if err != nil {
				ys[i].err = fmt.Errorf("value of %s: %w", e.Path, err)
				continue
			}
			ys[i].value = yamlNode(v)
		}
	}
	var todo []*yedit
	for _, y := range ys {
		if y.err == nil {
			todo = append(todo, y)
		}
	}
	yd.apply(todo)
	for i, y := range ys {
		applied[i].Err, applied[i].Note = y.err, y.note
	}
	out, err := yd.render()
	if err != nil {
		for i := range applied {
			if applied[i].Err == nil {
				applied[i].Err = err
			}
		}
		return doc, applied, nil
	}
	return out, applied, nil
}

// apply applies edits to a JSON document, deletes last (found before
// anything moves).
func (d *jsonDoc) apply(applied []Applied) {
	type del struct {
		i      int
		slot   jslot
		target *jnode
	}
	var dels []del
	segsOf := make([][]segment, len(applied))
	for i := range applied {
		segs, err := parsePath(applied[i].Edit.Path)
		if err != nil {
			applied[i].Err = err
			continue
		}
		segsOf[i] = segs
		if applied[i].Edit.Delete {
			slot, err := d.locate(segs)
			if err != nil {
				applied[i].Err = err
				continue
			}
			dels = append(dels, del{i, slot, slot.parent.items[slot.index]})
		}
	}
	for i := range applied {
		if applied[i].Err != nil || applied[i].Edit.Delete {
			continue
		}
		v, err := jsonValue(applied[i].Edit.Value)
		if err != nil {
			applied[i].Err = fmt.Errorf("value of %s: %w", applied[i].Edit.Path, err)
			continue
		}
		applied[i].Err = d.set(segsOf[i], v)
	}
	for _, dl := range dels {
		d.delete(dl.slot, dl.target)
	}
}

// yamlNode converts a JSON value to a new YAML node.
func yamlNode(n *jnode) *yaml.Node {
	switch n.kind {
	case '{':
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i, k := range n.keys {
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k.name}, yamlNode(n.items[i]))
		}
		return m
	case '[':
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range n.items {
			s.Content = append(s.Content, yamlNode(item))
		}
		return s
	}
	raw := string(n.raw)
	switch {
	case n.isString():
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n.str()}
	case raw == "true" || raw == "false":
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: raw}
	case raw == "null":
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	}
	if _, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: raw}
	}
	if _, err := strconv.ParseUint(raw, 10, 64); err == nil {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: raw}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: raw}
}
