package posture

// Check posture.strictest-level: the strictest Pod Security Standards
// level every audited workload of a namespace already passes, when it is
// stricter than what the namespace enforces.
//
// A set check ([hardening.Check.Set]). It observes:
//
//   - every Pod subject with a metadata.namespace (an empty one is
//     unspecified and counts for no namespace), judged by the
//     pss-restricted and pss-baseline profiles at the check's version as
//     Pod Security Admission would judge it: any finding of a control fails
//     the level, whatever suppressions say (Pod Security Admission does not
//     read them). A pod whose subject could not be fully observed
//     ([hardening.Subject.Unobserved]) counts as passing no level;
//   - every Namespace object subject, for its labels; when a namespace has
//     none among the subjects, the run's [hardening.Cluster] is asked.
//
// When the run ends it reports, for each namespace whose workloads all
// pass baseline or restricted, sorted by namespace:
//
//   - with a Namespace object: when that level is stricter than the level
//     its enforce label gives it (a missing label counts as the cluster's
//     default, assumed privileged; an invalid one as restricted, as Pod
//     Security Admission evaluates it), or is the same level pinned to an
//     older enforce-version; at the object's enforce label;
//   - without one: in any case, saying that its labels are unknown because
//     no Namespace object is among the audited objects; at the
//     metadata.namespace of its first workload in input order. A run
//     without a Cluster (an admission request, a single object) says
//     nothing of such namespaces.
//
// The finding gives the exact labels to set, enforce and enforce-version
// at the version the levels were evaluated at (a pin, so that an upgrade
// of the cluster does not start refusing pods), and a kubectl command.

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"strconv"
	"sync"

	"github.com/bulwarkdev/bulwark/hardening"
)

// PSSProfiles returns the checks of a Pod Security Standards level at a
// Kubernetes version: bulwark.PSSProfile, which this package cannot import
// (bulwark imports it).
type PSSProfiles func(level hardening.PSSLevel, v hardening.KubeVersion) (hardening.Checks, error)

// StrictestLevel returns the check posture.strictest-level evaluated at
// Kubernetes version v with the Pod Security Standards profiles that
// profiles returns (pass bulwark.PSSProfile). A version that is not v1.0
// or newer, a nil profiles, or profiles that fail or are empty for
// baseline or restricted at v are errors: a check that judged pods with no
// controls would find every namespace ready for restricted.
func StrictestLevel(v hardening.KubeVersion, profiles PSSProfiles) (*hardening.Check, error) {
	if v.Major != 1 || v.Minor < 0 {
		return nil, errVersion("StrictestLevel", v)
	}
	if profiles == nil {
		return nil, errors.New("posture.StrictestLevel: profiles is nil (pass bulwark.PSSProfile)")
	}
	baseline, err := profiles(hardening.PSSBaseline, v)
	if err == nil && len(baseline) == 0 {
		err = errors.New("no controls")
	}
	if err != nil {
		return nil, errors.New("posture.StrictestLevel: the baseline profile at " + v.String() + ": " + err.Error())
	}
	restricted, err := profiles(hardening.PSSRestricted, v)
	if err == nil && len(restricted) == 0 {
		err = errors.New("no controls")
	}
	if err != nil {
		return nil, errors.New("posture.StrictestLevel: the restricted profile at " + v.String() + ": " + err.Error())
	}
	at := v.Clamp()
	c := strictestCheck()
	c.Set = func(cluster *hardening.Cluster) hardening.SetRun {
		return &strictestRun{cluster: cluster, baseline: baseline, restricted: restricted, at: at, namespaces: map[string]*namespaceState{}}
	}
	return c, nil
}

func strictestCheck() *hardening.Check {
	return &hardening.Check{
		ID:        "posture.strictest-level",
		Title:     "namespace could enforce a stricter Pod Security level",
		Severity:  hardening.SeverityInfo,
		Class:     hardening.ClassEscape,
		Inputs:    hardening.KindPod | hardening.KindObject,
		Platforms: hardening.PlatformAll,
		Rationale: "A namespace that enforces less than its workloads already meet leaves room for the next pod to be " +
			"privileged for no reason. Enforcing the strictest level they pass costs nothing today and refuses the pods " +
			"that would take that room.",
		Remediation: "Set the labels the finding names on the Namespace (in its manifest, or with the kubectl command it " +
			"gives); try them first as warn and audit labels if workloads not among the audited ones run there.",
		References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	}
}

// strictestRun is one run of posture.strictest-level.
type strictestRun struct {
	cluster              *hardening.Cluster
	baseline, restricted hardening.Checks
	at                   hardening.KubeVersion

	mu         sync.Mutex
	namespaces map[string]*namespaceState
}

// namespaceState is what a run keeps of one namespace: small, whatever
// the number of its pods.
type namespaceState struct {
	pods  int
	level level // the strictest level every pod so far passes
	// first is where the first of its workloads (in input order) names it.
	first location
	// object is its Namespace object among the subjects, if any.
	object *hardening.ClusterObject
}

// location is a place in the input: a document, and the metadata of the
// object there (its path is built only when reported, so that observing
// a pod costs no allocation).
type location struct {
	source         string
	document, line int
	meta           string
}

func (l location) before(m location) bool {
	return cmp.Or(cmp.Compare(l.source, m.source), cmp.Compare(l.document, m.document), cmp.Compare(l.meta, m.meta)) < 0
}

// metaOf returns the path of the metadata that holds a workload's
// namespace: the workload's own for a pod template, the Pod's for a bare
// Pod.
func metaOf(s *hardening.Subject) string {
	return cmp.Or(s.WorkloadMetaPath, s.MetaPath(""))
}

// buffers recycles the findings slices pods are judged into, so that a
// passing pod costs no allocation.
var buffers = sync.Pool{New: func() any { return new([]hardening.Finding) }}

func (r *strictestRun) Observe(s *hardening.Subject, _ []hardening.Finding) {
	switch {
	case s.Kind == hardening.KindObject:
		if namespaceOf(s) == nil {
			return
		}
		r.mu.Lock()
		st := r.state(s.Object.Name)
		if st.object == nil || objectLocation(s.Object).before(objectLocation(st.object)) {
			st.object = s.Object
		}
		r.mu.Unlock()
	case s.Kind == hardening.KindPod && s.Pod != nil && s.Pod.Namespace != "":
		l := r.level(s)
		here := location{s.Source, s.Document, s.Line, metaOf(s)}
		r.mu.Lock()
		st := r.state(s.Pod.Namespace)
		if st.pods == 0 || l < st.level {
			st.level = l
		}
		if st.pods == 0 || here.before(st.first) {
			st.first = here
		}
		st.pods++
		r.mu.Unlock()
	}
}

func objectLocation(o *hardening.ClusterObject) location {
	return location{o.Source, o.Document, 0, o.Path}
}

// state returns the state of namespace ns; r.mu is held.
func (r *strictestRun) state(ns string) *namespaceState {
	st := r.namespaces[ns]
	if st == nil {
		st = &namespaceState{}
		r.namespaces[ns] = st
	}
	return st
}

// level returns the strictest level the pod passes, as Pod Security
// Admission would judge it.
func (r *strictestRun) level(s *hardening.Subject) level {
	if len(s.Unobserved) > 0 {
		return levelPrivileged // what was not seen may fail any control
	}
	buf := buffers.Get().(*[]hardening.Finding)
	defer func() {
		clear(*buf)
		*buf = (*buf)[:0]
		buffers.Put(buf)
	}()
	if *buf = r.restricted.Check(s, (*buf)[:0]); len(*buf) == 0 {
		return levelRestricted
	}
	if *buf = r.baseline.Check(s, (*buf)[:0]); len(*buf) == 0 {
		return levelBaseline
	}
	return levelPrivileged
}

func (r *strictestRun) Finish(out []hardening.Finding) []hardening.Finding {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := slices.Sorted(maps.Keys(r.namespaces))
	for _, ns := range names {
		st := r.namespaces[ns]
		if st.pods == 0 || st.level == levelPrivileged {
			continue
		}
		obj := st.object
		if obj == nil && r.cluster != nil {
			obj = r.cluster.Get(hardening.KindNamespace, "", ns)
		}
		if f, ok := r.judge(ns, st, obj); ok {
			out = append(out, f)
		}
	}
	return out
}

// judge returns the finding about namespace ns, if there is one.
func (r *strictestRun) judge(ns string, st *namespaceState, obj *hardening.ClusterObject) (hardening.Finding, bool) {
	want, at := st.level, r.at
	labels := EnforceLabel + "=" + want.String() + " and " + EnforceVersionLabel + "=" + at.String()
	passes := workloads(st.pods, ns) + " the Pod Security Standards " + want.String() + " level at " + at.String()
	kubectl := "kubectl label namespace " + ns + " " + EnforceLabel + "=" + want.String() + " " +
		EnforceVersionLabel + "=" + at.String() + " --overwrite"
	remediation := "Set " + labels + " on the Namespace, in its manifest or with " + kubectl + "; try them first as warn " +
		"and audit labels if workloads that were not audited run there."
	if obj == nil {
		if r.cluster == nil {
			return hardening.Finding{}, false // no view of the run's objects: nothing to say of its labels
		}
		return hardening.Finding{
			Subject: hardening.ObjectName(hardening.KindNamespace, "", ns), Kind: hardening.KindObject,
			Source: st.first.source, Document: st.first.document, Line: st.first.line, Path: st.first.meta + ".namespace",
			Message: passes + "; no Namespace " + strconv.Quote(ns) + " is among the audited objects, so the labels it " +
				"enforces are unknown: set " + labels + " on it",
			Remediation: remediation,
		}, true
	}
	nsObj := namespaceObject(obj)
	if nsObj == nil {
		return hardening.Finding{}, false
	}
	// An invalid enforce level is evaluated as restricted (parseLevel):
	// nothing is stricter.
	e := policyOf(nsObj).Enforce
	now := "it enforces " + e.Level.String()
	if !e.Set {
		now = "it sets no enforce label, so " + clusterDefault
		e.Level = levelPrivileged
	}
	switch {
	case want > e.Level:
	case want == e.Level && e.Set && e.ValidLevel && e.Version.olderThan(at):
		now += " at " + e.Version.String()
	default:
		return hardening.Finding{}, false
	}
	f := hardening.ObjectFinding(obj, hardening.Key("metadata.labels", EnforceLabel),
		passes+"; "+now+": set "+labels)
	f.Remediation = remediation
	return f, true
}

// workloads names the n audited workloads of namespace ns and says they
// pass.
func workloads(n int, ns string) string {
	if n == 1 {
		return "the only audited workload of namespace " + strconv.Quote(ns) + " passes"
	}
	return "all " + strconv.Itoa(n) + " audited workloads of namespace " + strconv.Quote(ns) + " pass"
}
