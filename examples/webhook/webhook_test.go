package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	authenticationv1 "k8s.io/api/authentication/v1"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/yaml"
)

// server starts the webhook as main does — flags, then newServer and
// ServeTLS — on 127.0.0.1:0 with a fresh self-signed ECDSA certificate, and
// returns its URL and a client that trusts only that certificate.
func server(t testing.TB, args ...string) (string, *http.Client, *Handler) {
	t.Helper()
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	cfg, err := parseFlags(append([]string{"-cert", certFile, "-key", keyFile, "-log=false"}, args...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(ln.Addr().String(), cfg.handler)
	go srv.ServeTLS(ln, cfg.cert, cfg.key)
	t.Cleanup(func() { srv.Close() })
	client := &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:     &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			MaxIdleConnsPerHost: 64,
		},
	}
	t.Cleanup(client.CloseIdleConnections)
	return "https://" + ln.Addr().String() + "/validate", client, cfg.handler
}

func selfSigned(t testing.TB, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "bulwark-webhook.test"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Minute),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true,

		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// object reads a testdata manifest as the JSON the API server sends.
func object(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

type request struct {
	uid, namespace, file     string
	op                       admissionv1.Operation
	group, version, resource string
	subresource, kind, name  string
	object, oldObject        []byte
	username                 string
}

// review renders an AdmissionReview v1 as the API server does.
func review(r request) []byte {
	if r.op == "" {
		r.op = admissionv1.Create
	}
	req := &admissionv1.AdmissionRequest{
		UID:         types.UID(r.uid),
		Kind:        metav1.GroupVersionKind{Group: r.group, Version: r.version, Kind: r.kind},
		Resource:    metav1.GroupVersionResource{Group: r.group, Version: r.version, Resource: r.resource},
		SubResource: r.subresource,
		Name:        r.name,
		Namespace:   r.namespace,
		Operation:   r.op,
		Object:      runtime.RawExtension{Raw: r.object},
		OldObject:   runtime.RawExtension{Raw: r.oldObject},
		UserInfo:    authenticationv1.UserInfo{Username: r.username},
	}
	out, err := json.Marshal(admissionv1.AdmissionReview{
		TypeMeta: metav1.TypeMeta{APIVersion: "admission.k8s.io/v1", Kind: "AdmissionReview"},
		Request:  req,
	})
	if err != nil {
		panic(err)
	}
	return out
}

func pod(uid, ns, file string) request {
	return request{uid: uid, namespace: ns, file: file, version: "v1", kind: "Pod", resource: "pods"}
}

func deployment(uid, ns, file string) request {
	return request{uid: uid, namespace: ns, file: file, group: "apps", version: "v1", kind: "Deployment", resource: "deployments"}
}

func post(t testing.TB, client *http.Client, url, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Post(url, contentType, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

// violations is what the library itself finds in a testdata file with a
// profile: the webhook must report exactly these.
func violations(t *testing.T, profile, file string) []hardening.Finding {
	t.Helper()
	checks, err := bulwark.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	r := load.Bytes(load.Options{}, "request.object", object(t, file))
	r.Audit(checks)
	return r.Findings
}

// at lists "check at path" — the form the webhook's messages use.
func at(fs []hardening.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Check+" at "+f.Path)
	}
	return out
}

func TestReviews(t *testing.T) {
	url, client, _ := server(t, "-namespaces", filepath.Join("testdata", "namespaces.yaml"))

	// The findings, named by check and path, that the library reports; the
	// webhook's answers are built from these.
	restrictedPod := []string{
		"capabilities.privileged at spec.containers[0].securityContext.privileged",
		"capabilities.pss-privilege-escalation at spec.containers[0].securityContext.allowPrivilegeEscalation",
		"capabilities.pss-restricted at spec.containers[0].securityContext.capabilities.drop",
		"capabilities.pss-run-as-non-root at spec.containers[0].securityContext.runAsNonRoot",
		"confinement.pss-seccomp-restricted at spec.containers[0].securityContext.seccompProfile.type",
		"namespaces.pss-host-namespaces at spec.hostPID",
	}
	baselinePod := []string{
		"capabilities.privileged at spec.containers[0].securityContext.privileged",
		"namespaces.pss-host-namespaces at spec.hostPID",
	}
	baselineDeployment := []string{
		"capabilities.pss-added-baseline at spec.template.spec.containers[1].securityContext.capabilities.add[0]",
	}
	for _, c := range []struct {
		profile, file string
		want          []string
	}{
		{"pss-restricted@v1.30", "careless-pod.yaml", restrictedPod},
		{"pss-restricted@latest", "careless-pod.yaml", restrictedPod},
		{"pss-baseline@v1.30", "careless-pod.yaml", baselinePod},
		{"pss-baseline@v1.30", "careless-deployment.yaml", baselineDeployment},
	} {
		got := at(violations(t, c.profile, c.file))
		slices.Sort(got)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Fatalf("the library's findings for %s with %s changed (-want +got):\n%s", c.file, c.profile, diff)
		}
	}

	// The shape of messages and warnings is pinned by TestDenialMessage and
	// TestWarnings; here, which findings go where.
	denied := func(profile string, fs []hardening.Finding) *metav1.Status {
		var causes []metav1.StatusCause
		for _, f := range fs {
			causes = append(causes, metav1.StatusCause{Type: "FieldValueInvalid", Field: f.Path, Message: f.Check + ": " + f.Message})
		}
		return &metav1.Status{
			Status:  "Failure",
			Code:    403,
			Reason:  "Forbidden",
			Message: denialMessage(profile, fs),
			Details: &metav1.StatusDetails{Causes: causes},
		}
	}
	type warned struct {
		prefix string
		fs     []hardening.Finding
	}
	warnings := func(ws ...warned) []string {
		var w warningList
		for _, x := range ws {
			w.addFindings(x.prefix, x.fs)
		}
		return w.list
	}
	audited := func(profile string, fs []hardening.Finding) map[string]string {
		m := map[string]string{"audit-profile": profile}
		if len(fs) > 0 {
			m["audit-violations"] = fmt.Sprintf("would violate bulwark profile %q: %s", profile, strings.Join(at(fs), "; "))
		}
		return m
	}
	careless := object(t, "careless-pod.yaml")
	restrictedCareless := violations(t, "pss-restricted@v1.30", "careless-pod.yaml")

	tests := []struct {
		name string
		req  request
		want admissionv1.AdmissionResponse
	}{
		{
			name: "careless Pod in prod: denied by restricted@v1.30, audited by restricted@latest",
			req:  pod("uid-1", "prod", "careless-pod.yaml"),
			want: admissionv1.AdmissionResponse{
				UID:              "uid-1",
				Result:           denied("pss-restricted@v1.30", restrictedCareless),
				AuditAnnotations: audited("pss-restricted@latest", violations(t, "pss-restricted@latest", "careless-pod.yaml")),
			},
		},
		{
			name: "hardened Pod in prod: allowed, audit names the profile",
			req:  pod("uid-2", "prod", "hardened-pod.yaml"),
			want: admissionv1.AdmissionResponse{UID: "uid-2", Allowed: true, AuditAnnotations: audited("pss-restricted@latest", nil)},
		},
		{
			name: "careless Deployment in staging: a workload is never denied; warned by restricted",
			req:  deployment("uid-3", "staging", "careless-deployment.yaml"),
			want: admissionv1.AdmissionResponse{
				UID:      "uid-3",
				Allowed:  true,
				Warnings: warnings(warned{warnPrefix("pss-restricted@v1.30"), violations(t, "pss-restricted@v1.30", "careless-deployment.yaml")}),
			},
		},
		{
			name: "careless Deployment in prod: warned by the enforce profile, as there is no warn label; audited",
			req:  deployment("uid-3p", "prod", "careless-deployment.yaml"),
			want: admissionv1.AdmissionResponse{
				UID:              "uid-3p",
				Allowed:          true,
				Warnings:         warnings(warned{warnPrefix("pss-restricted@v1.30"), violations(t, "pss-restricted@v1.30", "careless-deployment.yaml")}),
				AuditAnnotations: audited("pss-restricted@latest", violations(t, "pss-restricted@latest", "careless-deployment.yaml")),
			},
		},
		{
			name: "hardened Deployment in staging: allowed without a word",
			req:  deployment("uid-4", "staging", "hardened-deployment.yaml"),
			want: admissionv1.AdmissionResponse{UID: "uid-4", Allowed: true},
		},
		{
			name: "careless Pod in dev: allowed with warnings and audit annotations",
			req:  pod("uid-5", "dev", "careless-pod.yaml"),
			want: admissionv1.AdmissionResponse{
				UID:              "uid-5",
				Allowed:          true,
				Warnings:         warnings(warned{warnPrefix("pss-restricted"), violations(t, "pss-restricted", "careless-pod.yaml")}),
				AuditAnnotations: audited("pss-baseline@v1.30", violations(t, "pss-baseline@v1.30", "careless-pod.yaml")),
			},
		},
		{
			name: "careless Deployment in a namespace without labels: allowed",
			req:  deployment("uid-6", "default", "careless-deployment.yaml"),
			want: admissionv1.AdmissionResponse{UID: "uid-6", Allowed: true},
		},
		{
			name: "DELETE is not judged",
			req: func() request {
				r := pod("uid-7", "prod", "")
				r.op, r.oldObject = admissionv1.Delete, careless
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-7", Allowed: true},
		},
		{
			name: "CONNECT is not judged",
			req: func() request {
				r := pod("uid-8", "prod", "")
				r.op, r.subresource, r.kind, r.object = admissionv1.Connect, "exec", "PodExecOptions", []byte(`{"kind":"PodExecOptions","apiVersion":"v1","command":["sh"]}`)
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-8", Allowed: true},
		},
		{
			name: "pods/status is not judged",
			req: func() request {
				r := pod("uid-9", "prod", "careless-pod.yaml")
				r.op, r.subresource = admissionv1.Update, "status"
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-9", Allowed: true},
		},
		{
			name: "pods/ephemeralcontainers is judged: the object is the whole Pod",
			req: func() request {
				r := pod("uid-10", "prod", "careless-pod-debugged.yaml")
				r.op, r.subresource, r.oldObject = admissionv1.Update, "ephemeralcontainers", careless
				return r
			}(),
			want: admissionv1.AdmissionResponse{
				UID:              "uid-10",
				Result:           denied("pss-restricted@v1.30", violations(t, "pss-restricted@v1.30", "careless-pod-debugged.yaml")),
				AuditAnnotations: audited("pss-restricted@latest", violations(t, "pss-restricted@latest", "careless-pod-debugged.yaml")),
			},
		},
		{
			name: "pods/resize is a Pod subresource Pod Security Admission judges; resources alone are not significant",
			req: func() request {
				r := pod("uid-10r", "prod", "")
				r.op, r.subresource, r.oldObject, r.object = admissionv1.Update, "resize", careless, careless
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-10r", Allowed: true},
		},
		{
			name: "an unknown Pod subresource carrying no Pod is denied, not waved through",
			req: func() request {
				r := pod("uid-10u", "prod", "")
				r.op, r.subresource, r.kind = admissionv1.Create, "future", "Widget"
				r.object = []byte(`{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"}}`)
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-10u", Result: &metav1.Status{Status: "Failure", Code: 400, Reason: "BadRequest", Message: "request.object is not a v1 Pod"}},
		},
		{
			name: "deployments/scale is not judged",
			req: func() request {
				r := deployment("uid-10s", "staging", "")
				r.op, r.subresource, r.kind = admissionv1.Update, "scale", "Scale"
				r.object = []byte(`{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"careless"},"spec":{"replicas":0}}`)
				return r
			}(),
			want: admissionv1.AdmissionResponse{UID: "uid-10s", Allowed: true},
		},
		{
			name: "a kind the loader does not audit is allowed",
			req: request{uid: "uid-11", namespace: "prod", version: "v1", kind: "Service", resource: "services",
				object: []byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}`)},
			want: admissionv1.AdmissionResponse{UID: "uid-11", Allowed: true},
		},
		{
			name: "an object that does not decode is denied inside the review",
			req: request{uid: "uid-12", namespace: "prod", version: "v1", kind: "Pod", resource: "pods",
				object: []byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x"},"spec":{"containers":"app"}}`)},
			want: admissionv1.AdmissionResponse{UID: "uid-12", Result: &metav1.Status{Status: "Failure", Code: 400, Reason: "BadRequest"}},
		},
		{
			name: "CREATE without an object is denied inside the review",
			req:  pod("uid-13", "prod", ""),
			want: admissionv1.AdmissionResponse{UID: "uid-13", Result: &metav1.Status{Status: "Failure", Code: 400, Reason: "BadRequest", Message: "request.object is empty"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.req.file != "" {
				tt.req.object = object(t, tt.req.file)
			}
			resp, body := post(t, client, url, "application/json", review(tt.req))
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("HTTP %d, Content-Type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var got admissionv1.AdmissionReview
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("response is not an AdmissionReview: %v\n%s", err, body)
			}
			if got.APIVersion != "admission.k8s.io/v1" || got.Kind != "AdmissionReview" || got.Request != nil || got.Response == nil {
				t.Fatalf("envelope: apiVersion %q kind %q request %v response %v", got.APIVersion, got.Kind, got.Request, got.Response)
			}
			opts := cmp.Options{}
			if tt.want.Result != nil && tt.want.Result.Code == 400 && tt.want.Result.Message == "" {
				// The loader's error text is its own; the webhook's prefix is ours.
				if !strings.HasPrefix(got.Response.Result.Message, "cannot decode request.object: ") {
					t.Errorf("message %q", got.Response.Result.Message)
				}
				opts = append(opts, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Result.Message" }, cmp.Ignore()))
			}
			if diff := cmp.Diff(&tt.want, got.Response, opts...); diff != "" {
				t.Errorf("response (-want +got):\n%s", diff)
			}
		})
	}
}

// A namespace label naming no profile is judged by the strictest profile,
// with a warning that names the label.
func TestUnknownProfileLabel(t *testing.T) {
	if _, err := parseFlags([]string{"-cert", "c", "-key", "k", "-ns", "x=bulwark.dev/enforce=strict"}, io.Discard); err == nil || !strings.Contains(err.Error(), `unknown profile "strict"`) {
		t.Errorf("a typo in -ns is not caught at start: %v", err)
	}
	url, client, h := server(t)
	h.Namespaces.Set("typo", map[string]string{LabelEnforce: "pss-strict"})
	_, body := post(t, client, url, "application/json", review(func() request {
		r := pod("uid-1", "typo", "")
		r.object = object(t, "hardened-pod.yaml")
		return r
	}()))
	var got admissionv1.AdmissionReview
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{`namespace "typo" label bulwark.dev/enforce: unknown profile "pss-strict" (known: default, all, pss-baseline, pss-restricted, cis-docker); evaluating pss-restricted@latest`}
	if !got.Response.Allowed || !cmp.Equal(want, got.Response.Warnings) {
		t.Errorf("allowed %v, warnings %q; want allowed, %q", got.Response.Allowed, got.Response.Warnings, want)
	}
}

// Requests that are not an AdmissionReview v1 get an HTTP error, and the
// server keeps answering.
func TestBadRequests(t *testing.T) {
	url, client, _ := server(t, "-ns", "prod="+LabelEnforce+"=pss-restricted")
	valid := review(pod("uid-ok", "prod", ""))
	tests := []struct {
		name, method, contentType string
		body                      []byte
		status                    int
		message                   string
	}{
		{"GET", http.MethodGet, "", nil, 405, "method GET not allowed"},
		{"no Content-Type", http.MethodPost, "", valid, 415, `Content-Type ""`},
		{"text/plain", http.MethodPost, "text/plain", valid, 415, "want application/json"},
		{"YAML", http.MethodPost, "application/yaml", valid, 415, "want application/json"},
		{"charset is fine", http.MethodPost, "application/json; charset=utf-8", valid, 200, ""},
		{"oversized", http.MethodPost, "application/json", append(valid[:len(valid)-1:len(valid)-1], append([]byte(`,"pad":"`), append(bytes.Repeat([]byte("x"), DefaultMaxBodyBytes), '"', '}')...)...), 413, "larger than 3145728 bytes"},
		{"empty body", http.MethodPost, "application/json", nil, 400, "not an AdmissionReview"},
		{"malformed JSON", http.MethodPost, "application/json", []byte(`{"apiVersion":"admission.k8s.io/v1",`), 400, "not an AdmissionReview"},
		{"JSON of the wrong shape", http.MethodPost, "application/json", []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":[]}`), 400, "not an AdmissionReview"},
		{"v1beta1", http.MethodPost, "application/json", bytes.Replace(valid, []byte("admission.k8s.io/v1"), []byte("admission.k8s.io/v1beta1"), 1), 400, `apiVersion "admission.k8s.io/v1beta1"`},
		{"wrong kind", http.MethodPost, "application/json", bytes.Replace(valid, []byte(`"kind":"AdmissionReview"`), []byte(`"kind":"Pod"`), 1), 400, `kind "Pod"`},
		{"no request", http.MethodPost, "application/json", []byte(`{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}`), 400, "has no request"},
		{"no uid", http.MethodPost, "application/json", review(pod("", "prod", "")), 400, "no uid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, url, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.message) {
				t.Errorf("HTTP %d %q; want %d containing %q", resp.StatusCode, body, tt.status, tt.message)
			}
		})
	}
	// Still serving after all that.
	resp, body := post(t, client, url, "application/json", review(func() request {
		r := pod("uid-after", "prod", "")
		r.object = object(t, "careless-pod.yaml")
		return r
	}()))
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"uid":"uid-after","allowed":false`) {
		t.Errorf("after bad requests: HTTP %d %s", resp.StatusCode, body)
	}
}

func TestFlags(t *testing.T) {
	tests := []struct {
		args []string
		err  string
	}{
		{nil, "-cert and -key are required"},
		{[]string{"-cert", "c"}, "-cert and -key are required"},
		{[]string{"-cert", "c", "-key", "k", "-min-severity", "severe"}, "-min-severity"},
		{[]string{"-cert", "c", "-key", "k", "-namespaces", "testdata/missing.yaml"}, "no such file"},
		{[]string{"-cert", "c", "-key", "k", "-namespaces", "testdata/careless-pod.yaml"}, "want a map from namespace to labels"},
		{[]string{"-cert", "c", "-key", "k", "-ns", "prod"}, "want NAMESPACE=LABEL=VALUE"},
		{[]string{"-cert", "c", "-key", "k", "-ns", "prod=" + LabelWarn + "=all@v1.30"}, "not versioned"},
		{[]string{"-cert", "c", "-key", "k", "extra"}, "unexpected arguments"},
		{[]string{"-cert", "c", "-key", "k", "-shutdown-timeout", "0s"}, "want a positive duration"},
	}
	for _, tt := range tests {
		if _, err := parseFlags(tt.args, io.Discard); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
		}
	}
	cfg, err := parseFlags([]string{"-cert", "c", "-key", "k", "-namespaces", "testdata/namespaces.yaml", "-ns", "prod=" + LabelWarn + "=all", "-ns", "*=" + LabelAudit + "=pss-baseline"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ns := cfg.handler.Namespaces
	want := map[string]string{LabelEnforce: "pss-restricted@v1.30", LabelAudit: "pss-restricted@latest", LabelWarn: "all"}
	if diff := cmp.Diff(want, ns.Labels("prod")); diff != "" {
		t.Errorf("prod labels (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{LabelAudit: "pss-baseline"}, ns.Labels("elsewhere")); diff != "" {
		t.Errorf("labels of an unlisted namespace (-want +got):\n%s", diff)
	}
}

// BenchmarkReviews measures AdmissionReviews answered per second over
// loopback TLS with keep-alive connections, as the API server sends them,
// and reports the latency distribution. Each iteration is one review.
func BenchmarkReviews(b *testing.B) {
	url, client, _ := server(b, "-namespaces", filepath.Join("testdata", "namespaces.yaml"))
	for _, c := range []struct {
		name string
		req  request
	}{
		{"careless-pod", pod("bench", "prod", "careless-pod.yaml")},
		{"hardened-deployment", deployment("bench", "prod", "hardened-deployment.yaml")},
	} {
		c.req.object = object(b, c.req.file)
		body := review(c.req)
		do := func() time.Duration {
			start := time.Now()
			resp, err := client.Post(url, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Fatalf("HTTP %d", resp.StatusCode)
			}
			return time.Since(start)
		}
		report := func(b *testing.B, lat []time.Duration, elapsed time.Duration) {
			slices.Sort(lat)
			pct := func(p float64) float64 {
				return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))]) / float64(time.Millisecond)
			}
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "reviews/s")
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
		}
		b.Run(c.name+"/serial", func(b *testing.B) {
			do() // the TLS handshake is not a review
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				lat = append(lat, do())
			}
			report(b, lat, time.Since(start))
		})
		b.Run(c.name+"/parallel", func(b *testing.B) {
			var (
				mu  sync.Mutex
				all []time.Duration
			)
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				var lat []time.Duration
				for pb.Next() {
					lat = append(lat, do())
				}
				mu.Lock()
				all = append(all, lat...)
				mu.Unlock()
			})
			report(b, all, time.Since(start))
		})
	}
}
