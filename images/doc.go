// Package images holds the checks on what a container runs: whether its
// image reference pins the content, how the node pulls it, secrets written
// into its environment, configuration and files, what its build did, and
// what its filesystem carries.
//
// # Checks
//
// Pod references and environment:
//
//	images.latest-tag              image without a tag or tagged latest, and no digest (medium)
//	images.digest-missing          image with another tag but no digest (low)
//	images.pull-policy-not-always  image without a digest and imagePullPolicy not Always, unset read as the API server defaults it (low)
//	images.secret-in-env           literal secret in a Pod's env, an image's ENV (high) or an OCI spec's process.env, by name or by value (FindSecret)
//	images.secret-as-env           a Secret taken into env (secretKeyRef) or envFrom (secretRef) where a mounted file would do (info)
//
// ConfigMaps (Kind object):
//
//	images.secret-in-configmap     secret material in data or binaryData, a secret-named one-line data key, a URL with a password (high; by name medium)
//
// Image config (Kind image):
//
//	images.named-user              USER is a name, not a uid (info; high when /etc/passwd gives it uid 0, low when it lacks it)
//	images.secret-in-config        literal secret in config.Labels or history: ENV/ARG, build arguments, command lines (high)
//	images.sensitive-port          EXPOSE of SSH, Telnet, RDP, VNC, Docker, etcd, kubelet or API server ports (per port, medium to critical)
//	images.healthcheck-missing     Docker-format image without HEALTHCHECK, or HEALTHCHECK NONE (info; unknown for OCI format)
//	images.remote-add              ADD of a URL without --checksum (low; medium over http)
//	images.curl-pipe-shell         a download piped or substituted into a shell (medium)
//	images.sudo                    sudo, doas or su in RUN steps (medium; su low) or as ENTRYPOINT/CMD (high)
//	images.unpinned-upgrade        whole-system package upgrade, or an index update with no install in the step (low)
//	images.base-not-pinned         the subject's ImageRef (medium) or base.name label (low) is latest or untagged, without digest
//
// Image contents (Kind image with [hardening.Subject.ImageContents]):
//
//	images.setuid-file             setuid/setgid regular file (medium; info for the usual distribution binaries)
//	images.world-writable          file, or directory without the sticky bit, writable by others (medium)
//	images.private-key             SSH, host or PEM private key (high; encrypted medium; test/doc directories info)
//	images.credential-file         .aws/credentials, .docker/config.json auths, .npmrc token, .netrc, .git-credentials… (high)
//	images.shadow-empty-password   empty password field in /etc/shadow or /etc/passwd (high; root critical)
//	images.extra-root-user         uid 0 account other than root (high)
//	images.shell-present           a shell in a bin directory (info)
//	images.package-manager-present a package manager in a bin directory (info)
//	images.package-cache           apt, apk, yum/dnf, zypper, pip or npm cache left behind (low)
//	images.file-capabilities       security.capability attribute (medium; root-equivalent high; distribution ping/newuidmap info)
//	images.device-node             character or block device (under /dev low; elsewhere medium, block high)
//	images.link-escape             relative symlink climbing above / (low), hard link above / (high) or to a missing file (low)
//
// Each check's file opens with the fields it reads and the values it
// allows. Every container is visited: init, regular and ephemeral (which
// have an image, a pull policy and env like the others). Config findings
// have paths into the config JSON with image-spec's key names
// (config.User, config.ExposedPorts[22/tcp], history[3].created_by);
// content findings have the file's absolute path in the image, and their
// message names the layer that wrote it (index and digest). A stock
// distribution image (Debian, Ubuntu, Fedora) has nothing above info.
//
// # Image references
//
// [ParseImageRef] splits a reference into domain, path, tag and digest
// without allocating and without normalizing, and tells a registry port
// from a tag: "localhost:5000/app" has no tag, "app:1.2@sha256:…" has both
// a tag and a digest and counts as pinned, because runtimes pull the
// digest.
//
// # Secrets
//
// images.secret-in-env is here because secrets are part of what an image
// and its configuration carry, and the same rules read a Pod's env, an
// image config's Env and an OCI spec's process.env. It favours few false
// positives over recall. Values are read first: [FindSecret] recognises
// secret material by the shapes its issuers gave it (PEM private keys, AWS
// access key IDs, GitHub, Slack and Stripe tokens, JSON Web Tokens) under
// any name, an OpenSSH key in a variable called the_good_stuff included.
// Then [LooksSecret] decides from the variable's name (DB_PASSWORD and
// apiKey yes; TOKEN_FILE, PASSWORD_MIN_LENGTH, JWT_PUBLIC_KEY no), values
// that are references, paths, booleans or placeholders are ignored, and a
// URL with an embedded password is reported whatever its name.
// images.secret-in-configmap reads a ConfigMap's data and binaryData with
// the same rules, and images.secret-as-env notes Secrets that reach a
// process through its environment rather than a file.
// images.secret-in-config applies the same rules to labels and to the
// names in history (ENV and ARG, build arguments, NAME=… and --name=… in
// command lines), plus curl -u and docker login -p; it is a check of its
// own so that each ID keeps one meaning. The file checks decide from a
// file's place and content, never from an extension alone. Findings never
// show the value: secret material is named by its kind, its length and the
// prefix every secret of its kind shares (ghp_…, AKIA…, a PEM BEGIN line).
//
// # History
//
// The history checks read history[*].created_by as the builders write it
// (the classic builder's "/bin/sh -c #(nop) …" and "|N K=V /bin/sh -c …",
// BuildKit's "RUN … # buildkit") and split commands at the shell's
// control operators without a full shell parser. They are heuristics:
// an image without history passes them, proving nothing.
//
// # Loaders
//
// [WantsContent] tells a loader which files' content the content checks
// read (account databases, key and credential candidates, up to
// [MaxContent] bytes). images.healthcheck-missing needs what image-spec's
// struct drops, the config's media type and Docker's Healthcheck: a loader
// of its own sets [hardening.Subject.ImageConfigMediaType] and
// [hardening.Subject.ImageHealthcheck], decoding the same config bytes a
// second time into struct{ Config struct{ Healthcheck
// *hardening.ImageHealthcheck } }.
package images
