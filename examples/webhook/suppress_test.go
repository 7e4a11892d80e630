package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	admissionv1 "k8s.io/api/admission/v1"
)

// send posts a review over the server's TLS and returns its response.
func send(t *testing.T, client *http.Client, url string, req request) *admissionv1.AdmissionResponse {
	t.Helper()
	resp, body := post(t, client, url, "application/json", review(req))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d: %s", resp.StatusCode, body)
	}
	var got admissionv1.AdmissionReview
	if err := json.Unmarshal(body, &got); err != nil || got.Response == nil {
		t.Fatalf("not an AdmissionReview response (%v): %s", err, body)
	}
	return got.Response
}

// A Pod cannot excuse itself: admission trusts no annotation of the object
// under review (DESIGN.md, "Who may suppress"), so they change nothing.
func TestPodCannotSuppressItsOwnFindings(t *testing.T) {
	url, client, _ := server(t, "-ns", "baseline="+LabelEnforce+"=pss-baseline@v1.30")
	req := pod("uid-self", "baseline", "self-suppressed-pod.yaml")
	req.object = object(t, req.file)
	got := send(t, client, url, req)

	type decision struct {
		Allowed bool
		Code    int32
		Fields  []string
	}
	d := decision{Allowed: got.Allowed}
	if got.Result != nil {
		d.Code = got.Result.Code
		if got.Result.Details != nil {
			for _, c := range got.Result.Details.Causes {
				d.Fields = append(d.Fields, c.Field)
			}
		}
	}
	want := decision{Code: 403, Fields: []string{"spec.containers[0].securityContext.privileged", "spec.hostPID"}}
	if diff := cmp.Diff(want, d); diff != "" {
		how := ""
		if d.Allowed {
			how = "\nthe Pod was admitted: its own bulwark.dev/ignore-* annotations suppressed its findings " +
				"(admission must run hardening.NewRunner(checks, hardening.RunOptions{}), which trusts no suppression source)"
		}
		t.Errorf("privileged, hostPID Pod with self-suppressions in a pss-baseline@v1.30 enforcing namespace (-want +got):\n%s%s", diff, how)
	}
}

// annotate returns a JSON object with annotations added to the metadata at
// path ("metadata", "spec.template.metadata").
func annotate(t *testing.T, obj []byte, path string, annotations map[string]string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(obj, &m); err != nil {
		t.Fatal(err)
	}
	meta := m
	for _, k := range strings.Split(path, ".") {
		next, ok := meta[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			meta[k] = next
		}
		meta = next
	}
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		meta["annotations"] = ann
	}
	for k, v := range annotations {
		ann[k] = v
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Under a pss-baseline policy, in every mode, the answer for an object is
// the same with or without suppression annotations of any kind: excusing
// its findings, naming a container, without a reason, naming a check the
// profile does not run or one that does not exist.
func TestDecisionsIgnoreSuppressionAnnotations(t *testing.T) {
	const ref = "pss-baseline@v1.30"
	url, client, _ := server(t, "-ns", "ns="+LabelEnforce+"="+ref+","+LabelWarn+"="+ref+","+LabelAudit+"="+ref)
	suppressions := map[string]map[string]string{
		"excusing every finding": {
			"bulwark.dev/ignore-capabilities.privileged":         "trust me",
			"bulwark.dev/ignore-namespaces.pss-host-namespaces":  "trust me",
			"bulwark.dev/ignore-capabilities.pss-added-baseline": "trust me",
		},
		"per container": {
			"bulwark.dev/ignore-capabilities.privileged.app":           "trust me",
			"bulwark.dev/ignore-capabilities.pss-added-baseline.debug": "trust me",
		},
		"without a reason": {
			"bulwark.dev/ignore-capabilities.privileged":        "",
			"bulwark.dev/ignore-namespaces.pss-host-namespaces": " ",
		},
		"a check the profile does not run": {"bulwark.dev/ignore-capabilities.pss-run-as-non-root": "trust me"},
		"a check that does not exist":      {"bulwark.dev/ignore-nothing.at-all": "trust me"},
	}
	objects := []struct {
		name  string
		req   request
		metas []string // where suppressions are read from
	}{
		{"careless Pod", pod("", "ns", "careless-pod.yaml"), []string{"metadata"}},
		{"hardened Pod", pod("", "ns", "hardened-pod.yaml"), []string{"metadata"}},
		{"careless Deployment", deployment("", "ns", "careless-deployment.yaml"), []string{"metadata", "spec.template.metadata"}},
		{"hardened Deployment", deployment("", "ns", "hardened-deployment.yaml"), []string{"metadata", "spec.template.metadata"}},
	}
	ignoreUID := cmpopts.IgnoreFields(admissionv1.AdmissionResponse{}, "UID")
	for _, o := range objects {
		plain := o.req
		plain.uid, plain.object = "plain", object(t, o.req.file)
		want := send(t, client, url, plain)
		for name, ann := range suppressions {
			for _, meta := range o.metas {
				t.Run(o.name+"/"+name+"/"+meta, func(t *testing.T) {
					r := o.req
					r.uid, r.object = "annotated", annotate(t, object(t, o.req.file), meta, ann)
					if diff := cmp.Diff(want, send(t, client, url, r), ignoreUID); diff != "" {
						t.Errorf("the answer depends on suppression annotations at %s (-without +with):\n%s", meta, diff)
					}
				})
			}
		}
	}
}

// The administrator's exemptions, shaped like Pod Security Admission's,
// are the one source admission trusts: exempt users and namespaces are
// allowed without evaluation, exempt runtime classes have every finding
// marked exempt.
func TestExemptions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "exemptions.yaml")
	if err := os.WriteFile(file, []byte("usernames: [system:serviceaccount:kube-system:replicaset-controller]\nnamespaces: [tools]\nruntimeClasses: [kata]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	url, client, _ := server(t, "-exemptions", file, "-ns", "*="+LabelEnforce+"=pss-baseline@v1.30")
	base := pod("uid", "prod", "self-suppressed-pod.yaml")
	base.object = object(t, base.file)
	withRuntimeClass := func(obj []byte, rc string) []byte {
		var m map[string]any
		if err := json.Unmarshal(obj, &m); err != nil {
			t.Fatal(err)
		}
		m["spec"].(map[string]any)["runtimeClassName"] = rc
		out, _ := json.Marshal(m)
		return out
	}
	tests := []struct {
		name    string
		mutate  func(*request)
		user    string
		allowed bool
		exempt  string
	}{
		{"not exempt", func(*request) {}, "alice", false, ""},
		{"exempt user", func(*request) {}, "system:serviceaccount:kube-system:replicaset-controller", true, "user"},
		{"exempt namespace", func(r *request) { r.namespace = "tools" }, "alice", true, "namespace"},
		{"exempt runtime class", func(r *request) { r.object = withRuntimeClass(r.object, "kata") }, "alice", true, ""},
		{"other runtime class", func(r *request) { r.object = withRuntimeClass(r.object, "runc") }, "alice", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.mutate(&r)
			r.username = tt.user
			got := send(t, client, url, r)
			if got.Allowed != tt.allowed || got.AuditAnnotations["exempt"] != tt.exempt {
				t.Errorf("allowed %v, audit annotations %v; want %v, exempt %q", got.Allowed, got.AuditAnnotations, tt.allowed, tt.exempt)
			}
		})
	}
}
