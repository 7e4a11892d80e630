package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// logged judges requests with a handler that logs to a buffer, and returns
// each response with its log record.
type logged struct {
	h   *Handler
	buf bytes.Buffer
}

func newLogged(labels map[string]string) *logged {
	l := &logged{}
	l.h = &Handler{Namespaces: &Namespaces{}, Log: slog.New(slog.NewJSONHandler(&l.buf, nil))}
	l.h.Namespaces.Set("ns", labels)
	return l
}

func (l *logged) review(t *testing.T, req *admissionv1.AdmissionRequest) (*admissionv1.AdmissionResponse, map[string]any) {
	t.Helper()
	l.buf.Reset()
	resp := l.h.Review(req)
	var rec map[string]any
	if err := json.Unmarshal(l.buf.Bytes(), &rec); err != nil {
		t.Fatalf("log record %q: %v", l.buf.String(), err)
	}
	return resp, rec
}

// podJSON encodes a Pod as the API server sends it.
func podJSON(t *testing.T, p *corev1.Pod) []byte {
	t.Helper()
	p.APIVersion, p.Kind = "v1", "Pod"
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func rawPod(t *testing.T, p *corev1.Pod) runtime.RawExtension { return rawJSON(podJSON(t, p)) }

func rawJSON(b []byte) runtime.RawExtension { return runtime.RawExtension{Raw: b} }

func resourceQuantity(t *testing.T, s string) *resource.Quantity {
	t.Helper()
	q, err := resource.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return &q
}

func readPod(t *testing.T, file string) *corev1.Pod {
	t.Helper()
	var p corev1.Pod
	if err := json.Unmarshal(object(t, file), &p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// An UPDATE of a Pod is judged only when it changes what Pod Security
// Admission re-evaluates; any other update of a violating Pod in an
// enforcing namespace is allowed untouched (no warnings, no audit
// annotations), and logged as such. Workload updates are always evaluated.
func TestUpdates(t *testing.T) {
	l := newLogged(map[string]string{LabelEnforce: "pss-baseline@v1.30", LabelWarn: "pss-restricted@v1.30", LabelAudit: "pss-restricted@v1.30"})
	base := readPod(t, "careless-pod.yaml")
	base.Finalizers = []string{"example.com/keep"}
	base.Status.Phase = corev1.PodPending
	withDebugger := func(p *corev1.Pod) {
		p.Spec.EphemeralContainers = append(p.Spec.EphemeralContainers, corev1.EphemeralContainer{
			EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debugger", Image: "registry.example/tools:1.0"},
		})
	}
	type outcome struct {
		Allowed   bool
		Code      int32
		Warned    bool
		Annotated bool
		Decision  string
	}
	allowedUntouched := outcome{Allowed: true, Decision: "insignificant update"}
	denied := outcome{Code: 403, Annotated: true, Decision: "denied"}
	tests := []struct {
		name        string
		subresource string
		old, new    func(p *corev1.Pod) // nil: unchanged
		want        outcome
	}{
		{name: "label added", new: func(p *corev1.Pod) { p.Labels = map[string]string{"team": "web"} }, want: allowedUntouched},
		{name: "annotation added", new: func(p *corev1.Pod) { p.Annotations = map[string]string{"example.com/note": "x"} }, want: allowedUntouched},
		{name: "suppression annotation added", new: func(p *corev1.Pod) {
			p.Annotations = map[string]string{"bulwark.dev/ignore-capabilities.privileged": "trust me"}
		}, want: allowedUntouched},
		{name: "finalizer removed", new: func(p *corev1.Pod) { p.Finalizers = nil }, want: allowedUntouched},
		{name: "status changed through the main resource", new: func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning }, want: allowedUntouched},
		{name: "status changed through pods/status", subresource: "status", new: func(p *corev1.Pod) { p.Status.Phase = corev1.PodRunning },
			want: outcome{Allowed: true, Decision: "skipped"}},
		{name: "toleration added", new: func(p *corev1.Pod) { p.Spec.Tolerations = []corev1.Toleration{{Key: "k", Operator: "Exists"}} }, want: allowedUntouched},
		{name: "resources resized", subresource: "resize", new: func(p *corev1.Pod) {
			p.Spec.Containers[0].Resources.Limits = corev1.ResourceList{corev1.ResourceCPU: *resourceQuantity(t, "2")}
		}, want: allowedUntouched},
		{name: "nothing changed", want: allowedUntouched},

		{name: "image changed", new: func(p *corev1.Pod) { p.Spec.Containers[0].Image = "registry.example/app:2" }, want: denied},
		{name: "ephemeral container added", subresource: "ephemeralcontainers", new: withDebugger, want: denied},
		{name: "ephemeral container added through the main resource", new: withDebugger, want: denied},
		{name: "ephemeral container image changed", old: withDebugger, new: func(p *corev1.Pod) {
			withDebugger(p)
			p.Spec.EphemeralContainers[0].Image = "registry.example/tools:2.0"
		}, want: denied},
		{name: "ephemeral container unchanged", old: withDebugger, new: withDebugger, want: allowedUntouched},
		{name: "seccomp annotations changed (significant to Pod Security Admission before 1.27 only)", new: func(p *corev1.Pod) {
			p.Annotations = map[string]string{corev1.SeccompPodAnnotationKey: "unconfined", corev1.SeccompContainerAnnotationKeyPrefix + "app": "unconfined"}
		}, want: allowedUntouched},
		{name: "init container added", new: func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "registry.example/init:1"}}
		}, want: denied},
		{name: "init container image changed", old: func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "registry.example/init:1"}}
		}, new: func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", Image: "registry.example/init:2"}}
		}, want: denied},
		{name: "container added", new: func(p *corev1.Pod) {
			p.Spec.Containers = append(p.Spec.Containers, corev1.Container{Name: "side", Image: "registry.example/side:1"})
		}, want: denied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := base.DeepCopy(), base.DeepCopy()
			if tt.old != nil {
				tt.old(old)
				tt.old(new)
			}
			if tt.new != nil {
				tt.new(new)
			}
			req := &admissionv1.AdmissionRequest{
				UID: "u", Namespace: "ns", Name: "careless", Operation: admissionv1.Update, SubResource: tt.subresource,
				Kind:      metav1.GroupVersionKind{Version: "v1", Kind: "Pod"},
				Resource:  metav1.GroupVersionResource{Version: "v1", Resource: "pods"},
				Object:    rawPod(t, new),
				OldObject: rawPod(t, old),
			}
			resp, rec := l.review(t, req)
			got := outcome{Allowed: resp.Allowed, Warned: len(resp.Warnings) > 0, Annotated: len(resp.AuditAnnotations) > 0, Decision: rec["decision"].(string)}
			if resp.Result != nil {
				got.Code = resp.Result.Code
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	// Workloads have no significance test: a label change on a violating
	// Deployment is evaluated (warned, never denied).
	dep := object(t, "careless-deployment.yaml")
	resp, rec := l.review(t, &admissionv1.AdmissionRequest{
		UID: "u", Namespace: "ns", Name: "careless", Operation: admissionv1.Update,
		Kind:      metav1.GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"},
		Resource:  metav1.GroupVersionResource{Group: "apps", Version: "v1", Resource: "deployments"},
		Object:    rawJSON(annotate(t, dep, "metadata", map[string]string{"example.com/note": "x"})),
		OldObject: rawJSON(dep),
	})
	if !resp.Allowed || len(resp.Warnings) == 0 || len(resp.AuditAnnotations) == 0 || rec["decision"] != "allowed" {
		t.Errorf("Deployment label change: allowed %v, %d warnings, audit %v, decision %v; want allowed, evaluated", resp.Allowed, len(resp.Warnings), resp.AuditAnnotations, rec["decision"])
	}
}

// A Pod UPDATE whose old object is missing or unreadable cannot be
// compared, and is denied as a bad request, as Pod Security Admission does.
func TestUpdateWithoutOldObject(t *testing.T) {
	l := newLogged(map[string]string{LabelEnforce: "pss-baseline"})
	careless := object(t, "careless-pod.yaml")
	for _, tt := range []struct {
		name string
		old  []byte
		want string
	}{
		{"missing", nil, "request.oldObject is empty"},
		{"not a Pod", []byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"}}`), "request.oldObject is not a v1 Pod"},
	} {
		resp, rec := l.review(t, &admissionv1.AdmissionRequest{
			UID: "u", Namespace: "ns", Operation: admissionv1.Update,
			Resource: metav1.GroupVersionResource{Version: "v1", Resource: "pods"},
			Object:   rawJSON(careless), OldObject: rawJSON(tt.old),
		})
		want := &metav1.Status{Status: "Failure", Code: 400, Reason: "BadRequest", Message: tt.want}
		if diff := cmp.Diff(want, resp.Result); diff != "" || rec["decision"] != "denied: undecodable old object" {
			t.Errorf("%s: decision %v (-want +got):\n%s", tt.name, rec["decision"], diff)
		}
	}
}

// Dry-run requests are judged like any other and marked in the log.
func TestDryRunLogged(t *testing.T) {
	l := newLogged(map[string]string{LabelEnforce: "pss-baseline"})
	yes, no := true, false
	for _, dryRun := range []*bool{nil, &no, &yes} {
		req := &admissionv1.AdmissionRequest{
			UID: "u", Namespace: "ns", Name: "careless", Operation: admissionv1.Create, DryRun: dryRun,
			Kind:     metav1.GroupVersionKind{Version: "v1", Kind: "Pod"},
			Resource: metav1.GroupVersionResource{Version: "v1", Resource: "pods"},
			Object:   rawJSON(object(t, "careless-pod.yaml")),
		}
		resp, rec := l.review(t, req)
		want := map[string]any{"dryRun": dryRun != nil && *dryRun, "decision": "denied", "allowed": false}
		got := map[string]any{"dryRun": rec["dryRun"], "decision": rec["decision"], "allowed": resp.Allowed}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("dryRun %v (-want +got):\n%s", dryRun, diff)
		}
	}
}
