// Command webhook is a Kubernetes validating admission webhook built on
// bulwark, net/http and k8s.io/api/admission/v1 alone: no controller-runtime,
// no cluster client.
//
//	webhook -cert tls.crt -key tls.key [-addr :8443] [-namespaces FILE]
//	        [-ns NAMESPACE=LABEL=VALUE[,LABEL=VALUE]]... [-min-severity SEVERITY]
//	        [-max-body BYTES] [-shutdown-timeout 20s] [-exemptions FILE]
//	        [-log=false]
//
// It answers AdmissionReview (admission.k8s.io/v1) requests POSTed to any
// path for Pods and every workload kind package load decodes (Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
// PodTemplate), and GET /healthz with 200 for the kubelet's probes.
// deploy/ holds the manifests to run and register it, and deploy/README.md
// a recipe for its certificate.
//
// # Policy per namespace
//
// Like Pod Security Admission, the policy comes from namespace labels, each
// naming a bulwark profile, NAME[@VERSION] (pss-restricted@v1.30,
// pss-baseline, all, cis-docker; see bulwark.Profiles):
//
//	bulwark.dev/enforce  deny a Pod that has a finding
//	bulwark.dev/warn     allow it, with one warning per finding (kubectl prints them);
//	                     without this label, the enforce profile warns
//	bulwark.dev/audit    allow it, with audit annotations the API server writes to its audit log
//
// A finding is an unsuppressed finding at or above -min-severity (default
// info: every finding, so a Pod passes a pss-* profile exactly as it would
// pass Pod Security Admission). Findings about suppressions themselves
// (unused or reasonless ones) never count. Admission trusts no annotation
// of the object under review: bulwark.dev/ignore annotations change
// nothing, since whoever writes the object would otherwise excuse it.
//
// The one exception source is the administrator's -exemptions file, shaped
// like the exemptions of Pod Security Admission's AdmissionConfiguration:
//
//	usernames: [system:serviceaccount:kube-system:replicaset-controller]
//	namespaces: [tools]
//	runtimeClasses: [kata]
//
// Requests by an exempt user or in an exempt namespace are allowed without
// evaluation, with the audit annotation exempt: user or exempt: namespace;
// a Pod (or pod template) with an exempt runtime class is evaluated and
// its findings are marked exempt, so none counts.
//
// The webhook has no cluster client: it reads namespace labels from
// -namespaces, a YAML or JSON map from namespace to labels, and from -ns
// flags, which win. The namespace "*" gives the labels of every namespace
// not listed:
//
//	prod:
//	  bulwark.dev/enforce: pss-restricted@v1.30
//	  bulwark.dev/audit: pss-restricted@latest
//	"*":
//	  bulwark.dev/warn: pss-baseline
//
// The command refuses to start when -namespaces or -ns names an unknown
// profile. A label set later through Namespaces.Set (a program that fills
// the cache from an informer) whose value is not a known profile is
// evaluated as pss-restricted@latest, the strictest, with a warning naming
// the label, as Pod Security Admission does with an invalid level.
//
// # What is judged
//
// Requests are judged as Pod Security Admission v0.37.2 judges them
// (k8s.io/pod-security-admission/admission/admission.go):
//
//   - Pods: CREATE and UPDATE of the Pod and of every Pod subresource
//     except exec, attach, binding, eviction, log, portforward, proxy and
//     status; pods/ephemeralcontainers above all, as an ephemeral container
//     is otherwise a way to add a privileged container to a running Pod.
//     An UPDATE is judged only when it changes the number of containers or
//     init containers, the image of one, or adds an ephemeral container or
//     changes its image; any other update (labels, annotations, finalizers,
//     status, tolerations) is allowed without evaluation, no warnings and
//     no audit annotations, and logged as "insignificant update": the API
//     server does not let the rest of a running Pod's security fields
//     change. A Pod UPDATE without a readable oldObject is denied.
//   - Workloads: CREATE and UPDATE of the object itself, every time (no
//     significance test); scale, status and other subresources are not
//     judged. A workload is never denied, only warned about and audited:
//     its Pods are denied when they are created, and denying the workload
//     would leave one created before the namespace's labels unable even to
//     scale down. One that cannot be decoded is allowed with an "error"
//     audit annotation.
//
// DELETE and CONNECT, and kinds the loader does not audit (a Service, a
// CRD), are allowed untouched.
//
// # Answers
//
// A denied Pod's message, which kubectl prints, has one line per finding:
// where, what is wrong, how to fix it (a fix given above is not repeated)
// and the check ID:
//
//	violates bulwark profile "pss-baseline@v1.30" (2 findings):
//	- spec.containers[0].securityContext.privileged: container "app" sets privileged: true; fix: Remove privileged: true (…) [capabilities.privileged]
//	- spec.hostPID: the pod sets hostPID: true; fix: Remove hostNetwork, hostPID and hostIPC (or set them false). [namespaces.pss-host-namespaces]
//
// Each line is cut at 512 bytes and the message at 4 KiB, a last line
// counting the findings left out; details.causes has one cause per finding
// (the first 20), its field path in field. A denied Pod gets no warnings.
//
// A warning is `bulwark "PROFILE": PATH: WHAT; fix: FIX` in at most 256
// bytes, the description shortened first; at most ten are given, then a
// note counting the rest, and all warnings of one answer stay under 4 KiB,
// which the API server passes on whole. The audit annotations are
// audit-profile and audit-violations (the first 20 findings as "check at
// path"). Control and format characters from the object (a container
// name with terminal escapes) are shown as Go escapes everywhere.
//
// # HTTP status and AdmissionReview errors
//
// A request that is not an AdmissionReview v1 has no uid to echo, and the
// API server rejects any response without the request's uid, so the webhook
// answers it with an HTTP error and the API server applies the webhook's
// failurePolicy:
//
//	405  method other than POST
//	415  Content-Type other than application/json
//	413  body larger than -max-body (default 3 MiB, the API server's own
//	     request limit; an UPDATE review carries object and oldObject)
//	400  malformed JSON; apiVersion/kind other than admission.k8s.io/v1
//	     AdmissionReview; no request or no request.uid
//
// Every well-formed review is answered with HTTP 200 and an AdmissionReview
// of the same apiVersion and kind whose response.uid is the request's.
// Problems with the object inside it are answered there: a denial has
// status {status: Failure, code: 403, reason: Forbidden}; a Pod object (or
// oldObject) that is missing, not valid JSON or not a v1 Pod is denied with
// code 400 and reason BadRequest.
//
// # Serving
//
// On SIGTERM (what Kubernetes sends to stop a Pod) or SIGINT the server
// stops accepting connections and lets the reviews in flight finish, for
// at most -shutdown-timeout (default 20s), then exits 0; 1 if some were
// cut off. A second signal ends it at once. deploy/deployment.yaml sleeps
// in preStop first, so that the API server stops calling a replica before
// it stops listening.
//
// Every decision is logged as one JSON line on standard error (-log=false
// turns it off), with the request's uid, namespace, name, kind, operation,
// subresource, dryRun (true for kubectl --dry-run=server and other dry-run
// requests, which are judged like any other), the decision ("allowed",
// "denied", "insignificant update", "skipped", "no policy", "not audited",
// or why an object could not be judged), and the numbers of subjects and
// of violations.
package main
