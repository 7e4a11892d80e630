// Command psabaseline audits Kubernetes manifests against a Pod Security
// Standards level with Kubernetes' own Pod Security Admission evaluator
// (k8s.io/pod-security-admission), and reports in the JSON shape of
// bulwark's reference command (examples/audit -format json). It is the
// yardstick bulwark's pss profiles are timed against.
//
//	psabaseline [-profile pss-baseline|pss-restricted[@vMAJOR.MINOR|@latest]] [-format json] PATH|-...
//
// It reads files, directories (walked in lexical order, *.yaml, *.yml and
// *.json) and "-" for standard input; YAML streams of several documents;
// v1 Lists and typed lists (PodList, DeploymentList, …); Pods, and the pod
// templates of Deployments, StatefulSets, DaemonSets, ReplicaSets,
// ReplicationControllers, Jobs, CronJobs and PodTemplates. Every other
// object is listed under "skipped". Documents are decoded one after the
// other with sigs.k8s.io/yaml and judged with policy.NewEvaluator(
// policy.DefaultChecks()).EvaluatePod, as a cluster would judge them after
// its defaults (a volume without a source is an emptyDir).
//
// Output: one JSON object with subjects, findings, errors and skipped, as
// bulwark's. Each finding is one PSA check that forbids the pod: check is
// the PSA check ID, path the pod spec's path in the document, message PSA's
// forbidden reason with its detail in parentheses. PSA has no severities:
// a baseline-level check's finding is "high", a restricted-level one's
// "medium"; class is "pss".
//
// Exit status: 0 when every pod is allowed, 1 when one is forbidden, 2 on a
// usage error or an input that could not be read or decoded.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"k8s.io/pod-security-admission/api"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

type report struct {
	Subjects []subject  `json:"subjects"`
	Findings []finding  `json:"findings"`
	Errors   []errorDoc `json:"errors"`
	Skipped  []skipDoc  `json:"skipped"`
}

type subject struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Source   string `json:"source"`
	Document int    `json:"document"`
}

type finding struct {
	Check       string      `json:"check"`
	Severity    string      `json:"severity"`
	Class       string      `json:"class"`
	Subject     string      `json:"subject"`
	Kind        string      `json:"kind"`
	Source      string      `json:"source"`
	Document    int         `json:"document"`
	Path        string      `json:"path"`
	Message     string      `json:"message"`
	Remediation string      `json:"remediation"`
	References  []reference `json:"references"`
	Suppressed  bool        `json:"suppressed"`
}

type reference struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

type errorDoc struct {
	Source   string `json:"source"`
	Document int    `json:"document"`
	Message  string `json:"message"`
}

type skipDoc struct {
	Source   string `json:"source"`
	Document int    `json:"document"`
	Kind     string `json:"kind"`
}

// auditor judges each pod as the reader finds it and keeps only the report.
type auditor struct {
	e *policyEvaluator
	r report
}

func (a *auditor) pod(p *pod) {
	a.r.Subjects = append(a.r.Subjects, subject{Name: p.name, Kind: "pod", Source: p.source, Document: p.document})
	for _, v := range a.e.evaluate(p.meta, p.spec) {
		severity := "medium"
		if v.level == api.LevelBaseline {
			severity = "high"
		}
		a.r.Findings = append(a.r.Findings, finding{
			Check: string(v.check), Severity: severity, Class: "pss",
			Subject: p.name, Kind: "pod", Source: p.source, Document: p.document,
			Path: p.specPath, Message: v.message,
			References: []reference{{
				Kind: "pss", ID: string(v.level) + "/" + string(v.check),
				URL: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#" + string(v.level),
			}},
		})
	}
}

func (a *auditor) fail(e docError) {
	a.r.Errors = append(a.r.Errors, errorDoc{Source: e.source, Document: e.document, Message: e.err.Error()})
}

func (a *auditor) skip(s skipped) {
	a.r.Skipped = append(a.r.Skipped, skipDoc{Source: s.source, Document: s.document, Kind: s.kind})
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("psabaseline", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", "pss-restricted", "pss-baseline or pss-restricted, optionally @vMAJOR.MINOR or @latest")
	format := flags.String("format", "json", "output format: json (the only one)")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: psabaseline [flags] PATH|-...\n\nFlags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *format != "json" {
		fmt.Fprintf(stderr, "psabaseline: unknown -format %q (want json)\n", *format)
		return 2
	}
	if flags.NArg() == 0 {
		fmt.Fprintln(stderr, "psabaseline: no PATH given")
		return 2
	}
	lv, err := parseProfile(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "psabaseline:", err)
		return 2
	}
	e, err := newPolicyEvaluator(lv)
	if err != nil {
		fmt.Fprintln(stderr, "psabaseline:", err)
		return 2
	}
	a := &auditor{e: e, r: report{Subjects: []subject{}, Findings: []finding{}, Errors: []errorDoc{}, Skipped: []skipDoc{}}}
	readPaths(flags.Args(), stdin, a)

	w := bufio.NewWriter(stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(a.r); err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(stderr, "psabaseline:", err)
		return 2
	}
	switch {
	case len(a.r.Errors) > 0:
		return 2
	case len(a.r.Findings) > 0:
		return 1
	}
	return 0
}
