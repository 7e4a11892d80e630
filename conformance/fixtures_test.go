package conformance

import (
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

// TestFixtures judges every PSA fixture at the level and version of its
// directory: bulwark must agree with PSA, and both with the directory
// (pass or fail).
func TestFixtures(t *testing.T) {
	ps := profiles(t)
	fs := fixtures(t)
	items := make([]item, len(fs))
	for i, f := range fs {
		items[i] = item{origin: f.rel, pod: f.pod, want: f.want, wantAt: f.at}
		if p, what := apiServerDefaults(f.pod); p != nil {
			items[i].pod = p
			items[i].origin += " (after API-server defaulting: " + what + ")"
		}
	}
	c := newCollector()
	judgeAll(t, ps, items, nil, c)
	c.report(t, fmt.Sprintf("%d PSA fixtures at their own level and version", len(items)))
}

// apiServerDefaults returns pod as the API server would store it, for the
// defaults PSA's fixtures assume (they are written for an integration test
// that creates the pods): a volume without a source becomes an emptyDir.
// It returns nil if no default applies. [psaAllowed] applies it to every
// pod it judges, as a cluster does.
func apiServerDefaults(pod *corev1.Pod) (*corev1.Pod, string) {
	var out *corev1.Pod
	for i, v := range pod.Spec.Volumes {
		if v.VolumeSource != (corev1.VolumeSource{}) {
			continue
		}
		if out == nil {
			out = pod.DeepCopy()
		}
		out.Spec.Volumes[i].EmptyDir = &corev1.EmptyDirVolumeSource{}
	}
	return out, "a volume without a source becomes an emptyDir"
}

// TestFixturesAllVersions judges every distinct PSA fixture pod at every
// level and every version, which multiplies the fixtures' coverage: a pod
// written to pass restricted v1.25 also probes baseline v1.0 and
// restricted latest.
func TestFixturesAllVersions(t *testing.T) {
	ps := profiles(t)
	fs := fixtures(t)
	seen := map[string]int{} // content -> index in items
	var items []item
	var dups []int
	for _, f := range fs {
		if i, ok := seen[string(f.data)]; ok {
			dups[i]++
			continue
		}
		seen[string(f.data)] = len(items)
		items = append(items, item{origin: f.rel, pod: f.pod})
		dups = append(dups, 0)
	}
	for i := range items {
		if dups[i] > 0 {
			items[i].origin += fmt.Sprintf(" (and %d identical fixtures)", dups[i])
		}
	}
	c := newCollector()
	judgeAll(t, ps, items, allTargets, c)
	c.report(t, fmt.Sprintf("%d distinct PSA fixture pods (of %d files) at %d targets", len(items), len(fs), len(allTargets)))
}
