package load

import (
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Lines finds the line of a field path in a source's document, for reports
// that point at the line of a finding (SARIF). It reads a source only when
// asked, with the YAML library that sigs.k8s.io/yaml ships (which reads
// JSON too), and holds one parsed document at a time: ask in input order
// (by source, then document) and each source is read once.
//
// A Lines is used by one goroutine at a time. Its Line method is what
// report.Options.Lines takes.
type Lines struct {
	opts Options

	source string
	m      *manifestFile
	sc     *docScanner
	next   int // the index of the document sc returns next

	doc     int        // the index of root's document, or -1
	root    *yaml.Node // the parsed document
	offset  int        // the newlines before it
	missing bool       // the source cannot be read
}

// NewLines returns a Lines reading sources within opts' limits.
func NewLines(opts Options) *Lines { return &Lines{opts: opts.withDefaults(), doc: -1} }

// Line returns the 1-based line of path ("spec.containers[1].securityContext.privileged",
// "metadata.annotations[example.com/x]") in the document of source, or of
// the nearest ancestor that the document holds when the field itself is
// missing; 0 when the source or the document cannot be read (standard
// input, which is gone once read; an image).
func (l *Lines) Line(source string, document int, path string) int {
	if source == "" || source == Stdin || document < 0 {
		return 0
	}
	if !l.seek(source, document) {
		return 0
	}
	return l.offset + lineOf(l.root, path)
}

// Close releases the source held open.
func (l *Lines) Close() error {
	if l.m != nil {
		err := l.m.Close()
		l.m, l.sc = nil, nil
		return err
	}
	return nil
}

// seek makes root the document-th document of source.
func (l *Lines) seek(source string, document int) bool {
	if source == l.source {
		if l.missing {
			return false
		}
		if document == l.doc {
			return l.root != nil
		}
	}
	if source != l.source || document < l.next || l.m == nil {
		l.Close()
		l.source, l.missing, l.next, l.doc, l.root = source, false, 0, -1, nil
		m, err := openManifest(source, l.opts.MaxFileSize)
		if err != nil || isTar(m.head) || isGzip(m.head) {
			if err == nil {
				m.Close()
			}
			l.missing = true
			return false
		}
		l.m = m
		l.sc = newDocScanner(m.br, l.opts.MaxDocumentSize+1, scanBufferSize)
	}
	for l.next <= document {
		doc, line, ok, _ := l.sc.next()
		if !ok {
			l.Close()
			return false
		}
		l.next++
		if l.next-1 != document {
			continue
		}
		l.doc, l.root, l.offset = document, nil, line
		if len(doc) > l.opts.MaxDocumentSize {
			return false
		}
		var n yaml.Node
		if yaml.Unmarshal(doc, &n) != nil || n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
			return false
		}
		l.root = n.Content[0]
	}
	return l.root != nil
}

// lineOf returns the line of path in the tree under n: a mapping entry's
// key line, a sequence item's line, or the nearest ancestor's.
func lineOf(n *yaml.Node, path string) int {
	line := n.Line
	for path != "" {
		n = unalias(n)
		var name string
		index, isIndex := -1, false
		switch {
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return line
			}
			name, path = path[1:end], path[end+1:]
			if i, err := strconv.Atoi(name); err == nil && i >= 0 && n.Kind == yaml.SequenceNode {
				index, isIndex = i, true
			}
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			name, path = path[:end], path[end:]
		}
		path = strings.TrimPrefix(path, ".")
		var next *yaml.Node
		switch {
		case isIndex:
			if index < len(n.Content) {
				next = n.Content[index]
				line = next.Line
			}
		case n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Value == name && k.Kind == yaml.ScalarNode {
					next, line = n.Content[i+1], k.Line
					break
				}
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

// unalias follows an alias to the node it names.
func unalias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}
