package report

import (
	"bytes"
	"cmp"
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
	template string
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
// r.Subjects, the most severe first, then load errors, skipped documents,
// a tally per check and a one-line summary. Suppressed findings are
// counted but listed only when opts.ShowSuppressed is set, info findings
// only when opts.ShowInfo is set, and findings a [Baseline] suppressed
// never. Control characters in messages and names are escaped so that a
// hostile input cannot drive the terminal. The output depends only on r
// and opts.
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
		st.group(tw, g, &opts)
	}

	errs := slices.DeleteFunc(slices.Clone(r.Errors), func(e *hardening.DocumentError) bool { return e == nil })
	if len(errs) > 0 {
		tw.title("errors:")
		for _, e := range errs {
			tw.docError(e)
		}
	}
	// Skipped objects are counted by kind; those whose pods a controller
	// runs, and parts of objects, are listed one by one.
	scratch := &textWriter{color: opts.Color}
	var lists [skipLists]bytes.Buffer
	for _, s := range r.Skipped {
		scratch.Reset()
		if l := st.skips.add(scratch, s); l != skipCounted {
			lists[l].Write(scratch.Bytes())
		}
	}
	st.skips.kinds(tw)
	for l := range lists {
		if lists[l].Len() > 0 {
			tw.title(skipTitles[l])
			tw.Write(lists[l].Bytes())
		}
	}
	st.errors = len(errs)
	st.tally(tw, idx, tw.Len() > 0)
	_, err := w.Write(tw.Bytes())
	return err
}

// title writes a section's title, after an empty line.
func (w *textWriter) title(t string) {
	w.WriteByte('\n')
	w.paint(ansiBold, t)
	w.WriteByte('\n')
}

// textStats counts what Text reports.
type textStats struct {
	groups, shown, suppressed, warnings, errors, baseline int
	skips                                                 skipTally
	perSeverity                                           map[hardening.Severity]int
	perCheck                                              map[string]int
}

func newTextStats() *textStats {
	return &textStats{perSeverity: map[hardening.Severity]int{}, perCheck: map[string]int{}}
}

// textRank orders the findings of a group: the most severe first,
// warnings last.
func textRank(f *hardening.Finding) int {
	if f.Warning {
		return -1
	}
	return int(f.Severity)
}

// group writes one subject's group and counts its findings: those listed,
// the most severe first (in result order within a severity, warnings
// last), then a line for each kind of finding counted but not listed.
func (st *textStats) group(tw *textWriter, g *textGroup, opts *Options) {
	st.groups++
	visible := g.findings[:0:0]
	hidden, info, baseline := 0, 0, 0
	for _, f := range g.findings {
		switch {
		case f.Warning: // about the audit's configuration: shown, never counted
			st.warnings++
			visible = append(visible, f)
			continue
		case f.Suppressed && f.SuppressedBy == SuppressedByBaseline:
			st.baseline++
			baseline++
			continue
		case f.Suppressed:
			st.suppressed++
			if !opts.ShowSuppressed {
				hidden++
				continue
			}
		default:
			st.shown++
			st.perSeverity[f.Severity]++
		}
		st.perCheck[f.Check]++
		if f.Severity == hardening.SeverityInfo && !opts.ShowInfo {
			info++
			continue
		}
		visible = append(visible, f)
	}
	slices.SortStableFunc(visible, func(a, b hardening.Finding) int { return cmp.Compare(textRank(&b), textRank(&a)) })
	tw.subjectHeader(g)
	if len(visible) == 0 && info == 0 && baseline == 0 {
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
	if info > 0 {
		them := "them"
		if info == 1 {
			them = "it"
		}
		tw.paint(ansiDim, fmt.Sprintf("  + %s, -show-info lists %s", plural(info, "info finding"), them))
		tw.WriteByte('\n')
	}
	if baseline > 0 {
		tw.paint(ansiDim, fmt.Sprintf("  (%s in the baseline not shown)", plural(baseline, "finding")))
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
	tw.summary(st)
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
		g := &textGroup{key: k, kind: s.Kind, template: s.Template}
		byKey[k] = g
		groups = append(groups, g)
	}
	for _, f := range all {
		k := subjectKey{f.Subject, f.Source, f.Document}
		g := byKey[k]
		if g == nil {
			g = &textGroup{key: k, kind: f.Kind, template: f.Template}
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
	if g.template != "" {
		w.WriteString(" (from " + sanitize(g.template) + ")")
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
func (w *textWriter) summary(st *textStats) {
	var b strings.Builder
	b.WriteString(plural(st.groups, "subject") + ", " + plural(st.shown, "finding"))
	var parts []string
	for _, s := range severityOrder {
		if n := st.perSeverity[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	// Severities outside the known range, from hand-built results.
	var odd []hardening.Severity
	for s := range st.perSeverity {
		if !slices.Contains(severityOrder, s) {
			odd = append(odd, s)
		}
	}
	slices.Sort(odd)
	for _, s := range odd {
		parts = append(parts, fmt.Sprintf("%d %s", st.perSeverity[s], s))
	}
	if len(parts) > 0 {
		b.WriteString(" (" + strings.Join(parts, ", ") + ")")
	}
	fmt.Fprintf(&b, ", %d suppressed, %s", st.suppressed, plural(st.errors, "error"))
	if st.warnings > 0 {
		b.WriteString(", " + plural(st.warnings, "warning"))
	}
	if st.baseline > 0 {
		fmt.Fprintf(&b, ", %d in the baseline", st.baseline)
	}
	if sk := &st.skips; sk.objects > 0 {
		fmt.Fprintf(&b, ", %d skipped", sk.objects)
		if sk.controlled > 0 {
			fmt.Fprintf(&b, " (%d with pods not in the input)", sk.controlled)
		}
	}
	if n := st.skips.parts; n > 0 {
		fmt.Fprintf(&b, ", %s not audited", plural(n, "part"))
	}
	sgr := ansiBold
	if st.errors > 0 || st.shown > 0 {
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
