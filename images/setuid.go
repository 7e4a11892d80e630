package images

// Check images.setuid-file: setuid and setgid files in the image.
//
// Image contents read: every regular file's mode, owner and group.
//
// Allowed values: regular files without the setuid and setgid bits; files
// matching an allow-list pattern given to [SetuidFiles] (path.Match
// patterns over absolute paths: "/usr/bin/passwd", "/opt/app/bin/*"). The
// default check, [SetuidFile], allows nothing, but ranks findings:
//
//	info    a setuid/setgid binary a base distribution ships at its usual
//	        path (su, passwd, chsh, chfn, gpasswd, newgrp, chage, expiry,
//	        mount, umount, ping, unix_chkpwd, wall, write, ssh-agent,
//	        ssh-keysign, crontab, newuidmap, newgidmap, fusermount, …: see
//	        distroSetuid), so a stock Debian, Ubuntu or Fedora image shows
//	        nothing above info
//	medium  any other setuid or setgid file, wherever it is (sudo and pkexec
//	        included): it lets any user in the container run it with its
//	        owner's or group's privileges
//
// Directories are not reported: setgid on a directory only makes new files
// inherit its group. CIS 4.8 asks for the bits to be removed from every
// binary that does not need them, so the info findings are there to be
// read, not ignored.

import (
	"io/fs"
	"path"
	"slices"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SetuidFile reports setuid and setgid files, allowing none; the usual
// distribution binaries are info.
var SetuidFile = SetuidFiles(nil)

// SetuidFiles returns the images.setuid-file check with an allow-list of
// path.Match patterns over absolute paths; matching files are not
// reported. It replaces [SetuidFile] in a list of checks (same ID). The
// list is copied.
func SetuidFiles(allow []string) *hardening.Check {
	allow = slices.Clone(allow)
	return &hardening.Check{
		ID:       "images.setuid-file",
		Title:    "setuid or setgid file in the image",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassInnerContainer,
		Inputs:   hardening.KindImage,
		Rationale: "A setuid or setgid binary runs with its owner's or group's privileges whoever starts it: each one is a way " +
			"from the container's user to root (or another account) through a bug or a misuse of the binary.",
		Remediation: "Remove the bits in the build (RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +), or remove " +
			"the binaries; run the container with no_new_privs (allowPrivilegeEscalation: false), which makes the kernel ignore them.",
		References: []hardening.Reference{
			imCIS("4.8"),
			{Kind: hardening.RefDoc, ID: "execve(2): set-user-ID and set-group-ID", URL: "https://man7.org/linux/man-pages/man2/execve.2.html"},
			imNCC("inner-container"),
		},
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			return setuidFindings(contents(s), allow, out)
		},
	}
}

// distroSetuid lists the setuid and setgid binaries base distributions
// install, by name in a bin directory, and by full path elsewhere.
var (
	distroSetuidNames = [...]string{
		"su", "passwd", "chsh", "chfn", "gpasswd", "newgrp", "sg", "chage", "expiry", "mount", "umount",
		"ping", "ping6", "unix_chkpwd", "pam_extrausers_chkpwd", "pam_timestamp_check", "wall", "write", "bsd-write",
		"ssh-agent", "crontab", "dotlockfile", "newuidmap", "newgidmap", "fusermount", "fusermount3", "at", "mlocate", "plocate",
	}
	distroSetuidPaths = [...]string{
		"/usr/lib/openssh/ssh-keysign", "/usr/libexec/openssh/ssh-keysign",
		"/usr/lib/dbus-1.0/dbus-daemon-launch-helper", "/usr/libexec/dbus-daemon-launch-helper", "/usr/libexec/dbus-1/dbus-daemon-launch-helper",
		"/usr/libexec/utempter/utempter", "/usr/lib/x86_64-linux-gnu/utempter/utempter", "/usr/lib/aarch64-linux-gnu/utempter/utempter",
		"/usr/lib/eject/dmcrypt-get-device",
	}
)

func distroSetuid(p string) bool {
	if name, ok := inBinDir(p); ok {
		for _, n := range distroSetuidNames {
			if name == n {
				return true
			}
		}
	}
	for _, d := range distroSetuidPaths {
		if p == d {
			return true
		}
	}
	return false
}

func setuidFindings(c *hardening.ImageContents, allow []string, out []hardening.Finding) []hardening.Finding {
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if !f.Mode.IsRegular() || f.Mode&(fs.ModeSetuid|fs.ModeSetgid) == 0 || allowed(allow, f.Path) {
			continue
		}
		what := ""
		if f.Mode&fs.ModeSetuid != 0 {
			what = "setuid " + owner(f.UID, "root", "uid ")
		}
		if f.Mode&fs.ModeSetgid != 0 {
			if what != "" {
				what += " and "
			}
			what += "setgid " + owner(f.GID, "group root", "gid ")
		}
		finding := hardening.Finding{
			Path:    f.Path,
			Message: f.Path + " is " + what + " (mode " + octal(f.Mode) + ") " + inLayer(f),
		}
		if distroSetuid(f.Path) {
			finding.Severity = hardening.SeverityInfo
			finding.Message += "; a base distribution ships it so"
		}
		out = append(out, finding)
	}
	return out
}

func owner(id int, root, prefix string) string {
	if id == 0 {
		return root
	}
	return prefix + strconv.Itoa(id)
}

func allowed(patterns []string, p string) bool {
	for _, pat := range patterns {
		if ok, err := path.Match(pat, p); ok && err == nil {
			return true
		}
	}
	return false
}
