package images

// Checks images.shadow-empty-password and images.extra-root-user: the
// image's account databases.
//
// Image contents read: the content of /etc/shadow and /etc/passwd
// ([WantsContent] asks the loader for them).
//
// Allowed values:
//
//	shadow-empty-password  a password field that is a hash, or that locks the account:
//	                       "!", "*", "!!", "!*", or any value starting with "!" or "*";
//	                       in /etc/passwd also "x" (the hash is in /etc/shadow)
//	extra-root-user        uid 0 only for the account named root
//
// An empty password field in /etc/shadow, or in /etc/passwd (which a
// system without shadow passwords reads), lets anyone log in as that
// account without a password: su with PAM's nullok, which Debian and
// Alpine configure, accepts it. Root with an empty password is critical.
// Without the files' content (a loader that did not keep it) the checks
// say nothing.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ShadowEmptyPassword reports accounts whose password is empty.
var ShadowEmptyPassword = &hardening.Check{
	ID:       "images.shadow-empty-password",
	Title:    "account with an empty password",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "An account with an empty password field needs no password: any process in the container can su to it " +
		"(PAM's nullok accepts an empty password), and to root if root's is empty.",
	Remediation: "Lock the account (passwd -l NAME, or usermod -p '!' NAME) or delete it; service accounts need no password.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "shadow(5)", URL: "https://man7.org/linux/man-pages/man5/shadow.5.html"},
		imNCC("inner-container"),
	},
	Run: runShadowEmptyPassword,
}

// ExtraRootUser reports accounts other than root with uid 0.
var ExtraRootUser = &hardening.Check{
	ID:       "images.extra-root-user",
	Title:    "account other than root with uid 0",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Every account with uid 0 is root under another name: a USER or runAsUser naming it runs as root while " +
		"reading as a non-root user, and a password or key for it is a password or key for root. A backdoor often looks like this.",
	Remediation: "Give the account its own non-zero uid, or delete it.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "passwd(5)", URL: "https://man7.org/linux/man-pages/man5/passwd.5.html"},
		imNCC("inner-container"),
	},
	Run: runExtraRootUser,
}

func runShadowEmptyPassword(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for _, p := range [...]string{"/etc/shadow", "/etc/passwd"} {
		f := file(c, p)
		if f == nil || !f.Mode.IsRegular() {
			continue
		}
		for i, n := 0, 1; i < len(f.Content); n++ {
			line, next := nextLine(f.Content, i)
			i = next
			name, ok1 := field(line, 0)
			pw, ok2 := field(line, 1)
			if !ok1 || !ok2 || len(name) == 0 || name[0] == '#' || name[0] == '+' || name[0] == '-' || len(pw) > 0 {
				continue // NIS +/- entries have no password of their own
			}
			finding := hardening.Finding{
				Path:    p,
				Message: "account " + strconv.Quote(string(name)) + " has an empty password field (line " + strconv.Itoa(n) + ") " + inLayer(f),
			}
			if string(name) == "root" {
				finding.Severity = hardening.SeverityCritical
				finding.Message += ": anyone in the container can become root without a password"
			}
			out = append(out, finding)
		}
	}
	return out
}

func runExtraRootUser(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	f := file(c, "/etc/passwd")
	if f == nil || !f.Mode.IsRegular() {
		return out
	}
	for i, n := 0, 1; i < len(f.Content); n++ {
		line, next := nextLine(f.Content, i)
		i = next
		name, _ := field(line, 0)
		uid, ok := field(line, 2)
		if !ok || len(name) == 0 || name[0] == '#' || string(name) == "root" || !zeroUID(uid) {
			continue
		}
		out = append(out, hardening.Finding{
			Path:    "/etc/passwd",
			Message: "account " + strconv.Quote(string(name)) + " has uid 0 (line " + strconv.Itoa(n) + ") " + inLayer(f) + ": it is root under another name",
		})
	}
	return out
}

// zeroUID reports a uid field that reads as 0 ("0", "00").
func zeroUID(uid []byte) bool {
	if len(uid) == 0 {
		return false
	}
	for _, c := range uid {
		if c != '0' {
			return false
		}
	}
	return true
}

// lookupUser finds a user name in the image's /etc/passwd. known is false
// when the image's contents or the file's content are not available.
func lookupUser(c *hardening.ImageContents, name string) (uid string, found, known bool) {
	if c == nil {
		return "", false, false
	}
	f := file(c, "/etc/passwd")
	if f == nil {
		return "", false, true // no passwd: the runtime cannot resolve any name
	}
	if f.Content == nil {
		return "", false, false
	}
	for i := 0; i < len(f.Content); {
		line, next := nextLine(f.Content, i)
		i = next
		n, _ := field(line, 0)
		if string(n) != name {
			continue
		}
		u, ok := field(line, 2)
		if !ok {
			return "", false, true
		}
		return string(u), true, true
	}
	return "", false, true
}
