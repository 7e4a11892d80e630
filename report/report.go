package report

import (
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Options controls rendering. The zero value is valid: plain text without
// suppressed findings, and rules built from the findings alone.
type Options struct {
	// ShowSuppressed makes Text list suppressed findings, marked with their
	// reason. JSON and SARIF always include suppressed findings, marked.
	ShowSuppressed bool
	// ShowInfo makes Text list findings of severity info; without it, each
	// subject counts them in one line. JSON and SARIF always include them.
	ShowInfo bool
	// Color makes Text use ANSI colours. Callers usually pass
	// IsTerminal(os.Stdout), and false when the NO_COLOR environment
	// variable is set. JSON and SARIF ignore it.
	Color bool
	// Checks are the checks that ran. SARIF builds its rules from them and
	// Text names them in its per-check tally; a finding whose severity or
	// class is unset takes the check's. A finding whose check is not in the
	// list still gets a minimal SARIF rule.
	Checks hardening.Checks
	// ToolVersion, when set, is reported as the SARIF tool.driver.version.
	ToolVersion string
	// MaxSARIFResults is the most results a SARIF log keeps, the most
	// severe; default SARIFShownResults (5,000, what GitHub code scanning
	// shows of a run), at most SARIFMaxResults (25,000, what it accepts).
	MaxSARIFResults int
	// Lines, when set, gives SARIF the 1-based line of a finding's field
	// path in its source document (0 when it cannot tell), so that a result
	// points at its own line rather than at the document's first;
	// (*load.Lines).Line is one. SARIF calls it only for the results it
	// writes, in input order.
	Lines func(source string, document int, path string) int
}

// IsTerminal reports whether f is a character device, which is how a
// terminal looks to os.File.Stat. It needs no system-specific package; the
// price is that other character devices (/dev/null) count as terminals too,
// which only matters for colour written to a device nobody reads.
func IsTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// checkIndex maps check IDs to the checks of opts.
type checkIndex map[string]*hardening.Check

func indexChecks(cs hardening.Checks) checkIndex {
	idx := make(checkIndex, len(cs))
	for _, c := range cs {
		if c != nil && c.ID != "" {
			if _, dup := idx[c.ID]; !dup {
				idx[c.ID] = c
			}
		}
	}
	return idx
}

// complete returns f with the fields a hand-built finding may have left
// unset filled in from its check, as the runner does.
func (idx checkIndex) complete(f hardening.Finding) hardening.Finding {
	if c := idx[f.Check]; c != nil {
		c.Fill(&f)
	}
	return f
}

// findings returns the completed findings of r.
func findings(r *hardening.Result, idx checkIndex) []hardening.Finding {
	out := make([]hardening.Finding, len(r.Findings))
	for i, f := range r.Findings {
		out[i] = idx.complete(f)
	}
	return out
}

// location renders "source#document", or just the source for a whole-file
// location (document < 0).
func location(source string, document int) string {
	if document < 0 {
		return source
	}
	return source + "#" + strconv.Itoa(document)
}

// sanitize makes s safe to print on a terminal: control characters, which
// a hostile input could use to move the cursor or recolour the screen, are
// shown as Go escapes.
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if isControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case isControl(r):
			q := strconv.QuoteRuneToASCII(r) // "'\x1b'"
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || (r >= 0x7f && r < 0xa0) }
