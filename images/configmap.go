package images

// Check images.secret-in-configmap: a secret written into a ConfigMap.
//
// Object fields (ConfigMap subjects, [hardening.KindObject]):
//
//	data[*], binaryData[*]
//
// Allowed values: anything that holds no secret by these rules:
//
//   - a value of data or binaryData that holds secret material of a
//     recognisable shape ([FindSecret]: a PEM private key, an AWS access key
//     ID, a GitHub, Slack or Stripe token, a JSON Web Token) is reported with
//     the material's severity (high for a key or token, medium for an
//     encrypted key or an AWS key ID, info for AWS's documentation keys);
//   - a one-line value of data is judged as an environment variable by
//     images.secret-in-env, its key as the name: a key that says it holds a
//     secret (DB_PASSWORD, apiKey: [LooksSecret]) with a value that is not
//     harmless, or a URL with a password whatever the key (medium). Keys
//     become variable names through envFrom, and a key like this is a
//     variable written in another place. Multi-line values are files, whose
//     key is a file name: they count for their material and for a line with
//     a URL with a password in it (medium).
//
// Annotations are not read (kubectl's last-applied-configuration repeats
// the data, and would report each secret twice). One finding per key, at
// data[key] or binaryData[key]; its message names the key, the kind of
// material and its length, never the value.

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

// SecretInConfigMap reports ConfigMaps that hold secrets.
var SecretInConfigMap = &hardening.Check{
	ID:       "images.secret-in-configmap",
	Title:    "secret in a ConfigMap",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindObject,
	// A ConfigMap is the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "ConfigMaps are not meant to be confidential: roles that may read a namespace's configuration (view, and most " +
		"operators) may read them, they are not encrypted at rest when Secrets are, and they are committed, diffed and logged as " +
		"ordinary configuration. A key or token in one is readable by far more people and programs than its owner intended.",
	Remediation: "Move the value into a Secret (kubernetes.io/tls or kubernetes.io/ssh-auth for keys, Opaque otherwise), mount it or " +
		"reference it from there, keep the Secret out of the repository (sealed or external secrets), and rotate it: it has been exposed.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes ConfigMaps", URL: "https://kubernetes.io/docs/concepts/configuration/configmap/"},
		{Kind: hardening.RefDoc, ID: "Kubernetes good practices for Secrets", URL: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"},
		imNCC("inner-container"),
	},
	Run: runSecretInConfigMap,
}

func runSecretInConfigMap(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Object == nil {
		return out
	}
	cm, ok := s.Object.Object.(*corev1.ConfigMap)
	if !ok || cm == nil {
		return out
	}
	// A first pass without allocating: a ConfigMap without secrets costs
	// nothing. Only when one holds a secret are its keys sorted, so that
	// findings come in a deterministic order.
	hit := false
	for k, v := range cm.Data {
		if _, _, ok := configMapValue(k, v); ok {
			hit = true
			break
		}
	}
	if !hit {
		for _, v := range cm.BinaryData {
			if _, ok := FindSecretBytes(v); ok {
				hit = true
				break
			}
		}
	}
	if !hit {
		return out
	}
	for _, k := range slices.Sorted(maps.Keys(cm.Data)) {
		if why, sev, ok := configMapValue(k, cm.Data[k]); ok {
			out = append(out, hardening.Finding{
				Severity: sev,
				Path:     s.ObjectPath(hardening.Key("data", k)),
				Message:  "key " + strconv.Quote(k) + " holds " + why,
			})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(cm.BinaryData)) {
		if m, ok := FindSecretBytes(cm.BinaryData[k]); ok {
			out = append(out, hardening.Finding{
				Severity: m.Severity,
				Path:     s.ObjectPath(hardening.Key("binaryData", k)),
				Message:  "binary key " + strconv.Quote(k) + " holds " + m.String(),
			})
		}
	}
	return out
}

// configMapValue judges one entry of data: its material wherever it is,
// and, for a one-line value, the key as an environment variable's name.
func configMapValue(k, v string) (string, hardening.Severity, bool) {
	if m, ok := FindSecret(v); ok {
		return m.String(), m.Severity, true
	}
	if strings.IndexByte(v, '\n') >= 0 {
		for line := range strings.Lines(v) {
			if urlWithPassword(line) {
				return "a file with a URL with an embedded password (" + strconv.Itoa(len(v)) + " characters, not shown)", hardening.SeverityMedium, true
			}
		}
		return "", 0, false
	}
	why, sev, ok := judgeLiteral(k, v) // FindSecret found nothing above
	if !ok {
		return "", 0, false
	}
	if sev == 0 {
		sev = hardening.SeverityMedium
	}
	return why, sev, true
}
