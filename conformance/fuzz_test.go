package conformance

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// FuzzConformance judges one pod at one level and version, chosen by the
// fuzzer, and fails if bulwark and PSA disagree on the verdict or on the
// failing controls.
//
// The pod is doc decoded as YAML or JSON (undecodable documents are
// skipped), or a minimal pod when doc is empty, then changed by ops: every
// two bytes pick one mutation from the generator's vocabulary. lvl picks
// the level, minor the version (every version the tests use, latest
// included). The seed corpus is every distinct PSA fixture at its own
// level and version, plus a few mutations of the minimal pods.
func FuzzConformance(f *testing.F) {
	seen := map[string]bool{}
	for _, fx := range fixtures(f) {
		if seen[string(fx.data)] {
			continue
		}
		seen[string(fx.data)] = true
		f.Add(levelByte(fx.at.level), uint8(fx.at.minor), fx.data, []byte(nil))
	}
	for i, m := range []string{
		"spec.hostUsers=false",
		`spec.containers[0].securityContext.procMount="Unmasked"`,
		`spec.os.name="windows"`,
		`spec.ephemeralContainers[0].securityContext.capabilities.add[+]="sys_admin"`,
	} {
		f.Add(uint8(i), uint8(35), []byte(nil), opsFor(lookup(m)))
	}
	ps := profiles(f)
	f.Fuzz(func(t *testing.T, lvl, minor uint8, doc, ops []byte) {
		var pod *corev1.Pod
		switch {
		case len(doc) > 8<<10:
			t.Skip("document too large")
		case len(doc) == 0:
			pod = bases[int(lvl>>1)%len(bases)].pod()
		default:
			pod = new(corev1.Pod)
			if err := yaml.Unmarshal(doc, pod); err != nil {
				t.Skip(err)
			}
		}
		it := item{origin: "fuzz input", pod: pod}
		for i := 0; i+1 < len(ops) && i < 64; i += 2 {
			m := vocabulary[(int(ops[i])<<8|int(ops[i+1]))%len(vocabulary)]
			m.apply(pod)
			it.origin += " + " + m.name
		}
		tg := target{levels[int(lvl)%len(levels)], allMinors[int(minor)%len(allMinors)]}
		var buf []hardening.Finding
		c := newCollector()
		c.judged = 1
		if judge(ps, &it, hardening.NewPodSubject(pod), tg, &buf, c) {
			c.denied = 1
		}
		c.report(t, "fuzz input")
	})
}

func levelByte(l level) uint8 {
	if l == restricted {
		return 1
	}
	return 0
}

// opsFor encodes mutations as FuzzConformance's ops.
func opsFor(ms ...mutation) []byte {
	var ops []byte
	for _, m := range ms {
		for i, v := range vocabulary {
			if v.name == m.name {
				ops = append(ops, byte(i>>8), byte(i))
			}
		}
	}
	return ops
}
