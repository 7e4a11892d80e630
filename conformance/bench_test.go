package conformance

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

var sink bool

// BenchmarkPSS compares the cost of one verdict, bulwark's and PSA's, on
// the same decoded pods in one binary: PSA's fixtures for the newest
// version, passing and failing (level/bulwark, level/psa), and the passing
// ones alone (level-pass/…), where bulwark promises no allocations. One op
// is one pod. Both sides only compute the verdict: bulwark runs the
// profile's checks into a reused slice, PSA evaluates the pod.
func BenchmarkPSS(b *testing.B) {
	ps := profiles(b)
	fs := fixtures(b)
	for _, l := range levels {
		tg := target{l, latest}
		var mix, pass []*corev1.Pod
		for _, f := range fs {
			if f.at == (target{l, maxMinor}) {
				mix = append(mix, f.pod)
				if f.want == "pass" {
					pass = append(pass, f.pod)
				}
			}
		}
		if len(mix) == 0 || len(pass) == 0 {
			b.Fatalf("no PSA fixtures for %s", target{l, maxMinor})
		}
		b.Run(l.name+"/bulwark", func(b *testing.B) { benchBulwark(b, ps[tg], mix) })
		b.Run(l.name+"/psa", func(b *testing.B) { benchPSA(b, tg, mix) })
		b.Run(l.name+"-pass/bulwark", func(b *testing.B) { benchBulwark(b, ps[tg], pass) })
		b.Run(l.name+"-pass/psa", func(b *testing.B) { benchPSA(b, tg, pass) })
	}
}

func benchBulwark(b *testing.B, checks hardening.Checks, pods []*corev1.Pod) {
	subjects := make([]*hardening.Subject, len(pods))
	for i, p := range pods {
		subjects[i] = hardening.NewPodSubject(p)
	}
	out := make([]hardening.Finding, 0, 64)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		out = checks.Check(subjects[i], out[:0])
		allowed := true
		for j := range out {
			if !out[j].Suppressed {
				allowed = false
				break
			}
		}
		sink = allowed
		if i++; i == len(subjects) {
			i = 0
		}
	}
}

func benchPSA(b *testing.B, tg target, pods []*corev1.Pod) {
	lv := tg.psa()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		p := pods[i]
		allowed := true
		for _, r := range evaluator.EvaluatePod(lv, &p.ObjectMeta, &p.Spec) {
			if !r.Allowed {
				allowed = false
				break
			}
		}
		sink = allowed
		if i++; i == len(pods) {
			i = 0
		}
	}
}
