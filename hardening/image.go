package hardening

import (
	"io/fs"
	"time"
)

// ImageFile is one entry of an image's filesystem as its layers leave it:
// later layers override earlier ones and whiteouts remove entries. Loaders
// build the list while streaming the layers; checks read it without I/O.
type ImageFile struct {
	// Path is absolute and clean: "/usr/bin/passwd".
	Path string
	// Layer is the digest of the layer that last wrote the entry, and
	// LayerIndex its position in the image's layer list.
	Layer      string
	LayerIndex int
	// Mode holds the type bits, permission bits and setuid, setgid and
	// sticky bits, as io/fs represents them.
	Mode     fs.FileMode
	UID, GID int
	Size     int64
	// Linkname is the target of a symlink or hard link (Hardlink set).
	Linkname string
	Hardlink bool
	// Devmajor and Devminor identify a device node.
	Devmajor, Devminor int64
	// Xattrs holds extended attributes recorded in the layer
	// ("security.capability" for file capabilities).
	Xattrs map[string]string
	// Content is the file's content when the loader was asked to keep it
	// (small files checks read, such as /etc/passwd); nil otherwise.
	Content []byte
	// ContentUnread is set for a regular file whose content the content
	// checks read but the loader did not keep (it was told not to, or its
	// budget was spent). [ImageContents.Unread] lists them.
	ContentUnread bool
}

// ImageContents is the merged filesystem of an image.
type ImageContents struct {
	// Files is sorted by Path.
	Files []ImageFile
	// Layers lists the layer digests in order, base first.
	Layers []string
}

// Unread returns the paths of the files whose content checks would read but
// the loader did not keep. Loaders list them in [Subject.Unobserved].
func (c *ImageContents) Unread() []string {
	var out []string
	if c == nil {
		return nil
	}
	for i := range c.Files {
		if c.Files[i].ContentUnread {
			out = append(out, c.Files[i].Path)
		}
	}
	return out
}

// Observed reports whether the subject's source could be observed at the
// given field path. Subjects built from files observe everything; a subject
// built by observing a live process lists in Unobserved the field paths it
// could not see (the content of a seccomp filter, the device cgroup's
// eBPF program), and checks that read them say nothing rather than guess.
// [Checks] also drops any finding whose own path is unobserved.
func (s *Subject) Observed(path string) bool {
	for _, u := range s.Unobserved {
		if path == u || len(path) > len(u) && path[:len(u)] == u && (path[len(u)] == '.' || path[len(u)] == '[') {
			return false
		}
	}
	return true
}

// ImageHealthcheck is the HEALTHCHECK a Docker-format image config records
// under config.Healthcheck, which image-spec's types do not carry. The
// field names and JSON keys are Docker's.
type ImageHealthcheck struct {
	// Test is the command: [] inherits the base image's, ["NONE"] turns
	// the check off, ["CMD", args…] runs args, ["CMD-SHELL", command] runs
	// command with the image's shell.
	Test          []string      `json:"Test,omitempty"`
	Interval      time.Duration `json:"Interval,omitempty"`
	Timeout       time.Duration `json:"Timeout,omitempty"`
	StartPeriod   time.Duration `json:"StartPeriod,omitempty"`
	StartInterval time.Duration `json:"StartInterval,omitempty"`
	Retries       int           `json:"Retries,omitempty"`
}
