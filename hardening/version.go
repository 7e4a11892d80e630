package hardening

import (
	"fmt"
	"strconv"
	"strings"
)

// KubeVersion is a Kubernetes minor version, for checks whose rules change
// between releases (the Pod Security Standards). The zero value is not a
// version; use [LatestKube] for "the newest rules known".
type KubeVersion struct {
	Major, Minor int
}

// LatestKube is the newest Kubernetes version whose Pod Security Standards
// bulwark implements. Newer versions are evaluated as this one, as Pod
// Security Admission does.
var LatestKube = KubeVersion{1, 37}

// ParseKubeVersion parses "v1.25", "1.25" or "latest".
func ParseKubeVersion(s string) (KubeVersion, error) {
	if s == "latest" {
		return LatestKube, nil
	}
	major, minor, ok := strings.Cut(strings.TrimPrefix(s, "v"), ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if !ok || err1 != nil || err2 != nil || ma != 1 || mi < 0 || major != strconv.Itoa(ma) || minor != strconv.Itoa(mi) {
		return KubeVersion{}, fmt.Errorf("invalid Kubernetes version %q (want vMAJOR.MINOR such as v1.30, or latest)", s)
	}
	return KubeVersion{ma, mi}, nil
}

// String renders "v1.25".
func (v KubeVersion) String() string { return fmt.Sprintf("v%d.%d", v.Major, v.Minor) }

// AtLeast reports whether v is minor version 1.minor or newer.
func (v KubeVersion) AtLeast(minor int) bool {
	return v.Major > 1 || (v.Major == 1 && v.Minor >= minor)
}

// Clamp returns v, or LatestKube when v is newer.
func (v KubeVersion) Clamp() KubeVersion {
	if v.Major > LatestKube.Major || (v.Major == LatestKube.Major && v.Minor > LatestKube.Minor) {
		return LatestKube
	}
	return v
}
