// Command audit is bulwark's reference audit (examples/audit) with image
// references: every argument is a path, as there, or an image in a
// registry, by tag or by digest, read with the credentials and
// certificates docker and podman use.
//
//	audit registry.example/shop/api:1.4 deploy/
//	audit -platform linux/arm64 docker://nginx:1.27
//	audit -all-platforms -format json registry.example/shop/api@sha256:…
//	audit -resolve-images deploy/   # the images behind the workloads, config only
//
// The exit status is 0 when nothing at or above -fail-on is found, 1 when
// something is, and 2 when an input could not be read: a file, or an
// image whose registry refused the credentials, does not know the tag or
// is down.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/registry"
	"github.com/bulwarkdev/bulwark/report"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// hosts is a repeatable flag of registry hosts.
type hosts []string

func (h *hosts) String() string     { return strings.Join(*h, ",") }
func (h *hosts) Set(v string) error { *h = append(*h, v); return nil }

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("audit", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", bulwark.DefaultProfile, "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest (default, all, pss-baseline, pss-restricted, cis-docker)")
	format := flags.String("format", "text", "output format: text, json or sarif")
	failOn := flags.String("fail-on", "low", "exit 1 when an unsuppressed finding is at or above this severity (info, low, medium, high, critical)")
	platform := flags.String("platform", "", "the image of a multi-platform index to audit: os/arch[/variant] (default linux/"+"GOARCH)")
	allPlatforms := flags.Bool("all-platforms", false, "audit every image of a multi-platform index, each its own subject")
	var plain hosts
	flags.Var(&plain, "plain-http", "reach the registry `HOST[:PORT]` over plain HTTP instead of HTTPS (repeatable); never a fallback")
	anonymous := flags.Bool("anonymous", false, "send no credentials to registries")
	resolveImages := flags.Bool("resolve-images", false, "read the image config of each container of the audited workloads from its registry (config only, with your credentials), so that verdicts on the user use the image's real USER; a tag resolved now may not be what a node pulled")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: audit [flags] PATH|IMAGE...\n\nIMAGE is HOST/REPOSITORY:TAG, HOST/REPOSITORY@DIGEST or docker://REFERENCE.\n\nFlags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if flags.NArg() == 0 {
		flags.Usage()
		return 2
	}
	checks, err := bulwark.Profile(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	// What is attached to images read from registries: information.
	checks = append(checks, registry.ProvenanceCheck())
	threshold, err := hardening.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "audit: -fail-on:", err)
		return 2
	}
	client, err := registry.New(registry.Options{PlainHTTP: plain, Anonymous: *anonymous})
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	runner, err := hardening.NewRunner(checks, hardening.RunOptions{Suppressions: bulwark.FileSuppressions(nil)})
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 2
	}
	ropts := report.Options{Checks: checks}
	var w report.StreamWriter
	switch *format {
	case "text":
		if f, ok := stdout.(*os.File); ok {
			ropts.Color = report.IsTerminal(f)
		}
		w = report.NewTextWriter(stdout, ropts)
	case "json":
		w = report.NewJSONWriter(stdout, ropts)
	case "sarif":
		w = report.NewSARIFWriter(stdout, ropts)
	default:
		fmt.Fprintf(stderr, "audit: unknown -format %q (want text, json or sarif)\n", *format)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opts := load.Options{Registry: client, Platform: *platform, AllPlatforms: *allPlatforms}
	if f, ok := stderr.(*os.File); ok && report.IsTerminal(f) {
		opts.Progress = load.TerminalProgress(f) // a line while large images are read
	}
	var checker hardening.Checker = runner
	var workloads *registry.WorkloadImages
	if *resolveImages {
		workloads = client.WorkloadImages(runner, registry.WorkloadImagesOptions{Context: ctx, Platform: *platform})
		checker = workloads
	}
	summary, err := bulwark.Stream(ctx, checker, opts, flags.Args(), w.Write)
	if workloads != nil {
		for _, e := range workloads.Errors() {
			fmt.Fprintln(stderr, "audit: warning: -resolve-images:", e)
		}
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
