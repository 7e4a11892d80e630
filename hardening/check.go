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
	// Platforms are the platforms whose subjects the check reads (see
	// [Subject.Platform]); zero means Linux only, which is what almost every
	// control is about. The runner, not the check, skips other platforms: a
	// Windows OCI spec never meets a check that reads linux.*.
	Platforms Platform
	// Moots, when set, returns for one of the check's findings the field
	// paths at which a fix is impossible or changes nothing while that
	// finding stands: a privileged container ignores its capability drops
	// and seccomp profile, and the API server rejects
	// allowPrivilegeEscalation: false beside privileged: true. The runner
	// folds other checks' findings at or below those paths into it (they
	// join Related, and its message says what must also change once it is
	// fixed). A Pod Security Standards control never folds others: under a
	// pss-* profile, Pod Security Admission's list of reasons stands.
	Moots func(f *Finding) []string
	// PSSLevel is set on a Pod Security Standards control (see [PSSChecks]):
	// when a control and a general check report at the same field path, the
	// merged finding is named after the control under a pss-* profile and
	// after the general check otherwise.
	PSSLevel PSSLevel
	// Set, when set, makes the check judge the run as a whole as well
	// (a namespace whose workloads no NetworkPolicy isolates): a [Runner]
	// calls it once per run with the run's Cluster (nil when there is
	// none), gives the returned SetRun every subject of a kind in Inputs,
	// and reports its findings when the run ends ([Runner.Finish]). A check
	// may have Set and no Run. Set checks need a Runner ([NewRunner]); a
	// bare Checks list used as a Checker runs only their Run.
	Set func(c *Cluster) SetRun
	// Run appends the check's findings for s to out and returns it. It is
	// called only for subjects whose Kind is in Inputs. It sets each
	// finding's Path and Message, and Severity, Container or Remediation
	// when they differ from the check's; the rest is filled in by [Checks].
	// Run must not retain or modify s. A nil Run marks a check whose
	// findings are produced by the runner itself (see [UnusedSuppression]).
	Run func(s *Subject, out []Finding) []Finding
	// Fix, when set, returns the edits to s's source document that remove
	// finding f (one the check reported, or a merged finding it is the
	// primary ID of), or none and why it cannot: a fix that needs a
	// decision the check cannot make (which capabilities the program
	// needs, whether a DaemonSet may leave the host's network) leaves the
	// field alone and says so. decision is the value the user gave for
	// this check ID (package fix: Options.Decisions), empty when none; a
	// fix that can use one says in why what to decide. A fix never returns
	// a change the API server or the runtime refuses (allowPrivilegeEscalation:
	// false beside privileged: true, runAsNonRoot: true with a root or
	// unknown user). Like Run, it must not modify s, and it is pure.
	Fix func(s *Subject, f *Finding, decision string) (edits []Edit, why string)
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
	// Template is the file that rendered the subject's document (see
	// [Subject.Template]), such as a Helm chart's template; empty when
	// unknown.
	Template string `json:"template,omitempty"`
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
	// Related lists the IDs of the other checks that reported at the same
	// field path of the same subject. They were merged into this finding
	// (one root cause, one finding): Check is the primary ID, Severity the
	// highest of them all.
	Related []string `json:"related,omitempty"`
	// Suppressed is set when a trusted suppression source suppressed the
	// finding (every check of a merged finding, not just one of them);
	// SuppressionReason holds its reason and SuppressedBy says which source.
	Suppressed        bool              `json:"suppressed"`
	SuppressionReason string            `json:"suppressionReason,omitempty"`
	SuppressedBy      SuppressionOrigin `json:"suppressedBy,omitempty"`
	// Warning marks a finding about the audit's own configuration (an
	// unused, expired, malformed or reasonless suppression): it is always
	// reported, whatever the profile or selection, and never changes a
	// verdict, an admission decision or an exit code.
	Warning bool `json:"warning,omitempty"`
	// BaselineState says whether the finding was in a baseline, an earlier
	// report it was compared with (report.Baseline): "new" when it was
	// not, "unchanged" when it was; empty when no baseline was applied.
	BaselineState string `json:"baselineState,omitempty"`
}

// Counts reports whether f counts toward a verdict at threshold min: it is
// neither suppressed nor a warning, and its severity is at least min.
func (f *Finding) Counts(min Severity) bool {
	return !f.Suppressed && !f.Warning && f.Severity >= min
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

// Checks is a list of checks and a [Checker]. As a Checker it runs like a
// [Runner] that trusts no suppression source (the safe default where the
// audited object is the adversary, as in admission), except that it cannot
// refuse a malformed check up front: such a check produces a [CheckFailed]
// finding on every subject instead of passing in silence. Use [NewRunner]
// to choose the suppression sources and to have malformed checks refused
// when the runner is built.
type Checks []*Check

// Check implements [Checker].
func (cs Checks) Check(s *Subject, out []Finding) []Finding {
	r := Runner{checks: cs, validate: true}
	return r.Check(s, out)
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
// min, and every warning ([Finding.Warning]): warnings about suppressions
// are reported under any threshold, and never count toward a verdict.
func AtLeast(c Checker, min Severity) Checker { return atLeast{c, min} }

type atLeast struct {
	c   Checker
	min Severity
}

func (a atLeast) Check(s *Subject, out []Finding) []Finding {
	start := len(out)
	out = a.c.Check(s, out)
	kept := out[:start]
	for _, f := range out[start:] {
		if f.Severity >= a.min || f.Warning {
			kept = append(kept, f)
		}
	}
	clear(out[len(kept):])
	return kept
}

// Finish passes on the wrapped checker's warnings about the run (see
// [Runner.Finish]), which are never filtered.
func (a atLeast) Finish() []Finding {
	if f, ok := a.c.(interface{ Finish() []Finding }); ok {
		return f.Finish()
	}
	return nil
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
