package registry

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Errors the client's errors wrap.
var (
	// ErrUnauthorized: the registry wants credentials it was not given, or
	// refused those it was.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrDenied: the credentials were accepted but do not allow pulling.
	ErrDenied = errors.New("denied")
	// ErrNotFound: no such repository, tag, manifest or blob.
	ErrNotFound = errors.New("not found")
	// ErrChallenge: the registry's WWW-Authenticate header cannot be
	// followed: malformed, or pointing where the client does not go.
	ErrChallenge = errors.New("unusable authentication challenge")
)

// challenge is one WWW-Authenticate challenge.
type challenge struct {
	scheme string            // "basic" or "bearer", lower case
	params map[string]string // realm, service, scope, …, keys lower case
}

// Limits on challenges: a header is at most 64 KiB anyway (the
// transport's limit), a realm at most 2 KiB.
const (
	maxChallengeParams = 16
	maxRealm           = 2 << 10
)

// parseChallenges parses WWW-Authenticate header values (RFC 9110
// section 11.6.1): auth-scheme [ 1*SP ( token68 / #auth-param ) ], a
// comma-separated list of challenges. Parameters' values are tokens or
// quoted strings. It returns an error for anything else, never a guess.
func parseChallenges(values []string) ([]challenge, error) {
	var out []challenge
	for _, v := range values {
		p := &chalParser{s: v}
		for {
			p.skipSpaceCommas()
			if p.done() {
				break
			}
			scheme := p.token()
			if scheme == "" {
				return nil, fmt.Errorf("%w: WWW-Authenticate %q: no scheme at %d", ErrChallenge, clip(v), p.i)
			}
			c := challenge{scheme: strings.ToLower(scheme), params: map[string]string{}}
			// Parameters follow after a space, until the next scheme.
			for {
				save := p.i
				p.skipSpaceCommas()
				if p.done() {
					break
				}
				name := p.token()
				p.skipSpace()
				if name == "" || !p.eat('=') {
					// The next challenge's scheme (or a token68, which no
					// registry scheme uses).
					p.i = save
					if name == "" {
						return nil, fmt.Errorf("%w: WWW-Authenticate %q: unexpected %q at %d", ErrChallenge, clip(v), p.rest(), p.i)
					}
					break
				}
				p.skipSpace()
				val, err := p.value()
				if err != nil {
					return nil, fmt.Errorf("%w: WWW-Authenticate %q: %v", ErrChallenge, clip(v), err)
				}
				if len(c.params) >= maxChallengeParams {
					return nil, fmt.Errorf("%w: WWW-Authenticate %q: more than %d parameters", ErrChallenge, clip(v), maxChallengeParams)
				}
				c.params[strings.ToLower(name)] = val
			}
			out = append(out, c)
		}
	}
	return out, nil
}

type chalParser struct {
	s string
	i int
}

func (p *chalParser) done() bool { return p.i >= len(p.s) }
func (p *chalParser) rest() string {
	r := p.s[p.i:]
	if len(r) > 20 {
		r = r[:20]
	}
	return r
}

func (p *chalParser) skipSpace() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

func (p *chalParser) skipSpaceCommas() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == ',') {
		p.i++
	}
}

func (p *chalParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// tchar is RFC 9110's token character.
func tchar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func (p *chalParser) token() string {
	start := p.i
	for p.i < len(p.s) && tchar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *chalParser) value() (string, error) {
	if !p.eat('"') {
		t := p.token()
		if t == "" {
			return "", fmt.Errorf("a parameter without a value at %d", p.i)
		}
		return t, nil
	}
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			if p.i >= len(p.s) {
				return "", errors.New("a quoted string ends in a backslash")
			}
			c = p.s[p.i]
			p.i++
		}
		if c < 0x20 && c != '\t' || c == 0x7f {
			return "", fmt.Errorf("a control character in a quoted string at %d", p.i-1)
		}
		b.WriteByte(c)
	}
	return "", errors.New("a quoted string without its closing quote")
}

// authorization returns the Authorization header value the host has for
// pulling from repo, or "".
func (h *host) authorization(repo string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.auth == nil {
		return ""
	}
	switch h.auth.scheme {
	case "basic":
		return h.basic
	case "bearer":
		if t, ok := h.tokens[pullScope(repo)]; ok && time.Now().Before(t.expires) {
			return "Bearer " + t.value
		}
	}
	return ""
}

func pullScope(repo string) string { return "repository:" + repo + ":pull" }

// authenticate answers a 401's challenges for pulling from repo: Basic
// with the credentials, Bearer with a token from the realm.
func (c *Client) authenticate(ctx context.Context, h *host, repo string, values []string) error {
	chals, err := parseChallenges(values)
	if err != nil {
		return fmt.Errorf("%s: %w", h.name, err)
	}
	var chal *challenge
	for i := range chals {
		if chals[i].scheme == "bearer" {
			chal = &chals[i]
			break
		}
		if chals[i].scheme == "basic" && chal == nil {
			chal = &chals[i]
		}
	}
	if chal == nil {
		if len(chals) == 0 {
			return fmt.Errorf("%w: %s answered 401 without a WWW-Authenticate challenge", ErrUnauthorized, h.name)
		}
		return fmt.Errorf("%w: %s asks for %q authentication, which registries do not use (want Basic or Bearer)", ErrChallenge, h.name, clip(chals[0].scheme))
	}
	cred, from, err := c.creds.lookup(ctx, h.name, repo)
	if err != nil {
		return err
	}
	switch chal.scheme {
	case "basic":
		if cred.empty() || cred.IdentityToken != "" && cred.Password == "" {
			return fmt.Errorf("%w: %s requires credentials, and none were found (%s)", ErrUnauthorized, h.name, c.creds.where())
		}
		h.mu.Lock()
		h.auth = chal
		h.basic = "Basic " + base64.StdEncoding.EncodeToString([]byte(cred.Username+":"+cred.Password))
		h.mu.Unlock()
		h.setSource(from)
		return nil
	}
	tok, err := c.fetchToken(ctx, h, chal, repo, cred, from)
	if err != nil {
		return err
	}
	h.mu.Lock()
	h.auth = chal
	h.tokens[pullScope(repo)] = tok
	h.mu.Unlock()
	h.setSource(from)
	return nil
}

// setSource remembers where the credentials in use came from, for errors.
func (h *host) setSource(from string) {
	h.mu.Lock()
	h.credFrom = from
	h.mu.Unlock()
}

// fetchToken gets a bearer token from the challenge's realm, for pulling
// from repo: a GET with the credentials as Basic authentication (or
// none), or, for an identity token, an OAuth2 refresh-token POST.
func (c *Client) fetchToken(ctx context.Context, h *host, chal *challenge, repo string, cred Credential, from string) (token, error) {
	realm := chal.params["realm"]
	if realm == "" {
		return token{}, fmt.Errorf("%w: %s's Bearer challenge names no realm", ErrChallenge, h.name)
	}
	if len(realm) > maxRealm {
		return token{}, fmt.Errorf("%w: %s's Bearer realm is longer than %d bytes", ErrChallenge, h.name, maxRealm)
	}
	u, err := url.Parse(realm)
	if err != nil || u.Host == "" || u.User != nil {
		return token{}, fmt.Errorf("%w: %s's Bearer realm %q is not an http(s) URL", ErrChallenge, h.name, clip(realm))
	}
	if err := c.checkURL(u, "token realm"); err != nil {
		return token{}, fmt.Errorf("%w: %s: %v", ErrChallenge, h.name, err)
	}
	if u.Scheme == "http" && h.scheme == "https" {
		return token{}, fmt.Errorf("%w: %s is reached over https, its token realm %s over plain http: refused", ErrChallenge, h.name, clip(u.Redacted()))
	}
	scopes := []string{pullScope(repo)}
	if s := chal.params["scope"]; s != "" && s != scopes[0] {
		scopes = append(scopes, strings.Fields(s)...)
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	var req *http.Request
	if cred.IdentityToken != "" {
		form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {cred.IdentityToken}, "client_id": {c.opts.UserAgent}, "scope": scopes}
		if s := chal.params["service"]; s != "" {
			form.Set("service", s)
		}
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, u.String(), strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		q := u.Query()
		if s := chal.params["service"]; s != "" {
			q.Set("service", s)
		}
		for _, s := range scopes {
			q.Add("scope", s)
		}
		u.RawQuery = q.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err == nil && !cred.empty() {
			req.SetBasicAuth(cred.Username, cred.Password)
		}
	}
	if err != nil {
		return token{}, fmt.Errorf("%w: %s: token request: %v", ErrChallenge, h.name, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := h.client.Do(req)
	if err != nil {
		return token{}, fmt.Errorf("%s: token from %s: %w", h.name, clip(realm), unwrapURL(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxSmallBody+1))
	if err != nil {
		return token{}, fmt.Errorf("%s: token from %s: %w", h.name, clip(realm), err)
	}
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		what := "anonymous access"
		if !cred.empty() {
			what = "the credentials from " + from
		}
		return token{}, fmt.Errorf("%w: %s's token service refused %s (%s)", ErrUnauthorized, h.name, what, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return token{}, fmt.Errorf("%s: token from %s: %s", h.name, clip(realm), resp.Status)
	case len(body) > maxSmallBody:
		return token{}, fmt.Errorf("%s: token from %s: the response is larger than %d bytes", h.name, clip(realm), maxSmallBody)
	}
	var tr struct {
		Token       string `json:"token"`
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tr); err != nil {
		return token{}, fmt.Errorf("%s: token from %s: %v", h.name, clip(realm), err)
	}
	t := tr.Token
	if t == "" {
		t = tr.AccessToken
	}
	if t == "" || strings.ContainsAny(t, "\r\n") {
		return token{}, fmt.Errorf("%s: token from %s: no usable token in the response", h.name, clip(realm))
	}
	// The token specification's default lifetime is 60 seconds; keep a
	// margin, and never trust more than an hour.
	life := time.Duration(tr.ExpiresIn) * time.Second
	if life < 60*time.Second {
		life = 60 * time.Second
	}
	life = min(life, time.Hour) - 10*time.Second
	return token{value: t, expires: time.Now().Add(life)}, nil
}

// statusError turns a response other than 200 into an error, with what a
// distribution error body says.
func statusError(resp *http.Response, u string, h *host, authed bool) error {
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxSmallBody))
	var e struct {
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	detail := ""
	if json.Unmarshal(body, &e) == nil && len(e.Errors) > 0 {
		var parts []string
		for i, x := range e.Errors {
			if i == 3 {
				break
			}
			parts = append(parts, clip(strings.TrimSpace(x.Code+" "+x.Message)))
		}
		detail = ": " + strings.Join(parts, "; ")
	}
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		h.mu.Lock()
		from := h.credFrom
		h.mu.Unlock()
		if authed && from != "" {
			return fmt.Errorf("%w: %s refused the credentials from %s (%s%s)", ErrUnauthorized, h.name, from, resp.Status, detail)
		}
		return fmt.Errorf("%w: %s refused the request (%s%s)", ErrUnauthorized, h.name, resp.Status, detail)
	case http.StatusForbidden:
		return fmt.Errorf("%w: GET %s: %s%s", ErrDenied, u, resp.Status, detail)
	case http.StatusNotFound:
		return fmt.Errorf("%w: GET %s: %s%s", ErrNotFound, u, resp.Status, detail)
	}
	return fmt.Errorf("GET %s: %s%s", u, resp.Status, detail)
}
