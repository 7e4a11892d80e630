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

// TestExplainPSA checks that explaining PSA's verdict per check agrees
// with PSA's evaluator on every systematic pod.
func TestExplainPSA(t *testing.T) {
	for _, it := range systematicPods() {
		for _, tg := range []target{{baseline, 0}, {restricted, 24}, {restricted, 35}, {baseline, latest}, {restricted, latest}} {
			_, ids := explainPSA(tg, it.pod)
			if got := len(ids) == 0; got != psaAllowed(tg, it.pod) {
				t.Fatalf("%s at %s: explainPSA says allowed=%v (%v), PSA's evaluator disagrees", it.origin, tg, got, ids)
			}
		}
	}
}
