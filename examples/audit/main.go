package main

import (
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/report"
)

//go:embed sample
var sample embed.FS

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("audit", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", bulwark.DefaultProfile, "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest (default, all, pss-baseline, pss-restricted, cis-docker)")
	format := flags.String("format", "text", "output format: text, json or sarif")
	failOn := flags.String("fail-on", "low", "exit 1 when an unsuppressed finding is at or above this severity (info, low, medium, high, critical)")
	showSuppressed := flags.Bool("show-suppressed", false, "list suppressed findings in text output")
	policyFile := flags.String("policy", "", "suppression policy `FILE` (kind: SuppressionPolicy): exceptions with reason, owner and expiry")
	trustAnnotations := flags.Bool("trust-annotations", true, "honour the audited objects' own bulwark.dev/ignore annotations (files reviewed in a repository); false trusts only -policy")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: audit [flags] [PATH|-]...\n\nWith no PATH, audits an embedded sample.\n\nFlags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	checks, err := bulwark.Profile(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	threshold, err := hardening.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "audit: -fail-on:", err)
		return 2
	}
	render, ok := map[string]func(io.Writer, *hardening.Result, report.Options) error{
		"text": report.Text, "json": report.JSON, "sarif": report.SARIF,
	}[*format]
	if !ok {
		fmt.Fprintf(stderr, "audit: unknown -format %q (want text, json or sarif)\n", *format)
		return 2
	}

	var sources []hardening.Suppressor
	if *trustAnnotations {
		sources = append(sources, hardening.ObjectAnnotations)
	}
	if *policyFile != "" {
		data, err := os.ReadFile(*policyFile)
		if err != nil {
			fmt.Fprintln(stderr, "audit: -policy:", err)
			return 2
		}
		policy, err := hardening.ParsePolicy(*policyFile, data)
		if err != nil {
			fmt.Fprintln(stderr, "audit: -policy:", err)
			return 2
		}
		sources = append(sources, policy)
	}
	runner, err := hardening.NewRunner(checks, hardening.RunOptions{Suppressions: sources})
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}

	var result *hardening.Result
	if flags.NArg() == 0 {
		result = loadSample()
		result.Audit(runner)
	} else {
		result = bulwark.AuditPaths(runner, load.Options{}, flags.Args()...)
	}

	opts := report.Options{ShowSuppressed: *showSuppressed, Checks: checks}
	if f, ok := stdout.(*os.File); ok && *format == "text" {
		opts.Color = report.IsTerminal(f)
	}
	if err := render(stdout, result, opts); err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	return result.ExitCode(threshold)
}

// loadSample decodes the embedded sample files, named as they sit in the
// source tree so findings point somewhere a reader can open.
func loadSample() *hardening.Result {
	all := &hardening.Result{}
	fs.WalkDir(sample, "sample", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := sample.ReadFile(path)
		if err != nil {
			return err
		}
		r := load.Bytes(load.Options{}, "examples/audit/"+path, data)
		all.Subjects = append(all.Subjects, r.Subjects...)
		all.Errors = append(all.Errors, r.Errors...)
		all.Skipped = append(all.Skipped, r.Skipped...)
		return nil
	})
	return all
}
