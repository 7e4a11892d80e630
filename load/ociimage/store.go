package ociimage

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// store is where the files of an image layout or archive live: a layout
// directory, or a tar archive indexed once. Names are slash-separated,
// relative and clean ("index.json", "blobs/sha256/<hex>").
type store interface {
	// open opens the regular file name and returns its size.
	open(name string) (io.ReadCloser, int64, error)
	// exists reports whether name is a regular file (after links).
	exists(name string) bool
}

// dirStore is an image layout directory, opened as an [os.Root]: a
// symbolic link may lead anywhere inside the layout, never out of it, so a
// hostile layout cannot make the loader read (or report the size and
// digest of) a file elsewhere.
type dirStore struct{ root *os.Root }

// openDirStore opens the layout directory dir; close it when done.
func openDirStore(dir string) (dirStore, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return dirStore{}, err
	}
	return dirStore{root}, nil
}

func (s dirStore) close() error { return s.root.Close() }

func (s dirStore) open(name string) (io.ReadCloser, int64, error) {
	p := filepath.FromSlash(name)
	// Stat before opening: opening a FIFO would block.
	fi, err := s.root.Stat(p)
	if err != nil {
		return nil, 0, openErr(name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("open %s: not a regular file", name)
	}
	f, err := s.root.Open(p)
	if err != nil {
		return nil, 0, openErr(name, err)
	}
	// What was opened may not be what was checked.
	if fi, err = f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("open %s: not a regular file", name)
	}
	return f, fi.Size(), nil
}

// openErr names the store's file, not the path on disk.
func openErr(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("open %s: %w", name, err)
}

func (s dirStore) exists(name string) bool {
	fi, err := s.root.Stat(filepath.FromSlash(name))
	return err == nil && fi.Mode().IsRegular()
}

// tarStore is a tar archive read in place: one pass over its headers
// records where every file's data lies, and files are then read through
// io.SectionReaders. Nothing is extracted and no data is buffered.
type tarStore struct {
	ra      io.ReaderAt
	entries map[string]tarEntry
}

type tarEntry struct {
	off, size int64
	link      string // target of a symbolic or hard link, as a store name
	hard      bool
}

// offsetReader reads an io.ReaderAt sequentially and seeks, so that
// archive/tar skips file data without reading it and the offset of each
// entry's data is known.
type offsetReader struct {
	ra        io.ReaderAt
	off, size int64
}

func (r *offsetReader) Read(p []byte) (int, error) {
	if r.off >= r.size {
		return 0, io.EOF
	}
	if rest := r.size - r.off; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := r.ra.ReadAt(p, r.off)
	r.off += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

func (r *offsetReader) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += r.off
	case io.SeekEnd:
		offset += r.size
	default:
		return r.off, errors.New("seek: bad whence")
	}
	if offset < 0 {
		return r.off, errors.New("seek: negative position")
	}
	r.off = offset
	return offset, nil
}

// indexTar reads the headers of the tar archive in ra (size bytes).
func indexTar(ra io.ReaderAt, size int64, opts Options) (*tarStore, error) {
	or := &offsetReader{ra: ra, size: size}
	tr := tar.NewReader(or)
	s := &tarStore{ra: ra, entries: make(map[string]tarEntry)}
	var names int64 // bytes of names and links held
	for n := 0; ; n++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			return s, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the archive: %w", err)
		}
		if n >= opts.MaxEntries {
			return nil, fmt.Errorf("%w: more than %d entries in the archive (Options.MaxEntries)", ErrTooLarge, opts.MaxEntries)
		}
		if len(hdr.Name) > opts.MaxNameLength || len(hdr.Linkname) > opts.MaxNameLength {
			return nil, fmt.Errorf("%w: an entry name or link is longer than %d bytes (Options.MaxNameLength)", ErrTooLarge, opts.MaxNameLength)
		}
		if names += int64(len(hdr.Name) + len(hdr.Linkname)); names > opts.MaxMetadataSize {
			return nil, fmt.Errorf("%w: the archive's entry names pass %d bytes (Options.MaxMetadataSize)", ErrTooLarge, opts.MaxMetadataSize)
		}
		name, ok := archiveName(hdr.Name)
		if !ok {
			continue // the root, or a name outside it: never a file we read
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeRegA:
			if hdr.Size > size-or.off {
				return nil, fmt.Errorf("reading the archive: %s: %w", name, io.ErrUnexpectedEOF)
			}
			s.entries[name] = tarEntry{off: or.off, size: hdr.Size}
		case tar.TypeSymlink:
			target := hdr.Linkname
			if !strings.HasPrefix(target, "/") {
				target = path.Join(path.Dir(name), target)
			}
			if t, ok := archiveName(target); ok {
				s.entries[name] = tarEntry{link: t}
			}
		case tar.TypeLink:
			if t, ok := archiveName(hdr.Linkname); ok {
				s.entries[name] = tarEntry{link: t, hard: true}
			}
		default:
			delete(s.entries, name) // a later directory or device replaces a file
		}
	}
}

// archiveName cleans an entry name of an image archive; ok is false for
// the root and for names that climb out of it.
func archiveName(name string) (string, bool) {
	c := path.Clean(strings.TrimLeft(name, "/"))
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

func (s *tarStore) lookup(name string) (tarEntry, error) {
	for range 16 {
		e, ok := s.entries[name]
		if !ok {
			return tarEntry{}, fmt.Errorf("open %s: %w", name, fs.ErrNotExist)
		}
		if e.link == "" {
			return e, nil
		}
		name = e.link
	}
	return tarEntry{}, fmt.Errorf("open %s: too many links", name)
}

func (s *tarStore) open(name string) (io.ReadCloser, int64, error) {
	e, err := s.lookup(name)
	if err != nil {
		return nil, 0, err
	}
	return io.NopCloser(io.NewSectionReader(s.ra, e.off, e.size)), e.size, nil
}

func (s *tarStore) exists(name string) bool {
	_, err := s.lookup(name)
	return err == nil
}

// IsTar reports whether b (at least the first 512 bytes of a file) starts
// with a ustar, GNU or PAX tar header with a valid checksum.
func IsTar(b []byte) bool {
	if len(b) < 512 {
		return false
	}
	h := b[:512]
	if !bytes.Equal(h[257:262], []byte("ustar")) {
		return false
	}
	var want int64
	for _, c := range h[148:156] {
		if c >= '0' && c <= '7' {
			want = want*8 + int64(c-'0')
		} else if c != ' ' && c != 0 {
			return false
		}
	}
	var sum int64
	for i, c := range h {
		if i >= 148 && i < 156 {
			c = ' '
		}
		sum += int64(c)
	}
	return sum == want
}

// IsGzip reports whether b starts like a gzip stream.
func IsGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }
func isZstd(b []byte) bool {
	return len(b) >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd
}

// newHash returns the hash of a digest's algorithm after checking that
// the digest is well formed: "sha256:" and 64, or "sha512:" and 128,
// lowercase hex digits. A well-formed digest is a safe file name.
func newHash(digest string) (hash.Hash, error) {
	alg, hex, ok := strings.Cut(digest, ":")
	var h hash.Hash
	var n int
	switch alg {
	case "sha256":
		h, n = sha256.New(), 64
	case "sha512":
		h, n = sha512.New(), 128
	default:
		if !ok {
			return nil, fmt.Errorf("malformed digest %q", clip(digest))
		}
		return nil, fmt.Errorf("%w digest algorithm %q", ErrUnsupported, clip(alg))
	}
	if len(hex) != n || strings.Trim(hex, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("malformed digest %q", clip(digest))
	}
	return h, nil
}

// clip shortens hostile strings quoted in errors.
func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}

// verifier checks a blob's size and digest while it is read. It reads at
// most one byte past the expected size, and its final Read returns the
// mismatch instead of io.EOF.
type verifier struct {
	r      io.Reader
	h      summer
	n      int64
	size   int64
	digest string
	done   bool
	err    error // the result once done
}

func newVerifier(r io.Reader, digest string, size int64) (*verifier, error) {
	h, err := newHash(digest)
	if err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, fmt.Errorf("negative size %d", size)
	}
	limit := size + 1 // one byte more tells a longer blob
	if limit < 0 {
		limit = size // size is math.MaxInt64: no blob is longer
	}
	return &verifier{r: io.LimitReader(r, limit), h: h, size: size, digest: digest}, nil
}

func (v *verifier) Read(p []byte) (int, error) {
	if v.done {
		return 0, v.err
	}
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if v.n > v.size {
		v.done, v.err = true, fmt.Errorf("%w: the blob is larger than the %d bytes its descriptor says", ErrSizeMismatch, v.size)
		return 0, v.err
	}
	if err == io.EOF {
		v.done, v.err = true, v.check()
		if v.err == nil {
			v.err = io.EOF
		}
		return n, v.err
	}
	return n, err
}

func (v *verifier) check() error {
	if v.n != v.size {
		return fmt.Errorf("%w: the blob is %d bytes, its descriptor says %d", ErrSizeMismatch, v.n, v.size)
	}
	alg, _, _ := strings.Cut(v.digest, ":")
	if got := alg + ":" + fmt.Sprintf("%x", v.h.Sum(nil)); got != v.digest {
		return fmt.Errorf("%w: the blob's digest is %s", ErrDigestMismatch, got)
	}
	return nil
}

// finish reads v to its end and returns the verdict.
func (v *verifier) finish() error {
	_, err := io.Copy(io.Discard, v)
	return err
}

// hashAside moves v's hashing to a goroutine of its own (a pipedHash)
// until stop is called, which ends that goroutine; v must not be read
// after stop. The verdict is the same: every byte is hashed, in order,
// and v's last Read (or finish) still waits for the digest. With one
// processor, or a blob that fits in one chunk, there is nothing to gain,
// and v hashes as it reads.
func (v *verifier) hashAside() (stop func()) {
	if runtime.GOMAXPROCS(0) < 2 || v.size <= pipeChunkSize {
		return func() {}
	}
	p := newPipedHash(v.h)
	v.h = p
	return p.close
}

// summer is what a verifier needs of its hash.
type summer interface {
	io.Writer
	Sum(b []byte) []byte
}

// pipedHash hashes what is written to it on a goroutine of its own. A
// layer blob's digest is computed as the blob is decompressed, which
// keeps one core busy; hashing beside it, on another core when one is
// free, costs the decompressing goroutine a copy instead of the sha256
// (about 4 % of a gzip layer's scan, 10 % of a zstd one's, which
// decompresses faster). Write copies into chunks, at most pipeChunks of
// them, recycled, and hands each one over when full; it waits only when
// every chunk is queued. Sum hashes the last chunk, never full, itself:
// the goroutine has usually hashed the others by then, and waking it
// (slow on virtual machines) would cost more.
type pipedHash struct {
	h      summer        // the goroutine's until it has hashed every chunk sent
	todo   chan []byte   // full chunks, in order
	free   chan []byte   // hashed chunks, to fill again
	done   chan struct{} // closed when the goroutine ends
	cur    []byte        // the chunk being filled, if any
	taken  int           // chunks taken from pipeChunkPool
	sent   int64         // chunks sent to todo
	hashed atomic.Int64  // chunks hashed and back in free
	ended  bool          // h is Sum's: digest is set
	digest []byte
}

// Chunks are large because each hand-over may wake the hashing goroutine,
// and small enough that the last one, which Sum hashes itself, is quick
// (150 µs at 1.7 GB/s). A blob of one chunk or less is not hashed aside.
const (
	pipeChunkSize = 256 << 10
	pipeChunks    = 4
)

// pipeChunkPool keeps the chunks of ended pipedHashes for later blobs.
var pipeChunkPool = sync.Pool{New: func() any { return new([pipeChunkSize]byte) }}

func newPipedHash(h summer) *pipedHash {
	p := &pipedHash{h: h, todo: make(chan []byte, pipeChunks), free: make(chan []byte, pipeChunks), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for c := range p.todo {
			h.Write(c)
			p.free <- c // never blocks: free has room for every chunk
			p.hashed.Add(1)
		}
	}()
	return p
}

// Write hashes b, later. It must not be called after Sum or close.
func (p *pipedHash) Write(b []byte) (int, error) {
	n := len(b)
	for len(b) > 0 {
		if p.cur == nil {
			p.cur = p.chunk()
		}
		k := copy(p.cur[len(p.cur):cap(p.cur)], b)
		p.cur, b = p.cur[:len(p.cur)+k], b[k:]
		if len(p.cur) == cap(p.cur) {
			p.todo <- p.cur
			p.sent++
			p.cur = nil
		}
	}
	return n, nil
}

// chunk returns an empty chunk: a hashed one if any, else a new one while
// fewer than pipeChunks are out (a small blob takes one), else the next
// one hashed.
func (p *pipedHash) chunk() []byte {
	select {
	case c := <-p.free:
		return c[:0]
	default:
	}
	if p.taken < pipeChunks {
		p.taken++
		return pipeChunkPool.Get().(*[pipeChunkSize]byte)[:0]
	}
	return (<-p.free)[:0]
}

// Sum appends to b the digest of everything written. It ends the
// goroutine; once that has hashed every chunk sent, Sum hashes the chunk
// being filled.
func (p *pipedHash) Sum(b []byte) []byte {
	if !p.ended {
		close(p.todo)
		if p.hashed.Load() != p.sent {
			<-p.done // let it hash what is queued
		}
		// The goroutine is done with h, and every chunk sent is in free:
		// it touches neither again.
		if p.cur != nil {
			p.h.Write(p.cur)
			pipeChunkPool.Put((*[pipeChunkSize]byte)(p.cur[:cap(p.cur)]))
			p.cur = nil
			p.taken--
		}
		for range p.taken {
			c := <-p.free
			pipeChunkPool.Put((*[pipeChunkSize]byte)(c[:cap(c)]))
		}
		p.digest, p.ended = p.h.Sum(nil), true
	}
	return append(b, p.digest...)
}

// close ends the goroutine, whether or not Sum was called.
func (p *pipedHash) close() { p.Sum(nil) }

// blobName is the store name of a blob: blobs/<alg>/<hex>.
func blobName(digest string) (string, error) {
	if _, err := newHash(digest); err != nil {
		return "", err
	}
	alg, hex, _ := strings.Cut(digest, ":")
	return "blobs/" + alg + "/" + hex, nil
}
