package main

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// policyEvaluator judges pods at one level and version with Pod Security
// Admission's own evaluator and default checks.
type policyEvaluator struct {
	lv        api.LevelVersion
	evaluator policy.Evaluator
	// ids names the check behind each of EvaluatePod's results, in order.
	ids []policy.CheckID
	// levels is the level each check ID belongs to.
	levels map[policy.CheckID]api.Level
}

// violation is one PSA check that forbids a pod.
type violation struct {
	check   policy.CheckID
	level   api.Level
	message string
}

// parseProfile turns "pss-baseline", "pss-restricted@v1.25" or
// "pss-restricted@latest" into a PSA level and version. No version means
// latest, as it does for bulwark's profiles.
func parseProfile(ref string) (api.LevelVersion, error) {
	name, version, versioned := strings.Cut(ref, "@")
	var lv api.LevelVersion
	switch name {
	case "pss-baseline":
		lv.Level = api.LevelBaseline
	case "pss-restricted":
		lv.Level = api.LevelRestricted
	default:
		return lv, fmt.Errorf("unknown profile %q (want pss-baseline or pss-restricted, optionally @vMAJOR.MINOR or @latest)", name)
	}
	lv.Version = api.LatestVersion()
	if versioned {
		v, err := api.ParseVersion(version)
		if err != nil {
			return lv, fmt.Errorf("profile %q: version %q: %w", ref, version, err)
		}
		lv.Version = v
	}
	return lv, nil
}

func newPolicyEvaluator(lv api.LevelVersion) (*policyEvaluator, error) {
	checks := policy.DefaultChecks()
	e, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		return nil, err
	}
	levels := make(map[policy.CheckID]api.Level, len(checks))
	for _, c := range checks {
		levels[c.ID] = c.Level
	}
	return &policyEvaluator{lv: lv, evaluator: e, ids: checkOrder(checks, lv), levels: levels}, nil
}

// checkOrder lists the IDs of the checks PSA runs at lv, in the order
// EvaluatePod returns their results: the baseline checks in effect at the
// version, sorted, less those a restricted check in effect overrides, then
// (at restricted) the restricted checks in effect, sorted. A version newer
// than every check, and latest, is the newest version any check names.
func checkOrder(checks []policy.Check, lv api.LevelVersion) []policy.CheckID {
	newest := api.MajorMinorVersion(1, 0)
	for _, c := range checks {
		if last := c.Versions[len(c.Versions)-1].MinimumVersion; newest.Older(last) {
			newest = last
		}
	}
	v := lv.Version
	if v.Latest() || newest.Older(v) {
		v = newest
	}
	inEffect := func(c policy.Check) *policy.VersionedCheck {
		var cur *policy.VersionedCheck
		for i := range c.Versions {
			if !v.Older(c.Versions[i].MinimumVersion) {
				cur = &c.Versions[i]
			}
		}
		return cur
	}
	overridden := map[policy.CheckID]bool{}
	var baseline, restricted []policy.CheckID
	for _, c := range checks {
		vc := inEffect(c)
		if vc == nil || c.Level != api.LevelRestricted || lv.Level != api.LevelRestricted {
			continue
		}
		restricted = append(restricted, c.ID)
		for _, id := range vc.OverrideCheckIDs {
			overridden[id] = true
		}
	}
	for _, c := range checks {
		if c.Level == api.LevelBaseline && inEffect(c) != nil && !overridden[c.ID] {
			baseline = append(baseline, c.ID)
		}
	}
	slices.Sort(baseline)
	slices.Sort(restricted)
	return append(baseline, restricted...)
}

// evaluate returns the checks that forbid a pod, as a cluster would judge
// it: after the API server's defaults, which make a volume without a
// source an emptyDir.
func (e *policyEvaluator) evaluate(meta *metav1.ObjectMeta, spec *corev1.PodSpec) []violation {
	for i := range spec.Volumes {
		if spec.Volumes[i].VolumeSource == (corev1.VolumeSource{}) {
			spec.Volumes[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
	results := e.evaluator.EvaluatePod(e.lv, meta, spec)
	var out []violation
	for i, r := range results {
		if r.Allowed {
			continue
		}
		id := policy.CheckID("unknown")
		if len(results) == len(e.ids) {
			id = e.ids[i]
		}
		msg := r.ForbiddenReason
		if r.ForbiddenDetail != "" {
			msg += " (" + r.ForbiddenDetail + ")"
		}
		out = append(out, violation{check: id, level: e.levels[id], message: msg})
	}
	return out
}
