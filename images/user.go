package images

// Check images.named-user: the image's USER is a name, not a numeric uid.
//
// Image config fields: config.User ("name", "name:group", "uid", "uid:gid").
//
// Image contents read: the content of /etc/passwd, when the subject has it.
//
// Allowed values: a numeric uid, with or without a group; any USER of a
// Windows image (os "windows"), whose users are names. An empty USER and
// root (or 0) are left to capabilities.runs-as-root. A named USER is info:
// Kubernetes' runAsNonRoot cannot verify it (the kubelet refuses to start
// the container: "image has non-numeric user …, cannot verify user is
// non-root"), and neither can a reader of the config. When the image's
// /etc/passwd is known the check resolves the name: to uid 0 it is high
// (the image runs as root under another name); missing from the file it is
// low (the runtime refuses to start it: no matching entries in passwd).

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// NamedUser reports image configs whose USER is a name rather than a uid.
var NamedUser = &hardening.Check{
	ID:       "images.named-user",
	Title:    "image USER is a name, not a numeric uid",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Only the image's /etc/passwd says which uid a user name stands for, so neither a reader of the config nor " +
		"Kubernetes can tell whether it is root: with runAsNonRoot the kubelet refuses to start such a container, and " +
		"without it a name that maps to uid 0 runs as root unnoticed.",
	Remediation: "Set USER to the numeric uid (and gid), for example USER 10001:10001; keep the name in /etc/passwd for tools that show it.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes: configure a security context", URL: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
		{Kind: hardening.RefPSS, ID: "restricted/running-as-non-root", URL: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"},
		imNCC("inner-container"),
	},
	Run: runNamedUser,
}

func runNamedUser(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Image == nil || s.Image.OS == "windows" {
		return out // Windows users are names (ContainerUser) and runAsNonRoot does not apply
	}
	user := s.Image.Config.User
	name, _, _ := strings.Cut(user, ":")
	name = strings.TrimSpace(name)
	if name == "" || name == "root" || digits(name) {
		return out // unset and root are capabilities.runs-as-root's
	}
	f := hardening.Finding{
		Path: "config.User",
		Message: "USER is " + strconv.Quote(user) + ", a name: Kubernetes' runAsNonRoot cannot verify it " +
			"and the kubelet refuses to start the container when runAsNonRoot is set",
	}
	switch uid, found, known := lookupUser(s.ImageContents, name); {
	case !known:
	case !found:
		f.Severity = hardening.SeverityLow
		f.Message = "USER is " + strconv.Quote(user) + ", a name the image's /etc/passwd does not define: runtimes refuse to start the container"
	case zeroUID([]byte(uid)):
		f.Severity = hardening.SeverityHigh
		f.Message = "USER is " + strconv.Quote(user) + ", which the image's /etc/passwd gives uid 0: the image runs as root under another name"
	default:
		f.Message += " (the image's /etc/passwd gives it uid " + uid + ")"
	}
	return append(out, f)
}
