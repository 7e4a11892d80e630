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

	"github.com/bulwarkdev/bulwark"
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
	policyFile := flags.String("policy", "", "suppression policy `FILE` (kind: SuppressionPolicy): exceptions with reason, owner and expiry")
	trustAnnotations := flags.Bool("trust-annotations", true, "honour the audited objects' own bulwark.dev/ignore annotations (files reviewed in a repository); false trusts only -policy")
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

	opts := report.Options{ShowSuppressed: *showSuppressed, Checks: checks}
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

	var summary *hardening.Summary
	if flags.NArg() == 0 {
		summary, err = streamSample(runner, w.Write)
	} else {
		// The streaming path: each subject is checked and written as it
		// comes, so memory does not grow with the input. Ctrl-C stops it.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		lopts := load.Options{Platform: *platform, AllPlatforms: *allPlatforms}
		if f, ok := stderr.(*os.File); ok && report.IsTerminal(f) {
			lopts.Progress = load.TerminalProgress(f) // a line while large images are read
		}
		summary, err = bulwark.Stream(ctx, runner, lopts, flags.Args(), w.Write)
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
func streamSample(runner *hardening.Runner, emit func(*hardening.Entry) error) (*hardening.Summary, error) {
	r := loadSample()
	sum := &hardening.Summary{}
	var findings []hardening.Finding
	for _, s := range r.Subjects {
		findings = runner.Check(s, findings[:0])
		e := hardening.Entry{Subject: s, Findings: findings}
		sum.Add(&e)
		if err := emit(&e); err != nil {
			return sum, err
		}
	}
	for _, de := range r.Errors {
		e := hardening.Entry{Error: de}
		sum.Add(&e)
		if err := emit(&e); err != nil {
			return sum, err
		}
	}
	for i := range r.Skipped {
		e := hardening.Entry{Skipped: &r.Skipped[i]}
		sum.Add(&e)
		if err := emit(&e); err != nil {
			return sum, err
		}
	}
	e := hardening.Entry{Set: true, Findings: runner.Finish()}
	sum.Add(&e)
	return sum, emit(&e)
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
