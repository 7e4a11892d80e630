// Package load decodes files and bytes into [hardening.Subject]s: Kubernetes
// objects, OCI runtime specs and OCI image configs, told apart by their
// content, not by their file names.
//
//	r := load.Paths(load.Options{}, "deploy/", "-")
//	for _, e := range r.Errors {
//		fmt.Fprintln(os.Stderr, e) // deploy/web.yaml: document 2: yaml: line 14: …
//	}
//	r.Audit(checks) // r.Subjects are ready for any hardening.Checker
//
// [Paths] loads files, directories and standard input ("-"), [Reader] an
// io.Reader, and [Bytes] content already in memory. Each returns a
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
// Anything else is an error. Kubernetes objects are decoded with the API
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
// # Directories
//
// A directory is walked recursively in lexical order. Only regular files
// (or symbolic links to them) named *.yaml, *.yml or *.json are read;
// symbolic links to directories are not followed. A directory whose
// config.json holds an OCI runtime spec is an OCI bundle: its config.json
// is loaded and nothing else below it is read, since its rootfs may be a
// whole operating system. A file named explicitly is read whatever its
// name.
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
// One bad document never hides the others, and no input makes the loader
// panic.
package load
