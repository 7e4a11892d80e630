// Command audit is bulwark's reference command: it audits Kubernetes
// manifests, OCI runtime specs and image configs, and exits non-zero when
// something at or above a severity is found.
//
//	audit [-profile NAME[@vMAJOR.MINOR|@latest]] [-format text|json|sarif]
//	      [-fail-on SEVERITY] [-show-suppressed] [PATH|-]...
//
// With no PATH it audits an embedded sample: a careless Deployment, a
// hardened Pod, an OCI runtime spec and an image config.
//
// Exit status: 0 when no unsuppressed finding is at or above -fail-on, 1
// when one is, 2 on a usage error or an input that could not be read.
package main
