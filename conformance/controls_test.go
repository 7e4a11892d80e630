package conformance

// Which Pod Security Standards controls forbid a pod, in each tool's
// vocabulary, and the one table that translates bulwark's into PSA's.

import (
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"k8s.io/pod-security-admission/policy"
)

// psaControlOf maps each bulwark Pod Security Standards control, by the ID
// of the check that implements it, to the ID of PSA's check for the same
// control. It is the only place the two vocabularies meet: bulwark's IDs
// and references (PSS documentation anchors such as
// "restricted/proc-mount-type") do not spell PSA's IDs, so the pairing is
// written down here. TestControlMapping keeps it total and one-to-one, and
// proves each pair is in force at exactly the same levels and versions.
var psaControlOf = map[string]policy.CheckID{
	"capabilities.privileged":               "privileged",
	"capabilities.pss-added-baseline":       "capabilities_baseline",
	"capabilities.pss-restricted":           "capabilities_restricted",
	"capabilities.pss-privilege-escalation": "allowPrivilegeEscalation",
	"capabilities.pss-run-as-non-root":      "runAsNonRoot",
	"capabilities.pss-run-as-user":          "runAsUser",
	"confinement.pss-apparmor":              "appArmorProfile",
	"confinement.pss-seccomp-baseline":      "seccompProfile_baseline",
	"confinement.pss-seccomp-restricted":    "seccompProfile_restricted",
	"confinement.pss-selinux":               "seLinuxOptions",
	"namespaces.pss-host-namespaces":        "hostNamespaces",
	"namespaces.pss-host-path-volumes":      "hostPathVolumes",
	"namespaces.pss-restricted-volumes":     "restrictedVolumes",
	"namespaces.pss-proc-mount":             "procMount",
	"namespaces.pss-proc-mount-restricted":  "procMount_restricted",
	"namespaces.pss-windows-host-process":   "windowsHostProcess",
	"network.pss-host-ports":                "hostPorts",
	"network.pss-sysctls":                   "sysctls",
	"network.pss-host-probes":               "hostProbesAndHostLifecycle",
}

// bulwarkControlOf is psaControlOf inverted.
var bulwarkControlOf = func() map[policy.CheckID]string {
	m := map[policy.CheckID]string{}
	for b, p := range psaControlOf {
		m[p] = b
	}
	return m
}()

// failingControls returns the controls that forbid the pod in bulwark's
// findings: the distinct check IDs (primary and related) of those that
// count, sorted. It is
// the one place the harness reads check IDs off findings.
func failingControls(fs []hardening.Finding) []string {
	var ids []string
	for i := range fs {
		if fs[i].Suppressed || fs[i].Warning {
			continue
		}
		// A merged finding stands for each control in it.
		ids = append(ids, fs[i].Check)
		ids = append(ids, fs[i].Related...)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// psaTerm translates a bulwark control ID into PSA's check ID. An ID
// outside psaControlOf (a check that panicked, say) is kept as it is: it
// can equal no PSA ID, so it always shows as a difference.
func psaTerm(bulwarkID string) string {
	if p, ok := psaControlOf[bulwarkID]; ok {
		return string(p)
	}
	return bulwarkID
}

// inPSATerms translates bulwark control IDs with psaTerm, sorted and
// distinct.
func inPSATerms(bulwarkIDs []string) []string {
	out := make([]string, 0, len(bulwarkIDs))
	for _, id := range bulwarkIDs {
		out = append(out, psaTerm(id))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// showBulwark renders a bulwark control ID for a reader with the PSA check
// it stands for: "network.pss-host-ports (hostPorts)".
func showBulwark(id string) string {
	if p, ok := psaControlOf[id]; ok {
		return id + " (" + string(p) + ")"
	}
	return id + " (no PSA check)"
}

// TestControlMapping proves psaControlOf covers both vocabularies, pairs
// them one to one, and pairs controls that are in force together: at every
// level and version, bulwark's profile translated through the table is
// exactly the set of checks PSA runs. A control added to either side, or
// renamed, fails here rather than falling out of the comparison.
func TestControlMapping(t *testing.T) {
	ps := profiles(t)

	bulwarkIDs := map[string]bool{}
	for _, tg := range allTargets {
		for _, c := range ps[tg] {
			bulwarkIDs[c.ID] = true
		}
	}
	for id := range bulwarkIDs {
		if _, ok := psaControlOf[id]; !ok {
			t.Errorf("bulwark control %s is not in psaControlOf", id)
		}
	}
	psaIDs := map[policy.CheckID]bool{}
	for _, c := range policy.DefaultChecks() {
		psaIDs[c.ID] = true
		if _, ok := bulwarkControlOf[c.ID]; !ok {
			t.Errorf("PSA check %s is not in psaControlOf", c.ID)
		}
	}
	for b, p := range psaControlOf {
		if !bulwarkIDs[b] {
			t.Errorf("psaControlOf maps %s, which no pss profile of bulwark holds", b)
		}
		if !psaIDs[p] {
			t.Errorf("psaControlOf maps %s to %s, which is not a PSA check", b, p)
		}
	}
	if len(bulwarkControlOf) != len(psaControlOf) {
		t.Errorf("psaControlOf is not one to one: %d bulwark controls map to %d PSA checks", len(psaControlOf), len(bulwarkControlOf))
	}

	for _, tg := range allTargets {
		var psa []string
		for _, c := range psaChecksAt(tg) {
			psa = append(psa, string(c.id))
		}
		slices.Sort(psa)
		var bulwark []string
		for _, c := range ps[tg] {
			bulwark = append(bulwark, c.ID)
		}
		if diff := cmp.Diff(psa, inPSATerms(bulwark)); diff != "" {
			t.Errorf("%s: PSA's checks (-) and bulwark's profile through psaControlOf (+) differ:\n%s", tg, diff)
		}
	}
}

// TestFailingControls pins how bulwark's failing controls are read off its
// findings and put into PSA's terms.
func TestFailingControls(t *testing.T) {
	f := func(check string, suppressed bool) hardening.Finding {
		return hardening.Finding{Check: check, Suppressed: suppressed}
	}
	tests := []struct {
		name     string
		findings []hardening.Finding
		want     []string // bulwark IDs
		wantPSA  []string
	}{
		{"none", nil, nil, nil},
		{"suppressed only", []hardening.Finding{f("network.pss-host-ports", true)}, nil, nil},
		{
			"distinct and sorted",
			[]hardening.Finding{
				f("network.pss-host-ports", false), f("capabilities.privileged", false),
				f("network.pss-host-ports", false), f("confinement.pss-selinux", true),
			},
			[]string{"capabilities.privileged", "network.pss-host-ports"},
			[]string{"hostPorts", "privileged"},
		},
		{
			"unknown IDs kept",
			[]hardening.Finding{f(hardening.CheckFailed.ID, false), f("namespaces.pss-proc-mount-restricted", false)},
			[]string{hardening.CheckFailed.ID, "namespaces.pss-proc-mount-restricted"},
			[]string{hardening.CheckFailed.ID, "procMount_restricted"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failingControls(tt.findings)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("failingControls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantPSA, inPSATerms(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("inPSATerms (-want +got):\n%s", diff)
			}
		})
	}
	if got := showBulwark("network.pss-host-ports"); got != "network.pss-host-ports (hostPorts)" {
		t.Errorf("showBulwark = %q", got)
	}
	if got := showBulwark("x.y"); !strings.Contains(got, "no PSA check") {
		t.Errorf("showBulwark of an unmapped ID = %q", got)
	}
}
