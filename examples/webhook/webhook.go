package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	admissionv1 "k8s.io/api/admission/v1"
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

// DefaultMaxBodyBytes is the API server's own request body limit.
const DefaultMaxBodyBytes = 3 << 20

// Limits on what one response carries. The API server truncates warnings
// longer than 256 characters and keeps about 4 KiB of them in all.
const (
	maxListed      = 20  // findings named in a denial or audit message
	maxWarnings    = 10  // findings given as warnings
	maxWarningSize = 256 // bytes per warning
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

// Review judges one admission request. The response's UID is the request's.
func (h *Handler) Review(req *admissionv1.AdmissionRequest) *admissionv1.AdmissionResponse {
	resp := &admissionv1.AdmissionResponse{UID: req.UID, Allowed: true}
	decision := "allowed"
	var subjects, violations int
	defer func() {
		if h.Log != nil {
			h.Log.Info("review", "uid", req.UID, "namespace", req.Namespace, "name", req.Name,
				"kind", req.Kind.Kind, "operation", req.Operation, "subresource", req.SubResource,
				"decision", decision, "subjects", subjects, "violations", violations)
		}
	}()

	if !judged(req) {
		decision = "skipped"
		return resp
	}
	var labels map[string]string
	if h.Namespaces != nil {
		labels = h.Namespaces.Labels(req.Namespace)
	}
	type mode struct {
		label   string
		ref     string
		checker hardening.Checker
	}
	var modes []mode
	for _, label := range []string{LabelEnforce, LabelWarn, LabelAudit} {
		ref, ok := labels[label]
		if !ok {
			continue
		}
		checker, err := h.profile(ref)
		if err != nil {
			resp.Warnings = append(resp.Warnings, clip(fmt.Sprintf("namespace %q label %s: %v; evaluating %s", req.Namespace, label, err, fallbackProfile)))
			ref = fallbackProfile
			if checker, err = h.profile(ref); err != nil { // cannot happen: built in
				decision = "denied: no profile"
				return deny(resp, metav1.StatusReasonInternalError, sanitize(fmt.Sprintf("profile %s: %v", ref, err)), nil)
			}
		}
		modes = append(modes, mode{label, ref, checker})
	}
	if len(modes) == 0 {
		decision = "no policy"
		return resp
	}

	if len(req.Object.Raw) == 0 {
		decision = "denied: no object"
		return deny(resp, metav1.StatusReasonBadRequest, "request.object is empty", nil)
	}
	r := load.Bytes(load.Options{}, "request.object", req.Object.Raw)
	if len(r.Errors) > 0 {
		decision = "denied: undecodable object"
		return deny(resp, metav1.StatusReasonBadRequest, "cannot decode request.object: "+r.Errors[0].Err.Error(), nil)
	}
	subjects = len(r.Subjects)
	if subjects == 0 { // a kind the loader does not audit
		decision = "not audited"
		return resp
	}
	for _, m := range modes {
		var found []hardening.Finding
		for _, s := range r.Subjects {
			found = m.checker.Check(s, found)
		}
		found = h.violations(found)
		if len(found) == 0 {
			if m.label == LabelAudit {
				addAnnotation(resp, "audit-profile", m.ref)
			}
			continue
		}
		violations += len(found)
		switch m.label {
		case LabelEnforce:
			decision = "denied"
			deny(resp, metav1.StatusReasonForbidden, fmt.Sprintf("violates bulwark profile %q: %s", m.ref, list(found)), causes(found))
		case LabelWarn:
			for i, f := range found {
				if i == maxWarnings {
					resp.Warnings = append(resp.Warnings, fmt.Sprintf("would violate bulwark profile %q: %d more findings", m.ref, len(found)-i))
					break
				}
				resp.Warnings = append(resp.Warnings, clip(fmt.Sprintf("would violate bulwark profile %q: %s at %s: %s", m.ref, f.Check, f.Path, f.Message)))
			}
		case LabelAudit:
			addAnnotation(resp, "audit-profile", m.ref)
			addAnnotation(resp, "audit-violations", fmt.Sprintf("would violate bulwark profile %q: %s", m.ref, list(found)))
		}
	}
	return resp
}

// judged reports whether a request is one the webhook judges: CREATE or
// UPDATE of an object or of pods/ephemeralcontainers.
func judged(req *admissionv1.AdmissionRequest) bool {
	if req.Operation != admissionv1.Create && req.Operation != admissionv1.Update {
		return false
	}
	switch req.SubResource {
	case "":
		return true
	case "ephemeralcontainers":
		return req.Resource.Group == "" && req.Resource.Resource == "pods"
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
		e.checker, err = checkerFor(checks)
	}
	e.err = err
	h.profiles.Store(ref, e)
	return e.checker, e.err
}

// checkerFor turns a profile's checks into the Checker admission runs.
// Admission trusts no suppression source: a suppression is a decision of
// whoever runs the audit, never of the object under review (DESIGN.md,
// "Who may suppress"). The runner option that says so is not in the core
// yet; until it is, Checks.Check applies the object's own annotations.
func checkerFor(checks hardening.Checks) (hardening.Checker, error) {
	// TODO(core): return hardening.NewRunner(checks, hardening.RunOptions{})
	return checks, nil
}

// isWarning reports whether a finding is about suppression hygiene (an
// unused or reasonless suppression), which never changes an admission
// decision. A check that failed is no such finding: it stands for a
// control that was not verified, and fails closed.
func isWarning(f hardening.Finding) bool {
	// TODO(core): return f.Warning
	return strings.HasPrefix(f.Check, "hardening.") && f.Check != hardening.CheckFailed.ID
}

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
			Field:   f.Path,
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

// clip sanitizes a warning and cuts it to the size the API server keeps,
// on a rune boundary.
func clip(s string) string {
	s = sanitize(s)
	if len(s) <= maxWarningSize {
		return s
	}
	cut := maxWarningSize - len("…")
	for cut > 0 && !utf8RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// sanitize replaces control characters, which a hostile object can put in
// a container name and which may not appear in HTTP headers or logs, with
// Go escapes.
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
