package yamljson

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"sync"
)

// Convert returns the JSON that sigs.k8s.io/yaml's YAMLToJSON returns for
// src when src is in the subset this package reads (see the package
// documentation) and nests maps and arrays no deeper than maxDepth.
// Otherwise ok is false and the caller converts src the general way,
// which also reports what is wrong with it.
func Convert(src []byte, maxDepth int) (js []byte, ok bool) {
	if len(src) >= math.MaxInt32 {
		return nil, false
	}
	p := parsers.Get().(*parser)
	defer p.release()
	p.src, p.maxDepth = src, maxDepth
	if !p.scanLines() {
		return nil, false
	}
	if len(p.lines) == 0 {
		return []byte("null"), true // empty, or only comments
	}
	root := p.block(int(p.lines[0].indent))
	if p.failed || p.i != len(p.lines) {
		return nil, false
	}
	// JSON is about as long as the YAML it comes from: quotes on keys,
	// no indentation.
	return p.write(make([]byte, 0, len(src)+len(src)/8), root)
}

type kind uint8

const (
	kindNull kind = iota
	kindTrue
	kindFalse
	kindNumber // text is the JSON number
	kindString // text is the string, escaped when written
	kindMap    // entries first to first+n of done
	kindSeq    // likewise
)

// text is a run of bytes of the source, or of aux when inAux is set
// (quoted scalars with escapes, numbers written anew).
type text struct {
	start, end int32
	inAux      bool
}

type node struct {
	kind     kind
	text     text
	first, n int32
}

// entry is a map entry (key and value) or a sequence item (value only).
type entry struct {
	key text
	val int32 // index in nodes
}

// line is a line holding content: not blank, not only a comment.
type line struct {
	start  int32 // offset in the source
	indent int32 // leading spaces
	end    int32 // offset past the last byte that is not a space
}

type parser struct {
	src      []byte
	lines    []line
	i        int // the current line
	nodes    []node
	stack    []entry // entries of the maps and sequences being read
	done     []entry // entries of finished ones, each contiguous
	aux      []byte
	depth    int
	deepest  int
	maxDepth int
	failed   bool
}

var parsers = sync.Pool{New: func() any { return new(parser) }}

func (p *parser) release() {
	*p = parser{lines: p.lines[:0], nodes: p.nodes[:0], stack: p.stack[:0], done: p.done[:0], aux: p.aux[:0]}
	parsers.Put(p)
}

// fail abandons the document: it is outside the subset.
func (p *parser) fail() int32 {
	p.failed = true
	return -1
}

// scanLines records the lines that hold content. It refuses what the
// subset leaves out at the level of bytes: tabs, carriage returns and
// other control characters, bytes outside ASCII, and lines that start
// with a document marker or a directive.
func (p *parser) scanLines() bool {
	src := p.src
	for start := 0; start < len(src); {
		indent, end := -1, start
		for ; end < len(src) && src[end] != '\n'; end++ {
			c := src[end]
			if c < ' ' || c > '~' {
				return false
			}
			if indent < 0 && c != ' ' {
				indent = end - start
			}
		}
		if indent >= 0 && src[start+indent] != '#' {
			last := end
			for src[last-1] == ' ' {
				last--
			}
			if indent == 0 && (src[start] == '%' || bytes.HasPrefix(src[start:last], []byte("---")) || bytes.HasPrefix(src[start:last], []byte("..."))) {
				return false
			}
			p.lines = append(p.lines, line{start: int32(start), indent: int32(indent), end: int32(last)})
		}
		start = end + 1
	}
	return true
}

// rest returns the current line from column col on.
func (p *parser) rest(col int) []byte {
	l := p.lines[p.i]
	return p.src[int(l.start)+col : l.end]
}

// indent returns the indentation of the current line, -1 past the last.
func (p *parser) indent() int {
	if p.i == len(p.lines) {
		return -1
	}
	return int(p.lines[p.i].indent)
}

// enter goes one level of maps and arrays deeper.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > p.deepest {
		p.deepest = p.depth
	}
	return p.deepest <= p.maxDepth
}

func (p *parser) add(n node) int32 {
	p.nodes = append(p.nodes, n)
	return int32(len(p.nodes) - 1)
}

// finish ends the map or sequence whose entries are on the stack from
// base on.
func (p *parser) finish(k kind, base int) int32 {
	first := len(p.done)
	p.done = append(p.done, p.stack[base:]...)
	p.stack = p.stack[:base]
	p.depth--
	return p.add(node{kind: k, first: int32(first), n: int32(len(p.done) - first)})
}

// isSeqEntry reports whether t starts with a block sequence entry: a dash
// followed by a space or the end of the line.
func isSeqEntry(t []byte) bool {
	return len(t) > 0 && t[0] == '-' && (len(t) == 1 || t[1] == ' ')
}

// block reads the map or sequence that starts on the current line at
// column col.
func (p *parser) block(col int) int32 {
	if isSeqEntry(p.rest(col)) {
		if col != p.indent() {
			return p.fail() // "- - a": a sequence in a sequence on one line
		}
		return p.sequence(col)
	}
	return p.mapping(col)
}

// mapping reads a block map whose first key is on the current line at
// column col and whose other keys start lines indented by col.
func (p *parser) mapping(col int) int32 {
	if !p.enter() {
		return p.fail()
	}
	base := len(p.stack)
	for {
		key, after, isKey := p.key(p.rest(col))
		if !isKey || p.failed {
			return p.fail()
		}
		val := p.value(col, after)
		if p.failed {
			return -1
		}
		p.stack = append(p.stack, entry{key: key, val: val})
		ind := p.indent()
		if ind < col {
			break // the end of the document or of this map
		}
		if ind > col || isSeqEntry(p.rest(ind)) {
			return p.fail()
		}
	}
	return p.finish(kindMap, base)
}

// value reads the value of a key of a map at column col; after is what
// follows the key's colon on its line. It leaves the current line after
// the value.
func (p *parser) value(col int, after []byte) int32 {
	after = trimSpaces(after)
	if len(after) == 0 || after[0] == '#' {
		// The value is on the lines below, or null.
		p.i++
		ind := p.indent()
		switch {
		case ind > col:
			return p.block(ind)
		case ind == col && isSeqEntry(p.rest(ind)):
			return p.sequence(col) // a sequence may sit at its key's column
		}
		return p.add(node{kind: kindNull})
	}
	return p.inline(after, col)
}

// inline reads the value that starts on the current line with after, in
// a map or sequence at column col, and leaves the current line after it.
func (p *parser) inline(after []byte, col int) int32 {
	var v int32
	if after[0] == '|' {
		v = p.literal(after, col)
	} else {
		v = p.scalar(after)
		p.i++
	}
	if p.indent() > col {
		return p.fail() // a scalar continued on the next line, or an error
	}
	return v
}

// sequence reads a block sequence whose entries start lines indented by
// col.
func (p *parser) sequence(col int) int32 {
	if !p.enter() {
		return p.fail()
	}
	base := len(p.stack)
	for {
		t := p.rest(col)
		after := trimSpaces(t[1:])
		var item int32
		switch {
		case len(after) == 0 || after[0] == '#':
			p.i++
			if ind := p.indent(); ind > col {
				item = p.block(ind)
			} else {
				item = p.add(node{kind: kindNull})
			}
		case isSeqEntry(after):
			return p.fail()
		default:
			if _, _, isKey := p.key(after); p.failed {
				return -1
			} else if isKey {
				item = p.mapping(col + len(t) - len(after))
				break
			}
			item = p.inline(after, col)
		}
		if p.failed {
			return -1
		}
		p.stack = append(p.stack, entry{val: item})
		ind := p.indent()
		if ind < col || ind == col && !isSeqEntry(p.rest(ind)) {
			break
		}
		if ind > col {
			return p.fail()
		}
	}
	return p.finish(kindSeq, base)
}

// maxKey is below the longest simple key go-yaml accepts (1,024 bytes).
const maxKey = 1000

// key reads "KEY:" at the start of t, the colon followed by a space or
// the end of the line. It returns what follows the colon; isKey is false
// when t is not a key (a scalar, perhaps). It fails on keys the subset
// leaves out: keys that are not strings, the merge key, long keys.
func (p *parser) key(t []byte) (key text, after []byte, isKey bool) {
	if t[0] == '"' || t[0] == '\'' {
		key, n, ok := p.quoted(t)
		if !ok {
			p.fail()
			return text{}, nil, false
		}
		if n < len(t) && t[n] == ':' && (n+1 == len(t) || t[n+1] == ' ') {
			if n > maxKey {
				p.fail()
				return text{}, nil, false
			}
			return key, t[n+1:], true
		}
		return text{}, nil, false
	}
	if indicator[t[0]] {
		return text{}, nil, false // not a key the subset reads, perhaps a scalar
	}
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ':':
			if i+1 < len(t) && t[i+1] != ' ' {
				continue
			}
			k := t[:i]
			if len(k) > maxKey || k[len(k)-1] == ' ' || string(k) == "<<" || p.resolve(k).kind != kindString {
				p.fail()
				return text{}, nil, false
			}
			return p.span(k), t[i+1:], true
		case ' ':
			if i+1 < len(t) && t[i+1] == '#' {
				return text{}, nil, false // a comment before any colon
			}
		}
	}
	return text{}, nil, false
}

// indicator marks the characters a plain scalar cannot start with (a dash
// is allowed when a character other than a space follows it).
var indicator = func() (t [256]bool) {
	for _, c := range "?:,[]{}#&*!|>'\"%@`" {
		t[c] = true
	}
	return t
}()

// scalar reads the value t (the rest of a line, trimmed): a quoted or
// plain scalar, or a flow collection that ends on the line.
func (p *parser) scalar(t []byte) int32 {
	switch t[0] {
	case '"', '\'':
		s, n, ok := p.quoted(t)
		if !ok || !isComment(t[n:]) {
			return p.fail()
		}
		return p.add(node{kind: kindString, text: s})
	case '[', '{':
		n, rest := p.flow(t)
		if p.failed || !isComment(rest) {
			return p.fail()
		}
		return n
	case '-', '?', ':':
		// In block context these start a plain scalar when something
		// other than a space follows.
		if len(t) == 1 || t[1] == ' ' {
			return p.fail()
		}
	default:
		if indicator[t[0]] {
			return p.fail()
		}
	}
	if i := bytes.Index(t, []byte(" #")); i >= 0 {
		t = trimSpaces(t[:i])
	}
	if t[len(t)-1] == ':' || bytes.Contains(t, []byte(": ")) {
		return p.fail()
	}
	n := p.resolve(t)
	if p.failed {
		return -1
	}
	return p.add(n)
}

// isComment reports whether t is empty or white space and a comment.
func isComment(t []byte) bool {
	if len(t) == 0 {
		return true
	}
	if t[0] != ' ' {
		return false
	}
	t = trimSpaces(t)
	return len(t) == 0 || t[0] == '#'
}

// quoted reads the single- or double-quoted scalar at the start of t,
// which must end on the same line, and returns its text and length.
// Escapes other than \" \\ \n \t \r are left out of the subset.
func (p *parser) quoted(t []byte) (s text, n int, ok bool) {
	if t[0] == '\'' {
		escaped := false
		i := 1
		for {
			j := bytes.IndexByte(t[i:], '\'')
			if j < 0 {
				return text{}, 0, false
			}
			i += j
			if i+1 < len(t) && t[i+1] == '\'' {
				escaped, i = true, i+2
				continue
			}
			break
		}
		if !escaped {
			return p.span(t[1:i]), i + 1, true
		}
		start := len(p.aux)
		for j := 1; j < i; j++ {
			p.aux = append(p.aux, t[j])
			if t[j] == '\'' {
				j++
			}
		}
		return text{start: int32(start), end: int32(len(p.aux)), inAux: true}, i + 1, true
	}
	i := 1
	for i < len(t) && t[i] != '"' && t[i] != '\\' {
		i++
	}
	if i == len(t) {
		return text{}, 0, false
	}
	if t[i] == '"' {
		return p.span(t[1:i]), i + 1, true
	}
	start := len(p.aux)
	p.aux = append(p.aux, t[1:i]...)
	for ; i < len(t); i++ {
		c := t[i]
		switch c {
		case '"':
			return text{start: int32(start), end: int32(len(p.aux)), inAux: true}, i + 1, true
		case '\\':
			if i+1 == len(t) {
				return text{}, 0, false // a line continuation
			}
			i++
			switch c = t[i]; c {
			case '"', '\\':
			case 'n':
				c = '\n'
			case 't':
				c = '\t'
			case 'r':
				c = '\r'
			default:
				return text{}, 0, false
			}
		}
		p.aux = append(p.aux, c)
	}
	return text{}, 0, false
}

// span returns the text of b, a part of the source.
func (p *parser) span(b []byte) text {
	start := cap(p.src) - cap(b)
	return text{start: int32(start), end: int32(start + len(b))}
}

func (p *parser) bytes(t text) []byte {
	if t.inAux {
		return p.aux[t.start:t.end]
	}
	return p.src[t.start:t.end]
}

// trimSpaces trims spaces (not tabs: the subset has none) on both sides.
func trimSpaces(b []byte) []byte {
	b = trimLeft(b)
	for len(b) > 0 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	return b
}

// write appends the JSON of node n to out as encoding/json writes the
// value go-yaml decodes: maps with their keys sorted, strings escaped for
// HTML. A map with a key twice is left to go-yaml (whose last value wins).
func (p *parser) write(out []byte, n int32) ([]byte, bool) {
	nd := &p.nodes[n]
	switch nd.kind {
	case kindNull:
		return append(out, "null"...), true
	case kindTrue:
		return append(out, "true"...), true
	case kindFalse:
		return append(out, "false"...), true
	case kindNumber:
		return append(out, p.bytes(nd.text)...), true
	case kindString:
		return appendString(out, p.bytes(nd.text)), true
	case kindSeq:
		out = append(out, '[')
		for i, e := range p.done[nd.first : nd.first+nd.n] {
			if i > 0 {
				out = append(out, ',')
			}
			var ok bool
			if out, ok = p.write(out, e.val); !ok {
				return nil, false
			}
		}
		return append(out, ']'), true
	}
	entries := p.done[nd.first : nd.first+nd.n]
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(p.bytes(a.key), p.bytes(b.key)) })
	out = append(out, '{')
	for i, e := range entries {
		if i > 0 {
			if bytes.Equal(p.bytes(entries[i-1].key), p.bytes(e.key)) {
				return nil, false
			}
			out = append(out, ',')
		}
		out = appendString(out, p.bytes(e.key))
		out = append(out, ':')
		var ok bool
		if out, ok = p.write(out, e.val); !ok {
			return nil, false
		}
	}
	return append(out, '}'), true
}

// appendString appends s as a JSON string the way encoding/json writes
// it: <, > and & escaped for HTML, control characters as \b, \f, \n, \r,
// \t or \u00XX. s holds only ASCII. (report writes JSON strings by its own
// rules, without the HTML escaping: this one must match YAMLToJSON.)
func appendString(out, s []byte) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i, c := range s {
		if c >= ' ' && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
			continue
		}
		out = append(out, s[start:i]...)
		switch c {
		case '"', '\\':
			out = append(out, '\\', c)
		case '\b':
			out = append(out, '\\', 'b')
		case '\f':
			out = append(out, '\\', 'f')
		case '\n':
			out = append(out, '\\', 'n')
		case '\r':
			out = append(out, '\\', 'r')
		case '\t':
			out = append(out, '\\', 't')
		default:
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

// resolve gives a plain scalar its type as go-yaml v2 does for a value
// decoded into an interface (its resolve function and decoder together):
// YAML 1.1's booleans and nulls, integers in Go's syntax with
// underscores, floats, and strings for the rest (timestamps included). A
// scalar it would make an infinity or NaN, which JSON cannot hold, fails.
func (p *parser) resolve(s []byte) node {
	str := node{kind: kindString, text: p.span(s)}
	switch s[0] {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		switch string(s) {
		case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
			return node{kind: kindTrue}
		case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
			return node{kind: kindFalse}
		case "~", "null", "Null", "NULL":
			return node{kind: kindNull}
		}
		return str
	case '.':
		switch string(s) {
		case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF":
			p.fail()
			return str
		}
		if f, err := strconv.ParseFloat(string(s), 64); err == nil {
			return p.float(f)
		}
		return str
	case '+', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return str
	}
	switch string(s) {
	case "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		p.fail()
		return str
	}
	plain := string(s)
	if bytes.IndexByte(s, '_') >= 0 {
		plain = string(bytes.ReplaceAll(s, []byte("_"), nil))
	}
	if intSyntax(plain) {
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return p.number(strconv.AppendInt(p.aux, i, 10))
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return p.number(strconv.AppendUint(p.aux, u, 10))
		}
	}
	if isFloat(plain) {
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return p.float(f)
		}
	}
	switch {
	case len(plain) > 2 && plain[:2] == "0b":
		if i, err := strconv.ParseInt(plain[2:], 2, 64); err == nil {
			return p.number(strconv.AppendInt(p.aux, i, 10))
		}
		if u, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
			return p.number(strconv.AppendUint(p.aux, u, 10))
		}
	case len(plain) > 3 && plain[:3] == "-0b":
		if i, err := strconv.ParseInt("-"+plain[3:], 2, 64); err == nil {
			return p.number(strconv.AppendInt(p.aux, i, 10))
		}
	}
	return str
}

// number records the number appended to aux.
func (p *parser) number(aux []byte) node {
	start := len(p.aux)
	p.aux = aux
	return node{kind: kindNumber, text: text{start: int32(start), end: int32(len(aux)), inAux: true}}
}

// float records f as encoding/json writes a float64.
func (p *parser) float(f float64) node {
	b, err := json.Marshal(f)
	if err != nil {
		p.fail()
		return node{}
	}
	return p.number(append(p.aux, b...))
}

// intSyntax reports whether s has only bytes an integer of Go's syntax
// may have after its sign: digits, hex digits and the base prefixes. The
// parsers fail on anything else, and each failure allocates an error:
// quantities (500m, 128Mi), dates and flags are common plain scalars.
func intSyntax(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c >= 'A' && c <= 'F', c == 'x', c == 'X', c == 'o', c == 'O':
		default:
			return false
		}
	}
	return s != ""
}

// isFloat matches go-yaml v2's pattern for floats,
// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, without a regular
// expression.
func isFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := func() int {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// flow reads the flow sequence or map at the start of t, which must end
// on the same line, and returns it and what follows it. Its scalars are
// quoted, or plain without the characters that end or could end a plain
// scalar in flow context (, [ ] { } ?, and : before a space or one of
// those) or a comment; map keys are followed by ": ".
func (p *parser) flow(t []byte) (int32, []byte) {
	if !p.enter() {
		return p.fail(), nil
	}
	open, end := t[0], t[0]+2 // ']' and '}' are two past '[' and '{'
	base := len(p.stack)
	t = trimLeft(t[1:])
	if len(t) > 0 && t[0] == end {
		return p.finishFlow(open, base), t[1:]
	}
	for {
		var e entry
		if open == '{' {
			var ok bool
			if e.key, t, ok = p.flowKey(t); !ok {
				return p.fail(), nil
			}
		}
		if e.val, t = p.flowValue(t); p.failed {
			return -1, nil
		}
		p.stack = append(p.stack, e)
		t = trimLeft(t)
		if len(t) == 0 {
			return p.fail(), nil // not closed on this line
		}
		if t[0] == end {
			return p.finishFlow(open, base), t[1:]
		}
		if t[0] != ',' {
			return p.fail(), nil
		}
		if t = trimLeft(t[1:]); len(t) == 0 || t[0] == end {
			return p.fail(), nil // a trailing comma
		}
	}
}

func (p *parser) finishFlow(open byte, base int) int32 {
	if open == '[' {
		return p.finish(kindSeq, base)
	}
	return p.finish(kindMap, base)
}

// flowKey reads "KEY: " at the start of t in a flow map.
func (p *parser) flowKey(t []byte) (key text, after []byte, ok bool) {
	if len(t) == 0 {
		return text{}, nil, false
	}
	n := 0
	if t[0] == '"' || t[0] == '\'' {
		if key, n, ok = p.quoted(t); !ok {
			return text{}, nil, false
		}
	} else {
		n = flowPlain(t)
		if n == 0 || n > maxKey || string(t[:n]) == "<<" || p.resolve(t[:n]).kind != kindString || p.failed {
			return text{}, nil, false
		}
		key = p.span(t[:n])
	}
	if n+1 >= len(t) || t[n] != ':' || t[n+1] != ' ' {
		return text{}, nil, false
	}
	return key, trimLeft(t[n+2:]), true
}

// flowValue reads a value in a flow collection.
func (p *parser) flowValue(t []byte) (int32, []byte) {
	if len(t) == 0 {
		return p.fail(), nil
	}
	switch t[0] {
	case '[', '{':
		return p.flow(t)
	case '"', '\'':
		s, n, ok := p.quoted(t)
		if !ok {
			return p.fail(), nil
		}
		return p.add(node{kind: kindString, text: s}), t[n:]
	}
	n := flowPlain(t)
	if n == 0 {
		return p.fail(), nil
	}
	v := p.resolve(t[:n])
	if p.failed {
		return -1, nil
	}
	return p.add(v), t[n:]
}

// flowPlain returns the length of the plain scalar at the start of t in
// flow context, trailing spaces excluded, or 0 when the scalar is outside
// the subset.
func flowPlain(t []byte) int {
	if indicator[t[0]] || t[0] == '-' && (len(t) == 1 || t[1] == ' ') {
		return 0
	}
	n := 0
	for i, c := range t {
		switch c {
		case ',', ']', '}':
			return n
		case ':':
			if i+1 == len(t) {
				return 0
			}
			switch t[i+1] {
			case ' ':
				return n // a key's end, or an error the caller finds
			case ',', '[', ']', '{', '}':
				return 0
			}
		case '[', '{', '?':
			return 0
		case '#':
			if t[i-1] == ' ' {
				return 0 // a comment: the collection does not close here
			}
		}
		if c != ' ' {
			n = i + 1
		}
	}
	return n
}

// trimLeft trims leading spaces.
func trimLeft(b []byte) []byte {
	for len(b) > 0 && b[0] == ' ' {
		b = b[1:]
	}
	return b
}

// literal reads a literal block scalar (|, |- or |+, perhaps with a
// comment) whose header is on the current line, in a map or sequence at
// column col, and leaves the current line after it. As go-yaml v2 reads
// it: the indentation is that of the first line with content, deeper
// than col; blank lines count as line breaks, before the content too; a
// line of spaces deeper than the indentation is content; the scalar ends
// before the first line with content that is less indented. Indentation
// indicators, scalars without content, and blank lines before the
// content deeper than it are left out of the subset.
func (p *parser) literal(header []byte, col int) int32 {
	chomp := byte(0)
	if h := header[1:]; len(h) > 0 && (h[0] == '-' || h[0] == '+') {
		chomp, header = h[0], h
	}
	if !isComment(header[1:]) {
		return p.fail()
	}
	src := p.src
	nl := bytes.IndexByte(src[p.lines[p.i].end:], '\n')
	if nl < 0 {
		return p.fail() // no content
	}
	pos := int(p.lines[p.i].end) + nl + 1
	start := len(p.aux)
	indent, breaks, content, lineBreak := -1, 0, false, false
	for pos < len(src) {
		end := pos + bytes.IndexByte(src[pos:], '\n')
		if end < pos {
			end = len(src)
		}
		spaces := 0
		for pos+spaces < end && src[pos+spaces] == ' ' {
			spaces++
		}
		blank := pos+spaces == end
		if indent < 0 {
			if blank {
				if spaces > col+1 {
					return p.fail() // it might set the indentation
				}
				breaks++
				pos = end + 1
				continue
			}
			if spaces <= col {
				break // no content
			}
			indent = spaces
		}
		if !blank && spaces < indent {
			break
		}
		if blank && spaces <= indent {
			if end < len(src) {
				breaks++ // a blank last line without a newline is not a line break
			}
		} else {
			if content {
				p.aux = append(p.aux, '\n')
			}
			for ; breaks > 0; breaks-- {
				p.aux = append(p.aux, '\n')
			}
			p.aux = append(p.aux, src[pos+indent:end]...)
			content, lineBreak = true, end < len(src)
		}
		pos = end + 1
	}
	if !content {
		return p.fail()
	}
	if chomp != '-' && lineBreak {
		p.aux = append(p.aux, '\n')
	}
	if chomp == '+' {
		for ; breaks > 0; breaks-- {
			p.aux = append(p.aux, '\n')
		}
	}
	// Go on from the first line with content after the scalar.
	for p.i++; p.i < len(p.lines) && int(p.lines[p.i].start) < pos; p.i++ {
	}
	return p.add(node{kind: kindString, text: text{start: int32(start), end: int32(len(p.aux)), inAux: true}})
}
