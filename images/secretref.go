package images

// Check images.secret-as-env: a Secret handed to a container as
// environment variables rather than as files.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].env[*].valueFrom.secretKeyRef
//	spec.{initContainers,containers,ephemeralContainers}[*].envFrom[*].secretRef
//
// Allowed values: none; every reference is reported, at info. Taking a
// Secret into the environment is the documented, RBAC-protected way and
// far better than a literal (images.secret-in-env), but the value then
// lives in the process environment: child processes inherit it,
// /proc/<pid>/environ shows it to anything running as the same user,
// crash reporters and debug endpoints dump it, and it cannot rotate
// without a restart. A mounted Secret volume has none of these, and most
// software reads a file as readily (the official database images read
// NAME_FILE, Grafana reads NAME__FILE). Whether the application can is not
// visible in a manifest, hence info: a suggestion to review, not a missing
// control.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SecretAsEnv reports Secrets handed to containers through env or envFrom.
var SecretAsEnv = &hardening.Check{
	ID:       "images.secret-as-env",
	Title:    "Secret passed as an environment variable where a mounted file would do",
	Severity: hardening.SeverityInfo,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindPod,
	// Environment variables mean the same on every OS.
	Platforms: hardening.PlatformAll,
	Rationale: "A Secret in the environment is inherited by every child process, readable in /proc/<pid>/environ by processes of " +
		"the same user, often dumped by crash reporters, debug pages and error trackers, and fixed for the life of the process. " +
		"Mounted as a file it stays out of all of these and is updated in place when the Secret rotates.",
	Remediation: "Mount the Secret as a volume (readOnly, with defaultMode 0400) and point the application at the file, for example " +
		"through its NAME_FILE or NAME__FILE variable, instead of valueFrom.secretKeyRef or envFrom.secretRef.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes good practices for Secrets", URL: "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"},
		{Kind: hardening.RefDoc, ID: "Kubernetes Secrets: using Secrets as files", URL: "https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod"},
		{Kind: hardening.RefDoc, ID: "CIS Kubernetes Benchmark 5.4.1 (prefer Secrets as files over environment variables)"},
		imNCC("inner-container"),
	},
	Run: runSecretAsEnv,
}

func runSecretAsEnv(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	for c := range s.Containers {
		for i := range c.Env {
			e := &c.Env[i]
			if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
				continue
			}
			ref := e.ValueFrom.SecretKeyRef
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "env["+strconv.Itoa(i)+"].valueFrom.secretKeyRef"),
				Message: "container " + strconv.Quote(c.Name) + " takes key " + strconv.Quote(ref.Key) + " of Secret " +
					strconv.Quote(ref.Name) + " into the environment variable " + e.Name,
			})
		}
		for i := range c.EnvFrom {
			ref := c.EnvFrom[i].SecretRef
			if ref == nil {
				continue
			}
			msg := "container " + strconv.Quote(c.Name) + " takes every key of Secret " + strconv.Quote(ref.Name) + " into its environment"
			if p := c.EnvFrom[i].Prefix; p != "" {
				msg += " (prefixed " + strconv.Quote(p) + ")"
			}
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "envFrom["+strconv.Itoa(i)+"].secretRef"),
				Message:   msg,
			})
		}
	}
	return out
}
