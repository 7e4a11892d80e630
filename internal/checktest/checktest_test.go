package checktest

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

func TestSummarize(t *testing.T) {
	type got Got
	type specGot SpecGot
	fs := []hardening.Finding{
		{Check: "a.one", Severity: hardening.SeverityHigh, Class: hardening.ClassEscape, Container: "app", Path: "spec.x", Message: "m"},
		{Check: "a.two", Severity: hardening.SeverityLow, Class: hardening.ClassManagement, Path: "process.y"},
	}
	if diff := cmp.Diff([]got{
		{"a.one", hardening.SeverityHigh, "app", "spec.x"},
		{"a.two", hardening.SeverityLow, "", "process.y"},
	}, Summarize[got](fs)); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]specGot{
		{"a.one", hardening.SeverityHigh, hardening.ClassEscape, "spec.x"},
		{"a.two", hardening.SeverityLow, hardening.ClassManagement, "process.y"},
	}, SummarizeSpec[specGot](fs)); diff != "" {
		t.Errorf("SummarizeSpec (-want +got):\n%s", diff)
	}
	if Summarize[got](nil) != nil {
		t.Error("no findings must summarize to nil, as a table's empty want is")
	}
}
