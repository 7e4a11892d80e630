package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// ProfileAnnotation is the OCI annotation that adds a profile's checks to
// -profile's for one container. It can only add: whoever writes the
// container's config (and, through CRI, a Pod's own annotations) must not
// be able to pick a weaker profile.
const ProfileAnnotation = "bulwark.dev/profile"

// maxState bounds the container state read from standard input.
const maxState = 1 << 20

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stderr)) }

// Exit statuses.
const (
	allow  = 0
	refuse = 1
	broken = 2
)

// decision is one log line.
type decision struct {
	Time       string            `json:"time"`
	Container  string            `json:"container,omitempty"`
	Bundle     string            `json:"bundle,omitempty"`
	Profile    string            `json:"profile,omitempty"`
	FailOn     string            `json:"failOn"`
	Decision   string            `json:"decision"` // allow, refuse or error
	Findings   int               `json:"findings"` // unsuppressed findings of every severity
	Blocking   []blockingFinding `json:"blocking,omitempty"`
	Error      string            `json:"error,omitempty"`
	DurationMS float64           `json:"durationMs"`
}

type blockingFinding struct {
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Path     string `json:"path"`
	Message  string `json:"message"`
}

func defaultProfile() string {
	for _, p := range bulwark.Profiles() {
		if p.Name == "cis-docker" {
			return p.Name
		}
	}
	return "all"
}

func run(args []string, stdin io.Reader, stderr io.Writer) int {
	start := time.Now()
	flags := flag.NewFlagSet("ocihook", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", defaultProfile(), "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest; the annotation "+ProfileAnnotation+" adds a profile's checks")
	trust := flags.Bool("trust-annotations", false, "honour the container's own bulwark.dev/ignore annotations; only where whoever writes config.json is trusted (CRI passes a Pod's annotations through)")
	failOn := flags.String("fail-on", "high", "refuse the container when an unsuppressed finding is at or above this severity (info, low, medium, high, critical)")
	logFile := flags.String("log", "", "append one JSON line per decision to this file (default standard error)")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: ocihook [flags] < state.json\n\nAn OCI createRuntime hook: reads the container state on standard input\nand exits non-zero to refuse a container whose config.json has findings.\n\nFlags:\n")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return allow
		}
		return broken
	}
	logw := stderr
	if *logFile != "" {
		f, err := os.OpenFile(*logFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			fmt.Fprintln(stderr, "bulwark: -log:", err)
			return broken
		}
		defer f.Close()
		logw = f
	}
	d := decision{FailOn: *failOn, Profile: *profile}
	code, msg := decide(&d, *profile, *failOn, *trust, stdin)
	if msg != "" {
		fmt.Fprint(stderr, msg)
	}
	d.Time = start.UTC().Format(time.RFC3339Nano)
	d.DurationMS = float64(time.Since(start).Microseconds()) / 1000
	line, _ := json.Marshal(d)
	logw.Write(append(line, '\n'))
	return code
}

// decide fills d and returns the exit status and what to print on
// standard error.
func decide(d *decision, profile, failOn string, trust bool, stdin io.Reader) (int, string) {
	fail := func(err error) (int, string) {
		d.Decision, d.Error = "error", err.Error()
		return broken, "bulwark: refusing container " + quoteID(d.Container) + ": " + err.Error() + "\n"
	}
	data, err := io.ReadAll(io.LimitReader(stdin, maxState+1))
	if err != nil {
		return fail(fmt.Errorf("reading the container state: %w", err))
	}
	if len(data) > maxState {
		return fail(fmt.Errorf("container state on standard input is larger than %d bytes", maxState))
	}
	var state runtimespec.State
	if err := json.Unmarshal(data, &state); err != nil {
		return fail(fmt.Errorf("container state on standard input is not JSON (run ocihook as an OCI hook): %w", err))
	}
	d.Container, d.Bundle = state.ID, state.Bundle
	if state.Bundle == "" || !filepath.IsAbs(state.Bundle) {
		return fail(fmt.Errorf("container state has bundle %q: want an absolute path", state.Bundle))
	}
	threshold, err := hardening.ParseSeverity(failOn)
	if err != nil {
		return fail(fmt.Errorf("-fail-on: %w", err))
	}
	config := filepath.Join(state.Bundle, "config.json")
	r := load.Paths(load.Options{}, config)
	if len(r.Errors) > 0 {
		return fail(r.Errors[0])
	}
	if len(r.Subjects) != 1 || r.Subjects[0].Kind != hardening.KindOCISpec {
		return fail(fmt.Errorf("%s: not an OCI runtime spec", config))
	}
	// The state's annotations are the config's (runtime-spec state.md);
	// read the config's too, for runtimes that leave them out of the state.
	checks, err := bulwark.Profile(profile)
	if err != nil {
		return fail(err)
	}
	ref, ok := state.Annotations[ProfileAnnotation]
	if !ok {
		ref, ok = r.Subjects[0].Spec.Annotations[ProfileAnnotation]
	}
	if ok && ref != profile {
		extra, err := bulwark.Profile(ref)
		if err != nil {
			return fail(err)
		}
		for _, c := range extra {
			if checks.Lookup(c.ID) == nil {
				checks = append(checks, c)
			}
		}
		profile += "+" + ref
	}
	d.Profile = profile
	var sources []hardening.Suppressor
	if trust {
		sources = append(sources, hardening.ObjectAnnotations)
	}
	runner, err := hardening.NewRunner(checks, hardening.RunOptions{Suppressions: sources})
	if err != nil {
		return fail(err)
	}
	r.Audit(runner)

	var b strings.Builder
	for _, f := range r.Findings {
		if f.Suppressed || f.Warning {
			continue
		}
		d.Findings++
		if f.Severity < threshold {
			continue
		}
		d.Blocking = append(d.Blocking, blockingFinding{f.Check, f.Severity.String(), f.Path, f.Message})
		fmt.Fprintf(&b, "  %s %s at %s: %s\n", strings.ToUpper(f.Severity.String()), f.Check, f.Path, f.Message)
	}
	if len(d.Blocking) == 0 {
		d.Decision = "allow"
		return allow, ""
	}
	d.Decision = "refuse"
	return refuse, fmt.Sprintf("bulwark: refusing container %s: %d findings at or above %s (profile %s):\n%s",
		quoteID(d.Container), len(d.Blocking), threshold, profile, b.String())
}

func quoteID(id string) string {
	if id == "" {
		return "(no id)"
	}
	return fmt.Sprintf("%q", id)
}
