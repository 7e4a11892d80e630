package main

import (
	"slices"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/confinement"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/google/go-cmp/cmp"
)

// One Pod Security Standards control names one field by one path, whichever
// level reports it: a namespace that enforces baseline and warns with
// restricted must not tell a user about the same field twice, in two ways.
// A baseline control that restricted keeps must report the same (check,
// path) pairs under both levels; one that restricted overrides must have
// each of its paths reported by the control that overrides it.
func TestPSSPathsAgreeAcrossLevels(t *testing.T) {
	var controls []hardening.PSSControl
	for _, pkg := range [][]hardening.PSSControl{capabilities.PSSControls(), confinement.PSSControls(), namespaces.PSSControls(), network.PSSControls()} {
		controls = append(controls, pkg...)
	}
	data := object(t, "baseline-violations.yaml")
	type pair struct{ Check, Path string }
	audit := func(ref string) map[string][]pair {
		checks, err := bulwark.Profile(ref)
		if err != nil {
			t.Fatal(err)
		}
		r := load.Bytes(load.Options{}, "request.object", data)
		if len(r.Errors) > 0 || len(r.Subjects) != 1 {
			t.Fatalf("%s: errors %v, %d subjects", ref, r.Errors, len(r.Subjects))
		}
		r.Audit(checks)
		byCheck := map[string][]pair{}
		for _, f := range r.Findings {
			byCheck[f.Check] = append(byCheck[f.Check], pair{f.Check, f.Path})
		}
		return byCheck
	}
	for _, v := range []string{"v1.0", "v1.18", "v1.19", "v1.22", "v1.25", "v1.30", "v1.34", "v1.35", "latest"} {
		baseline, restricted := audit("pss-baseline@"+v), audit("pss-restricted@"+v)
		// The fixture must exercise the controls this test is about.
		for _, id := range []string{namespaces.PSSWindowsHostProcess.ID, confinement.PSSAppArmor.ID} {
			if len(baseline[id]) < 4 {
				t.Fatalf("%s: the fixture gives %d %s findings, want the pod and each kind of container", v, len(baseline[id]), id)
			}
		}
		overriddenBy := map[string]string{}
		for _, c := range controls {
			if c.Level == hardening.PSSRestricted && c.ActiveAt(mustVersion(t, v)) {
				for _, id := range c.Overrides {
					overriddenBy[id] = c.ID
				}
			}
		}
		for id, pairs := range baseline {
			over, ok := overriddenBy[id]
			if !ok {
				if diff := cmp.Diff(pairs, restricted[id]); diff != "" {
					t.Errorf("%s: %s reports other paths under restricted (-baseline +restricted):\n%s", v, id, diff)
				}
				continue
			}
			for _, p := range pairs {
				if !slices.Contains(restricted[over], pair{over, p.Path}) {
					t.Errorf("%s: baseline %s reports %s; restricted's %s, which overrides it, does not", v, id, p.Path, over)
				}
			}
		}
	}
}

func mustVersion(t *testing.T, v string) hardening.KubeVersion {
	t.Helper()
	kv, err := hardening.ParseKubeVersion(v)
	if err != nil {
		t.Fatal(err)
	}
	return kv
}
