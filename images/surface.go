package images

// Checks images.shell-present, images.package-manager-present and
// images.package-cache: what the image carries beyond its application.
//
// Image contents read: the paths, types and sizes of entries.
//
// Allowed values:
//
//	shell-present            no shell in a bin directory (/bin, /usr/bin, /sbin, /usr/sbin,
//	                         /usr/local/bin, /usr/local/sbin): sh, bash, rbash, dash, ash, zsh,
//	                         ksh, ksh93, mksh, csh, tcsh, fish, busybox (which provides sh)
//	package-manager-present  no package manager in a bin directory: apt, apt-get, aptitude, dpkg,
//	                         apk, yum, dnf, dnf5, microdnf, tdnf, rpm, zypper, pip, pip2, pip3, pip3.N
//	package-cache            package caches holding less than 4 KiB: /var/cache/apt/archives
//	                         (*.deb), /var/lib/apt/lists (but its lock), /var/cache/apk,
//	                         /var/cache/yum, /var/cache/dnf, /var/cache/zypp, any
//	                         .cache/pip and .npm/_cacache
//
// Shells and package managers are info, one finding per file (a symlink
// such as /bin/sh -> dash counts: it runs the shell): they are attack
// surface for whoever gets code execution in the container (CIS 4.3), not
// a vulnerability; a distroless image has none. A package cache is low,
// one finding per cache directory, with its file count and size: it
// enlarges the image and, for the index lists, lets an intruder install
// packages without fetching an index.

import (
	"io/fs"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ShellPresent reports shells in the image.
var ShellPresent = &hardening.Check{
	ID:       "images.shell-present",
	Title:    "shell in the image",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "A shell turns any code execution bug in the application into an interactive foothold: downloading tools, " +
		"exploring the network and the mounted secrets. Images that need no shell at run time need not ship one.",
	Remediation: "Build the final stage from a distroless or scratch base and copy in only the application; keep a debug " +
		"variant, or kubectl debug with an ephemeral container, for troubleshooting.",
	References: []hardening.Reference{
		imCIS("4.3"),
		{Kind: hardening.RefDoc, ID: "distroless container images", URL: "https://github.com/GoogleContainerTools/distroless"},
		imNCC("inner-container"),
	},
	Run: runShellPresent,
}

// PackageManagerPresent reports package managers in the image.
var PackageManagerPresent = &hardening.Check{
	ID:       "images.package-manager-present",
	Title:    "package manager in the image",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "A package manager lets an intruder who runs as root in the container install whatever tools they need, " +
		"and its presence means the image carries a whole distribution the application does not use.",
	Remediation: "Install packages in a build stage and copy the results into a distroless or scratch final stage, or " +
		"remove the package manager in the last step of the build.",
	References: []hardening.Reference{
		imCIS("4.3"),
		{Kind: hardening.RefDoc, ID: "distroless container images", URL: "https://github.com/GoogleContainerTools/distroless"},
		imNCC("inner-container"),
	},
	Run: runPackageManagerPresent,
}

// PackageCache reports package manager caches left in the image.
var PackageCache = &hardening.Check{
	ID:       "images.package-cache",
	Title:    "package manager cache left in the image",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Downloaded packages and package indexes serve no purpose at run time: they enlarge every pull and every " +
		"node's disk, and an index lets an intruder install packages without fetching one.",
	Remediation: "Clean the cache in the same RUN that fills it (apt-get install … && rm -rf /var/lib/apt/lists/*; apk add " +
		"--no-cache; dnf clean all; pip install --no-cache-dir), or use a cache mount (RUN --mount=type=cache).",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Dockerfile best practices: apt-get", URL: "https://docs.docker.com/build/building/best-practices/#apt-get"},
		imNCC("inner-container"),
	},
	Run: runPackageCache,
}

var shells = [...]string{"sh", "bash", "rbash", "dash", "ash", "zsh", "ksh", "ksh93", "mksh", "csh", "tcsh", "fish", "busybox"}

var packageManagers = [...]string{"apt", "apt-get", "aptitude", "dpkg", "apk", "yum", "dnf", "dnf5", "microdnf", "tdnf", "rpm", "zypper", "pip", "pip2", "pip3"}

func runShellPresent(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	return binaries(contents(s), out, func(name string) bool {
		for _, n := range shells {
			if name == n {
				return true
			}
		}
		return false
	}, "a shell")
}

func runPackageManagerPresent(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	return binaries(contents(s), out, func(name string) bool {
		for _, n := range packageManagers {
			if name == n {
				return true
			}
		}
		return strings.HasPrefix(name, "pip3.") && digits(name[len("pip3."):])
	}, "a package manager")
}

// binaries reports the executables (regular files, symlinks, hard links) in
// a bin directory whose name is wanted.
func binaries(c *hardening.ImageContents, out []hardening.Finding, wanted func(string) bool, what string) []hardening.Finding {
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if !(f.Mode.IsRegular() || f.Mode&fs.ModeSymlink != 0 || f.Hardlink) {
			continue
		}
		name, ok := inBinDir(f.Path)
		if !ok || !wanted(name) {
			continue
		}
		msg := f.Path + " is " + what
		if f.Mode&fs.ModeSymlink != 0 {
			msg += " (a symbolic link to " + strconv.Quote(f.Linkname) + ")"
		}
		out = append(out, hardening.Finding{Path: f.Path, Message: msg + " " + inLayer(f)})
	}
	return out
}

// minCache is the size below which a cache directory is not reported: the
// lock files and empty metadata clean images keep.
const minCache = 4 << 10

// cacheRoot returns the package cache directory p is in, or "".
func cacheRoot(p string) string {
	for _, dir := range [...]string{"/var/cache/apt/archives", "/var/lib/apt/lists", "/var/cache/apk", "/var/cache/yum", "/var/cache/dnf", "/var/cache/zypp"} {
		if len(p) > len(dir) && under(p, dir) {
			if dir == "/var/cache/apt/archives" && !strings.HasSuffix(p, ".deb") || dir == "/var/lib/apt/lists" && p == dir+"/lock" {
				return ""
			}
			return dir
		}
	}
	for _, dir := range [...]string{"/.cache/pip/", "/.npm/_cacache/"} {
		if i := strings.Index(p, dir); i >= 0 {
			return p[:i+len(dir)-1]
		}
	}
	return ""
}

func runPackageCache(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	root, files, size := "", 0, int64(0)
	var last *hardening.ImageFile
	flush := func() {
		if root != "" && size >= minCache {
			out = append(out, hardening.Finding{
				Path: root,
				Message: root + " holds " + strconv.Itoa(files) + " cached package files, " + strconv.FormatInt(size, 10) +
					" bytes; the last written " + inLayer(last),
			})
		}
	}
	for i := range c.Files {
		f := &c.Files[i]
		if !f.Mode.IsRegular() {
			continue
		}
		r := cacheRoot(f.Path)
		if r == "" {
			continue
		}
		if r != root {
			flush()
			root, files, size, last = r, 0, 0, f
		}
		files++
		size += f.Size
		if f.LayerIndex >= last.LayerIndex {
			last = f
		}
	}
	flush()
	return out
}
