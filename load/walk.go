package load

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/bulwarkdev/bulwark/hardening"
)

// handler receives what a walk over the paths of a run finds, in input
// order. Each phase of a run has its own.
type handler interface {
	// sourceError reports a path or source that cannot be read.
	sourceError(source string, err error)
	// skipped reports a source that is not audited.
	skipped(s hardening.Skipped)
	// manifest reads the documents of the file at path, named source.
	manifest(source, path string)
	// image loads the image layout or archive at path, named source.
	image(source, path, ref string, walked bool)
}

// walker enumerates the sources of a run, as [Paths] describes them.
type walker struct {
	ctx  context.Context // the walk stops when it ends
	opts *Options
	h    handler
	// spooled maps a path that can be read only once (standard input, a
	// pipe) to the temporary file holding its content, or to the error
	// spooling it met.
	spooled map[string]spooled
}

type spooled struct {
	path string
	err  error
}

func (w *walker) walk(paths []string) {
	for _, p := range paths {
		if w.ctx.Err() != nil {
			return
		}
		if sp, ok := w.spooled[p]; ok {
			if sp.err != nil {
				w.h.sourceError(p, sp.err)
				continue
			}
			w.h.manifest(p, sp.path)
			continue
		}
		w.path(p)
	}
}

// path walks one path given by the user, as loadPath loads it.
func (w *walker) path(path string) {
	if w.reference(path) {
		return
	}
	info, err := os.Stat(path) // a path the user named is followed
	if err != nil {
		if base, ref, ok := splitRef(path); ok {
			w.h.image(base, base, ref, false)
			return
		}
		w.h.sourceError(path, err)
		return
	}
	if isImagePath(path) {
		w.h.image(path, path, "", false)
		return
	}
	if !info.IsDir() {
		w.h.manifest(path, path)
		return
	}
	if w.bundle(path) {
		return
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if w.ctx.Err() != nil {
			return fs.SkipAll
		}
		if err != nil {
			w.h.sourceError(p, err)
			if d != nil && d.IsDir() && p != path {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p == path {
				return nil
			}
			if w.bundle(p) {
				return fs.SkipDir
			}
			if isImagePath(p) {
				w.h.image(p, p, "", true)
				return fs.SkipDir
			}
			return nil
		}
		isArchive := strings.EqualFold(filepath.Ext(p), ".tar")
		if !hasManifestExt(p) && !isArchive {
			return nil
		}
		if !d.Type().IsRegular() {
			// A symbolic link is read only if it leads to a regular file:
			// never a directory (no cycles), a FIFO (would block) or a device.
			if d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			fi, err := os.Stat(p)
			if err != nil {
				w.h.sourceError(p, err)
				return nil
			}
			if !fi.Mode().IsRegular() {
				return nil
			}
		}
		if isArchive {
			if isImagePath(p) {
				w.h.image(p, p, "", true)
			} else {
				w.h.skipped(hardening.Skipped{Source: p, Kind: "not a tar archive", Reason: "named *.tar, but not a tar archive"})
			}
			return nil
		}
		w.h.manifest(p, p)
		return nil
	})
	if err != nil {
		w.h.sourceError(path, err)
	}
}

// bundle reports whether dir is an OCI bundle, as loadBundle decides, and
// hands its config.json on.
func (w *walker) bundle(dir string) bool {
	config := filepath.Join(dir, "config.json")
	fi, err := os.Lstat(config)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	data, err := readFile(config, w.opts.MaxFileSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false
		}
		w.h.sourceError(config, err)
		return true
	}
	if !isOCISpec(data) {
		return false
	}
	w.h.manifest(config, config)
	return true
}

// isImagePath reports whether loadImagePath would load p: an OCI image
// layout directory or a tar archive.
func isImagePath(p string) bool {
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		return isLayoutDir(p)
	}
	head, ok := sniffFile(p)
	return ok && isTar(head)
}

// manifestFile is a file of documents opened for reading.
type manifestFile struct {
	f    *os.File
	lr   limitedReader
	size int64
	br   *bufio.Reader
	// head is the file's first 512 bytes, for telling archives apart.
	head []byte
}

// openManifest opens a file of documents within the file size limit. Its
// error is one for the whole source.
func openManifest(path string, max int64) (*manifestFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.Mode().IsRegular() && fi.Size() > max {
		f.Close()
		return nil, fmt.Errorf("%w: larger than the %d-byte limit (Options.MaxFileSize)", ErrTooLarge, max)
	}
	m := &manifestFile{f: f, size: fi.Size(), lr: limitedReader{r: f, left: max, max: max}}
	m.br = readers.Get().(*bufio.Reader)
	m.br.Reset(&m.lr)
	head, err := m.br.Peek(512)
	if err != nil && err != io.EOF && !errors.Is(err, bufio.ErrBufferFull) {
		m.Close()
		return nil, fmt.Errorf("read: %w", pathErr(err))
	}
	m.head = head
	return m, nil
}

// readers recycles the buffered readers of manifest files.
var readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, scanBufferSize) }}

func (m *manifestFile) Close() error {
	m.br.Reset(nil)
	readers.Put(m.br)
	m.br = nil
	return m.f.Close()
}

// limitedReader reads r, failing with ErrTooLarge past left bytes: a file
// that grows while it is read, or a device that never ends, costs no more
// than the file size limit.
type limitedReader struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		var one [1]byte
		if n, _ := l.r.Read(one[:]); n > 0 {
			return 0, fmt.Errorf("%w: larger than the %d-byte limit (Options.MaxFileSize)", ErrTooLarge, l.max)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}
