package registry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options configures a [Client]. The zero value is ready to use: HTTPS
// only, the system's certificate pool with docker's and podman's certs.d
// directories, credentials from the usual files, and the default limits.
type Options struct {
	// PlainHTTP lists the registries ("localhost:5000", "registry.lan")
	// reached over plain HTTP instead of HTTPS. No other registry ever is:
	// there is no fallback.
	PlainHTTP []string

	// RootCAs replaces the system's certificate pool when not nil. The
	// system pool honours SSL_CERT_FILE and SSL_CERT_DIR.
	RootCAs *x509.CertPool
	// CertDirs are the directories holding a HOST[:PORT] directory of CA
	// certificates (*.crt) and client certificates (*.cert and *.key) per
	// registry; nil means docker's and podman's: /etc/docker/certs.d,
	// /etc/containers/certs.d and $XDG_CONFIG_HOME/containers/certs.d
	// (~/.config/containers/certs.d).
	CertDirs []string

	// AuthFiles are the credential files read, in order, the first that
	// names a registry winning; nil means the defaults (see the package
	// documentation). Files in docker's format (config.json) and podman's
	// (auth.json) are both read.
	AuthFiles []string
	// Credentials, when not nil, is asked before the files: it returns the
	// credentials for a registry host, ok false for none.
	Credentials func(ctx context.Context, host string) (c Credential, ok bool, err error)
	// Anonymous sends no credentials at all.
	Anonymous bool

	// DialTimeout bounds connecting (default 10s), TLSHandshakeTimeout
	// the TLS handshake (default 10s) and ResponseTimeout the wait for a
	// response's headers (default 30s).
	DialTimeout, TLSHandshakeTimeout, ResponseTimeout time.Duration
	// RequestTimeout bounds a whole request whose response is small: a
	// manifest, an index, a token (default 60s).
	RequestTimeout time.Duration
	// IdleTimeout and MinProgress bound a blob's download: a response that
	// delivers less than MinProgress bytes in any IdleTimeout is abandoned
	// (defaults 30s and 16 KiB, so at least about 550 bytes a second).
	IdleTimeout time.Duration
	MinProgress int64
	// MaxRedirects is the most redirects one request follows (default 5).
	MaxRedirects int
	// Retries is how often a request answered 429, 502, 503 or 504, or cut
	// before its response, is tried again (default 2; negative for none).
	Retries int
	// UserAgent is sent with every request (default "bulwark-registry").
	UserAgent string
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.DialTimeout, 10*time.Second)
	def(&o.TLSHandshakeTimeout, 10*time.Second)
	def(&o.ResponseTimeout, 30*time.Second)
	def(&o.RequestTimeout, 60*time.Second)
	def(&o.IdleTimeout, 30*time.Second)
	if o.MinProgress <= 0 {
		o.MinProgress = 16 << 10
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	if o.Retries == 0 {
		o.Retries = 2
	} else if o.Retries < 0 {
		o.Retries = 0
	}
	if o.UserAgent == "" {
		o.UserAgent = "bulwark-registry"
	}
	return o
}

// Limits on what is read from a registry besides manifests.
const (
	maxSmallBody   = 1 << 20  // tokens, error bodies
	maxHeaderBytes = 64 << 10 // response headers
)

// Client reads images from registries. It implements load.Registry; it is
// safe for concurrent use, and keeps one connection pool, one TLS
// configuration and the credentials and tokens found per registry.
type Client struct {
	opts  Options
	creds *credentials

	mu    sync.Mutex
	hosts map[string]*host
}

// New returns a client with opts.
func New(opts Options) (*Client, error) {
	opts = opts.withDefaults()
	for _, h := range opts.PlainHTTP {
		if h == "" || strings.ContainsAny(h, "/ ") {
			return nil, fmt.Errorf("registry: Options.PlainHTTP: %q is not a registry host[:port]", h)
		}
	}
	return &Client{opts: opts, creds: newCredentials(opts), hosts: map[string]*host{}}, nil
}

// host is what the client keeps per registry.
type host struct {
	name   string // as in references: "registry.example", "localhost:5000", "docker.io"
	api    string // where its API is: "registry-1.docker.io" for docker.io
	scheme string // https, or http when asked for
	client *http.Client

	mu       sync.Mutex
	auth     *challenge       // the registry's last challenge
	basic    string           // the Authorization for Basic challenges
	tokens   map[string]token // bearer tokens by scope
	credFrom string           // where the credentials in use came from
}

type token struct {
	value   string
	expires time.Time
}

// host returns the state of the registry name, making it on first use.
func (c *Client) host(name string) (*host, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h := c.hosts[name]; h != nil {
		return h, nil
	}
	api := name
	if name == dockerHub {
		api = dockerHubAPI
	}
	scheme := "https"
	if slices.Contains(c.opts.PlainHTTP, name) || slices.Contains(c.opts.PlainHTTP, api) {
		scheme = "http"
	}
	tr, err := c.transport(api)
	if err != nil {
		return nil, err
	}
	h := &host{name: name, api: api, scheme: scheme, tokens: map[string]token{}}
	h.client = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	c.hosts[name] = h
	return h, nil
}

// transport makes the HTTP transport of the registry at api (host[:port]):
// its own TLS configuration, guarded dials and bounded waits.
func (c *Client) transport(api string) (*http.Transport, error) {
	tlsConf, err := c.tlsConfig(api)
	if err != nil {
		return nil, err
	}
	dialer := &net.Dialer{Timeout: c.opts.DialTimeout, KeepAlive: 30 * time.Second, Control: guardDial}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dialer.DialContext,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    c.opts.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  c.opts.ResponseTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConnsPerHost:    4,
		MaxResponseHeaderBytes: maxHeaderBytes,
		ForceAttemptHTTP2:      true,
	}, nil
}

// checkRedirect bounds redirects: a hop limit, no HTTPS to HTTP, no
// link-local or metadata destination. (net/http itself drops the
// Authorization header when a redirect leaves the host.)
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.opts.MaxRedirects {
		return fmt.Errorf("more than %d redirects (Options.MaxRedirects)", c.opts.MaxRedirects)
	}
	if err := c.checkURL(req.URL, "redirect"); err != nil {
		return err
	}
	if prev := via[len(via)-1].URL; prev.Scheme == "https" && req.URL.Scheme == "http" && !slices.Contains(c.opts.PlainHTTP, req.URL.Host) {
		return fmt.Errorf("redirect from https to plain http (%s) refused", clip(req.URL.Redacted()))
	}
	return nil
}

// checkURL refuses a URL the server chose (a redirect, a token realm) that
// is not http(s) or that leads to a link-local or metadata address.
func (c *Client) checkURL(u *url.URL, what string) error {
	if u.Scheme != "https" && u.Scheme != "http" {
		return fmt.Errorf("%s to a %q URL refused", what, clip(u.Scheme))
	}
	if blockedHost(u.Hostname()) {
		return fmt.Errorf("%s to %s refused: a link-local or cloud metadata address", what, clip(u.Hostname()))
	}
	if u.Scheme == "http" && !slices.Contains(c.opts.PlainHTTP, u.Host) && !slices.Contains(c.opts.PlainHTTP, u.Hostname()) {
		// Plain HTTP only to hosts the user named; a registry already
		// reached over plain HTTP may point there too.
		if !c.plainHost(u.Host) {
			return fmt.Errorf("%s to plain http (%s) refused: the host is not in Options.PlainHTTP", what, clip(u.Redacted()))
		}
	}
	return nil
}

// plainHost reports whether a registry reached over plain HTTP has the
// host hostport.
func (c *Client) plainHost(hostport string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, h := range c.hosts {
		if h.scheme == "http" && (h.api == hostport || h.name == hostport) {
			return true
		}
	}
	return false
}

// blockedNames are the cloud metadata services' host names.
var blockedNames = []string{"metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal"}

// blockedHost reports whether a URL's host is a link-local or cloud
// metadata address, by name or literal.
func blockedHost(h string) bool {
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if slices.Contains(blockedNames, h) {
		return true
	}
	if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil {
		return blockedIP(ip)
	}
	return false
}

var (
	awsIMDSv6 = net.ParseIP("fd00:ec2::254")
	alibaba   = net.ParseIP("100.100.100.200")
)

// blockedIP reports whether ip is link-local (169.254.0.0/16, fe80::/10,
// where AWS, GCP and Azure serve instance metadata) or another cloud
// metadata address.
func blockedIP(ip net.IP) bool {
	return ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.Equal(awsIMDSv6) || ip.Equal(alibaba)
}

// guardDial refuses connections to blocked addresses, whatever name led
// there: a redirect or realm whose name resolves to a metadata address is
// caught here.
func guardDial(network, address string, _ syscall.RawConn) error {
	h, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(h); ip != nil && blockedIP(ip) {
		return fmt.Errorf("connection to %s refused: a link-local or cloud metadata address", address)
	}
	return nil
}

// tlsConfig is the TLS configuration for the registry at api: the system
// pool (or Options.RootCAs) plus the CAs of its certs.d directories, and
// the client certificates there.
func (c *Client) tlsConfig(api string) (*tls.Config, error) {
	pool := c.opts.RootCAs
	if pool == nil {
		sys, err := x509.SystemCertPool()
		if err != nil || sys == nil {
			sys = x509.NewCertPool()
		}
		pool = sys
	} else {
		pool = pool.Clone()
	}
	certs, err := readCertsD(c.certDirs(), api, pool)
	if err != nil {
		return nil, err
	}
	return &tls.Config{RootCAs: pool, Certificates: certs, MinVersion: tls.VersionTLS12}, nil
}

// request is one GET of the registry API.
type request struct {
	h      *host
	repo   string // the repository, for the token's scope
	path   string // below /v2/
	accept []string
	small  bool // a bounded response: RequestTimeout applies
}

// do sends r, answering the registry's authentication challenge once, and
// retrying what may pass. The response is 200; any other status is an
// error that says what the registry said. The caller closes the body,
// which ends the request (and a small response's deadline).
func (c *Client) do(ctx context.Context, r request) (*http.Response, error) {
	u := r.h.scheme + "://" + r.h.api + "/v2/" + r.path
	var cancel context.CancelFunc
	if r.small {
		ctx, cancel = context.WithTimeout(ctx, c.opts.RequestTimeout)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	authed := false
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			cancel()
			return nil, err
		}
		req.Header.Set("User-Agent", c.opts.UserAgent)
		if len(r.accept) > 0 {
			req.Header.Set("Accept", strings.Join(r.accept, ", "))
		}
		if a := r.h.authorization(r.repo); a != "" {
			req.Header.Set("Authorization", a)
		}
		resp, err := r.h.client.Do(req)
		if err != nil {
			if attempt < c.opts.Retries && retryable(ctx, err) {
				if werr := wait(ctx, attempt, ""); werr == nil {
					continue
				}
			}
			cancel()
			return nil, fmt.Errorf("GET %s: %w", u, c.timeoutErr(ctx, r.small, unwrapURL(err)))
		}
		switch {
		case resp.StatusCode == http.StatusOK:
			resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
			return resp, nil
		case resp.StatusCode == http.StatusUnauthorized && !authed:
			authed = true
			chal := resp.Header.Values("WWW-Authenticate")
			drain(resp)
			if err := c.authenticate(ctx, r.h, r.repo, chal); err != nil {
				cancel()
				return nil, err
			}
			continue
		case attempt < c.opts.Retries && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusBadGateway ||
			resp.StatusCode == http.StatusServiceUnavailable || resp.StatusCode == http.StatusGatewayTimeout):
			after := resp.Header.Get("Retry-After")
			drain(resp)
			if err := wait(ctx, attempt, after); err != nil {
				cancel()
				return nil, fmt.Errorf("GET %s: %w", u, err)
			}
			continue
		}
		err = statusError(resp, u, r.h, authed)
		cancel()
		return nil, err
	}
}

// timeoutErr says which limit a request ran into when its own deadline
// (not the caller's) ended it.
func (c *Client) timeoutErr(ctx context.Context, small bool, err error) error {
	if small && errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (Options.RequestTimeout %v)", err, c.opts.RequestTimeout)
	}
	return err
}

// cancelBody ends a small request's deadline when its body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// retryable reports whether a request that got no response may be tried
// again: the connection was cut or refused for a moment, not the caller's
// context nor a refusal of ours.
func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// wait sleeps before attempt+1: 250ms, 1s, …, or what Retry-After says,
// at most 10s.
func wait(ctx context.Context, attempt int, retryAfter string) error {
	d := 250 * time.Millisecond << (2 * attempt)
	if s, err := strconv.Atoi(strings.TrimSpace(retryAfter)); err == nil && s >= 0 {
		d = time.Duration(s) * time.Second
	}
	d = min(d, 10*time.Second)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain reads a little of a response body so the connection may be
// reused, and closes it.
func drain(resp *http.Response) {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) //nolint:errcheck // best effort
	resp.Body.Close()
}

// unwrapURL drops net/http's *url.Error wrapper, whose message repeats
// the method and URL the caller already says.
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// clip shortens strings a server chose before they are quoted in errors.
func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}
