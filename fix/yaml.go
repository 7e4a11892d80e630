package fix

// The YAML editor. A document is parsed into a go.yaml.in/yaml/v3 node
// tree (the library sigs.k8s.io/yaml ships, which load uses for
// positions), the edits are applied to the tree, and the tree is compared
// with a snapshot of itself taken when it was parsed: each difference
// becomes a patch of the source text at the positions the parser
// recorded. Re-encoding the whole tree instead would lose blank lines,
// re-indent sequences and move comments; patching changes only the lines
// of the fields edited, and leaves comments, key order, quoting, anchors
// and the other documents of the file as they were.
//
// What a difference becomes:
//
//   - a scalar whose value changed: its token is replaced on its line,
//     keeping its quotes when it stays a string;
//   - entries added to a block mapping or items to a block sequence: lines
//     inserted after its last line, at its indentation;
//   - an entry or item removed: its lines are removed;
//   - a flow collection ({…}, […]) that changed: written again in flow
//     style in its place;
//   - a value replaced by one of another kind (null by a mapping): the old
//     token or lines go, the new value is written in their place.
//
// An edit below an anchor that aliases share would change every place
// that shares it. The editor does so only when every place that matters
// gets the same edit (then the anchor is edited once, and the fix says
// so); an edit that reaches shared content through an alias de-aliases
// that one alias (it becomes a copy, edited); an edit of the anchor's own
// place that its aliases do not share is refused, with the reason.

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// ydoc is one YAML document being edited.
type ydoc struct {
	src       []byte
	lineStart []int // byte offset of each line; lineStart[0] is line 1
	nl        string
	step      int  // indentation of a nested mapping
	compact   bool // block sequences in mappings are not indented
	root      *yaml.Node

	orig    map[*yaml.Node]origNode
	parent  map[*yaml.Node]*yaml.Node // original parent of each original node
	paths   map[*yaml.Node]string     // original path of each original node
	aliases map[*yaml.Node][]*yaml.Node
	// replaced maps a new node to the original one it replaced.
	replaced map[*yaml.Node]*yaml.Node

	// lines is the number of lines before the document in its source.
	lines int

	// live are the path prefixes of the document that subjects read; a
	// place outside them (a top-level x-defaults: &d) is inert. Empty
	// means everything is live.
	live []string
}

// origNode is the snapshot of a node as parsed.
type origNode struct {
	kind    yaml.Kind
	isKey   bool
	content []*yaml.Node
	value   string
	tag     string
	style   yaml.Style
}

func newYAMLDoc(src []byte) (*ydoc, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, errors.New("empty document")
	}
	d := &ydoc{
		src: src, nl: "\n", step: 2, root: doc.Content[0],
		orig: map[*yaml.Node]origNode{}, parent: map[*yaml.Node]*yaml.Node{},
		paths: map[*yaml.Node]string{}, aliases: map[*yaml.Node][]*yaml.Node{},
		replaced: map[*yaml.Node]*yaml.Node{},
	}
	if bytes.Contains(src, []byte("\r\n")) {
		d.nl = "\r\n"
	}
	d.lineStart = append(d.lineStart, 0)
	for i, b := range src {
		if b == '\n' && i+1 < len(src) {
			d.lineStart = append(d.lineStart, i+1)
		}
	}
	stepFound, seqFound := false, false
	var walk func(n, parent *yaml.Node, path string, isKey bool)
	walk = func(n, parent *yaml.Node, path string, isKey bool) {
		d.orig[n] = origNode{kind: n.Kind, isKey: isKey, content: append([]*yaml.Node(nil), n.Content...), value: n.Value, tag: n.Tag, style: n.Style}
		d.parent[n] = parent
		d.paths[n] = path
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			d.aliases[n.Alias] = append(d.aliases[n.Alias], n)
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if n.Style&yaml.FlowStyle == 0 && v.Style&yaml.FlowStyle == 0 && v.Line > k.Line {
					switch {
					case v.Kind == yaml.MappingNode && !stepFound && v.Column > k.Column:
						d.step, stepFound = v.Column-k.Column, true
					case v.Kind == yaml.SequenceNode && !seqFound:
						d.compact, seqFound = v.Column == k.Column, true
					}
				}
				walk(k, n, path, true)
				walk(v, n, joinKey(path, k.Value), false)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, n, path+"["+strconv.Itoa(i)+"]", false)
			}
		}
	}
	walk(d.root, nil, "", false)
	return d, nil
}

func joinKey(path, key string) string {
	switch {
	case strings.ContainsAny(key, ".[]"):
		return path + "[" + key + "]"
	case path == "":
		return key
	}
	return path + "." + key
}

func (d *ydoc) isOrig(n *yaml.Node) bool { _, ok := d.orig[n]; return ok }

// isLive reports whether path lies in a part of the document a subject
// reads.
func (d *ydoc) isLive(path string) bool {
	if len(d.live) == 0 {
		return true
	}
	for _, p := range d.live {
		if p == "" || path == p || strings.HasPrefix(path, p) && (path[len(p)] == '.' || path[len(p)] == '[') {
			return true
		}
	}
	return false
}

// --- positions ----------------------------------------------------------

// offset returns the byte offset of a 1-based line and column (columns
// count characters).
func (d *ydoc) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(d.lineStart) {
		return len(d.src)
	}
	off := d.lineStart[line-1]
	for c := 1; c < col && off < len(d.src) && d.src[off] != '\n'; c++ {
		_, size := utf8.DecodeRune(d.src[off:])
		off += size
	}
	return off
}

// lineOf returns the 1-based line of a byte offset.
func (d *ydoc) lineOf(off int) int {
	lo, hi := 0, len(d.lineStart)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lineStart[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1
}

// lineEnd returns the offset of the end of line (before its newline).
func (d *ydoc) lineEnd(line int) int {
	end := len(d.src)
	if line < len(d.lineStart) {
		end = d.lineStart[line]
	}
	if end > 0 && d.src[end-1] == '\n' {
		end--
	}
	if end > 0 && d.src[end-1] == '\r' {
		end--
	}
	return end
}

// nextLine returns the offset of the start of the line after line, or the
// end of the document.
func (d *ydoc) nextLine(line int) int {
	if line < len(d.lineStart) {
		return d.lineStart[line]
	}
	return len(d.src)
}

// indentOf returns the number of spaces that start line.
func (d *ydoc) indentOf(line int) int {
	off := d.offset(line, 1)
	n := 0
	for off+n < len(d.src) && d.src[off+n] == ' ' {
		n++
	}
	return n
}

// lineText returns line without its newline.
func (d *ydoc) lineText(line int) string {
	return string(d.src[d.offset(line, 1):d.lineEnd(line)])
}

// blankOrComment reports whether line holds only spaces or a comment.
func (d *ydoc) blankOrComment(line int) (blank, comment bool) {
	t := strings.TrimSpace(d.lineText(line))
	return t == "", strings.HasPrefix(t, "#")
}

// tokenStart returns the offset of n's token, after its anchor and tag.
func (d *ydoc) tokenStart(n *yaml.Node) int {
	off := d.offset(n.Line, n.Column)
	for off < len(d.src) && (d.src[off] == '&' || d.src[off] == '!') {
		for off < len(d.src) && !isSpace(d.src[off]) {
			off++
		}
		for off < len(d.src) && (d.src[off] == ' ' || d.src[off] == '\t') {
			off++
		}
	}
	return off
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// ownerIndent is the indentation a block scalar's or multi-line plain
// scalar's continuation lines must exceed: that of the key or dash that
// owns it.
func (d *ydoc) ownerIndent(n *yaml.Node) int {
	p := d.parent[n]
	if p == nil {
		return -1
	}
	if p.Kind == yaml.MappingNode {
		for i := 1; i < len(d.orig[p].content); i += 2 {
			if d.orig[p].content[i] == n {
				return d.orig[p].content[i-1].Column - 1
			}
		}
	}
	return p.Column - 1
}

// inFlow reports whether n sits inside a flow collection.
func (d *ydoc) inFlow(n *yaml.Node) bool {
	for p := d.parent[n]; p != nil; p = d.parent[p] {
		if d.orig[p].style&yaml.FlowStyle != 0 {
			return true
		}
	}
	return false
}

// span returns the byte range of n's text, from its anchor or tag (when
// withProps) to the end of its token or, for a collection in flow style,
// its closing bracket. Block collections have no single span.
func (d *ydoc) span(n *yaml.Node, withProps bool) (start, end int, err error) {
	start = d.offset(n.Line, n.Column)
	tok := d.tokenStart(n)
	if !withProps {
		start = tok
	}
	o, ok := d.orig[n]
	if !ok {
		return 0, 0, errors.New("a new node has no span")
	}
	switch {
	case o.kind == yaml.AliasNode:
		end = tok + 1
		for end < len(d.src) && !isSpace(d.src[end]) && !strings.ContainsRune(",]}", rune(d.src[end])) {
			end++
		}
		return start, end, nil
	case o.kind != yaml.ScalarNode && o.style&yaml.FlowStyle != 0:
		end, err = d.flowEnd(tok)
		return start, end, err
	case o.kind != yaml.ScalarNode:
		return 0, 0, errors.New("a block collection has no single span")
	}
	switch {
	case o.style&yaml.DoubleQuotedStyle != 0:
		for i := tok + 1; i < len(d.src); i++ {
			switch d.src[i] {
			case '\\':
				i++
			case '"':
				return start, i + 1, nil
			}
		}
		return 0, 0, errors.New("unterminated double-quoted scalar")
	case o.style&yaml.SingleQuotedStyle != 0:
		for i := tok + 1; i < len(d.src); i++ {
			if d.src[i] == '\'' {
				if i+1 < len(d.src) && d.src[i+1] == '\'' {
					i++
					continue
				}
				return start, i + 1, nil
			}
		}
		return 0, 0, errors.New("unterminated single-quoted scalar")
	case o.style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		last := d.continuation(n.Line, d.ownerIndent(n), true)
		return start, d.lineEnd(last), nil
	}
	// A plain scalar: to the end of its line, a comment, or (in flow
	// context) the next indicator.
	flow := d.inFlow(n)
	end = tok
	lineEnd := d.lineEnd(d.lineOf(tok))
	for end < lineEnd {
		c := d.src[end]
		if c == '#' && end > tok && isSpace(d.src[end-1]) {
			break
		}
		if c == ':' && (end+1 >= lineEnd || isSpace(d.src[end+1]) || flow && strings.IndexByte(",]}", d.src[end+1]) >= 0) {
			break
		}
		if flow && strings.IndexByte(",[]{}", c) >= 0 {
			break
		}
		end++
	}
	for end > tok && (d.src[end-1] == ' ' || d.src[end-1] == '\t') {
		end--
	}
	if !flow && !o.isKey && d.parent[n] != nil {
		if last := d.continuation(d.lineOf(tok), d.ownerIndent(n), false); last > d.lineOf(tok) {
			end = d.lineEnd(last)
		}
	}
	return start, end, nil
}

// continuation returns the last line of a scalar that starts on line and
// may continue on lines indented more than owner: a block scalar's
// content (blank lines inside it included), or a plain scalar's
// continuation lines (not comments).
func (d *ydoc) continuation(line, owner int, block bool) int {
	last := line
	for l := line + 1; l <= len(d.lineStart); l++ {
		blank, comment := d.blankOrComment(l)
		if blank {
			continue
		}
		if d.indentOf(l) <= owner || comment && !block {
			break
		}
		last = l
	}
	return last
}

// flowEnd returns the offset after the bracket that closes the flow
// collection opening at off.
func (d *ydoc) flowEnd(off int) (int, error) {
	depth := 0
	for i := off; i < len(d.src); i++ {
		switch c := d.src[i]; c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1, nil
			}
		case '"':
			for i++; i < len(d.src) && d.src[i] != '"'; i++ {
				if d.src[i] == '\\' {
					i++
				}
			}
		case '\'':
			for i++; i < len(d.src); i++ {
				if d.src[i] == '\'' {
					if i+1 < len(d.src) && d.src[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i > off && isSpace(d.src[i-1]) {
				for i < len(d.src) && d.src[i] != '\n' {
					i++
				}
			}
		}
	}
	return 0, errors.New("unterminated flow collection")
}

// lastLine returns the last line of an original node's text.
func (d *ydoc) lastLine(n *yaml.Node) int {
	o := d.orig[n]
	switch {
	case o.kind == yaml.ScalarNode || o.kind == yaml.AliasNode || o.style&yaml.FlowStyle != 0:
		if _, end, err := d.span(n, false); err == nil {
			return d.lineOf(max(end-1, 0))
		}
		return n.Line
	}
	last := n.Line
	for _, c := range o.content {
		last = max(last, d.lastLine(c))
	}
	return last
}

// --- edits --------------------------------------------------------------

// yedit is one edit to apply: its path, the value as a node (nil for a
// delete), and what came of it.
type yedit struct {
	segs  []segment
	value *yaml.Node
	del   bool
	err   error
	note  string
	done  bool // satisfied by another edit (the same edit at an anchor)
	base  *yaml.Node
	rel   []segment
	sig   string
	share *sharing
}

// sharing is where an edit's path first enters content that other places
// share: an alias, or a node with an anchor that aliases name.
type sharing struct {
	anchor *yaml.Node // the anchored node
	site   *yaml.Node // the alias or anchored node the path goes through
	depth  int        // segments before site
}

// apply applies edits to the tree, each edit's err saying why it was not
// applied.
func (d *ydoc) apply(edits []*yedit) {
	// Where does each edit meet shared content?
	groups := map[*yaml.Node][]*yedit{}
	for _, e := range edits {
		sh, err := d.findSharing(e.segs)
		if err != nil {
			e.err = err
			continue
		}
		if sh != nil {
			e.share = sh
			e.rel = e.segs[sh.depth+1:]
			e.sig = fmt.Sprintf("%s %v %s", joinPath(e.rel), e.del, nodeKey(e.value))
			groups[sh.anchor] = append(groups[sh.anchor], e)
		}
	}
	for anchor, es := range groups {
		d.resolveShared(anchor, es)
	}
	// Deletes are found before anything moves, then sets are applied in
	// order, then deletes.
	type del struct {
		e      *yedit
		parent *yaml.Node
		target *yaml.Node
	}
	var dels []del
	for _, e := range edits {
		if e.err != nil || e.done || !e.del {
			continue
		}
		parent, target, err := d.find(e.base, e.pathFromBase())
		if err != nil {
			e.err = err
			continue
		}
		dels = append(dels, del{e, parent, target})
	}
	for _, e := range edits {
		if e.err != nil || e.done || e.del {
			continue
		}
		e.err = d.set(e.base, e.pathFromBase(), e.value, &e.note)
	}
	for _, dl := range dels {
		dl.e.err = d.remove(dl.parent, dl.target)
	}
}

func (e *yedit) pathFromBase() []segment {
	if e.base != nil {
		return e.rel
	}
	return e.segs
}

// nodeKey renders a node for comparing edits.
func nodeKey(n *yaml.Node) string {
	if n == nil {
		return "-"
	}
	var b strings.Builder
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch n.Kind {
		case yaml.ScalarNode:
			b.WriteString(n.ShortTag() + ":" + strconv.Quote(n.Value))
		case yaml.MappingNode:
			b.WriteString("{")
			for _, c := range n.Content {
				walk(c)
				b.WriteString(",")
			}
			b.WriteString("}")
		case yaml.SequenceNode:
			b.WriteString("[")
			for _, c := range n.Content {
				walk(c)
				b.WriteString(",")
			}
			b.WriteString("]")
		case yaml.AliasNode:
			b.WriteString("*")
			if n.Alias != nil {
				walk(n.Alias)
			}
		}
	}
	walk(n)
	return b.String()
}

// findSharing walks segs over the original tree and returns where they
// first enter shared content, if they do.
func (d *ydoc) findSharing(segs []segment) (*sharing, error) {
	cur := d.root
	for i, s := range segs {
		next := d.child(cur, s)
		if next == nil {
			return nil, nil // the rest is created, not shared
		}
		last := i == len(segs)-1
		switch {
		case next.Kind == yaml.AliasNode && !last:
			return &sharing{anchor: next.Alias, site: next, depth: i}, nil
		case next.Anchor != "" && len(d.aliases[next]) > 0:
			return &sharing{anchor: next, site: next, depth: i}, nil
		}
		cur = next
		if cur.Kind == yaml.AliasNode {
			return nil, nil // the alias itself is replaced
		}
	}
	return nil, nil
}

// child returns the original child of n at s, following merge keys, or
// nil.
func (d *ydoc) child(n *yaml.Node, s segment) *yaml.Node {
	switch {
	case n.Kind == yaml.MappingNode && !s.isIndex:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s.key && n.Content[i].Value != "<<" {
				return n.Content[i+1]
			}
		}
	case n.Kind == yaml.SequenceNode && s.isIndex:
		if s.index < len(n.Content) {
			return n.Content[s.index]
		}
	}
	return nil
}

// resolveShared decides what to do with the edits that enter the content
// of one anchor.
func (d *ydoc) resolveShared(anchor *yaml.Node, es []*yedit) {
	sites := append([]*yaml.Node{anchor}, d.aliases[anchor]...)
	bySite := map[*yaml.Node][]string{}
	for _, e := range es {
		bySite[e.share.site] = append(bySite[e.share.site], e.sig)
	}
	var want string
	uniform := true
	first := true
	liveSites := 0
	for _, s := range sites {
		sigs := strings.Join(sortedUnique(bySite[s]), "\n")
		if !d.isLive(d.paths[s]) {
			if sigs != "" {
				uniform = false
			}
			continue
		}
		liveSites++
		if first {
			want, first = sigs, false
		} else if sigs != want {
			uniform = false
		}
	}
	if uniform && want != "" && liveSites > 0 {
		// Every place that shares the anchor gets the same edits: apply
		// them once, at the anchor.
		applied := map[string]bool{}
		for _, e := range es {
			if applied[e.sig] {
				e.done = true
				e.note = joinNote(e.note, "applied once at anchor &"+anchor.Anchor+fmt.Sprintf(" (line %d), which %d places share", d.lines+anchor.Line, len(sites)))
				continue
			}
			applied[e.sig] = true
			e.base = anchor
			e.note = joinNote(e.note, "applied at anchor &"+anchor.Anchor+fmt.Sprintf(" (line %d), which %d places share", d.lines+anchor.Line, len(sites)))
		}
		return
	}
	copies := map[*yaml.Node]*yaml.Node{}
	for _, e := range es {
		site := e.share.site
		if site.Kind != yaml.AliasNode {
			var at []string
			for _, a := range d.aliases[anchor] {
				at = append(at, strconv.Itoa(d.lines+a.Line))
			}
			e.err = fmt.Errorf("%s lies in anchor &%s, which the aliases at line %s share; the fix would change them too: "+
				"change the anchor by hand or de-alias them", joinPath(e.segs[:e.share.depth+1]), anchor.Anchor, strings.Join(at, ", "))
			continue
		}
		cp, ok := copies[site]
		if !ok {
			p := d.parent[site]
			if p == nil {
				e.err = errors.New("cannot de-alias the document root")
				continue
			}
			cp = deepCopy(anchor)
			replaceChild(p, site, cp)
			copies[site] = cp
		}
		e.base = cp
		e.note = joinNote(e.note, fmt.Sprintf("de-aliased *%s at line %d: a copy of the anchor, edited there only", anchor.Anchor, d.lines+site.Line))
	}
}

func sortedUnique(s []string) []string {
	m := map[string]bool{}
	var out []string
	for _, x := range s {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func joinNote(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "" || strings.Contains(a, b):
		return a
	}
	return a + "; " + b
}

// deepCopy copies n without anchor, positions or comments, following
// aliases.
func deepCopy(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	c := &yaml.Node{Kind: n.Kind, Style: n.Style &^ yaml.TaggedStyle, Tag: n.Tag, Value: n.Value}
	for _, x := range n.Content {
		c.Content = append(c.Content, deepCopy(x))
	}
	return c
}

func replaceChild(p, old, n *yaml.Node) {
	for i, c := range p.Content {
		if c == old {
			p.Content[i] = n
		}
	}
}

// find returns the node at segs below base (the root when nil) and its
// parent, for a delete.
func (d *ydoc) find(base *yaml.Node, segs []segment) (parent, target *yaml.Node, err error) {
	cur := base
	if cur == nil {
		cur = d.root
	}
	for i, s := range segs {
		if cur.Kind == yaml.AliasNode {
			return nil, nil, fmt.Errorf("%s is an alias", joinPath(segs[:i]))
		}
		next := d.child(cur, s)
		if next == nil {
			if !s.isIndex && cur.Kind == yaml.MappingNode && d.mergedChild(cur, s.key) != nil {
				return nil, nil, fmt.Errorf("%s comes from a merge key (<<): it cannot be deleted here", joinPath(segs[:i+1]))
			}
			return nil, nil, fmt.Errorf("%s does not exist", joinPath(segs[:i+1]))
		}
		parent, cur = cur, next
	}
	return parent, cur, nil
}

// mergedChild returns the value of key in the mappings merged into m with
// "<<", or nil.
func (d *ydoc) mergedChild(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "<<" || m.Content[i].Tag == "!!str" && m.Content[i].Style&yaml.TaggedStyle != 0 {
			continue
		}
		srcs := []*yaml.Node{m.Content[i+1]}
		if srcs[0].Kind == yaml.SequenceNode {
			srcs = srcs[0].Content
		}
		for _, s := range srcs {
			for s.Kind == yaml.AliasNode && s.Alias != nil {
				s = s.Alias
			}
			if s.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(s.Content); j += 2 {
				if s.Content[j].Value == key {
					return s.Content[j+1]
				}
			}
		}
	}
	return nil
}

// set makes the value at segs below base equal v.
func (d *ydoc) set(base *yaml.Node, segs []segment, v *yaml.Node, note *string) error {
	cur := base
	if cur == nil {
		cur = d.root
	}
	for i, s := range segs {
		last := i == len(segs)-1
		if cur.Kind == yaml.AliasNode {
			return fmt.Errorf("%s is an alias", joinPath(segs[:i]))
		}
		if cur.Kind == yaml.ScalarNode && cur.ShortTag() == "!!null" {
			// "securityContext:" with nothing after it: the null becomes
			// the collection the path needs.
			cur.Kind, cur.Tag, cur.Value, cur.Style = yaml.MappingNode, "!!map", "", 0
			if s.isIndex {
				cur.Kind, cur.Tag = yaml.SequenceNode, "!!seq"
			}
		}
		switch {
		case cur.Kind == yaml.MappingNode && !s.isIndex:
			at := -1
			for j := 0; j+1 < len(cur.Content); j += 2 {
				if cur.Content[j].Value == s.key && cur.Content[j].Value != "<<" {
					at = j + 1
				}
			}
			if at < 0 {
				next := v
				if merged := d.mergedChild(cur, s.key); merged != nil {
					*note = joinNote(*note, joinPath(segs[:i+1])+" is set here, over the value a merge key (<<) gives it")
					if !last {
						next = deepCopy(merged)
					}
				} else if !last {
					next = newCollectionNode(segs[i+1])
				}
				cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s.key}, next)
				if last {
					return nil
				}
				cur = next
				continue
			}
			if last {
				return d.assign(cur, at, v)
			}
			cur = cur.Content[at]
		case cur.Kind == yaml.SequenceNode && s.isIndex:
			switch {
			case s.index < len(cur.Content):
				if last {
					return d.assign(cur, s.index, v)
				}
				cur = cur.Content[s.index]
			case s.index == len(cur.Content):
				next := v
				if !last {
					next = newCollectionNode(segs[i+1])
				}
				cur.Content = append(cur.Content, next)
				cur = next
			default:
				return fmt.Errorf("%s: index past the end of the list (%d items)", joinPath(segs[:i+1]), len(cur.Content))
			}
		default:
			kind := "mapping"
			if s.isIndex {
				kind = "list"
			}
			return fmt.Errorf("%s is not a %s", joinPath(segs[:i]), kind)
		}
	}
	return nil
}

func newCollectionNode(next segment) *yaml.Node {
	if next.isIndex {
		return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	}
	return &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
}

// assign makes p.Content[i] equal v, keeping what is equal already. It
// refuses to drop an anchor that aliases elsewhere name.
func (d *ydoc) assign(p *yaml.Node, i int, v *yaml.Node) error {
	cur := p.Content[i]
	switch {
	case cur.Kind == yaml.ScalarNode && v.Kind == yaml.ScalarNode:
		if scalarEqual(cur, v) {
			return nil
		}
		if err := d.dropsAnchor(cur); err != nil {
			return err
		}
		quoted := cur.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
		cur.Value, cur.Tag = v.Value, v.Tag
		if !(quoted && v.ShortTag() == "!!str") {
			cur.Style = v.Style
		}
	case cur.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode:
		var kept []*yaml.Node
		for j := 0; j+1 < len(cur.Content); j += 2 {
			if mappingValue(v, cur.Content[j].Value) != nil {
				kept = append(kept, cur.Content[j], cur.Content[j+1])
			} else if err := d.dropsAnchor(cur.Content[j+1]); err != nil {
				return err
			}
		}
		cur.Content = kept
		for j := 0; j+1 < len(v.Content); j += 2 {
			at := -1
			for k := 0; k+1 < len(cur.Content); k += 2 {
				if cur.Content[k].Value == v.Content[j].Value {
					at = k + 1
				}
			}
			if at < 0 {
				cur.Content = append(cur.Content, v.Content[j], v.Content[j+1])
			} else if err := d.assign(cur, at, v.Content[j+1]); err != nil {
				return err
			}
		}
	case cur.Kind == yaml.SequenceNode && v.Kind == yaml.SequenceNode:
		keep, add := listMerge(len(cur.Content), len(v.Content), func(a, b int) bool { return nodeEqual(cur.Content[a], v.Content[b]) })
		var like *yaml.Node
		if len(cur.Content) > 0 {
			like = cur.Content[0]
		}
		var items []*yaml.Node
		for j, k := range keep {
			if k {
				items = append(items, cur.Content[j])
			} else if err := d.dropsAnchor(cur.Content[j]); err != nil {
				return err
			}
		}
		for _, j := range add {
			if like != nil && cur.Style&yaml.FlowStyle != 0 {
				copyQuoting(v.Content[j], like)
			}
			items = append(items, v.Content[j])
		}
		cur.Content = items
	default:
		if err := d.dropsAnchor(cur); err != nil {
			return err
		}
		p.Content[i] = v
		d.replaced[v] = cur
	}
	return nil
}

// dropsAnchor returns an error when n, or a node in it, is an anchor that
// aliases outside n name: removing or replacing n would leave them
// dangling.
func (d *ydoc) dropsAnchor(n *yaml.Node) error {
	if len(d.aliases) == 0 {
		return nil // no alias can lose its anchor
	}
	inside := map[*yaml.Node]bool{}
	var anchors []*yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		inside[n] = true
		if n.Anchor != "" && len(d.aliases[n]) > 0 {
			anchors = append(anchors, n)
		}
		for _, c := range d.orig[n].content {
			walk(c)
		}
	}
	walk(n)
	for _, a := range anchors {
		for _, al := range d.aliases[a] {
			if !inside[al] {
				return fmt.Errorf("anchor &%s (line %d) is used by an alias at line %d: removing it would break the alias", a.Anchor, d.lines+a.Line, d.lines+al.Line)
			}
		}
	}
	return nil
}

// copyQuoting gives a new string scalar the quotes of a sibling.
func copyQuoting(n, like *yaml.Node) {
	if n.Kind == yaml.ScalarNode && like.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && like.ShortTag() == "!!str" {
		n.Style = like.Style & (yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle)
	}
}

func mappingValue(m *yaml.Node, key string) *yaml.Node {
	for j := 0; j+1 < len(m.Content); j += 2 {
		if m.Content[j].Value == key {
			return m.Content[j+1]
		}
	}
	return nil
}

func scalarEqual(a, b *yaml.Node) bool {
	ta, tb := a.ShortTag(), b.ShortTag()
	if ta != tb {
		return false
	}
	switch ta {
	case "!!bool":
		return strings.EqualFold(a.Value, b.Value)
	case "!!int", "!!float":
		fa, erra := strconv.ParseFloat(strings.ReplaceAll(a.Value, "_", ""), 64)
		fb, errb := strconv.ParseFloat(strings.ReplaceAll(b.Value, "_", ""), 64)
		if erra == nil && errb == nil {
			return fa == fb
		}
	case "!!null":
		return true
	}
	return a.Value == b.Value
}

func nodeEqual(a, b *yaml.Node) bool {
	for a.Kind == yaml.AliasNode && a.Alias != nil {
		a = a.Alias
	}
	for b.Kind == yaml.AliasNode && b.Alias != nil {
		b = b.Alias
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case yaml.ScalarNode:
		return scalarEqual(a, b)
	case yaml.SequenceNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := range a.Content {
			if !nodeEqual(a.Content[i], b.Content[i]) {
				return false
			}
		}
		return true
	case yaml.MappingNode:
		if len(a.Content) != len(b.Content) {
			return false
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			v := mappingValue(b, a.Content[i].Value)
			if v == nil || !nodeEqual(a.Content[i+1], v) {
				return false
			}
		}
		return true
	}
	return false
}

// remove deletes target from parent.
func (d *ydoc) remove(parent, target *yaml.Node) error {
	if parent == nil {
		return errors.New("cannot delete the document root")
	}
	if err := d.dropsAnchor(target); err != nil {
		return err
	}
	for i, c := range parent.Content {
		if c != target {
			continue
		}
		if parent.Kind == yaml.MappingNode {
			parent.Content = append(parent.Content[:i-1:i-1], parent.Content[i+1:]...)
		} else {
			parent.Content = append(parent.Content[:i:i], parent.Content[i+1:]...)
		}
		return nil
	}
	return nil // already gone
}

// --- rendering ----------------------------------------------------------

type patch struct {
	start, end int
	text       string
}

// render returns the document with every difference between the tree and
// its snapshot patched in.
func (d *ydoc) render() ([]byte, error) {
	var ps []patch
	if err := d.renderNode(d.root, &ps); err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return d.src, nil
	}
	// Stable by start; a zero-width insertion goes before a removal that
	// starts at the same place.
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && (ps[j].start < ps[j-1].start || ps[j].start == ps[j-1].start && ps[j].end == ps[j].start && ps[j-1].end > ps[j-1].start); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	var b bytes.Buffer
	pos := 0
	for _, p := range ps {
		if p.start < pos {
			return nil, errors.New("overlapping edits")
		}
		b.Write(d.src[pos:p.start])
		b.WriteString(p.text)
		pos = p.end
	}
	b.Write(d.src[pos:])
	return b.Bytes(), nil
}

// changed reports whether anything in the subtree of an original node
// differs from the snapshot.
func (d *ydoc) changed(n *yaml.Node) bool {
	o, ok := d.orig[n]
	if !ok {
		return true
	}
	if n.Kind == yaml.ScalarNode {
		return n.Value != o.value || n.Tag != o.tag || n.Style != o.style
	}
	if n.Kind != o.kind || len(n.Content) != len(o.content) {
		return true
	}
	for i, c := range n.Content {
		if c != o.content[i] || d.changed(c) {
			return true
		}
	}
	return false
}

func (d *ydoc) renderNode(n *yaml.Node, ps *[]patch) error {
	o, ok := d.orig[n]
	if !ok {
		return errors.New("internal error: a new node rendered as an original one")
	}
	switch {
	case n.Kind == yaml.AliasNode:
		return nil
	case o.kind == yaml.ScalarNode:
		if n.Kind != yaml.ScalarNode || n.Value == o.value && n.Tag == o.tag {
			return nil // unchanged, or a null that became a collection: its parent writes it
		}
		start, end, err := d.span(n, false)
		if err != nil {
			return err
		}
		*ps = append(*ps, patch{start, end, d.scalarText(n)})
		return nil
	case o.style&yaml.FlowStyle != 0:
		if !d.changed(n) {
			return nil
		}
		start, end, err := d.span(n, false)
		if err != nil {
			return err
		}
		*ps = append(*ps, patch{start, end, d.flowText(n)})
		return nil
	case n.Kind == yaml.MappingNode:
		return d.renderMapping(n, ps)
	}
	return d.renderSequence(n, ps)
}

func (d *ydoc) isFlowOrig(n *yaml.Node) bool { return d.orig[n].style&yaml.FlowStyle != 0 }

// wasNull reports whether an original null scalar became a collection
// (its parent renders it as a replaced value).
func (d *ydoc) wasNull(n *yaml.Node) bool {
	o, ok := d.orig[n]
	return ok && o.kind == yaml.ScalarNode && n.Kind != yaml.ScalarNode
}

func (d *ydoc) renderMapping(n *yaml.Node, ps *[]patch) error {
	o := d.orig[n]
	present := map[*yaml.Node]bool{}
	for i := 0; i < len(n.Content); i += 2 {
		present[n.Content[i]] = true
	}
	last := n.Line
	for i := 0; i+1 < len(o.content); i += 2 {
		k, v := o.content[i], o.content[i+1]
		last = max(last, d.lastLine(v), k.Line)
		if present[k] {
			continue
		}
		if err := d.removeLines(k, k.Line, d.lastLine(v), ps); err != nil {
			return err
		}
	}
	var added []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !d.isOrig(k) {
			added = append(added, k, v)
			continue
		}
		if origPair(o.content, k) != v {
			if err := d.replaceValue(k, origPair(o.content, k), v, ps); err != nil {
				return err
			}
			continue
		}
		if d.wasNull(v) || d.wasEmptyFlow(v) {
			if err := d.replaceValue(k, v, v, ps); err != nil {
				return err
			}
			continue
		}
		if err := d.renderNode(v, ps); err != nil {
			return err
		}
		if vo := d.orig[v]; vo.style&yaml.FlowStyle == 0 && len(vo.content) > 0 && len(v.Content) == 0 &&
			(v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) {
			// Every entry went: the value is an empty collection, not null.
			at, err := d.afterColon(k, v)
			if err != nil {
				return err
			}
			empty := " {}"
			if v.Kind == yaml.SequenceNode {
				empty = " []"
			}
			*ps = append(*ps, patch{at, at, empty})
		}
	}
	if len(added) > 0 {
		for _, c := range added {
			prepareNew(c)
		}
		text := d.block(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: added}, d.blockIndent(n))
		*ps = append(*ps, d.insertAfter(last, text))
	}
	return nil
}

// wasEmptyFlow reports whether an original empty flow collection ({} or
// []) is no longer empty: its parent writes it as a block.
func (d *ydoc) wasEmptyFlow(n *yaml.Node) bool {
	o, ok := d.orig[n]
	return ok && o.style&yaml.FlowStyle != 0 && len(o.content) == 0 && len(n.Content) > 0 && n.Kind == o.kind
}

// blockIndent returns the indentation of an original block collection's
// entries: its first key's, or its first item's dash's.
func (d *ydoc) blockIndent(n *yaml.Node) int {
	o := d.orig[n]
	if len(o.content) == 0 {
		return n.Column - 1
	}
	first := o.content[0]
	if o.kind == yaml.MappingNode {
		return first.Column - 1
	}
	off := d.offset(first.Line, first.Column) - 1
	for off >= 0 && isSpace(d.src[off]) {
		off--
	}
	if off >= 0 && d.src[off] == '-' {
		return off - d.lineStart[d.lineOf(off)-1]
	}
	return n.Column - 1
}

// afterColon returns where a value written on key k's line goes: after
// the colon, or after the anchor or tag of the block value v when they
// are on that line.
func (d *ydoc) afterColon(k, v *yaml.Node) (int, error) {
	if v.Line == k.Line {
		return d.tokenStart(v), nil
	}
	_, kend, err := d.span(k, false)
	if err != nil {
		return 0, err
	}
	colon := bytes.IndexByte(d.src[kend:], ':')
	if colon < 0 {
		return 0, fmt.Errorf("line %d: no colon after %s", d.lines+k.Line, k.Value)
	}
	return kend + colon + 1, nil
}

// origPair returns the original value of key node k in content.
func origPair(content []*yaml.Node, k *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(content); i += 2 {
		if content[i] == k {
			return content[i+1]
		}
	}
	return nil
}

func (d *ydoc) renderSequence(n *yaml.Node, ps *[]patch) error {
	o := d.orig[n]
	present := map[*yaml.Node]bool{}
	for _, c := range n.Content {
		present[c] = true
	}
	last := n.Line
	for _, c := range o.content {
		last = max(last, d.lastLine(c))
		if present[c] {
			continue
		}
		dash := d.dashLine(c)
		if err := d.removeLines(nil, dash, d.lastLine(c), ps); err != nil {
			return err
		}
	}
	var added []*yaml.Node
	for _, c := range n.Content {
		if old, ok := d.replaced[c]; ok && slices.Contains(o.content, old) && !present[old] {
			// An item replaced by one of another kind: written where the
			// old one was.
			if d.isFlowOrig(old) || d.orig[old].kind == yaml.ScalarNode || d.orig[old].kind == yaml.AliasNode {
				if d.lineOf(d.offset(old.Line, old.Column)) != d.dashLine(old) {
					return fmt.Errorf("line %d: the list item does not start on its dash's line; replace it by hand", d.lines+old.Line)
				}
			}
			prepareNew(c)
			at := d.offset(d.dashLine(old), 1)
			*ps = append(*ps, patch{at, at, d.block(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: []*yaml.Node{c}}, d.blockIndent(n))})
			continue
		}
		if !d.isOrig(c) {
			added = append(added, c)
			continue
		}
		if d.wasNull(c) {
			return errors.New("cannot turn a null list item into a collection")
		}
		if err := d.renderNode(c, ps); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		for _, c := range added {
			prepareNew(c)
		}
		text := d.block(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: added}, d.blockIndent(n))
		*ps = append(*ps, d.insertAfter(last, text))
	}
	return nil
}

// dashLine returns the line of the "-" that introduces sequence item c.
func (d *ydoc) dashLine(c *yaml.Node) int {
	off := d.offset(c.Line, c.Column) - 1
	for off >= 0 && isSpace(d.src[off]) {
		off--
	}
	if off >= 0 && d.src[off] == '-' {
		return d.lineOf(off)
	}
	return c.Line
}

// removeLines removes lines first..last, which must hold nothing else: a
// key that shares its line with a "- " (the first key of a list item) or
// with other content cannot go alone.
func (d *ydoc) removeLines(k *yaml.Node, first, last int, ps *[]patch) error {
	if k != nil {
		before := d.src[d.offset(first, 1):d.offset(k.Line, k.Column)]
		if len(bytes.TrimSpace(before)) > 0 {
			return fmt.Errorf("line %d: %s shares its line with %q; it cannot be removed alone", d.lines+first, k.Value, strings.TrimSpace(string(before)))
		}
	}
	*ps = append(*ps, patch{d.offset(first, 1), d.nextLine(last), ""})
	return nil
}

// insertAfter returns the patch inserting text (whole lines) after line.
func (d *ydoc) insertAfter(line int, text string) patch {
	at := d.nextLine(line)
	if at == len(d.src) && len(d.src) > 0 && d.src[len(d.src)-1] != '\n' {
		text = d.nl + text
	}
	return patch{at, at, text}
}

// replaceValue writes v where k's value old was: the old token (or block)
// goes, and v is written on the key's line or below it.
func (d *ydoc) replaceValue(k, old, v *yaml.Node, ps *[]patch) error {
	indent := k.Column - 1
	if !d.isOrig(v) || d.wasNull(v) || d.wasEmptyFlow(v) {
		for _, c := range v.Content {
			prepareNew(c)
		}
		if !d.isOrig(v) {
			prepareNew(v)
		}
	}
	if d.wasEmptyFlow(v) {
		v.Style &^= yaml.FlowStyle
	}
	ok := d.orig[old].kind
	oldBlock := ok != yaml.ScalarNode && ok != yaml.AliasNode && !d.isFlowOrig(old)
	inline := v.Kind == yaml.ScalarNode || v.Kind == yaml.AliasNode || len(v.Content) == 0 || v.Style&yaml.FlowStyle != 0
	if oldBlock {
		if old.Anchor != "" || old.Style&yaml.TaggedStyle != 0 {
			return fmt.Errorf("line %d: %s has an anchor or tag on its key line; replace it by hand", d.lines+k.Line, k.Value)
		}
		if err := d.removeLines(nil, k.Line+1, d.lastLine(old), ps); err != nil {
			return err
		}
		if inline {
			at, err := d.afterColon(k, old) // a block value starts below its key
			if err != nil {
				return err
			}
			*ps = append(*ps, patch{at, at, " " + d.inlineText(v)})
			return nil
		}
		*ps = append(*ps, d.insertAfter(d.lastLine(old), d.valueBlock(v, indent)))
		return nil
	}
	start, end, err := d.span(old, true)
	if err != nil {
		return err
	}
	if d.orig[old].tag == "!!null" && start == end {
		// "key:" with nothing after it: the position is past the colon.
		start, end = d.offset(old.Line, old.Column), d.offset(old.Line, old.Column)
	}
	if inline {
		text := d.inlineText(v)
		if start == end && start > 0 && d.src[start-1] == ':' {
			text = " " + text
		}
		*ps = append(*ps, patch{start, end, text})
		return nil
	}
	// Drop the old token and the spaces before it; the block goes below.
	// A token alone on its line takes the line with it.
	for start > 0 && (d.src[start-1] == ' ' || d.src[start-1] == '\t') {
		start--
	}
	if start == 0 || d.src[start-1] == '\n' {
		rest := end
		for rest < len(d.src) && (d.src[rest] == ' ' || d.src[rest] == '\t' || d.src[rest] == '\r') {
			rest++
		}
		if rest < len(d.src) && d.src[rest] == '\n' {
			end = rest + 1
		}
	}
	*ps = append(*ps, patch{start, end, ""})
	*ps = append(*ps, d.insertAfter(d.lineOf(max(end-1, start)), d.valueBlock(v, indent)))
	return nil
}

// valueBlock renders v as the block value of a key at indent.
func (d *ydoc) valueBlock(v *yaml.Node, indent int) string {
	if v.Kind == yaml.SequenceNode && d.compact {
		return d.block(v, indent)
	}
	return d.block(v, indent+d.step)
}

// block renders a new collection in block style, each line indented by
// indent spaces.
func (d *ydoc) block(n *yaml.Node, indent int) string {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(d.step)
	if d.compact {
		enc.CompactSeqIndent()
	}
	if err := enc.Encode(n); err != nil {
		return ""
	}
	enc.Close()
	pad := strings.Repeat(" ", indent)
	var out strings.Builder
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		if line != "" {
			out.WriteString(pad)
		}
		out.WriteString(line)
		out.WriteString(d.nl)
	}
	return out.String()
}

// prepareNew gives new nodes their style: lists of scalars in flow style
// ([ALL]), everything else in block style.
func prepareNew(n *yaml.Node) {
	switch n.Kind {
	case yaml.SequenceNode:
		flow := true
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				flow = false
			}
			prepareNew(c)
		}
		if flow {
			n.Style |= yaml.FlowStyle
		}
	case yaml.MappingNode:
		for _, c := range n.Content {
			prepareNew(c)
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" && n.Style == 0 && yaml11Ambiguous(n.Value) {
			n.Style = yaml.DoubleQuotedStyle
		}
	}
}

// yaml11Ambiguous reports whether a string written plain would be read as
// something else by a YAML 1.1 reader (sigs.k8s.io/yaml reads "yes" and
// "y" as booleans).
func yaml11Ambiguous(s string) bool {
	switch strings.ToLower(s) {
	case "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "":
		return true
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil {
		return true
	}
	return strings.Contains(s, ":") && !strings.Contains(s, " ") && strings.Trim(s, "0123456789:.") == ""
}

// inlineText renders a scalar, an empty collection or a flow collection
// on one line.
func (d *ydoc) inlineText(v *yaml.Node) string {
	switch {
	case v.Kind == yaml.ScalarNode:
		return d.scalarText(v)
	case len(v.Content) == 0 && v.Kind == yaml.MappingNode:
		return "{}"
	case len(v.Content) == 0:
		return "[]"
	}
	return d.flowText(v)
}

// scalarText renders a scalar: an original one that stays a string keeps
// its quotes.
func (d *ydoc) scalarText(n *yaml.Node) string {
	if n.ShortTag() == "!!str" {
		switch {
		case n.Style&yaml.DoubleQuotedStyle != 0 || !d.isOrig(n) && yaml11Ambiguous(n.Value):
			return string(jsonString(n.Value))
		case n.Style&yaml.SingleQuotedStyle != 0:
			return "'" + strings.ReplaceAll(n.Value, "'", "''") + "'"
		}
	}
	c := &yaml.Node{Kind: yaml.ScalarNode, Tag: n.Tag, Value: n.Value}
	if n.ShortTag() == "!!null" {
		return "null"
	}
	b, err := yaml.Marshal(c)
	if err != nil {
		return strconv.Quote(n.Value)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// flowText renders a collection in flow style, original scalars as they
// were written.
func (d *ydoc) flowText(n *yaml.Node) string {
	var b strings.Builder
	var write func(n *yaml.Node)
	write = func(n *yaml.Node) {
		if o, ok := d.orig[n]; ok && (n.Kind == yaml.ScalarNode || n.Kind == yaml.AliasNode) && n.Value == o.value && n.Tag == o.tag {
			if start, end, err := d.span(n, true); err == nil {
				b.Write(d.src[start:end])
				return
			}
		}
		switch n.Kind {
		case yaml.ScalarNode:
			b.WriteString(d.scalarText(n))
		case yaml.AliasNode:
			b.WriteString("*" + n.Value)
		case yaml.MappingNode:
			b.WriteString("{")
			for i := 0; i+1 < len(n.Content); i += 2 {
				if i > 0 {
					b.WriteString(", ")
				}
				write(n.Content[i])
				b.WriteString(": ")
				write(n.Content[i+1])
			}
			b.WriteString("}")
		case yaml.SequenceNode:
			b.WriteString("[")
			for i, c := range n.Content {
				if i > 0 {
					b.WriteString(", ")
				}
				write(c)
			}
			b.WriteString("]")
		}
	}
	write(n)
	return b.String()
}
