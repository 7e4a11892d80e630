package images

// Checks images.private-key and images.credential-file: secrets stored as
// files in the image.
//
// Image contents read: the paths of regular files, and the content of the
// candidates [WantsContent] asks the loader to keep (files up to
// [MaxContent]).
//
// images.private-key reads two kinds of candidate:
//
//   - files named like SSH private keys: id_rsa, id_dsa, id_ecdsa,
//     id_ed25519 (and names that begin so, such as id_rsa_deploy or
//     id_ed25519_sk), but not *.pub; and SSH host keys ssh_host_*_key.
//     Their name says they are private keys: they are reported when their
//     content holds "PRIVATE KEY", or when the content was not kept;
//   - files named *.pem, *.key or *.p8, reported only when the content
//     holds a PEM "-----BEGIN … PRIVATE KEY-----" block (certificates
//     and public keys are fine).
//
// A key is high; an encrypted one (PKCS#8 ENCRYPTED PRIVATE KEY, a
// traditional PEM key with Proc-Type 4,ENCRYPTED, an OpenSSH key whose
// cipher is not "none") medium; one under a test, example or documentation
// directory (test, tests, testdata, testing, __tests__, spec, fixtures,
// examples, doc, docs) info, because packages ship test keys there. SSH
// host keys are reported like any key: every container of the image shares
// them, so one leak impersonates all.
//
// images.credential-file reads files whose place says what they hold, and
// reports them when their content holds a credential:
//
//	~/.aws/credentials       aws_secret_access_key or aws_session_token (or content not kept)
//	~/.docker/config.json    an "auth" or "identitytoken" with a non-empty value
//	~/.kube/config           client-key-data, token or password
//	.npmrc                   _authToken, _auth or _password with a literal value (not ${VAR})
//	.pypirc, .my.cnf         password with a literal value
//	.netrc, _netrc           a password token
//	.git-credentials         a URL with user information (or content not kept)
//	.pgpass                  an entry line (or content not kept)
//
// in any directory (~ is any home). The same test and documentation
// directories make a finding info. Only the merged filesystem is read: a
// secret a later layer deleted is still in the earlier layer's blob but
// not in [hardening.ImageContents]. Messages never show the secret.

import (
	"github.com/bulwarkdev/bulwark/internal/imagefiles"

	"bytes"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// PrivateKey reports private keys stored in the image.
var PrivateKey = &hardening.Check{
	ID:       "images.private-key",
	Title:    "private key in the image",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "A private key in an image is shared with everyone who can pull it, from every registry and cache it passes " +
		"through, for as long as any copy exists; whoever has it can impersonate the key's owner (a deploy key, a TLS " +
		"server, the SSH host keys every container of the image shares).",
	Remediation: "Remove the key from every layer (rebuild; deleting it in a later layer leaves it in the earlier one), mount " +
		"keys at run time from a Secret or use BuildKit secret mounts in the build, and replace the key: it has been exposed.",
	References: []hardening.Reference{
		imCIS("4.10"),
		{Kind: hardening.RefDoc, ID: "Docker build secrets", URL: "https://docs.docker.com/build/building/secrets/"},
		imNCC("inner-container"),
	},
	Run: runPrivateKey,
}

// CredentialFile reports credential files stored in the image.
var CredentialFile = &hardening.Check{
	ID:       "images.credential-file",
	Title:    "credential file in the image",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindImage,
	Rationale: "Tool credential files (~/.aws/credentials, ~/.docker/config.json, .npmrc, .netrc, .git-credentials…) " +
		"left by a build ship to everyone who can pull the image: they open the registries, repositories, databases and " +
		"cloud accounts the build used.",
	Remediation: "Rebuild without the file in any layer: pass build credentials with BuildKit secret mounts " +
		"(RUN --mount=type=secret,id=npmrc,target=/root/.npmrc), mount run-time credentials from a Secret, and rotate the credential.",
	References: []hardening.Reference{
		imCIS("4.10"),
		{Kind: hardening.RefDoc, ID: "Docker build secrets", URL: "https://docs.docker.com/build/building/secrets/"},
		imNCC("inner-container"),
	},
	Run: runCredentialFile,
}

// Key candidates, as package load and this package both recognise them.
const (
	keyNone = imagefiles.KeyNone
	keySSH  = imagefiles.KeySSH
	keyPEM  = imagefiles.KeyPEM
)

func keyCandidate(p string) imagefiles.Key { return imagefiles.KeyCandidate(p) }

// credentialKind names what a credential file at p holds, or "".
func credentialKind(p string) string { return imagefiles.CredentialKind(p) }

// sampleDirs hold test keys and examples that packages ship.
var sampleDirs = [...]string{"/test/", "/tests/", "/testdata/", "/testing/", "/__tests__/", "/spec/", "/fixtures/", "/examples/", "/doc/", "/docs/"}

func sample(p string) bool {
	for _, d := range sampleDirs {
		if strings.Contains(p, d) {
			return true
		}
	}
	return false
}

var (
	pemBegin        = []byte("-----BEGIN ")
	privateKeyPEM   = []byte("PRIVATE KEY-----")
	privateKey      = []byte("PRIVATE KEY")
	encryptedMarker = []byte("ENCRYPTED")
	opensshKey      = []byte("-----BEGIN OPENSSH PRIVATE KEY-----")
	// opensshNone is the base64 of "openssh-key-v1\0" and a cipher name of
	// "none": how every unencrypted OpenSSH private key begins.
	opensshNone = []byte("b3BlbnNzaC1rZXktdjEAAAAABG5vbmU")
)

func runPrivateKey(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if !f.Mode.IsRegular() || f.Size == 0 && f.Content == nil {
			continue
		}
		kind := keyCandidate(f.Path)
		if kind == keyNone {
			continue
		}
		var what string
		sev := hardening.SeverityHigh
		switch {
		case f.Content == nil && kind == keySSH:
			what = "is named like an SSH private key (content not read)"
		case f.Content == nil:
			continue
		case kind == keySSH && bytes.Contains(f.Content, privateKey), kind == keyPEM && pemPrivateKey(f.Content):
			what = "holds a private key"
			if encryptedKey(f.Content) {
				what = "holds an encrypted private key"
				sev = hardening.SeverityMedium
			}
		default:
			continue
		}
		finding := hardening.Finding{Severity: sev, Path: f.Path, Message: f.Path + " " + what + " " + inLayer(f)}
		if sample(f.Path) {
			finding.Severity = hardening.SeverityInfo
			finding.Message += "; it sits in a test or documentation directory, where packages ship sample keys"
		}
		out = append(out, finding)
	}
	return out
}

// pemPrivateKey reports a PEM block "-----BEGIN … PRIVATE KEY-----".
func pemPrivateKey(b []byte) bool {
	for {
		i := bytes.Index(b, pemBegin)
		if i < 0 {
			return false
		}
		b = b[i+len(pemBegin):]
		end := bytes.IndexByte(b, '\n')
		if end < 0 {
			end = len(b)
		}
		if bytes.Contains(b[:end], privateKeyPEM) {
			return true
		}
	}
}

func encryptedKey(b []byte) bool {
	if i := bytes.Index(b, opensshKey); i >= 0 {
		body := bytes.TrimLeft(b[i+len(opensshKey):], "\r\n \t")
		return !bytes.HasPrefix(body, opensshNone)
	}
	return bytes.Contains(b, encryptedMarker)
}

func runCredentialFile(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	c := contents(s)
	if c == nil {
		return out
	}
	for i := range c.Files {
		f := &c.Files[i]
		if !f.Mode.IsRegular() || f.Size == 0 && len(f.Content) == 0 {
			continue
		}
		kind := credentialKind(f.Path)
		if kind == "" || !holdsCredential(f.Path, f.Content) {
			continue
		}
		finding := hardening.Finding{Path: f.Path, Message: f.Path + " holds " + kind + " (not shown) " + inLayer(f)}
		if f.Content == nil {
			finding.Message = f.Path + " is a file of " + kind + " " + inLayer(f) + " (content not read)"
		}
		if sample(f.Path) {
			finding.Severity = hardening.SeverityInfo
			finding.Message += "; it sits in a test or documentation directory"
		}
		out = append(out, finding)
	}
	return out
}

// holdsCredential decides from a credential file's content; nil content
// counts for the files that hold nothing else.
func holdsCredential(p string, b []byte) bool {
	name := baseName(p)
	if b == nil {
		return name == "credentials" || name == ".git-credentials" || name == ".pgpass"
	}
	switch name {
	case "credentials":
		return bytes.Contains(b, []byte("aws_secret_access_key")) || bytes.Contains(b, []byte("aws_session_token"))
	case "config.json":
		return jsonNonEmpty(b, `"auth"`) || jsonNonEmpty(b, `"identitytoken"`)
	case "config":
		return bytes.Contains(b, []byte("client-key-data")) || literalSetting(b, "token", ':') || literalSetting(b, "password", ':')
	case ".npmrc":
		return literalSetting(b, "_authToken", '=') || literalSetting(b, "_auth", '=') || literalSetting(b, "_password", '=')
	case ".pypirc", ".my.cnf":
		return literalSetting(b, "password", '=') || literalSetting(b, "password", ':')
	case ".netrc", "_netrc":
		return netrcPassword(b)
	case ".git-credentials":
		for i := 0; i < len(b); {
			line, next := nextLine(b, i)
			i = next
			if urlWithPassword(string(bytes.TrimSpace(line))) {
				return true
			}
		}
		return false
	case ".pgpass":
		for i := 0; i < len(b); {
			line, next := nextLine(b, i)
			i = next
			if line = bytes.TrimSpace(line); len(line) > 0 && line[0] != '#' && bytes.Count(line, []byte(":")) >= 4 {
				return true
			}
		}
	}
	return false
}

// jsonNonEmpty reports a JSON member key whose value is a non-empty string.
func jsonNonEmpty(b []byte, key string) bool {
	for {
		i := bytes.Index(b, []byte(key))
		if i < 0 {
			return false
		}
		b = bytes.TrimLeft(b[i+len(key):], " \t\r\n")
		if len(b) == 0 || b[0] != ':' {
			continue
		}
		b = bytes.TrimLeft(b[1:], " \t\r\n")
		if len(b) >= 2 && b[0] == '"' && b[1] != '"' {
			return true
		}
	}
}

// literalSetting reports a line "…key<sep>value" (key at the start of the
// line or after ':' as in npm's //registry/:_authToken=…) whose value is
// literal: not empty and not a ${VAR} reference.
func literalSetting(b []byte, key string, sep byte) bool {
	for i := 0; i < len(b); {
		line, next := nextLine(b, i)
		i = next
		line = bytes.TrimSpace(line)
		k := bytes.Index(line, []byte(key))
		if k < 0 || k > 0 && line[k-1] != ':' && line[k-1] != ' ' && line[k-1] != '\t' || len(line) > 0 && (line[0] == '#' || line[0] == ';') {
			continue
		}
		rest := bytes.TrimLeft(line[k+len(key):], " \t")
		if len(rest) == 0 || rest[0] != sep {
			continue
		}
		v := bytes.Trim(rest[1:], " \t\"'")
		if len(v) > 0 && v[0] != '$' && !bytes.HasPrefix(v, []byte("<")) {
			return true
		}
	}
	return false
}

// netrcPassword reports a "password <value>" token pair.
func netrcPassword(b []byte) bool {
	for i := 0; i < len(b); {
		w, next := nextWordBytes(b, i)
		i = next
		if string(w) == "password" {
			v, _ := nextWordBytes(b, i)
			return len(v) > 0
		}
	}
	return false
}

func nextWordBytes(b []byte, i int) ([]byte, int) {
	for i < len(b) && space(b[i]) {
		i++
	}
	start := i
	for i < len(b) && !space(b[i]) {
		i++
	}
	return b[start:i], i
}
