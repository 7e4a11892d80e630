package ociimage

import (
	"errors"
	"runtime"

	"github.com/bulwarkdev/bulwark/internal/imagefiles"
)

// DefaultPlatform is the platform picked from multi-platform indexes when
// Options.Platform is empty: "linux/" + runtime.GOARCH.
func DefaultPlatform() string { return "linux/" + runtime.GOARCH }

// Default limits; see [Options].
const (
	DefaultMaxDocumentSize         = 2 << 20
	DefaultMaxDepth                = 100
	DefaultMaxLayerSize      int64 = 8 << 30
	DefaultMaxTotalLayerSize int64 = 64 << 30
	DefaultMaxEntries              = 1_000_000
	DefaultMaxNameLength           = 4096
	DefaultMaxMetadataSize   int64 = 256 << 20
	DefaultMaxKeptContent    int64 = 1 << 20
)

// Options bounds what reading images costs. The zero value means the
// defaults; a field that is zero or negative takes its default. The fields
// are those of load.Options with the same names, which documents them.
type Options struct {
	// MaxDocumentSize bounds every JSON file and blob: oci-layout,
	// index.json, manifests, indexes, configs, manifest.json.
	MaxDocumentSize int
	// MaxDepth is the deepest nesting of maps and arrays in those.
	MaxDepth int
	// Platform selects the image of a multi-platform index:
	// "os/architecture[/variant]".
	Platform string
	// AllPlatforms loads every image of a multi-platform index, each its
	// own subject, instead of the one for Platform.
	AllPlatforms bool
	// MaxLayerSize bounds each layer's uncompressed bytes.
	MaxLayerSize int64
	// MaxTotalLayerSize bounds the uncompressed layer bytes of one source.
	MaxTotalLayerSize int64
	// MaxEntries bounds the tar entries of one image (and the entries of
	// an image archive).
	MaxEntries int
	// MaxNameLength bounds every entry name and link target.
	MaxNameLength int
	// MaxMetadataSize bounds the names, links and extended attributes one
	// image's contents hold.
	MaxMetadataSize int64
	// KeepContent says which files' content to keep; nil keeps what
	// bulwark's image content checks read.
	KeepContent func(path string, size int64) bool
	// MaxKeptContent bounds the file content kept for one image.
	MaxKeptContent int64
	// Progress, when set, is told how the reading of an image's layers
	// goes (see [Progress]); it may be called from several goroutines at
	// once, one image each.
	Progress func(Progress)
}

// WithDefaults returns o with every unset field at its default.
func (o Options) WithDefaults() Options {
	if o.MaxDocumentSize <= 0 {
		o.MaxDocumentSize = DefaultMaxDocumentSize
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.Platform == "" {
		o.Platform = DefaultPlatform()
	}
	if o.MaxLayerSize <= 0 {
		o.MaxLayerSize = DefaultMaxLayerSize
	}
	if o.MaxTotalLayerSize <= 0 {
		o.MaxTotalLayerSize = DefaultMaxTotalLayerSize
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxNameLength <= 0 {
		o.MaxNameLength = DefaultMaxNameLength
	}
	if o.MaxMetadataSize <= 0 {
		o.MaxMetadataSize = DefaultMaxMetadataSize
	}
	if o.KeepContent == nil {
		o.KeepContent = imagefiles.Wanted
	}
	if o.MaxKeptContent <= 0 {
		o.MaxKeptContent = DefaultMaxKeptContent
	}
	return o
}

// Errors wrapped by the errors of this package. load re-exports them under
// the same names: errors.Is matches either.
var (
	// ErrTooLarge is wrapped by the errors for a limit hit.
	ErrTooLarge = errors.New("too large")
	// ErrTooDeep is wrapped by the error for JSON nested deeper than
	// Options.MaxDepth, and for indexes nested more than 8 deep.
	ErrTooDeep = errors.New("nested too deeply")
	// ErrDigestMismatch is wrapped by the error for a blob whose digest is
	// not the one its descriptor or name says.
	ErrDigestMismatch = errors.New("digest mismatch")
	// ErrSizeMismatch is wrapped by the error for a blob whose size is not
	// the one its descriptor says.
	ErrSizeMismatch = errors.New("size mismatch")
	// ErrUnsupported is wrapped by the errors for what the loader cannot
	// read: unknown media types, Docker schema 1 manifests, artifacts.
	ErrUnsupported = errors.New("unsupported")
	// ErrInvalidLayer is wrapped by the errors for layers that are not a
	// valid tar stream or hold entries that a runtime refuses: names that
	// climb out of the root, bad whiteouts.
	ErrInvalidLayer = errors.New("invalid layer")
	// ErrNoPlatform is wrapped by the error for a multi-platform image
	// without an image for Options.Platform.
	ErrNoPlatform = errors.New("no image for platform")
)
