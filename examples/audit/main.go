package main

import (
	"context"
	"embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/fix"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/report"
)

//go:embed sample
var sample embed.FS

func main() {
	// The stream holds little at a time, so the collector runs on a small
	// heap: let it grow to five times what is live before collecting, a
	// quarter of the collections at a few MiB more. GOGC still overrides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("audit", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", bulwark.DefaultProfile, "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest (default, all, pss-baseline, pss-restricted, cis-docker)")
	format := flags.String("format", "text", "output format: text, json or sarif")
	failOn := flags.String("fail-on", "low", "exit 1 when an unsuppressed finding is at or above this severity (info, low, medium, high, critical)")
	showSuppressed := flags.Bool("show-suppressed", false, "list suppressed findings in text output")
	showInfo := flags.Bool("show-info", false, "list info findings in text output (otherwise each subject counts them)")
	baselineFile := flags.String("baseline", "", "an earlier JSON or SARIF report `FILE` of this command: only findings not in it are listed in text and fail the run")
	policyFile := flags.String("policy", "", "suppression policy `FILE` (kind: SuppressionPolicy): exceptions with reason, owner and expiry")
	trustAnnotations := flags.Bool("trust-annotations", true, "honour the audited objects' own bulwark.dev/ignore annotations (files reviewed in a repository); false trusts only -policy")
	fixInPlace := flags.Bool("fix", false, "rewrite each input with the smallest edits that make it pass -profile at -fail-on, keeping its mode (standard input to standard output), and list what is left and why")
	fixDiff := flags.Bool("diff", false, "print the unified diff -fix would make instead of writing it; exit 1 when there is one")
	fixChecks := flags.String("fix-checks", "", "with -fix or -diff, fix only the findings of these checks (comma-separated IDs or patterns: capabilities.*)")
	decisions := decisionFlag{}
	flags.Var(decisions, "decide", "with -fix or -diff, a decision a check's fix needs, as `CHECK=VALUE` (capabilities.privileged=remove, cgroups.memory-limit-missing=512Mi; VALUE @FILE reads a file); repeatable")
	platform := flags.String("platform", "", "the image of a multi-platform index to audit: os/arch[/variant] (default linux/GOARCH)")
	allPlatforms := flags.Bool("all-platforms", false, "audit every image of a multi-platform index, each its own subject")
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
	switch *format {
	case "text", "json", "sarif":
	default:
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
	if *fixInPlace || *fixDiff {
		var only []string
		for _, p := range strings.Split(*fixChecks, ",") {
			if p = strings.TrimSpace(p); p != "" {
				only = append(only, p)
			}
		}
		return runFix(fixRun{write: !*fixDiff, stdout: stdout, stderr: stderr, opts: fix.Options{
			Checks: checks, Min: threshold, Only: only, Decisions: decisions, Suppressions: sources,
		}}, flags.Args())
	}

	var base *report.Baseline // nil marks nothing
	if *baselineFile != "" {
		if base, err = report.ReadBaselineFile(*baselineFile); err != nil {
			fmt.Fprintln(stderr, "audit:", err)
			return 2
		}
	}

	opts := report.Options{ShowSuppressed: *showSuppressed, ShowInfo: *showInfo, Checks: checks}
	if f, ok := stdout.(*os.File); ok && *format == "text" {
		opts.Color = report.IsTerminal(f)
	}
	if *format == "sarif" && flags.NArg() > 0 {
		// SARIF results point at their own lines, read from the sources
		// once the stream is over.
		lines := load.NewLines(load.Options{})
		defer lines.Close()
		opts.Lines = lines.Line
	}
	w := newWriter(*format, stdout, opts)
	// Each entry's findings are compared with the baseline, then counted
	// for the exit status and written: what the baseline holds no longer
	// counts, and the reports say which findings are new.
	var summary hardening.Summary
	emit := func(e *hardening.Entry) error {
		base.Mark(e.Findings)
		summary.Add(e)
		return w.Write(e)
	}

	if flags.NArg() == 0 {
		err = streamSample(runner, emit)
	} else {
		// The streaming path: each subject is checked and written as it
		// comes, so memory does not grow with the input. Ctrl-C stops it.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		_, err = bulwark.Stream(ctx, runner, load.Options{Platform: *platform, AllPlatforms: *allPlatforms}, flags.Args(), emit)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	return summary.ExitCode(threshold)
}

// newWriter returns the stream writer of a format.
func newWriter(format string, w io.Writer, opts report.Options) report.StreamWriter {
	switch format {
	case "json":
		return report.NewJSONWriter(w, opts)
	case "sarif":
		return report.NewSARIFWriter(w, opts)
	}
	return report.NewTextWriter(w, opts)
}

// streamSample audits the embedded sample as a stream of its subjects.
func streamSample(runner *hardening.Runner, emit func(*hardening.Entry) error) error {
	r := loadSample()
	var findings []hardening.Finding
	for _, s := range r.Subjects {
		findings = runner.Check(s, findings[:0])
		if err := emit(&hardening.Entry{Subject: s, Findings: findings}); err != nil {
			return err
		}
	}
	for _, de := range r.Errors {
		if err := emit(&hardening.Entry{Error: de}); err != nil {
			return err
		}
	}
	for i := range r.Skipped {
		if err := emit(&hardening.Entry{Skipped: &r.Skipped[i]}); err != nil {
			return err
		}
	}
	return emit(&hardening.Entry{Set: true, Findings: runner.Finish()})
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
	// The sample is one run: its workloads are judged with its
	// ServiceAccount and Secret.
	load.ShareCluster(all)
	return all
}
