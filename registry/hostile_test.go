package registry

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// hostileOptions are short limits, so that every hostile case ends fast
// by the client's own bounds (the test's context is far longer).
func hostileOptions(host string) Options {
	return Options{
		PlainHTTP:      []string{host},
		AuthFiles:      []string{},
		IdleTimeout:    300 * time.Millisecond,
		MinProgress:    1024,
		RequestTimeout: 2 * time.Second,
		Retries:        -1,
	}
}

// audit reads ref through a client with opts, within a 20-second context.
func audit(t *testing.T, opts Options, ref string, lopts load.Options) *hardening.Result {
	t.Helper()
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	lopts.Registry = c
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &hardening.Result{}
	if _, err := bulwarkStream(ctx, lopts, ref, r); err != nil {
		t.Fatalf("stream: %v", err)
	}
	return r
}

// bulwarkStream is load's stream without checks.
func bulwarkStream(ctx context.Context, opts load.Options, ref string, r *hardening.Result) (hardening.Summary, error) {
	in, err := load.Open(opts, ref)
	if err != nil {
		return hardening.Summary{}, err
	}
	defer in.Close()
	return in.Stream(ctx, nil, nil, hardening.Collect(r))
}

// Every misbehaviour of a registry is one bounded, clear error for the
// reference, never a hang, a panic or a clean image.
func TestHostileRegistries(t *testing.T) {
	img := testImage("v1")
	// A layer whose tar ends before its blob does: bytes after the end of
	// the archive are part of the blob and of its digest.
	padded, err := imagetest.TarLayer([]imagetest.Entry{{Name: "a", Content: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	padded = append(padded, make([]byte, 4096)...)
	img.Layers = append(img.Layers, imagetest.Layer{Blob: padded})
	var lay *imagetest.Layout
	manifest := func() imagespec.Descriptor { return lay.Images[0].Descriptor }
	layer := func(i int) imagespec.Descriptor { return lay.Images[0].Layers[i] }
	blobPath := func(d imagespec.Descriptor) string { return "/blobs/" + string(d.Digest) }
	manifestPath := func(d imagespec.Descriptor) string { return "/manifests/" + string(d.Digest) }
	var written atomic.Int64 // bytes a hostile handler wrote

	tests := []struct {
		name string
		ref  string // default "HOST/app:v1"
		// handle answers instead of the registry when it returns true.
		handle func(w http.ResponseWriter, r *http.Request) bool
		opts   func(o *Options)
		is     error
		want   string
	}{
		{name: "huge manifest without Content-Length",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/manifests/v1") {
					return false
				}
				w.Header().Set("Content-Type", imagespec.MediaTypeImageManifest)
				chunk := bytes.Repeat([]byte(" "), 64<<10)
				for range 150 << 20 / len(chunk) {
					n, err := w.Write(chunk)
					written.Add(int64(n))
					if err != nil {
						break
					}
				}
				return true
			},
			is: ociimage.ErrTooLarge, want: "the manifest v1 is larger than the 2097152-byte limit"},
		{name: "huge manifest with Content-Length",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/manifests/v1") {
					return false
				}
				w.Header().Set("Content-Length", strconv.Itoa(150<<20))
				w.WriteHeader(http.StatusOK)
				return true
			},
			is: ociimage.ErrTooLarge, want: "the manifest v1 is 157286400 bytes, larger than the 2097152-byte limit"},
		{name: "wrong blob digest after the end of the tar",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(2))) {
					return false
				}
				b := bytes.Clone(padded)
				b[len(b)-1] = 1 // in the padding after the archive's end
				w.Write(b)
				return true
			},
			is: ociimage.ErrDigestMismatch, want: "layer 2 sha256:"},
		{name: "redirect loop",
			handle: redirectBlobs("", http.StatusTemporaryRedirect),
			want:   "more than 5 redirects (Options.MaxRedirects)"},
		{name: "redirect to instance metadata",
			handle: redirectBlobs("http://169.254.169.254/latest/meta-data/", http.StatusFound),
			want:   "redirect to 169.254.169.254 refused: a link-local or cloud metadata address"},
		{name: "redirect to a metadata name",
			handle: redirectBlobs("http://metadata.google.internal/computeMetadata/v1/", http.StatusFound),
			want:   "redirect to metadata.google.internal refused"},
		{name: "Content-Length larger than the descriptor",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(0))) {
					return false
				}
				w.Header().Set("Content-Length", strconv.FormatInt(layer(0).Size+1000, 10))
				w.WriteHeader(http.StatusOK)
				return true
			},
			is: ociimage.ErrSizeMismatch, want: "with Content-Length"},
		{name: "Content-Length smaller than the descriptor",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(0))) {
					return false
				}
				w.Header().Set("Content-Length", "10")
				w.WriteHeader(http.StatusOK)
				w.Write(make([]byte, 10))
				return true
			},
			is: ociimage.ErrSizeMismatch, want: "Content-Length 10, its descriptor says"},
		{name: "Content-Length true, body cut short",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(2))) {
					return false
				}
				w.Header().Set("Content-Length", strconv.Itoa(len(padded)))
				w.WriteHeader(http.StatusOK)
				w.Write(padded[:len(padded)/2])
				panic(http.ErrAbortHandler) // drop the connection
			},
			want: "layer 2 sha256:"},
		{name: "no Content-Length, longer body",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(2))) {
					return false
				}
				w.(http.Flusher).Flush() // chunked: no Content-Length
				w.Write(append(bytes.Clone(padded), make([]byte, 512)...))
				return true
			},
			is: ociimage.ErrSizeMismatch, want: "larger than the"},
		{name: "slow drip blob",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, blobPath(layer(0))) {
					return false
				}
				w.Header().Set("Content-Length", strconv.FormatInt(layer(0).Size, 10))
				for range layer(0).Size {
					if _, err := w.Write([]byte{0x1f}); err != nil {
						return true
					}
					w.(http.Flusher).Flush()
					select {
					case <-time.After(50 * time.Millisecond):
					case <-r.Context().Done():
						return true
					}
				}
				return true
			},
			is: ErrStalled, want: "less than 1024 bytes in 300ms"},
		{name: "slow drip manifest",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/manifests/v1") {
					return false
				}
				for {
					if _, err := w.Write([]byte(" ")); err != nil {
						return true
					}
					w.(http.Flusher).Flush()
					select {
					case <-time.After(50 * time.Millisecond):
					case <-r.Context().Done():
						return true
					}
				}
			},
			opts: func(o *Options) { o.RequestTimeout = 500 * time.Millisecond },
			is:   context.DeadlineExceeded, want: "(Options.RequestTimeout 500ms)"},
		{name: "headers never come",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				<-r.Context().Done()
				return true
			},
			opts: func(o *Options) { o.ResponseTimeout = 300 * time.Millisecond },
			want: "timeout awaiting response headers"},
		{name: "index answered for its child: itself",
			ref: "HOST/app@INDEX",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				idx := lay.Images[1].Descriptor
				if strings.HasSuffix(r.URL.Path, manifestPath(lay.Images[1].Index[0].Descriptor)) {
					r.URL.Path = strings.TrimSuffix(r.URL.Path, manifestPath(lay.Images[1].Index[0].Descriptor)) + manifestPath(idx)
				}
				return false
			},
			is: ociimage.ErrSizeMismatch, want: "manifest sha256:"},
		{name: "unknown tag",
			ref: "HOST/app:v2",
			is:  ErrNotFound, want: "404 Not Found: MANIFEST_UNKNOWN manifest unknown"},
		{name: "manifest digest not the reference's",
			ref: "HOST/app@" + imagetest.Digest([]byte("other")),
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.Contains(r.URL.Path, "/manifests/sha256:") {
					return false
				}
				r.URL.Path = r.URL.Path[:strings.LastIndex(r.URL.Path, "/")+1] + string(manifest().Digest)
				return false
			},
			is: ociimage.ErrDigestMismatch, want: "has the digest " + "sha256:"},
		{name: "Docker-Content-Digest not the manifest's",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				if strings.HasSuffix(r.URL.Path, "/manifests/v1") {
					w.Header().Set("Docker-Content-Digest", imagetest.Digest([]byte("other")))
				}
				return false
			},
			is: ociimage.ErrDigestMismatch, want: "the registry says tag v1 is"},
		{name: "server error",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				http.Error(w, "boom", http.StatusInternalServerError)
				return true
			},
			want: "500 Internal Server Error"},
		{name: "too many requests, for good",
			handle: func(w http.ResponseWriter, r *http.Request) bool {
				w.Header().Set("Retry-After", "0")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return true
			},
			opts: func(o *Options) { o.Retries = 2 },
			want: "429 Too Many Requests"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var host string
			lay, host = serve(t, func(w http.ResponseWriter, r *http.Request) bool {
				return tt.handle != nil && tt.handle(w, r)
			}, img, imagetest.Image{Ref: "multi", Index: []imagetest.Image{testImage("")}})
			opts := hostileOptions(host)
			if tt.opts != nil {
				tt.opts(&opts)
			}
			ref := tt.ref
			if ref == "" {
				ref = "HOST/app:v1"
			}
			ref = strings.ReplaceAll(strings.ReplaceAll(ref, "HOST", host), "INDEX", string(lay.Images[1].Descriptor.Digest))
			written.Store(0)
			r := audit(t, opts, ref, load.Options{})
			if len(r.Subjects) != 0 || len(r.Errors) != 1 {
				t.Fatalf("want one error, got subjects %d, errors %v", len(r.Subjects), r.Errors)
			}
			e := r.Errors[0]
			if e.Source != ref {
				t.Errorf("error source %q, want %q", e.Source, ref)
			}
			if !strings.Contains(e.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", e, tt.want)
			}
			if tt.is != nil && !errors.Is(e, tt.is) {
				t.Errorf("error %q is not %v", e, tt.is)
			}
			if n := written.Load(); n > 32<<20 {
				t.Errorf("the client took %d bytes of a hostile response", n)
			}
		})
	}
}

// A redirect from https to plain http is refused, and so is a token realm
// that leads to a metadata address or is not http(s), or a challenge that
// cannot be parsed.
func TestHostileChallenges(t *testing.T) {
	manyParams := ""
	for i := range 20 {
		manyParams += fmt.Sprintf("p%d=v,", i)
	}
	tests := []struct {
		name, header string
		is           error
		want         string
	}{
		{"no header", "", ErrUnauthorized, "answered 401 without a WWW-Authenticate challenge"},
		{"bearer without realm", "Bearer", ErrChallenge, "Bearer challenge names no realm"},
		{"empty realm", `Bearer realm=""`, ErrChallenge, "Bearer challenge names no realm"},
		{"unterminated realm", `Bearer realm="http://x`, ErrChallenge, "a quoted string without its closing quote"},
		{"value missing", `Bearer realm=`, ErrChallenge, "a parameter without a value"},
		{"garbage", `Bearer ,,, "x"`, ErrChallenge, "unexpected"},
		{"control character", "Bearer realm=\"http://x/\x01\"", nil, "malformed MIME header"},
		{"metadata realm", `Bearer realm="http://169.254.169.254/token"`, ErrChallenge, "token realm to 169.254.169.254 refused"},
		{"metadata realm by name", `Bearer realm="https://metadata.google.internal/token"`, ErrChallenge, "token realm to metadata.google.internal refused"},
		{"file realm", `Bearer realm="file:///etc/passwd"`, ErrChallenge, `is not an http(s) URL`},
		{"realm with user", `Bearer realm="https://u:p@example.com/token"`, ErrChallenge, `is not an http(s) URL`},
		{"huge realm", `Bearer realm="https://` + strings.Repeat("a", 5000) + `/"`, ErrChallenge, "longer than 2048 bytes"},
		{"too many parameters", "Bearer " + manyParams + "realm=x", ErrChallenge, "more than 16 parameters"},
		{"negotiate", "Negotiate abc", ErrChallenge, `asks for "negotiate" authentication`},
		{"basic without credentials", `Basic realm="x"`, ErrUnauthorized, "requires credentials, and none were found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, host := serve(t, func(w http.ResponseWriter, r *http.Request) bool {
				if tt.header != "" {
					w.Header().Set("WWW-Authenticate", tt.header)
				}
				w.WriteHeader(http.StatusUnauthorized)
				return true
			}, testImage("v1"))
			r := audit(t, hostileOptions(host), host+"/app:v1", load.Options{})
			if len(r.Errors) != 1 {
				t.Fatalf("errors %v", r.Errors)
			}
			if e := r.Errors[0]; tt.is != nil && !errors.Is(e, tt.is) || !strings.Contains(e.Error(), tt.want) {
				t.Errorf("error %q, want %v and %q", e, tt.is, tt.want)
			}
		})
	}

	// https to http.
	lay, err := imagetest.WriteLayout(t.TempDir()+"/lay", testImage("v1"))
	if err != nil {
		t.Fatal(err)
	}
	plain := httptest.NewServer(&fakeRegistry{lay: lay})
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(&fakeRegistry{lay: lay, override: func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(r.URL.Path, "/blobs/") {
			http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusFound)
			return true
		}
		return false
	}})
	defer tlsSrv.Close()
	opts := hostileOptions("")
	opts.PlainHTTP = nil
	opts.RootCAs = poolOf(tlsSrv.Certificate())
	r := audit(t, opts, strings.TrimPrefix(tlsSrv.URL, "https://")+"/app:v1", load.Options{})
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "redirect to plain http") {
		t.Errorf("https to http: %v", r.Errors)
	}
}

// Indexes nested past the loader's limit, and indexes that name the same
// index many times, are bounded.
func TestHostileIndexes(t *testing.T) {
	deep := testImage("")
	for range 10 {
		deep = imagetest.Image{Index: []imagetest.Image{deep}}
	}
	deep.Ref = "deep"
	_, host := serve(t, nil, deep)
	for _, all := range []bool{false, true} {
		r := audit(t, hostileOptions(host), host+"/app:deep", load.Options{AllPlatforms: all, Platform: "linux/amd64"})
		if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ociimage.ErrTooDeep) {
			t.Errorf("all platforms %v: errors %v", all, r.Errors)
		}
	}
}

func TestGuardDial(t *testing.T) {
	for addr, blocked := range map[string]bool{
		"169.254.169.254:80": true, "[fe80::1]:443": true, "[fd00:ec2::254]:80": true, "100.100.100.200:80": true,
		"127.0.0.1:5000": false, "10.0.0.1:443": false, "[::1]:5000": false,
	} {
		if err := guardDial("tcp", addr, nil); (err != nil) != blocked {
			t.Errorf("%s: %v, want blocked %v", addr, err, blocked)
		}
	}
}

func poolOf(certs ...*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}

// The run's context ends a download the registry drips, whatever the
// client's own timeouts.
func TestCancelDuringDownload(t *testing.T) {
	started := make(chan struct{}, 1)
	_, host := serve(t, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/blobs/") {
			return false
		}
		select {
		case started <- struct{}{}:
		default:
		}
		for { // chunked, endless: only the context ends it
			if _, err := w.Write(make([]byte, 2048)); err != nil {
				return true
			}
			w.(http.Flusher).Flush()
			select {
			case <-time.After(10 * time.Millisecond):
			case <-r.Context().Done():
				return true
			}
		}
	}, testImage("v1"))
	opts := hostileOptions(host)
	opts.IdleTimeout = time.Hour // only the context can end it
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := bulwarkStream(ctx, load.Options{Registry: c}, host+"/app:v1", &hardening.Result{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("stream: %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the stream did not end when its context did")
	}
}

// redirectBlobs is a handler that redirects every blob request to target
// (to itself when target is empty) with code, and leaves the rest to the
// registry.
func redirectBlobs(target string, code int) func(http.ResponseWriter, *http.Request) bool {
	return func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "/blobs/") {
			return false
		}
		to := target
		if to == "" {
			to = r.URL.Path
		}
		http.Redirect(w, r, to, code)
		return true
	}
}
