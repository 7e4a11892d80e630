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
//   - apiVersion and kind: a Kubernetes object, read as described in
//     Kubernetes objects below. Every object that carries a pod template
//     or a pod spec becomes subjects of kind [hardening.KindPod]; any other
//     object is recorded in Result.Skipped with the reason, not as an
//     error.
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
// unquoted yes, no, on, off, y or n is a boolean. Most manifests are
// written in a plain part of YAML that the loader converts to JSON in one
// pass over the lines, byte for byte as sigs.k8s.io/yaml converts it
// (internal/yamljson); everything else goes through sigs.k8s.io/yaml.
//
// # Kubernetes objects
//
// An object is recognised by its API group (the part of apiVersion before
// the last "/", "" for the core group: "v1") and kind, whatever the
// version, in this order:
//
//   - Lists. kind: List, as kubectl get -o yaml writes it, and any kind
//     ending in List that has an items member (PodList, DeploymentList,
//     RolloutList, WidgetList) is decoded item by item. The items of a
//     typed list may omit apiVersion and kind: they take the list's
//     apiVersion and its kind without "List". Items of a List share its
//     document number and their paths start with "items[N].".
//
//   - Built-in workloads, decoded whole with the GA types of k8s.io/api:
//     Pod, PodTemplate and ReplicationController in the core group;
//     Deployment, StatefulSet, DaemonSet and ReplicaSet in apps and
//     extensions (apps/v1beta1, apps/v1beta2, extensions/v1beta1); Job and
//     CronJob in batch (batch/v1beta1, batch/v2alpha1). The pod template
//     is core/v1 at every version; fields only older versions have
//     (rollbackTo, templateGeneration) are ignored as unknown fields. Those
//     six workload kinds are also read in the core group (apiVersion: v1,
//     kind: Deployment, a common mistake): the API server rejects such an
//     object, but its pod template is what runs once the apiVersion is
//     fixed, so it is audited as the workload it names. A
//     ReplicationController without spec.template is an error.
//
//   - Custom resources whose pod template sits at a known path, in any
//     version of their group (the table below). Their metadata and the
//     template are decoded with the core/v1 types (a template that does not
//     decode is an error); their other fields are the operator's business
//     and are not read. Without a template the object is an error, except a
//     Rollout with spec.workloadRef (its pods run the named workload's
//     template, audited where that workload is in the input) and a Knative
//     Service or Configuration without spec.template (the v1alpha1 forms):
//     both are skipped with Skipped.Controller set.
//
//   - Custom resources whose containers run in pods that are not in the
//     input, skipped with the controller named in Skipped.Controller: Argo
//     CD Application and ApplicationSet, Flux HelmRelease and
//     Kustomization (manifests rendered elsewhere); Prometheus,
//     Alertmanager, ThanosRuler and PrometheusAgent (the Prometheus
//     Operator merges their spec.containers into containers it generates)
//     and the Elastic Cloud on Kubernetes kinds (Elasticsearch, Kibana,
//     ApmServer, EnterpriseSearch, Beat, Agent, ElasticMapsServer,
//     Logstash: podTemplate fields merged into the operator's defaults);
//     OpenKruise SidecarSet (containers injected into other pods); Argo
//     Workflows' Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
//     CronWorkflow, and every tekton.dev kind (see below). Objects with
//     pod-shaped fields that are no pods are skipped too, with no
//     controller: kyverno.io policies (their patterns), apps
//     ControllerRevision (a stored copy of a template), CRDs (schemas) and
//     kustomize.config.k8s.io Kustomization.
//
//   - Any other object is searched for pod templates and pod specs by
//     shape, as described next. An object with none is skipped with the
//     reason "no pod template or pod spec in it".
//
// The custom resources read at a known path:
//
//	kind (group)                                             pod template at
//	DeploymentConfig (apps.openshift.io; v1 in OpenShift 3)  spec.template
//	Rollout (argoproj.io)                                    spec.template
//	CloneSet, StatefulSet, DaemonSet, BroadcastJob           spec.template
//	  (apps.kruise.io)
//	ScaledJob (keda.sh)                                      spec.jobTargetRef.template
//	Service, Configuration (serving.knative.dev)             spec.template
//	Revision (serving.knative.dev)                           spec: a pod spec, with the
//	                                                           Revision's metadata as the pod's
//
// # Pod specs found by shape
//
// The search reads the object's JSON once, as a stream: it never
// recurses, visits at most 1,048,576 values and reports at most 1,000
// templates, pod specs and missed containers per object; past either
// bound the object is an error wrapping [ErrTooLarge]. Repeated keys
// resolve as in the API server: the last one wins, and nothing found in an
// earlier value counts. Keys are case-sensitive and compared after JSON
// unescaping. The top-level metadata and status are not searched (status
// is what a controller observed, not what runs). The rules:
//
//   - A container is an object whose "image" member is a string.
//   - A pod spec is an object whose "containers" member is a non-empty
//     array of containers. Other pod spec fields need not be there.
//   - A pod template is an object, other than the top level, whose "spec"
//     member is a pod spec and that is not itself a pod spec (an object
//     that is both is read as a pod spec). Its "metadata" member is the
//     pod's metadata.
//   - Nothing inside a pod template or pod spec is searched further: it
//     belongs to that pod.
//
// Each template becomes a subject as a workload's template does
// (PodSpecPath "<path>.spec", PodMetaPath "<path>.metadata", the object's
// annotations in WorkloadAnnotations). A pod spec at the object's
// top-level "spec" makes the object shaped like a Pod: its metadata is the
// pod's (PodSpecPath "spec", PodMetaPath "metadata"). A pod spec under any
// other key (a KServe predictor) has no pod metadata of its own:
// PodMetaPath is the object's "metadata", and the object's annotations are
// read as a workload's. A found template or pod spec that does not decode
// as core/v1 is an error naming its path.
//
// Containers the rules cannot audit are recorded in Result.Skipped as
// parts of the object (Skipped.Part, with Skipped.Path), whether or not
// the object gave subjects: a "containers" member that is not null, not
// empty and not a list of containers ("element 0 has no image", as in a
// Flink pod template, which patches containers the operator defines), a
// lone container under a "container" member (a Numaflow vertex's udf),
// and containers at the object's top level, which no pod spec path can
// name. A lone container is not lifted into a pod of its own: a
// finding's path is the pod spec path followed by
// "containers[N]", which cannot point at a "container" member, and the
// pod-level fields such a container runs with live elsewhere (for Argo
// Workflows in the template and in the workflow's spec, with a
// podSpecPatch string besides; for Tekton the steps of a task are
// containers under "steps" and its pod fields are in the TaskRun's
// podTemplate). Findings there would point where no fix goes, so those
// kinds are skipped with their controller named rather than audited in
// part.
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
//	Job, and the custom resources above
//	CronJob                              spec.jobTemplate.spec.template.spec, …metadata
//	PodTemplate                          template.spec, template.metadata
//	ScaledJob                            spec.jobTargetRef.template.spec, …metadata
//	Revision                             spec, metadata
//	found by shape                       where found (see above)
//
// An object that gives several subjects (a RayCluster's head and worker
// groups) names each after the object followed by "@" and the path of its
// template or pod spec: "RayCluster/ml/ray@spec.workerGroupSpecs[0].template".
// Paths write keys that are not identifiers in brackets, as annotation
// keys are: "spec[by.zone].template".
//
// Inside a List the paths start with the item: "items[3].spec.template.spec".
// Subject.WorkloadMetaPath says where the workload's metadata sits
// ("metadata", or "items[3].metadata" in a List), so suppression findings
// point at the right annotation.
//
// A spec or image config subject is named after its source: the file as
// the user gave it, followed by "#N" for any document but the first.
//
// # Skipped
//
// Nothing read is dropped in silence. Every object or document that gives
// no subject, and every part of one that is not audited, is a
// [hardening.Skipped] with Kind ("<apiVersion> <kind>" for a Kubernetes
// object, what the document is otherwise: "OCI image index"), Name
// ([hardening.ObjectName] of the object), Path (empty for a whole document,
// "items[3]" for an item of a List, the field for a part), Part (set for a
// part of an object), Reason (a phrase: "no pod template or pod spec in
// it") and, when a controller will run pods from the object that are not
// in the input, Controller ("Prometheus Operator", "Argo CD"). Skipped
// objects are the entries with Part unset.
//
// # Documents
//
// A source holds one or more documents separated by "---" lines;
// [Documents] splits it exactly as the loader does. Documents are numbered
// from 0, and that number is Subject.Document, Skipped.Document and
// DocumentError.Document. Text above the first "---" that holds only
// comments (a license header, Helm's "# Source:" line) is no document, so
// the first object is document 0. Other empty and comment-only documents
// are skipped without error but keep their number. A List's items share
// the List's document number.
//
// # Rendered manifests
//
// helm template writes "# Source: <chart>/templates/<file>" above each
// document it renders. A document whose comments above its first content
// line include such a line names that template in Subject.Template and
// Skipped.Template (the first such line, at most 4,096 bytes; a longer
// one is not read), and the runner gives it to each finding
// (Finding.Template), so that a finding about rendered output names the
// file its fix goes into. A "# Source:" line below the first content line
// belongs to a value (a block scalar) and is not read. Output without such
// comments (kubectl kustomize, kubectl get -o yaml) has no template.
//
// # Images
//
// Images are read by package [github.com/bulwarkdev/bulwark/load/ociimage];
// this package finds them among the paths of a run. Three forms of whole
// images are detected by content and loaded with their layers, one subject of kind [hardening.KindImage] per image, with
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
// With Options.AllPlatforms every image of an index is loaded, each its
// own subject named after the image with its platform in parentheses
// ("lay:app (linux/arm64)"); entries of platform unknown/unknown
// (BuildKit's attestation manifests) are no images and are left out.
//
// # Image references
//
// With Options.Registry set (the github.com/bulwarkdev/bulwark/registry
// module provides it), images are also read from registries, by reference,
// wherever a path is accepted: "registry.example/shop/api:1.4" by tag,
// "registry.example/shop/api@sha256:…" by digest. The manifest, the
// config and the layers stream once through the same digest and size
// checks, limits, platform selection and whiteout merging as a layout's,
// nothing is written to disk, and the context of the run ends the reading.
// The subject is named as the argument was written; Subject.ImageRef is
// the full reference.
//
// The rule that keeps a reference from being mistaken for a path, and a
// path for a reference, is applied to each argument before the file system
// is asked:
//
//   - "docker://REF" is always a reference, never a path; the registry
//     client implies what docker pull implies ("docker://nginx:1.27" is
//     docker.io/library/nginx:1.27).
//   - A bare argument is a reference when it names its registry — a first
//     component with a dot or a colon, or "localhost" — and a repository
//     and a tag or a digest ("localhost:5000/app:1",
//     "registry.example/app@sha256:…"; "app:1" and "registry.example/app"
//     are not), and no file, directory or DIR:REF of that name exists.
//     When one does, the argument is an error that names both readings:
//     write "./NAME" for the file or "docker://NAME" for the image.
//   - Everything else is a path. "./x", "/x" and "../x" never parse as
//     references.
//
// The registry client may also say what is attached to the image in its
// registry — signatures, attestations, SBOMs, through the OCI referrers
// API or the tag schemes that stand in for it — in
// Subject.ImageProvenance: information, not a verification. Which known
// vulnerabilities an image's packages have is out of scope: bulwark
// audits how an image is built and configured, not its CVEs (use a
// vulnerability scanner such as Trivy or Grype for that).
//
// Without Options.Registry an argument with docker:// is an error (no
// registry client), and a bare reference is read as a path. A reference
// that cannot be read — unknown tag, wrong credentials, registry down —
// is an error of that source (Document -1), never a clean verdict.
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
// artifacts (a manifest whose config is not an image config) and unknown
// media types are errors ([ErrUnsupported]).
//
// # Image contents
//
// Layers — uncompressed tar, gzip or zstd, told apart by their first
// bytes as containerd tells them, whatever the media type says — are
// streamed in order into Subject.ImageContents, never extracted and
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
//     bytes, counted while streaming, so a gzip or zstd bomb stops there, and
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
//     layer size: a layer is read through fixed buffers (64 KiB, 1 MiB
//     at most queued for its digest, which a second goroutine computes
//     beside the decompression, and the decompressor's window: 32 KiB
//     for gzip; for zstd the window the frame declares, 8 MiB or less
//     from common encoders and at most [MaxZstdWindow], 128 MiB, what
//     zstd --long writes; a larger window is an error), decompressed on
//     the loader's goroutine, and archives are read in place through
//     their index of entries. A limit hit is an error wrapping
//     [ErrTooLarge].
//   - The pod spec search in an object of an unknown kind visits at most
//     1,048,576 JSON values and reports at most 1,000 templates, pod specs
//     and missed containers (see Pod specs found by shape); past either,
//     the object is an error wrapping [ErrTooLarge].
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
