package posture

// Checks posture.psa-labels-missing, posture.psa-enforce-missing,
// posture.psa-enforce-privileged, posture.psa-label-invalid and
// posture.psa-version-outdated: a Namespace's Pod Security Admission
// labels.
//
// Object fields (Namespace subjects, [hardening.KindObject]):
//
//	metadata.labels[pod-security.kubernetes.io/enforce], […/enforce-version],
//	metadata.labels[pod-security.kubernetes.io/audit], […/audit-version],
//	metadata.labels[pod-security.kubernetes.io/warn], […/warn-version],
//	any other metadata.labels[pod-security.kubernetes.io/*]
//
// Allowed values, read as Pod Security Admission reads them (policy.go):
//
//   - psa-labels-missing: at least one of the enforce, audit and warn
//     labels. Without any, the cluster's default applies to every mode,
//     and the finding says so: privileged unless the API server's
//     PodSecurity admission configuration sets another;
//   - psa-enforce-missing: an enforce label beside warn or audit labels.
//     Warn and audit report violating pods and admit them;
//   - psa-enforce-privileged: an enforce level other than privileged;
//   - psa-label-invalid: every label under pod-security.kubernetes.io/ is
//     one of the six, with a value Pod Security Admission parses. An
//     unknown key (…/enforcement) is ignored by it; an unparseable enforce
//     level is evaluated as restricted, an audit or warn level as
//     privileged, a version as latest. Each finding says which;
//   - psa-version-outdated: an enforce-version that is latest or not older
//     than the cluster's version, given to [PSAVersionOutdatedFor]. The
//     catalog's check ([PSAVersionOutdated]) is not told the cluster's
//     version: it reports, at info, an enforce-version pinned before the
//     newest rules bulwark knows ([hardening.LatestKube]), and says that
//     the cluster's version is unknown. A version under an explicit
//     enforce: privileged is moot and not reported.
//
// Each finding is at the label that decides it: the enforce label's path
// for the first three (the label to set or change, present or not), the
// offending label's for the last two.

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

var (
	refPSA = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes Pod Security Admission",
		URL: "https://kubernetes.io/docs/concepts/security/pod-security-admission/"}
	refPSALabels = hardening.Reference{Kind: hardening.RefDoc, ID: "Enforce Pod Security Standards with namespace labels",
		URL: "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/"}
	refNCCEscape     = hardening.NCC("7 container escape")
	refNCCManagement = hardening.NCC("7 management layer")
)

// PSALabelsMissing reports Namespaces without any Pod Security Admission
// level label.
var PSALabelsMissing = &hardening.Check{
	ID:        "posture.psa-labels-missing",
	Title:     "namespace without Pod Security Admission labels",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassEscape,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "Pod Security Admission judges pods by their namespace's labels. A namespace without them gets the cluster's " +
		"default, which is privileged unless the API server is configured otherwise: privileged containers, host namespaces " +
		"and hostPath volumes are all admitted, and nobody is even warned.",
	Remediation: "Label the Namespace with pod-security.kubernetes.io/enforce (restricted where its workloads allow, baseline " +
		"otherwise) and a pinned enforce-version; posture.strictest-level names the strictest level its audited workloads pass.",
	References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	Run:        runPSALabelsMissing,
}

func runPSALabelsMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	ns := namespaceOf(s)
	if ns == nil {
		return out
	}
	p := policyOf(ns)
	if p.Enforce.Set || p.Audit.Set || p.Warn.Set {
		return out
	}
	return append(out, hardening.Finding{
		Path:    labelPath(s, EnforceLabel),
		Message: "Namespace " + strconv.Quote(ns.Name) + " has no Pod Security Admission label: " + clusterDefault,
	})
}

// PSAEnforceMissing reports Namespaces that warn or audit but do not
// enforce.
var PSAEnforceMissing = &hardening.Check{
	ID:        "posture.psa-enforce-missing",
	Title:     "namespace warns or audits Pod Security but does not enforce it",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassEscape,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "The warn and audit modes report pods that violate a level and admit them all the same. They are the first " +
		"step of a rollout; a namespace that stays there enforces only the cluster's default, privileged unless configured otherwise.",
	Remediation: "Add pod-security.kubernetes.io/enforce at the level the namespace warns or audits at, with a pinned " +
		"enforce-version, once its workloads pass (the warnings and audit events list those that do not).",
	References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	Run:        runPSAEnforceMissing,
}

func runPSAEnforceMissing(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	ns := namespaceOf(s)
	if ns == nil {
		return out
	}
	p := policyOf(ns)
	if p.Enforce.Set || !p.Audit.Set && !p.Warn.Set {
		return out
	}
	var modes []string
	if p.Warn.Set {
		modes = append(modes, "warn: "+p.Warn.Level.String())
	}
	if p.Audit.Set {
		modes = append(modes, "audit: "+p.Audit.Level.String())
	}
	return append(out, hardening.Finding{
		Path: labelPath(s, EnforceLabel),
		Message: "Namespace " + strconv.Quote(ns.Name) + " sets " + strings.Join(modes, " and ") +
			" but no enforce label: violating pods are reported and admitted; for enforce " + clusterDefault,
	})
}

// PSAEnforcePrivileged reports Namespaces labelled enforce: privileged.
var PSAEnforcePrivileged = &hardening.Check{
	ID:        "posture.psa-enforce-privileged",
	Title:     "namespace enforces the privileged Pod Security level",
	Severity:  hardening.SeverityMedium,
	Class:     hardening.ClassEscape,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "enforce: privileged switches Pod Security Admission off for the namespace: whoever may create a pod there may " +
		"create a privileged one that shares the node's namespaces and mounts its filesystem, which is root on the node.",
	Remediation: "Enforce baseline or restricted (posture.strictest-level names the strictest level the namespace's audited " +
		"workloads pass). Keep privileged only for namespaces of node agents that need it (CNI, storage and security agents), " +
		"with nothing else in them and pod creation there limited to their controllers.",
	References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	Run:        runPSAEnforcePrivileged,
}

func runPSAEnforcePrivileged(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	ns := namespaceOf(s)
	if ns == nil {
		return out
	}
	if v, ok := ns.Labels[EnforceLabel]; !ok || v != "privileged" {
		return out
	}
	return append(out, hardening.Finding{
		Path: labelPath(s, EnforceLabel),
		Message: "Namespace " + strconv.Quote(ns.Name) + " enforces privileged: Pod Security Admission admits every pod there, " +
			"privileged containers, host namespaces and hostPath volumes included",
	})
}

// PSALabelInvalid reports Pod Security Admission labels with an unknown
// key or a value Pod Security Admission cannot parse.
var PSALabelInvalid = &hardening.Check{
	ID:        "posture.psa-label-invalid",
	Title:     "Pod Security Admission label with an unknown key or an invalid value",
	Severity:  hardening.SeverityLow,
	Class:     hardening.ClassEscape,
	Inputs:    hardening.KindObject,
	Platforms: hardening.PlatformAll,
	Rationale: "Pod Security Admission ignores keys it does not know (a misspelt …/enforced enforces nothing) and replaces values " +
		"it cannot parse: an invalid enforce level by restricted, an invalid audit or warn level by privileged, an invalid " +
		"version by latest. The namespace then gets a policy nobody wrote.",
	Remediation: "Use the keys pod-security.kubernetes.io/{enforce,audit,warn}[-version] with levels privileged, baseline or " +
		"restricted (lower case) and versions latest or v1.<minor>.",
	References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	Run:        runPSALabelInvalid,
}

func runPSALabelInvalid(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	ns := namespaceOf(s)
	if ns == nil {
		return out
	}
	// A first pass without allocating; keys are sorted only when one is
	// wrong, for a deterministic order.
	bad := false
	for k, v := range ns.Labels {
		if _, ok := labelProblem(k, v); ok {
			bad = true
			break
		}
	}
	if !bad {
		return out
	}
	keys := slices.Sorted(maps.Keys(ns.Labels))
	for _, k := range keys {
		if why, ok := labelProblem(k, ns.Labels[k]); ok {
			out = append(out, hardening.Finding{
				Path:    labelPath(s, k),
				Message: "label " + k + ": " + strconv.Quote(ns.Labels[k]) + " " + why,
			})
		}
	}
	return out
}

// labelProblem says what is wrong with a label, if it is a Pod Security
// Admission label and something is.
func labelProblem(k, v string) (string, bool) {
	if !strings.HasPrefix(k, LabelPrefix) {
		return "", false
	}
	switch k {
	case EnforceLabel:
		if _, ok := parseLevel(v); !ok {
			return "is not a level (privileged, baseline or restricted): Pod Security Admission enforces restricted", true
		}
	case AuditLabel, WarnLabel:
		if _, ok := parseLevel(v); !ok {
			return "is not a level (privileged, baseline or restricted): Pod Security Admission evaluates privileged, which reports nothing", true
		}
	case EnforceVersionLabel, AuditVersionLabel, WarnVersionLabel:
		if _, ok := parseVersion(v); !ok {
			return "is not a version (latest or v1.<minor>): Pod Security Admission evaluates latest", true
		}
	default:
		return "is under a key Pod Security Admission does not know: it is ignored " +
			"(the keys are enforce, audit and warn, each with a -version)", true
	}
	return "", false
}

// PSAVersionOutdated reports, at info, Namespaces whose enforce-version is
// pinned before the newest Pod Security Standards rules bulwark knows
// ([hardening.LatestKube]). It does not know the cluster's version; build
// the check with [PSAVersionOutdatedFor] to compare with it.
var PSAVersionOutdated = psaVersionOutdated(hardening.KubeVersion{})

// PSAVersionOutdatedFor returns the check posture.psa-version-outdated
// for a cluster at Kubernetes version cluster: it reports, at low, a
// Namespace whose enforce-version is pinned to an older version, under
// which pods are judged without the rules added since. Use it in place of
// [PSAVersionOutdated] (the ID is the same). A version that is not v1.0 or
// newer (the zero KubeVersion included) is an error.
func PSAVersionOutdatedFor(cluster hardening.KubeVersion) (*hardening.Check, error) {
	if cluster.Major != 1 || cluster.Minor < 0 {
		return nil, errVersion("PSAVersionOutdatedFor", cluster)
	}
	return psaVersionOutdated(cluster), nil
}

// psaVersionOutdated builds the check; a zero cluster version means
// unknown.
func psaVersionOutdated(cluster hardening.KubeVersion) *hardening.Check {
	known := cluster.Major != 0
	c := &hardening.Check{
		ID:        "posture.psa-version-outdated",
		Title:     "namespace enforces Pod Security rules of an older Kubernetes version",
		Severity:  hardening.SeverityInfo,
		Class:     hardening.ClassEscape,
		Inputs:    hardening.KindObject,
		Platforms: hardening.PlatformAll,
		Rationale: "pod-security.kubernetes.io/enforce-version pins the rules pods are judged by. Rules added in later versions " +
			"(the capabilities and runAsUser rules of restricted in v1.22 and v1.23, host probes and lifecycle hooks in v1.34) " +
			"are not enforced under an older pin, however new the cluster.",
		Remediation: "Set enforce-version to the cluster's version once its workloads pass it (try the new version with the " +
			"warn-version label first), and move it with each upgrade.",
		References: []hardening.Reference{refPSA, refPSALabels, refNCCEscape},
	}
	if known {
		c.Severity = hardening.SeverityLow
	}
	c.Run = func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		return runPSAVersionOutdated(s, out, cluster)
	}
	return c
}

func runPSAVersionOutdated(s *hardening.Subject, out []hardening.Finding, cluster hardening.KubeVersion) []hardening.Finding {
	ns := namespaceOf(s)
	if ns == nil {
		return out
	}
	p := policyOf(ns)
	e := p.Enforce
	if !e.VersionSet || !e.ValidVersion || e.Set && e.ValidLevel && e.Level == levelPrivileged {
		return out
	}
	var why string
	switch {
	case cluster.Major != 0:
		if !e.Version.olderThan(cluster) {
			return out
		}
		why = ", older than the cluster's " + cluster.String() + ": its pods are judged without the Pod Security rules added since"
	default:
		if !e.Version.olderThan(hardening.LatestKube) {
			return out
		}
		why = ", older than the newest Pod Security rules bulwark knows (" + hardening.LatestKube.String() +
			"); whether the cluster is newer is unknown: bulwark was not given its version (posture.PSAVersionOutdatedFor)"
	}
	return append(out, hardening.Finding{
		Path:    labelPath(s, EnforceVersionLabel),
		Message: "Namespace " + strconv.Quote(ns.Name) + " pins enforce-version " + e.Version.String() + why,
	})
}
