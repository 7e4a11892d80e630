package images

// Checks images.world-writable, images.device-node and images.link-escape:
// file types and permissions in the image.
//
// Image contents read: every entry's type, mode, link target and device
// numbers.
//
// Allowed values:
//
//	world-writable  regular files and directories not writable by others; directories
//	                writable by others with the sticky bit (/tmp, mode 1777). Symlinks
//	                (always 0777), devices, sockets and pipes are not read.
//	device-node     no character or block device. A node under /dev is low: runtimes
//	                mount their own /dev over it, but whatever unpacks the image as root
//	                outside a container (a build, a scanner) creates it for real. Elsewhere
//	                a character device is medium and a block device high: whoever may open
//	                it reaches the host's device, should the device cgroup or a privileged
//	                run allow it.
//	link-escape     symbolic links with absolute targets (they resolve inside the container's
//	                root: /usr/bin/sh -> /bin/dash is normal), and relative targets that stay
//	                below /; hard links to a path the image holds.
//
// link-escape reports a relative symlink whose ".." climb above / (low:
// inside the container the kernel stops at the root, but a tool that
// follows the link in an unpacked root filesystem on the host leaves it —
// such links have no legitimate use); a hard link whose target climbs
// above / (high: a crafted layer that aims at the unpacker's host); and a
// hard link whose target is not in the image (low: a later layer removed
// the target, or the layer links to whatever the unpacker finds there).
// Hard link targets are archive paths: relative to the image's root, with
// or without a leading slash.

import (
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// WorldWritable reports files and directories anyone may write.
var WorldWritable = &hardening.Check{
	ID:       "images.world-writable",
	Title:    "world-writable file or directory",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Any user in the container can change a world-writable file, and replace or delete the files in a " +
		"world-writable directory without the sticky bit: an unprivileged process can plant code that root or the " +
		"application later runs, or tamper with its configuration.",
	Remediation: "Remove write permission for others (chmod o-w), give the files to the user that must write them, and set " +
		"the sticky bit on shared directories (chmod +t); better, keep the root filesystem read-only and write to a volume.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "inode(7): the sticky bit", URL: "https://man7.org/linux/man-pages/man7/inode.7.html"},
		imNCC("inner-container"),
	},
	Run: runWorldWritable,
}

// DeviceNode reports character and block devices in the image.
var DeviceNode = &hardening.Check{
	ID:       "images.device-node",
	Title:    "device node in the image",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindImage,
	Rationale: "Images have no need for device nodes: the runtime creates /dev. A node elsewhere gives whoever can open it the " +
		"host device it names (a disk, memory) wherever the device cgroup or a privileged run allows it, and any root " +
		"process unpacking the image on a host creates it there.",
	Remediation: "Remove the device nodes from the image; give containers the devices they need at run time (--device, a device plugin).",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "mknod(2)", URL: "https://man7.org/linux/man-pages/man2/mknod.2.html"},
		imNCC("container escape"),
	},
	Run: runDeviceNode,
}

// LinkEscape reports links that point out of the image's root.
var LinkEscape = &hardening.Check{
	ID:       "images.link-escape",
	Title:    "link that leaves the image's root",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindImage,
	Rationale: "Links that climb above the root, or hard links to files the image does not hold, are how crafted layers " +
		"make unpackers and host-side tools (docker cp, backup and scanning tools) read or write host files outside " +
		"the container's root.",
	Remediation: "Rebuild the image from a trusted base and build context; make relative symlinks stay below /, or use " +
		"absolute targets, which resolve inside the container.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "OCI image layer: hardlinks", URL: "https://github.com/opencontainers/image-spec/blob/main/layer.md#hardlinks"},
		{Kind: hardening.RefDoc, ID: "symlink(7)", URL: "https://man7.org/linux/man-pages/man7/symlink.7.html"},
		imNCC("container escape"),
	},
	Run: runLinkEscape,
}

func runWorldWritable(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if f.Mode.Perm()&0o002 == 0 || !(f.Mode.IsRegular() || f.Mode.IsDir()) {
			continue
		}
		switch {
		case f.Mode.IsRegular():
			out = append(out, hardening.Finding{
				Path:    f.Path,
				Message: f.Path + " is writable by every user (mode " + octal(f.Mode) + ") " + inLayer(f),
			})
		case f.Mode&fs.ModeSticky == 0:
			out = append(out, hardening.Finding{
				Path:    f.Path,
				Message: "directory " + f.Path + " is writable by every user without the sticky bit (mode " + octal(f.Mode) + ") " + inLayer(f) + ": anyone can replace the files in it",
			})
		}
	}
	return out
}

func runDeviceNode(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if f.Mode&fs.ModeDevice == 0 {
			continue
		}
		kind, sev := "block device", hardening.SeverityHigh
		if f.Mode&fs.ModeCharDevice != 0 {
			kind, sev = "character device", hardening.SeverityMedium
		}
		msg := f.Path + " is a " + kind + " " + strconv.FormatInt(f.Devmajor, 10) + ":" + strconv.FormatInt(f.Devminor, 10) + " " + inLayer(f)
		if under(f.Path, "/dev") {
			sev = hardening.SeverityLow
			msg += "; the runtime's /dev hides it in a container, but unpacking the image as root creates it"
		}
		out = append(out, hardening.Finding{Severity: sev, Path: f.Path, Message: msg})
	}
	return out
}

func runLinkEscape(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		switch {
		case f.Hardlink:
			target := strings.TrimLeft(strings.TrimPrefix(f.Linkname, "./"), "/")
			if target == "" {
				continue
			}
			if climbs("/", target) {
				out = append(out, hardening.Finding{
					Severity: hardening.SeverityHigh,
					Path:     f.Path,
					Message:  f.Path + " is a hard link to " + strconv.Quote(f.Linkname) + ", above the image's root, " + inLayer(f),
				})
				continue
			}
			if !cleanRel(target) {
				target = path.Clean("/" + target)
			}
			if file(c, target) == nil {
				out = append(out, hardening.Finding{
					Severity: hardening.SeverityLow,
					Path:     f.Path,
					Message:  f.Path + " is a hard link to " + strconv.Quote(f.Linkname) + ", which the image does not hold, " + inLayer(f),
				})
			}
		case f.Mode&fs.ModeSymlink != 0:
			if climbs(f.Path, f.Linkname) {
				out = append(out, hardening.Finding{
					Severity: hardening.SeverityLow,
					Path:     f.Path,
					Message:  f.Path + " is a symbolic link to " + strconv.Quote(f.Linkname) + ", whose .. climb above / " + inLayer(f),
				})
			}
		}
	}
	return out
}

// climbs reports whether a relative link target, read from the directory
// holding link (an absolute path; "/" for archive paths), climbs above /.
// Absolute targets do not.
func climbs(link, target string) bool {
	if target == "" || target[0] == '/' {
		return false
	}
	depth := strings.Count(link, "/") - 1
	for target != "" {
		var comp string
		comp, target, _ = strings.Cut(target, "/")
		switch comp {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// cleanRel reports whether a relative path has no empty, "." or ".."
// component.
func cleanRel(p string) bool {
	for p != "" {
		var comp string
		comp, p, _ = strings.Cut(p, "/")
		if comp == "" || comp == "." || comp == ".." {
			return false
		}
	}
	return true
}
