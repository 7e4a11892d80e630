package posture

// Pod Security Admission's namespace labels, read as Kubernetes'
// k8s.io/pod-security-admission api.PolicyToEvaluate reads them: each
// mode's level and version independently; a level other than privileged,
// baseline or restricted (compared as written) is evaluated as restricted
// for enforce (Pod Security Admission fails closed) and as privileged for
// audit and warn (they fail open); a version other than "latest" or
// v1.<minor> (no leading zero, no other major) is evaluated as latest; a
// missing label takes the cluster's default, which the API server's
// PodSecurity admission configuration sets and which is privileged and
// latest when it sets none.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// The Pod Security Admission labels of a Namespace.
const (
	LabelPrefix         = "pod-security.kubernetes.io/"
	EnforceLabel        = LabelPrefix + "enforce"
	EnforceVersionLabel = LabelPrefix + "enforce-version"
	AuditLabel          = LabelPrefix + "audit"
	AuditVersionLabel   = LabelPrefix + "audit-version"
	WarnLabel           = LabelPrefix + "warn"
	WarnVersionLabel    = LabelPrefix + "warn-version"
)

// level is a Pod Security Standards level, ordered by strictness.
type level uint8

const (
	levelPrivileged level = iota
	levelBaseline
	levelRestricted
)

func (l level) String() string {
	switch l {
	case levelBaseline:
		return "baseline"
	case levelRestricted:
		return "restricted"
	}
	return "privileged"
}

// parseLevel reads a level label's value as Pod Security Admission does:
// exactly "privileged", "baseline" or "restricted".
func parseLevel(s string) (level, bool) {
	switch s {
	case "privileged":
		return levelPrivileged, true
	case "baseline":
		return levelBaseline, true
	case "restricted":
		return levelRestricted, true
	}
	return levelRestricted, false
}

// version is a version label's value: latest, or a pinned minor of v1.
type version struct {
	v      hardening.KubeVersion
	latest bool
}

func (v version) String() string {
	if v.latest {
		return "latest"
	}
	return v.v.String()
}

// olderThan reports whether v is pinned to a version before w.
func (v version) olderThan(w hardening.KubeVersion) bool {
	return !v.latest && (v.v.Major < w.Major || v.v.Major == w.Major && v.v.Minor < w.Minor)
}

// parseVersion reads a version label's value as Pod Security Admission
// does: "latest", or v1.<minor> with no leading zero; anything else is
// evaluated as latest.
func parseVersion(s string) (version, bool) {
	if s == "latest" {
		return version{latest: true}, true
	}
	minor, ok := strings.CutPrefix(s, "v1.")
	if !ok || minor == "" || (len(minor) > 1 && minor[0] == '0') {
		return version{latest: true}, false
	}
	for i := 0; i < len(minor); i++ {
		if minor[i] < '0' || minor[i] > '9' {
			return version{latest: true}, false
		}
	}
	n, err := strconv.Atoi(minor)
	if err != nil {
		return version{latest: true}, false
	}
	return version{v: hardening.KubeVersion{Major: 1, Minor: n}}, true
}

// mode is one Pod Security Admission mode of a namespace as its labels set
// it.
type mode struct {
	// Set says the level label is present; Level is what Pod Security
	// Admission evaluates for it (see parseLevel), ValidLevel whether its
	// value parsed.
	Set, ValidLevel bool
	Level           level
	// VersionSet says the version label is present; Version is what is
	// evaluated for it, ValidVersion whether its value parsed.
	VersionSet, ValidVersion bool
	Version                  version
}

// policy is a namespace's Pod Security Admission labels.
type policy struct {
	Enforce, Audit, Warn mode
}

// policyOf reads the labels of ns. It does not allocate.
func policyOf(ns *corev1.Namespace) policy {
	var p policy
	labels := ns.Labels
	for _, m := range [...]struct {
		mode          *mode
		level, ver    string
		failOpenLevel bool
	}{
		{&p.Enforce, EnforceLabel, EnforceVersionLabel, false},
		{&p.Audit, AuditLabel, AuditVersionLabel, true},
		{&p.Warn, WarnLabel, WarnVersionLabel, true},
	} {
		if v, ok := labels[m.level]; ok {
			m.mode.Set = true
			m.mode.Level, m.mode.ValidLevel = parseLevel(v)
			if !m.mode.ValidLevel && m.failOpenLevel {
				m.mode.Level = levelPrivileged
			}
		}
		m.mode.Version = version{latest: true}
		if v, ok := labels[m.ver]; ok {
			m.mode.VersionSet = true
			m.mode.Version, m.mode.ValidVersion = parseVersion(v)
		}
	}
	return p
}

// namespaceOf returns the Namespace an object subject holds, or nil.
func namespaceOf(s *hardening.Subject) *corev1.Namespace { return namespaceObject(s.Object) }

// labelPath returns the field path of a label of a Namespace subject.
func labelPath(s *hardening.Subject, label string) string {
	return s.ObjectPath(hardening.Key("metadata.labels", label))
}

// clusterDefault is how findings name the policy a missing label leaves a
// namespace to.
const clusterDefault = "the cluster's default applies, privileged (every pod admitted) unless the API server's " +
	"PodSecurity admission configuration, which is not among the audited objects, sets another"
