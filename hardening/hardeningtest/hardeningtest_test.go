package hardeningtest_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

// badImage reports Pod containers whose image is "bad" and OCI specs that
// run as root, so fixtures of both kinds can be written.
var badImage = &hardening.Check{
	ID: "test.bad-image", Title: "bad image", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape,
	Inputs: hardening.KindPod | hardening.KindOCISpec, Rationale: "r", Remediation: "m",
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Spec != nil && s.Spec.Process != nil && s.Spec.Process.User.UID == 0 {
			out = append(out, hardening.Finding{Path: "process.user.uid", Message: "root"})
		}
		for c := range s.Containers {
			if c.Image == "bad" {
				out = append(out, hardening.Finding{Container: c.Name, Path: s.ContainerPath(c, "image"), Message: "bad"})
			}
		}
		return out
	},
}

func TestRun(t *testing.T) {
	hardeningtest.Run(t, hardening.Checks{badImage}, "testdata/pass.yaml", "testdata/spec.json", "testdata/clean.json")
}

// The runner must be able to fail: a missing and an unexpected finding each
// produce a diff naming the finding, and bad expectations are errors.
func TestCompareFails(t *testing.T) {
	checks := hardening.Checks{badImage}
	for file, want := range map[string]string{
		"testdata/missing.yaml":    "-",
		"testdata/unexpected.yaml": "+",
	} {
		diff, err := hardeningtest.Compare(checks, file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(diff, want) || !strings.Contains(diff, "spec.containers[0].image") {
			t.Errorf("%s: diff %q lacks a %q line for the finding", file, diff, want)
		}
	}
	if _, err := hardeningtest.Compare(checks, "testdata/malformed.yaml"); err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Errorf("malformed expectation: err = %v", err)
	}
}
