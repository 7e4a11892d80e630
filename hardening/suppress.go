package hardening

import (
	"slices"
	"strings"
)

// SuppressionPrefix starts every suppression annotation key:
// bulwark.dev/ignore-<check-id>[.<container>].
const SuppressionPrefix = "bulwark.dev/ignore-"

// UnusedSuppression is reported for a suppression annotation naming a check
// that ran on the subject and reported nothing it could suppress. Like
// staticcheck's unmatched directives, it keeps stale exceptions from
// silently outliving the problem they excused.
var UnusedSuppression = &Check{
	ID:          "hardening.unused-suppression",
	Title:       "suppression matched no finding",
	Severity:    SeverityInfo,
	Class:       ClassManagement,
	Inputs:      KindAll,
	Rationale:   "An exception that no longer excuses anything hides the next real finding of that check; remove it while its reason is still remembered.",
	Remediation: "Remove the annotation, or correct its check ID or container name.",
}

// SuppressionWithoutReason is reported for a suppression annotation with an
// empty value. Such an annotation suppresses nothing: an exception must say
// why it is acceptable.
var SuppressionWithoutReason = &Check{
	ID:          "hardening.suppression-without-reason",
	Title:       "suppression has no reason",
	Severity:    SeverityLow,
	Class:       ClassManagement,
	Inputs:      KindAll,
	Rationale:   "A suppression is a reviewed exception; without a reason nobody can review it, so bulwark does not honour it.",
	Remediation: "Set the annotation's value to the reason the finding is acceptable.",
}

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
			src[0] = annotationSource{s.Pod.Annotations, s.PodMetaPath, "annotations"}
			if src[0].meta == "" {
				src[0].meta = "metadata"
			}
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
	}
	return [2]annotationSource{}
}

// suppression is one parsed suppression annotation.
type suppression struct {
	key, reason, path string
	check, container  string
}

// parseSuppression splits "<package>.<name>[.<container>]". Check IDs hold
// exactly one dot and container names (DNS labels) none, so the split is
// unambiguous.
func parseSuppression(rest string) (check, container string) {
	pkg, name, ok := strings.Cut(rest, ".")
	if !ok {
		return rest, ""
	}
	name, container, _ = strings.Cut(name, ".")
	return pkg + "." + name, container
}

// suppress applies the subject's suppression annotations to out[start:] and
// appends findings about the suppressions themselves. It allocates only when
// the subject carries suppression annotations.
func (cs Checks) suppress(s *Subject, out []Finding, start int) []Finding {
	sources := s.annotationSources()
	n := 0
	for _, src := range sources {
		for key := range src.values {
			if strings.HasPrefix(key, SuppressionPrefix) {
				n++
			}
		}
	}
	if n == 0 {
		return out
	}
	sups := make([]suppression, 0, n)
	for _, src := range sources {
		for key, reason := range src.values {
			rest, ok := strings.CutPrefix(key, SuppressionPrefix)
			if !ok {
				continue
			}
			path := src.field
			if src.meta != "" {
				path = src.meta + "." + src.field
			}
			sup := suppression{key: key, reason: reason, path: Key(path, key)}
			sup.check, sup.container = parseSuppression(rest)
			sups = append(sups, sup)
		}
	}
	// Map order is random; findings must not be.
	slices.SortFunc(sups, func(a, b suppression) int {
		if c := strings.Compare(a.path, b.path); c != 0 {
			return c
		}
		return strings.Compare(a.key, b.key)
	})

	reportUnused := cs.Lookup(UnusedSuppression.ID) != nil
	reportNoReason := cs.Lookup(SuppressionWithoutReason.ID) != nil
	end := len(out)
	for _, sup := range sups {
		c := cs.Lookup(sup.check)
		if c == nil || c.Run == nil || c.Inputs&s.Kind == 0 {
			continue // not run here: perhaps meant for another profile
		}
		if strings.TrimSpace(sup.reason) == "" {
			if reportNoReason {
				out = append(out, Finding{
					Path:    sup.path,
					Message: "suppression of " + sup.check + " has no reason, so it is not applied",
				})
				complete(&out[len(out)-1], SuppressionWithoutReason, s)
			}
			continue
		}
		matched := false
		for i := start; i < end; i++ {
			f := &out[i]
			if f.Check != sup.check || (sup.container != "" && f.Container != sup.container) {
				continue
			}
			matched = true
			if !f.Suppressed {
				f.Suppressed = true
				f.SuppressionReason = sup.reason
			}
		}
		if !matched && reportUnused {
			msg := "suppression of " + sup.check + " matched no finding"
			if sup.container != "" {
				msg += " in container " + sup.container
			}
			out = append(out, Finding{Path: sup.path, Message: msg})
			complete(&out[len(out)-1], UnusedSuppression, s)
		}
	}
	return out
}
