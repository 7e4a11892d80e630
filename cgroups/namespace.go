package cgroups

// Check cgroups.namespace-limits-missing: a namespace runs workloads of
// the run and no LimitRange or ResourceQuota among the run's objects
// bounds it.
//
// It is a set check (hardening.Check.Set): it observes every Pod subject
// of the run and reports once per namespace when the run ends, and only
// when the run has a Cluster: absence is evidence only where there is a
// view to be absent from, so a webhook auditing one pod hears nothing.
//
// Objects read: the namespace of each workload (metadata.namespace, as
// written: empty is "the namespace it is applied to"), and the run's
// LimitRanges, ResourceQuotas and Namespaces.
//
// Allowed values: any LimitRange or ResourceQuota of the namespace, or,
// when the run holds none there, one that names no namespace (see
// hardening.Cluster.ResolveList). Their content is not judged here: a
// LimitRange gives containers defaults and bounds (limitrange.go), a
// quota bounds the namespace as a whole, and either shows that someone
// decided the namespace's budget.
//
// Severity: low when the run declares the Namespace object itself (it
// manages the namespace and left out its bounds; the finding sits on the
// Namespace), info when it does not (the namespace, and its bounds, may
// well be managed elsewhere; the finding sits on the first workload's
// metadata.namespace, in input order).

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bulwarkdev/bulwark/hardening"
)

// NamespaceLimitsMissing reports, once per namespace, the namespaces whose
// workloads no LimitRange or ResourceQuota among the audited objects
// bounds.
var NamespaceLimitsMissing = &hardening.Check{
	ID:        "cgroups.namespace-limits-missing",
	Title:     "namespace has no LimitRange or ResourceQuota",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassResourceExhaustion,
	Inputs:    hardening.KindPod,
	Platforms: hardening.PlatformLinux | hardening.PlatformWindows,
	Rationale: "A LimitRange gives every container of a namespace default limits and requests and bounds what one may ask " +
		"for; a ResourceQuota bounds what the namespace takes in all. Without either, each workload's resources are only what " +
		"its manifest says, and whoever may create pods in the namespace may take what the nodes have.",
	Remediation: "Declare a LimitRange with default, defaultRequest and max for cpu and memory (type: Container), and a " +
		"ResourceQuota on requests.cpu, requests.memory, limits.cpu and limits.memory, for each namespace that runs workloads.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes limit ranges", URL: "https://kubernetes.io/docs/concepts/policy/limit-range/"},
		{Kind: hardening.RefDoc, ID: "Kubernetes resource quotas", URL: "https://kubernetes.io/docs/concepts/policy/resource-quotas/"},
		cgNCC,
	},
	Set: func(c *hardening.Cluster) hardening.SetRun {
		if c == nil {
			return noSetRun{}
		}
		return &namespaceRun{cluster: c, seen: map[string]*workloadAt{}}
	},
}

// noSetRun is the run of a set check that has nothing to judge.
type noSetRun struct{}

func (noSetRun) Observe(*hardening.Subject, []hardening.Finding) {}

func (noSetRun) Finish(out []hardening.Finding) []hardening.Finding { return out }

// workloadAt is the first workload seen of a namespace, in input order,
// and how many there are.
type workloadAt struct {
	name, source, metaPath string
	document, line, count  int
}

// before orders workloads by source, document and place in it.
func (w *workloadAt) before(source string, document int, metaPath string) bool {
	if w.source != source {
		return w.source < source
	}
	if w.document != document {
		return w.document < document
	}
	return w.metaPath < metaPath
}

type namespaceRun struct {
	cluster *hardening.Cluster
	mu      sync.Mutex
	seen    map[string]*workloadAt // namespaces that nothing bounds
}

// bounded reports whether a LimitRange or ResourceQuota applies to the
// workloads of namespace.
func bounded(c *hardening.Cluster, namespace string) bool {
	for _, kind := range [...]string{hardening.KindLimitRange, hardening.KindResourceQuota} {
		ns, _ := c.ResolveList(kind, namespace)
		for range c.List(kind, ns) {
			return true
		}
	}
	return false
}

func (n *namespaceRun) Observe(s *hardening.Subject, _ []hardening.Finding) {
	if s.Pod == nil {
		return
	}
	ns := s.Pod.Namespace
	if bounded(n.cluster, ns) {
		return
	}
	meta := s.WorkloadMetaPath
	if meta == "" && s.WorkloadAnnotations == nil {
		meta = s.PodMetaPath
	}
	if meta == "" {
		meta = "metadata"
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	w := n.seen[ns]
	if w == nil {
		w = &workloadAt{}
		n.seen[ns] = w
	}
	if w.count == 0 || !w.before(s.Source, s.Document, meta) {
		w.name, w.source, w.metaPath, w.document, w.line = s.Name, s.Source, meta, s.Document, s.Line
	}
	w.count++
}

func (n *namespaceRun) Finish(out []hardening.Finding) []hardening.Finding {
	names := slices.Sorted(maps.Keys(n.seen))
	for _, ns := range names {
		w := n.seen[ns]
		workloads := strconv.Quote(w.name)
		if w.count > 1 {
			workloads = strconv.Itoa(w.count) + " workloads, " + workloads + " first"
		}
		if obj := n.cluster.Get(hardening.KindNamespace, "", ns); ns != "" && obj != nil {
			f := hardening.ObjectFinding(obj, "metadata.name", "namespace "+strconv.Quote(ns)+" runs workloads ("+workloads+
				") and no LimitRange or ResourceQuota among the audited objects bounds it: its containers get no default limits, "+
				"and together they may take what the nodes have")
			out = append(out, f)
			continue
		}
		where := "namespace " + strconv.Quote(ns) + " (no Namespace object among the audited objects either)"
		if ns == "" {
			where = "the namespace of workloads that name none"
		}
		out = append(out, hardening.Finding{
			Severity: hardening.SeverityInfo,
			Subject:  w.name, Kind: hardening.KindPod, Source: w.source, Document: w.document, Line: w.line,
			Path: strings.TrimPrefix(w.metaPath+".namespace", "."),
			Message: "no LimitRange or ResourceQuota among the audited objects bounds " + where + ", which runs " + workloads +
				": unless the namespace is given its bounds elsewhere, its containers get no default limits and together may take what the nodes have",
		})
	}
	return out
}
