package hardening

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// RunOptions configures a [Runner].
type RunOptions struct {
	// Suppressions lists the sources trusted to suppress findings. Nil
	// trusts none: every finding counts. Who may suppress is a decision of
	// whoever runs the audit, never of the audited object alone; the usual
	// choices are:
	//
	//   - files reviewed in CI: [ObjectAnnotations] (the author answers for
	//     them in review; each such finding is marked as suppressed by the
	//     object itself) and a [Policy] file;
	//   - admission: never the object, only [Exemptions];
	//   - a cluster audit: only a [Policy] file.
	Suppressions []Suppressor
}

// Runner runs a list of checks over subjects: it is the [Checker] tools
// embed. For each subject it runs every check that reads the subject's kind
// and platform, completes each finding from its check and the subject,
// applies the trusted suppressions, merges the findings reported at one
// field path into one (see [Finding.Related]), and appends warnings about
// the suppressions themselves. A Runner is safe for concurrent use.
type Runner struct {
	checks      Checks
	suppressors []Suppressor
	// validate is set when the checks were not validated at construction
	// (a bare [Checks] used as a Checker): malformed checks then produce a
	// CheckFailed finding on every subject rather than passing in silence.
	validate bool
	// hasSet is set when a check judges the run as a whole (Check.Set);
	// sets holds their run in progress.
	hasSet bool
	sets   *setRuns
}

// NewRunner returns a runner for checks. It refuses a nil check, a
// malformed or duplicate ID, a check without Inputs, and a check without
// Run (other than the runner's own checks, such as [UnusedSuppression]):
// each would otherwise audit nothing without a word.
func NewRunner(checks Checks, opts RunOptions) (*Runner, error) {
	var errs []error
	seen := make(map[string]bool, len(checks))
	for i, c := range checks {
		if c == nil {
			errs = append(errs, fmt.Errorf("check %d is nil", i))
			continue
		}
		if problem := runnable(c); problem != "" {
			errs = append(errs, fmt.Errorf("check %q: %s", c.ID, problem))
		}
		if seen[c.ID] {
			errs = append(errs, fmt.Errorf("check %q: duplicate ID", c.ID))
		}
		seen[c.ID] = true
	}
	for i, sp := range opts.Suppressions {
		if sp == nil {
			errs = append(errs, fmt.Errorf("suppression source %d is nil", i))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	r := &Runner{checks: slices.Clone(checks), suppressors: slices.Clone(opts.Suppressions)}
	if slices.ContainsFunc(r.checks, func(c *Check) bool { return c.Set != nil }) {
		r.hasSet, r.sets = true, &setRuns{}
	}
	return r, nil
}

// Checks returns a copy of the runner's checks.
func (r *Runner) Checks() Checks { return slices.Clone(r.checks) }

// runnerChecks are the checks whose findings the runner itself produces;
// they have no Run and are always in effect, whatever the list holds.
var runnerChecks = [...]*Check{CheckFailed, UnusedSuppression, SuppressionWithoutReason, MalformedSuppression, ExpiredSuppression}

// RunnerChecks returns the checks whose findings the runner itself
// produces. They are in effect under every profile and selection; catalogs
// list them so their IDs are documented.
func RunnerChecks() Checks { return slices.Clone(Checks(runnerChecks[:])) }

func isRunnerCheck(c *Check) bool {
	for _, rc := range runnerChecks {
		if c == rc {
			return true
		}
	}
	return false
}

// runnable returns why c cannot run, or "".
func runnable(c *Check) string {
	switch {
	case !validID(c.ID):
		return "ID must be <package>.<kebab-name>"
	case c.Inputs == 0 || c.Inputs&^KindAll != 0:
		return "Inputs must name at least one input kind (KindPod, KindOCISpec, KindImage, KindObject)"
	case c.Run == nil && c.Set == nil && !isRunnerCheck(c):
		return "Run and Set are nil"
	}
	return ""
}

// validID reports whether id is <package>.<kebab-name>: lower-case
// letters and digits, the package starting with a letter, one dot, and
// hyphens only between words. It does the work of the checkID regexp
// without its cost, since a bare Checks validates on every subject.
func validID(id string) bool {
	pkg, name, ok := strings.Cut(id, ".")
	if !ok || pkg == "" || name == "" || pkg[0] < 'a' || pkg[0] > 'z' {
		return false
	}
	for i := 0; i < len(pkg); i++ {
		if !lowerAlnum(pkg[i]) {
			return false
		}
	}
	for i := 0; i < len(name); i++ {
		if name[i] == '-' {
			if i == 0 || i == len(name)-1 || name[i-1] == '-' {
				return false
			}
		} else if !lowerAlnum(name[i]) {
			return false
		}
	}
	return true
}

func lowerAlnum(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// CheckFailed is reported when a check panics or cannot run (no Run, no
// Inputs, a malformed ID), so that a bug in one check neither crashes the
// caller nor passes silently.
var CheckFailed = &Check{
	ID:          "hardening.check-failed",
	Title:       "check failed while running",
	Severity:    SeverityHigh,
	Class:       ClassManagement,
	Inputs:      KindAll,
	Platforms:   PlatformAll,
	Rationale:   "A check that fails gives no verdict; the subject has not been audited for that control.",
	Remediation: "Report the failure to the check's authors with the input that triggered it.",
}

// Check implements [Checker].
func (r *Runner) Check(s *Subject, out []Finding) []Finding {
	if s == nil {
		return out
	}
	start := len(out)
	for next := 0; next < len(r.checks); {
		out, next = r.runFrom(s, out, next)
	}
	end := len(out)
	var warnings []Finding
	if len(r.suppressors) > 0 {
		warnings = r.suppress(s, out[start:end])
	}
	out = r.merge(out, start)
	out = r.fold(out, start)
	out = append(out, warnings...)
	r.observe(s, out[start:])
	return out
}

// runs reports whether c runs on s.
func runs(c *Check, s *Subject) bool {
	return c.Run != nil && c.Inputs&s.Kind != 0 && c.Platforms.orLinux()&s.Platform() != 0
}

// runFrom runs r.checks[i:] on s until they are done or one panics, and
// returns the index to go on from. A panic becomes a CheckFailed finding in
// place of the failing check's findings. One deferred recover covers the
// whole run, so the common case pays for it once, not per check.
func (r *Runner) runFrom(s *Subject, out []Finding, i int) (result []Finding, next int) {
	mark := len(out)
	defer func() {
		if v := recover(); v != nil {
			result = append(out[:mark], Finding{Message: fmt.Sprintf("check %s panicked: %v", r.checks[i].ID, v)})
			complete(&result[mark], CheckFailed, s)
			next = i + 1
		}
	}()
	platform := s.Platform()
	for ; i < len(r.checks); i++ {
		c := r.checks[i]
		if r.validate {
			if c == nil {
				continue
			}
			if problem := runnable(c); problem != "" {
				out = append(out, Finding{Message: "check " + strconv.Quote(c.ID) + " cannot run: " + problem})
				complete(&out[len(out)-1], CheckFailed, s)
				continue
			}
		}
		if c.Run == nil || c.Inputs&s.Kind == 0 || c.Platforms.orLinux()&platform == 0 {
			continue
		}
		mark = len(out)
		out = c.Run(s, out)
		if len(s.Unobserved) > 0 {
			out = dropUnobserved(s, out, mark)
		}
		for j := mark; j < len(out); j++ {
			complete(&out[j], c, s)
		}
	}
	return out, i
}

// dropUnobserved removes from out[from:] the findings at field paths the
// subject could not observe: what was not seen gets no verdict, whichever
// check read it.
func dropUnobserved(s *Subject, out []Finding, from int) []Finding {
	kept := out[:from]
	for _, f := range out[from:] {
		if s.Observed(f.Path) {
			kept = append(kept, f)
		}
	}
	clear(out[len(kept):])
	return kept
}

// complete fills in what a check left unset from the check and the subject.
func complete(f *Finding, c *Check, s *Subject) {
	if f.Check == "" {
		f.Check = c.ID
	}
	c.Fill(f)
	if f.Container == "" && s.Pod != nil {
		f.Container = s.containerAt(f.Path)
	}
	f.Subject = s.Name
	f.Kind = s.Kind
	f.Source = s.Source
	f.Document = s.Document
	f.Line = s.Line
	f.Template = s.Template
}

// Fill fills in the fields of f that take the check's value when a check
// leaves them unset: severity, class, remediation and references.
func (c *Check) Fill(f *Finding) {
	if f.Severity == 0 {
		f.Severity = c.Severity
	}
	if f.Class == 0 {
		f.Class = c.Class
	}
	if f.Remediation == "" {
		f.Remediation = c.Remediation
	}
	if f.References == nil {
		f.References = c.References
	}
}

// Complete fills in the fields of f that the runner completes: those a
// check left unset (severity, class, remediation, references) from c, and
// the subject's name, kind, source, document and line, and the container
// named by f's path, from s. Runners call it; tools that build findings
// of their own (a report about a whole run) may too.
func Complete(f *Finding, c *Check, s *Subject) { complete(f, c, s) }

// mergeMapMin is the number of findings above which merge indexes paths
// with a map instead of comparing every pair.
const mergeMapMin = 32

// merge turns the findings of out[start:] that different checks reported
// at one field path into one finding each, in place, and returns the
// shortened slice. The merged finding takes the place of the group's first
// finding; its Check is the primary ID (the general check, or the Pod
// Security Standards control when no general check is in the group),
// Related lists the other IDs, its message adds theirs, its severity is the
// highest, and it is suppressed only when every finding in the group was.
//
// Findings without a path and warnings are never merged. Nor is a group in
// which one check reported several findings at the path about the same
// container (or none): that check says they are distinct problems (one per
// missing namespace at linux.namespaces), and pairing another check's
// finding with one of them would be a guess. A merged finding about
// several containers names none.
func (r *Runner) merge(out []Finding, start int) []Finding {
	fs := out[start:]
	if len(fs) < 2 || !hasSharedPath(fs) {
		return out
	}
	groups := make(map[string][]int, len(fs))
	for i := range fs {
		if p := fs[i].Path; p != "" && !fs[i].Warning {
			groups[p] = append(groups[p], i)
		}
	}
	merged := make([]Finding, 0, len(fs))
	for i := range fs {
		g := groups[fs[i].Path]
		if len(g) < 2 || fs[i].Path == "" || fs[i].Warning || repeatsCheck(fs, g) {
			merged = append(merged, fs[i])
			continue
		}
		if g[0] == i {
			merged = append(merged, r.mergeGroup(fs, g))
		}
	}
	n := copy(fs, merged)
	clear(fs[n:])
	return out[:start+n]
}

// repeatsCheck reports whether a check reported more than once about one
// container (or about the subject as a whole) among fs[g]. One check at one
// path for several containers is one root cause: a pod-level runAsUser: 0
// that every container inherits.
func repeatsCheck(fs []Finding, g []int) bool {
	for a := range g {
		for b := a + 1; b < len(g); b++ {
			if x, y := &fs[g[a]], &fs[g[b]]; x.Check == y.Check && x.Container == y.Container {
				return true
			}
		}
	}
	return false
}

// hasSharedPath reports whether two findings of fs share a non-empty path,
// without allocating for the common small case.
func hasSharedPath(fs []Finding) bool {
	if len(fs) > mergeMapMin {
		seen := make(map[string]bool, len(fs))
		for i := range fs {
			if p := fs[i].Path; p != "" && !fs[i].Warning {
				if seen[p] {
					return true
				}
				seen[p] = true
			}
		}
		return false
	}
	for i := range fs {
		if fs[i].Path == "" || fs[i].Warning {
			continue
		}
		for j := i + 1; j < len(fs); j++ {
			if fs[j].Path == fs[i].Path && !fs[j].Warning {
				return true
			}
		}
	}
	return false
}

func (r *Runner) mergeGroup(fs []Finding, idx []int) Finding {
	if len(idx) == 1 {
		return fs[idx[0]]
	}
	primary := idx[0]
	for _, i := range idx {
		if c := r.checks.Lookup(fs[i].Check); c != nil && c.PSSLevel == 0 {
			primary = i
			break
		}
	}
	m := fs[primary]
	m.Related = nil
	suppressed := true
	for _, i := range idx {
		f := &fs[i]
		if f.Container != m.Container {
			m.Container = ""
		}
		if f.Severity > m.Severity {
			m.Severity = f.Severity
		}
		if !f.Suppressed {
			suppressed = false
		}
		switch {
		case f.Check != m.Check && !slices.Contains(m.Related, f.Check):
			m.Related = append(m.Related, f.Check)
			if f.Message != "" && !strings.Contains(m.Message, f.Message) {
				m.Message += "; " + f.Check + ": " + f.Message
			}
		case f.Check == m.Check && f.Message != "" && !strings.Contains(m.Message, f.Message):
			m.Message += "; " + f.Message // the same cause, seen from another container
		}
		for _, id := range f.Related {
			if id != m.Check && !slices.Contains(m.Related, id) {
				m.Related = append(m.Related, id)
			}
		}
	}
	if !suppressed {
		m.Suppressed, m.SuppressionReason, m.SuppressedBy = false, "", ""
	} else if !m.Suppressed { // cannot happen: every member is suppressed
		m.Suppressed = true
	}
	return m
}

// fold folds, for each finding of out[start:] whose general check declares
// Moots, the other findings at or below the moot paths into it. It costs
// nothing unless such a finding is there.
func (r *Runner) fold(out []Finding, start int) []Finding {
	fs := out[start:]
	if len(fs) < 2 {
		return out
	}
	var folders []*Check
	for _, c := range r.checks {
		if c != nil && c.Moots != nil && c.PSSLevel == 0 {
			folders = append(folders, c)
		}
	}
	if len(folders) == 0 {
		return out
	}
	var gone []bool
	for i := range fs {
		var c *Check
		for _, fc := range folders {
			if fs[i].Check == fc.ID {
				c = fc
			}
		}
		if c == nil || fs[i].Warning || gone != nil && gone[i] {
			continue
		}
		moot := c.Moots(&fs[i])
		var also []string
		for j := range fs {
			g := &fs[j]
			if j == i || g.Warning || gone != nil && gone[j] || !underAny(g.Path, moot) {
				continue
			}
			if fs[i].Suppressed && !g.Suppressed {
				continue // folding would hide a finding that counts
			}
			if gone == nil {
				gone = make([]bool, len(fs))
			}
			gone[j] = true
			for _, id := range append([]string{g.Check}, g.Related...) {
				if id != fs[i].Check && !slices.Contains(fs[i].Related, id) {
					fs[i].Related = append(fs[i].Related, id)
				}
			}
			also = append(also, g.Path+" ("+g.Check+")")
		}
		if len(also) > 0 {
			fs[i].Message += "; once that is fixed, also fix " + strings.Join(also, ", ")
		}
	}
	if gone == nil {
		return out
	}
	kept := fs[:0]
	for i := range fs {
		if !gone[i] {
			kept = append(kept, fs[i])
		}
	}
	clear(fs[len(kept):])
	return out[:start+len(kept)]
}

// underAny reports whether path is one of roots or lies below one.
func underAny(path string, roots []string) bool {
	for _, r := range roots {
		if path == r || len(path) > len(r) && path[:len(r)] == r && (path[len(r)] == '.' || path[len(r)] == '[') {
			return true
		}
	}
	return false
}

// Result is an audit's outcome: what was audited, what was found, what could
// not be read and what was skipped. The report package renders it.
type Result struct {
	Subjects []*Subject
	Findings []Finding
	Errors   []*DocumentError
	Skipped  []Skipped
}

// Audit runs c over every subject of r, replacing r.Findings. When c is a
// [*Runner], the warnings it has about the run as a whole (see
// [Runner.Finish]) come last.
func (r *Result) Audit(c Checker) {
	r.Findings = r.Findings[:0]
	for _, s := range r.Subjects {
		r.Findings = c.Check(s, r.Findings)
	}
	if f, ok := c.(interface{ Finish() []Finding }); ok {
		r.Findings = append(r.Findings, f.Finish()...)
	}
}

// Failed reports whether r has a finding that counts at or above min (see
// [Finding.Counts]): warnings and suppressed findings never do.
func (r *Result) Failed(min Severity) bool {
	for i := range r.Findings {
		if r.Findings[i].Counts(min) {
			return true
		}
	}
	return false
}

// ExitCode is the exit code a CI command gives for r: 2 when an input
// could not be read, 1 when a finding counts at or above min, 0 otherwise.
func (r *Result) ExitCode(min Severity) int {
	switch {
	case len(r.Errors) > 0:
		return 2
	case r.Failed(min):
		return 1
	}
	return 0
}

// Finish returns the runner's findings about the run as a whole: those of
// its set checks ([Check.Set]), then the warnings of the suppression
// sources that keep them (a [Policy]: entries that expired, and entries
// that matched no finding of any subject checked so far). Call it once,
// after the last subject; the next subject starts a new run.
func (r *Runner) Finish() []Finding {
	out := r.finishSets()
	for _, sp := range r.suppressors {
		if w, ok := sp.(interface {
			Warnings(ran Checks) []Finding
		}); ok {
			out = append(out, w.Warnings(r.checks)...)
		}
	}
	return out
}

// suppressionBuffers recycles the per-subject list of suppressions.
var suppressionBuffers = sync.Pool{New: func() any { return new([]Suppression) }}
