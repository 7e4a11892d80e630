package main

import (
	"testing"

	"github.com/bulwarkdev/bulwark"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

func TestTmpFindingsDiff(t *testing.T) {
	l := needLab(t)
	s := runcSpec(t, l)
	for name, spec := range map[string]*runtimespec.Spec{"runc-spec": s} {
		run := l.runInspect(t, spec)
		live, cfg := run.Subjects()
		set := func(sub interface{}) {}
		_ = set
		lf := bulwark.Audit(bulwark.Checks(), live)
		cf := bulwark.Audit(bulwark.Checks(), cfg)
		key := map[string]int{}
		for _, f := range lf {
			key[f.Check+" "+f.Path] |= 1
		}
		for _, f := range cf {
			key[f.Check+" "+f.Path] |= 2
		}
		for k, v := range key {
			if v != 3 {
				t.Logf("%s: %s only in %s", name, k, map[int]string{1: "live", 2: "configured"}[v])
			}
		}
	}
}
