package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPosture(t *testing.T) {
	findings, err := audit()
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ Check, Container, Path string }
	var got []key
	for _, f := range findings {
		got = append(got, key{f.Check, f.Container, f.Path})
	}
	want := []key{
		{"capabilities.non-root-unverifiable", "worker", "spec.template.spec.containers[1].securityContext.runAsUser"},
		{"capabilities.runs-as-root", "web", "spec.template.spec.containers[0].securityContext.runAsUser"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
