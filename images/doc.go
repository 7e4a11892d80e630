// Package images holds the checks on what a container runs: whether its
// image reference pins the content, how the node pulls it, and secrets
// written into its environment.
//
// # Checks
//
//	images.latest-tag              image without a tag or tagged latest, and no digest (medium)
//	images.digest-missing          image with another tag but no digest (low)
//	images.pull-policy-not-always  image without a digest and imagePullPolicy not Always, unset read as the API server defaults it (low)
//	images.secret-in-env           literal secret in a Pod's env, an image's ENV (high) or an OCI spec's process.env
//
// Each check's file opens with the fields it reads and the values it
// allows. Every container is visited: init, regular and ephemeral (which
// have an image, a pull policy and env like the others).
//
// # Image references
//
// [ParseReference] splits a reference into domain, path, tag and digest
// without allocating and without normalizing, and tells a registry port
// from a tag: "localhost:5000/app" has no tag, "app:1.2@sha256:…" has both
// a tag and a digest and counts as pinned, because runtimes pull the
// digest.
//
// # Secrets in the environment
//
// images.secret-in-env is here because secrets are part of what an image
// and its configuration carry, and the same rules read a Pod's env, an
// image config's Env and an OCI spec's process.env. It favours few false
// positives over recall: [LooksSecret] decides from the variable's name
// (DB_PASSWORD and apiKey yes; TOKEN_FILE, PASSWORD_MIN_LENGTH,
// JWT_PUBLIC_KEY no), values that are references, paths, booleans or
// placeholders are ignored, and a URL with an embedded password is reported
// whatever its name. Findings never show the value.
package images
