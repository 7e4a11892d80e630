// Package load decodes files and bytes into [hardening.Subject]s: Kubernetes
// objects, OCI runtime specs, OCI image configs and whole images (OCI
// image layouts, OCI archives, docker-archives), told apart by their
// content, not by their file names.
//
//	r := load.Paths(load.Options{}, "deploy/", "-")
//	for _, e := range r.Errors {
//		fmt.Fprintln(os.Stderr, e) // deploy/web.yaml: document 2: yaml: line 14: …
//	}
//	r.Audit(checks) // r.Subjects are ready for any hardening.Checker
//
// [Paths] loads files, directories and standard input ("-"), [Reader] an
// io.Reader, and [Bytes] content already in memory.
//
// A run over paths has two phases ([Open]): [Inputs.Cluster] reads every
// input once and keeps only the objects around workloads (namespaces,
// service accounts, RBAC, network policies, limit ranges, quotas,
// services, secrets by name and type) as a [hardening.Cluster], passing
// over workloads with a scan of each document's apiVersion and kind; then
// [Inputs.Stream] reads everything again, decodes and checks documents in
// parallel, and hands out one entry per subject, error and skipped document
// in input order, holding a few documents at a time. Standard input and
// pipes are spooled to temporary files for the two phases. Paths collects
// the stream. Each returns a
// [hardening.Result] with Subjects, Errors and Skipped set; Findings is
// nil until the result is audited.
//
// # What is detected
//
// Every document is decoded to JSON and recognised by its keys:
//
//   - apiVersion and kind: a Kubernetes object. Pod, PodTemplate and
//     ReplicationController (v1), Deployment, StatefulSet, DaemonSet and
//     ReplicaSet (apps/v1), Job and CronJob (batch/v1) become subjects of
//     kind [hardening.KindPod]. kind: List (v1), as kubectl get -o yaml
//     writes it, is decoded item by item, and so are the typed lists of
//     those kinds (PodList, DeploymentList, …), whose items may omit
//     apiVersion and kind. Any other object — a Service, a CRD, or a known
//     kind at another version such as apps/v1beta1 Deployment — is
//     recorded in Result.Skipped as "<apiVersion> <kind>", not as an
//     error. A ReplicationController without spec.template has no pod to
//     audit and is an error.
//   - ociVersion: an OCI runtime spec (config.json), of kind
//     [hardening.KindOCISpec]. A document with ociVersion, status or
//     bundle and neither process nor root is the container state a
//     runtime passes to hooks: it is skipped as "OCI container state".
//   - rootfs with type or diff_ids, or architecture, os and config
//     together: an OCI image config, of kind [hardening.KindImage].
//     Docker's image config JSON has the same shape and decodes into the
//     same type. OCI image manifests and indexes are skipped.
//
// Anything else is an error, with three exceptions recognised before
// documents are split: an OCI image layout directory, a tar archive of
// images, and a gzip-compressed file (an error that says to decompress
// it); see Images below. Kubernetes objects are decoded with the API
// server's rules: object keys are case-sensitive ("HostPID" is not
// hostPID) and unknown fields are ignored. Specs and image configs are
// decoded with encoding/json, as runc, containerd and Docker decode them.
// YAML is YAML 1.1 as sigs.k8s.io/yaml reads it, like kubectl: an
// unquoted yes, no, on, off, y or n is a boolean.
//
// # Names and field paths
//
// A Pod subject is named [hardening.ObjectName] of the object:
// "Deployment/prod/web", "Pod/debug". A workload's pod template is lifted
// into a Pod: its metadata and spec are the template's, its name and
// namespace the workload's, and Subject.WorkloadAnnotations holds the
// workload's own metadata.annotations (nil for a bare Pod).
// Subject.PodSpecPath and PodMetaPath say where the template sits in the
// original object, so findings point into the file the user wrote:
//
//	Pod                                  spec, metadata
//	Deployment, StatefulSet, DaemonSet,  spec.template.spec,
//	ReplicaSet, ReplicationController,   spec.template.metadata
//	Job
//	CronJob                              spec.jobTemplate.spec.template.spec, …metadata
//	PodTemplate                          template.spec, template.metadata
//
// Inside a List the paths start with the item: "items[3].spec.template.spec".
// Subject.WorkloadMetaPath says where the workload's metadata sits
// ("metadata", or "items[3].metadata" in a List), so suppression findings
// point at the right annotation.
//
// A spec or image config subject is named after its source: the file as
// the user gave it, followed by "#N" for any document but the first.
//
// # Documents
//
// A source holds one or more documents separated by "---" lines;
// [Documents] splits it exactly as the loader does. Documents are numbered
// from 0, and that number is Subject.Document, Skipped.Document and
// DocumentError.Document. Empty and comment-only documents are skipped
// without error but keep their number, so the numbers match what an editor
// shows. A List's items share the List's document number.
//
// # Images
//
// Three forms of whole images are detected by content and loaded with
// their layers, one subject of kind [hardening.KindImage] per image, with
// Subject.Image (the config), Subject.ImageRef and Subject.ImageContents
// set:
//
//   - An OCI image layout: a directory holding oci-layout (version 1.x),
//     index.json and blobs/<alg>/<hex>, as umoci, skopeo (oci:), buildah
//     and crane write it. Its files are read within the directory (an
//     [os.Root]): a symbolic link — a blob, blobs/sha256 itself — may
//     lead elsewhere in the layout, never out of it.
//   - An OCI archive: an uncompressed tar of such a layout (skopeo
//     oci-archive:, docker buildx --output type=oci).
//   - A docker-archive: an uncompressed tar with manifest.json (docker
//     save, skopeo docker-archive:). An archive that holds both
//     manifest.json and an OCI layout (docker save since Docker 25) is
//     read as a docker-archive, for its RepoTags.
//
// Each entry of index.json (each entry of manifest.json) is one image.
// An entry naming a multi-platform index, or an index of indexes, is
// resolved to the image for Options.Platform (default "linux/" +
// runtime.GOARCH, see [DefaultPlatform]); an index with no image for it is
// an error ([ErrNoPlatform]) listing the platforms it has.
//
// An image is named "<source>:<ref>", where ref is its
// org.opencontainers.image.ref.name annotation (OCI) or its first RepoTag
// (docker-archive), which is also Subject.ImageRef. An unnamed image is
// named "<source>@<digest>" (the manifest's digest, or the config's in a
// docker-archive), or plain "<source>" when it is the only image.
// Subject.Document is the entry's index in index.json or manifest.json.
// Subject.ImageConfigMediaType is the config's media type as the manifest
// names it (Docker's for a docker-archive), and Subject.ImageHealthcheck
// Docker's config.Healthcheck, decoded from the same config bytes.
//
// [Paths] takes "DIR:REF" and "ARCHIVE:REF" to load only the image named
// REF (any of its RepoTags in a docker-archive): the path is split at the
// first colon whose left part is an existing layout or image archive, so
// "app.tar:registry.example/app:1" works and a path that exists as
// written is never split. No image named REF is an error listing the
// names there are.
//
// [Reader] reads an archive in place when given a regular file (standard
// input redirected from one); otherwise, like [Bytes], it holds the
// archive in memory, within MaxFileSize.
//
// Reading an image verifies every blob as it streams: the size and digest
// (sha256 or sha512) of index, manifest, config and layer blobs against
// their descriptors, the media types (OCI, and Docker schema 2 manifests,
// manifest lists, configs and layers), that the config's rootfs.diff_ids
// match the layers (in count; in digest for uncompressed layers, whose
// digest is their diff ID, and for every docker-archive layer, whose
// uncompressed content is hashed since nothing else names it). A
// docker-archive config named by its digest ("<hex>.json",
// "blobs/sha256/<hex>") is verified too. Docker schema 1 manifests,
// zstd layers, artifacts (a manifest whose config is not an image config)
// and unknown media types are errors ([ErrUnsupported]).
//
// # Image contents
//
// Layers — uncompressed tar or gzip, told apart by their first bytes —
// are streamed in order into Subject.ImageContents, never extracted and
// never buffered: the merged filesystem the image runs with. A later
// layer's entry replaces an earlier one's (a file replacing a directory
// drops what was below it); a whiteout ".wh.<name>" deletes name and
// everything below it, and an opaque whiteout ".wh..wh..opq" deletes
// everything below its directory, both from lower layers only, whatever
// the order of entries in their own layer: a directory whited out (or
// below an opaque directory) that holds entries of the whiteout's own
// layer stays as the directory they imply, without the lower layer's
// mode and owner. A whiteout that names no file (".wh.", ".wh..") is an
// error. AUFS metadata (".wh..wh.*") is ignored. Files are sorted by path; each records the layer that last
// wrote it (digest and index; a docker-archive layer's digest is its diff
// ID), its mode with the type, setuid, setgid and sticky bits, owner,
// size, link target, device numbers and extended attributes (PAX records
// SCHILY.xattr.*, as umoci, Docker and GNU tar write them:
// security.capability holds file capabilities). Directories that entries
// imply but no entry lists are not in Files.
//
// Entry names are made absolute and clean ("./usr/bin/", "usr/bin" and
// "/usr/bin" are "/usr/bin"). A name that climbs out of the root
// ("../etc/passwd", "a/../../b") is an error for its image, as container
// runtimes refuse such layers, and so is an entry that names the root
// ("./", "/") but is not a directory. Link targets are not resolved, so link
// loops cost nothing: a symbolic link's Linkname is kept as written; a
// hard link's (Hardlink set) is made absolute like an entry name, or kept
// as written when it climbs out of the root, for checks to flag. A hard
// link takes its size and kept content from its target when the target is
// known.
//
// File content is kept only for files Options.KeepContent asks for,
// within Options.MaxKeptContent bytes per image.
//
// An image with any error — a bad blob, a bad layer, a limit hit — yields
// no subject, only the error: its contents could not be trusted.
//
// # Directories
//
// A directory is walked recursively in lexical order. Only regular files
// (or symbolic links to them) named *.yaml, *.yml, *.json or *.tar are
// read; symbolic links to directories are not followed. A directory whose
// config.json holds an OCI runtime spec is an OCI bundle: its config.json
// is loaded and nothing else below it is read, since its rootfs may be a
// whole operating system. A directory holding an oci-layout file is an
// OCI image layout, loaded as such without descending into it. A *.tar
// file that is not an image archive is skipped (Result.Skipped), not an
// error. A file named explicitly is read whatever its name.
//
// # Limits
//
// The loader reads hostile input; [Options] bounds what it costs:
//
//   - MaxFileSize (64 MiB): every source is read through an
//     io.LimitReader, never trusting its stat, so /dev/zero costs 64 MiB.
//     A larger source is one error for the whole source.
//   - MaxDocumentSize (2 MiB): a larger document is an error.
//   - MaxDepth (100): a document nesting maps and arrays deeper is an
//     error ([ErrTooDeep]). JSON is checked by a scan before it is
//     decoded; YAML by a scan of its flow collections before the YAML
//     parser sees it, and exactly on the JSON it converts to.
//   - Images: MaxDocumentSize and MaxDepth bound every JSON file and blob
//     (oci-layout, index.json, manifests, indexes, configs,
//     manifest.json), checked against the descriptor's size before
//     reading. MaxLayerSize (8 GiB) bounds each layer's uncompressed
//     bytes, counted while streaming, so a gzip bomb stops there, and
//     MaxTotalLayerSize (64 GiB) all the layer bytes one layout or archive
//     makes bulwark read, so an index naming the same large layer
//     thousands of times stops too. MaxEntries (1,000,000) bounds the tar entries of one image, over all
//     its layers, with the directories they imply without listing them
//     (one entry "a/a/…/a/f" implies thousands), and the entries of an
//     image archive. MaxNameLength (4096) bounds every entry name and
//     link target. MaxMetadataSize (256 MiB) bounds the names, links and
//     extended attributes one image's contents hold, and MaxKeptContent
//     (1 MiB) the file content kept. Indexes nest at most 8 deep, and an
//     image's search for its platform reads each index once, however
//     often indexes name it. Whiteouts cost one pass over what they hide,
//     however often a layer repeats them. Memory stays flat whatever the
//     layer size: a layer is read through fixed buffers (64 KiB, plus
//     the gzip window), and archives are read in place through their
//     index of entries. A limit hit is an error wrapping [ErrTooLarge].
//   - YAML aliases: go-yaml refuses the "billion laughs", but counts nodes,
//     not bytes, so one large scalar aliased many times would still expand
//     to gigabytes. The loader bounds the expansion before parsing (it
//     assumes each alias expands to everything between its anchor and
//     itself) and refuses a document that may expand past
//     MaxDocumentSize ([ErrTooLarge]). The bound is conservative: a
//     document using one anchor many times, far below it, may be refused
//     although it would expand modestly.
//
// # Errors
//
// Every problem is a [*hardening.DocumentError] naming the source as the
// user gave it, the document (-1 for the whole source: unreadable, too
// large) and what was wrong, including the object's name and the line of
// the source where YAML reports one:
//
//	deploy/web.yaml: document 2: yaml: line 27: did not find expected key
//	deploy/list.yaml: document 0: items[4]: Pod/prod/api: json: cannot unmarshal number into Go struct field PodSpec.spec.containers of type []v1.Container
//
// Image errors name the source, the image (its ref, or its digest) and
// the blob, and wrap [ErrDigestMismatch], [ErrSizeMismatch],
// [ErrUnsupported], [ErrInvalidLayer], [ErrNoPlatform] or [ErrTooLarge]
// where they apply:
//
//	images/app: document 0: image v1: layer 2 sha256:3f…: digest mismatch: the blob's digest is sha256:9c…
//	app.tar: document 1: image example/app:2: layer 0 blobs/sha256/ab… (sha256:ab…): invalid layer: entry "../etc/passwd" climbs out of the image root
//
// An error about the whole layout or archive (no index.json, a truncated
// archive, no image named REF) has Document -1.
//
// One bad document never hides the others, and no input makes the loader
// panic.
package load
