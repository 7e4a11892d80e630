// Command webhook is a Kubernetes validating admission webhook built on
// bulwark, net/http and k8s.io/api/admission/v1 alone: no controller-runtime,
// no cluster client.
//
//	webhook -cert tls.crt -key tls.key [-addr :8443] [-namespaces FILE]
//	        [-ns NAMESPACE=LABEL=VALUE[,LABEL=VALUE]]... [-min-severity SEVERITY]
//	        [-max-body BYTES] [-log=false]
//
// It answers AdmissionReview (admission.k8s.io/v1) requests on any path for
// Pods and every workload kind package load decodes (Deployment,
// StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
// PodTemplate). Register it with admissionReviewVersions: ["v1"],
// sideEffects: None, and rules for the resources you want judged, including
// pods/ephemeralcontainers (see below).
//
// # Policy per namespace
//
// Like Pod Security Admission, the policy comes from namespace labels, each
// naming a bulwark profile, NAME[@VERSION] (pss-restricted@v1.30,
// pss-baseline, all, cis-docker; see bulwark.Profiles):
//
//	bulwark.dev/enforce  deny a request whose object has a finding
//	bulwark.dev/warn     allow it, with one warning per finding (kubectl prints them)
//	bulwark.dev/audit    allow it, with audit annotations the API server writes to its audit log
//
// A finding is an unsuppressed finding at or above -min-severity (default
// info: every finding, so a Pod passes a pss-* profile exactly as it would
// pass Pod Security Admission). The webhook has no cluster client: it reads
// namespace labels from -namespaces, a YAML or JSON map from namespace to
// labels, and from -ns flags, which win. The namespace "*" gives the labels
// of every namespace not listed:
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
// CREATE and UPDATE of the object itself, and of pods/ephemeralcontainers
// (the object is the whole Pod: an ephemeral container is otherwise a way to
// add a privileged container to a running Pod). DELETE and CONNECT, other
// subresources (status, exec, binding, …) and kinds the loader does not
// audit (a Service, a CRD) are allowed untouched.
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
// status {status: Failure, code: 403, reason: Forbidden} with a message
// listing check IDs and field paths (and one cause per finding, its field
// path in field); an object that cannot be decoded (object missing or not
// valid JSON) is denied with code 400 and reason BadRequest.
//
// Every decision is logged as one JSON line on standard error (-log=false
// turns it off).
package main
