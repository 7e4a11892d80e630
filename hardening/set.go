package hardening

import (
	"strings"
	"sync"
)

// Object subjects and set checks: what judges a workload with the objects
// around it, and those objects themselves.
//
// A Kubernetes object that is not a workload (a Namespace, ServiceAccount,
// Role, binding, NetworkPolicy, LimitRange, ResourceQuota, Service,
// ConfigMap or Secret) is a subject of kind [KindObject]: checks of its
// own judge it, with field paths into it. A check about the run as a
// whole (a namespace whose workloads no NetworkPolicy isolates) is a set
// check: it sets [Check.Set], observes every subject of the run, and
// reports once the run is over.

// NewObjectSubject returns a subject for a Kubernetes object that is not a
// workload, named Kind/namespace/name.
func NewObjectSubject(o *ClusterObject) *Subject {
	return &Subject{
		Name: ObjectName(o.Kind, o.Namespace, o.Name), Kind: KindObject, Object: o,
		Source: o.Source, Document: o.Document, Line: o.Line,
	}
}

// ObjectPath returns the field path of rest in the subject's object:
// "metadata.annotations" for a whole document, "items[3].metadata.annotations"
// for an item of a List.
func (s *Subject) ObjectPath(rest string) string {
	if s.Object == nil {
		return rest
	}
	return s.Object.FieldPath(rest)
}

// FieldPath returns the field path of rest in the object's document.
func (o *ClusterObject) FieldPath(rest string) string {
	switch {
	case o.Path == "":
		return rest
	case rest == "":
		return o.Path
	}
	return o.Path + "." + rest
}

// ObjectFinding returns a finding about o at the field path rest of it,
// located in o's source: what a set check reports about an object of the
// run.
func ObjectFinding(o *ClusterObject, rest, message string) Finding {
	return Finding{
		Subject: ObjectName(o.Kind, o.Namespace, o.Name), Kind: KindObject,
		Source: o.Source, Document: o.Document, Line: o.Line,
		Path: o.FieldPath(rest), Message: message,
	}
}

// SetRun is one run of a set check (see [Check.Set]).
type SetRun interface {
	// Observe sees one subject of the run with its findings (merged and
	// suppressed, as reported). It is called for every subject whose kind
	// is in the check's Inputs, from many goroutines at once, in no
	// particular order; it must not retain findings.
	Observe(s *Subject, findings []Finding)
	// Finish appends the check's findings about the run to out, in a
	// deterministic order, once every subject has been observed. Each
	// finding names its subject and source itself (see [ObjectFinding]);
	// the runner fills in the check's ID, severity, class, remediation
	// and references where they are unset.
	Finish(out []Finding) []Finding
}

// setRuns holds a runner's set checks for the run in progress.
type setRuns struct {
	mu      sync.Mutex
	runs    []setRun // nil until the run's first subject
	cluster *Cluster // that subject's, which the runs were started with
}

type setRun struct {
	check *Check
	run   SetRun
}

// observe gives s and its findings to the set checks, starting them on the
// run's first subject with its Cluster.
func (r *Runner) observe(s *Subject, findings []Finding) {
	if !r.hasSet {
		return
	}
	runs := r.setRunsFor(s.Cluster)
	for _, sr := range runs {
		if sr.check.Inputs&s.Kind != 0 && sr.check.Platforms.orLinux()&s.Platform() != 0 {
			sr.run.Observe(s, findings)
		}
	}
}

func (r *Runner) setRunsFor(c *Cluster) []setRun {
	r.sets.mu.Lock()
	defer r.sets.mu.Unlock()
	if r.sets.runs == nil {
		r.sets.runs, r.sets.cluster = make([]setRun, 0, len(r.checks)), c
		for _, ch := range r.checks {
			if ch != nil && ch.Set != nil {
				r.sets.runs = append(r.sets.runs, setRun{ch, ch.Set(c)})
			}
		}
	}
	return r.sets.runs
}

// finishSets returns the set checks' findings and ends the run: the next
// subject starts a new one.
func (r *Runner) finishSets() []Finding {
	if !r.hasSet {
		return nil
	}
	r.sets.mu.Lock()
	runs, cluster := r.sets.runs, r.sets.cluster
	r.sets.runs, r.sets.cluster = nil, nil
	r.sets.mu.Unlock()
	if runs == nil {
		// No subject was checked: the set checks still judge the run's
		// objects, of which there are none known.
		for _, ch := range r.checks {
			if ch != nil && ch.Set != nil {
				runs = append(runs, setRun{ch, ch.Set(nil)})
			}
		}
	}
	var out []Finding
	for _, sr := range runs {
		start := len(out)
		out = sr.run.Finish(out)
		for i := start; i < len(out); i++ {
			f := &out[i]
			if f.Check == "" {
				f.Check = sr.check.ID
			}
			sr.check.Fill(f)
			if f.Kind == 0 {
				f.Kind = KindObject
			}
		}
	}
	if len(r.suppressors) == 0 || len(out) == 0 {
		return out
	}
	// Set findings are suppressed like any other: by a policy entry naming
	// their subject, or by the annotations of the object they are about.
	isSet := func(pattern string) bool {
		for _, sr := range runs {
			if matchCheck(pattern, sr.check.ID) {
				return true
			}
		}
		return false
	}
	var warnings []Finding
	bySubject := map[string][]int{}
	var order []string
	for i := range out {
		key := out[i].Subject + "\x00" + out[i].Source
		if _, seen := bySubject[key]; !seen {
			order = append(order, key)
		}
		bySubject[key] = append(bySubject[key], i)
	}
	for _, key := range order {
		idx := bySubject[key]
		group := make([]Finding, len(idx))
		for j, i := range idx {
			group[j] = out[i]
		}
		f := &group[0]
		s := &Subject{Name: f.Subject, Kind: KindObject, Source: f.Source, Document: f.Document, Line: f.Line, Cluster: cluster}
		s.Object = cluster.objectNamed(f.Subject)
		warnings = append(warnings, r.suppressWith(s, group, isSet)...)
		for j, i := range idx {
			out[i] = group[j]
		}
	}
	return append(out, warnings...)
}

// objectNamed returns the object whose display name is name
// (Kind/namespace/name or Kind/name), or nil.
func (c *Cluster) objectNamed(name string) *ClusterObject {
	kind, rest, ok := strings.Cut(name, "/")
	if !ok || c == nil {
		return nil
	}
	if ns, n, ok := strings.Cut(rest, "/"); ok {
		return c.Get(kind, ns, n)
	}
	return c.Get(kind, "", rest)
}

// objectAnnotations returns where an object subject's suppressions live.
func (s *Subject) objectAnnotationSource() annotationSource {
	if s.Object == nil {
		return annotationSource{}
	}
	meta := objectMeta(s.Object.Object)
	if meta == nil {
		return annotationSource{}
	}
	return annotationSource{meta.GetAnnotations(), s.Object.FieldPath("metadata"), "annotations"}
}

// objectMeta returns the metadata accessor of a decoded object, if any.
func objectMeta(obj any) interface{ GetAnnotations() map[string]string } {
	m, _ := obj.(interface{ GetAnnotations() map[string]string })
	return m
}

// IsClusterScoped reports whether objects of a kind a [Cluster] holds
// have no namespace.
func IsClusterScoped(kind string) bool {
	switch kind {
	case KindNamespace, KindClusterRole, KindClusterRoleBinding:
		return true
	}
	return false
}
