package registry

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

var _ load.Registry = (*Client)(nil)

// The manifest media types the client accepts: OCI's and Docker schema 2's
// manifests and indexes. (Schema 1 is not asked for; a registry that
// answers with it anyway gets the loader's error.)
const (
	mediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerSchema1      = "application/vnd.docker.distribution.manifest.v1+json"
	mediaTypeDockerSchema1JWS   = "application/vnd.docker.distribution.manifest.v1+prettyjws"
)

var manifestAccept = []string{
	imagespec.MediaTypeImageManifest, imagespec.MediaTypeImageIndex,
	mediaTypeDockerManifest, mediaTypeDockerManifestList,
}

// manifestType returns the media type of a manifest response's
// Content-Type when it is one the loader knows, and "" otherwise (the
// loader then reads it from the manifest).
func manifestType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	switch mt {
	case imagespec.MediaTypeImageManifest, imagespec.MediaTypeImageIndex, mediaTypeDockerManifest,
		mediaTypeDockerManifestList, mediaTypeDockerSchema1, mediaTypeDockerSchema1JWS:
		return mt
	}
	return ""
}

// Resolve fetches the manifest or index ref names, within maxManifest
// bytes, checks its digest (the reference's, or the one the registry's
// Docker-Content-Digest header says), and returns its descriptor and a
// fetcher of the image's content that serves the manifest from memory. It
// implements load.Registry.
func (c *Client) Resolve(ctx context.Context, ref string, maxManifest int) (ociimage.Fetcher, imagespec.Descriptor, error) {
	r, err := parseReference(ref, true)
	if err != nil {
		return nil, imagespec.Descriptor{}, err
	}
	if maxManifest <= 0 {
		maxManifest = ociimage.DefaultMaxDocumentSize
	}
	h, err := c.host(r.host)
	if err != nil {
		return nil, imagespec.Descriptor{}, err
	}
	body, resp, err := c.manifest(ctx, h, r.repo, r.target(), int64(maxManifest), -1)
	if err != nil {
		return nil, imagespec.Descriptor{}, err
	}
	alg := "sha256"
	if r.digest != "" {
		alg, _, _ = strings.Cut(r.digest, ":")
	}
	got := digestOf(alg, body)
	switch {
	case r.digest != "" && got != r.digest:
		return nil, imagespec.Descriptor{}, fmt.Errorf("%w: the manifest %s serves has the digest %s", ociimage.ErrDigestMismatch, r.digest, got)
	case r.digest == "":
		if said := resp.Header.Get("Docker-Content-Digest"); said != "" {
			salg, _, _ := strings.Cut(said, ":")
			if salg == "sha256" || salg == "sha512" {
				if d := digestOf(salg, body); d != said {
					return nil, imagespec.Descriptor{}, fmt.Errorf("%w: the registry says tag %s is %s, its manifest's digest is %s", ociimage.ErrDigestMismatch, r.tag, clip(said), d)
				}
			}
		}
	}
	root := imagespec.Descriptor{MediaType: manifestType(resp.Header.Get("Content-Type")), Size: int64(len(body))}
	setDigest(&root.Digest, got)
	return &fetcher{c: c, h: h, repo: r.repo, root: got, rootData: body}, root, nil
}

// manifest fetches a manifest by tag or digest, at most max bytes (and
// exactly size when size is not negative).
func (c *Client) manifest(ctx context.Context, h *host, repo, target string, max, size int64) ([]byte, *http.Response, error) {
	resp, err := c.do(ctx, request{h: h, repo: repo, path: repo + "/manifests/" + target, accept: manifestAccept, small: true})
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > max {
		return nil, nil, fmt.Errorf("%w: the manifest %s is %d bytes, larger than the %d-byte limit (Options.MaxDocumentSize)", ociimage.ErrTooLarge, clip(target), resp.ContentLength, max)
	}
	if size >= 0 && resp.ContentLength >= 0 && resp.ContentLength != size {
		return nil, nil, fmt.Errorf("%w: the manifest %s has Content-Length %d, its descriptor says %d", ociimage.ErrSizeMismatch, clip(target), resp.ContentLength, size)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, nil, fmt.Errorf("manifest %s: %w", clip(target), c.timeoutErr(ctx, true, err))
	}
	if int64(len(body)) > max {
		return nil, nil, fmt.Errorf("%w: the manifest %s is larger than the %d-byte limit (Options.MaxDocumentSize)", ociimage.ErrTooLarge, clip(target), max)
	}
	return body, resp, nil
}

// digestOf returns the digest of data with the algorithm alg (sha256 or
// sha512).
func digestOf(alg string, data []byte) string {
	var h hash.Hash = sha256.New()
	if alg == "sha512" {
		h = sha512.New()
	}
	h.Write(data)
	return alg + ":" + hex.EncodeToString(h.Sum(nil))
}

// setDigest stores s in a digest-typed field without naming its type.
func setDigest[T ~string](dst *T, s string) { *dst = T(s) }

// fetcher fetches the content of one repository for the loader.
type fetcher struct {
	c        *Client
	h        *host
	repo     string
	root     string // the digest of the manifest Resolve fetched,
	rootData []byte // and its bytes
}

// Fetch implements ociimage.Fetcher: manifests from /v2/REPO/manifests/,
// blobs from /v2/REPO/blobs/. A Content-Length other than the
// descriptor's size is an error before a byte is read; a blob whose
// download stalls (less than Options.MinProgress bytes in
// Options.IdleTimeout) ends with an error.
func (f *fetcher) Fetch(ctx context.Context, d imagespec.Descriptor, manifest bool) (io.ReadCloser, error) {
	dg := string(d.Digest)
	if manifest && dg == f.root {
		return io.NopCloser(bytes.NewReader(f.rootData)), nil
	}
	if !validDigest(dg) {
		return nil, fmt.Errorf("malformed digest %q", clip(dg))
	}
	if manifest {
		body, _, err := f.c.manifest(ctx, f.h, f.repo, dg, d.Size, d.Size)
		if err != nil {
			return nil, err
		}
		return io.NopCloser(bytes.NewReader(body)), nil
	}
	ctx, cancel := context.WithCancel(ctx)
	resp, err := f.c.do(ctx, request{h: f.h, repo: f.repo, path: f.repo + "/blobs/" + dg})
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.ContentLength >= 0 && resp.ContentLength != d.Size {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("%w: the registry sends blob %s with Content-Length %d, its descriptor says %d", ociimage.ErrSizeMismatch, dg, resp.ContentLength, d.Size)
	}
	return newProgressBody(resp.Body, cancel, f.c.opts.IdleTimeout, f.c.opts.MinProgress), nil
}

// validDigest checks a digest before it goes into a URL path.
func validDigest(d string) bool {
	alg, hx, _ := strings.Cut(d, ":")
	n := map[string]int{"sha256": 64, "sha512": 128}[alg]
	if n == 0 || len(hx) != n {
		return false
	}
	return strings.Trim(hx, "0123456789abcdef") == ""
}

// ErrStalled is wrapped by the error of a blob download that made too
// little progress (Options.IdleTimeout, Options.MinProgress).
var ErrStalled = errors.New("download stalled")

// progressBody abandons a response body that delivers less than min bytes
// in any window of idle: it cancels the request, and its reads then fail
// with ErrStalled.
type progressBody struct {
	rc     io.ReadCloser
	cancel context.CancelFunc
	idle   time.Duration
	min    int64

	mu      sync.Mutex
	n       int64 // bytes read in the current window
	done    bool  // the body ended or was closed
	timer   *time.Timer
	stalled atomic.Bool
}

func newProgressBody(rc io.ReadCloser, cancel context.CancelFunc, idle time.Duration, min int64) *progressBody {
	b := &progressBody{rc: rc, cancel: cancel, idle: idle, min: min}
	b.mu.Lock()
	b.timer = time.AfterFunc(idle, b.check)
	b.mu.Unlock()
	return b
}

// check ends a window.
func (b *progressBody) check() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return
	}
	if b.n < b.min {
		b.stalled.Store(true)
		b.cancel()
		return
	}
	b.n = 0
	b.timer.Reset(b.idle)
}

func (b *progressBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	b.n += int64(n)
	if err != nil {
		b.done = true
		b.timer.Stop()
	}
	b.mu.Unlock()
	if err != nil && err != io.EOF && b.stalled.Load() {
		err = fmt.Errorf("%w: less than %d bytes in %v (Options.IdleTimeout, Options.MinProgress)", ErrStalled, b.min, b.idle)
	}
	return n, err
}

func (b *progressBody) Close() error {
	b.mu.Lock()
	b.done = true
	b.timer.Stop()
	b.mu.Unlock()
	err := b.rc.Close()
	b.cancel()
	return err
}
