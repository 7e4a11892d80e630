// Package imagefiles holds the one fact the image loader and the image
// content checks share: which files of an image's filesystem the checks
// read the content of, and how those files are recognised by name.
// package load keeps exactly that content by default; package images reads
// it. Keeping the fact here means the two cannot drift.
package imagefiles

import "strings"

// MaxContent is the largest file whose content the checks read; Wanted
// asks for nothing bigger.
const MaxContent = 64 << 10

// Wanted reports whether the content checks read the content of the file
// at path (absolute and clean) of the given size: /etc/passwd and
// /etc/shadow, private key candidates and credential files, up to
// MaxContent. It does not allocate.
func Wanted(path string, size int64) bool {
	if size < 0 || size > MaxContent {
		return false
	}
	base := BaseName(path)
	return path == "/etc/passwd" || path == "/etc/shadow" || keyName(base) != KeyNone || credential(path, base) != ""
}

// Key says whether a file is named like a private key.
type Key int

// Key candidates.
const (
	KeyNone Key = iota
	KeySSH      // named like an SSH private key
	KeyPEM      // .pem, .key, .p8: private only if the content says so
)

// KeyCandidate says whether the file at p is named like a private key.
func KeyCandidate(p string) Key { return keyName(BaseName(p)) }

// keyName says whether a file of that name is named like a private key.
func keyName(name string) Key {
	switch {
	case strings.HasSuffix(name, ".pub"):
		return KeyNone
	case strings.HasPrefix(name, "id_rsa"), strings.HasPrefix(name, "id_dsa"), strings.HasPrefix(name, "id_ecdsa"),
		strings.HasPrefix(name, "id_ed25519"), strings.HasPrefix(name, "ssh_host_") && strings.HasSuffix(name, "_key"):
		return KeySSH
	case strings.HasSuffix(name, ".pem"), strings.HasSuffix(name, ".key"), strings.HasSuffix(name, ".p8"):
		return KeyPEM
	}
	return KeyNone
}

// CredentialKind names what a credential file at p holds, or "".
func CredentialKind(p string) string { return credential(p, BaseName(p)) }

// credential is CredentialKind of p, whose last element is base.
func credential(p, base string) string {
	switch {
	case strings.HasSuffix(p, "/.aws/credentials"):
		return "AWS credentials"
	case strings.HasSuffix(p, "/.docker/config.json"):
		return "Docker registry credentials"
	case strings.HasSuffix(p, "/.kube/config"):
		return "Kubernetes credentials"
	}
	switch base {
	case ".npmrc":
		return "an npm registry token"
	case ".pypirc":
		return "a PyPI password"
	case ".my.cnf":
		return "a MySQL password"
	case ".netrc", "_netrc":
		return "netrc passwords"
	case ".git-credentials":
		return "Git credentials"
	case ".pgpass":
		return "PostgreSQL passwords"
	}
	return ""
}

// BaseName returns the last element of a slash-separated path.
func BaseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
