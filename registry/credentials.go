package registry

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Credential is what a registry is logged in with: a user name and
// password (or personal access token), or an identity token.
type Credential struct {
	Username, Password string
	// IdentityToken is an OAuth2 refresh token (docker's identitytoken),
	// exchanged at the registry's token service for bearer tokens.
	IdentityToken string
}

func (c Credential) empty() bool {
	return c.Username == "" && c.Password == "" && c.IdentityToken == ""
}

// Limits on what credential sources may cost.
const (
	maxAuthFile      = 1 << 20
	maxHelperOutput  = 1 << 20
	helperTimeout    = 30 * time.Second
	dockerHubAuthKey = "https://index.docker.io/v1/"
)

// credentials finds and caches the credentials of registries.
type credentials struct {
	anonymous bool
	explicit  func(ctx context.Context, host string) (Credential, bool, error)
	files     []string

	mu    sync.Mutex
	cache map[string]credResult // by host "/" repo
}

type credResult struct {
	cred Credential
	from string
}

func newCredentials(o Options) *credentials {
	files := o.AuthFiles
	if files == nil {
		files = defaultAuthFiles()
	}
	return &credentials{anonymous: o.Anonymous, explicit: o.Credentials, files: files, cache: map[string]credResult{}}
}

// defaultAuthFiles are the credential files podman, skopeo and docker
// read, in the order containers-auth.json(5) gives.
func defaultAuthFiles() []string {
	var out []string
	if f := os.Getenv("REGISTRY_AUTH_FILE"); f != "" {
		out = append(out, f)
	}
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		out = append(out, filepath.Join(d, "containers", "auth.json"))
	}
	home, _ := os.UserHomeDir()
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" && home != "" {
		cfg = filepath.Join(home, ".config")
	}
	if cfg != "" {
		out = append(out, filepath.Join(cfg, "containers", "auth.json"))
	}
	if d := os.Getenv("DOCKER_CONFIG"); d != "" {
		out = append(out, filepath.Join(d, "config.json"))
	} else if home != "" {
		out = append(out, filepath.Join(home, ".docker", "config.json"))
	}
	return out
}

// where says where credentials were looked for, for errors.
func (cs *credentials) where() string {
	if cs.anonymous {
		return "Options.Anonymous is set"
	}
	if len(cs.files) == 0 {
		return "no credential files"
	}
	return "looked in " + strings.Join(cs.files, ", ")
}

// lookup returns the credentials for pulling repo from host, and where
// they came from; empty credentials when there are none.
func (cs *credentials) lookup(ctx context.Context, host, repo string) (Credential, string, error) {
	if cs.anonymous {
		return Credential{}, "", nil
	}
	key := host + "/" + repo
	cs.mu.Lock()
	if r, ok := cs.cache[key]; ok {
		cs.mu.Unlock()
		return r.cred, r.from, nil
	}
	cs.mu.Unlock()
	cred, from, err := cs.find(ctx, host, repo)
	if err != nil {
		return Credential{}, "", err
	}
	cs.mu.Lock()
	cs.cache[key] = credResult{cred, from}
	cs.mu.Unlock()
	return cred, from, nil
}

func (cs *credentials) find(ctx context.Context, host, repo string) (Credential, string, error) {
	if cs.explicit != nil {
		c, ok, err := cs.explicit(ctx, host)
		if err != nil {
			return Credential{}, "", fmt.Errorf("credentials for %s: %w", host, err)
		}
		if ok {
			return c, "Options.Credentials", nil
		}
	}
	for _, f := range cs.files {
		c, ok, err := fileCredential(ctx, f, host, repo)
		if err != nil {
			return Credential{}, "", err
		}
		if ok {
			return c, f, nil
		}
	}
	return Credential{}, "", nil
}

// authFile is docker's config.json and podman's auth.json: the fields
// both have.
type authFile struct {
	Auths       map[string]authEntry `json:"auths"`
	CredsStore  string               `json:"credsStore"`
	CredHelpers map[string]string    `json:"credHelpers"`
}

type authEntry struct {
	Auth          string `json:"auth"`
	Username      string `json:"username"`
	Password      string `json:"password"`
	IdentityToken string `json:"identitytoken"`
}

// fileCredential reads the credentials for repo on host from the file p.
// A missing file holds none; a file that cannot be read or parsed is an
// error, as it is for docker and podman.
func fileCredential(ctx context.Context, p, host, repo string) (Credential, bool, error) {
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return Credential{}, false, nil
	}
	if err != nil {
		return Credential{}, false, fmt.Errorf("credentials: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxAuthFile+1))
	if err != nil {
		return Credential{}, false, fmt.Errorf("credentials: %s: %w", p, err)
	}
	if len(data) > maxAuthFile {
		return Credential{}, false, fmt.Errorf("credentials: %s is larger than %d bytes", p, maxAuthFile)
	}
	var af authFile
	if err := json.Unmarshal(data, &af); err != nil {
		return Credential{}, false, fmt.Errorf("credentials: %s: %w", p, err)
	}
	for k, helper := range af.CredHelpers {
		if authKeyHost(k) == host {
			return helperCredential(ctx, p, helper, host)
		}
	}
	if e, ok := matchAuth(af.Auths, host, repo); ok {
		c, err := e.credential()
		if err != nil {
			return Credential{}, false, fmt.Errorf("credentials: %s: %s: %w", p, host, err)
		}
		if !c.empty() {
			return c, true, nil
		}
	}
	if af.CredsStore != "" {
		return helperCredential(ctx, p, af.CredsStore, host)
	}
	return Credential{}, false, nil
}

// authKeyHost normalizes a key of auths or credHelpers to a registry host
// as references name it: "https://index.docker.io/v1/" is "docker.io",
// "http://registry.example:5000/v2/" is "registry.example:5000". A key
// scoped to a repository ("registry.example/team") keeps its path.
func authKeyHost(k string) string {
	k = strings.TrimPrefix(strings.TrimPrefix(k, "https://"), "http://")
	k = strings.TrimSuffix(k, "/")
	k = strings.TrimSuffix(strings.TrimSuffix(k, "/v1"), "/v2")
	switch k {
	case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com":
		return dockerHub
	}
	return k
}

// matchAuth finds the entry for repo on host: the host itself, or the
// longest repository prefix below it (podman's repository-scoped entries).
func matchAuth(auths map[string]authEntry, host, repo string) (authEntry, bool) {
	full := host + "/" + repo
	best, bestLen := authEntry{}, -1
	for k, e := range auths {
		n := authKeyHost(k)
		switch {
		case n == host:
			if len(n) > bestLen {
				best, bestLen = e, len(n)
			}
		case strings.HasPrefix(full, n) && (len(full) == len(n) || full[len(n)] == '/') && strings.HasPrefix(n, host+"/"):
			if len(n) > bestLen {
				best, bestLen = e, len(n)
			}
		}
	}
	return best, bestLen >= 0
}

// credential decodes an entry: "auth" is base64 of "user:password".
func (e authEntry) credential() (Credential, error) {
	c := Credential{Username: e.Username, Password: e.Password, IdentityToken: e.IdentityToken}
	if e.Auth != "" {
		raw, err := base64.StdEncoding.DecodeString(e.Auth)
		if err != nil {
			return Credential{}, errors.New(`"auth" is not base64`)
		}
		user, pass, ok := strings.Cut(string(raw), ":")
		if !ok {
			return Credential{}, errors.New(`"auth" does not hold "user:password"`)
		}
		c.Username, c.Password = user, pass
	}
	return c, nil
}

// helperCredential runs the credential helper docker-credential-NAME as
// docker does: "get", the registry's server URL on standard input, JSON
// {"Username", "Secret"} on standard output.
func helperCredential(ctx context.Context, file, name, host string) (Credential, bool, error) {
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return Credential{}, false, fmt.Errorf("credentials: %s: credential helper %q: not a helper name", file, clip(name))
		}
	}
	server := host
	if host == dockerHub {
		server = dockerHubAuthKey
	}
	ctx, cancel := context.WithTimeout(ctx, helperTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "docker-credential-"+name, "get")
	cmd.Stdin = strings.NewReader(server)
	var out, errOut limitedBuffer
	out.max, errOut.max = maxHelperOutput, 4<<10
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	msg := strings.TrimSpace(out.String() + " " + errOut.String())
	switch {
	case err != nil && strings.Contains(strings.ToLower(msg), "credentials not found"):
		return Credential{}, false, nil
	case err != nil:
		return Credential{}, false, fmt.Errorf("credentials: %s: docker-credential-%s get %s: %v %s", file, name, server, err, clip(msg))
	case out.over:
		return Credential{}, false, fmt.Errorf("credentials: docker-credential-%s wrote more than %d bytes", name, maxHelperOutput)
	}
	var r struct {
		Username string `json:"Username"`
		Secret   string `json:"Secret"`
	}
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return Credential{}, false, fmt.Errorf("credentials: docker-credential-%s get %s: %w", name, server, err)
	}
	if r.Username == "<token>" {
		return Credential{IdentityToken: r.Secret}, true, nil
	}
	c := Credential{Username: r.Username, Password: r.Secret}
	return c, !c.empty(), nil
}

// limitedBuffer keeps the first max bytes written to it and notes more.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.max - b.Len(); len(p) > room {
		b.over = true
		b.Buffer.Write(p[:max(room, 0)])
		return len(p), nil
	}
	return b.Buffer.Write(p)
}
