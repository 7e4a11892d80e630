package images

// Check images.secret-in-env: a secret written as a literal environment
// variable value.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].env[*].{name,value}
//
// Image config fields: config.Env[*] ("NAME=value").
//
// OCI spec fields: process.env[*] ("NAME=value").
//
// Allowed values: a value taken from a Secret (valueFrom.secretKeyRef, or
// envFrom), or a literal that is not a secret by the rules below. The check
// is built for few false positives; it reports a variable when
//
//   - its value holds secret material of a recognisable shape ([FindSecret]:
//     a PEM private key, an AWS access key ID, a GitHub, Slack or Stripe
//     token, a JSON Web Token), whatever the variable's name; the finding
//     takes the material's severity (high for a key or token; medium for an
//     encrypted key or an AWS key ID; info for AWS's documentation keys);
//   - its value is a URL with a password in it (postgres://app:pw@db/app),
//     whatever the variable's name; or
//   - its name looks secret ([LooksSecret]) and its value is not one of the
//     harmless kinds: empty; a boolean (true, false, yes, no, on, off,
//     enabled, disabled, none, null); a number of up to three digits; a
//     reference resolved elsewhere (anything holding $(VAR), ${VAR} or
//     {{ template }}, a bare $VAR, or a vault:, ref+, arn:aws:, sm://
//     secret-manager locator); an absolute file path; a placeholder
//     (<password>, ***, xxxx).
//
// The message names the variable and the length of its value, never the
// value: reports end up in CI logs and SARIF uploads. Secret material is
// described by its kind and the prefix every secret of the kind shares
// (ghp_…, AKIA…, a PEM BEGIN line).

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SecretInEnv reports environment variables that hold a literal secret: in
// a Pod's env, an image's ENV or an OCI spec's process.env. Image findings
// are high: every copy of the image carries the secret.
var SecretInEnv = &hardening.Check{
	ID:       "images.secret-in-env",
	Title:    "secret in a plain environment variable",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindPod | hardening.KindImage | hardening.KindOCISpec,
	// Environment variables mean the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "A literal secret in a manifest is stored in Git, shown by kubectl describe and readable by everyone who may read " +
		"the workload, not only those who may read Secrets; in an image's ENV it ships to everyone who can pull the image. " +
		"Environment variables also leak into child processes, crash reports and /proc/<pid>/environ.",
	Remediation: "Move the value into a Secret and reference it with valueFrom.secretKeyRef, or better mount it as a file; " +
		"never bake secrets into an image. Rotate the secret: it has been exposed.",
	References: []hardening.Reference{
		imCIS("4.10"),
		{Kind: hardening.RefDoc, ID: "Kubernetes good practices for Secrets", URL: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"},
		imNCC("inner-container"),
	},
	Run: runSecretInEnv,
}

func runSecretInEnv(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		for c := range s.Containers {
			for i := range c.Env {
				e := &c.Env[i]
				why, sev, ok := judgeEnv(e.Name, e.Value)
				if !ok {
					continue
				}
				out = append(out, hardening.Finding{
					Severity:  sev,
					Container: c.Name,
					Path:      s.ContainerPath(c, "env["+strconv.Itoa(i)+"].value"),
					Message:   "container " + strconv.Quote(c.Name) + " sets " + e.Name + " to " + why,
				})
			}
		}
	case hardening.KindImage:
		if s.Image != nil {
			out = envList(out, s.Image.Config.Env, "config.Env", "the image's ENV sets ", hardening.SeverityHigh)
		}
	case hardening.KindOCISpec:
		if s.Spec != nil && s.Spec.Process != nil {
			out = envList(out, s.Spec.Process.Env, "process.env", "the process environment sets ", 0)
		}
	}
	return out
}

// envList checks a list of NAME=value strings.
func envList(out []hardening.Finding, env []string, field, prefix string, sev hardening.Severity) []hardening.Finding {
	for i, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		why, found, ok := judgeEnv(name, value)
		if !ok {
			continue
		}
		if found == 0 {
			found = sev
		}
		out = append(out, hardening.Finding{
			Severity: found,
			Path:     field + "[" + strconv.Itoa(i) + "]",
			Message:  prefix + name + " to " + why,
		})
	}
	return out
}

// secretEnv reports whether a variable holds a literal secret and, if so,
// describes the value without showing it.
func secretEnv(name, value string) (string, bool) {
	why, _, ok := judgeEnv(name, value)
	return why, ok
}

// judgeEnv is secretEnv with the finding's severity: the material's when
// the value holds secret material ([FindSecret]), 0 (the check's) when the
// name or a URL's password gave it away.
func judgeEnv(name, value string) (string, hardening.Severity, bool) {
	if m, ok := FindSecret(value); ok {
		return "a value holding " + m.String(), m.Severity, true
	}
	return judgeLiteral(name, value)
}

// judgeLiteral is judgeEnv for a value FindSecret found nothing in.
func judgeLiteral(name, value string) (string, hardening.Severity, bool) {
	if value == "" {
		return "", 0, false
	}
	if urlWithPassword(value) {
		return "a URL with an embedded password (" + strconv.Itoa(len(value)) + " characters, not shown)", 0, true
	}
	if !LooksSecret(name) || harmlessValue(value) {
		return "", 0, false
	}
	return "a literal value of " + strconv.Itoa(len(value)) + " characters (not shown); its name says it is a secret", 0, true
}

// Name rules for [LooksSecret]. Words are compared in any letter case.
var (
	// secretInWord are found anywhere in a word: PGPASSWORD, DBSECRET.
	secretInWord = []string{"PASSWORD", "PASSWD", "PASSPHRASE", "SECRET"}
	// secretWordSuffixes end a word: TOKEN, GHTOKEN, APIKEY, CREDENTIALS.
	secretWordSuffixes = []string{"TOKEN", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SECRETKEY", "CREDENTIAL", "CREDENTIALS", "PASSWORD", "PWD"}
	// keyQualifiers make the next word KEY a secret: API_KEY, PRIVATE_KEY.
	keyQualifiers = []string{"API", "PRIVATE", "ACCESS", "SIGNING", "ENCRYPTION", "MASTER", "AUTH"}
	// harmlessLastWords end names of settings about a secret, not the
	// secret: TOKEN_FILE, PASSWORD_MIN_LENGTH, SECRET_NAME, TOKEN_URL.
	harmlessLastWords = []string{
		"FILE", "FILES", "PATH", "DIR", "DIRECTORY", "MOUNT", "LOCATION",
		"URL", "URI", "ENDPOINT", "HOST", "HOSTNAME", "PORT", "ADDR", "ADDRESS",
		"NAME", "USER", "USERNAME", "ID", "REF", "KEYREF", "ISSUER", "AUDIENCE", "SCOPE", "SCOPES",
		"TYPE", "KIND", "MODE", "FORMAT", "ALGORITHM", "ALG", "VERSION", "HEADER", "FIELD", "PARAM", "PREFIX", "SUFFIX",
		"ENABLED", "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "POLICY", "PROVIDER", "BACKEND", "STORE", "HASH",
		"LENGTH", "LEN", "SIZE", "MIN", "MAX", "COUNT", "LIMIT", "TTL", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION",
		"LIFETIME", "DURATION", "INTERVAL", "PERIOD", "SECONDS", "MINUTES", "HOURS", "DAYS", "ROTATION",
	}
)

// LooksSecret reports whether an environment variable's name says it holds
// a secret. Names are split into words at non-alphanumeric characters and
// at lower-to-upper case changes (dbPassword is db, Password). A name looks
// secret when a word contains PASSWORD, PASSWD, PASSPHRASE or SECRET; or
// ends in TOKEN, APIKEY, ACCESSKEY, PRIVATEKEY, SECRETKEY, CREDENTIAL(S) or
// PWD (PWD and OLDPWD alone are the shell's working directories and do not
// count); or is KEY after API, PRIVATE, ACCESS, SIGNING, ENCRYPTION, MASTER
// or AUTH.
// It does not when a word is PUBLIC (JWT_PUBLIC_KEY), or when the last word
// names a setting about the secret rather than the secret itself (_FILE,
// _PATH, _URL, _NAME, _USER, _ID, _TTL, _LENGTH…: see the package source
// for the list). It does not allocate.
func LooksSecret(name string) bool {
	secret := false
	prev, last := "", ""
	words := 0
	for w := range nameWords(name) {
		words++
		switch {
		case strings.EqualFold(w, "PUBLIC"), strings.EqualFold(w, "PUBLICKEY"):
			return false
		case anyInFold(w, secretInWord):
			secret = true
		case anySuffixFold(w, secretWordSuffixes):
			secret = true
		case strings.EqualFold(w, "KEY") && anyEqualFold(prev, keyQualifiers):
			secret = true
		}
		prev, last = w, w
	}
	if words == 1 && (strings.EqualFold(last, "PWD") || strings.EqualFold(last, "OLDPWD")) {
		return false // the shell's working directories
	}
	return secret && !anyEqualFold(last, harmlessLastWords)
}

// nameWords yields the words of a variable name.
func nameWords(name string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		start := -1
		for i := 0; i <= len(name); i++ {
			var c byte
			if i < len(name) {
				c = name[i]
			}
			word := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
			if word && start >= 0 && 'A' <= c && c <= 'Z' && 'a' <= name[i-1] && name[i-1] <= 'z' {
				if !yield(name[start:i]) { // camelCase boundary
					return
				}
				start = i
			}
			switch {
			case word && start < 0:
				start = i
			case !word && start >= 0:
				if !yield(name[start:i]) {
					return
				}
				start = -1
			}
		}
	}
}

func anyEqualFold(w string, list []string) bool {
	for _, s := range list {
		if strings.EqualFold(w, s) {
			return true
		}
	}
	return false
}

func anySuffixFold(w string, list []string) bool {
	for _, s := range list {
		if len(w) >= len(s) && strings.EqualFold(w[len(w)-len(s):], s) {
			return true
		}
	}
	return false
}

func anyInFold(w string, list []string) bool {
	for _, s := range list {
		for i := 0; i+len(s) <= len(w); i++ {
			if w[i]|0x20 == s[0]|0x20 && strings.EqualFold(w[i:i+len(s)], s) {
				return true
			}
		}
	}
	return false
}

// harmlessWords are values that are settings, not secrets.
var harmlessWords = []string{"true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none", "null", "nil"}

// harmlessValue reports values that are not secrets whatever the name says.
func harmlessValue(v string) bool {
	if anyEqualFold(v, harmlessWords) {
		return true
	}
	if len(v) <= 3 && digits(v) {
		return true
	}
	if isReference(v) || v[0] == '/' {
		return true
	}
	if len(v) >= 2 && v[0] == '<' && v[len(v)-1] == '>' {
		return true // <password>
	}
	if strings.Count(v, v[:1]) == len(v) && len(v) >= 3 && (v[0] == '*' || v[0] == 'x' || v[0] == 'X') {
		return true // ***, xxxx
	}
	return false
}

// isReference reports values that point at a secret kept elsewhere.
func isReference(v string) bool {
	switch {
	case strings.Contains(v, "$("), strings.Contains(v, "${"), strings.Contains(v, "{{"):
		return true // $(VAR) expanded by the kubelet, ${VAR} by a shell, {{ }} by a template
	case len(v) > 1 && v[0] == '$' && shellName(v[1:]):
		return true
	}
	for _, p := range [...]string{"vault:", "ref+", "arn:aws:", "sm://"} {
		if strings.HasPrefix(v, p) {
			return true
		}
	}
	return false
}

func shellName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// urlWithPassword reports a URL whose user information holds a password
// that is not itself a reference: scheme://user:password@host.
func urlWithPassword(v string) bool {
	i := strings.Index(v, "://")
	if i <= 0 {
		return false
	}
	authority := v[i+3:]
	if end := strings.IndexAny(authority, "/?#"); end >= 0 {
		authority = authority[:end]
	}
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return false
	}
	_, password, ok := strings.Cut(authority[:at], ":")
	return ok && password != "" && !isReference(password) && !strings.HasPrefix(password, "$")
}
