package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// Images are read by package ociimage; this is the glue between the walk
// and stream of a run and that package.

// The errors of image reading, re-exported: errors.Is matches either
// package's name.
var (
	// ErrDigestMismatch is wrapped by the error for a blob whose digest is
	// not the one its descriptor or name says.
	ErrDigestMismatch = ociimage.ErrDigestMismatch
	// ErrSizeMismatch is wrapped by the error for a blob whose size is not
	// the one its descriptor says.
	ErrSizeMismatch = ociimage.ErrSizeMismatch
	// ErrUnsupported is wrapped by the errors for what the loader cannot
	// read: unknown media types, Docker schema 1 manifests, artifacts.
	ErrUnsupported = ociimage.ErrUnsupported
	// ErrInvalidLayer is wrapped by the errors for layers that are not a
	// valid tar stream or hold entries that a runtime refuses: names that
	// climb out of the root, bad whiteouts.
	ErrInvalidLayer = ociimage.ErrInvalidLayer
	// ErrNoPlatform is wrapped by the error for a multi-platform image
	// without an image for Options.Platform.
	ErrNoPlatform = ociimage.ErrNoPlatform
	// ErrTooDeep is wrapped by the error for a document nested deeper than
	// Options.MaxDepth.
	ErrTooDeep = ociimage.ErrTooDeep
	// ErrTooLarge is wrapped by the errors for a source or document over its
	// size limit, and for YAML aliases that may expand past it.
	ErrTooLarge = ociimage.ErrTooLarge
)

// MaxZstdWindow is the largest zstd window a layer may ask for (see
// [ociimage.MaxZstdWindow]).
const MaxZstdWindow = ociimage.MaxZstdWindow

// imageOptions are the image reader's options of o.
func imageOptions(o *Options) *ociimage.Options {
	return &ociimage.Options{
		MaxDocumentSize: o.MaxDocumentSize, MaxDepth: o.MaxDepth, Platform: o.Platform, AllPlatforms: o.AllPlatforms,
		MaxLayerSize: o.MaxLayerSize, MaxTotalLayerSize: o.MaxTotalLayerSize, MaxEntries: o.MaxEntries,
		MaxNameLength: o.MaxNameLength, MaxMetadataSize: o.MaxMetadataSize,
		KeepContent: o.KeepContent, MaxKeptContent: o.MaxKeptContent, Progress: o.Progress,
	}
}

// imageSink receives the images of a source one at a time: flush takes
// what the loader's result holds after each image, and ctx says when to
// stop.
type imageSink struct {
	ctx   context.Context
	flush func(r *hardening.Result)
}

func (s *imageSink) oci() *ociimage.Sink {
	if s == nil {
		return nil
	}
	return &ociimage.Sink{Ctx: s.ctx, Flush: s.flush}
}

// loadArchive loads the images of a tar archive read in place.
func loadArchive(opts *Options, r *hardening.Result, source, ref string, ra io.ReaderAt, size int64, walked bool) {
	ociimage.LoadArchive(imageOptions(opts), r, nil, source, ref, ra, size, walked)
}

// loadArchiveTo is loadArchive handing each image to sink, if not nil.
func loadArchiveTo(opts *Options, r *hardening.Result, sink *imageSink, source, ref string, ra io.ReaderAt, size int64, walked bool) {
	ociimage.LoadArchive(imageOptions(opts), r, sink.oci(), source, ref, ra, size, walked)
}

// loadImagePathTo loads a layout directory or an image archive file,
// handing each image to sink if not nil, and reports whether p was one.
// An empty p is an image reference, ref, read through Options.Registry
// (see walker.reference).
func loadImagePathTo(opts *Options, r *hardening.Result, sink *imageSink, source, p, ref string, walked bool) bool {
	if p == "" {
		loadRemote(opts, r, sink, source, ref)
		return true
	}
	return ociimage.LoadPath(imageOptions(opts), r, sink.oci(), source, p, ref, walked)
}

// Registry reads images named by reference, for [Options.Registry]. The
// github.com/bulwarkdev/bulwark/registry module implements it.
type Registry interface {
	// Reference reports whether arg is an image reference the registry
	// client reads, and returns it in full ("docker.io/library/nginx:1.27").
	// A bare argument (explicit false) is one only when it names its
	// registry host and a tag or a digest; after "docker://" (explicit
	// true, the prefix removed) the client may imply what docker pull
	// implies (docker.io, :latest).
	Reference(arg string, explicit bool) (ref string, ok bool)
	// Resolve finds the manifest or index ref names, reading at most
	// maxManifest bytes of it, and returns its descriptor and a Fetcher of
	// the image's content. The loader verifies everything fetched.
	Resolve(ctx context.Context, ref string, maxManifest int) (ociimage.Fetcher, imagespec.Descriptor, error)
}

// loadRemote loads the image ref names through Options.Registry.
func loadRemote(opts *Options, r *hardening.Result, sink *imageSink, source, ref string) {
	ctx := context.Background()
	if sink != nil && sink.ctx != nil {
		ctx = sink.ctx
	}
	if opts.Registry == nil {
		fileError(r, source, errNoRegistry)
		return
	}
	f, root, err := opts.Registry.Resolve(ctx, ref, opts.MaxDocumentSize)
	if err != nil {
		fileError(r, source, err)
		return
	}
	ociimage.LoadFetched(imageOptions(opts), r, sink.oci(), f, source, ref, root)
}

var errNoRegistry = errors.New("an image reference, but no registry client to read it: set load.Options.Registry (the github.com/bulwarkdev/bulwark/registry module)")

// dockerScheme marks an argument as an image reference, never a path.
const dockerScheme = "docker://"

// reference reports whether the walk's argument arg is an image reference
// rather than a path, and hands it on (or reports why it cannot be read).
// The rule (see the package documentation, Image references):
//
//   - "docker://REF" is a reference, always;
//   - otherwise arg is a reference when Options.Registry says it names a
//     registry host and a tag or digest, and no file of that name exists
//     (nor DIR:REF of an existing layout or archive): if one does, arg is
//     ambiguous, an error that says how to write either;
//   - everything else is a path.
func (w *walker) reference(arg string) bool {
	reg := w.opts.Registry
	if rest, ok := strings.CutPrefix(arg, dockerScheme); ok {
		if reg == nil {
			w.h.sourceError(arg, errNoRegistry)
			return true
		}
		ref, ok := reg.Reference(rest, true)
		if !ok {
			w.h.sourceError(arg, fmt.Errorf("not an image reference after %s", dockerScheme))
			return true
		}
		w.h.image(arg, "", ref, false)
		return true
	}
	if reg == nil {
		return false
	}
	ref, ok := reg.Reference(arg, false)
	if !ok {
		return false
	}
	_, err := os.Lstat(arg)
	if _, _, split := splitRef(arg); err == nil || split {
		w.h.sourceError(arg, fmt.Errorf("both a file and an image reference: write ./%s for the file or %s%s for the image", arg, dockerScheme, arg))
		return true
	}
	w.h.image(arg, "", ref, false)
	return true
}

func isLayoutDir(dir string) bool                   { return ociimage.IsLayoutDir(dir) }
func sniffFile(p string) ([]byte, bool)             { return ociimage.SniffFile(p) }
func splitRef(p string) (base, ref string, ok bool) { return ociimage.SplitRef(p) }
func isTar(b []byte) bool                           { return ociimage.IsTar(b) }
func isGzip(b []byte) bool                          { return ociimage.IsGzip(b) }
