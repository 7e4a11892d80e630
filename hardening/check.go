package hardening

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Check is one hardening check: metadata that docs, reports and selection
// read, and the function that runs it. Checks are values: build lists of
// them, select from them, or write your own.
type Check struct {
	// ID is stable and unique: <package>.<kebab-name>, for example
	// "capabilities.dangerous".
	ID string
	// Title is a short lower-case phrase, no final period.
	Title string
	// Severity is the severity of the check's findings, unless a finding
	// sets its own (a check may rank some values higher than others).
	Severity Severity
	// Class is the attack class the missing control opens.
	Class Class
	// Inputs are the kinds of subject the check reads.
	Inputs Kind
	// Rationale says why the control matters, in a sentence or two.
	Rationale string
	// Remediation says how to fix a finding, imperatively.
	Remediation string
	// References point at the standards and advisories behind the check.
	References []Reference
	// Run appends the check's findings for s to out and returns it. It is
	// called only for subjects whose Kind is in Inputs. It sets each
	// finding's Path and Message, and Severity, Container or Remediation
	// when they differ from the check's; the rest is filled in by [Checks].
	// Run must not retain or modify s. A nil Run marks a check whose
	// findings are produced by the runner itself (see [UnusedSuppression]).
	Run func(s *Subject, out []Finding) []Finding
}

// Finding is one missing control at one place in one subject.
type Finding struct {
	// Check is the ID of the check that reported it.
	Check    string   `json:"check"`
	Severity Severity `json:"severity"`
	Class    Class    `json:"class"`
	// Subject is the subject's display name.
	Subject string `json:"subject"`
	// Kind is the subject's input kind.
	Kind     Kind   `json:"kind"`
	Source   string `json:"source"`
	Document int    `json:"document"`
	// Line is the line of Source where the subject's document starts (see
	// [Subject.Line]); 0 when unknown.
	Line int `json:"line,omitempty"`
	// Container names the Pod container the finding is about, if any;
	// container-scoped suppressions match on it.
	Container string `json:"container,omitempty"`
	// Path is the field path into the source document, with JSON field
	// names: "spec.containers[1].securityContext.capabilities.add[0]",
	// "process.capabilities.bounding[3]", "config.User". For a missing
	// setting it is the path of the field that should be set.
	Path string `json:"path"`
	// Message says what is wrong and shows the offending value.
	Message     string      `json:"message"`
	Remediation string      `json:"remediation"`
	References  []Reference `json:"references"`
	// Suppressed is set when an annotation suppressed the finding;
	// SuppressionReason holds the annotation's reason.
	Suppressed        bool   `json:"suppressed"`
	SuppressionReason string `json:"suppressionReason,omitempty"`
}

// String renders "path: message [check severity]".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s [%s %s]", f.Path, f.Message, f.Check, f.Severity)
}

// Checker turns a subject into findings. It appends them to out and returns
// the result, so a subject that passes costs no allocation. Implementations
// must be safe for concurrent use and deterministic.
type Checker interface {
	Check(s *Subject, out []Finding) []Finding
}

// CheckerFunc adapts a function to [Checker].
type CheckerFunc func(s *Subject, out []Finding) []Finding

// Check calls f.
func (f CheckerFunc) Check(s *Subject, out []Finding) []Finding { return f(s, out) }

// Checks is a list of checks and a [Checker]: it runs each check that reads
// the subject's kind, in list order, completes the findings from the check
// and the subject, and applies the subject's suppressions.
type Checks []*Check

// CheckFailed is reported when a check panics, so that a bug in one check
// neither crashes the caller nor passes silently.
var CheckFailed = &Check{
	ID:          "hardening.check-failed",
	Title:       "check failed while running",
	Severity:    SeverityHigh,
	Class:       ClassManagement,
	Inputs:      KindAll,
	Rationale:   "A check that fails gives no verdict; the subject has not been audited for that control.",
	Remediation: "Report the failure to the check's authors with the input that triggered it.",
}

// Check implements [Checker].
func (cs Checks) Check(s *Subject, out []Finding) []Finding {
	if s == nil {
		return out
	}
	start := len(out)
	for next := 0; next < len(cs); {
		out, next = cs.runFrom(s, out, next)
	}
	return cs.suppress(s, out, start)
}

// runFrom runs cs[i:] on s until they are done or one panics, and returns
// the index to go on from. A panic becomes a CheckFailed finding in place of
// the failing check's findings. One deferred recover covers the whole run,
// so the common case pays for it once, not per check.
func (cs Checks) runFrom(s *Subject, out []Finding, i int) (result []Finding, next int) {
	mark := len(out)
	defer func() {
		if r := recover(); r != nil {
			result = append(out[:mark], Finding{
				Message:  fmt.Sprintf("check %s panicked: %v", cs[i].ID, r),
				Severity: CheckFailed.Severity,
			})
			complete(&result[mark], CheckFailed, s)
			next = i + 1
		}
	}()
	for ; i < len(cs); i++ {
		c := cs[i]
		if c == nil || c.Run == nil || c.Inputs&s.Kind == 0 {
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

func complete(f *Finding, c *Check, s *Subject) {
	if f.Check == "" {
		f.Check = c.ID
	}
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
	f.Subject = s.Name
	f.Kind = s.Kind
	f.Source = s.Source
	f.Document = s.Document
	f.Line = s.Line
}

// Lookup returns the check with the given ID, or nil.
func (cs Checks) Lookup(id string) *Check {
	for _, c := range cs {
		if c != nil && c.ID == id {
			return c
		}
	}
	return nil
}

// Selection narrows a list of checks. The zero Selection keeps everything.
type Selection struct {
	// Include keeps only checks matching one of these patterns; empty keeps
	// all. Patterns are path.Match patterns over IDs: an exact ID,
	// "capabilities.*", "*.pss-*", "*".
	Include []string
	// Exclude drops checks matching one of these patterns.
	Exclude []string
	// Kinds keeps only checks that read one of these input kinds; 0 keeps all.
	Kinds Kind
}

// Select returns the checks of cs that sel keeps, in the same order.
func (cs Checks) Select(sel Selection) Checks {
	var out Checks
	for _, c := range cs {
		if c == nil {
			continue
		}
		if len(sel.Include) > 0 && !matchAny(sel.Include, c.ID) {
			continue
		}
		if matchAny(sel.Exclude, c.ID) {
			continue
		}
		if sel.Kinds != 0 && c.Inputs&sel.Kinds == 0 {
			continue
		}
		out = append(out, c)
	}
	return out
}

func matchAny(patterns []string, id string) bool {
	for _, p := range patterns {
		if ok, err := path.Match(p, id); ok && err == nil {
			return true
		}
	}
	return false
}

// AtLeast returns a Checker that keeps only the findings of c at or above
// min. Findings are filtered after suppression, so an unused suppression is
// reported only if its own severity passes min.
func AtLeast(c Checker, min Severity) Checker {
	return CheckerFunc(func(s *Subject, out []Finding) []Finding {
		start := len(out)
		out = c.Check(s, out)
		kept := out[:start]
		for _, f := range out[start:] {
			if f.Severity >= min {
				kept = append(kept, f)
			}
		}
		clear(out[len(kept):])
		return kept
	})
}

var checkID = regexp.MustCompile(`^[a-z][a-z0-9]*\.[a-z0-9]+(-[a-z0-9]+)*$`)

// Validate reports every problem with a list of checks: malformed or
// duplicate IDs and missing metadata. Catalogs call it in their tests.
func Validate(cs Checks) error {
	var errs []error
	seen := map[string]bool{}
	for i, c := range cs {
		if c == nil {
			errs = append(errs, fmt.Errorf("check %d is nil", i))
			continue
		}
		if !checkID.MatchString(c.ID) {
			errs = append(errs, fmt.Errorf("check %q: ID must be <package>.<kebab-name>", c.ID))
		}
		if seen[c.ID] {
			errs = append(errs, fmt.Errorf("check %q: duplicate ID", c.ID))
		}
		seen[c.ID] = true
		for _, missing := range []struct {
			field string
			empty bool
		}{
			{"Title", c.Title == ""},
			{"Severity", c.Severity < SeverityInfo || c.Severity > SeverityCritical},
			{"Class", c.Class < ClassEscape || c.Class > ClassManagement},
			{"Inputs", c.Inputs == 0 || c.Inputs&^KindAll != 0},
			{"Rationale", c.Rationale == ""},
			{"Remediation", c.Remediation == ""},
		} {
			if missing.empty {
				errs = append(errs, fmt.Errorf("check %q: %s is missing or invalid", c.ID, missing.field))
			}
		}
		if strings.HasSuffix(c.Title, ".") {
			errs = append(errs, fmt.Errorf("check %q: Title ends with a period", c.ID))
		}
	}
	return errors.Join(errs...)
}

// Sorted returns a copy of cs sorted by ID.
func (cs Checks) Sorted() Checks {
	out := slices.Clone(cs)
	slices.SortFunc(out, func(a, b *Check) int { return strings.Compare(a.ID, b.ID) })
	return out
}
