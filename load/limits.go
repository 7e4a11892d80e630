package load

import (
	"github.com/bulwarkdev/bulwark/internal/jsondepth"

	"bytes"
	"fmt"

	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// DefaultPlatform is the platform picked from multi-platform indexes when
// Options.Platform is empty: "linux/" + runtime.GOARCH.
func DefaultPlatform() string { return ociimage.DefaultPlatform() }

// Default limits; see [Options].
const (
	DefaultMaxFileSize     int64 = 64 << 20
	DefaultMaxDocumentSize       = ociimage.DefaultMaxDocumentSize
	DefaultMaxDepth              = ociimage.DefaultMaxDepth

	DefaultMaxLayerSize = ociimage.DefaultMaxLayerSize
	// DefaultMaxTotalLayerSize bounds the work one layout or archive can
	// cause: many manifests naming the same large layer read it each time.
	DefaultMaxTotalLayerSize = ociimage.DefaultMaxTotalLayerSize
	DefaultMaxEntries        = ociimage.DefaultMaxEntries
	DefaultMaxNameLength     = ociimage.DefaultMaxNameLength
	DefaultMaxMetadataSize   = ociimage.DefaultMaxMetadataSize
	DefaultMaxKeptContent    = ociimage.DefaultMaxKeptContent
)

// Options bounds the loader. The zero value means the defaults; a field
// that is zero or negative takes its default.
type Options struct {
	// MaxFileSize is the largest file (or standard input, or Bytes input)
	// read, in bytes; default 64 MiB. A larger source is one
	// [hardening.DocumentError] with Document -1. Files are read through an
	// io.LimitReader, so a file that grows, or a device that never ends,
	// costs no more than this.
	MaxFileSize int64
	// MaxDocumentSize is the largest YAML or JSON document, in bytes;
	// default 2 MiB (Kubernetes objects stop at about 1.5 MiB, the etcd
	// limit; decoding YAML costs ~250 ms per MiB). It also bounds a YAML document's size once its
	// aliases are expanded (see the package documentation).
	MaxDocumentSize int
	// MaxDepth is the deepest nesting of maps and arrays in a document;
	// default 100. The deepest real manifests nest about 15 levels.
	MaxDepth int

	// Platform selects the image of a multi-platform index, as
	// "os/architecture" or "os/architecture/variant" ("linux/arm64/v8");
	// default "linux/" + runtime.GOARCH. An image manifest named directly
	// by a layout, an archive or a reference is loaded whatever its
	// platform.
	Platform string
	// AllPlatforms loads every image of a multi-platform index, each its
	// own subject named after the image with its platform in parentheses
	// ("registry.example/app:1 (linux/arm64)"), instead of the one for
	// Platform. Entries of platform unknown/unknown (BuildKit's
	// attestation manifests) are no images and are left out.
	AllPlatforms bool
	// Registry reads images named by reference ("registry.example/app:1",
	// "…@sha256:…") wherever paths are accepted; nil reads none (see
	// Image references in the package documentation for the rule that
	// tells references from paths). The github.com/bulwarkdev/bulwark/registry
	// module implements it, so that importing the loader never pulls in a
	// registry client.
	Registry Registry
	// MaxLayerSize is the most uncompressed bytes read from one layer,
	// counted while streaming; default 8 GiB. A layer that decompresses to
	// more (a gzip or zstd bomb) is an error for its image.
	MaxLayerSize int64
	// MaxTotalLayerSize is the most uncompressed layer bytes read from one
	// layout or archive, over all its images and layers; default 64 GiB.
	// It bounds the time a hostile index can cost by naming the same large
	// layer thousands of times; what exceeds it is an error for the image
	// being read.
	MaxTotalLayerSize int64
	// MaxEntries is the most tar entries read for one image, over all its
	// layers (whiteouts included, and the directories entries imply
	// without listing them, which cost memory like entries), and the most
	// entries indexed in an image archive; default 1,000,000.
	MaxEntries int
	// MaxNameLength is the longest entry name or link target in a layer,
	// in bytes; default 4096 (Linux's PATH_MAX).
	MaxNameLength int
	// MaxMetadataSize bounds what the merged filesystem of one image
	// holds in memory besides kept content: the bytes of its paths, link
	// targets and extended attributes; default 256 MiB.
	MaxMetadataSize int64
	// KeepContent says whether to keep the content of a regular file of a
	// layer in hardening.ImageFile.Content; path is absolute and clean
	// ("/etc/passwd") and size its size. Nil keeps what bulwark's image
	// content checks read (images.WantsContent). Content is read only while
	// the image's kept bytes stay within MaxKeptContent; a file that does
	// not fit is listed without content. A file the content checks read
	// whose content was not kept, by this function's choice or for want of
	// room, is listed in the subject's Unobserved paths: the checks give no
	// verdict on it rather than "nothing found".
	KeepContent func(path string, size int64) bool
	// MaxKeptContent is the most file content kept for one image, over all
	// its layers, in bytes; default 1 MiB.
	MaxKeptContent int64

	// Progress, when set, is told how the reading of each image's layers
	// goes, every few MiB (see [TerminalProgress]); it may be called from
	// several goroutines at once, one image each.
	Progress func(Progress)

	// Workers is the number of documents a stream ([Inputs.Stream])
	// decodes and checks at once; default runtime.GOMAXPROCS(0). The
	// output is the same whatever the number.
	Workers int
}

func (o Options) withDefaults() Options {
	if o.MaxFileSize <= 0 {
		o.MaxFileSize = DefaultMaxFileSize
	}
	// The other limits are the image reader's too: its defaults are the
	// one place that says them.
	im := imageOptions(&o).WithDefaults()
	o.MaxDocumentSize, o.MaxDepth, o.Platform = im.MaxDocumentSize, im.MaxDepth, im.Platform
	o.MaxLayerSize, o.MaxTotalLayerSize, o.MaxEntries = im.MaxLayerSize, im.MaxTotalLayerSize, im.MaxEntries
	o.MaxNameLength, o.MaxMetadataSize = im.MaxNameLength, im.MaxMetadataSize
	o.KeepContent, o.MaxKeptContent = im.KeepContent, im.MaxKeptContent
	return o
}

// jsonDepth returns the deepest nesting of objects and arrays in the JSON
// text b, stopping as soon as it passes max (see [jsondepth.Depth]).
func jsonDepth(b []byte, max int) int { return jsondepth.Depth(b, max) }

// isAnchorChar reports whether c may appear in a YAML anchor or alias name
// as go.yaml.in/yaml/v2 scans it (its is_alpha: [0-9A-Za-z_-]).
func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

// aliasExpansion returns an upper bound of the size of the YAML document
// doc once its aliases are expanded, or an error once the bound passes
// limit.
//
// go.yaml.in/yaml/v2 refuses documents whose alias expansion visits too
// many nodes ("billion laughs"), but it counts nodes, not bytes: a 1 MiB
// scalar aliased a thousand times passes its check and
// sigs.k8s.io/yaml.YAMLToJSON then writes a gigabyte of JSON. This bound
// closes that gap without parsing YAML:
//
//   - Every "&name" in doc is taken as a possible anchor and every "*name"
//     as a possible alias (names as yaml/v2 scans them). This finds every
//     real anchor and alias, and possibly some that are only text inside
//     scalars or comments; those only make the bound larger.
//   - An alias's node starts at an anchor of its name before the alias, at
//     the earliest one at the latest, and ends before the alias (a node
//     that contains an alias to itself is an error in yaml/v2). So the
//     alias expands to at most the expanded text between the earliest
//     anchor of its name and the alias itself.
//
// The bound is exact enough for hand-written manifests with a few
// anchors; a document with many aliases to one anchor far above them may
// be refused although it would expand modestly: the error says so.
func aliasExpansion(doc []byte, limit int64) (int64, error) {
	size := int64(len(doc))
	if bytes.IndexByte(doc, '*') < 0 {
		return size, nil // no alias, nothing expands
	}
	var (
		extra   int64            // bytes added by the aliases seen so far
		anchors map[string]int64 // name -> expanded offset of its earliest anchor
	)
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c != '&' && c != '*' {
			continue
		}
		j := i + 1
		for j < len(doc) && isAnchorChar(doc[j]) {
			j++
		}
		if j == i+1 {
			continue
		}
		name := doc[i+1 : j]
		at := int64(i) + extra // offset of this token in the expanded text
		if c == '&' {
			if anchors == nil {
				anchors = make(map[string]int64)
			}
			if _, seen := anchors[string(name)]; !seen {
				anchors[string(name)] = at
			}
		} else if start, ok := anchors[string(name)]; ok {
			extra += at - start
			if size+extra > limit {
				return size + extra, fmt.Errorf("YAML aliases may expand the document past %d bytes (a conservative estimate; expand the aliases by hand or raise MaxDocumentSize)", limit)
			}
		}
		i = j - 1
	}
	return size + extra, nil
}

// yamlFlowDepth returns the deepest nesting of YAML flow collections ([…]
// and {…}) in doc, stopping as soon as it passes max. It is a cheap first
// pass that keeps deeply nested documents away from the YAML parser, whose
// cost grows with depth; the exact check runs on the decoded document. It
// skips comments and quoted scalars that start where a scalar can start,
// which is enough for the brackets of real documents: a bracket it counts
// wrongly only makes it reject early a document the exact check would
// reject anyway, or pass one to that check.
func yamlFlowDepth(doc []byte, max int) int {
	depth, deepest := 0, 0
	var quote byte // the quote of the quoted scalar we are in, or 0
	prev := byte('\n')
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if quote != 0 {
			switch {
			case quote == '"' && c == '\\':
				i++ // skip the escaped character
				c = 'x'
			case c == quote:
				if quote == '\'' && i+1 < len(doc) && doc[i+1] == '\'' {
					i++ // '' is an escaped quote
				} else {
					quote = 0
				}
			}
			prev = c
			continue
		}
		tokenStart := prev == '\n' || prev == ' ' || prev == '\t' || prev == '[' || prev == '{' || prev == ',' || prev == ':'
		switch {
		case c == '#' && (prev == '\n' || prev == ' ' || prev == '\t'):
			for i < len(doc) && doc[i] != '\n' {
				i++
			}
			c = '\n'
		case (c == '"' || c == '\'') && tokenStart:
			quote = c
		case c == '[' || c == '{':
			depth++
			if depth > deepest {
				deepest = depth
				if deepest > max {
					return deepest
				}
			}
		case (c == ']' || c == '}') && depth > 0:
			depth--
		}
		prev = c
	}
	return deepest
}
