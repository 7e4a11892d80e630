package load

import (
	"context"
	"io"

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
		MaxDocumentSize: o.MaxDocumentSize, MaxDepth: o.MaxDepth, Platform: o.Platform,
		MaxLayerSize: o.MaxLayerSize, MaxTotalLayerSize: o.MaxTotalLayerSize, MaxEntries: o.MaxEntries,
		MaxNameLength: o.MaxNameLength, MaxMetadataSize: o.MaxMetadataSize,
		KeepContent: o.KeepContent, MaxKeptContent: o.MaxKeptContent,
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
func loadImagePathTo(opts *Options, r *hardening.Result, sink *imageSink, source, p, ref string, walked bool) bool {
	return ociimage.LoadPath(imageOptions(opts), r, sink.oci(), source, p, ref, walked)
}

func isLayoutDir(dir string) bool                   { return ociimage.IsLayoutDir(dir) }
func sniffFile(p string) ([]byte, bool)             { return ociimage.SniffFile(p) }
func splitRef(p string) (base, ref string, ok bool) { return ociimage.SplitRef(p) }
func isTar(b []byte) bool                           { return ociimage.IsTar(b) }
func isGzip(b []byte) bool                          { return ociimage.IsGzip(b) }
