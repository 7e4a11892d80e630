package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/inspect"
	"github.com/bulwarkdev/bulwark/report"
)

func main() { os.Exit(run(os.Args[1:], inspect.Options{}, os.Stdout, os.Stderr)) }

// run is main with its inputs injectable: tests pass fixture /proc and /sys
// trees in base.
func run(args []string, base inspect.Options, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("inspect", flag.ContinueOnError)
	flags.SetOutput(stderr)
	pid := flags.Int("pid", 0, "process to observe (0: this process)")
	format := flags.String("format", "text", "output format: text or json")
	profile := flags.String("profile", "all", "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest")
	failOn := flags.String("fail-on", "low", "exit 1 when an unsuppressed finding is at or above this severity (info, low, medium, high, critical)")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: inspect [-pid N] [-format text|json] [-profile NAME] [-fail-on SEV]\n\nFlags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() > 0 {
		flags.Usage()
		return 2
	}
	checks, err := bulwark.Profile(*profile)
	if err != nil {
		fmt.Fprintln(stderr, "inspect:", err)
		return 2
	}
	threshold, err := hardening.ParseSeverity(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "inspect: -fail-on:", err)
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "inspect: unknown -format %q (want text or json)\n", *format)
		return 2
	}

	opts := base
	opts.PID = *pid
	obs, err := inspect.Observe(opts)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	result := &hardening.Result{Subjects: []*hardening.Subject{obs.Subject()}}
	result.Audit(checks)

	ropts := report.Options{Checks: checks}
	if *format == "json" {
		err = writeJSON(stdout, result, ropts, obs)
	} else {
		if f, ok := stdout.(*os.File); ok {
			ropts.Color = report.IsTerminal(f) && os.Getenv("NO_COLOR") == ""
		}
		err = writeText(stdout, result, ropts, obs)
	}
	if err != nil {
		fmt.Fprintln(stderr, "inspect:", err)
		return 2
	}
	if result.Failed(threshold) {
		return 1
	}
	return 0
}

// writeJSON writes report.JSON's document with three more keys: "observed"
// (the spec the process behaves as if started from), "unobserved" (the
// field paths checks did not judge, with the reason) and "evidence" (where
// each observed value came from).
func writeJSON(w io.Writer, result *hardening.Result, opts report.Options, obs *inspect.Observation) error {
	var buf bytes.Buffer
	if err := report.JSON(&buf, result, opts); err != nil {
		return err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		return err
	}
	for key, v := range map[string]any{"observed": obs.Spec(), "unobserved": obs.Unobserved, "evidence": obs.Evidence} {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		doc[key] = raw
	}
	buf.Reset()
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeText writes a summary of the observation, then the findings.
func writeText(w io.Writer, result *hardening.Result, opts report.Options, obs *inspect.Observation) error {
	var b bytes.Buffer
	c := obs.Capabilities
	fmt.Fprintf(&b, "observed %s (%s)\n", obs.Name(), obs.ProcDir)
	fmt.Fprintf(&b, "  uid/gid          %d/%d  host root: %s\n", obs.UID[1], obs.GID[1], obs.HostRoot)
	fmt.Fprintf(&b, "  capabilities     effective %016x bounding %016x (last cap %d, full: %v)\n", c.Effective, c.Bounding, c.LastCap, c.Full())
	fmt.Fprintf(&b, "  no_new_privs     %v\n", obs.NoNewPrivs)
	fmt.Fprintf(&b, "  seccomp          mode %d, %d filter(s)\n", obs.Seccomp, obs.SeccompFilters)
	fmt.Fprintf(&b, "  lsm              %s %s %q\n", obs.LSM.State, obs.LSM.Module, obs.LSM.Label)
	for _, ns := range obs.Namespaces {
		fmt.Fprintf(&b, "  namespace %-7s host: %-7s %s\n", ns.Type, ns.Host, ns.Basis)
	}
	fmt.Fprintf(&b, "  cgroup           %s", obs.Cgroup.Version)
	if l := obs.Cgroup.MemoryLimit; l != nil {
		fmt.Fprintf(&b, ", memory %d", *l)
	}
	if l := obs.Cgroup.PidsLimit; l != nil {
		fmt.Fprintf(&b, ", pids %d", *l)
	}
	fmt.Fprintf(&b, "\n  root read-only   %v, masked paths %d, read-only paths %d, host mounts %d, runtime sockets %d\n",
		obs.RootReadonly, len(obs.MaskedPaths), len(obs.ReadonlyPaths), len(obs.HostMounts), len(obs.RuntimeSockets))
	fmt.Fprintf(&b, "  not observable   %d fields (-format json lists them with reasons)\n\n", len(obs.Unobserved))
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	return report.Text(w, result, opts)
}
