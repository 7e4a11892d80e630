package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ANSI SGR sequences used by Text when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiBright = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiBlue   = "\x1b[34m"
)

// severityOrder lists severities from the most to the least severe.
var severityOrder = []hardening.Severity{
	hardening.SeverityCritical, hardening.SeverityHigh, hardening.SeverityMedium,
	hardening.SeverityLow, hardening.SeverityInfo,
}

// subjectKey identifies a subject within a result.
type subjectKey struct {
	name, source string
	document     int
}

// textGroup is one subject and its findings, in result order.
type textGroup struct {
	key      subjectKey
	kind     hardening.Kind
	findings []hardening.Finding
}

// textWriter accumulates Text output.
type textWriter struct {
	bytes.Buffer
	color bool
}

func (w *textWriter) paint(sgr, s string) {
	if w.color && sgr != "" {
		w.WriteString(sgr)
		w.WriteString(s)
		w.WriteString(ansiReset)
		return
	}
	w.WriteString(s)
}

func severityColor(s hardening.Severity) string {
	switch s {
	case hardening.SeverityCritical:
		return ansiBright
	case hardening.SeverityHigh:
		return ansiRed
	case hardening.SeverityMedium:
		return ansiYellow
	case hardening.SeverityLow:
		return ansiCyan
	case hardening.SeverityInfo:
		return ansiBlue
	}
	return ""
}

// Text writes r for people: findings grouped by subject, in the order of
// r.Subjects, then load errors, skipped documents, a tally per check and a
// one-line summary. Suppressed findings are counted but listed only when
// opts.ShowSuppressed is set. Control characters in messages and names are
// escaped so that a hostile input cannot drive the terminal. The output
// depends only on r and opts.
func Text(w io.Writer, r *hardening.Result, opts Options) error {
	if r == nil {
		r = &hardening.Result{}
	}
	idx := indexChecks(opts.Checks)
	all := findings(r, idx)
	groups := groupBySubject(r, all)
	tw := &textWriter{color: opts.Color}
	st := newTextStats()
	for _, g := range groups {
		st.group(tw, g, opts.ShowSuppressed)
	}

	errs := slices.DeleteFunc(slices.Clone(r.Errors), func(e *hardening.DocumentError) bool { return e == nil })
	if len(errs) > 0 {
		tw.WriteByte('\n')
		tw.paint(ansiBold, "errors:")
		tw.WriteByte('\n')
		for _, e := range errs {
			tw.docError(e)
		}
	}
	if len(r.Skipped) > 0 {
		tw.WriteByte('\n')
		tw.paint(ansiBold, "skipped:")
		tw.WriteByte('\n')
		for _, s := range r.Skipped {
			tw.skipped(s)
		}
	}
	st.errors, st.skipped = len(errs), len(r.Skipped)
	st.tally(tw, idx, tw.Len() > 0)
	_, err := w.Write(tw.Bytes())
	return err
}

// textStats counts what Text reports.
type textStats struct {
	groups, shown, suppressed, warnings, errors, skipped int
	perSeverity                                          map[hardening.Severity]int
	perCheck                                             map[string]int
}

func newTextStats() *textStats {
	return &textStats{perSeverity: map[hardening.Severity]int{}, perCheck: map[string]int{}}
}

// group writes one subject's group and counts its findings.
func (st *textStats) group(tw *textWriter, g *textGroup, showSuppressed bool) {
	st.groups++
	visible := g.findings[:0:0]
	hidden := 0
	for _, f := range g.findings {
		if f.Warning { // about the audit's configuration: shown, never counted
			st.warnings++
			visible = append(visible, f)
			continue
		}
		if f.Suppressed {
			st.suppressed++
			if !showSuppressed {
				hidden++
				continue
			}
		} else {
			st.shown++
			st.perSeverity[f.Severity]++
		}
		st.perCheck[f.Check]++
		visible = append(visible, f)
	}
	tw.subjectHeader(g)
	if len(visible) == 0 {
		tw.WriteString(": no findings")
		if hidden > 0 {
			fmt.Fprintf(tw, " (%d suppressed)", hidden)
		}
		tw.WriteByte('\n')
		return
	}
	tw.WriteByte('\n')
	for _, f := range visible {
		tw.finding(f)
	}
	if hidden > 0 {
		tw.paint(ansiDim, fmt.Sprintf("  (%s hidden)", plural(hidden, "suppressed finding")))
		tw.WriteByte('\n')
	}
}

// docError writes one load error's line.
func (w *textWriter) docError(e *hardening.DocumentError) {
	msg := "<nil>"
	if e.Err != nil {
		msg = e.Err.Error()
	}
	w.WriteString("  ")
	w.paint(ansiRed, sanitize(location(e.Source, e.Document)))
	w.WriteString(": " + sanitize(msg) + "\n")
}

// skipped writes one skipped document's line.
func (w *textWriter) skipped(s hardening.Skipped) {
	fmt.Fprintf(w, "  %s: %s\n", sanitize(location(s.Source, s.Document)), sanitize(s.Kind))
}

// tally writes the per-check tally and the summary line; wrote says
// whether anything came before them.
func (st *textStats) tally(tw *textWriter, idx checkIndex, wrote bool) {
	if len(st.perCheck) > 0 {
		tw.WriteByte('\n')
		tw.paint(ansiBold, "by check:")
		tw.WriteByte('\n')
		ids := make([]string, 0, len(st.perCheck))
		for id := range st.perCheck {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		width := len(strconv.Itoa(slices.Max(mapValues(st.perCheck))))
		idWidth := 0
		for _, id := range ids {
			idWidth = max(idWidth, len(sanitize(id)))
		}
		for _, id := range ids {
			fmt.Fprintf(tw, "  %*d  ", width, st.perCheck[id])
			if c := idx[id]; c != nil && c.Title != "" {
				fmt.Fprintf(tw, "%-*s", idWidth, sanitize(id))
				tw.paint(ansiDim, "  "+sanitize(c.Title))
			} else {
				tw.WriteString(sanitize(id))
			}
			tw.WriteByte('\n')
		}
		wrote = true
	}
	if wrote {
		tw.WriteByte('\n')
	}
	tw.summary(st.groups, st.shown, st.perSeverity, st.suppressed, st.warnings, st.errors, st.skipped)
}

func mapValues(m map[string]int) []int {
	vs := make([]int, 0, len(m))
	for _, v := range m {
		vs = append(vs, v)
	}
	return vs
}

// groupBySubject groups findings under the subjects of r, in subject order;
// findings of a subject not in r.Subjects form groups of their own, after
// the others, in the order they first appear.
func groupBySubject(r *hardening.Result, all []hardening.Finding) []*textGroup {
	var groups []*textGroup
	byKey := map[subjectKey]*textGroup{}
	for _, s := range r.Subjects {
		if s == nil {
			continue
		}
		k := subjectKey{s.Name, s.Source, s.Document}
		if byKey[k] != nil {
			continue
		}
		g := &textGroup{key: k, kind: s.Kind}
		byKey[k] = g
		groups = append(groups, g)
	}
	for _, f := range all {
		k := subjectKey{f.Subject, f.Source, f.Document}
		g := byKey[k]
		if g == nil {
			g = &textGroup{key: k, kind: f.Kind}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.findings = append(g.findings, f)
	}
	return groups
}

// subjectHeader writes "name (kind, source#document)" without a newline.
func (w *textWriter) subjectHeader(g *textGroup) {
	name := g.key.name
	if name == "" {
		name = "<unnamed>"
	}
	w.paint(ansiBold, sanitize(name))
	var details []string
	if g.kind != 0 {
		details = append(details, g.kind.String())
	}
	if g.key.source != "" {
		details = append(details, sanitize(location(g.key.source, g.key.document)))
	}
	if len(details) > 0 {
		w.WriteString(" (" + strings.Join(details, ", ") + ")")
	}
}

// finding writes one finding: "  SEVERITY  path: message [check]", then its
// suppression and remediation on indented lines.
func (w *textWriter) finding(f hardening.Finding) {
	const indent = "            " // 2 + len("CRITICAL") + 2
	sev := strings.ToUpper(f.Severity.String())
	sgr := severityColor(f.Severity)
	if f.Suppressed {
		sgr = ansiDim
	}
	if f.Warning {
		sev, sgr = "WARNING", ansiDim
	}
	w.WriteString("  ")
	w.paint(sgr, fmt.Sprintf("%-8s", sev))
	w.WriteString("  ")
	if f.Path != "" {
		w.WriteString(sanitize(f.Path) + ": ")
	}
	w.WriteString(sanitize(f.Message) + " ")
	tag := f.Check
	for _, id := range f.Related {
		tag += " +" + id
	}
	w.paint(ansiDim, "["+sanitize(tag)+"]")
	w.WriteByte('\n')
	if f.Suppressed {
		w.WriteString(indent)
		by := "suppressed"
		switch f.SuppressedBy {
		case hardening.SuppressedByObject:
			by = "suppressed by the object itself"
		case hardening.SuppressedByPolicy:
			by = "suppressed by policy"
		case hardening.SuppressedByExemption:
			by = "exempt"
		}
		w.paint(ansiDim, by+": "+sanitize(f.SuppressionReason))
		w.WriteByte('\n')
	}
	if f.Remediation != "" {
		w.WriteString(indent + "fix: " + sanitize(f.Remediation) + "\n")
	}
}

// summary writes the final line, for example
// "3 subjects, 5 findings (1 critical, 2 high, 2 medium), 1 suppressed, 0 errors".
func (w *textWriter) summary(subjects, shown int, perSeverity map[hardening.Severity]int, suppressed, warnings, errs, skipped int) {
	var b strings.Builder
	b.WriteString(plural(subjects, "subject") + ", " + plural(shown, "finding"))
	var parts []string
	for _, s := range severityOrder {
		if n := perSeverity[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	// Severities outside the known range, from hand-built results.
	var odd []hardening.Severity
	for s := range perSeverity {
		if !slices.Contains(severityOrder, s) {
			odd = append(odd, s)
		}
	}
	slices.Sort(odd)
	for _, s := range odd {
		parts = append(parts, fmt.Sprintf("%d %s", perSeverity[s], s))
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, ", %d suppressed, %s", suppressed, plural(errs, "error"))
	if warnings > 0 {
		b.WriteString(", " + plural(warnings, "warning"))
	}
	if skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", skipped)
	}
	sgr := ansiBold
	if errs > 0 || shown > 0 {
		sgr = ansiBold + ansiRed
	}
	w.paint(sgr, b.String())
	w.WriteByte('\n')
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
