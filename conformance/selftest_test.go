package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	"k8s.io/pod-security-admission/policy"
)

// psaStandIn returns profiles that ask PSA itself: at each target, one
// bulwark check per PSA check in force, named by psaControlOf and running
// that PSA check. It stands in for bulwark with known differences, to test
// that the harness finds and reports them: the PSA checks in skip are left
// out, and a check in relabel reports its failures under the bulwark ID of
// another. It does not depend on bulwark's profiles. All its findings are
// at one path, "spec", so if the core ever merges the findings of a path
// into one, the harness's reading of failing controls is tested on merged
// findings here.
func psaStandIn(skip []policy.CheckID, relabel map[policy.CheckID]policy.CheckID) profileSet {
	ps := profileSet{}
	for _, t := range allTargets {
		var cs hardening.Checks
		for _, pc := range psaChecksAt(t) {
			if slices.Contains(skip, pc.id) {
				continue
			}
			as := pc.id
			if to, ok := relabel[as]; ok {
				as = to
			}
			id, ok := bulwarkControlOf[as]
			if !ok {
				id = "psa." + string(as)
			}
			cs = append(cs, &hardening.Check{
				ID:        id,
				Inputs:    hardening.KindPod,
				Platforms: hardening.PlatformAll, // as PSS controls: PSA judges every pod
				Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
					pod := psaView(s.Pod) // as bulwark does, and as a cluster does before PSA
					if r := pc.check(&pod.ObjectMeta, &pod.Spec); !r.Allowed {
						out = append(out, hardening.Finding{Path: "spec", Message: r.ForbiddenReason + ": " + r.ForbiddenDetail})
					}
					return out
				},
			})
		}
		ps[t] = cs
	}
	return ps
}

// recorder is a testing.TB that keeps what report says.
type recorder struct {
	testing.TB
	errors []string
	logs   []string
}

func (r *recorder) Helper()           {}
func (r *recorder) Error(args ...any) { r.errors = append(r.errors, fmt.Sprint(args...)) }
func (r *recorder) Logf(format string, args ...any) {
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// TestHarnessAgreesWithItself judges generated pods with PSA standing in
// for bulwark: the harness must find no disagreement, on verdicts or on
// controls.
func TestHarnessAgreesWithItself(t *testing.T) {
	items := randomPods(200)
	c := newCollector()
	c.ignore = nil
	judgeAll(t, psaStandIn(nil, nil), items, allTargets, c)
	rec := &recorder{TB: t}
	c.report(rec, "stand-in")
	if len(rec.errors) > 0 || c.judged != len(items)*len(allTargets) {
		t.Fatalf("judged %d of %d comparisons; errors: %v", c.judged, len(items)*len(allTargets), rec.errors)
	}
}

// TestHarnessReportsDisagreements judges pods with stand-ins that differ
// from PSA in known ways, and a fixture-like pod whose directory is wrong:
// the report must group them by cause and show the evidence, and
// CONFORMANCE_IGNORE must silence exactly the differences it names.
func TestHarnessReportsDisagreements(t *testing.T) {
	hostPort := build(bases[1], lookup("spec.containers[0].ports[+].hostPort=8080"))
	hostPortPrivileged := build(bases[1], lookup("spec.containers[0].ports[+].hostPort=8080"),
		lookup("spec.containers[0].securityContext.privileged=true"))
	wrongDir := build(bases[0], lookup("spec.hostPID=true"))
	wrongDir.want, wrongDir.wantAt = "pass", target{baseline, 20}
	all := len(allMinors) * len(levels)

	// hostPorts' failures reported as privileged's.
	mislabel := map[policy.CheckID]policy.CheckID{"hostPorts": "privileged"}
	const (
		missing   = "PSA denies via hostPorts, bulwark allows"
		mislabel1 = "both deny, for different controls: only PSA fails hostPorts; only bulwark fails capabilities.privileged (privileged)"
		mislabel2 = "both deny, for different controls: only PSA fails hostPorts; only bulwark fails none"
		dir       = "PSA (hostNamespaces) and bulwark (namespaces.pss-host-namespaces) agree — fixture directory expects pass"
	)
	tests := []struct {
		name        string
		skip        []policy.CheckID
		relabel     map[policy.CheckID]policy.CheckID
		ignore      string
		items       []item
		wantGroups  map[string]int
		wantIgnored int
		wantText    []string
	}{
		{
			name:       "missing check",
			skip:       []policy.CheckID{"hostPorts"},
			items:      []item{hostPort, build(bases[0])},
			wantGroups: map[string]int{missing: all},
			wantText: []string{
				"=== " + missing + ": 80 comparisons",
				hostPort.origin + " at baseline v1.0–v1.38, latest",
				hostPort.origin + " at restricted v1.0–v1.38, latest",
				"PSA: forbidden by hostPorts\n",
				`hostPorts: hostPort (container "app" uses hostPort 8080)`,
				"bulwark: allowed\n",
				"hostPort: 8080",
			},
		},
		{
			name:       "missing check ignored by its bulwark ID",
			skip:       []policy.CheckID{"hostPorts"},
			ignore:     "network.pss-host-ports",
			items:      []item{hostPort},
			wantGroups: map[string]int{}, wantIgnored: all,
		},
		{
			name:       "mislabelled control",
			relabel:    mislabel,
			items:      []item{hostPort, hostPortPrivileged},
			wantGroups: map[string]int{mislabel1: all, mislabel2: all},
			wantText: []string{
				"=== " + mislabel1 + ": 80 comparisons",
				"PSA: forbidden by hostPorts\n",
				"bulwark: forbidden by capabilities.privileged (privileged)\n",
				"capabilities.privileged spec: hostPort: ",
				"=== " + mislabel2 + ": 80 comparisons",
				"PSA: forbidden by hostPorts, privileged\n",
			},
		},
		{
			name:        "mislabelled control, one side ignored",
			relabel:     mislabel,
			ignore:      "hostPorts",
			items:       []item{hostPort, hostPortPrivileged},
			wantGroups:  map[string]int{mislabel1: all},
			wantIgnored: all,
		},
		{
			name:        "mislabelled control, both sides ignored",
			relabel:     mislabel,
			ignore:      "hostPorts, capabilities.privileged",
			items:       []item{hostPort, hostPortPrivileged},
			wantGroups:  map[string]int{},
			wantIgnored: 2 * all,
		},
		{
			name:       "fixture directory wrong, never ignored",
			ignore:     "hostNamespaces",
			items:      []item{wrongDir},
			wantGroups: map[string]int{dir: 1},
			wantText: []string{
				"=== " + dir + ": 1 comparisons",
				"fixture directory: pass at baseline@v1.20",
				"bulwark: forbidden by namespaces.pss-host-namespaces (hostNamespaces)\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCollector()
			c.ignore = parseIgnore(tt.ignore)
			judgeAll(t, psaStandIn(tt.skip, tt.relabel), tt.items, allTargets, c)
			rec := &recorder{TB: t}
			c.report(rec, "stand-in")
			if want := len(tt.items) * len(allTargets); c.judged != want {
				t.Errorf("judged %d comparisons, want %d", c.judged, want)
			}
			groups := map[string]int{}
			for k, ds := range c.byGroup {
				groups[k] = len(ds)
			}
			if diff := cmp.Diff(tt.wantGroups, groups); diff != "" {
				t.Errorf("groups (-want +got):\n%s", diff)
			}
			if c.ignored != tt.wantIgnored {
				t.Errorf("%d ignored, want %d", c.ignored, tt.wantIgnored)
			}
			if len(tt.wantGroups) == 0 {
				if len(rec.errors) != 0 {
					t.Errorf("report failed the test: %v", rec.errors)
				}
				return
			}
			if len(rec.errors) != 1 {
				t.Fatalf("report made %d errors, want 1", len(rec.errors))
			}
			msg := rec.errors[0]
			for _, want := range tt.wantText {
				if !strings.Contains(msg, want) {
					t.Errorf("report lacks %q", want)
				}
			}
			if t.Failed() {
				t.Log(msg)
			}
		})
	}
}

// TestExplainPSA checks that PSA's checks run one by one, as assembled by
// psaChecksAt, fail exactly as PSA's evaluator does, reason for reason, on
// every systematic pod at a few targets and every distinct fixture at
// every target: the IDs they give the failing controls are then PSA's.
func TestExplainPSA(t *testing.T) {
	type probe struct {
		it      item
		targets []target
	}
	var probes []probe
	for _, it := range systematicPods() {
		probes = append(probes, probe{it, []target{{baseline, 0}, {restricted, 24}, {restricted, 35}, {baseline, latest}, {restricted, latest}}})
	}
	seen := map[string]bool{}
	for _, f := range fixtures(t) {
		if !seen[string(f.data)] {
			seen[string(f.data)] = true
			probes = append(probes, probe{item{origin: f.rel, pod: f.pod}, allTargets})
		}
	}
	denied := 0
	for _, p := range probes {
		for _, tg := range p.targets {
			pod := psaView(p.it.pod)
			results := evaluator.EvaluatePod(tg.psa(), &pod.ObjectMeta, &pod.Spec)
			fs := psaFailing(tg, p.it.pod)
			if !sameFailures(results, fs) {
				t.Fatalf("%s at %s: PSA's checks one by one fail %v; its evaluator: %+v", p.it.origin, tg, fs, results)
			}
			if len(fs) > 0 {
				denied++
			}
		}
	}
	if denied == 0 {
		t.Fatal("no probe was denied: the comparison proved nothing")
	}
}

// TestSameFailures pins how the evaluator's results are matched with
// checks run one by one.
func TestSameFailures(t *testing.T) {
	deny := func(reason, detail string) policy.CheckResult {
		return policy.CheckResult{ForbiddenReason: reason, ForbiddenDetail: detail}
	}
	fail := func(id, reason, detail string) psaFailure { return psaFailure{policy.CheckID(id), reason, detail} }
	tests := []struct {
		name    string
		results []policy.CheckResult
		fs      []psaFailure
		want    bool
	}{
		{"all allowed", []policy.CheckResult{{Allowed: true}}, nil, true},
		{"same, other order", []policy.CheckResult{deny("b", ""), {Allowed: true}, deny("a", "x")},
			[]psaFailure{fail("a", "a", "x"), fail("b", "b", "")}, true},
		{"one missing", []policy.CheckResult{deny("a", ""), deny("b", "")}, []psaFailure{fail("a", "a", "")}, false},
		{"one extra", []policy.CheckResult{deny("a", "")}, []psaFailure{fail("a", "a", ""), fail("b", "b", "")}, false},
		{"detail differs", []policy.CheckResult{deny("a", "x")}, []psaFailure{fail("a", "a", "y")}, false},
		{"duplicates counted", []policy.CheckResult{deny("a", ""), deny("a", "")}, []psaFailure{fail("a", "a", "")}, false},
	}
	for _, tt := range tests {
		if got := sameFailures(tt.results, tt.fs); got != tt.want {
			t.Errorf("%s: sameFailures = %v, want %v", tt.name, got, tt.want)
		}
	}
}
