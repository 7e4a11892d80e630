package report

import (
	"bufio"
	"io"

	"github.com/bulwarkdev/bulwark/hardening"
)

// TextWriter writes the text report of a stream (see [NewTextWriter]).
type TextWriter struct {
	out  *bufio.Writer
	opts Options
	idx  checkIndex
	tw   *textWriter // the rendering of one group, or one line
	st   *textStats
	// cur is the last subject's group, written when a subject with
	// another name, source or document comes.
	cur    *textGroup
	wrote  bool
	errors spool
	// lists holds the skipped documents listed one by one.
	lists  [skipLists]spool
	err    error
	closed bool
}

// NewTextWriter returns a writer of the text report (see [Text]) of a
// stream: for the same entries, the same bytes as Text writes for the
// Result that collects them ([hardening.Collect]), except that findings
// about the run as a whole (the Set entry) are grouped after every
// subject's even when their subject, source and document name one. Each
// subject's group is written as soon as the next subject comes; errors and
// skipped documents, listed after all subjects, are held in temporary
// files past a small size, so memory stays bounded.
func NewTextWriter(w io.Writer, opts Options) *TextWriter {
	return &TextWriter{
		out: bufio.NewWriterSize(w, 64<<10), opts: opts, idx: indexChecks(opts.Checks),
		tw: &textWriter{color: opts.Color}, st: newTextStats(),
	}
}

// Write adds one entry.
func (t *TextWriter) Write(e *hardening.Entry) error {
	if t.err != nil {
		return t.err
	}
	switch {
	case e.Subject != nil:
		s := e.Subject
		k := subjectKey{s.Name, s.Source, s.Document}
		if t.cur == nil || t.cur.key != k {
			t.flush()
			t.cur = &textGroup{key: k, kind: s.Kind, template: s.Template}
		}
		for i := range e.Findings {
			t.cur.findings = append(t.cur.findings, t.idx.complete(e.Findings[i]))
		}
	case e.Error != nil:
		t.tw.Reset()
		t.tw.docError(e.Error)
		t.st.errors++
		t.put(&t.errors)
	case e.Skipped != nil:
		t.tw.Reset()
		if l := t.st.skips.add(t.tw, *e.Skipped); l != skipCounted {
			t.put(&t.lists[l])
		}
	case e.Set:
		// Findings of no subject: grouped by what they name, in order.
		var groups []*textGroup
		byKey := map[subjectKey]*textGroup{}
		for i := range e.Findings {
			f := t.idx.complete(e.Findings[i])
			k := subjectKey{f.Subject, f.Source, f.Document}
			if t.cur != nil && t.cur.key == k {
				t.cur.findings = append(t.cur.findings, f)
				continue
			}
			g := byKey[k]
			if g == nil {
				g = &textGroup{key: k, kind: f.Kind, template: f.Template}
				byKey[k] = g
				groups = append(groups, g)
			}
			g.findings = append(g.findings, f)
		}
		t.flush()
		for _, g := range groups {
			t.cur = g
			t.flush()
		}
	}
	return t.err
}

// flush writes the held group.
func (t *TextWriter) flush() {
	if t.cur == nil {
		return
	}
	t.tw.Reset()
	t.st.group(t.tw, t.cur, &t.opts)
	t.cur = nil
	t.put(t.out)
}

// put writes the rendering held in t.tw to w.
func (t *TextWriter) put(w io.Writer) {
	if t.tw.Len() > 0 {
		t.wrote = true
	}
	if t.err == nil {
		_, t.err = w.Write(t.tw.Bytes())
	}
}

// Close writes the held group, the errors and skipped documents, the
// per-check tally and the summary line, and removes the temporary files.
func (t *TextWriter) Close() error {
	if t.closed {
		return t.err
	}
	t.closed = true
	defer t.errors.Close()
	for l := range t.lists {
		defer t.lists[l].Close()
	}
	t.flush()
	t.section("errors:", &t.errors)
	t.tw.Reset()
	t.st.skips.kinds(t.tw)
	t.put(t.out)
	for l := range t.lists {
		t.section(skipTitles[l], &t.lists[l])
	}
	t.tw.Reset()
	t.st.tally(t.tw, t.idx, t.wrote)
	t.put(t.out)
	if t.err == nil {
		t.err = t.out.Flush()
	}
	return t.err
}

// section writes a titled section of the lines s holds, if any.
func (t *TextWriter) section(title string, s *spool) {
	if s.Len() == 0 {
		return
	}
	t.tw.Reset()
	t.tw.title(title)
	t.put(t.out)
	if t.err == nil {
		_, t.err = s.WriteTo(t.out)
	}
}
