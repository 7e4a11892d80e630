package images

// Shared reading of an image's merged filesystem ([hardening.ImageContents])
// for the content checks, and [WantsContent], which tells a loader which
// files' content to keep.

import (
	"github.com/bulwarkdev/bulwark/internal/imagefiles"

	"io/fs"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// MaxContent is the largest file whose content the checks of this package
// read; [WantsContent] asks for nothing bigger.
const MaxContent = imagefiles.MaxContent

// WantsContent reports whether the content checks of this package read the
// content of the file at path (absolute and clean, as in
// [hardening.ImageFile]) of the given size. A loader calls it while it
// streams the layers and keeps [hardening.ImageFile.Content] for the files
// it accepts; for the others only the header is needed. It accepts small
// files only (up to [MaxContent]):
//
//   - /etc/passwd and /etc/shadow;
//   - private key candidates: id_rsa, id_dsa, id_ecdsa, id_ed25519 and their
//     _sk variants (not .pub), SSH host keys ssh_host_*_key, and files named
//     *.pem, *.key or *.p8;
//   - credential files: .aws/credentials, .docker/config.json, .kube/config,
//     .npmrc, .pypirc, .netrc, _netrc, .git-credentials, .pgpass, .my.cnf.
//
// It does not allocate. Package load keeps exactly these files by default.
func WantsContent(path string, size int64) bool { return imagefiles.Wanted(path, size) }

// file returns the entry at path, or nil. The leading slash is optional, as
// in a tar archive's hard link targets. Files must be sorted by Path.
func file(c *hardening.ImageContents, path string) *hardening.ImageFile {
	path = strings.TrimPrefix(path, "/")
	lo, hi := 0, len(c.Files)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if strings.TrimPrefix(c.Files[m].Path, "/") < path {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(c.Files) && strings.TrimPrefix(c.Files[lo].Path, "/") == path {
		return &c.Files[lo]
	}
	return nil
}

// inLayer describes where a file comes from: "in layer 2 (sha256:…)".
func inLayer(f *hardening.ImageFile) string {
	layer := f.Layer
	if layer == "" {
		layer = "digest unknown"
	}
	return "in layer " + strconv.Itoa(f.LayerIndex) + " (" + layer + ")"
}

// octal renders permission and special bits as chmod does: 4755.
func octal(m fs.FileMode) string {
	bits := uint32(m.Perm())
	if m&fs.ModeSetuid != 0 {
		bits |= 0o4000
	}
	if m&fs.ModeSetgid != 0 {
		bits |= 0o2000
	}
	if m&fs.ModeSticky != 0 {
		bits |= 0o1000
	}
	return strconv.FormatUint(uint64(bits), 8)
}

// contents returns the subject's image contents, or nil.
func contents(s *hardening.Subject) *hardening.ImageContents {
	if s.Kind != hardening.KindImage {
		return nil
	}
	return s.ImageContents
}

// nextLine returns the line of b starting at i, without its newline (and
// carriage return), and the index after it.
func nextLine(b []byte, i int) ([]byte, int) {
	start := i
	for i < len(b) && b[i] != '\n' {
		i++
	}
	line := b[start:i]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if i < len(b) {
		i++
	}
	return line, i
}

// field returns the n-th colon-separated field of a passwd or shadow line,
// and whether the line has it.
func field(line []byte, n int) ([]byte, bool) {
	for ; n > 0; n-- {
		i := indexByte(line, ':')
		if i < 0 {
			return nil, false
		}
		line = line[i+1:]
	}
	if i := indexByte(line, ':'); i >= 0 {
		line = line[:i]
	}
	return line, true
}

func indexByte(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// under reports whether p is dir or below it.
func under(p, dir string) bool {
	return strings.HasPrefix(p, dir) && (len(p) == len(dir) || p[len(dir)] == '/')
}

// binDirs are the directories a shell's PATH searches.
var binDirs = [...]string{"/bin", "/usr/bin", "/sbin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"}

// inBinDir reports whether p is directly in one of binDirs, and returns its
// base name.
func inBinDir(p string) (string, bool) {
	slash := strings.LastIndexByte(p, '/')
	if slash < 0 {
		return "", false
	}
	dir := p[:slash]
	for _, d := range binDirs {
		if dir == d {
			return p[slash+1:], true
		}
	}
	return "", false
}
