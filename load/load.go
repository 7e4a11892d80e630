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

// Paths loads files and directories into a Result with Subjects, Errors and
// Skipped set (Findings is nil). Paths are loaded in the order given.
//
// A path is standard input if it is "-", read whatever its extension if it
// names a file (or a symbolic link to one, or a pipe), and walked
// recursively in lexical order if it names a directory: only regular files
// named *.yaml, *.yml and *.json are read, symbolic links to directories are
// not followed, and an OCI bundle directory — one whose config.json holds
// an OCI runtime spec — contributes its config.json alone, without
// descending into it (its rootfs may hold anything). A path that cannot be
// read is one [hardening.DocumentError] with Document -1.
func Paths(opts Options, paths ...string) *hardening.Result {
	opts = opts.withDefaults()
	r := &hardening.Result{}
	for _, p := range paths {
		if p == Stdin {
			merge(r, Reader(opts, Stdin, os.Stdin))
			continue
		}
		loadPath(opts, r, p)
	}
	return r
}

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

func merge(dst, src *hardening.Result) {
	dst.Subjects = append(dst.Subjects, src.Subjects...)
	dst.Errors = append(dst.Errors, src.Errors...)
	dst.Skipped = append(dst.Skipped, src.Skipped...)
}

// loadPath loads one path given by the user.
func loadPath(opts Options, r *hardening.Result, path string) {
	info, err := os.Stat(path) // a path the user named is followed
	if err != nil {
		if base, ref, ok := splitRef(path); ok {
			loadImagePath(&opts, r, base, base, ref, false)
			return
		}
		fileError(r, path, err)
		return
	}
	if loadImagePath(&opts, r, path, path, "", false) {
		return
	}
	if !info.IsDir() {
		loadFile(opts, r, path)
		return
	}
	if loadBundle(opts, r, path) {
		return
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			fileError(r, p, err)
			if d != nil && d.IsDir() && p != path {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != path && (loadBundle(opts, r, p) || loadImagePath(&opts, r, p, p, "", true)) {
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
				fileError(r, p, err)
				return nil
			}
			if !fi.Mode().IsRegular() {
				return nil
			}
		}
		if isArchive {
			if !loadImagePath(&opts, r, p, p, "", true) {
				r.Skipped = append(r.Skipped, hardening.Skipped{Source: p, Kind: "not a tar archive",
					Reason: "named *.tar, but not a tar archive"})
			}
			return nil
		}
		loadFile(opts, r, p)
		return nil
	})
	if err != nil {
		fileError(r, path, err)
	}
}

func hasManifestExt(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func loadFile(opts Options, r *hardening.Result, path string) {
	data, err := readFile(path, opts.MaxFileSize)
	if err != nil {
		fileError(r, path, err)
		return
	}
	merge(r, Bytes(opts, path, data))
}

func readFile(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, max)
}

// loadBundle loads dir/config.json and reports true if dir is an OCI
// bundle: its config.json is a regular file holding an "ociVersion" key at
// the top level. Otherwise it loads nothing and reports false.
func loadBundle(opts Options, r *hardening.Result, dir string) bool {
	config := filepath.Join(dir, "config.json")
	fi, err := os.Lstat(config)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	data, err := readFile(config, opts.MaxFileSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return false
		}
		// Unreadable or too large: report it, and do not walk a directory
		// that may well be a bundle.
		fileError(r, config, err)
		return true
	}
	if !isOCISpec(data) {
		return false
	}
	merge(r, Bytes(opts, config, data))
	return true
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
