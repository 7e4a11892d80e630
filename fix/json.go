package fix

// A small order-preserving JSON editor. encoding/json forgets key order
// and re-spells strings (it escapes <, > and & in them); a spec written by
// runc, crun, Docker or containerd must come back byte for byte where the
// fix did not touch it. The document is parsed into a tree that keeps
// every value's text, the members of objects in order and the white space
// between them; edits mark what they change, and the document is written
// again from the original text of every part that did not change and, for
// the parts that did, in the layout around them (the indent unit, the
// spacing after colons). TestJSONRoundTrip checks that every JSON file of
// the repository's test data comes back unchanged.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jnode is a JSON value. Literals (strings with their quotes, numbers,
// true, false, null) keep their text.
type jnode struct {
	kind  byte // '{', '[', or 0 for a literal
	raw   []byte
	keys  []jkey
	items []*jnode // members' values of an object, items of an array

	// From the source, for a value that was parsed: its text, the white
	// space before it (before its key, in an object), the text between
	// its key and it (the colon), and in a collection the white space
	// before the closing bracket. depth is its nesting.
	orig, pre, colon, tail []byte
	depth, origItems       int
	// dirty is set when the value itself changed: a literal replaced,
	// members or items added or removed.
	dirty bool
}

type jkey struct {
	raw  []byte // as written, quotes included
	name string
}

// isString reports whether n is a string literal.
func (n *jnode) isString() bool { return n.kind == 0 && len(n.raw) > 0 && n.raw[0] == '"' }

// str returns the value of a string literal.
func (n *jnode) str() string {
	var s string
	if json.Unmarshal(n.raw, &s) != nil {
		return ""
	}
	return s
}

func (n *jnode) member(name string) (int, bool) {
	for i, k := range n.keys {
		if k.name == name {
			return i, true
		}
	}
	return -1, false
}

// jsonStyle is the layout a document was written in.
type jsonStyle struct {
	indent string // one level; "" for a document on one line
	colon  string // between a key and its value: ": " or ":"
	comma  string // after a comma on one line: "" or " "
	nl     string // "\n" or "\r\n"
}

type jparser struct {
	data []byte
	pos  int
	// style, learned from the first object member and the first line
	// break met
	style     jsonStyle
	sawColon  bool
	sawIndent bool
	depth     int
}

const maxJSONDepth = 200

// parseJSON parses a JSON document (after leading white space) and
// returns its root, the white space around it and the layout it was
// written in.
func parseJSON(data []byte) (root *jnode, lead, trail []byte, style jsonStyle, err error) {
	p := &jparser{data: data, style: jsonStyle{colon: ": ", nl: "\n"}}
	p.skipSpace()
	lead = data[:p.pos]
	root, err = p.value()
	if err != nil {
		return nil, nil, nil, style, err
	}
	end := p.pos
	p.skipSpace()
	if p.pos != len(data) {
		return nil, nil, nil, style, fmt.Errorf("JSON: content after the value at offset %d", p.pos)
	}
	trail = data[end:]
	if bytes.Contains(data, []byte("\r\n")) {
		p.style.nl = "\r\n"
	}
	return root, lead, trail, p.style, nil
}

func (p *jparser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// learnIndent records the indent unit from the white space before the
// first member or item of the outermost collection that has one.
func (p *jparser) learnIndent(start int) {
	if p.sawIndent {
		return
	}
	ws := p.data[start:p.pos]
	i := bytes.LastIndexByte(ws, '\n')
	if i < 0 {
		if p.depth == 1 {
			p.sawIndent = true // one line: compact
		}
		return
	}
	p.sawIndent = true
	unit := string(ws[i+1:])
	if p.depth > 0 && len(unit)%p.depth == 0 {
		unit = unit[:len(unit)/p.depth]
	}
	p.style.indent = unit
}

func (p *jparser) value() (*jnode, error) {
	start := p.pos
	n, err := p.value1()
	if err != nil {
		return nil, err
	}
	n.orig, n.depth, n.origItems = p.data[start:p.pos], p.depth+1, len(n.items)
	return n, nil
}

func (p *jparser) value1() (*jnode, error) {
	if p.pos >= len(p.data) {
		return nil, fmt.Errorf("JSON: unexpected end")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		start := p.pos
		if err := p.skipString(); err != nil {
			return nil, err
		}
		return &jnode{raw: p.data[start:p.pos]}, nil
	default:
		start := p.pos
		for p.pos < len(p.data) && strings.IndexByte(",}] \t\r\n", p.data[p.pos]) < 0 {
			p.pos++
		}
		raw := p.data[start:p.pos]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("JSON: invalid literal %q at offset %d", truncate(raw), start)
		}
		return &jnode{raw: raw}, nil
	}
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

func (p *jparser) skipString() error {
	start := p.pos
	p.pos++
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case '\\':
			p.pos += 2
			continue
		case '"':
			p.pos++
			if !json.Valid(p.data[start:p.pos]) {
				return fmt.Errorf("JSON: invalid string at offset %d", start)
			}
			return nil
		}
		p.pos++
	}
	return fmt.Errorf("JSON: unterminated string at offset %d", start)
}

func (p *jparser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return fmt.Errorf("JSON: nested deeper than %d", maxJSONDepth)
	}
	return nil
}

func (p *jparser) object() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := &jnode{kind: '{'}
	p.pos++
	for first := true; ; first = false {
		ws := p.pos
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, fmt.Errorf("JSON: unterminated object")
		}
		if p.data[p.pos] == '}' {
			n.tail = p.data[ws:p.pos]
			p.pos++
			return n, nil
		}
		if !first {
			if p.data[p.pos] != ',' {
				return nil, fmt.Errorf("JSON: want , or } at offset %d", p.pos)
			}
			p.pos++
			ws = p.pos
			p.skipSpace()
			if !p.sawIndent && p.style.indent == "" && p.pos > ws && !bytes.ContainsAny(p.data[ws:p.pos], "\n") {
				p.style.comma = string(p.data[ws:p.pos])
			}
		} else {
			p.learnIndent(ws)
		}
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, fmt.Errorf("JSON: want a key at offset %d", p.pos)
		}
		pre := p.data[ws:p.pos]
		ks := p.pos
		if err := p.skipString(); err != nil {
			return nil, err
		}
		k := jkey{raw: p.data[ks:p.pos]}
		if err := json.Unmarshal(k.raw, &k.name); err != nil {
			return nil, err
		}
		cs := p.pos
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, fmt.Errorf("JSON: want : at offset %d", p.pos)
		}
		p.pos++
		p.skipSpace()
		if !p.sawColon {
			p.sawColon = true
			p.style.colon = strings.Map(func(r rune) rune {
				if r == '\n' || r == '\r' || r == '\t' {
					return -1
				}
				return r
			}, string(p.data[cs:p.pos]))
		}
		colon := p.data[cs:p.pos]
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		v.pre, v.colon = pre, colon
		n.keys = append(n.keys, k)
		n.items = append(n.items, v)
	}
}

func (p *jparser) array() (*jnode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := &jnode{kind: '['}
	p.pos++
	for first := true; ; first = false {
		ws := p.pos
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, fmt.Errorf("JSON: unterminated array")
		}
		if p.data[p.pos] == ']' {
			n.tail = p.data[ws:p.pos]
			p.pos++
			return n, nil
		}
		if !first {
			if p.data[p.pos] != ',' {
				return nil, fmt.Errorf("JSON: want , or ] at offset %d", p.pos)
			}
			p.pos++
			ws = p.pos
			p.skipSpace()
		} else {
			p.learnIndent(ws)
		}
		pre := p.data[ws:p.pos]
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		v.pre = pre
		n.items = append(n.items, v)
	}
}

// touched reports whether n or anything in it changed since parsing.
func (n *jnode) touched() bool {
	if n.orig == nil || n.dirty {
		return true
	}
	for _, c := range n.items {
		if c.touched() {
			return true
		}
	}
	return false
}

// write renders n at depth: what did not change as it was written, the
// rest in the layout around it.
func (st jsonStyle) write(b *bytes.Buffer, n *jnode, depth int) {
	if !n.touched() {
		b.Write(n.orig)
		return
	}
	if n.orig != nil {
		depth = n.depth - 1
	}
	if n.kind == 0 {
		b.Write(n.raw)
		return
	}
	open, close := byte('{'), byte('}')
	if n.kind == '[' {
		open, close = '[', ']'
	}
	b.WriteByte(open)
	if len(n.items) == 0 {
		if n.orig != nil && n.origItems == 0 {
			b.Write(n.tail)
		}
		b.WriteByte(close)
		return
	}
	nl := func(p []byte) bool { return bytes.IndexByte(p, '\n') >= 0 }
	// The white space before a new item: a sibling's, or the layout's.
	var sep []byte
	for i, c := range n.items {
		if i > 0 && c.pre != nil {
			sep = c.pre
		}
	}
	switch {
	case sep != nil:
	case n.items[0].pre != nil && nl(n.items[0].pre):
		sep = n.items[0].pre
	case st.indent != "" && (n.orig == nil || n.origItems == 0 || nl(n.tail)):
		sep = []byte(st.nl + strings.Repeat(st.indent, depth+1))
	case st.indent != "":
		sep = []byte(" ") // a one-line collection in an indented document
	default:
		sep = []byte(st.comma)
	}
	for i, item := range n.items {
		if i > 0 {
			b.WriteByte(',')
		}
		switch {
		case item.pre != nil:
			b.Write(item.pre)
		case i > 0 || nl(sep):
			b.Write(sep)
		}
		if n.kind == '{' {
			b.Write(n.keys[i].raw)
			if item.colon != nil {
				b.Write(item.colon)
			} else {
				b.WriteString(st.colon)
			}
		}
		st.write(b, item, depth+1)
	}
	switch {
	case n.orig != nil && n.origItems > 0:
		b.Write(n.tail)
	case nl(sep):
		b.WriteString(st.nl + strings.Repeat(st.indent, depth))
	}
	b.WriteByte(close)
}

// jsonValue turns an Edit's value into a jnode, as encoding/json marshals
// it (without escaping <, > and &).
func jsonValue(v any) (*jnode, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	root, _, _, _, err := parseJSON(bytes.TrimSpace(b.Bytes()))
	if err != nil {
		return nil, err
	}
	fresh(root)
	return root, nil
}

// fresh marks a value as new: it has no source text to keep.
func fresh(n *jnode) {
	n.orig, n.pre, n.colon, n.tail, n.depth, n.origItems = nil, nil, nil, nil, 0, 0
	for _, c := range n.items {
		fresh(c)
	}
}

// jsonString returns the JSON literal of s.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return bytes.TrimSpace(b.Bytes())
}

// jequal reports whether two JSON values are equal as data.
func jequal(a, b *jnode) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case 0:
		if bytes.Equal(a.raw, b.raw) {
			return true
		}
		if a.isString() && b.isString() {
			return a.str() == b.str()
		}
		fa, erra := strconv.ParseFloat(string(a.raw), 64)
		fb, errb := strconv.ParseFloat(string(b.raw), 64)
		return erra == nil && errb == nil && fa == fb
	case '[':
		if len(a.items) != len(b.items) {
			return false
		}
		for i := range a.items {
			if !jequal(a.items[i], b.items[i]) {
				return false
			}
		}
		return true
	}
	if len(a.keys) != len(b.keys) {
		return false
	}
	for i, k := range a.keys {
		j, ok := b.member(k.name)
		if !ok || !jequal(a.items[i], b.items[j]) {
			return false
		}
	}
	return true
}

// jsonDoc is a JSON document being edited.
type jsonDoc struct {
	root        *jnode
	lead, trail []byte
	style       jsonStyle
	changed     bool
}

func newJSONDoc(data []byte) (*jsonDoc, error) {
	root, lead, trail, style, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	return &jsonDoc{root: root, lead: lead, trail: trail, style: style}, nil
}

func (d *jsonDoc) bytes() []byte {
	var b bytes.Buffer
	b.Write(d.lead)
	d.style.write(&b, d.root, 0)
	b.Write(d.trail)
	return b.Bytes()
}

// jslot is where a value sits: its container and index in items.
type jslot struct {
	parent *jnode
	index  int
}

// locate walks segs from the root and returns the slot of the value they
// name, or an error when a step does not exist.
func (d *jsonDoc) locate(segs []segment) (jslot, error) {
	var slot jslot
	cur := d.root
	for i, s := range segs {
		switch {
		case cur.kind == '{' && !s.isIndex:
			j, ok := cur.member(s.key)
			if !ok {
				return jslot{}, fmt.Errorf("%s does not exist", joinPath(segs[:i+1]))
			}
			slot = jslot{cur, j}
		case cur.kind == '[' && s.isIndex:
			if s.index >= len(cur.items) {
				return jslot{}, fmt.Errorf("%s does not exist", joinPath(segs[:i+1]))
			}
			slot = jslot{cur, s.index}
		default:
			return jslot{}, fmt.Errorf("%s is not a %s", joinPath(segs[:i]), map[bool]string{true: "list", false: "mapping"}[s.isIndex])
		}
		cur = slot.parent.items[slot.index]
	}
	return slot, nil
}

// set makes the value at segs equal v, creating missing objects on the
// way; an index one past the end of an array appends.
func (d *jsonDoc) set(segs []segment, v *jnode) error {
	cur := d.root
	for i, s := range segs {
		last := i == len(segs)-1
		if cur.kind == 0 && string(cur.raw) == "null" {
			// A null on the way becomes the collection the path needs.
			if s.isIndex {
				cur.kind, cur.raw = '[', nil
			} else {
				cur.kind, cur.raw = '{', nil
			}
			cur.dirty, cur.origItems = true, 0
			d.changed = true
		}
		var next *jnode
		switch {
		case cur.kind == '{' && !s.isIndex:
			j, ok := cur.member(s.key)
			if !ok {
				next = v
				if !last {
					next = newCollection(segs[i+1])
				}
				cur.keys = append(cur.keys, jkey{raw: jsonString(s.key), name: s.key})
				cur.items = append(cur.items, next)
				cur.dirty, d.changed = true, true
				if last {
					return nil
				}
			} else if last {
				d.merge(cur, j, v)
				return nil
			} else {
				next = cur.items[j]
			}
		case cur.kind == '[' && s.isIndex:
			switch {
			case s.index < len(cur.items):
				if last {
					d.merge(cur, s.index, v)
					return nil
				}
				next = cur.items[s.index]
			case s.index == len(cur.items):
				next = v
				if !last {
					next = newCollection(segs[i+1])
				}
				cur.items = append(cur.items, next)
				cur.dirty, d.changed = true, true
				if last {
					return nil
				}
			default:
				return fmt.Errorf("%s: index past the end of the list (%d items)", joinPath(segs[:i+1]), len(cur.items))
			}
		default:
			return fmt.Errorf("%s is not a %s", joinPath(segs[:i]), map[bool]string{true: "list", false: "mapping"}[s.isIndex])
		}
		cur = next
	}
	return nil
}

func newCollection(next segment) *jnode {
	if next.isIndex {
		return &jnode{kind: '['}
	}
	return &jnode{kind: '{'}
}

// merge makes parent.items[i] equal v, keeping what is equal already:
// objects member by member (members v lacks are deleted, new ones
// appended), arrays by keeping the items equal to one of v's in order and
// appending the rest.
func (d *jsonDoc) merge(parent *jnode, i int, v *jnode) {
	cur := parent.items[i]
	switch {
	case jequal(cur, v):
		return
	case cur.kind == '{' && v.kind == '{':
		var keys []jkey
		var items []*jnode
		for j, k := range cur.keys {
			if _, ok := v.member(k.name); ok {
				keys, items = append(keys, k), append(items, cur.items[j])
			}
		}
		cur.keys, cur.items = keys, items
		for j, k := range v.keys {
			if at, ok := cur.member(k.name); ok {
				d.merge(cur, at, v.items[j])
			} else {
				cur.keys = append(cur.keys, k)
				cur.items = append(cur.items, v.items[j])
			}
		}
	case cur.kind == '[' && v.kind == '[':
		keep, add := listMerge(len(cur.items), len(v.items), func(a, b int) bool { return jequal(cur.items[a], v.items[b]) })
		var items []*jnode
		for j, k := range keep {
			if k {
				items = append(items, cur.items[j])
			}
		}
		for _, j := range add {
			items = append(items, v.items[j])
		}
		cur.items = items
	default:
		v.pre, v.colon = cur.pre, cur.colon
		parent.items[i] = v
	}
	cur.dirty, d.changed = true, true
}

// delete removes the value in slot.
func (d *jsonDoc) delete(slot jslot, target *jnode) {
	p := slot.parent
	for j, item := range p.items {
		if item != target {
			continue
		}
		p.items = append(p.items[:j:j], p.items[j+1:]...)
		if p.kind == '{' {
			p.keys = append(p.keys[:j:j], p.keys[j+1:]...)
		}
		p.dirty, d.changed = true, true
		return
	}
}

// listMerge pairs the items of an old list (n) with those of a new one (m)
// by a longest common subsequence under eq, and returns which old items to
// keep and the indices of new items to append after them.
func listMerge(n, m int, eq func(a, b int) bool) (keep []bool, add []int) {
	// lcs[i][j] is the length of the LCS of old[i:] and new[j:].
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if eq(i, j) {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	keep = make([]bool, n)
	matched := make([]bool, m)
	for i, j := 0, 0; i < n && j < m; {
		switch {
		case eq(i, j):
			keep[i], matched[j] = true, true
			i++
			j++
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	for j := range m {
		if !matched[j] {
			add = append(add, j)
		}
	}
	return keep, add
}

// looksLikeJSON reports whether a document is a JSON text: its first
// character other than white space opens an object or an array.
func looksLikeJSON(doc []byte) bool {
	doc = bytes.TrimPrefix(doc, []byte("\ufeff"))
	for len(doc) > 0 {
		r, size := utf8.DecodeRune(doc)
		switch r {
		case ' ', '\t', '\r', '\n':
			doc = doc[size:]
			continue
		case '{', '[':
			return true
		}
		return false
	}
	return false
}
