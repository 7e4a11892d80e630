package report

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/bulwarkdev/bulwark/hardening"
)

// StreamWriter renders an audit stream entry by entry: pass each
// [hardening.Entry] to Write as it comes (bulwark.Stream's emit), then call
// Close once, which writes what must come last and releases what the
// writer holds. After an error every call returns it.
type StreamWriter interface {
	Write(e *hardening.Entry) error
	Close() error
}

// spool holds bytes to be written later: in memory up to spoolMemory
// bytes, then in a temporary file, so that a writer's memory stays bounded
// whatever the size of the report.
type spool struct {
	mem  bytes.Buffer
	file *os.File
	fw   *bufio.Writer
	n    int64
}

// spoolMemory is what a spool keeps in memory before it moves to a file.
const spoolMemory = 1 << 20

func (s *spool) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.file == nil {
		if s.mem.Len()+len(p) <= spoolMemory {
			return s.mem.Write(p)
		}
		f, err := os.CreateTemp("", "bulwark-report-*")
		if err != nil {
			return 0, err
		}
		s.file, s.fw = f, bufio.NewWriterSize(f, 64<<10)
		if _, err := s.mem.WriteTo(s.fw); err != nil {
			return 0, err
		}
		s.mem = bytes.Buffer{}
	}
	return s.fw.Write(p)
}

// WriteTo copies what the spool holds to w.
func (s *spool) WriteTo(w io.Writer) (int64, error) {
	if s.file == nil {
		return s.mem.WriteTo(w)
	}
	if err := s.fw.Flush(); err != nil {
		return 0, err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return io.Copy(w, s.file)
}

// Len returns the number of bytes written to the spool.
func (s *spool) Len() int64 { return s.n }

// Close removes the spool's file, if any.
func (s *spool) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	s.file.Close()
	s.file, s.fw = nil, nil
	return os.Remove(name)
}

// JSONWriter writes the JSON report of a stream (see [NewJSONWriter]).
type JSONWriter struct {
	w   *bufio.Writer
	idx checkIndex
	buf []byte

	subjects                  int
	findings, errors, skipped spool
	nFindings, nErrors        int
	nSkipped                  int
	err                       error
	started, closed           bool
}

// NewJSONWriter returns a writer of the JSON report (see [JSON]) of a
// stream: for the same entries, the same bytes as JSON writes for the
// Result that collects them ([hardening.Collect]). Subjects are written to
// w as they come; findings, errors and skipped documents, which the
// report lists after all subjects, are held in temporary files past a
// small size, so memory stays bounded. Only opts.Checks is read.
func NewJSONWriter(w io.Writer, opts Options) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10), idx: indexChecks(opts.Checks)}
}

// Write adds one entry.
func (j *JSONWriter) Write(e *hardening.Entry) error {
	if j.err != nil {
		return j.err
	}
	j.start()
	switch {
	case e.Subject != nil:
		s := e.Subject
		b := j.buf[:0]
		if j.subjects > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"name\": "...)
		b = appendJSONString(b, s.Name)
		b = append(b, ",\n      \"kind\": "...)
		b = appendJSONString(b, s.Kind.String())
		b = append(b, ",\n      \"source\": "...)
		b = appendJSONString(b, s.Source)
		b = append(b, ",\n      \"document\": "...)
		b = strconv.AppendInt(b, int64(s.Document), 10)
		if s.Template != "" {
			b = append(b, ",\n      \"template\": "...)
			b = appendJSONString(b, s.Template)
		}
		b = append(b, "\n    }"...)
		j.subjects++
		j.buf = b
		j.write(j.w, b)
	case e.Error != nil:
		de := e.Error
		b := j.buf[:0]
		if j.nErrors > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"source\": "...)
		b = appendJSONString(b, de.Source)
		b = append(b, ",\n      \"document\": "...)
		b = strconv.AppendInt(b, int64(de.Document), 10)
		b = append(b, ",\n      \"message\": "...)
		msg := ""
		if de.Err != nil {
			msg = de.Err.Error()
		}
		b = appendJSONString(b, msg)
		b = append(b, "\n    }"...)
		j.nErrors++
		j.buf = b
		j.write(&j.errors, b)
	case e.Skipped != nil:
		s := e.Skipped
		b := j.buf[:0]
		if j.nSkipped > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"source\": "...)
		b = appendJSONString(b, s.Source)
		b = append(b, ",\n      \"document\": "...)
		b = strconv.AppendInt(b, int64(s.Document), 10)
		b = append(b, ",\n      \"kind\": "...)
		b = appendJSONString(b, s.Kind)
		str := func(name, value string) {
			if value != "" {
				b = append(b, ",\n      \""+name+"\": "...)
				b = appendJSONString(b, value)
			}
		}
		str("name", s.Name)
		str("path", s.Path)
		if s.Part {
			b = append(b, ",\n      \"part\": true"...)
		}
		str("reason", s.Reason)
		str("controller", s.Controller)
		str("template", s.Template)
		b = append(b, "\n    }"...)
		j.nSkipped++
		j.buf = b
		j.write(&j.skipped, b)
	}
	for i := range e.Findings {
		j.finding(j.idx.complete(e.Findings[i]))
	}
	return j.err
}

func (j *JSONWriter) write(w io.Writer, b []byte) {
	if j.err == nil {
		_, j.err = w.Write(b)
	}
}

// finding writes one finding as jsonFinding's encoding does.
func (j *JSONWriter) finding(f hardening.Finding) {
	b := j.buf[:0]
	if j.nFindings > 0 {
		b = append(b, ',')
	}
	field := func(name string) { b = append(b, ",\n      \""+name+"\": "...) }
	b = append(b, "\n    {\n      \"check\": "...)
	b = appendJSONString(b, f.Check)
	field("severity")
	b = appendJSONString(b, f.Severity.String())
	field("class")
	b = appendJSONString(b, f.Class.String())
	field("subject")
	b = appendJSONString(b, f.Subject)
	field("kind")
	b = appendJSONString(b, f.Kind.String())
	field("source")
	b = appendJSONString(b, f.Source)
	field("document")
	b = strconv.AppendInt(b, int64(f.Document), 10)
	if f.Template != "" {
		field("template")
		b = appendJSONString(b, f.Template)
	}
	if f.Container != "" {
		field("container")
		b = appendJSONString(b, f.Container)
	}
	field("path")
	b = appendJSONString(b, f.Path)
	field("message")
	b = appendJSONString(b, f.Message)
	field("remediation")
	b = appendJSONString(b, f.Remediation)
	field("references")
	if len(f.References) == 0 {
		b = append(b, "[]"...)
	} else {
		b = append(b, '[')
		for i, ref := range f.References {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n        {\n          \"kind\": "...)
			b = appendJSONString(b, string(ref.Kind))
			b = append(b, ",\n          \"id\": "...)
			b = appendJSONString(b, ref.ID)
			b = append(b, ",\n          \"url\": "...)
			b = appendJSONString(b, ref.URL)
			b = append(b, "\n        }"...)
		}
		b = append(b, "\n      ]"...)
	}
	if len(f.Related) > 0 {
		field("related")
		b = append(b, '[')
		for i, id := range f.Related {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n        "...)
			b = appendJSONString(b, id)
		}
		b = append(b, "\n      ]"...)
	}
	field("suppressed")
	b = strconv.AppendBool(b, f.Suppressed)
	if f.SuppressionReason != "" {
		field("suppressionReason")
		b = appendJSONString(b, f.SuppressionReason)
	}
	if f.SuppressedBy != "" {
		field("suppressedBy")
		b = appendJSONString(b, string(f.SuppressedBy))
	}
	if f.Warning {
		field("warning")
		b = append(b, "true"...)
	}
	if f.BaselineState != "" {
		field("baselineState")
		b = appendJSONString(b, f.BaselineState)
	}
	field("fingerprint")
	sum := fingerprintSum(f.Check, f.Subject, f.Path)
	b = append(b, '"')
	b = hex.AppendEncode(b, sum[:])
	b = append(b, '"')
	b = append(b, "\n    }"...)
	j.nFindings++
	j.buf = b
	j.write(&j.findings, b)
}

// Close writes the findings, errors and skipped documents held so far and
// the end of the report, and removes the temporary files.
func (j *JSONWriter) Close() error {
	if j.closed {
		return j.err
	}
	j.closed = true
	defer j.findings.Close()
	defer j.errors.Close()
	defer j.skipped.Close()
	j.start()
	closeArray := func(n int) {
		if n == 0 {
			j.write(j.w, []byte("]"))
		} else {
			j.write(j.w, []byte("\n  ]"))
		}
	}
	closeArray(j.subjects)
	for _, sec := range []struct {
		name string
		n    int
		s    *spool
	}{{"findings", j.nFindings, &j.findings}, {"errors", j.nErrors, &j.errors}, {"skipped", j.nSkipped, &j.skipped}} {
		j.write(j.w, []byte(",\n  \""+sec.name+"\": ["))
		if sec.n > 0 && j.err == nil {
			_, j.err = sec.s.WriteTo(j.w)
		}
		closeArray(sec.n)
	}
	j.write(j.w, []byte("\n}\n"))
	if j.err == nil {
		j.err = j.w.Flush()
	}
	return j.err
}

// start writes the report's opening, once.
func (j *JSONWriter) start() {
	if !j.started {
		j.started = true
		j.buf = make([]byte, 0, 4096)
		j.write(j.w, []byte("{\n  \"version\": "+strconv.Itoa(JSONVersion)+",\n  \"subjects\": ["))
	}
}

// appendJSONString appends s as a JSON string, as encoding/json writes it
// without HTML escaping: quotes, backslashes and control characters
// escaped (\b, \f, \n, \r, \t by name), invalid UTF-8 as \ufffd, and
// U+2028 and U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
