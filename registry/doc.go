// Package registry reads container images from OCI distribution
// registries (Docker Hub, GHCR, Harbor, distribution, Zot, ECR, GCR, …)
// for bulwark's loader: set [load.Options.Registry] to a [*Client] and
// image references are audited wherever paths are:
//
//	client, err := registry.New(registry.Options{})
//	…
//	r := bulwark.AuditPaths(checks, load.Options{Registry: client},
//		"registry.example/shop/api:1.4", "deploy/")
//
// It is its own module so that importing bulwark's checks never pulls in
// a registry client; it depends on nothing but the standard library and
// bulwark.
//
// # What is read
//
// A reference names its image by tag or by digest. The client fetches the
// manifest (or index) once, within the loader's MaxDocumentSize, and hands
// the loader a fetcher of the config and layers: every blob is streamed
// once through the loader's digest and size checks, limits, platform
// selection and whiteout merging, and nothing is written to disk. A
// manifest named by digest must have that digest; one named by tag must
// have the digest the registry's Docker-Content-Digest header says, when
// it says one.
//
// # Credentials
//
// Credentials are found where docker, podman and skopeo keep them, the
// first file that names the registry winning:
//
//  1. $REGISTRY_AUTH_FILE;
//  2. $XDG_RUNTIME_DIR/containers/auth.json (podman login);
//  3. $XDG_CONFIG_HOME/containers/auth.json (~/.config/containers/auth.json);
//  4. $DOCKER_CONFIG/config.json, or ~/.docker/config.json (docker login).
//
// An entry matches the registry host ("registry.example",
// "localhost:5000"; "docker.io" for Docker Hub, also written
// "https://index.docker.io/v1/"), or, in auth.json, a repository below it
// ("registry.example/team": the longest match wins). In a docker config,
// credHelpers names the credential helper of a registry and credsStore the
// helper of every other one: the helper is run as "docker-credential-NAME
// get" with the registry on its standard input, as docker runs it. An
// identity token (docker's identitytoken, a helper's "<token>" user) is
// exchanged for a bearer token as an OAuth2 refresh token. Without
// credentials the client is anonymous.
//
// Authentication follows the registry's WWW-Authenticate challenge: Basic
// sends the credentials, Bearer fetches a pull-scoped token from the realm
// (with the credentials, or anonymously) and caches it until it expires.
//
// # Transport
//
// HTTPS always, verified against the system's certificate pool (which
// honours SSL_CERT_FILE and SSL_CERT_DIR) plus the CA certificates
// (*.crt) of the registry's certs.d directory as docker and podman read
// them: /etc/docker/certs.d/HOST[:PORT], /etc/containers/certs.d/HOST[:PORT]
// and $XDG_CONFIG_HOME/containers/certs.d/HOST[:PORT], which also hold
// client certificates (NAME.cert with NAME.key). Plain HTTP only for the
// hosts named in Options.PlainHTTP, never as a fallback.
//
// Every connection is bounded: a dial timeout, a TLS handshake timeout, a
// time to the response's headers, a total time for manifests and tokens,
// and a progress timeout for blobs (a response that delivers less than
// Options.MinProgress bytes in any Options.IdleTimeout is abandoned, so a
// server that drips bytes cannot hold a run). Redirects stop after
// Options.MaxRedirects hops, never downgrade HTTPS to HTTP, and never lead
// to a link-local or cloud metadata address (169.254.0.0/16, fe80::/10,
// fd00:ec2::254, 100.100.100.200, metadata.google.internal), nor may a
// token realm: those are refused when named and when a name resolves to
// them. Authorization is not sent to another host a redirect leads to.
// Responses are read within limits: manifests within the loader's
// MaxDocumentSize, tokens and error bodies within 1 MiB, headers within
// 64 KiB.
//
// # Images behind workloads and provenance
//
// [Client.WorkloadImages] gives Pods the image configs of their
// containers from their registries (config only, cached per reference and
// per digest, the local user's credentials; pull secrets in a cluster are
// not read), and findings that rest on a config resolved by tag say that
// a node may have pulled another image under it. For every image read
// from a registry the client also looks up what is attached to it —
// signatures, attestations, SBOMs — through the OCI referrers API, or
// where the registry has none through the referrers tag (sha256-HEX) and
// cosign's tags (sha256-HEX.sig, .att, .sbom), into
// Subject.ImageProvenance; [ProvenanceCheck] reports it as information.
// Nothing is verified: that is cosign's, notation's or an admission
// policy's job.
//
// # Errors
//
// An unknown tag, wrong credentials, a registry that is down or not a
// registry, a blob that is not what its digest says: each is an error of
// the reference's source, which a run reports as an input error (exit
// status 2 in examples), never as a clean verdict.
//
// # Not here
//
// Vulnerability scanning is out of scope: bulwark audits how an image is
// built and configured (its user, its files, its config), not which known
// vulnerabilities its packages have; use a scanner (Trivy, Grype) for that.
package registry
