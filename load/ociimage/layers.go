package ociimage

import (
	"github.com/bulwarkdev/bulwark/internal/imagefiles"

	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Whiteout names, as the OCI image spec (layer.md) defines them.
const (
	whiteoutPrefix = ".wh."
	whiteoutMeta   = ".wh..wh."
	whiteoutOpaque = ".wh..wh..opq"
)

// merger applies an image's layers, in order, to a tree of the merged
// filesystem. It keeps entry metadata only (and the content Options.KeepContent
// asks for): layers are streamed, never buffered or extracted.
type merger struct {
	opts    *Options
	root    *node
	layers  []string
	entries int    // tar entries seen, and directories they implied, all layers
	meta    int64  // bytes of names, links and xattrs kept
	kept    int64  // bytes of content kept
	budget  *int64 // uncompressed layer bytes left for the whole source, or nil
	// files holds every node that was given a file, in the order it
	// first was: tar entries come about sorted, so contents sorts an
	// almost sorted list instead of walking the tree's maps. Nodes that
	// later left the tree or lost their file stay listed and are skipped.
	files []*node
	// lastDir is the parent of the last node looked up, at lastDirPath
	// ("" for the root); noDirCache turns its use off, for tests.
	lastDir     *node
	lastDirPath string
	noDirCache  bool
}

// node is one path of the merged tree. A node without file is a directory
// that layers imply (a parent of entries) but never list.
type node struct {
	name    string
	hasFile bool
	file    hardening.ImageFile
	layer   int // the layer that last wrote or created the node
	kids    map[string]*node
	// swept is 1 + the last layer whose whiteouts removed everything below
	// the node from lower layers. Nodes created while a layer is read are
	// of that layer, so a sweep holds for the rest of the layer: whiteouts
	// repeated over the same directory cost nothing more.
	swept  int
	listed bool // in merger.files
	gone   bool // removed from the tree, with everything below it
}

func newMerger(opts *Options) *merger {
	return &merger{opts: opts, root: &node{layer: -1}}
}

// cleanEntry turns a tar entry name into an absolute clean path. "./a",
// "a" and "/a" are the same entry; a name that climbs out of the root
// ("../a", "a/../../b") is an error, as runtimes refuse it.
func cleanEntry(name string) (string, error) {
	if strings.IndexByte(name, 0) >= 0 {
		return "", fmt.Errorf("%w: entry name %q holds a NUL byte", ErrInvalidLayer, clip(name))
	}
	rel := strings.TrimLeft(name, "/")
	c := strings.TrimSuffix(rel, "/") // a directory's, as tar writers write it
	if !isClean(c) {
		c = path.Clean(rel)
	}
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("%w: entry %q climbs out of the image root", ErrInvalidLayer, clip(name))
	}
	if c == "." {
		return "/", nil
	}
	return "/" + c, nil
}

// isClean reports whether path.Clean returns the relative name as it is:
// it has no empty, "." or ".." element. Most tar entry names are, and
// telling it costs a fraction of cleaning them.
func isClean(name string) bool {
	for {
		elem, rest, more := strings.Cut(name, "/")
		if elem == "" || elem == "." || elem == ".." {
			return false
		}
		if !more {
			return true
		}
		name = rest
	}
}

// lookup returns the node at p (absolute, clean), creating implicit
// directories for it and its parents in layer index when create is set.
func (m *merger) lookup(p string, index int, create bool) *node {
	n := m.root
	if p == "/" {
		return n
	}
	rest := p[1:]
	// A tar lists a directory's entries together: start from the parent
	// of the last lookup when p is below it and it is still a directory
	// of the tree. A node left in the tree has only directories above it,
	// so the walk from the root would pass the same nodes, changing none.
	if d := m.lastDir; d != nil && !m.noDirCache && len(p) > len(m.lastDirPath)+1 && p[len(m.lastDirPath)] == '/' &&
		strings.HasPrefix(p, m.lastDirPath) && !d.gone && (!d.hasFile || d.file.Mode.IsDir()) {
		n, rest = d, p[len(m.lastDirPath)+1:]
	}
	for rest != "" {
		name := rest
		if i := strings.IndexByte(rest, '/'); i >= 0 {
			name, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
			m.lastDir, m.lastDirPath = n, p[:len(p)-len(name)-1]
		}
		kid := n.kids[name]
		if kid == nil {
			if !create {
				return nil
			}
			if n.kids == nil {
				n.kids = make(map[string]*node)
			}
			kid = &node{name: name, layer: index}
			n.kids[name] = kid
			if rest != "" {
				// A directory implied, never listed: it costs memory like
				// an entry, and one entry may imply thousands.
				m.entries++
			}
		} else if create && rest != "" && kid.hasFile && !kid.file.Mode.IsDir() {
			// A file where a later entry needs a directory: the directory wins.
			kid.hasFile, kid.file, kid.layer = false, hardening.ImageFile{}, index
		}
		n = kid
	}
	return n
}

// removeLower removes from n's subtree every node written by a layer below
// index, keeping the nodes of layer index and their parents: whiteouts
// hide lower layers only, whatever the order of entries in their layer.
// A lower node left with entries of layer index below it becomes a
// directory they imply: its own entry is hidden. removeLower reports
// whether n itself is left empty and from a lower layer.
func removeLower(n *node, index int) bool {
	sweep(n, index)
	if n.layer >= index {
		return false
	}
	if len(n.kids) == 0 {
		return true
	}
	n.hasFile, n.file, n.layer = false, hardening.ImageFile{}, index
	return false
}

// sweep removes from below n every node written by a layer below index.
func sweep(n *node, index int) {
	if n.swept == index+1 {
		return
	}
	for name, kid := range n.kids {
		if removeLower(kid, index) {
			delete(n.kids, name)
			kid.gone = true
		}
	}
	n.swept = index + 1
}

// put records the entry f at p in layer index.
func (m *merger) put(p string, f hardening.ImageFile, index int) {
	n := m.lookup(p, index, true)
	if !f.Mode.IsDir() && n.kids != nil {
		// A file replaces a directory and all below it.
		for _, kid := range n.kids {
			remove(kid)
		}
		n.kids = nil
	}
	n.hasFile, n.file, n.layer = true, f, index
	if !n.listed {
		n.listed = true
		m.files = append(m.files, n)
	}
}

// remove marks n and everything below it as gone from the tree. Each node
// is removed once, so removals cost no more than the entries made them.
func remove(n *node) {
	n.gone = true
	for _, kid := range n.kids {
		remove(kid)
	}
}

// whiteout applies ".wh.<name>" in directory dir.
func (m *merger) whiteout(p string, index int) {
	dir, name := path.Split(p)
	parent := m.lookup(path.Clean(dir), index, false)
	if parent == nil {
		return
	}
	if kid := parent.kids[name]; kid != nil && removeLower(kid, index) {
		delete(parent.kids, name)
		kid.gone = true
	}
}

// opaque applies ".wh..wh..opq" in directory dir: the children of dir
// from lower layers are hidden.
func (m *merger) opaque(dir string, index int) {
	if n := m.lookup(dir, index, false); n != nil {
		sweep(n, index)
	}
}

// fileMode converts a tar header's type and mode into an fs.FileMode.
func fileMode(hdr *tar.Header) fs.FileMode {
	m := fs.FileMode(hdr.Mode & 0o777)
	if hdr.Mode&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if hdr.Mode&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if hdr.Mode&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	switch hdr.Typeflag {
	case tar.TypeReg, tar.TypeRegA, tar.TypeLink, tar.TypeGNUSparse:
	case tar.TypeDir:
		m |= fs.ModeDir
	case tar.TypeSymlink:
		m |= fs.ModeSymlink
	case tar.TypeChar:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case tar.TypeBlock:
		m |= fs.ModeDevice
	case tar.TypeFifo:
		m |= fs.ModeNamedPipe
	default:
		m |= fs.ModeIrregular
	}
	return m
}

// walk reads one layer's tar stream into the tree. id is the layer's
// digest and index its position.
func (m *merger) walk(r io.Reader, index int, id string) error {
	tr := tar.NewReader(r)
	o := m.opts
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if errors.Is(err, tar.ErrHeader) || errors.Is(err, tar.ErrFieldTooLong) || errors.Is(err, tar.ErrInsecurePath) {
				return fmt.Errorf("%w: tar: %v", ErrInvalidLayer, err)
			}
			return fmt.Errorf("tar: %w", err)
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue // PAX global header (git archive writes one): not a file
		}
		m.entries++
		if m.entries > o.MaxEntries {
			return fmt.Errorf("%w: more than %d tar entries in the image (Options.MaxEntries)", ErrTooLarge, o.MaxEntries)
		}
		if len(hdr.Name) > o.MaxNameLength || len(hdr.Linkname) > o.MaxNameLength {
			return fmt.Errorf("%w: entry %q: name or link longer than %d bytes (Options.MaxNameLength)", ErrTooLarge, clip(hdr.Name), o.MaxNameLength)
		}
		p, err := cleanEntry(hdr.Name)
		if err != nil {
			return err
		}
		dir, base := path.Split(p)
		if strings.HasPrefix(base, whiteoutPrefix) {
			switch {
			case base == whiteoutOpaque:
				m.opaque(path.Clean(dir), index)
			case strings.HasPrefix(base, whiteoutMeta):
				// AUFS metadata (.wh..wh.plnk, .wh..wh.aufs): not a file.
			default:
				name := base[len(whiteoutPrefix):]
				if name == "" || name == "." || name == ".." {
					return fmt.Errorf("%w: whiteout %q names no file", ErrInvalidLayer, clip(hdr.Name))
				}
				m.whiteout(dir+name, index)
			}
			continue
		}
		if p == "/" && hdr.Typeflag != tar.TypeDir {
			// containerd ignores it, Docker fails; taken as a file, it
			// would hide every file of the image.
			return fmt.Errorf("%w: entry %q names the image root but is not a directory", ErrInvalidLayer, clip(hdr.Name))
		}
		f := hardening.ImageFile{
			Path:       p,
			Layer:      id,
			LayerIndex: index,
			Mode:       fileMode(hdr),
			UID:        hdr.Uid,
			GID:        hdr.Gid,
			Devmajor:   hdr.Devmajor,
			Devminor:   hdr.Devminor,
		}
		if f.Mode.IsRegular() || f.Mode&fs.ModeIrregular != 0 {
			f.Size = hdr.Size
		}
		cost := int64(len(p))
		switch hdr.Typeflag {
		case tar.TypeSymlink:
			f.Linkname = hdr.Linkname // as written: relative links resolve from the link's directory
		case tar.TypeLink:
			f.Hardlink = true
			// A hard link names an entry of the archive: the same form as
			// entry names. One that climbs out of the root is kept as
			// written, for checks to flag.
			if t, err := cleanEntry(hdr.Linkname); err == nil {
				f.Linkname = t
				if target := m.lookup(t, index, false); target != nil && target.hasFile && target.file.Mode.IsRegular() {
					f.Size, f.Content = target.file.Size, target.file.Content
				}
			} else {
				f.Linkname = hdr.Linkname
			}
		}
		cost += int64(len(f.Linkname))
		for k, v := range hdr.PAXRecords {
			if name, ok := strings.CutPrefix(k, "SCHILY.xattr."); ok {
				if f.Xattrs == nil {
					f.Xattrs = make(map[string]string)
				}
				f.Xattrs[name] = v
				cost += int64(len(k) + len(v))
			}
		}
		m.meta += cost
		if m.meta > o.MaxMetadataSize {
			return fmt.Errorf("%w: the image's paths, links and extended attributes pass %d bytes (Options.MaxMetadataSize)", ErrTooLarge, o.MaxMetadataSize)
		}
		if o.KeepContent != nil && hdr.Typeflag != tar.TypeLink && f.Mode.IsRegular() &&
			hdr.Size <= o.MaxKeptContent-m.kept && o.KeepContent(p, hdr.Size) {
			f.Content = make([]byte, hdr.Size)
			if _, err := io.ReadFull(tr, f.Content); err != nil {
				return fmt.Errorf("tar: %s: %w", p, noEOF(err))
			}
			m.kept += hdr.Size
		} else if hdr.Typeflag != tar.TypeLink && f.Mode.IsRegular() && imagefiles.Wanted(p, hdr.Size) {
			f.ContentUnread = true
		}
		m.put(p, f, index)
		if m.entries > o.MaxEntries {
			return fmt.Errorf("%w: more than %d tar entries and directories they imply in the image (Options.MaxEntries)", ErrTooLarge, o.MaxEntries)
		}
	}
}

func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// contents returns the merged filesystem, sorted by path. It sorts the
// nodes, not their files (large structs), and copies each file once.
func (m *merger) contents() *hardening.ImageContents {
	nodes := m.files[:0] // filtered in place; a node dropped may be listed again
	for _, n := range m.files {
		if n.hasFile && !n.gone {
			nodes = append(nodes, n)
		} else {
			n.listed = false
		}
	}
	clear(m.files[len(nodes):])
	m.files = nodes
	slices.SortFunc(nodes, func(a, b *node) int { return strings.Compare(a.file.Path, b.file.Path) })
	c := &hardening.ImageContents{Layers: m.layers}
	if len(nodes) > 0 {
		c.Files = make([]hardening.ImageFile, len(nodes))
		for i, n := range nodes {
			c.Files[i] = n.file
		}
	}
	return c
}

// countingReader fails once more than max bytes were read through it, or
// once the source's budget is spent, and hashes what it reads when h is
// set.
type countingReader struct {
	r      io.Reader
	n      int64
	max    int64
	budget *int64
	h      hash.Hash
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.n > c.max {
		return 0, fmt.Errorf("%w: the layer is larger than %d bytes uncompressed (Options.MaxLayerSize)", ErrTooLarge, c.max)
	}
	if c.budget != nil {
		if *c.budget -= int64(n); *c.budget < 0 {
			return 0, fmt.Errorf("%w: the layers of this source decompress to more than Options.MaxTotalLayerSize bytes in all", ErrTooLarge)
		}
	}
	if c.h != nil {
		c.h.Write(p[:n])
	}
	return n, err
}

// layerBlob is one layer to read.
type layerBlob struct {
	r         io.Reader // the stored bytes, verified if v is set
	v         *verifier // checks the stored blob's digest and size
	id        string    // the digest recorded in ImageFile.Layer
	mediaType string    // the descriptor's, or "" for a docker-archive layer
	diffID    string    // the config's rootfs.diff_ids entry, checked when cheap or required
	hashDiff  bool      // hash the uncompressed stream to check diffID
}

// MaxZstdWindow is the largest zstd window a layer may ask for: 128 MiB,
// what `zstd --long` writes (window log 27). A zstd decoder holds its
// window in memory, so the window bounds what one layer costs to
// decompress; encoders' defaults use 8 MiB or less. A layer that asks for
// more is an error wrapping [ErrTooLarge].
const MaxZstdWindow = 128 << 20

// newZstd returns a zstd decoder of r with bounded memory: it decodes on
// the calling goroutine (no goroutines of its own), in low-memory mode,
// and refuses windows past MaxZstdWindow. Its memory is the window of the
// frames it reads (allocated once, reused by later layers through a
// pool). Give it back with putZstd when done.
func newZstd(r io.Reader) (*zstd.Decoder, error) {
	if d, ok := zstdDecoders.Get().(*zstd.Decoder); ok {
		if err := d.Reset(r); err == nil {
			return d, nil
		}
		d.Close()
	}
	return zstd.NewReader(r,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxWindow(MaxZstdWindow),
		zstd.WithDecoderMaxMemory(MaxZstdWindow),
		zstd.WithDecodeBuffersBelow(0),
		// The frames' xxhash of their content adds nothing to the blob's
		// digest, which covers the compressed bytes the content is a
		// function of (and a docker-archive layer's content is hashed).
		zstd.IgnoreChecksum(true))
}

// zstdDecoders keeps decoders, with their windows, for later layers; the
// garbage collector empties it.
var zstdDecoders sync.Pool

// putZstd gives a decoder back to the pool, letting go of its reader.
func putZstd(d *zstd.Decoder) {
	if d.Reset(nil) == nil {
		zstdDecoders.Put(d)
	}
}

// blobReaders are the buffered readers layer blobs are read through.
var blobReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// gzipReaders keeps gzip readers (their 32 KiB window and tables) for
// later layers.
var gzipReaders sync.Pool

// newGzip returns a gzip reader of r, reused when one is free. Give it
// back to gzipReaders when done.
func newGzip(r io.Reader) (*gzip.Reader, error) {
	if zr, ok := gzipReaders.Get().(*gzip.Reader); ok {
		if err := zr.Reset(r); err != nil {
			gzipReaders.Put(zr)
			return nil, err
		}
		return zr, nil
	}
	return gzip.NewReader(r)
}

// zstdErr names the zstd decoder's errors; a window past MaxZstdWindow is
// a limit hit.
func zstdErr(err error) error {
	if errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded) {
		return fmt.Errorf("%w: zstd: the layer needs a window larger than %d bytes (MaxZstdWindow)", ErrTooLarge, MaxZstdWindow)
	}
	return fmt.Errorf("zstd: %w", err)
}

// scan streams one layer blob into the tree: verify, decompress, walk the
// tar, then read to the end so the trailing bytes are verified too. The
// compression is told by the blob's first bytes (gzip, zstd, or none), as
// containerd tells it, whatever the media type says.
func (m *merger) scan(l layerBlob, index int) error {
	br := blobReaders.Get().(*bufio.Reader)
	br.Reset(l.r)
	defer func() {
		br.Reset(nil)
		blobReaders.Put(br)
	}()
	if l.v != nil {
		// The blob is hashed beside its decompression, on a second
		// goroutine; its digest is still checked before scan returns.
		defer l.v.hashAside()()
	}
	magic, _ := br.Peek(4) // a short or empty blob is the tar reader's to report
	var (
		stream     io.Reader = br
		compressed string
	)
	switch {
	case isZstd(magic):
		zr, err := newZstd(br)
		if err != nil {
			return zstdErr(readErr(l, err))
		}
		defer putZstd(zr)
		stream, compressed = &namedReader{r: zr, name: "zstd"}, "zstd"
	case IsGzip(magic):
		zr, err := newGzip(br)
		if err != nil {
			return fmt.Errorf("gzip: %w", readErr(l, err))
		}
		defer gzipReaders.Put(zr)
		stream, compressed = &namedReader{r: zr, name: "gzip"}, "gzip"
	}
	cr := &countingReader{r: stream, max: m.opts.MaxLayerSize, budget: m.budget}
	if l.hashDiff && l.diffID != "" {
		h, err := newHash(l.diffID)
		if err != nil {
			return fmt.Errorf("rootfs.diff_ids[%d]: %w", index, err)
		}
		cr.h = h
	}
	m.layers = append(m.layers, l.id)
	if err := m.walk(cr, index, l.id); err != nil {
		return decompressErr(compressed, readErr(l, err))
	}
	// What follows the tar's end (padding, a gzip trailer, zstd frames) is
	// part of the blob.
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return decompressErr(compressed, readErr(l, err))
	}
	if l.v != nil {
		if _, err := io.Copy(io.Discard, br); err != nil {
			return err
		}
		if err := l.v.finish(); err != nil {
			return err
		}
	}
	switch {
	case cr.h != nil:
		alg, _, _ := strings.Cut(l.diffID, ":")
		if got := alg + ":" + fmt.Sprintf("%x", cr.h.Sum(nil)); got != l.diffID {
			return fmt.Errorf("%w: the uncompressed layer's digest is %s, rootfs.diff_ids[%d] says %s", ErrDigestMismatch, got, index, l.diffID)
		}
	case compressed == "" && l.v != nil && l.diffID != "" && l.diffID != l.id:
		return fmt.Errorf("%w: the layer is uncompressed, so its digest %s should be rootfs.diff_ids[%d], which says %s", ErrDigestMismatch, l.id, index, l.diffID)
	}
	return nil
}

// namedReader names its decompressor in the errors it returns, so that
// the tar reader's "unexpected EOF" says which stream ended early.
type namedReader struct {
	r    io.Reader
	name string
}

func (n *namedReader) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%s: %w", n.name, err)
	}
	return k, err
}

// decompressErr makes a zstd window past MaxZstdWindow a limit hit.
func decompressErr(compressed string, err error) error {
	if compressed == "zstd" && (errors.Is(err, zstd.ErrWindowSizeExceeded) || errors.Is(err, zstd.ErrDecoderSizeExceeded)) {
		return zstdErr(err)
	}
	return err
}

// readErr prefers the verifier's verdict: a truncated or altered blob is
// reported as such, not as the decompressor's or tar reader's confusion.
// The rest of the blob is read to tell (at most its descriptor's size).
func readErr(l layerBlob, err error) error {
	if l.v == nil || errors.Is(err, ErrSizeMismatch) || errors.Is(err, ErrDigestMismatch) {
		return err
	}
	if verr := l.v.finish(); verr != nil {
		return verr
	}
	return err
}
