package main

import (
	"sigs.k8s.io/yaml"

	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/bulwarkdev/bulwark/hardening"
)

func main() { os.Exit(run(os.Args[1:], os.Stderr)) }

// run is the command: it serves until SIGTERM or SIGINT, then stops
// accepting connections and lets the reviews in flight finish, for at most
// -shutdown-timeout. Kubernetes sends SIGTERM when it stops a Pod, and the
// API server is waiting on those reviews: cutting them off would apply the
// webhook's failurePolicy to requests that were about to be answered. A
// second signal ends the process at once.
func run(args []string, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "webhook:", err)
		return 2
	}
	// Load the key pair before listening, so that a bad one fails at start.
	cert, err := tls.LoadX509KeyPair(cfg.cert, cfg.key)
	if err != nil {
		fmt.Fprintln(stderr, "webhook:", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "webhook:", err)
		return 1
	}
	srv := newServer(cfg.addr, cfg.handler)
	srv.TLSConfig.Certificates = []tls.Certificate{cert}
	if cfg.handler.Log != nil { // keep standard error one JSON record a line
		srv.ErrorLog = slog.NewLogLogger(cfg.handler.Log.Handler(), slog.LevelWarn)
	}
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	cfg.handler.logf("listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		fmt.Fprintln(stderr, "webhook:", err)
		return 1
	case <-ctx.Done():
	}
	stop() // from here on, a signal kills
	cfg.handler.logf("shutting down", "timeout", cfg.shutdownTimeout.String())
	shutdown, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "webhook: shutting down:", err)
		return 1
	}
	<-served // http.ErrServerClosed
	cfg.handler.logf("stopped")
	return 0
}

type config struct {
	addr, cert, key string
	shutdownTimeout time.Duration
	handler         *Handler
}

// nsFlag collects -ns NAMESPACE=LABEL=VALUE[,LABEL=VALUE] flags.
type nsFlag map[string]map[string]string

func (f nsFlag) String() string { return "" }

func (f nsFlag) Set(v string) error {
	ns, rest, ok := strings.Cut(v, "=")
	if !ok || ns == "" || rest == "" {
		return fmt.Errorf("want NAMESPACE=LABEL=VALUE[,LABEL=VALUE], got %q", v)
	}
	labels := f[ns]
	if labels == nil {
		labels = map[string]string{}
		f[ns] = labels
	}
	for _, kv := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("want LABEL=VALUE, got %q in %q", kv, rest)
		}
		labels[k] = v
	}
	return nil
}

// parseFlags turns the command line into a config: it reads -namespaces
// and resolves every profile named by a label, so that a typo fails at
// start rather than at the first review.
func parseFlags(args []string, stderr io.Writer) (*config, error) {
	flags := flag.NewFlagSet("webhook", flag.ContinueOnError)
	flags.SetOutput(stderr)
	cfg := &config{}
	flags.StringVar(&cfg.addr, "addr", ":8443", "address to listen on")
	flags.StringVar(&cfg.cert, "cert", "", "TLS certificate file, PEM (required)")
	flags.StringVar(&cfg.key, "key", "", "TLS private key file, PEM (required)")
	flags.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 20*time.Second, "on SIGTERM or SIGINT, how long reviews in flight may take to finish")
	nsFile := flags.String("namespaces", "", `YAML or JSON map from namespace to labels; "*" holds the labels of namespaces not listed`)
	inline := nsFlag{}
	flags.Var(inline, "ns", "namespace labels, NAMESPACE=LABEL=VALUE[,LABEL=VALUE] (repeatable; wins over -namespaces)")
	minSev := flags.String("min-severity", "info", "lowest severity that counts as a violation (info, low, medium, high, critical)")
	maxBody := flags.Int64("max-body", DefaultMaxBodyBytes, "largest request body, in bytes")
	exemptFile := flags.String("exemptions", "", "YAML or JSON file of exemptions, as in Pod Security Admission's AdmissionConfiguration: {usernames: [...], namespaces: [...], runtimeClasses: [...]}")
	logging := flags.Bool("log", true, "log each decision as a JSON line on standard error")
	flags.Usage = func() {
		fmt.Fprintf(stderr, "usage: webhook -cert FILE -key FILE [flags]\n\nA validating admission webhook; policies come from namespace labels\n%s, %s and %s, each a bulwark profile NAME[@VERSION].\n\nFlags:\n", LabelEnforce, LabelWarn, LabelAudit)
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		return nil, err
	}
	if flags.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if cfg.cert == "" || cfg.key == "" {
		return nil, errors.New("-cert and -key are required: the API server calls webhooks over HTTPS only")
	}
	if cfg.shutdownTimeout <= 0 {
		return nil, fmt.Errorf("-shutdown-timeout %v: want a positive duration", cfg.shutdownTimeout)
	}
	sev, err := hardening.ParseSeverity(*minSev)
	if err != nil {
		return nil, fmt.Errorf("-min-severity: %w", err)
	}
	h := &Handler{Namespaces: &Namespaces{}, MinSeverity: sev, MaxBodyBytes: *maxBody}
	if *logging {
		h.Log = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	if *exemptFile != "" {
		data, err := os.ReadFile(*exemptFile)
		if err != nil {
			return nil, fmt.Errorf("-exemptions: %w", err)
		}
		if err := yaml.UnmarshalStrict(data, &h.Exemptions); err != nil {
			return nil, fmt.Errorf("-exemptions %s: %w", *exemptFile, err)
		}
	}
	if *nsFile != "" {
		data, err := os.ReadFile(*nsFile)
		if err != nil {
			return nil, fmt.Errorf("-namespaces: %w", err)
		}
		m, err := ParseNamespaces(data)
		if err != nil {
			return nil, fmt.Errorf("-namespaces %s: %w", *nsFile, err)
		}
		for ns, labels := range m {
			h.Namespaces.Set(ns, labels)
		}
	}
	for ns, labels := range inline {
		merged := map[string]string{}
		for k, v := range h.Namespaces.Labels(ns) {
			merged[k] = v
		}
		for k, v := range labels {
			merged[k] = v
		}
		h.Namespaces.Set(ns, merged)
	}
	for ns, labels := range h.Namespaces.labels {
		for _, label := range []string{LabelEnforce, LabelWarn, LabelAudit} {
			if ref, ok := labels[label]; ok {
				if _, err := h.profile(ref); err != nil {
					return nil, fmt.Errorf("namespace %q label %s: %w", ns, label, err)
				}
			}
		}
	}
	cfg.handler = h
	return cfg, nil
}

// newServer returns the HTTPS server main runs, with timeouts a webhook
// needs (the API server waits 10 s by default, at most 30 s).
func newServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// logf logs the server's own events, as Log does reviews.
func (h *Handler) logf(msg string, args ...any) {
	if h.Log != nil {
		h.Log.Info(msg, args...)
	}
}
