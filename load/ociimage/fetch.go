package ociimage

import (
	"context"
	"fmt"
	"io"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
)

// A Fetcher gets the content descriptors name from wherever an image is
// kept: a registry (the github.com/bulwarkdev/bulwark/registry module
// implements one), a content store, a cache.
//
// The loader verifies everything a Fetcher returns — size and digest
// against the descriptor, read to its end, manifests and configs within
// Options.MaxDocumentSize — so a Fetcher need not. It asks for each
// blob once, in order, and streams layers: nothing is held but what the
// loader keeps.
type Fetcher interface {
	// Fetch opens the content d names: a manifest or index when manifest
	// is set (d.MediaType is what the referring index says, possibly
	// empty), a config or layer blob otherwise. d.Digest is well formed
	// (sha256 or sha512 in lower-case hex) and d.Size is not negative.
	// The caller closes the reader. An error should say what was fetched
	// from where; ctx ends the fetch.
	Fetch(ctx context.Context, d imagespec.Descriptor, manifest bool) (io.ReadCloser, error)
}

// A Provenancer is a Fetcher that also says what is attached to an image
// where it is kept: signatures, attestations, SBOMs. LoadFetched asks it
// for every image it loads, with the digest of the image's manifest, and
// sets Subject.ImageProvenance to the answer; an error leaves it nil
// (unknown).
type Provenancer interface {
	Provenance(ctx context.Context, manifest string) (*hardening.ImageProvenance, error)
}

// LoadFetched loads the image whose manifest or index root describes,
// fetching its content from f, into r, handing it to sink if not nil. An
// index is resolved to the image for Options.Platform, or with
// Options.AllPlatforms to every image it holds, each its own subject
// named "<name> (<os>/<arch>[/<variant>])". Subjects are named name,
// with Source name and ImageRef ref; errors name the source name.
func LoadFetched(opts *Options, r *hardening.Result, sink *Sink, f Fetcher, name, ref string, root imagespec.Descriptor) {
	o := opts.WithDefaults()
	l := &imageLoader{opts: &o, source: name, r: r, fetch: f, sink: sink}
	defer l.flush()
	defer func() {
		if v := recover(); v != nil {
			l.failSource(fmt.Errorf("internal error: image reader panicked: %v", v))
		}
	}()
	if _, err := newHash(string(root.Digest)); err != nil {
		l.failSource(err)
		return
	}
	plat, err := parsePlatform(o.Platform)
	if err != nil {
		l.failSource(err)
		return
	}
	if err := l.canceled(); err != nil {
		l.failSource(err)
		return
	}
	l.entry(0, root, name, "", ref, plat)
}

// FetchConfig reads only the config of the image root describes (an index
// resolved to Options.Platform), verified as LoadFetched verifies it, and
// reads no layer. It returns the config and the digest of the image's
// manifest. ctx ends the fetching.
func FetchConfig(ctx context.Context, opts *Options, f Fetcher, root imagespec.Descriptor) (_ *imagespec.Image, manifest string, err error) {
	o := opts.WithDefaults()
	l := &imageLoader{opts: &o, fetch: f, r: &hardening.Result{}, sink: &Sink{Ctx: ctx}}
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("internal error: image reader panicked: %v", v)
		}
	}()
	if _, err := newHash(string(root.Digest)); err != nil {
		return nil, "", err
	}
	plat, err := parsePlatform(o.Platform)
	if err != nil {
		return nil, "", err
	}
	d, mt, err := l.resolvePlatform(root, plat)
	if err != nil {
		return nil, "", err
	}
	_, img, _, err := l.config(d, mt)
	if err != nil {
		return nil, "", err
	}
	return img, string(d.Digest), nil
}
