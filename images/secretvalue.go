package images

// Secrets by value: secret material recognised from its own shape, whatever
// the variable or key that holds it is called. images.secret-in-env and
// images.secret-in-config read values with [FindSecret] before they judge
// names; images.secret-in-configmap reads a ConfigMap's data and binaryData
// with it.
//
// The shapes are those whose issuers made them recognisable, so that a
// match is rarely anything else:
//
//   - a PEM private key: a "-----BEGIN … PRIVATE KEY-----" line (RSA, EC,
//     DSA, OpenSSH, PKCS#8, encrypted PKCS#8) or "-----BEGIN PGP PRIVATE
//     KEY BLOCK-----", followed within a few lines by at least 32
//     characters of base64 (a header alone is a placeholder). Newlines may
//     be real or written as \n, as keys pasted into one-line values are.
//     An encrypted key (ENCRYPTED in its header, Proc-Type: 4,ENCRYPTED,
//     or an OpenSSH key whose cipher is not "none") is medium, others high;
//   - an AWS access key ID: AKIA (long-term) or ASIA (temporary) followed
//     by 16 characters of A–Z and 2–7 (the key IDs are base32), 20 in all,
//     not inside a longer word. The ID is not the secret, but a key ID in a
//     manifest travels with its secret access key: medium. AWS's
//     documentation keys (ending in EXAMPLE) are info;
//   - a GitHub token: ghp_, gho_, ghu_, ghs_ or ghr_ followed by exactly 36
//     letters and digits, or github_pat_ followed by 82 letters, digits and
//     underscores;
//   - a Slack token: xoxb-, xoxp-, xoxa-, xoxe-, xoxo-, xoxr- or xoxs-
//     followed by at least two groups separated by hyphens, the first all
//     digits, 20 characters or more in all;
//   - a Stripe live secret or restricted key: sk_live_ or rk_live_ followed
//     by at least 24 letters and digits;
//   - a JSON Web Token: three base64url parts separated by dots, the last
//     possibly empty, whose first part decodes to a JSON object with an
//     "alg" member (a Kubernetes service account token is one).
//
// Tokens must not sit inside a longer word, and a token's random part must
// not be a placeholder: ghp_ followed by 36 x is not a token (fewer than
// a handful of distinct characters are rejected).
//
// Nothing here prints a secret: a [Secret] carries the kind, the part of
// the shape that is the same in every secret of the kind (ghp_, AKIA, a PEM
// header line, eyJ) and the length.

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Secret is secret material found in a value by [FindSecret]. It holds
// what may be shown of it, never the secret itself.
type Secret struct {
	// Kind names the material: "OpenSSH private key", "AWS access key ID",
	// "GitHub personal access token", "JSON Web Token", …
	Kind string
	// Shown is the part of the material that every secret of its kind
	// shares, safe to print: the token's fixed prefix ("ghp_", "AKIA",
	// "xoxb-", "eyJ") or a PEM block's BEGIN line.
	Shown string
	// Start and End are the material's byte offsets in the value read.
	Start, End int
	// Severity is how much the material exposes: high for a usable key or
	// token, medium for an encrypted private key or an AWS key ID, info for
	// a documentation example.
	Severity hardening.Severity
	// Note qualifies the finding ("encrypted", "AWS's documentation
	// example"); empty when there is nothing to add.
	Note string
}

// String describes the material without showing it: "a GitHub personal
// access token (ghp_…, 40 characters, not shown)".
func (s Secret) String() string {
	var b []byte
	b = append(b, article(s.Kind)...)
	b = append(b, ' ')
	b = append(b, s.Kind...)
	b = append(b, " ("...)
	b = append(b, s.Shown...)
	b = append(b, "…, "...)
	b = strconv.AppendInt(b, int64(s.End-s.Start), 10)
	b = append(b, " characters, not shown"...)
	if s.Note != "" {
		b = append(b, "; "...)
		b = append(b, s.Note...)
	}
	b = append(b, ')')
	return string(b)
}

func article(word string) string {
	if word != "" {
		switch word[0] {
		case 'A', 'E', 'I', 'O', 'a', 'e', 'i', 'o', 'u':
			return "an"
		}
	}
	return "a"
}

// FindSecret returns the first secret material in v by the shapes this
// package knows (see the package source, secretvalue.go), and whether
// there is any. It does not allocate when there is none.
func FindSecret(v string) (Secret, bool) { return findSecret(v) }

// FindSecretBytes is [FindSecret] for a byte slice, such as a ConfigMap's
// binaryData.
func FindSecretBytes(v []byte) (Secret, bool) { return findSecret(v) }

// text is what the detectors read.
type text interface{ ~string | ~[]byte }

func findSecret[T text](v T) (Secret, bool) {
	for i := 0; i < len(v); i++ {
		var s Secret
		var ok bool
		switch v[i] {
		case '-':
			s, ok = pemKey(v, i)
		case 'A':
			s, ok = awsKeyID(v, i)
		case 'g':
			s, ok = githubToken(v, i)
		case 'x':
			s, ok = slackToken(v, i)
		case 's', 'r':
			s, ok = stripeKey(v, i)
		case 'e':
			s, ok = jwt(v, i)
		}
		if ok {
			return s, true
		}
	}
	return Secret{}, false
}

// hasAt reports whether v holds p at i.
func hasAt[T text](v T, i int, p string) bool {
	if i < 0 || len(v)-i < len(p) {
		return false
	}
	for j := 0; j < len(p); j++ {
		if v[i+j] != p[j] {
			return false
		}
	}
	return true
}

// indexFrom returns the index of p in v at or after i and before end, or -1.
func indexFrom[T text](v T, p string, i, end int) int {
	end = min(end, len(v))
	for ; i+len(p) <= end; i++ {
		if hasAt(v, i, p) {
			return i
		}
	}
	return -1
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func isBase64URL(c byte) bool { return isAlnum(c) || c == '-' || c == '_' }

func isBase64(c byte) bool { return isAlnum(c) || c == '+' || c == '/' || c == '=' }

// wordStart reports whether a token may start at i: nothing of a word
// before it.
func wordStart[T text](v T, i int) bool { return i == 0 || !isWordByte(v[i-1]) }

// wordEnd reports whether a token may end at i.
func wordEnd[T text](v T, i int) bool { return i >= len(v) || !isWordByte(v[i]) }

// runOf returns the end of the run of bytes from i that ok accepts.
func runOf[T text](v T, i int, ok func(byte) bool) int {
	for i < len(v) && ok(v[i]) {
		i++
	}
	return i
}

// distinct reports whether v[i:j] has at least n distinct bytes: a random
// part, not a placeholder such as xxxx or 0000.
func distinct[T text](v T, i, j, n int) bool {
	var seen [256]bool
	count := 0
	for ; i < j; i++ {
		if !seen[v[i]] {
			seen[v[i]] = true
			if count++; count >= n {
				return true
			}
		}
	}
	return false
}

const (
	pemBeginLine = "-----BEGIN "
	pemDashes    = "-----"
	// pemBodyMin is the base64 a key body must show after its header.
	pemBodyMin = 32
	// pemBodyWindow is how far after the header the body is looked for
	// (headers such as Proc-Type and DEK-Info come first).
	pemBodyWindow = 256
)

// pemKey reads a PEM private key block starting at i.
func pemKey[T text](v T, i int) (Secret, bool) {
	if !hasAt(v, i, pemBeginLine) {
		return Secret{}, false
	}
	labelStart := i + len(pemBeginLine)
	labelEnd := indexFrom(v, pemDashes, labelStart, labelStart+48)
	if labelEnd < 0 {
		return Secret{}, false
	}
	for j := labelStart; j < labelEnd; j++ {
		if c := v[j]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == ' ') {
			return Secret{}, false
		}
	}
	label := v[labelStart:labelEnd]
	var kind string
	switch {
	case hasSuffix(label, "PGP PRIVATE KEY BLOCK"):
		kind = "PGP private key"
	case !hasSuffix(label, "PRIVATE KEY"):
		return Secret{}, false
	case hasPrefix(label, "OPENSSH "):
		kind = "OpenSSH private key"
	case hasPrefix(label, "RSA "):
		kind = "RSA private key"
	case hasPrefix(label, "EC "):
		kind = "EC private key"
	case hasPrefix(label, "DSA "):
		kind = "DSA private key"
	default:
		kind = "PEM private key"
	}
	headerEnd := labelEnd + len(pemDashes)
	bodyStart, bodyEnd, ok := pemBody(v, headerEnd)
	if !ok {
		return Secret{}, false
	}
	end := len(v)
	if e := indexFrom(v, "-----END ", bodyEnd, len(v)); e >= 0 {
		end = e + len("-----END ")
		if e2 := indexFrom(v, pemDashes, end, end+48); e2 >= 0 {
			end = e2 + len(pemDashes)
		}
	}
	s := Secret{Kind: kind, Shown: string(v[i:headerEnd]), Start: i, End: end, Severity: hardening.SeverityHigh}
	switch {
	case hasAt(label, 0, "ENCRYPTED"),
		indexFrom(v, "Proc-Type: 4,ENCRYPTED", headerEnd, bodyStart) >= 0,
		kind == "OpenSSH private key" && !hasAt(v, bodyStart, "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU"):
		// The OpenSSH body opens with the base64 of "openssh-key-v1\0"
		// and the cipher's name, "none" when the key is not encrypted.
		s.Severity, s.Note = hardening.SeverityMedium, "encrypted"
	}
	return s, true
}

// pemBody finds the base64 body of a PEM block after its header ends at i:
// the first run of base64 at least pemBodyMin long within pemBodyWindow,
// where newlines may be real or escaped (\n, \r\n written out).
func pemBody[T text](v T, i int) (start, end int, ok bool) {
	limit := min(len(v), i+pemBodyWindow)
	run, runStart := 0, -1
	for j := i; j < limit; {
		c := v[j]
		switch {
		case c == '\\' && j+1 < len(v) && (v[j+1] == 'n' || v[j+1] == 'r'):
			j += 2 // an escaped line break continues the body
			continue
		case c == '\n' || c == '\r':
			j++
			continue
		case isBase64(c):
			if run == 0 {
				runStart = j
			}
			run++
			if run >= pemBodyMin {
				return runStart, runOf(v, j, isBase64), true
			}
		default:
			run = 0
		}
		j++
	}
	return 0, 0, false
}

func hasPrefix[T text](v T, p string) bool { return hasAt(v, 0, p) }

func hasSuffix[T text](v T, p string) bool { return hasAt(v, len(v)-len(p), p) }

// awsKeyID reads an AWS access key ID starting at i.
func awsKeyID[T text](v T, i int) (Secret, bool) {
	if !(hasAt(v, i, "AKIA") || hasAt(v, i, "ASIA")) || !wordStart(v, i) || len(v)-i < 20 {
		return Secret{}, false
	}
	for j := i + 4; j < i+20; j++ {
		if c := v[j]; !('A' <= c && c <= 'Z' || '2' <= c && c <= '7') {
			return Secret{}, false
		}
	}
	if !wordEnd(v, i+20) || !distinct(v, i+4, i+20, 5) {
		return Secret{}, false
	}
	s := Secret{Kind: "AWS access key ID", Shown: string(v[i : i+4]), Start: i, End: i + 20, Severity: hardening.SeverityMedium,
		Note: "its secret access key usually travels with it"}
	if v[i+1] == 'S' {
		s.Kind = "AWS temporary access key ID"
	}
	if hasSuffix(v[i:i+20], "EXAMPLE") {
		s.Severity, s.Note = hardening.SeverityInfo, "AWS's documentation example"
	}
	return s, true
}

// githubToken reads a GitHub token starting at i.
func githubToken[T text](v T, i int) (Secret, bool) {
	if !wordStart(v, i) {
		return Secret{}, false
	}
	if hasAt(v, i, "github_pat_") {
		start := i + len("github_pat_")
		end := runOf(v, start, isWordByte)
		if end-start != 82 || !distinct(v, start, end, 10) {
			return Secret{}, false
		}
		return Secret{Kind: "GitHub fine-grained personal access token", Shown: "github_pat_", Start: i, End: end, Severity: hardening.SeverityHigh}, true
	}
	if !hasAt(v, i, "gh") || len(v)-i < 4 || v[i+3] != '_' {
		return Secret{}, false
	}
	var kind string
	switch v[i+2] {
	case 'p':
		kind = "GitHub personal access token"
	case 'o':
		kind = "GitHub OAuth access token"
	case 'u':
		kind = "GitHub App user-to-server token"
	case 's':
		kind = "GitHub App installation token"
	case 'r':
		kind = "GitHub refresh token"
	default:
		return Secret{}, false
	}
	start := i + 4
	end := runOf(v, start, isAlnum)
	if end-start != 36 || !wordEnd(v, end) || !distinct(v, start, end, 10) {
		return Secret{}, false
	}
	return Secret{Kind: kind, Shown: string(v[i:start]), Start: i, End: end, Severity: hardening.SeverityHigh}, true
}

// slackToken reads a Slack token starting at i.
func slackToken[T text](v T, i int) (Secret, bool) {
	if !hasAt(v, i, "xox") || !wordStart(v, i) || len(v)-i < 5 || v[i+4] != '-' {
		return Secret{}, false
	}
	switch v[i+3] {
	case 'a', 'b', 'e', 'o', 'p', 'r', 's':
	default:
		return Secret{}, false
	}
	start := i + 5
	end := runOf(v, start, func(c byte) bool { return isAlnum(c) || c == '-' })
	if end-i < 20 || !wordEnd(v, end) {
		return Secret{}, false
	}
	// The first group is a number; there is another after it.
	j := start
	for j < end && '0' <= v[j] && v[j] <= '9' {
		j++
	}
	if j == start || j >= end-1 || v[j] != '-' || !distinct(v, j+1, end, 6) {
		return Secret{}, false
	}
	return Secret{Kind: "Slack token", Shown: string(v[i:start]), Start: i, End: end, Severity: hardening.SeverityHigh}, true
}

// stripeKey reads a Stripe live secret or restricted key starting at i.
func stripeKey[T text](v T, i int) (Secret, bool) {
	if !(hasAt(v, i, "sk_live_") || hasAt(v, i, "rk_live_")) || !wordStart(v, i) {
		return Secret{}, false
	}
	start := i + len("sk_live_")
	end := runOf(v, start, isAlnum)
	if end-start < 24 || !wordEnd(v, end) || !distinct(v, start, end, 10) {
		return Secret{}, false
	}
	kind := "Stripe live secret key"
	if v[i] == 'r' {
		kind = "Stripe live restricted key"
	}
	return Secret{Kind: kind, Shown: string(v[i:start]), Start: i, End: end, Severity: hardening.SeverityHigh}, true
}

// jwtHeaderMax bounds the header a JWT may have: the decoded header is
// read into a buffer on the stack.
const jwtHeaderMax = 512

// jwt reads a JSON Web Token (JWS compact serialization) starting at i.
func jwt[T text](v T, i int) (Secret, bool) {
	if !hasAt(v, i, "eyJ") || (i > 0 && (isBase64URL(v[i-1]) || v[i-1] == '.')) {
		return Secret{}, false
	}
	h := runOf(v, i, isBase64URL)
	if h >= len(v) || v[h] != '.' || h-i > jwtHeaderMax*4/3 {
		return Secret{}, false
	}
	p := runOf(v, h+1, isBase64URL)
	if p == h+1 || p >= len(v) || v[p] != '.' {
		return Secret{}, false
	}
	end := runOf(v, p+1, isBase64URL)
	if end < len(v) && v[end] == '.' {
		return Secret{}, false // more parts: not a JWS
	}
	var buf [jwtHeaderMax]byte
	var header []byte
	if n, err := decodeBase64URL(buf[:], v[i:h]); err == nil {
		header = buf[:n]
	} else {
		return Secret{}, false
	}
	var parsed struct {
		Alg *string `json:"alg"`
	}
	if json.Unmarshal(header, &parsed) != nil || parsed.Alg == nil {
		return Secret{}, false
	}
	s := Secret{Kind: "JSON Web Token", Shown: "eyJ", Start: i, End: end, Severity: hardening.SeverityHigh}
	if alg := *parsed.Alg; len(alg) <= 16 && isPrintableWord(alg) {
		s.Note = "alg " + alg
	}
	return s, true
}

// decodeBase64URL decodes unpadded base64url from a string or bytes.
func decodeBase64URL[T text](dst []byte, src T) (int, error) {
	if base64.RawURLEncoding.DecodedLen(len(src)) > len(dst) {
		return 0, base64.CorruptInputError(0)
	}
	switch s := any(src).(type) {
	case string:
		return base64.RawURLEncoding.Decode(dst, []byte(s))
	case []byte:
		return base64.RawURLEncoding.Decode(dst, s)
	}
	return base64.RawURLEncoding.Decode(dst, []byte(string(src)))
}

func isPrintableWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) && s[i] != '-' && s[i] != '_' {
			return false
		}
	}
	return true
}
