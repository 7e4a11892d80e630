package report_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/report"
)

// privileged is a check as a concern package would define it.
var privileged = &hardening.Check{
	ID:          "capabilities.privileged",
	Title:       "container runs privileged",
	Severity:    hardening.SeverityCritical,
	Class:       hardening.ClassEscape,
	Inputs:      hardening.KindOCISpec,
	Rationale:   "A privileged container has every capability and device of the host.",
	Remediation: "Drop privileged mode.",
	References:  []hardening.Reference{{Kind: hardening.RefCIS, ID: "5.4"}},
}

// tinyResult is what an audit of one OCI spec and one unreadable file
// might return.
func tinyResult() *hardening.Result {
	spec := &hardening.Subject{Name: "config.json", Kind: hardening.KindOCISpec, Source: "config.json"}
	return &hardening.Result{
		Subjects: []*hardening.Subject{spec},
		Findings: []hardening.Finding{{
			Check: privileged.ID, Severity: privileged.Severity, Class: privileged.Class,
			Subject: spec.Name, Kind: spec.Kind, Source: spec.Source,
			Path:        "process.capabilities.bounding[0]",
			Message:     "CAP_SYS_ADMIN is in the bounding set",
			Remediation: privileged.Remediation, References: privileged.References,
		}},
		Errors: []*hardening.DocumentError{{Source: "broken.json", Document: -1, Err: errors.New("unexpected end of JSON input")}},
	}
}

func ExampleText() {
	opts := report.Options{
		Checks: hardening.Checks{privileged},
		// A command would set Color: report.IsTerminal(os.Stdout) &&
		// os.Getenv("NO_COLOR") == "". Examples compare plain text.
		Color: false,
	}
	if err := report.Text(os.Stdout, tinyResult(), opts); err != nil {
		fmt.Println(err)
	}
	// Output:
	// config.json (oci-spec, config.json#0)
	//   CRITICAL  process.capabilities.bounding[0]: CAP_SYS_ADMIN is in the bounding set [capabilities.privileged]
	//             fix: Drop privileged mode.
	//
	// errors:
	//   broken.json: unexpected end of JSON input
	//
	// by check:
	//   1  capabilities.privileged  container runs privileged
	//
	// 1 subject, 1 finding (1 critical), 0 suppressed, 1 error
}

func ExampleJSON() {
	if err := report.JSON(os.Stdout, tinyResult(), report.Options{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {
	//   "version": 1,
	//   "subjects": [
	//     {
	//       "name": "config.json",
	//       "kind": "oci-spec",
	//       "source": "config.json",
	//       "document": 0
	//     }
	//   ],
	//   "findings": [
	//     {
	//       "check": "capabilities.privileged",
	//       "severity": "critical",
	//       "class": "escape",
	//       "subject": "config.json",
	//       "kind": "oci-spec",
	//       "source": "config.json",
	//       "document": 0,
	//       "path": "process.capabilities.bounding[0]",
	//       "message": "CAP_SYS_ADMIN is in the bounding set",
	//       "remediation": "Drop privileged mode.",
	//       "references": [
	//         {
	//           "kind": "cis-docker",
	//           "id": "5.4",
	//           "url": ""
	//         }
	//       ],
	//       "suppressed": false,
	//       "fingerprint": "62616fbbf6c0abf65cf3cdcd93f448343b488ea9cbdeac4770b9c77995b1f158"
	//     }
	//   ],
	//   "errors": [
	//     {
	//       "source": "broken.json",
	//       "document": -1,
	//       "message": "unexpected end of JSON input"
	//     }
	//   ],
	//   "skipped": []
	// }
}

// A SARIF log is long; this example shows the parts GitHub code scanning
// reads first.
func ExampleSARIF() {
	var out strings.Builder
	err := report.SARIF(&out, tinyResult(), report.Options{Checks: hardening.Checks{privileged}, ToolVersion: "v0.1.0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name, Version string
					Rules         []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
			Results []struct {
				RuleID, Level string
				Message       struct{ Text string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out.String()), &log); err != nil {
		fmt.Println(err)
		return
	}
	run := log.Runs[0]
	fmt.Println("SARIF", log.Version, "from", run.Tool.Driver.Name, run.Tool.Driver.Version)
	for _, r := range run.Tool.Driver.Rules {
		fmt.Println("rule", r.ID, r.Properties["security-severity"], r.Properties["tags"])
	}
	for _, r := range run.Results {
		fmt.Println(r.Level, r.RuleID, r.Message.Text)
	}
	// Output:
	// SARIF 2.1.0 from bulwark v0.1.0
	// rule capabilities.privileged 9.5 [security escape CIS-5.4]
	// error capabilities.privileged config.json: process.capabilities.bounding[0]: CAP_SYS_ADMIN is in the bounding set
}

// A team adopting bulwark on a repository that is not clean keeps last
// week's report as a baseline: only what is new counts and fails the run.
// The baseline marks each entry's findings as the stream hands them out,
// before they are counted and written.
func ExampleBaseline() {
	// Last week's JSON report; a command reads it with
	// report.ReadBaselineFile(name), whose errors name the file.
	var lastWeek strings.Builder
	report.JSON(&lastWeek, tinyResult(), report.Options{})
	base, err := report.ReadBaseline(strings.NewReader(lastWeek.String()))
	if err != nil {
		fmt.Println(err)
		return
	}

	// This week's stream: the same finding, and a new one.
	spec := &hardening.Subject{Name: "config.json", Kind: hardening.KindOCISpec, Source: "config.json"}
	entries := []hardening.Entry{
		{Subject: spec, Findings: []hardening.Finding{
			tinyResult().Findings[0],
			{
				Check: privileged.ID, Severity: privileged.Severity, Subject: spec.Name, Kind: spec.Kind, Source: spec.Source,
				Path: "process.capabilities.bounding[1]", Message: "CAP_SYS_MODULE is in the bounding set",
			},
		}},
		{Set: true},
	}

	var sum hardening.Summary
	w := report.NewTextWriter(os.Stdout, report.Options{Checks: hardening.Checks{privileged}})
	emit := func(e *hardening.Entry) error {
		base.Mark(e.Findings)
		sum.Add(e)
		return w.Write(e)
	}
	for i := range entries {
		if err := emit(&entries[i]); err != nil {
			fmt.Println(err)
			return
		}
	}
	if err := w.Close(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("exit status", sum.ExitCode(hardening.SeverityLow))
	// Output:
	// config.json (oci-spec, config.json#0)
	//   CRITICAL  process.capabilities.bounding[1]: CAP_SYS_MODULE is in the bounding set [capabilities.privileged]
	//             fix: Drop privileged mode.
	//   (1 finding in the baseline not shown)
	//
	// by check:
	//   1  capabilities.privileged  container runs privileged
	//
	// 1 subject, 1 finding (1 critical), 0 suppressed, 0 errors, 1 in the baseline
	// exit status 1
}
