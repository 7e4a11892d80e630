package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/containerd/nri/pkg/api"
	"github.com/containerd/nri/pkg/stub"
)

// ProfileAnnotation on a container adds a profile's checks to -profile's,
// as for the OCI hook. It can only add: a Pod's annotations reach the
// container, and a Pod must not pick a weaker profile for itself.
const ProfileAnnotation = "bulwark.dev/profile"

func main() {
	p, opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "nri:", err)
		os.Exit(2)
	}
	s, err := stub.New(p, opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nri:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := s.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "nri: plugin stopped:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string, stderr io.Writer) (*Plugin, []stub.Option, error) {
	flags := flag.NewFlagSet("nri", flag.ContinueOnError)
	flags.SetOutput(stderr)
	profile := flags.String("profile", "cis-docker", "checks to run: NAME, NAME@vMAJOR.MINOR or NAME@latest; the container annotation "+ProfileAnnotation+" adds a profile's checks")
	failOn := flags.String("fail-on", "high", "lowest severity that blocks (info, low, medium, high, critical)")
	mode := flags.String("mode", "enforce", "enforce: fail CreateContainer; warn: log only")
	name := flags.String("name", "bulwark", "plugin name")
	idx := flags.String("idx", "10", "plugin index: its order among NRI plugins (two digits)")
	socket := flags.String("socket", "", "NRI socket path (default the runtime's, /var/run/nri/nri.sock)")
	if err := flags.Parse(args); err != nil {
		return nil, nil, err
	}
	if flags.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	p, err := NewPlugin(*profile, *failOn, *mode, slog.New(slog.NewJSONHandler(stderr, nil)))
	if err != nil {
		return nil, nil, err
	}
	opts := []stub.Option{stub.WithPluginName(*name), stub.WithPluginIdx(*idx)}
	if *socket != "" {
		opts = append(opts, stub.WithSocketPath(*socket))
	}
	return p, opts, nil
}

// Plugin judges containers at CreateContainer.
type Plugin struct {
	profile string
	failOn  hardening.Severity
	enforce bool
	log     *slog.Logger

	mu       sync.Mutex
	profiles map[string]hardening.Checker
}

var _ stub.CreateContainerInterface = (*Plugin)(nil)

// NewPlugin returns a plugin running profile, blocking at failOn or above
// when mode is "enforce" and logging only when it is "warn".
func NewPlugin(profile, failOn, mode string, log *slog.Logger) (*Plugin, error) {
	sev, err := hardening.ParseSeverity(failOn)
	if err != nil {
		return nil, fmt.Errorf("-fail-on: %w", err)
	}
	if mode != "enforce" && mode != "warn" {
		return nil, fmt.Errorf("-mode %q: want enforce or warn", mode)
	}
	p := &Plugin{profile: profile, failOn: sev, enforce: mode == "enforce", log: log, profiles: map[string]hardening.Checker{}}
	if _, err := p.checker(profile); err != nil {
		return nil, fmt.Errorf("-profile: %w", err)
	}
	return p, nil
}

func (p *Plugin) checker(ref string) (hardening.Checker, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.profiles[ref]; ok {
		return c, nil
	}
	var checks hardening.Checks
	for _, part := range strings.Split(ref, "+") {
		more, err := bulwark.Profile(part)
		if err != nil {
			return nil, err
		}
		for _, c := range more {
			if checks.Lookup(c.ID) == nil {
				checks = append(checks, c)
			}
		}
	}
	c := Observed(checks)
	p.profiles[ref] = c
	return c, nil
}

// CreateContainer audits the container and, in enforce mode, fails its
// creation when a finding is at or above -fail-on. It never adjusts the
// container.
func (p *Plugin) CreateContainer(_ context.Context, pod *api.PodSandbox, ctr *api.Container) (*api.ContainerAdjustment, []*api.ContainerUpdate, error) {
	return nil, nil, p.Judge(pod, ctr)
}

// Judge audits a container and returns the error that refuses it, or nil.
func (p *Plugin) Judge(pod *api.PodSandbox, ctr *api.Container) error {
	s := Subject(pod, ctr)
	ref := p.profile
	if v, ok := ctr.GetAnnotations()[ProfileAnnotation]; ok && v != ref {
		ref += "+" + v
	}
	checker, err := p.checker(ref)
	if err != nil {
		err = fmt.Errorf("bulwark: container %s: annotation %s: %w", s.Name, ProfileAnnotation, err)
		p.log.Error("decision", "container", s.Name, "id", ctr.GetId(), "decision", "error", "error", err.Error())
		if p.enforce {
			return err
		}
		return nil
	}
	var blocking []string
	findings := 0
	for _, f := range checker.Check(s, nil) {
		if f.Suppressed {
			continue
		}
		findings++
		if f.Severity >= p.failOn {
			blocking = append(blocking, fmt.Sprintf("%s %s at %s: %s", strings.ToUpper(f.Severity.String()), f.Check, f.Path, f.Message))
		}
	}
	decision := "allow"
	switch {
	case len(blocking) > 0 && p.enforce:
		decision = "refuse"
	case len(blocking) > 0:
		decision = "warn"
	}
	p.log.Info("decision", "container", s.Name, "id", ctr.GetId(), "profile", ref, "failOn", p.failOn.String(),
		"decision", decision, "findings", findings, "blocking", blocking, "unobserved", len(s.Unobserved))
	if decision != "refuse" {
		return nil
	}
	return fmt.Errorf("bulwark: refusing container %s: %d findings at or above %s (profile %s): %s",
		s.Name, len(blocking), p.failOn, ref, strings.Join(blocking, "; "))
}
