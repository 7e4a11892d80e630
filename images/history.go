package images

// Checks images.remote-add, images.curl-pipe-shell, images.sudo and
// images.unpinned-upgrade: what the image's build did, read from its
// history.
//
// Image config fields:
//
//	history[*].created_by (all four; see shell.go for the shapes builders write)
//	config.Entrypoint[*], config.Cmd[*] (images.sudo)
//
// Allowed values:
//
//	remote-add        ADD of local files; ADD of a URL with --checksum=, which BuildKit verifies
//	curl-pipe-shell   downloads that are saved and checked before they run; a download piped
//	                  to anything but a shell or script interpreter (curl … | tar xz)
//	sudo              no sudo, doas or su command in a RUN step, and none as the entrypoint or
//	                  command (gosu, su-exec and setpriv, which only drop privileges, are allowed)
//	unpinned-upgrade  no whole-system upgrade (apt-get upgrade/dist-upgrade/full-upgrade, apk
//	                  upgrade, yum/dnf/microdnf/tdnf update/upgrade/distro-sync, zypper
//	                  update/dist-upgrade/patch without package names), and no package index
//	                  update (apt-get update, apk update) in a step that installs nothing
//
// The history is a heuristic source: builders record it in different
// shapes and some record nothing. An image without history passes these
// checks, which therefore prove nothing about such an image. A ClassicBuilder
// ADD of a URL is recorded as "ADD file:<hash> in /" and cannot be told
// from a local file. Messages name commands, never the URLs or arguments,
// which may carry credentials.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// RemoteAdd reports ADD instructions that fetch a URL without a checksum.
var RemoteAdd = &hardening.Check{
	ID:       "images.remote-add",
	Title:    "ADD fetches a remote URL",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindImage,
	Rationale: "ADD <url> copies whatever the server returns into the image, unverified; over http anyone on the path can " +
		"replace it. The image then carries content no one reviewed or pinned, and rebuilding it gives different content.",
	Remediation: "Use COPY for local files. Download with RUN curl and check a published checksum or signature before use, " +
		"or pin the download with ADD --checksum=sha256:…; prefer https.",
	References: []hardening.Reference{
		imCIS("4.9"),
		{Kind: hardening.RefDoc, ID: "Dockerfile reference: ADD", URL: "https://docs.docker.com/reference/dockerfile/#add"},
		imNCC("management layer"),
	},
	Run: runRemoteAdd,
}

// CurlPipeShell reports RUN steps that pipe a download into a shell.
var CurlPipeShell = &hardening.Check{
	ID:       "images.curl-pipe-shell",
	Title:    "download piped into a shell",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindImage,
	Rationale: "curl … | sh runs whatever the server sends at build time, as root, with nothing to check it against: a " +
		"compromised or spoofed server, or a truncated download, puts its code into every copy of the image.",
	Remediation: "Download to a file, verify its checksum or signature against a value pinned in the Dockerfile, then run it; " +
		"better, install from a package repository whose signatures the package manager verifies.",
	References: []hardening.Reference{
		imCIS("4.11"),
		imNCC("management layer"),
	},
	Run: runCurlPipeShell,
}

// Sudo reports sudo, doas and su in the build or as the container's command.
var Sudo = &hardening.Check{
	ID:       "images.sudo",
	Title:    "sudo or su used in the image",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Build steps already run as root, so sudo there means the image ships sudo and a sudoers policy; a " +
		"container whose command calls sudo or su needs a setuid binary and a way to become root at run time, which " +
		"is exactly what an attacker in the container looks for, and it breaks with no_new_privs.",
	Remediation: "Remove sudo from the image; run build steps that need root before USER, and give the runtime user the " +
		"files it needs. To drop privileges in an entrypoint use gosu, su-exec or setpriv, or set USER.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Dockerfile best practices: USER", URL: "https://docs.docker.com/build/building/best-practices/#user"},
		imNCC("inner-container"),
	},
	Run: runSudo,
}

// UnpinnedUpgrade reports whole-system package upgrades and package index
// updates left alone in a build step.
var UnpinnedUpgrade = &hardening.Check{
	ID:       "images.unpinned-upgrade",
	Title:    "unpinned package upgrade or lone index update in the build",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "An upgrade of everything installs whatever the mirrors hold on build day, so two builds of one Dockerfile " +
		"differ and nobody reviewed the result; an index update in a step of its own is cached by the builder, and later " +
		"installs read a stale index and miss security fixes.",
	Remediation: "Rebuild on a patched base image instead of upgrading in place, or install named packages at pinned versions; " +
		"run apt-get update in the same RUN as the apt-get install that needs it, and clean the lists in that RUN.",
	References: []hardening.Reference{
		imCIS("4.7"),
		{Kind: hardening.RefDoc, ID: "Dockerfile best practices: apt-get", URL: "https://docs.docker.com/build/building/best-practices/#apt-get"},
		imNCC("inner-container"),
	},
	Run: runUnpinnedUpgrade,
}

func historyPath(i int) string { return "history[" + strconv.Itoa(i) + "].created_by" }

func runRemoteAdd(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Image == nil {
		return out
	}
	for i := range s.Image.History {
		st := parseStep(s.Image.History[i].CreatedBy)
		if st.op != "ADD" {
			continue
		}
		url, checksum := "", false
		for j := 0; j < len(st.args); {
			w, next := nextWord(st.args, j)
			j = next
			w = unquote(w)
			if k := strings.IndexAny(w, `",`); k >= 0 {
				w = w[:k] // JSON form: ["http://…","/opt/"]
			}
			switch {
			case strings.HasPrefix(w, "--checksum="):
				checksum = true
			case url == "" && remoteURL(w):
				url = w
			}
		}
		if url == "" || checksum {
			continue
		}
		f := hardening.Finding{
			Path:    historyPath(i),
			Message: "step " + strconv.Itoa(i) + " ADDs the remote " + scheme(url) + " URL " + strconv.Quote(redactURL(url)) + " without --checksum: its content is not verified",
		}
		if strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "ftp://") || strings.HasPrefix(url, "git://") {
			f.Severity = hardening.SeverityMedium
			f.Message += " and travels unencrypted"
		}
		out = append(out, f)
	}
	return out
}

func remoteURL(w string) bool {
	for _, p := range [...]string{"http://", "https://", "ftp://", "git://", "git@"} {
		if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

func scheme(url string) string {
	if i := strings.Index(url, "://"); i > 0 {
		return url[:i]
	}
	return "git"
}

// redactURL removes the user information of a URL: credentials are never
// shown.
func redactURL(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return u
	}
	auth := u[i+3:]
	end := strings.IndexAny(auth, "/?#")
	if end < 0 {
		end = len(auth)
	}
	if at := strings.LastIndexByte(auth[:end], '@'); at >= 0 {
		return u[:i+3] + "…@" + auth[at+1:]
	}
	return u
}

func runCurlPipeShell(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Image == nil {
		return out
	}
	for i := range s.Image.History {
		st := parseStep(s.Image.History[i].CreatedBy)
		if st.op != "RUN" {
			continue
		}
		if fetch, shell, how := pipeToShell(st.args); fetch != "" {
			out = append(out, hardening.Finding{
				Path:    historyPath(i),
				Message: "step " + strconv.Itoa(i) + " runs a " + fetch + " download " + how + " " + shell + " without verifying it",
			})
		}
	}
	return out
}

// pipeToShell finds a download run by a shell in a command: fetch | shell,
// shell <(fetch), shell -c "$(fetch)". It returns the two commands' names
// and how they are joined.
func pipeToShell(sh string) (fetch, shell, how string) {
	fetching, fetcher := false, ""
	prevSep, prevName := sepOther, ""
	for i := 0; i < len(sh); {
		cmd, sep, next := nextCommand(sh, i)
		i = next
		name, _ := commandName(cmd, true)
		if prevSep != sepPipe {
			fetching = false
		}
		switch {
		case prevSep == sepPipe && fetching && isShell(name):
			return fetcher, name, "piped into"
		case prevSep == sepSubst && isFetch(name) && isShell(prevName):
			return name, prevName, "substituted into"
		}
		if isFetch(name) {
			fetching, fetcher = true, name
		}
		prevName, prevSep = name, sep
	}
	return "", "", ""
}

func runSudo(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	img := s.Image
	if img == nil {
		return out
	}
	out = sudoInArgs(out, img.Config.Entrypoint, "config.Entrypoint", "ENTRYPOINT")
	out = sudoInArgs(out, img.Config.Cmd, "config.Cmd", "CMD")
	for i := range img.History {
		st := parseStep(img.History[i].CreatedBy)
		if st.op != "RUN" {
			continue
		}
		if name := privilegeCommandIn(st.args); name != "" {
			f := hardening.Finding{
				Path:    historyPath(i),
				Message: "step " + strconv.Itoa(i) + " runs " + name + ": the build already runs as root, and the image keeps " + name + " for anyone in the container",
			}
			if name == "su" {
				f.Severity = hardening.SeverityLow
				f.Message = "step " + strconv.Itoa(i) + " runs su to switch users during the build"
			}
			out = append(out, f)
		}
	}
	return out
}

// sudoInArgs reads an entrypoint or command: its first element, and the
// script after a "-c" element.
func sudoInArgs(out []hardening.Finding, args []string, field, what string) []hardening.Finding {
	for j, a := range args {
		name := ""
		switch {
		case j == 0:
			name = privilegeName(baseName(strings.TrimSpace(a)))
			if name == "" && strings.ContainsAny(a, " \t") {
				name = privilegeCommandIn(a) // a whole command line in one element
			}
		case args[j-1] == "-c":
			name = privilegeCommandIn(a)
		}
		if name == "" {
			continue
		}
		f := hardening.Finding{
			Severity: hardening.SeverityHigh,
			Path:     field + "[" + strconv.Itoa(j) + "]",
			Message:  "the image's " + what + " runs " + name + ": the container expects to gain root at run time, so it ships a setuid " + name + " and a policy that allows it",
		}
		if name == "su" {
			f.Severity = hardening.SeverityLow
			f.Message = "the image's " + what + " runs su: the container starts as root to switch users, and su is a setuid binary"
		}
		out = append(out, f)
	}
	return out
}

func privilegeName(name string) string {
	switch name {
	case "sudo", "doas", "su":
		return name
	}
	return ""
}

// privilegeCommandIn returns "sudo", "doas" or "su" when a command of sh
// runs one, looking through other wrappers (exec sudo, env A=b sudo).
func privilegeCommandIn(sh string) string {
	for i := 0; i < len(sh); {
		cmd, _, next := nextCommand(sh, i)
		i = next
		for j := 0; j < len(cmd); {
			w, n := nextWord(cmd, j)
			j = n
			w = unquote(w)
			if w == "" || assignment(w) || strings.HasPrefix(w, "-") {
				continue
			}
			base := baseName(w)
			if p := privilegeName(base); p != "" {
				return p
			}
			if !isWrapper(base) {
				break
			}
		}
	}
	return ""
}

func runUnpinnedUpgrade(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Image == nil {
		return out
	}
	for i := range s.Image.History {
		st := parseStep(s.Image.History[i].CreatedBy)
		if st.op != "RUN" {
			continue
		}
		upgrade, update, installs := "", "", false
		for j := 0; j < len(st.args) && upgrade == ""; {
			cmd, _, next := nextCommand(st.args, j)
			j = next
			name, at := commandName(cmd, true)
			switch kind, packages := packageCommand(name, cmd[at:]); kind {
			case pkgUpgrade:
				if !packages {
					upgrade = name
				}
			case pkgUpdate:
				update = name
			case pkgInstall:
				installs = true
			}
		}
		switch {
		case upgrade != "":
			out = append(out, hardening.Finding{
				Path: historyPath(i),
				Message: "step " + strconv.Itoa(i) + " upgrades every package with " + upgrade +
					": the image holds whatever the mirrors served on build day, not versions anyone chose",
			})
		case update != "" && !installs:
			out = append(out, hardening.Finding{
				Path: historyPath(i),
				Message: "step " + strconv.Itoa(i) + " updates the " + update + " package index and installs nothing: " +
					"the builder caches the step, and later installs read a stale index (and the index stays in the layer)",
			})
		}
	}
	return out
}

// Package manager commands.
const (
	pkgOther = iota
	pkgUpgrade
	pkgUpdate
	pkgInstall
)

// packageCommand classifies a package manager command from its name and
// the words after it, and reports whether it names packages.
func packageCommand(name, args string) (kind int, packages bool) {
	var upgrades, updates, installs []string
	switch name {
	case "apt-get", "apt", "aptitude":
		upgrades, updates, installs = []string{"upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade"}, []string{"update"}, []string{"install", "reinstall", "build-dep"}
	case "apk":
		upgrades, updates, installs = []string{"upgrade"}, []string{"update"}, []string{"add"}
	case "yum", "dnf", "microdnf", "tdnf":
		upgrades, installs = []string{"update", "upgrade", "distro-sync", "upgrade-minimal", "update-minimal"}, []string{"install", "reinstall"}
	case "zypper":
		upgrades, installs = []string{"update", "up", "dist-upgrade", "dup", "patch"}, []string{"install", "in"}
	default:
		return pkgOther, false
	}
	sub := ""
	for i := 0; i < len(args); {
		w, next := nextWord(args, i)
		i = next
		w = unquote(w)
		switch {
		case w == "" || strings.ContainsAny(w, "<>"):
			continue // redirections
		case strings.HasPrefix(w, "-"):
			if takesValue(w) {
				_, i = nextWord(args, i)
			}
			continue
		case sub == "":
			sub = w
			continue
		}
		packages = true
		break
	}
	switch {
	case sub == "":
		return pkgOther, false
	case contains(upgrades, sub):
		return pkgUpgrade, packages
	case contains(updates, sub):
		return pkgUpdate, packages
	case contains(installs, sub):
		return pkgInstall, packages
	}
	return pkgOther, packages
}

// takesValue reports package manager options whose value is the next word.
func takesValue(opt string) bool {
	switch opt {
	case "-o", "-t", "-c", "-x", "--exclude", "--setopt", "--enablerepo", "--disablerepo", "--config",
		"--releasever", "--installroot", "--repo", "--repoid", "--target-release", "--option", "-X", "--repository", "--root", "-p":
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
