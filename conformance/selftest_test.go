package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"k8s.io/pod-security-admission/policy"
)

// psaStandIn returns profiles that ask PSA itself, without the checks in
// skip: a stand-in for bulwark with known differences, to test that the
// harness finds and reports them. It does not depend on bulwark's profiles.
func psaStandIn(tb testing.TB, skip ...policy.CheckID) profileSet {
	tb.Helper()
	var checks []policy.Check
	for _, c := range policy.DefaultChecks() {
		if !slices.Contains(skip, c.ID) {
			checks = append(checks, c)
		}
	}
	e, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		tb.Fatal(err)
	}
	ps := profileSet{}
	for _, t := range allTargets {
		ps[t] = hardening.Checks{{
			ID:     "conformance.psa-stand-in",
			Inputs: hardening.KindPod,
			Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
				pod := s.Pod
				if p, _ := apiServerDefaults(pod); p != nil {
					pod = p // as bulwark does, and as a cluster does before PSA
				}
				for _, r := range e.EvaluatePod(t.psa(), &pod.ObjectMeta, &pod.Spec) {
					if !r.Allowed {
						out = append(out, hardening.Finding{Path: "spec", Message: r.ForbiddenReason + ": " + r.ForbiddenDetail})
					}
				}
				return out
			},
		}}
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
// for bulwark: the harness must find no disagreement.
func TestHarnessAgreesWithItself(t *testing.T) {
	items := randomPods(200)
	c := newCollector()
	judgeAll(t, psaStandIn(t), items, allTargets, c)
	rec := &recorder{TB: t}
	c.report(rec, "stand-in")
	if len(rec.errors) > 0 || c.judged != len(items)*len(allTargets) {
		t.Fatalf("judged %d of %d verdicts; errors: %v", c.judged, len(items)*len(allTargets), rec.errors)
	}
}

// TestHarnessReportsDisagreements judges pods with a stand-in that lacks
// PSA's hostPorts check, and a fixture-like pod whose directory is wrong:
// the report must group them by cause and show the evidence.
func TestHarnessReportsDisagreements(t *testing.T) {
	ps := psaStandIn(t, "hostPorts")
	hostPort := build(bases[1], lookup("spec.containers[0].ports[+].hostPort=8080"))
	wrongDir := build(bases[0], lookup("spec.hostPID=true"))
	wrongDir.want, wrongDir.wantAt = "pass", target{baseline, 20}
	items := []item{hostPort, build(bases[0]), wrongDir}

	c := newCollector()
	judgeAll(t, ps, items, allTargets, c)
	rec := &recorder{TB: t}
	c.report(rec, "stand-in without hostPorts")
	if c.judged != len(items)*len(allTargets) {
		t.Errorf("judged %d verdicts, want %d", c.judged, len(items)*len(allTargets))
	}
	if want := 2*len(allMinors) + 1; c.failures != want {
		t.Errorf("%d disagreements, want %d", c.failures, want)
	}
	if len(rec.errors) != 1 {
		t.Fatalf("report made %d errors, want 1", len(rec.errors))
	}
	msg := rec.errors[0]
	for _, want := range []string{
		"=== PSA denies via hostPorts, bulwark allows: 80 verdicts",
		hostPort.origin + " at baseline v1.0–v1.38, latest",
		hostPort.origin + " at restricted v1.0–v1.38, latest",
		`hostPorts: hostPort (container "app" uses hostPort 8080)`,
		"PSA (hostNamespaces) and bulwark (conformance.psa-stand-in) agree — fixture directory expects pass: 1 verdicts",
		"fixture directory: pass at baseline@v1.20",
		"hostPort: 8080",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("report lacks %q:\n%s", want, msg)
		}
	}
	if t.Failed() {
		t.Log(msg)
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
