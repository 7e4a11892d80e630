package posture

import (
	"fmt"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// Checks returns the checks of this package, sorted by ID, with
// posture.strictest-level evaluated at [hardening.LatestKube] by profiles
// (pass bulwark.PSSProfile) and posture.psa-version-outdated not told the
// cluster's version ([PSAVersionOutdated]). The slice is new on every
// call; the checks are shared and must not be modified.
//
// When profiles cannot give the Pod Security Standards profiles (nil, an
// error, no controls), posture.strictest-level is still in the list and
// reports, when the run ends, a [hardening.CheckFailed] finding saying
// why: never fewer checks in silence. [StrictestLevel] returns that error
// instead.
func Checks(profiles PSSProfiles) hardening.Checks {
	strictest, err := StrictestLevel(hardening.LatestKube, profiles)
	if err != nil {
		strictest = failedStrictest(err)
	}
	return hardening.Checks{
		DefaultNamespace,
		PSAEnforceMissing,
		PSAEnforcePrivileged,
		PSALabelInvalid,
		PSALabelsMissing,
		PSAVersionOutdated,
		strictest,
		SystemNamespace,
	}
}

func errVersion(fn string, v hardening.KubeVersion) error {
	return fmt.Errorf("posture.%s: Kubernetes version %s: want v1.0 or newer (hardening.LatestKube for the newest rules)", fn, v)
}

// namespaceObject returns the Namespace a cluster object holds, or nil.
func namespaceObject(o *hardening.ClusterObject) *corev1.Namespace {
	if o == nil || o.Kind != hardening.KindNamespace {
		return nil
	}
	ns, _ := o.Object.(*corev1.Namespace)
	return ns
}

// failedStrictest is posture.strictest-level when it cannot be built: it
// reports why when the run ends.
func failedStrictest(err error) *hardening.Check {
	c := strictestCheck()
	c.Set = func(*hardening.Cluster) hardening.SetRun { return failedRun{err} }
	return c
}

type failedRun struct{ err error }

func (failedRun) Observe(*hardening.Subject, []hardening.Finding) {}

func (f failedRun) Finish(out []hardening.Finding) []hardening.Finding {
	return append(out, hardening.Finding{
		Check: hardening.CheckFailed.ID, Severity: hardening.CheckFailed.Severity, Class: hardening.CheckFailed.Class,
		Subject: "posture.strictest-level", Kind: hardening.KindObject,
		Message:     "posture.strictest-level cannot run: " + f.err.Error(),
		Remediation: hardening.CheckFailed.Remediation,
	})
}
