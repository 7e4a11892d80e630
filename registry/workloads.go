package registry

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// WorkloadImagesOptions configures [Client.WorkloadImages].
type WorkloadImagesOptions struct {
	// Context ends the lookups; nil means context.Background().
	Context context.Context
	// Platform picks the image of a multi-platform index, as the nodes
	// that run the workloads would ("linux/arm64"); default
	// ociimage.DefaultPlatform().
	Platform string
	// MaxDocumentSize bounds each manifest, index and config; default the
	// loader's (2 MiB).
	MaxDocumentSize int
	// Timeout bounds the lookup of one image (default 60s).
	Timeout time.Duration
}

// WorkloadImages is a [hardening.Checker] that gives Pod subjects the
// image configs of their containers from their registries before its
// checker sees them (see [Client.WorkloadImages]).
type WorkloadImages struct {
	c       *Client
	checker hardening.Checker
	opts    WorkloadImagesOptions
	now     func() time.Time

	mu       sync.Mutex
	byRef    map[string]*lookup // by the reference as written
	byDigest map[string]*config // by the digest of the manifest or index a reference named, and the platform
	errs     []error
}

// config is an image config and its manifest's digest, fetched once by
// the first reference that names its digest; the others wait for done.
type config struct {
	done     chan struct{}
	img      *imagespec.Image
	manifest string
	err      error
}

// lookup is one reference's resolution, shared by every Pod that names it.
type lookup struct {
	done   chan struct{}
	img    *imagespec.Image
	source string
	byTag  bool // resolved by tag: the caveat applies
	err    error
}

// WorkloadImages wraps checker so that each Pod subject it checks carries
// the image configs of its containers, read from their registries now, as
// examples/posture attaches configs from files: verdicts that depend on
// the image's USER (runs as root, runAsNonRoot that cannot hold, low
// uids) then use the image's real USER instead of saying it is unknown.
//
// Only configs are read — the manifest (through an index to the
// platform) and the config blob, verified — never layers, once per
// reference written in the run and once per manifest digest. References
// are read as the kubelet reads them (Docker Hub and :latest implied).
// The credentials are the local user's, as the client finds them; pull
// secrets stored in a cluster are not read. A reference that cannot be
// read (no credentials, unknown tag) leaves its container without a
// config, so checks say what they could not know, as without this
// option; [WorkloadImages.Errors] lists those failures.
//
// A tag resolved now may not be what a node pulled earlier (tags move):
// each finding that rests on an image config resolved by tag says so,
// with the digest the tag named and when. Subject.ContainerImageSources
// records the same for every resolved image.
//
// It is safe for concurrent use, as stream workers use a checker.
func (c *Client) WorkloadImages(checker hardening.Checker, opts WorkloadImagesOptions) *WorkloadImages {
	if opts.Context == nil {
		opts.Context = context.Background()
	}
	if opts.Platform == "" {
		opts.Platform = ociimage.DefaultPlatform()
	}
	if opts.MaxDocumentSize <= 0 {
		opts.MaxDocumentSize = ociimage.DefaultMaxDocumentSize
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 60 * time.Second
	}
	return &WorkloadImages{c: c, checker: checker, opts: opts, now: time.Now,
		byRef: map[string]*lookup{}, byDigest: map[string]*config{}}
}

// Check resolves the images of a Pod subject's containers, then runs the
// wrapped checker.
func (w *WorkloadImages) Check(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Kind != hardening.KindPod || s.Pod == nil {
		return w.checker.Check(s, out)
	}
	images := map[string]*imagespec.Image{}
	sources := map[string]string{}
	byTag := map[string]*lookup{} // container name → its tag lookup
	for c := range s.Containers {
		if c.Image == "" {
			continue
		}
		if _, given := s.ContainerImages[c.Image]; given {
			continue
		}
		l := w.lookup(c.Image)
		if l.err != nil {
			continue
		}
		images[c.Image], sources[c.Image] = l.img, l.source
		if l.byTag {
			byTag[c.Name] = l
		}
	}
	if len(images) > 0 {
		for ref, img := range s.ContainerImages {
			images[ref] = img
		}
		for ref, src := range s.ContainerImageSources {
			sources[ref] = src
		}
		s.ContainerImages, s.ContainerImageSources = images, sources
	}
	start := len(out)
	out = w.checker.Check(s, out)
	if len(byTag) == 0 {
		return out
	}
	imageOf := map[string]string{}
	for c := range s.Containers {
		imageOf[c.Name] = c.Image
	}
	for i := start; i < len(out); i++ {
		f := &out[i]
		l := byTag[f.Container]
		if l == nil || !strings.Contains(f.Message, "its image "+strconv.Quote(imageOf[f.Container])) {
			continue
		}
		f.Message += "; the image config was read from the registry by tag (" + l.source +
			"): a node may have pulled another image under this tag"
	}
	return out
}

// Finish runs the wrapped checker's Finish, if it has one.
func (w *WorkloadImages) Finish() []hardening.Finding {
	if f, ok := w.checker.(interface{ Finish() []hardening.Finding }); ok {
		return f.Finish()
	}
	return nil
}

// Errors returns the lookups that failed, in the order they did.
func (w *WorkloadImages) Errors() []error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.errs)
}

// lookup resolves an image reference once, however many Pods name it.
func (w *WorkloadImages) lookup(ref string) *lookup {
	w.mu.Lock()
	l, ok := w.byRef[ref]
	if !ok {
		l = &lookup{done: make(chan struct{})}
		w.byRef[ref] = l
	}
	w.mu.Unlock()
	if ok {
		<-l.done
		return l
	}
	defer close(l.done)
	l.img, l.source, l.byTag, l.err = w.resolve(ref)
	if l.err != nil {
		w.mu.Lock()
		w.errs = append(w.errs, fmt.Errorf("image %s: %w", ref, l.err))
		w.mu.Unlock()
	}
	return l
}

func (w *WorkloadImages) resolve(ref string) (*imagespec.Image, string, bool, error) {
	r, err := parseReference(ref, true)
	if err != nil {
		return nil, "", false, err
	}
	ctx, cancel := context.WithTimeout(w.opts.Context, w.opts.Timeout)
	defer cancel()
	f, root, err := w.c.Resolve(ctx, r.String(), w.opts.MaxDocumentSize)
	if err != nil {
		return nil, "", false, err
	}
	key := string(root.Digest) + " " + w.opts.Platform
	w.mu.Lock()
	cfg, ok := w.byDigest[key]
	if !ok {
		cfg = &config{done: make(chan struct{})}
		w.byDigest[key] = cfg
	}
	w.mu.Unlock()
	if ok {
		<-cfg.done
	} else {
		cfg.img, cfg.manifest, cfg.err = ociimage.FetchConfig(ctx, &ociimage.Options{Platform: w.opts.Platform, MaxDocumentSize: w.opts.MaxDocumentSize}, f, root)
		close(cfg.done)
	}
	if cfg.err != nil {
		return nil, "", false, cfg.err
	}
	named := cfg.manifest
	if cfg.manifest != string(root.Digest) {
		named = string(root.Digest) + " (" + w.opts.Platform + ": " + cfg.manifest + ")"
	}
	return cfg.img, r.String() + " named " + named + " at " + w.now().UTC().Format(time.RFC3339), r.digest == "", nil
}
