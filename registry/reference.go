package registry

import (
	"errors"
	"fmt"
	"strings"

	"github.com/bulwarkdev/bulwark/images"
)

// Docker Hub: its name in references and its API host.
const (
	dockerHub    = "docker.io"
	dockerHubAPI = "registry-1.docker.io"
)

// reference is an image reference the client reads.
type reference struct {
	host   string // "registry.example", "localhost:5000", "docker.io"
	repo   string // "shop/api", "library/nginx"
	tag    string // "1.4", or "" with a digest
	digest string // "sha256:…", or ""
}

// String renders the reference in full: host/repo[:tag][@digest].
func (r reference) String() string {
	s := r.host + "/" + r.repo
	if r.tag != "" {
		s += ":" + r.tag
	}
	if r.digest != "" {
		s += "@" + r.digest
	}
	return s
}

// target is what the manifest is fetched by: the digest when there is one
// (as runtimes pull it, whatever tag is written beside it), else the tag.
func (r reference) target() string {
	if r.digest != "" {
		return r.digest
	}
	return r.tag
}

var (
	errNoHost = errors.New("names no registry host (a first component with a dot or a colon, or localhost)")
	errNoTag  = errors.New("names neither a tag nor a digest")
)

// parseReference reads an image reference with the grammar of
// [images.ParseImageRef]. Without explicit it must name its registry host
// and a tag or a digest; with explicit (after docker://) Docker Hub and
// the tag latest are implied, as docker pull implies them.
func parseReference(s string, explicit bool) (reference, error) {
	ir, err := images.ParseImageRef(s)
	if err != nil {
		return reference{}, err
	}
	r := reference{host: ir.Domain, repo: ir.Path, tag: ir.Tag, digest: ir.Digest}
	if r.host == "" {
		if !explicit {
			return reference{}, fmt.Errorf("image reference %q %w", s, errNoHost)
		}
		r.host = dockerHub
	}
	if !validHost(r.host) {
		return reference{}, fmt.Errorf("image reference %q: %q is not a registry host", s, r.host)
	}
	switch r.host {
	case "index.docker.io", dockerHubAPI:
		r.host = dockerHub
	}
	if r.host == dockerHub && !strings.Contains(r.repo, "/") {
		r.repo = "library/" + r.repo
	}
	if r.tag == "" && r.digest == "" {
		if !explicit {
			return reference{}, fmt.Errorf("image reference %q %w (write :latest to mean it)", s, errNoTag)
		}
		r.tag = "latest"
	}
	if r.digest != "" {
		if alg, _, _ := strings.Cut(r.digest, ":"); alg != "sha256" && alg != "sha512" {
			return reference{}, fmt.Errorf("image reference %q: digest algorithm %q is not supported (sha256, sha512)", s, alg)
		}
	}
	return r, nil
}

// validHost checks a registry host as the distribution reference grammar
// has it: DNS labels of letters, digits and inner hyphens separated by
// dots, or a bracketed IPv6 address, with an optional port. ("." and ".."
// are not hosts: "./x:1" is a path.)
func validHost(h string) bool {
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 2 {
			return false
		}
		rest := h[end+1:]
		return rest == "" || rest[0] == ':' && allDigits(rest[1:])
	}
	name := h
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		name = h[:i]
		if !allDigits(h[i+1:]) {
			return false
		}
	}
	if name == "" || len(name) > 253 {
		return false
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func allDigits(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Reference reports whether arg is an image reference the client reads,
// and returns it in full ("docker.io/library/nginx:1.27"). A bare argument
// (explicit false) must name its registry host and a tag or a digest;
// after docker:// (explicit, the prefix removed) Docker Hub and the tag
// latest are implied. It implements load.Registry, whose documentation
// gives the whole rule that tells references from paths.
func (c *Client) Reference(arg string, explicit bool) (string, bool) {
	r, err := parseReference(arg, explicit)
	if err != nil {
		return "", false
	}
	return r.String(), true
}
