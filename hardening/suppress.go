package hardening

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/util/validation"
)

// SuppressionOrigin says which source suppressed a finding.
type SuppressionOrigin string

// Suppression origins.
const (
	// SuppressedByObject: an annotation (or, for an OCI spec, an
	// annotation; for an image, a label) of the audited object itself.
	SuppressedByObject SuppressionOrigin = "object"
	// SuppressedByPolicy: an entry of a [Policy] file.
	SuppressedByPolicy SuppressionOrigin = "policy"
	// SuppressedByExemption: an admission [Exemptions] entry.
	SuppressedByExemption SuppressionOrigin = "exemption"
	// SuppressedByBaseline: an earlier report the run was told to accept
	// (report.Baseline): only new findings count.
	SuppressedByBaseline SuppressionOrigin = "baseline"
)

// Suppression is one exception a [Suppressor] offers for a subject.
type Suppression struct {
	// Check is the ID of the check whose findings it suppresses. Policy
	// entries and exemptions may give a path.Match pattern ("images.*",
	// "*"); an object's own annotations may not.
	Check string
	// Container limits it to the findings about one Pod container; empty
	// means the whole subject.
	Container string
	// Reason says why the exception is acceptable. A suppression without
	// one is not applied and is reported.
	Reason string
	// Origin says which source offers it.
	Origin SuppressionOrigin
	// Source and Path locate the suppression itself: the file holding it
	// (empty: the subject's own source) and its field path there
	// ("metadata.annotations[bulwark.dev/ignore]", "suppressions[2]").
	Source, Path string
	// Malformed, when set, says why the suppression cannot be applied (a key
	// Kubernetes would reject, an unreadable line). It is reported as a
	// [MalformedSuppression] warning instead.
	Malformed string

	// hits counts the findings the suppression matched, for sources that
	// report unused entries once per run (a Policy).
	hits *atomic.Int64
}

// Suppressor is a source of suppressions: the audited object's own
// annotations ([ObjectAnnotations]), a [Policy] file, admission
// [Exemptions], or one of your own. Suppressors must be safe for
// concurrent use.
type Suppressor interface {
	// AppendSuppressions appends the suppressions that apply to s to out,
	// in a deterministic order, and returns it.
	AppendSuppressions(s *Subject, out []Suppression) []Suppression
}

// The runner's own checks about suppressions. Their findings are warnings
// ([Finding.Warning]): reported under every profile and selection, they
// never change a verdict.
var (
	// UnusedSuppression is reported for a suppression naming a check that
	// ran and reported nothing it could suppress. Like staticcheck's
	// unmatched directives, it keeps stale exceptions from silently
	// outliving the problem they excused.
	UnusedSuppression = &Check{
		ID:          "hardening.unused-suppression",
		Title:       "suppression matched no finding",
		Severity:    SeverityInfo,
		Class:       ClassManagement,
		Inputs:      KindAll,
		Platforms:   PlatformAll,
		Rationale:   "An exception that no longer excuses anything hides the next real finding of that check; remove it while its reason is still remembered.",
		Remediation: "Remove the suppression, or correct its check ID or container name.",
	}
	// SuppressionWithoutReason is reported for a suppression with an empty
	// reason. It suppresses nothing: an exception must say why it is
	// acceptable.
	SuppressionWithoutReason = &Check{
		ID:          "hardening.suppression-without-reason",
		Title:       "suppression has no reason",
		Severity:    SeverityLow,
		Class:       ClassManagement,
		Inputs:      KindAll,
		Platforms:   PlatformAll,
		Rationale:   "A suppression is a reviewed exception; without a reason nobody can review it, so bulwark does not honour it.",
		Remediation: "Give the suppression the reason the finding is acceptable.",
	}
	// MalformedSuppression is reported for a suppression that cannot be
	// read: an annotation key Kubernetes rejects (its name part is longer
	// than 63 characters), a line of the bulwark.dev/ignore annotation that
	// names no check. It suppresses nothing.
	MalformedSuppression = &Check{
		ID:          "hardening.malformed-suppression",
		Title:       "suppression cannot be read",
		Severity:    SeverityLow,
		Class:       ClassManagement,
		Inputs:      KindAll,
		Platforms:   PlatformAll,
		Rationale:   "An exception written in a form the API server rejects, or that names no check, never takes effect where it was meant to.",
		Remediation: "Write it as a line \"<check-id>[.<container>]: <reason>\" of the bulwark.dev/ignore annotation, which fits any container name.",
	}
	// ExpiredSuppression is reported for a policy entry past its expiry
	// date. It no longer suppresses anything.
	ExpiredSuppression = &Check{
		ID:          "hardening.expired-suppression",
		Title:       "suppression has expired",
		Severity:    SeverityLow,
		Class:       ClassManagement,
		Inputs:      KindAll,
		Platforms:   PlatformAll,
		Rationale:   "An exception is granted for a time; once it expires the finding counts again until its owner fixes it or renews the exception.",
		Remediation: "Fix the findings it excused, or renew the entry with a new expiry date and a current reason.",
	}
)

// Annotation forms of suppressions on the audited object.
const (
	// SuppressionAnnotation holds any number of suppressions, one per
	// line: "<check-id>[.<container>]: <reason>". Lines that are blank or
	// start with "#" are ignored. It fits any container name.
	SuppressionAnnotation = "bulwark.dev/ignore"
	// SuppressionPrefix starts a key that holds one suppression:
	// bulwark.dev/ignore-<check-id>[.<container>], whose value is the
	// reason. Kubernetes limits the part after "bulwark.dev/" to 63
	// characters, which a long check ID and container name can exceed;
	// such keys are reported as malformed.
	SuppressionPrefix = "bulwark.dev/ignore-"
)

// ObjectAnnotations trusts the audited object's own annotations (an OCI
// spec's annotations, an image's config labels; for a workload, its own
// and its pod template's). Trust it only where the object's author
// answers for them, as in a reviewed repository; never in admission,
// where the object is the adversary. Findings it suppresses are marked
// [SuppressedByObject].
var ObjectAnnotations Suppressor = objectAnnotations{}

type objectAnnotations struct{}

// annotationSource is one map suppressions are read from, and the field
// path of the object holding it (the path is built only when needed).
type annotationSource struct {
	values map[string]string
	// meta is the path of the metadata holding values; field is
	// "annotations" or, for images, "Labels" under meta "config".
	meta, field string
}

// annotationSources returns the maps a subject's suppressions live in.
func (s *Subject) annotationSources() [2]annotationSource {
	switch s.Kind {
	case KindPod:
		var src [2]annotationSource
		if s.Pod != nil {
			src[0] = annotationSource{s.Pod.Annotations, s.MetaPath(""), "annotations"}
		}
		src[1] = annotationSource{s.WorkloadAnnotations, s.WorkloadMetaPath, "annotations"}
		if src[1].meta == "" {
			src[1].meta = "metadata"
		}
		return src
	case KindOCISpec:
		if s.Spec != nil {
			return [2]annotationSource{{s.Spec.Annotations, "", "annotations"}}
		}
	case KindImage:
		if s.Image != nil {
			return [2]annotationSource{{s.Image.Config.Labels, "config", "Labels"}}
		}
	case KindObject:
		return [2]annotationSource{s.objectAnnotationSource()}
	}
	return [2]annotationSource{}
}

func isSuppressionKey(key string) bool {
	return key == SuppressionAnnotation || strings.HasPrefix(key, SuppressionPrefix)
}

// AppendSuppressions implements [Suppressor]. It allocates only when the
// subject carries suppression annotations.
func (objectAnnotations) AppendSuppressions(s *Subject, out []Suppression) []Suppression {
	sources := s.annotationSources()
	found := false
	for _, src := range sources {
		for key := range src.values {
			if isSuppressionKey(key) {
				found = true
				break
			}
		}
	}
	if !found {
		return out
	}
	from := len(out)
	for _, src := range sources {
		base := src.field
		if src.meta != "" {
			base = src.meta + "." + src.field
		}
		for key, value := range src.values {
			if !isSuppressionKey(key) {
				continue
			}
			at := Key(base, key)
			if key == SuppressionAnnotation {
				out = appendAnnotationLines(out, at, value)
				continue
			}
			sup := Suppression{Reason: value, Origin: SuppressedByObject, Path: at}
			sup.Check, sup.Container = splitSuppression(strings.TrimPrefix(key, SuppressionPrefix))
			if errs := validation.IsQualifiedName(key); len(errs) > 0 {
				sup.Malformed = "annotation key " + strconv.Quote(key) + " is not valid in Kubernetes (" + strings.Join(errs, "; ") + "); write it as the line \"" + strings.TrimPrefix(key, SuppressionPrefix) + ": <reason>\" of the " + SuppressionAnnotation + " annotation"
			} else if problem := suppressionTarget(sup.Check, sup.Container); problem != "" {
				sup.Malformed = "annotation key " + strconv.Quote(key) + ": " + problem
			}
			out = append(out, sup)
		}
	}
	// Map order is random; findings must not be.
	slices.SortStableFunc(out[from:], func(a, b Suppression) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// appendAnnotationLines parses the value of the bulwark.dev/ignore
// annotation found at path at.
func appendAnnotationLines(out []Suppression, at, value string) []Suppression {
	for n, line := range strings.Split(value, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		target, reason, _ := strings.Cut(line, ":")
		sup := Suppression{Reason: strings.TrimSpace(reason), Origin: SuppressedByObject, Path: at}
		sup.Check, sup.Container = splitSuppression(strings.TrimSpace(target))
		if problem := suppressionTarget(sup.Check, sup.Container); problem != "" {
			sup.Malformed = "line " + strconv.Itoa(n+1) + " of " + SuppressionAnnotation + ": " + problem + " (want \"<check-id>[.<container>]: <reason>\")"
		}
		out = append(out, sup)
	}
	return out
}

// splitSuppression splits "<package>.<name>[.<container>]". Check IDs hold
// exactly one dot and container names (DNS labels) none, so the split is
// unambiguous.
func splitSuppression(rest string) (check, container string) {
	pkg, name, ok := strings.Cut(rest, ".")
	if !ok {
		return rest, ""
	}
	name, container, _ = strings.Cut(name, ".")
	return pkg + "." + name, container
}

// suppressionTarget returns what is wrong with a suppression's check ID
// and container name, or "".
func suppressionTarget(check, container string) string {
	if !validID(check) {
		return strconv.Quote(check) + " is not a check ID (<package>.<kebab-name>)"
	}
	if container != "" && len(validation.IsDNS1123Label(container)) > 0 {
		return strconv.Quote(container) + " is not a container name"
	}
	return ""
}

// suppress applies the trusted suppressions to fs, the findings of one
// subject, and returns warnings about the suppressions themselves.
func (r *Runner) suppress(s *Subject, fs []Finding) []Finding {
	return r.suppressWith(s, fs, func(pattern string) bool { return r.anyRuns(pattern, s) })
}

// suppressWith is suppress with relevant saying which suppressions concern
// the findings (those of checks that ran on the subject, or of set checks).
func (r *Runner) suppressWith(s *Subject, fs []Finding, relevant func(pattern string) bool) []Finding {
	buf := suppressionBuffers.Get().(*[]Suppression)
	sups := (*buf)[:0]
	for _, sp := range r.suppressors {
		sups = sp.AppendSuppressions(s, sups)
	}
	var warnings []Finding
	warn := func(c *Check, sup *Suppression, msg string) {
		f := Finding{Path: sup.Path, Message: msg, Warning: true}
		complete(&f, c, s)
		if sup.Source != "" {
			f.Source, f.Document, f.Line = sup.Source, 0, 0
		}
		warnings = append(warnings, f)
	}
	for i := range sups {
		sup := &sups[i]
		if sup.Malformed != "" {
			warn(MalformedSuppression, sup, sup.Malformed+", so it is not applied")
			continue
		}
		if !relevant(sup.Check) {
			continue // not run here: perhaps meant for another profile
		}
		if strings.TrimSpace(sup.Reason) == "" {
			warn(SuppressionWithoutReason, sup, "suppression of "+sup.Check+" has no reason, so it is not applied")
			continue
		}
		matched := false
		for j := range fs {
			f := &fs[j]
			if !sup.matches(f) {
				continue
			}
			matched = true
			if !f.Suppressed {
				f.Suppressed, f.SuppressionReason, f.SuppressedBy = true, sup.Reason, sup.Origin
			}
		}
		switch {
		case matched && sup.hits != nil:
			sup.hits.Add(1)
		case !matched && sup.Origin == SuppressedByObject:
			msg := "suppression of " + sup.Check + " matched no finding"
			if sup.Container != "" {
				msg += " in container " + sup.Container
			}
			warn(UnusedSuppression, sup, msg)
		}
	}
	clear(sups)
	*buf = sups[:0]
	suppressionBuffers.Put(buf)
	return warnings
}

// matches reports whether sup applies to f.
func (sup *Suppression) matches(f *Finding) bool {
	if f.Warning || sup.Container != "" && f.Container != sup.Container {
		return false
	}
	return matchCheck(sup.Check, f.Check)
}

// matchCheck matches a check ID against an ID or a path.Match pattern.
func matchCheck(pattern, id string) bool {
	if pattern == id {
		return true
	}
	if !strings.ContainsAny(pattern, "*?[\\") {
		return false
	}
	ok, err := path.Match(pattern, id)
	return ok && err == nil
}

// anyRuns reports whether a check matching pattern runs on s.
func (r *Runner) anyRuns(pattern string, s *Subject) bool {
	for _, c := range r.checks {
		if c != nil && matchCheck(pattern, c.ID) && runs(c, s) {
			return true
		}
	}
	return false
}
