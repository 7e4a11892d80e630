package hardening

// PSSLevel is a Pod Security Standards level with controls:
// baseline or restricted. (The third level, privileged, has none.)
type PSSLevel uint8

// Pod Security Standards levels.
const (
	PSSBaseline PSSLevel = iota + 1
	PSSRestricted
)

// String returns "baseline" or "restricted".
func (l PSSLevel) String() string {
	switch l {
	case PSSBaseline:
		return "baseline"
	case PSSRestricted:
		return "restricted"
	}
	return "unknown"
}

// PSSControl is one Pod Security Standards control as Kubernetes' Pod
// Security Admission enforces it, for every Kubernetes version: a level,
// the version it appeared in, the baseline controls it replaces at the
// restricted level, and the check that implements it at a given version.
//
// Concern packages export their controls; the bulwark package assembles
// them into the pss-baseline and pss-restricted profiles exactly as Pod
// Security Admission assembles its levels: a level at version v holds the
// controls of that level active at v, and restricted also holds every
// baseline control not overridden by an active restricted control.
type PSSControl struct {
	// ID is the ID of the check the control produces.
	ID    string
	Level PSSLevel
	// Since is the first Kubernetes version enforcing the control.
	Since KubeVersion
	// Overrides lists the IDs of baseline controls this restricted control
	// replaces while it is active.
	Overrides []string
	// At returns the check for Kubernetes version v (v is at least Since
	// and at most LatestKube). The check reads Pods only.
	At func(v KubeVersion) *Check
}

// ActiveAt reports whether the control is enforced at version v.
func (c PSSControl) ActiveAt(v KubeVersion) bool {
	return v.Major > c.Since.Major || (v.Major == c.Since.Major && v.Minor >= c.Since.Minor)
}

// PSSChecks assembles controls into the checks of a level at a Kubernetes
// version, as Pod Security Admission assembles its levels: the controls of
// the level (and, for restricted, of baseline) active at v, less the
// baseline controls that an active restricted control overrides. Versions
// newer than [LatestKube] are evaluated as LatestKube. The result is sorted
// by ID.
func PSSChecks(controls []PSSControl, level PSSLevel, v KubeVersion) Checks {
	v = v.Clamp()
	overridden := map[string]bool{}
	for _, c := range controls {
		if c.Level <= level && c.ActiveAt(v) {
			for _, id := range c.Overrides {
				overridden[id] = true
			}
		}
	}
	var checks Checks
	for _, c := range controls {
		if c.Level <= level && c.ActiveAt(v) && !overridden[c.ID] {
			// A copy, marked as a control: PSA judges every pod, whatever
			// its OS (the controls exempt Windows pods themselves, by
			// version), so the runner's platform gate must not.
			control := *c.At(v)
			control.PSSLevel = c.Level
			control.Platforms = PlatformAll
			checks = append(checks, &control)
		}
	}
	return checks.Sorted()
}
