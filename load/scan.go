package load

import (
	"bufio"
	"errors"
	"io"
)

// docScanner splits a YAML stream read from an io.Reader into documents,
// exactly as [Documents] splits it in memory, holding one document at a
// time. A document longer than keep bytes is cut to its first keep bytes:
// the decoder, which refuses a document over Options.MaxDocumentSize,
// refuses the cut one alike when keep is that limit plus one.
type docScanner struct {
	r    *bufio.Reader
	keep int

	lines int // newlines read so far

	// The document being read: its first keep bytes, whether it is only
	// white space, and the newlines before it.
	cur     []byte
	blank   bool
	curLine int
	// commentsOnly: every line of the document so far is blank or a
	// comment; judging: the current line's first non-space byte is still
	// to come. A comment-only preamble is no document (see Documents).
	commentsOnly, judging bool
	// spare is the document handed out last, whose memory is reused.
	spare []byte

	sawMarker bool
	atStart   bool // the next byte starts a line

	// A marker line in progress: its bytes so far, and the first byte
	// after the marker that is not white space, if any (hasFirst). The
	// line belongs to the next document unless it is bare.
	inMarker    bool
	markerLen   int
	markerFirst byte
	hasFirst    bool

	pending error // a read error to act on at the next call
	done    bool
}

// scanBufferSize is the bufio buffer of a docScanner; a longer line is
// read in parts.
const scanBufferSize = 64 << 10

// newDocScanner returns a scanner of r, read through a buffer of bufSize
// bytes (r itself when it is a *bufio.Reader at least that large).
func newDocScanner(r io.Reader, keep, bufSize int) *docScanner {
	return &docScanner{r: bufio.NewReaderSize(r, bufSize), keep: keep, blank: true, commentsOnly: true, atStart: true}
}

// next returns the next document and the number of newlines before it in
// the stream. At the end of the stream it returns ok false, and err if
// reading failed. The document is valid until the next call.
func (s *docScanner) next() (doc []byte, line int, ok bool, err error) {
	for !s.done {
		if s.pending != nil {
			s.done = true
			if s.pending != io.EOF {
				return nil, 0, false, s.pending
			}
			break
		}
		frag, rerr := s.r.ReadSlice('\n')
		if rerr != nil && !errors.Is(rerr, bufio.ErrBufferFull) {
			s.pending = rerr
		}
		if len(frag) > 0 {
			if doc, line, ok := s.feed(frag); ok {
				return doc, line, true, nil
			}
		}
	}
	if s.inMarker { // the stream ends on a marker line
		s.endMarker()
	}
	if !s.blank {
		s.blank = true
		return s.cur, s.curLine, true, nil
	}
	return nil, 0, false, nil
}

// feed adds a part of a line and returns the document it ends, if any.
func (s *docScanner) feed(frag []byte) (doc []byte, line int, ok bool) {
	// A part of a line is at least 16 bytes (bufio's least buffer) unless
	// it ends the line: the first part holds the four bytes isMarker reads.
	if s.atStart && isMarker(frag) {
		if s.sawMarker || !s.commentsOnly {
			doc, line, ok = s.cur, s.curLine, true
			s.cur, s.spare = s.spare[:0], s.cur
		} else {
			s.cur = s.cur[:0]
		}
		s.sawMarker = true
		s.blank, s.commentsOnly, s.curLine = true, true, s.lines
		s.inMarker, s.markerLen, s.hasFirst = true, 0, false
	} else if s.atStart {
		s.judging = true
	}
	if s.judging && !s.inMarker {
		for _, b := range frag {
			if b == ' ' || b == '\t' || b == '\r' {
				continue
			}
			if b != '#' && b != '\n' {
				s.commentsOnly = false
			}
			s.judging = false
			break
		}
	}
	if s.inMarker {
		for i, b := range frag {
			if s.markerLen+i >= 3 && !s.hasFirst && b != ' ' && b != '\t' && b != '\r' && b != '\n' {
				s.markerFirst, s.hasFirst = b, true
			}
		}
		s.markerLen += len(frag)
	}
	if room := s.keep - len(s.cur); room > 0 {
		s.cur = append(s.cur, frag[:min(room, len(frag))]...)
	}
	if s.blank && !isBlank(frag) {
		s.blank = false
	}
	s.atStart = frag[len(frag)-1] == '\n'
	if s.atStart {
		s.lines++
		if s.inMarker {
			s.endMarker()
		}
	}
	return doc, line, ok
}

// endMarker ends a marker line: a bare one (nothing after the marker but
// white space and perhaps a comment) is no part of the next document.
func (s *docScanner) endMarker() {
	s.inMarker = false
	if !s.hasFirst || s.markerFirst == '#' {
		s.cur = s.cur[:0]
		s.blank, s.commentsOnly, s.curLine = true, true, s.lines
	}
}
