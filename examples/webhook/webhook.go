package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// The namespace labels that choose the profiles, as Pod Security
// Admission's pod-security.kubernetes.io/{enforce,warn,audit} do.
const (
	LabelEnforce = "bulwark.dev/enforce"
	LabelWarn    = "bulwark.dev/warn"
	LabelAudit   = "bulwark.dev/audit"
)

// fallbackProfile is evaluated in place of a label value that names no
// profile: the strictest, as Pod Security Admission does.
const fallbackProfile = "pss-restricted@latest"

// HealthPath answers GET with 200 while the server accepts connections:
// the kubelet's readiness and liveness probes ask it (a TCP probe would
// leave a TLS handshake error in the log every time).
const HealthPath = "/healthz"

// DefaultMaxBodyBytes is the API server's own request body limit.
const DefaultMaxBodyBytes = 3 << 20

// Limits on what one response carries. Once a response's warnings pass
// 4096 runes in all, the API server cuts each to 256 runes and drops the
// rest (k8s.io/apiserver/pkg/endpoints/filters/warning.go), and kubectl
// shows a warning on one line: each warning fits 256 bytes and all of them
// 4 KiB, so every one arrives whole. A denial's message is read by a person
// at a terminal, so it is bounded too.
const (
	maxListed        = 20   // findings named in an audit annotation or in details.causes
	maxWarnings      = 10   // findings given as warnings, per profile
	maxWarningSize   = 256  // bytes per warning
	maxWarningsTotal = 4096 // bytes of all warnings of one response
	maxDenialSize    = 4096 // bytes of a denial's message
	maxDenialLine    = 512  // bytes per finding in a denial's message
)

// Namespaces is the cache of namespace labels the webhook reads policies
// from. The "*" entry holds the labels of namespaces not listed. It is safe
// for concurrent use; Set replaces one namespace's labels.
type Namespaces struct {
	mu     sync.RWMutex
	labels map[string]map[string]string
}

// Set replaces the labels of a namespace.
func (n *Namespaces) Set(namespace string, labels map[string]string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.labels == nil {
		n.labels = map[string]map[string]string{}
	}
	n.labels[namespace] = labels
}

// Labels returns the labels of a namespace, or those of "*" when it is not
// listed. The map must not be modified.
func (n *Namespaces) Labels(namespace string) map[string]string {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if l, ok := n.labels[namespace]; ok {
		return l
	}
	return n.labels["*"]
}

// ParseNamespaces decodes a YAML or JSON map from namespace to labels.
func ParseNamespaces(data []byte) (map[string]map[string]string, error) {
	var m map[string]map[string]string
	if err := yaml.UnmarshalStrict(data, &m); err != nil {
		return nil, fmt.Errorf("want a map from namespace to labels: %w", err)
	}
	return m, nil
}

// Handler answers AdmissionReview v1 requests. The zero value, with
// Namespaces set, is ready to use.
type Handler struct {
	Namespaces *Namespaces
	// MinSeverity is the lowest severity that counts as a violation;
	// 0 counts every unsuppressed finding.
	MinSeverity hardening.Severity
	// MaxBodyBytes bounds the request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Log receives one record per review; nil logs nothing.
	Log *slog.Logger
	// Exemptions are the administrator's, shaped like those of Pod
	// Security Admission's AdmissionConfiguration: requests by the listed
	// users and in the listed namespaces are allowed without evaluation,
	// and Pods with a listed runtime class have every finding marked
	// exempt. They are the only suppression source admission trusts. Set
	// them before the first request.
	Exemptions hardening.Exemptions

	profiles sync.Map // profile reference → profileEntry
}

type profileEntry struct {
	checker hardening.Checker
	err     error
}

// ServeHTTP checks the HTTP envelope, decodes the AdmissionReview and
// writes the review's answer. See the package documentation for which
// problems get an HTTP error and which an answer inside a 200 response.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == HealthPath && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Write([]byte("ok\n"))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhook: method "+r.Method+" not allowed: POST an AdmissionReview", http.StatusMethodNotAllowed)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		http.Error(w, fmt.Sprintf("webhook: Content-Type %q: want application/json", r.Header.Get("Content-Type")), http.StatusUnsupportedMediaType)
		return
	}
	limit := h.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			http.Error(w, fmt.Sprintf("webhook: request body larger than %d bytes", limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "webhook: reading request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	var review admissionv1.AdmissionReview
	if err := json.Unmarshal(body, &review); err != nil {
		http.Error(w, "webhook: request body is not an AdmissionReview: "+err.Error(), http.StatusBadRequest)
		return
	}
	want := admissionv1.SchemeGroupVersion.String()
	switch {
	case review.APIVersion != want || review.Kind != "AdmissionReview":
		http.Error(w, fmt.Sprintf("webhook: got apiVersion %q kind %q: want %s AdmissionReview (set admissionReviewVersions: [v1])", review.APIVersion, review.Kind, want), http.StatusBadRequest)
		return
	case review.Request == nil:
		http.Error(w, "webhook: AdmissionReview has no request", http.StatusBadRequest)
		return
	case review.Request.UID == "":
		http.Error(w, "webhook: AdmissionReview request has no uid", http.StatusBadRequest)
		return
	}

	resp := h.Review(review.Request)
	out, err := json.Marshal(admissionv1.AdmissionReview{TypeMeta: review.TypeMeta, Response: resp})
	if err != nil { // cannot happen with these types; answer rather than hang up
		http.Error(w, "webhook: encoding response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
}

// podResources are the resources whose objects carry a Pod spec the loader
// audits: the Pod itself and every workload kind package load decodes. It
// is the one list the webhook, its documentation and the rules of
// deploy/webhook.yaml follow; a test holds it equal to what the loader
// audits.
var podResources = []struct {
	Resource metav1.GroupVersionResource
	Kind     string
}{
	{metav1.GroupVersionResource{Group: "", Version: "v1", Resource: "pods"}, "Pod"},
	{metav1.GroupVersionResource{Group: "", Version: "v1", Resource: "podtemplates"}, "PodTemplate"},
	{metav1.GroupVersionResource{Group: "", Version: "v1", Resource: "replicationcontrollers"}, "ReplicationController"},
	{metav1.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"}, "Deployment"},
	{metav1.GroupVersionResource{Group: "apps", Version: "v1", Resource: "statefulsets"}, "StatefulSet"},
	{metav1.GroupVersionResource{Group: "apps", Version: "v1", Resource: "daemonsets"}, "DaemonSet"},
	{metav1.GroupVersionResource{Group: "apps", Version: "v1", Resource: "replicasets"}, "ReplicaSet"},
	{metav1.GroupVersionResource{Group: "batch", Version: "v1", Resource: "jobs"}, "Job"},
	{metav1.GroupVersionResource{Group: "batch", Version: "v1", Resource: "cronjobs"}, "CronJob"},
}

// ignoredPodSubresources are the Pod subresources whose requests carry no
// Pod spec to judge, as in Pod Security Admission (ignoredPodSubresources
// in k8s.io/pod-security-admission/admission/admission.go). Every other
// Pod subresource is judged, ephemeralcontainers and resize among them, so
// that a subresource added to Kubernetes later is judged rather than
// waved through.
var ignoredPodSubresources = map[string]bool{
	"exec": true, "attach": true, "binding": true, "eviction": true,
	"log": true, "portforward": true, "proxy": true, "status": true,
}

// target says what a request is, for judging.
type target int

const (
	notJudged        target = iota
	targetPod               // a Pod, or a Pod subresource that carries one
	targetController        // a workload whose pod template is judged
)

// classify tells Pods from the workloads that create them, as Pod Security
// Admission does (Validate in k8s.io/pod-security-admission/admission/
// admission.go): the two are judged differently, see Review.
func classify(req *admissionv1.AdmissionRequest) target {
	if req.Operation != admissionv1.Create && req.Operation != admissionv1.Update {
		return notJudged
	}
	if req.Resource.Group == "" && req.Resource.Resource == "pods" {
		if ignoredPodSubresources[req.SubResource] {
			return notJudged
		}
		return targetPod
	}
	if req.SubResource != "" { // scale, status: no template changes
		return notJudged
	}
	for _, r := range podResources {
		if r.Resource.Group == req.Resource.Group && r.Resource.Resource == req.Resource.Resource {
			return targetController
		}
	}
	return notJudged
}

// Review judges one admission request. The response's UID is the request's.
//
// It follows Pod Security Admission v0.37.2
// (k8s.io/pod-security-admission/admission/admission.go, ValidatePod,
// ValidatePodController and EvaluatePod; api/helpers.go, PolicyToEvaluate):
//
//   - Without a warn label, the warn profile is the enforce profile (unless
//     the enforce label names no profile).
//   - A Pod UPDATE that changes nothing Pod Security Admission re-evaluates
//     (see significantPodUpdate) is allowed without evaluation: no
//     warnings, no audit annotations.
//   - A Pod is denied when the enforce profile finds a violation; the warn
//     profile warns only about a Pod that is allowed, as the denial
//     already says what is wrong; the audit profile annotates either way.
//   - A workload is evaluated on every CREATE and UPDATE of the object
//     itself (there is no significance test for workloads; scale, status
//     and other subresources are not judged), by the warn and audit
//     profiles only: it is never denied, and one that cannot be decoded is
//     allowed with an "error" audit annotation. Its Pods are denied when
//     they are created. Denying the workload would not stop Pods it already
//     runs, and a workload created before its namespace's labels could then
//     not even be scaled down or have a finalizer removed.
func (h *Handler) Review(req *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse {
	resp := &admissionv1.AdmissionResponse{UID: req.UID, Allowed: true}
	decision := "allowed"
	var subjects, violations int
	defer func() {
		if h.Log != nil {
			h.Log.Info("review", "uid", req.UID, "namespace", req.Namespace, "name", req.Name,
				"kind", req.Kind.Kind, "operation", req.Operation, "subresource", req.SubResource,
				"dryRun", req.DryRun != nil && *req.DryRun,
				"decision", decision, "subjects", subjects, "violations", violations)
		}
	}()

	t := classify(req)
	if t == notJudged {
		decision = "skipped"
		return resp
	}
	switch {
	case h.Exemptions.User(req.UserInfo.Username):
		decision = "exempt: user"
		addAnnotation(resp, "exempt", "user")
		return resp
	case slices.Contains(h.Exemptions.Namespaces, req.Namespace):
		decision = "exempt: namespace"
		addAnnotation(resp, "exempt", "namespace")
		return resp
	}
	var labels map[string]string
	if h.Namespaces != nil {
		labels = h.Namespaces.Labels(req.Namespace)
	}
	var warnings warningList
	type mode struct {
		ref     string
		checker hardening.Checker
	}
	modes := map[string]mode{}
	for _, label := range []string{LabelEnforce, LabelWarn, LabelAudit} {
		ref, ok := labels[label]
		if !ok {
			continue
		}
		checker, err := h.profile(ref)
		if err != nil {
			warnings.add(clip(fmt.Sprintf("namespace %q label %s: %v; evaluating %s", req.Namespace, label, err, fallbackProfile)))
			ref = fallbackProfile
			if checker, err = h.profile(ref); err != nil { // cannot happen: built in
				decision = "denied: no profile"
				return deny(resp, metav1.StatusReasonInternalError, sanitize(fmt.Sprintf("profile %s: %v", ref, err)), nil)
			}
		} else if _, hasWarn := labels[LabelWarn]; label == LabelEnforce && !hasWarn {
			modes[LabelWarn] = mode{ref, checker}
		}
		modes[label] = mode{ref, checker}
	}
	resp.Warnings = warnings.list
	if len(modes) == 0 || t == targetController && modes[LabelWarn].checker == nil && modes[LabelAudit].checker == nil {
		decision = "no policy"
		return resp
	}

	r, msg := decode(req.Object.Raw, "request.object")
	if msg != "" && t == targetController {
		decision = "allowed: undecodable object"
		addAnnotation(resp, "error", msg)
		return resp
	}
	if msg != "" {
		decision = "denied: undecodable object"
		return deny(resp, metav1.StatusReasonBadRequest, msg, nil)
	}
	subjects = len(r.Subjects)
	if t == targetPod {
		newPod, msg := onePod(r, "request.object")
		if msg != "" {
			decision = "denied: not a Pod"
			return deny(resp, metav1.StatusReasonBadRequest, msg, nil)
		}
		if req.Operation == admissionv1.Update {
			old, msg := decode(req.OldObject.Raw, "request.oldObject")
			var oldPod *corev1.Pod
			if msg == "" {
				oldPod, msg = onePod(old, "request.oldObject")
			}
			if msg != "" {
				decision = "denied: undecodable old object"
				return deny(resp, metav1.StatusReasonBadRequest, msg, nil)
			}
			if !significantPodUpdate(newPod, oldPod) {
				decision = "insignificant update"
				return resp
			}
		}
	}
	if subjects == 0 { // a kind the loader does not audit
		decision = "not audited"
		return resp
	}
	check := func(m mode) []hardening.Finding {
		var found []hardening.Finding
		for _, s := range r.Subjects {
			found = m.checker.Check(s, found)
		}
		return h.violations(found)
	}
	if m, ok := modes[LabelEnforce]; ok && t == targetPod {
		if found := check(m); len(found) > 0 {
			violations += len(found)
			decision = "denied"
			deny(resp, metav1.StatusReasonForbidden, denialMessage(m.ref, found), causes(found))
		}
	}
	if m, ok := modes[LabelAudit]; ok {
		addAnnotation(resp, "audit-profile", m.ref)
		if found := check(m); len(found) > 0 {
			violations += len(found)
			addAnnotation(resp, "audit-violations", fmt.Sprintf("would violate bulwark profile %q: %s", m.ref, list(found)))
		}
	}
	if m, ok := modes[LabelWarn]; ok && resp.Allowed {
		if found := check(m); len(found) > 0 {
			violations += len(found)
			warnings.addFindings(warnPrefix(m.ref), found)
		}
	}
	resp.Warnings = warnings.list
	return resp
}

// decode loads an object of a review; msg says why it cannot be judged.
func decode(raw []byte, field string) (r *hardening.Result, msg string) {
	if len(raw) == 0 {
		return nil, field + " is empty"
	}
	r = load.Bytes(load.Options{}, field, raw)
	if len(r.Errors) > 0 {
		return nil, sanitize("cannot decode " + field + ": " + r.Errors[0].Err.Error())
	}
	return r, ""
}

// onePod returns the Pod a pods request carries. Anything else is an
// error rather than "not audited": a Pod subresource the webhook does not
// know must not let a Pod spec through unjudged.
func onePod(r *hardening.Result, field string) (*corev1.Pod, string) {
	if len(r.Subjects) != 1 || r.Subjects[0].Kind != hardening.KindPod || r.Subjects[0].WorkloadMetaPath != "" || r.Subjects[0].PodSpecPath != "spec" {
		return nil, field + " is not a v1 Pod"
	}
	return r.Subjects[0].Pod, ""
}

// significantPodUpdate reports whether a Pod UPDATE changes anything Pod
// Security Admission v0.37.2 re-evaluates (isSignificantPodUpdate and
// isSignificantContainerUpdate in k8s.io/pod-security-admission/admission/
// admission.go): the number of containers or of init containers; the image
// of a container or init container, matched by index; an ephemeral
// container, matched by name, that is new or has another image. (Earlier
// releases also compared the seccomp annotations.) The API server's own
// validation, which runs before validating webhooks, rejects changes to the
// rest of a running Pod's security-relevant fields, so the rest of an
// update (labels, annotations, finalizers, status, tolerations, resources)
// is not judged.
func significantPodUpdate(pod, old *corev1.Pod) bool {
	if len(pod.Spec.Containers) != len(old.Spec.Containers) || len(pod.Spec.InitContainers) != len(old.Spec.InitContainers) {
		return true
	}
	for i, c := range pod.Spec.Containers {
		if c.Image != old.Spec.Containers[i].Image {
			return true
		}
	}
	for i, c := range pod.Spec.InitContainers {
		if c.Image != old.Spec.InitContainers[i].Image {
			return true
		}
	}
	for _, c := range pod.Spec.EphemeralContainers {
		i := slices.IndexFunc(old.Spec.EphemeralContainers, func(o corev1.EphemeralContainer) bool { return o.Name == c.Name })
		if i < 0 || c.Image != old.Spec.EphemeralContainers[i].Image {
			return true
		}
	}
	return false
}

// profile resolves a profile reference to its Checker, once.
func (h *Handler) profile(ref string) (hardening.Checker, error) {
	if e, ok := h.profiles.Load(ref); ok {
		return e.(profileEntry).checker, e.(profileEntry).err
	}
	var e profileEntry
	checks, err := bulwark.Profile(ref)
	if err == nil {
		e.checker, err = h.checkerFor(checks)
	}
	e.err = err
	h.profiles.Store(ref, e)
	return e.checker, e.err
}

// checkerFor turns a profile's checks into the Checker admission runs.
// Admission trusts no annotation of the object under review: a
// suppression is a decision of whoever runs the audit, never of the object
// (DESIGN.md, "Who may suppress"). The administrator's exemptions are the
// one source it trusts.
func (h *Handler) checkerFor(checks hardening.Checks) (hardening.Checker, error) {
	return hardening.NewRunner(checks, hardening.RunOptions{Suppressions: []hardening.Suppressor{h.Exemptions}})
}

// isWarning reports whether a finding is about suppression hygiene (an
// unused or reasonless suppression), which never changes an admission
// decision. A check that failed is no such finding: it stands for a
// control that was not verified, and fails closed.
func isWarning(f hardening.Finding) bool { return f.Warning }

// violations keeps the findings that decide: unsuppressed, not about
// suppression hygiene, at or above MinSeverity.
func (h *Handler) violations(fs []hardening.Finding) []hardening.Finding {
	kept := fs[:0]
	for _, f := range fs {
		if !f.Suppressed && !isWarning(f) && f.Severity >= h.MinSeverity {
			kept = append(kept, f)
		}
	}
	return kept
}

func deny(resp *admissionv1.AdmissionResponse, reason metav1.StatusReason, msg string, causes []metav1.StatusCause) *admissionv1.AdmissionResponse {
	code := int32(http.StatusForbidden)
	switch reason {
	case metav1.StatusReasonBadRequest:
		code = http.StatusBadRequest
	case metav1.StatusReasonInternalError:
		code = http.StatusInternalServerError
	}
	resp.Allowed = false
	resp.Result = &metav1.Status{Status: metav1.StatusFailure, Code: code, Reason: reason, Message: msg}
	if len(causes) > 0 {
		resp.Result.Details = &metav1.StatusDetails{Causes: causes}
	}
	return resp
}

// denialMessage is what kubectl prints when a Pod is denied: which profile,
// then one line per finding with where, what is wrong and how to fix it,
// the check ID last for looking it up. A fix already given above is not
// repeated. Each line is bounded by maxDenialLine and the message by
// maxDenialSize, the findings that do not fit counted in a last line.
func denialMessage(ref string, fs []hardening.Finding) string {
	var b strings.Builder
	b.WriteString(sanitize(fmt.Sprintf("violates bulwark profile %q (%s):", ref, plural(len(fs), "finding"))))
	given := map[string]bool{}
	for i, f := range fs {
		fix := sanitize(f.Remediation)
		if given[fix] {
			fix = "as above"
		}
		full := "\n- " + sanitize(f.Path) + ": " + sanitize(f.Message) + "; fix: " + fix + " [" + sanitize(f.Check) + "]"
		line := clipTo(full, maxDenialLine)
		more := fmt.Sprintf("\n- and %s", plural(len(fs)-i, "more finding"))
		if i < len(fs)-1 && b.Len()+len(line)+len(more) > maxDenialSize || b.Len()+len(line) > maxDenialSize {
			b.WriteString(more)
			break
		}
		if line == full { // the fix was not cut off
			given[sanitize(f.Remediation)] = true
		}
		b.WriteString(line)
	}
	return b.String()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// warnPrefix starts the warnings of a profile. It is short: a warning has
// 256 bytes, and kubectl already prints "Warning: " before it.
func warnPrefix(ref string) string { return fmt.Sprintf("bulwark %q: ", ref) }

// warningList gathers a response's warnings within maxWarningsTotal.
type warningList struct {
	list []string
	size int
}

// maxNote bounds the note that counts the findings left out.
const maxNote = 128

// add appends a warning (already clipped); it reports false, adding
// nothing, when the warning would leave no room for a note.
func (w *warningList) add(s string) bool {
	if w.size+len(s)+maxNote > maxWarningsTotal {
		return false
	}
	w.list = append(w.list, s)
	w.size += len(s)
	return true
}

// addFindings gives one warning per finding, up to maxWarnings of them and
// as many as the response has room for, then a note counting the rest.
func (w *warningList) addFindings(prefix string, fs []hardening.Finding) {
	for i, f := range fs {
		if i == maxWarnings || !w.add(warning(prefix, f)) {
			// The note fits in the room add keeps, unless an earlier
			// profile's warnings took it all.
			note := clipTo(sanitize(fmt.Sprintf("%s%s not shown", prefix, plural(len(fs)-i, "more finding"))), maxNote)
			if w.size+len(note) <= maxWarningsTotal {
				w.list = append(w.list, note)
				w.size += len(note)
			}
			return
		}
	}
}

// warning renders a finding within maxWarningSize bytes as
// "PREFIX PATH: WHAT; fix: FIX". Where and how to fix it matter most: the
// description of what is wrong is shortened first, then the fix.
func warning(prefix string, f hardening.Finding) string {
	prefix, path, what, fix := sanitize(prefix), sanitize(f.Path), sanitize(f.Message), sanitize(f.Remediation)
	const sep1, sep2 = ": ", "; fix: "
	room := maxWarningSize - len(prefix) - len(path) - len(sep1) - len(sep2) - len(fix)
	switch {
	case room >= len(what):
	case room >= 32: // enough to say something
		what = clipTo(what, room)
	default:
		what = "" // the path says what; keep the fix
	}
	if what == "" {
		return clipTo(prefix+path+": fix: "+fix, maxWarningSize)
	}
	return clipTo(prefix+path+sep1+what+sep2+fix, maxWarningSize)
}

// list names each finding as "check at path", the first maxListed of them.
func list(fs []hardening.Finding) string {
	var b strings.Builder
	for i, f := range fs {
		if i == maxListed {
			fmt.Fprintf(&b, "; and %d more", len(fs)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Check + " at " + f.Path)
	}
	return sanitize(b.String())
}

func causes(fs []hardening.Finding) []metav1.StatusCause {
	var out []metav1.StatusCause
	for i, f := range fs {
		if i == maxListed {
			break
		}
		out = append(out, metav1.StatusCause{
			Type:    metav1.CauseTypeFieldValueInvalid,
			Field:   sanitize(f.Path),
			Message: sanitize(f.Check + ": " + f.Message),
		})
	}
	return out
}

func addAnnotation(resp *admissionv1.AdmissionResponse, key, value string) {
	if resp.AuditAnnotations == nil {
		resp.AuditAnnotations = map[string]string{}
	}
	resp.AuditAnnotations[key] = value
}

// clip sanitizes a warning and cuts it to the size the API server keeps.
func clip(s string) string { return clipTo(sanitize(s), maxWarningSize) }

// clipTo cuts s to at most n bytes on a rune boundary, marking the cut
// with an ellipsis.
func clipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// sanitize replaces control and format characters, which a hostile object
// can put in a container name or an annotation key and which may not
// appear in HTTP headers, logs or one terminal line, with Go escapes.
func sanitize(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsPrint(r) || r == ' ' {
			b.WriteRune(r)
		} else {
			q := strconv.QuoteRune(r) // '\x1b'
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}
