package bulwark

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/confinement"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hooks"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/bulwarkdev/bulwark/posture"
	"github.com/bulwarkdev/bulwark/rbac"
	"github.com/bulwarkdev/bulwark/serviceaccount"
)

// Checks returns every built-in check, sorted by ID: the checks of each
// concern package and the runner's own (a check that panicked, unused
// suppressions, suppressions without a reason). The slice is new on every
// call; the checks themselves are shared and must not be modified.
func Checks() hardening.Checks { return slices.Clone(catalog()) }

// catalog builds the catalog once; Checks hands out copies.
var catalog = sync.OnceValue(func() hardening.Checks {
	all := hardening.RunnerChecks()
	for _, pkg := range []hardening.Checks{
		capabilities.Checks(),
		cgroups.Checks(),
		confinement.Checks(),
		hooks.Checks(),
		images.Checks(),
		namespaces.Checks(),
		network.Checks(),
		posture.Checks(PSSProfile),
		rbac.Checks(),
		serviceaccount.Checks(),
	} {
		all = append(all, pkg...)
	}
	// The Pod Security Standards controls at the newest version; a control
	// that is also a general check (capabilities.privileged) is listed once.
	latest, err := PSSProfile(hardening.PSSRestricted, hardening.LatestKube)
	if err != nil {
		panic("bulwark: assembling the catalog: " + err.Error()) // a bug in this package, caught by its tests
	}
	for _, c := range latest {
		if all.Lookup(c.ID) == nil {
			all = append(all, c)
		}
	}
	return all.Sorted()
})

// pssControls gathers the Pod Security Standards controls of every concern
// package.
func pssControls() []hardening.PSSControl {
	var controls []hardening.PSSControl
	controls = append(controls, capabilities.PSSControls()...)
	controls = append(controls, confinement.PSSControls()...)
	controls = append(controls, namespaces.PSSControls()...)
	controls = append(controls, network.PSSControls()...)
	return controls
}

// PSSProfile returns the checks of a Pod Security Standards level at a
// Kubernetes version, assembled as Pod Security Admission assembles them: the
// level's controls active at v and, for restricted, every active baseline
// control that no active restricted control overrides. Versions newer than
// [hardening.LatestKube] are evaluated as LatestKube. A Pod passes the level
// exactly when these checks report no finding that counts for it.
//
// A level other than baseline or restricted, or a version before v1.0
// (the zero KubeVersion included), is an error: an empty profile would pass
// every pod.
func PSSProfile(level hardening.PSSLevel, v hardening.KubeVersion) (hardening.Checks, error) {
	if level != hardening.PSSBaseline && level != hardening.PSSRestricted {
		return nil, fmt.Errorf("pod security level %d: want hardening.PSSBaseline or hardening.PSSRestricted", level)
	}
	if v.Major < 1 || v.Minor < 0 {
		return nil, fmt.Errorf("kubernetes version %s: want v1.0 or newer (hardening.LatestKube for the newest rules)", v)
	}
	key := pssKey{level, v.Clamp()}
	if cached, ok := pssProfiles.Load(key); ok {
		return slices.Clone(cached.(hardening.Checks)), nil
	}
	checks := hardening.PSSChecks(pssControls(), level, key.version)
	if len(checks) == 0 {
		return nil, fmt.Errorf("pod security level %s at %s has no controls", level, v)
	}
	pssProfiles.Store(key, checks)
	return slices.Clone(checks), nil
}

// pssProfiles caches assembled levels: resolving a profile per admission
// request should cost a copy, not a rebuild.
var pssProfiles sync.Map // pssKey → hardening.Checks

type pssKey struct {
	level   hardening.PSSLevel
	version hardening.KubeVersion
}

// ProfileInfo describes a named profile.
type ProfileInfo struct {
	Name        string
	Description string
	// Versioned profiles accept @vMAJOR.MINOR and @latest; unversioned ones
	// accept only @latest.
	Versioned bool
}

// Profiles lists the named profiles [Profile] resolves.
func Profiles() []ProfileInfo {
	return []ProfileInfo{
		{Name: "default", Description: "what a team can gate CI on: the Pod Security Standards restricted level at the newest version, and every general check of medium severity or above except those that fire on hardened real-world manifests and images (see DefaultExclusions)"},
		{Name: "all", Description: "every built-in check; the Pod Security Standards controls at the newest version"},
		{Name: "pss-baseline", Description: "the Pod Security Standards baseline level, as Pod Security Admission enforces it", Versioned: true},
		{Name: "pss-restricted", Description: "the Pod Security Standards restricted level (baseline included), as Pod Security Admission enforces it", Versioned: true},
		{Name: "cis-docker", Description: "the CIS Docker Benchmark v1.6.0 items an OCI runtime spec (section 5) or an image config (section 4) can answer"},
	}
}

// Profile resolves a profile reference, NAME or NAME@vMAJOR.MINOR or
// NAME@latest, to its checks. A versioned profile without a version is at
// its latest version.
func Profile(ref string) (hardening.Checks, error) {
	name, version, versioned := strings.Cut(ref, "@")
	for _, p := range Profiles() {
		if p.Name != name {
			continue
		}
		if versioned && version != "latest" && !p.Versioned {
			return nil, fmt.Errorf("profile %q is not versioned: use %q or %q", name, name, name+"@latest")
		}
		v := hardening.LatestKube
		if versioned && version != "latest" {
			var err error
			if v, err = hardening.ParseKubeVersion(version); err != nil {
				return nil, fmt.Errorf("profile %q: %w", ref, err)
			}
		}
		switch name {
		case "default":
			return Default(), nil
		case "all":
			return Checks(), nil
		case "pss-baseline":
			return PSSProfile(hardening.PSSBaseline, v)
		case "pss-restricted":
			return PSSProfile(hardening.PSSRestricted, v)
		case "cis-docker":
			return CISDockerProfile(), nil
		}
	}
	var names []string
	for _, p := range Profiles() {
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(names, ", "))
}

// DefaultProfile is the name of the profile tools use when none is named.
const DefaultProfile = "default"

// DefaultExclusions lists the general checks of medium severity or above
// that the default profile leaves out, with the reason: each fires on
// hardened manifests or images of real projects (grafana's and
// prometheus-operator's charts, distribution base images) for a choice a
// team makes per environment, not for a missing control. They stay in
// "all".
func DefaultExclusions() map[string]string {
	return map[string]string{
		"cgroups.memory-limit-missing":         "charts leave resources to the installer (grafana's default is resources: {})",
		"namespaces.writable-root-filesystem":  "many hardened images write to their own filesystem (grafana's plugins directory)",
		"namespaces.user-namespace-missing":    "user namespaces need node support most runtimes do not enable by default; for Pods the same control is informational",
		"images.setuid-file":                   "every distribution base image ships setuid binaries (passwd, su)",
		"capabilities.non-root-unverifiable":   "informational without the image's config",
		"confinement.seccomp-spec-allow":       "runtime default profiles allow by rule",
		"serviceaccount.default-token-mounted": "the token's power depends on RBAC, judged on its own",
		"posture.psa-enforce-privileged":       "node agents' namespaces are labelled privileged on purpose (calico's tigera-operator); posture.strictest-level says when a namespace does not need it",
		"serviceaccount.token-mounted":         "hardened charts mount the tokens they need (grafana, prometheus-operator); the token's power depends on RBAC",
		// The RBAC of operators and drivers grants these by design
		// (testdata/hardened/operators-rbac.yaml): each is the least its
		// chart can grant for what it does. They stay in "all", for review.
		"rbac.wildcard":                   "operators grant every verb on their own CRDs (prometheus-operator's ClusterRole)",
		"rbac.pod-creation":               "operators and CI runners create the pods they manage (prometheus-operator's StatefulSets)",
		"rbac.secrets-access":             "certificate and secret managers read and write Secrets by design (cert-manager, prometheus-operator)",
		"rbac.admission-webhooks":         "cert-manager's cainjector patches every webhook's CA bundle",
		"rbac.persistent-volume-creation": "CSI provisioners create PersistentVolumes",
		"rbac.node-modification":          "CSI node plugins and node agents label their Node",
		"rbac.workload-reach":             "an operator's account holds what its role grants by design (prometheus-operator, CSI controllers): the chain is for review, not a missing control",
	}
}

// Default returns the default profile's checks, sorted by ID: the Pod
// Security Standards restricted level at the newest version
// ([hardening.LatestKube]), and every general check whose severity is
// medium or above, less [DefaultExclusions]. Every check added to the
// catalog must earn its place here: a test pins that hardened manifests
// shaped like real charts pass it.
func Default() hardening.Checks { return slices.Clone(defaultProfile()) }

var defaultProfile = sync.OnceValue(func() hardening.Checks {
	restricted, err := PSSProfile(hardening.PSSRestricted, hardening.LatestKube)
	if err != nil {
		panic("bulwark: assembling the default profile: " + err.Error())
	}
	// A control that is also a general check (capabilities.privileged) is
	// the general check here, as in the catalog: under this profile it
	// folds what a privileged container makes moot.
	catalog := Checks()
	out := make(hardening.Checks, 0, len(catalog))
	for _, c := range restricted {
		if g := catalog.Lookup(c.ID); g != nil && g.PSSLevel == 0 {
			c = g
		}
		out = append(out, c)
	}
	excluded := DefaultExclusions()
	for _, c := range catalog {
		if c.PSSLevel != 0 || c.Run == nil && c.Set == nil || c.Severity < hardening.SeverityMedium || excluded[c.ID] != "" || out.Lookup(c.ID) != nil {
			continue
		}
		out = append(out, c)
	}
	return out.Sorted()
})

// CISDockerProfile returns the checks that answer CIS Docker Benchmark v1.6.0
// items from an OCI runtime spec (section 5, container runtime) or an image
// config (section 4, images): every catalog check with a CIS reference,
// reading only those two kinds of input. Each finding names its CIS item
// among its references. It is the profile "cis-docker"; an item's
// reference is [hardening.CISDocker].
func CISDockerProfile() hardening.Checks { return slices.Clone(cisDocker()) }

var cisDocker = sync.OnceValue(func() hardening.Checks {
	var out hardening.Checks
	for _, c := range Checks() {
		inputs := c.Inputs & (hardening.KindOCISpec | hardening.KindImage)
		if inputs == 0 || !hasCISReference(c) {
			continue
		}
		if inputs != c.Inputs {
			narrowed := *c
			narrowed.Inputs = inputs
			c = &narrowed
		}
		out = append(out, c)
	}
	return out
})

func hasCISReference(c *hardening.Check) bool {
	for _, r := range c.References {
		if r.Kind == hardening.RefCIS {
			return true
		}
	}
	return false
}

// Audit runs checker over the subjects and returns the findings in subject
// order. A bare [hardening.Checks] trusts no suppression: what an object
// says about itself never changes its verdict (see [hardening.NewRunner]
// to choose whom to trust).
func Audit(checker hardening.Checker, subjects ...*hardening.Subject) []hardening.Finding {
	var out []hardening.Finding
	for _, s := range subjects {
		out = checker.Check(s, out)
	}
	if f, ok := checker.(interface{ Finish() []hardening.Finding }); ok {
		out = append(out, f.Finish()...)
	}
	return out
}

// FileSuppressions returns the suppression sources trusted by default when
// auditing files reviewed in a repository: the objects' own annotations
// (their authors answer for them in review) and, when policy is not nil, a
// policy file.
func FileSuppressions(policy *hardening.Policy) []hardening.Suppressor {
	sources := []hardening.Suppressor{hardening.ObjectAnnotations}
	if policy != nil {
		sources = append(sources, policy)
	}
	return sources
}

// AuditPaths loads files, directories, OCI image layouts and archives, "-"
// (standard input) and, with opts.Registry set, images by reference from
// their registries (see the load package's Image references), and audits
// every subject found. Load errors and
// skipped documents are in the result next to the findings.
//
// A bare [hardening.Checks] is run with the defaults for files: the
// objects' own suppression annotations are trusted ([FileSuppressions]).
// Pass a [*hardening.Runner] to choose otherwise.
//
// AuditPaths collects [Stream] into a Result, which holds every subject in
// memory; tools that report as they go use Stream.
func AuditPaths(checker hardening.Checker, opts load.Options, paths ...string) *hardening.Result {
	r := &hardening.Result{}
	if _, err := Stream(context.Background(), checker, opts, paths, hardening.Collect(r)); err != nil {
		// Only a temporary file for standard input could fail: report it
		// as that source's error.
		r.Errors = append(r.Errors, &hardening.DocumentError{Source: load.Stdin, Document: -1, Err: err})
	}
	return r
}

// Stream loads and audits paths as [AuditPaths] does, handing out each
// subject with its findings as soon as it is checked, so that memory does
// not grow with the input. A run has two phases (see [load.Inputs]):
// the first reads every input once and keeps only the objects around the
// workloads (namespaces, service accounts, RBAC, network policies, limit
// ranges, quotas, services, secrets by name), which every subject then
// shares as its [hardening.Cluster]; the second decodes and checks the
// documents, in parallel (opts.Workers), and calls emit for each
// [hardening.Entry] in input order: one per subject with its findings, one
// per document or source that could not be read, one per skipped
// document. When checker has a Finish method (a [*hardening.Runner]
// does), its findings about the run as a whole come last, in an entry with
// Set true; that entry comes in any case.
//
// The output is the same whatever the number of workers. emit is called
// from the calling goroutine, one entry at a time; an entry's Findings are
// valid until emit returns. Stream stops at the first error emit returns,
// or when ctx ends (between documents, and between and within the layers
// of an image), and returns it; the summary counts what was emitted.
// Standard input is spooled to a temporary file for the two phases, and
// removed before Stream returns.
//
// A bare [hardening.Checks] is run with the defaults for files, as in
// AuditPaths.
func Stream(ctx context.Context, checker hardening.Checker, opts load.Options, paths []string, emit func(*hardening.Entry) error) (*hardening.Summary, error) {
	if cs, ok := checker.(hardening.Checks); ok {
		// On error (a malformed check) the bare list still runs, and reports
		// the check as failed on every subject: never fewer checks in silence.
		if r, err := hardening.NewRunner(cs, hardening.RunOptions{Suppressions: FileSuppressions(nil)}); err == nil {
			checker = r
		}
	}
	in, err := load.Open(opts, paths...)
	if err != nil {
		return &hardening.Summary{}, err
	}
	defer in.Close()
	cluster, err := in.Cluster(ctx)
	if err != nil {
		return &hardening.Summary{}, err
	}
	sum, err := in.Stream(ctx, cluster, checker, emit)
	if err != nil {
		return &sum, err
	}
	set := hardening.Entry{Set: true}
	if f, ok := checker.(interface{ Finish() []hardening.Finding }); ok {
		set.Findings = f.Finish()
	}
	sum.Add(&set)
	return &sum, emit(&set)
}
