package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Stdin is the path that names standard input in [Paths].
const Stdin = "-"

// Reader reads all of r (at most Options.MaxFileSize bytes) and decodes it
// as the content of source, as [Bytes] does. Use it for standard input or
// content from the network.
func Reader(opts Options, source string, r io.Reader) *hardening.Result {
	opts = opts.withDefaults()
	if f, ok := r.(*os.File); ok {
		if res, ok := readerArchive(&opts, source, f); ok {
			return res
		}
	}
	data, err := readLimited(r, opts.MaxFileSize)
	if err != nil {
		return &hardening.Result{Errors: []*hardening.DocumentError{{Source: source, Document: -1, Err: err}}}
	}
	return Bytes(opts, source, data)
}

// readerArchive loads an image archive from a regular file in place
// (standard input redirected from a file), from its current offset.
func readerArchive(opts *Options, source string, f *os.File) (*hardening.Result, bool) {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil || off > fi.Size() {
		return nil, false
	}
	head := make([]byte, 512)
	n, _ := f.ReadAt(head, off)
	if !isTar(head[:n]) {
		return nil, false
	}
	r := &hardening.Result{}
	loadArchive(opts, r, source, "", io.NewSectionReader(f, off, fi.Size()-off), fi.Size()-off, false)
	return r, true
}

// readLimited reads r to its end, failing if it holds more than max bytes.
// It never trusts a size it was told: it reads one byte past max through a
// LimitReader to tell.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", pathErr(err))
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: larger than the %d-byte limit (Options.MaxFileSize)", ErrTooLarge, max)
	}
	return data, nil
}

// pathErr drops the path from an *fs.PathError: the DocumentError already
// names the source. errors.Is still finds fs.ErrNotExist and the like.
func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func fileError(r *hardening.Result, source string, err error) {
	r.Errors = append(r.Errors, &hardening.DocumentError{Source: source, Document: -1, Err: pathErr(err)})
}

func hasManifestExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func readFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, max)
}

// isOCISpec reports whether data is a JSON object with a top-level
// "ociVersion" key, without decoding it fully.
func isOCISpec(data []byte) bool {
	if !bytes.Contains(data, []byte(`"ociVersion"`)) {
		return false
	}
	var p struct {
		OCIVersion *string `json:"ociVersion"`
	}
	return unmarshalJSON(data, &p) == nil && p.OCIVersion != nil
}
