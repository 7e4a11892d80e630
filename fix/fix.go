package fix

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Options says what a fix aims for and what it may decide.
type Options struct {
	// Checks are the checks the fixed source must pass: a profile
	// (bulwark.Profile("pss-restricted@v1.30"), bulwark.Default(),
	// bulwark.CISDockerProfile()). Required: with no checks there is
	// nothing to aim for.
	Checks hardening.Checks
	// Min is the least severity of the findings to fix; those below are
	// neither fixed nor listed. Zero fixes every severity.
	Min hardening.Severity
	// Only, when not empty, fixes only the findings of these checks:
	// path.Match patterns over check IDs ("capabilities.*"), matched
	// against a merged finding's primary and related IDs. The profile's
	// other findings are left as they are and not listed.
	Only []string
	// Decisions maps a check ID to a decision its fix needs and cannot
	// make itself: "cgroups.memory-limit-missing": "512Mi",
	// "capabilities.privileged": "remove". Each check's fix documents
	// what it accepts; a finding whose fix needs a decision that is not
	// given is listed as unfixed with what to decide.
	Decisions map[string]string
	// Images are the image configs of the Pods' containers, keyed by the
	// image reference as the Pods write it. With them a fix knows the
	// image's USER (runAsNonRoot needs a numeric one); without them it
	// assumes nothing about the image.
	Images map[string]*imagespec.Image
	// Suppressions are the suppression sources trusted (see
	// hardening.RunOptions); a suppressed finding is left alone.
	Suppressions []hardening.Suppressor
	// Load bounds the reading of the source.
	Load load.Options
}

// maxRounds bounds the audit-fix rounds of one source: a decision that
// removes privileged: true brings the findings it folded to light, which
// the next round fixes.
const maxRounds = 4

// Result is what fixing one source came to.
type Result struct {
	// Source names the source, as given.
	Source string
	// Before and After are the source before and after the fix; After is
	// Before when nothing changed.
	Before, After []byte
	// Fixed lists the findings of the first audit that the last audit no
	// longer reports, with the edits made for them.
	Fixed []Outcome
	// Unfixed lists the findings the last audit still reports (of those
	// Options.Only and Min select), each with why it was not fixed.
	Unfixed []Outcome
	// Introduced lists findings the last audit reports that the first did
	// not: a fix that opened another problem. Fixes are written so that
	// this stays empty.
	Introduced []hardening.Finding
	// Errors are the documents that could not be read; they are left as
	// they are.
	Errors []*hardening.DocumentError
}

// Outcome is one finding and what the fix did about it.
type Outcome struct {
	Finding hardening.Finding `json:"finding"`
	// Edits are the edits made for it (for a fixed finding), or tried.
	Edits []Applied `json:"edits,omitempty"`
	// Reason says why it is not fixed: the decision the fix needs, the
	// edit that could not be applied, or the related check that still
	// fails.
	Reason string `json:"reason,omitempty"`
}

// MarshalJSON renders an Applied with its error as a string.
func (a Applied) MarshalJSON() ([]byte, error) {
	type applied struct {
		Edit  hardening.Edit `json:"edit"`
		Error string         `json:"error,omitempty"`
		Note  string         `json:"note,omitempty"`
	}
	out := applied{Edit: a.Edit, Note: a.Note}
	if a.Err != nil {
		out.Error = a.Err.Error()
	}
	return json.Marshal(out)
}

// Changed reports whether the fix changed the source.
func (r *Result) Changed() bool { return !bytes.Equal(r.Before, r.After) }

// Diff returns the unified diff of the fix, nil when nothing changed.
func (r *Result) Diff() []byte { return Diff(r.Source, r.Before, r.After) }

// Passes reports whether the fixed source passes: nothing selected is
// left unfixed, nothing was introduced and every document could be read.
func (r *Result) Passes() bool {
	return len(r.Unfixed) == 0 && len(r.Introduced) == 0 && len(r.Errors) == 0
}

// File fixes the file at name (see [Source]).
func File(name string, opts Options) (*Result, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	return Source(name, data, opts)
}

// Source fixes the manifests or OCI runtime specs in data, named name: it
// audits every subject with opts.Checks, asks the primary check of each
// finding for its fix, applies the edits to the documents they are about
// (YAML in place, JSON keeping its order and layout), audits again, and
// repeats while that fixes more. The result lists what was fixed, what
// was not and why. A finding counts as fixed only when no check of it
// (its primary ID and the related ones merged into it) reports at its
// path any more.
func Source(name string, data []byte, opts Options) (*Result, error) {
	if len(opts.Checks) == 0 {
		return nil, errors.New("fix: no checks to fix toward (Options.Checks)")
	}
	runner, err := hardening.NewRunner(opts.Checks, hardening.RunOptions{Suppressions: opts.Suppressions})
	if err != nil {
		return nil, fmt.Errorf("fix: %w", err)
	}
	e := &engine{opts: opts, runner: runner, checks: runner.Checks(), name: name,
		tried: map[fkey]*attempt{}}
	res := &Result{Source: name, Before: data, After: data}
	first := e.audit(data)
	res.Errors = first.errors
	cur, last := data, first // last is always the audit of cur
	for round := 0; round < maxRounds; round++ {
		next, changed := e.round(cur, last)
		if !changed {
			break
		}
		cur, last = next, e.audit(next)
	}
	res.After = cur
	e.classify(res, first, last)
	return res, nil
}

// fkey names a finding across rounds.
type fkey struct {
	doc           int
	subject, path string
	check         string
}

func keyOf(f *hardening.Finding) fkey {
	return fkey{f.Document, f.Subject, f.Path, f.Check}
}

// attempt is what was tried for one finding.
type attempt struct {
	edits []Applied
	why   string
}

type engine struct {
	opts   Options
	runner *hardening.Runner
	checks hardening.Checks
	name   string
	tried  map[fkey]*attempt
}

// audited is one audit of a source.
type audited struct {
	subjects []*hardening.Subject
	findings [][]hardening.Finding // per subject, those that count and are selected
	counted  [][]hardening.Finding // per subject, all those that count
	errors   []*hardening.DocumentError
}

func (e *engine) audit(data []byte) audited {
	r := load.Bytes(e.opts.Load, e.name, data)
	a := audited{errors: r.Errors}
	for _, s := range r.Subjects {
		if s.Kind != hardening.KindPod && s.Kind != hardening.KindOCISpec {
			continue // image configs and objects: nothing to edit here
		}
		if s.Kind == hardening.KindPod && e.opts.Images != nil {
			s.ContainerImages = e.opts.Images
		}
		var kept, counted []hardening.Finding
		for _, f := range e.runner.Check(s, nil) {
			if !f.Counts(e.opts.Min) {
				continue
			}
			counted = append(counted, f)
			if e.selected(&f) {
				kept = append(kept, f)
			}
		}
		a.subjects = append(a.subjects, s)
		a.findings = append(a.findings, kept)
		a.counted = append(a.counted, counted)
	}
	return a
}

// selected reports whether Options.Only selects f.
func (e *engine) selected(f *hardening.Finding) bool {
	if len(e.opts.Only) == 0 {
		return true
	}
	for _, id := range append([]string{f.Check}, f.Related...) {
		for _, p := range e.opts.Only {
			if ok, err := path.Match(p, id); ok && err == nil {
				return true
			}
		}
	}
	return false
}

// owned is an edit and the finding it is for.
type owned struct {
	edit hardening.Edit
	key  fkey
}

// round asks every finding of a for its fix and applies the edits.
func (e *engine) round(data []byte, a audited) ([]byte, bool) {
	byDoc := map[int][]owned{}
	live := map[int][]string{}
	for i, s := range a.subjects {
		if s.Kind == hardening.KindPod {
			live[s.Document] = append(live[s.Document], s.SpecPath(""), s.MetaPath(""))
		} else {
			live[s.Document] = append(live[s.Document], "")
		}
		for j := range a.findings[i] {
			f := &a.findings[i][j]
			k := keyOf(f)
			edits, why := e.fixOf(s, f)
			at := e.tried[k]
			if at == nil {
				at = &attempt{}
				e.tried[k] = at
			}
			if len(edits) == 0 {
				at.why = why
				continue
			}
			for _, ed := range edits {
				byDoc[s.Document] = append(byDoc[s.Document], owned{ed, k})
			}
		}
	}
	docs := make([]int, 0, len(byDoc))
	for d := range byDoc {
		docs = append(docs, d)
	}
	slices.Sort(docs)
	// The source is split once and put back together once: the documents
	// edited, in order, between what lies around them.
	split := load.Documents(data)
	out := make([]byte, 0, len(data))
	pos, lines := 0, 0 // where the rest of data starts; lines of out
	for _, d := range docs {
		edits, owners := e.dedupe(byDoc[d])
		if d >= len(split) { // subjects name documents of data: cannot happen
			for _, ks := range owners {
				for _, k := range ks {
					e.tried[k].why = fmt.Sprintf("the document cannot be edited: document %d: the source holds %d documents", d, len(split))
				}
			}
			continue
		}
		doc := split[d]
		start := cap(data) - cap(doc) // documents alias data
		out = append(out, data[pos:start]...)
		lines += bytes.Count(data[pos:start], []byte("\n"))
		pos = start + len(doc)
		edited, applied, err := editDocument(doc, edits, live[d], lines)
		if err != nil {
			for _, ks := range owners {
				for _, k := range ks {
					e.tried[k].why = "the document cannot be edited: " + err.Error()
				}
			}
			edited = doc
		} else {
			for i, ks := range owners {
				for _, k := range ks {
					at := e.tried[k]
					at.edits = append(at.edits, applied[i])
				}
			}
		}
		out = append(out, edited...)
		lines += bytes.Count(edited, []byte("\n"))
	}
	out = append(out, data[pos:]...)
	if bytes.Equal(out, data) {
		return data, false
	}
	return out, true
}

// fixOf asks f's primary check for its fix.
func (e *engine) fixOf(s *hardening.Subject, f *hardening.Finding) ([]hardening.Edit, string) {
	c := e.checks.Lookup(f.Check)
	switch {
	case c == nil:
		return nil, f.Check + " is not among the checks fixed toward"
	case c.Fix == nil:
		return nil, f.Check + " declares no fix: " + c.Remediation
	}
	edits, why := c.Fix(s, f, e.opts.Decisions[f.Check])
	if len(edits) == 0 && why == "" {
		why = f.Check + "'s fix made no edit"
	}
	return edits, why
}

// dedupe merges identical edits (several findings may ask for the same
// one) and keeps the first of edits that disagree on a path, telling the
// others' owners.
func (e *engine) dedupe(in []owned) ([]hardening.Edit, [][]fkey) {
	var edits []hardening.Edit
	var owners [][]fkey
	index := map[string]int{}
	for _, o := range in {
		sig := editKey(o.edit)
		if i, ok := index[sig]; ok {
			owners[i] = append(owners[i], o.key)
			continue
		}
		if i, ok := index["path "+o.edit.Path]; ok {
			at := e.tried[o.key]
			at.why = joinNote(at.why, "its fix conflicts with "+edits[i].Path+" as another finding's fix sets it")
			continue
		}
		index[sig] = len(edits)
		index["path "+o.edit.Path] = len(edits)
		edits = append(edits, o.edit)
		owners = append(owners, []fkey{o.key})
	}
	return edits, owners
}

func editKey(e hardening.Edit) string {
	v, _ := json.Marshal(e.Value)
	return fmt.Sprintf("%s\x00%v\x00%s", e.Path, e.Delete, v)
}

// classify compares the first audit with the last.
func (e *engine) classify(res *Result, first, last audited) {
	type at struct {
		doc           int
		subject, path string
	}
	remaining := map[at][]*hardening.Finding{}
	var lastSubject = map[at]*hardening.Subject{}
	// A selected finding is fixed only when no check of it reports at its
	// path, selected or not.
	for i, s := range last.subjects {
		for j := range last.counted[i] {
			f := &last.counted[i][j]
			k := at{f.Document, f.Subject, f.Path}
			remaining[k] = append(remaining[k], f)
			lastSubject[k] = s
		}
	}
	ids := func(f *hardening.Finding) []string { return append([]string{f.Check}, f.Related...) }
	seen := map[at]map[string]bool{}
	for i := range first.subjects {
		for j := range first.counted[i] {
			f := &first.counted[i][j]
			k := at{f.Document, f.Subject, f.Path}
			if seen[k] == nil {
				seen[k] = map[string]bool{}
			}
			for _, id := range ids(f) {
				seen[k][id] = true
			}
		}
		for j := range first.findings[i] {
			f := first.findings[i][j]
			k := at{f.Document, f.Subject, f.Path}
			var still *hardening.Finding
			for _, r := range remaining[k] {
				for _, id := range ids(r) {
					if slices.Contains(ids(&f), id) {
						still = r
					}
				}
			}
			out := Outcome{Finding: f}
			if a := e.tried[keyOf(&f)]; a != nil {
				out.Edits = a.edits
			}
			if still == nil {
				res.Fixed = append(res.Fixed, out)
				continue
			}
			out.Reason = e.reason(&f, still, lastSubject[k])
			res.Unfixed = append(res.Unfixed, out)
		}
	}
	for i := range last.subjects {
		for j := range last.counted[i] {
			f := last.counted[i][j]
			k := at{f.Document, f.Subject, f.Path}
			introduced := true
			for _, id := range ids(&f) {
				if seen[k][id] {
					introduced = false
				}
			}
			if introduced {
				res.Introduced = append(res.Introduced, f)
			}
		}
	}
	sortOutcomes(res.Fixed)
	sortOutcomes(res.Unfixed)
}

func sortOutcomes(os []Outcome) {
	slices.SortStableFunc(os, func(a, b Outcome) int {
		return cmp.Or(cmp.Compare(a.Finding.Document, b.Finding.Document), strings.Compare(a.Finding.Subject, b.Finding.Subject))
	})
}

// reason says why f is still reported (as still, in the last audit of s).
func (e *engine) reason(f, still *hardening.Finding, s *hardening.Subject) string {
	var parts []string
	for _, k := range []fkey{keyOf(still), keyOf(f)} {
		a := e.tried[k]
		if a == nil {
			continue
		}
		for _, ap := range a.edits {
			if ap.Err != nil {
				parts = append(parts, "edit of "+ap.Edit.Path+" not applied: "+ap.Err.Error())
			}
		}
		if a.why != "" {
			parts = append(parts, a.why)
		}
		if len(parts) > 0 {
			break
		}
	}
	if len(parts) == 0 && s != nil {
		if edits, why := e.fixOf(s, still); len(edits) == 0 {
			parts = append(parts, why)
		} else {
			parts = append(parts, "its fix was applied but "+still.Check+" still reports: "+still.Message)
		}
	}
	if still.Check != f.Check {
		parts = append([]string{still.Check + " still fails at " + still.Path}, parts...)
	}
	return strings.Join(sortedUnique(parts), "; ")
}

// Planned is a finding and the fix its check declares for it.
type Planned struct {
	Finding hardening.Finding
	Edits   []hardening.Edit
	// Why says why there are no edits.
	Why string
}

// Plan asks the primary check (among checks) of each of a subject's
// findings for its fix, without applying anything: the edits, for [Apply]
// on the subject's document, or why there are none. decisions is as
// Options.Decisions.
func Plan(s *hardening.Subject, findings []hardening.Finding, checks hardening.Checks, decisions map[string]string) []Planned {
	e := &engine{checks: checks, opts: Options{Decisions: decisions}}
	out := make([]Planned, 0, len(findings))
	for i := range findings {
		f := &findings[i]
		edits, why := e.fixOf(s, f)
		out = append(out, Planned{Finding: *f, Edits: edits, Why: why})
	}
	return out
}
