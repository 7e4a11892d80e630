package load

import "bytes"

// Documents splits a YAML stream into its documents, exactly as the loader
// does, so that document indices agree everywhere.
//
// A document ends before a line that starts with "---" followed by the end
// of the line, a space or a tab (the YAML directives end marker). Bare
// marker lines, with at most a comment after them, are dropped; a marker
// line with content after it ("--- |") starts the next document and stays
// in it. Text before the first marker is a document only if it holds
// anything but white space and comments (a license header or a Helm
// "# Source:" line above the first "---" does not shift the numbering);
// text after the last marker is one if it holds anything but white space. Every other document counts, empty or not: "a\n---\n---\nb"
// holds three documents, the second empty. A JSON text holds no marker
// lines, so it is one document. The documents alias data.
func Documents(data []byte) [][]byte {
	var docs [][]byte
	start := 0 // start of the current document
	sawMarker := false
	for pos := 0; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		next := len(data)
		if end >= 0 {
			next = pos + end + 1
		}
		line := data[pos:next]
		if isMarker(line) {
			doc := data[start:pos]
			if sawMarker || !isCommentsOnly(doc) {
				docs = append(docs, doc)
			}
			sawMarker = true
			start = next
			if !isBareMarker(line) {
				start = pos // the content after the marker belongs to the next document
			}
		}
		pos = next
	}
	if doc := data[start:]; !isBlank(doc) {
		docs = append(docs, doc)
	}
	return docs
}

// isMarker reports whether line starts with the directives end marker.
func isMarker(line []byte) bool {
	if !bytes.HasPrefix(line, []byte("---")) {
		return false
	}
	if len(line) == 3 {
		return true
	}
	switch line[3] {
	case ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

// isBareMarker reports whether a marker line holds nothing after the
// marker but white space and perhaps a comment.
func isBareMarker(line []byte) bool {
	rest := bytes.TrimLeft(line[3:], " \t\r\n")
	return len(rest) == 0 || rest[0] == '#'
}

// isCommentsOnly reports whether b holds nothing but white space and
// comment lines.
func isCommentsOnly(b []byte) bool {
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if t := bytes.TrimLeft(line, " \t\r"); len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

func isBlank(b []byte) bool {
	return len(bytes.TrimLeft(b, " \t\r\n")) == 0
}

// maxTemplateName bounds the template name read from a "# Source:" comment;
// a longer one is not read.
const maxTemplateName = 4096

// helmSource returns the file named by the document's "# Source:" comment,
// which helm template writes above each document it renders
// ("# Source: shop/templates/deployment.yaml"), or "". Only the comments
// above the document's first content line are read: a "# Source:" line
// further down belongs to a value (a block scalar), not to the document.
func helmSource(doc []byte) string {
	doc = bytes.TrimPrefix(doc, []byte("\ufeff"))
	for len(doc) > 0 {
		line := doc
		if i := bytes.IndexByte(doc, '\n'); i >= 0 {
			line, doc = doc[:i], doc[i+1:]
		} else {
			doc = nil
		}
		line = bytes.TrimLeft(line, " \t")
		line = bytes.TrimRight(line, " \t\r")
		switch {
		case len(line) == 0:
			continue
		case line[0] != '#':
			return "" // the document's content starts
		}
		rest, ok := bytes.CutPrefix(bytes.TrimLeft(line[1:], " \t"), []byte("Source:"))
		if !ok {
			continue
		}
		name := bytes.TrimSpace(rest)
		if len(name) > maxTemplateName {
			return ""
		}
		return string(name)
	}
	return ""
}
