package images

import (
	"errors"
	"strconv"
	"strings"
)

// ImageRef is an image reference split into its parts, as a container
// runtime reads it:
//
//	[domain[:port]/]path[:tag][@algorithm:digest]
//
// Every part is a substring of the parsed reference, so parsing does not
// allocate. A reference with a digest is pinned: runtimes pull the digest
// and ignore the tag written next to it.
type ImageRef struct {
	// Domain is the registry host with its port ("localhost:5000",
	// "registry.example"), empty when the reference names none (Docker Hub
	// is implied).
	Domain string
	// Path is the repository path within the registry ("library/nginx",
	// "team/app").
	Path string
	// Tag is the tag without its colon, empty when none is written.
	Tag string
	// Digest is the digest without its @ ("sha256:…"), empty when none is
	// written.
	Digest string
}

// Pinned reports whether the reference names its content by digest.
func (r ImageRef) Pinned() bool { return r.Digest != "" }

// Mutable reports whether what the reference names can change: it has no
// digest, so the registry may serve other content under the tag tomorrow.
func (r ImageRef) Mutable() bool { return r.Digest == "" }

// Latest reports whether the reference is unpinned and its tag is "latest"
// or missing, which runtimes read as "latest".
func (r ImageRef) Latest() bool { return r.Digest == "" && (r.Tag == "" || r.Tag == "latest") }

// Errors returned by [ParseImageRef], wrapped with the reference.
var (
	ErrEmptyReference = errors.New("empty image reference")
	ErrInvalidName    = errors.New("invalid repository name")
	ErrInvalidTag     = errors.New("invalid tag")
	ErrInvalidDigest  = errors.New("invalid digest")
)

// ParseImageRef splits an image reference into its parts. It follows the
// grammar of the distribution project's reference package (what Docker,
// containerd and CRI-O accept) without normalizing: "nginx" has no Domain
// and the Path "nginx", not "docker.io/library/nginx".
//
// The first path component is the domain when it contains a dot or a
// colon, or is "localhost": "localhost:5000/app" has Domain
// "localhost:5000", "team/app" has none. A tag is the part after the last
// colon that follows the last slash, so a registry port is never mistaken
// for a tag. A reference may hold both a tag and a digest
// ("app:1.2@sha256:…"). Repository paths must be lower case; sha256 and
// sha512 digests must have the right number of lower-case hex digits.
func ParseImageRef(s string) (ImageRef, error) {
	var r ImageRef
	if s == "" {
		return r, ErrEmptyReference
	}
	name := s
	if at := strings.IndexByte(s, '@'); at >= 0 {
		name, r.Digest = s[:at], s[at+1:]
		if !validDigest(r.Digest) {
			return ImageRef{}, &ImageRefError{Ref: s, Err: ErrInvalidDigest}
		}
	}
	if colon := strings.LastIndexByte(name, ':'); colon > strings.LastIndexByte(name, '/') {
		name, r.Tag = name[:colon], name[colon+1:]
		if !validTag(r.Tag) {
			return ImageRef{}, &ImageRefError{Ref: s, Err: ErrInvalidTag}
		}
	}
	r.Path = name
	if slash := strings.IndexByte(name, '/'); slash >= 0 {
		if first := name[:slash]; first == "localhost" || strings.ContainsAny(first, ".:") {
			r.Domain, r.Path = first, name[slash+1:]
			if !validDomain(r.Domain) {
				return ImageRef{}, &ImageRefError{Ref: s, Err: ErrInvalidName}
			}
		}
	}
	if !validPath(r.Path) {
		return ImageRef{}, &ImageRefError{Ref: s, Err: ErrInvalidName}
	}
	return r, nil
}

// ImageRefError is a reference [ParseImageRef] cannot read.
type ImageRefError struct {
	// Ref is the reference as written.
	Ref string
	// Err is one of the Err… values of this package.
	Err error
}

// Error renders "image reference "x": err".
func (e *ImageRefError) Error() string {
	return "image reference " + strconv.Quote(e.Ref) + ": " + e.Err.Error()
}

// Unwrap returns one of the Err… values of this package.
func (e *ImageRefError) Unwrap() error { return e.Err }

// validPath checks path components: lower-case letters and digits separated
// by ".", "_", "__" or runs of "-".
func validPath(p string) bool {
	if p == "" {
		return false
	}
	for comp := range strings.SplitSeq(p, "/") {
		if comp == "" || !alnum(comp[0]) || !alnum(comp[len(comp)-1]) {
			return false
		}
		for i := 0; i < len(comp); i++ {
			c := comp[i]
			switch {
			case alnum(c):
			case c == '.' || c == '-':
				if c == '.' && !alnum(comp[i+1]) {
					return false
				}
			case c == '_':
				if comp[i+1] == '_' {
					i++
				}
				if !alnum(comp[i+1]) {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// validDomain checks a host name or IPv4 address with an optional numeric
// port. (Bracketed IPv6 hosts are accepted as written.)
func validDomain(d string) bool {
	host := d
	if strings.HasPrefix(d, "[") {
		end := strings.IndexByte(d, ']')
		if end < 0 {
			return false
		}
		d = d[end+1:]
		if d == "" {
			return true
		}
		if d[0] != ':' {
			return false
		}
		return digits(d[1:])
	}
	if colon := strings.IndexByte(d, ':'); colon >= 0 {
		host = d[:colon]
		if !digits(d[colon+1:]) {
			return false
		}
	}
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(alnum(c) || 'A' <= c && c <= 'Z' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validTag checks [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
func validTag(t string) bool {
	if t == "" || len(t) > 128 || t[0] == '.' || t[0] == '-' {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(alnum(c) || 'A' <= c && c <= 'Z' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// validDigest checks algorithm:encoded as the OCI image spec defines it,
// with exact lengths for sha256 and sha512.
func validDigest(d string) bool {
	alg, enc, ok := strings.Cut(d, ":")
	if !ok || alg == "" || enc == "" {
		return false
	}
	for i := 0; i < len(alg); i++ {
		c := alg[i]
		if !(alnum(c) || (c == '+' || c == '.' || c == '_' || c == '-') && i > 0 && i < len(alg)-1) {
			return false
		}
	}
	switch alg {
	case "sha256", "sha512":
		if alg == "sha256" && len(enc) != 64 || alg == "sha512" && len(enc) != 128 {
			return false
		}
		for i := 0; i < len(enc); i++ {
			if c := enc[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(enc); i++ {
		c := enc[i]
		if !(alnum(c) || 'A' <= c && c <= 'Z' || c == '=' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
