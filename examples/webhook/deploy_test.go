package main

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// manifests are the objects of deploy/, each decoded strictly into its
// k8s.io/api type.
type manifests struct {
	namespace      *corev1.Namespace
	serviceAccount *corev1.ServiceAccount
	configMap      *corev1.ConfigMap
	service        *corev1.Service
	deployment     *appsv1.Deployment
	pdb            *policyv1.PodDisruptionBudget
	webhook        *admissionregistrationv1.ValidatingWebhookConfiguration
}

// decodeStrict decodes one YAML object into v; a field v does not have, a
// duplicate field or a second document is an error.
func decodeStrict(data []byte, v any) error {
	if bytes.Contains(data, []byte("\n---")) {
		return fmt.Errorf("more than one document")
	}
	return yaml.UnmarshalStrict(data, v)
}

func readManifests(t *testing.T, dir string) *manifests {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s: %v", dir, err)
	}
	m := &manifests{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var tm metav1.TypeMeta
		if err := yaml.Unmarshal(data, &tm); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var v any
		switch tm.APIVersion + " " + tm.Kind {
		case "v1 Namespace":
			m.namespace = &corev1.Namespace{}
			v = m.namespace
		case "v1 ServiceAccount":
			m.serviceAccount = &corev1.ServiceAccount{}
			v = m.serviceAccount
		case "v1 ConfigMap":
			m.configMap = &corev1.ConfigMap{}
			v = m.configMap
		case "v1 Service":
			m.service = &corev1.Service{}
			v = m.service
		case "apps/v1 Deployment":
			m.deployment = &appsv1.Deployment{}
			v = m.deployment
		case "policy/v1 PodDisruptionBudget":
			m.pdb = &policyv1.PodDisruptionBudget{}
			v = m.pdb
		case "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration":
			m.webhook = &admissionregistrationv1.ValidatingWebhookConfiguration{}
			v = m.webhook
		default:
			t.Fatalf("%s: %s %s: this test does not know the kind", file, tm.APIVersion, tm.Kind)
		}
		if err := decodeStrict(data, v); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
	}
	if m.namespace == nil || m.serviceAccount == nil || m.configMap == nil || m.service == nil || m.deployment == nil || m.pdb == nil || m.webhook == nil {
		t.Fatalf("deploy/ lacks a manifest: %+v", m)
	}
	return m
}

// The strict decoding the deploy tests rely on rejects what kubectl apply
// would reject or silently drop.
func TestDecodeStrictRejects(t *testing.T) {
	for _, data := range []string{
		"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selectr: {a: b}}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: x}\nmetadata: {name: y}\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: x}\n---\napiVersion: v1\nkind: Service\n",
	} {
		if err := decodeStrict([]byte(data), &corev1.Service{}); err == nil {
			t.Errorf("accepted:\n%s", data)
		}
	}
}

// The webhook configuration sends every request the webhook judges and
// nothing it does not, as admission needs it.
func TestDeployWebhookConfiguration(t *testing.T) {
	m := readManifests(t, "deploy")
	if len(m.webhook.Webhooks) != 1 {
		t.Fatalf("%d webhooks, want 1", len(m.webhook.Webhooks))
	}
	w := m.webhook.Webhooks[0]

	type setting struct {
		ReviewVersions []string
		SideEffects    admissionregistrationv1.SideEffectClass
		HasTimeout     bool
		HasFailure     bool
		Service        string
		Port           int32
		Path           string
		Excluded       []string
	}
	got := setting{ReviewVersions: w.AdmissionReviewVersions, HasTimeout: w.TimeoutSeconds != nil && *w.TimeoutSeconds >= 1 && *w.TimeoutSeconds <= 30, HasFailure: w.FailurePolicy != nil}
	if w.SideEffects != nil {
		got.SideEffects = *w.SideEffects
	}
	if s := w.ClientConfig.Service; s != nil && w.ClientConfig.URL == nil {
		got.Service = s.Namespace + "/" + s.Name
		if s.Port != nil {
			got.Port = *s.Port
		}
		if s.Path != nil {
			got.Path = *s.Path
		}
	}
	if sel := w.NamespaceSelector; sel != nil {
		for _, e := range sel.MatchExpressions {
			if e.Key == corev1.LabelMetadataName && e.Operator == metav1.LabelSelectorOpNotIn {
				got.Excluded = append(got.Excluded, e.Values...)
			}
		}
		slices.Sort(got.Excluded)
	}
	want := setting{
		ReviewVersions: []string{"v1"},
		SideEffects:    admissionregistrationv1.SideEffectClassNone,
		HasTimeout:     true,
		HasFailure:     true,
		Service:        m.service.Namespace + "/" + m.service.Name,
		Port:           m.service.Spec.Ports[0].Port,
		Path:           "/validate",
		Excluded:       []string{m.deployment.Namespace, "kube-system"},
	}
	slices.Sort(want.Excluded)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("webhook settings (-want +got):\n%s", diff)
	}
	if len(m.service.Spec.Ports) != 1 {
		t.Errorf("service has %d ports, want 1", len(m.service.Spec.Ports))
	}

	// Which (group, version, resource) and operations the rules match.
	matched := map[string][]admissionregistrationv1.OperationType{}
	for _, r := range w.Rules {
		for _, g := range r.APIGroups {
			for _, v := range r.APIVersions {
				for _, res := range r.Resources {
					key := g + "/" + v + "/" + res
					matched[key] = append(matched[key], r.Operations...)
				}
			}
		}
	}
	needs := map[string]bool{"/v1/pods/ephemeralcontainers": true}
	for _, r := range podResources {
		needs[r.Resource.Group+"/"+r.Resource.Version+"/"+r.Resource.Resource] = true
	}
	for key := range needs {
		ops := matched[key]
		if !slices.Contains(ops, admissionregistrationv1.Update) || !strings.HasSuffix(key, "/ephemeralcontainers") && !slices.Contains(ops, admissionregistrationv1.Create) {
			t.Errorf("%s: the rules match %v, want CREATE and UPDATE", key, ops)
		}
	}
	for key, ops := range matched {
		group, rest, _ := strings.Cut(key, "/")
		version, resource, _ := strings.Cut(rest, "/")
		resource, sub, _ := strings.Cut(resource, "/")
		for _, op := range ops {
			req := &admissionv1.AdmissionRequest{
				Operation:   admissionv1.Operation(op),
				Resource:    metav1.GroupVersionResource{Group: group, Version: version, Resource: resource},
				SubResource: sub,
			}
			if classify(req) == notJudged {
				t.Errorf("the rules send %s %s, which the webhook does not judge", op, key)
			}
		}
	}
}

// The webhook's own Pods pass pss-restricted, and its manifests agree with
// one another and with the command's flags.
func TestDeployWebhookItself(t *testing.T) {
	m := readManifests(t, "deploy")
	d := m.deployment
	data, err := os.ReadFile(filepath.Join("deploy", "deployment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{}
	for _, ref := range []string{"pss-restricted", "pss-restricted@v1.30"} {
		checker, err := h.profile(ref)
		if err != nil {
			t.Fatal(err)
		}
		r := load.Bytes(load.Options{}, "deployment.yaml", data)
		if len(r.Errors) > 0 || len(r.Subjects) != 1 {
			t.Fatalf("errors %v, %d subjects", r.Errors, len(r.Subjects))
		}
		r.Audit(checker)
		if v := h.violations(r.Findings); len(v) > 0 {
			t.Errorf("deploy/deployment.yaml violates %s: %v", ref, v)
		}
	}
	if m.namespace.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Errorf("namespace %s labels %v: want Pod Security Admission to enforce restricted", m.namespace.Name, m.namespace.Labels)
	}

	pod := d.Spec.Template
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("%d containers", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]
	podLabels := labels.Set(pod.Labels)
	for name, sel := range map[string]*metav1.LabelSelector{"deployment": d.Spec.Selector, "pdb": m.pdb.Spec.Selector, "service": {MatchLabels: m.service.Spec.Selector}} {
		s, err := metav1.LabelSelectorAsSelector(sel)
		if err != nil || s.Empty() || !s.Matches(podLabels) {
			t.Errorf("the %s selector %v does not select the webhook's Pods (%v): %v", name, sel, pod.Labels, err)
		}
	}
	for _, ns := range []string{m.serviceAccount.Namespace, m.configMap.Namespace, m.service.Namespace, m.pdb.Namespace} {
		if ns != d.Namespace || ns != m.namespace.Name {
			t.Errorf("objects in namespaces %q and %q, want all in %q", ns, d.Namespace, m.namespace.Name)
		}
	}
	if pod.Spec.ServiceAccountName != m.serviceAccount.Name || m.serviceAccount.AutomountServiceAccountToken == nil || *m.serviceAccount.AutomountServiceAccountToken {
		t.Errorf("service account %q (automount %v), want %q without a token", pod.Spec.ServiceAccountName, m.serviceAccount.AutomountServiceAccountToken, m.serviceAccount.Name)
	}

	// The flags: files where the volumes put them, the ConfigMap's policy
	// valid, the port the Service targets.
	mounts := map[string]string{} // volume → mount path
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = vm.MountPath
	}
	files := map[string]string{} // path in the container → file here
	policy := filepath.Join(t.TempDir(), "namespaces.yaml")
	for _, v := range pod.Spec.Volumes {
		switch {
		case v.Secret != nil:
			files[mounts[v.Name]+"/"+corev1.TLSCertKey] = "tls.crt"
			files[mounts[v.Name]+"/"+corev1.TLSPrivateKeyKey] = "tls.key"
		case v.ConfigMap != nil && v.ConfigMap.Name == m.configMap.Name:
			for key, value := range m.configMap.Data {
				files[mounts[v.Name]+"/"+key] = policy
				if err := os.WriteFile(policy, []byte(value), 0o600); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var args []string
	for _, a := range c.Args {
		name, value, _ := strings.Cut(a, "=")
		switch name {
		case "-cert", "-key", "-namespaces":
			local, ok := files[value]
			if !ok {
				t.Errorf("%s: no volume puts a file at %s", name, value)
			}
			value = local
		}
		args = append(args, name+"="+value)
	}
	cfg, err := parseFlags(args, io.Discard)
	if err != nil {
		t.Fatalf("the container's args %q: %v", c.Args, err)
	}
	_, port, _ := net.SplitHostPort(cfg.addr)
	if len(c.Ports) != 1 || fmt.Sprint(c.Ports[0].ContainerPort) != port || m.service.Spec.Ports[0].TargetPort.String() != c.Ports[0].Name {
		t.Errorf("listens on %s; container ports %v; service targets %v", cfg.addr, c.Ports, m.service.Spec.Ports[0].TargetPort)
	}
	grace := time.Duration(*pod.Spec.TerminationGracePeriodSeconds) * time.Second
	var preStop time.Duration
	if c.Lifecycle != nil && c.Lifecycle.PreStop != nil && c.Lifecycle.PreStop.Sleep != nil {
		preStop = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	if preStop == 0 || preStop+cfg.shutdownTimeout >= grace {
		t.Errorf("preStop sleep %v + -shutdown-timeout %v must be positive and end before terminationGracePeriodSeconds %v", preStop, cfg.shutdownTimeout, grace)
	}

	// The probes ask HealthPath over HTTPS, and the server answers it.
	for name, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != HealthPath || p.HTTPGet.Scheme != corev1.URISchemeHTTPS || p.HTTPGet.Port.String() != c.Ports[0].Name {
			t.Errorf("%s probe %+v: want GET %s over HTTPS on port %s", name, p, HealthPath, c.Ports[0].Name)
		}
	}
	url, client, _ := server(t)
	resp, err := client.Get(strings.TrimSuffix(url, "/validate") + HealthPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: HTTP %d", HealthPath, resp.StatusCode)
	}
}

// The certificate recipe of deploy/README.md makes a CA, a serving
// certificate the webhook serves and a client that trusts caBundle and
// checks the name <service>.<namespace>.svc (as the API server does)
// accepts, and a webhook.yaml with that caBundle.
func TestCertificateRecipe(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl:", err)
	}
	readme, err := os.ReadFile(filepath.Join("deploy", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, recipe, ok := strings.Cut(string(readme), "<!-- recipe -->\n```sh\n")
	recipe, _, ok2 := strings.Cut(recipe, "```\n<!-- end recipe -->")
	if !ok || !ok2 {
		t.Fatal("deploy/README.md has no recipe block")
	}
	deploy, err := filepath.Abs("deploy")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-c", recipe)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DEPLOY="+deploy)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the recipe failed: %v\n%s", err, out)
	}

	m := readManifests(t, "deploy")
	name := m.service.Name + "." + m.service.Namespace + ".svc"
	withCA, err := os.ReadFile(filepath.Join(dir, "webhook-with-ca.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg admissionregistrationv1.ValidatingWebhookConfiguration
	if err := decodeStrict(withCA, &cfg); err != nil {
		t.Fatalf("webhook-with-ca.yaml: %v", err)
	}
	ca, err := os.ReadFile(filepath.Join(dir, "ca.crt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Webhooks) != 1 || !bytes.Equal(cfg.Webhooks[0].ClientConfig.CABundle, ca) {
		t.Fatalf("caBundle is not ca.crt:\n%s", withCA)
	}
	if block, _ := pem.Decode(ca); block == nil {
		t.Fatal("ca.crt is not PEM")
	}
	// Apart from caBundle, the copy is webhook.yaml.
	cfg.Webhooks[0].ClientConfig.CABundle = nil
	if diff := cmp.Diff(m.webhook, &cfg); diff != "" {
		t.Errorf("webhook-with-ca.yaml differs from webhook.yaml beyond caBundle (-want +got):\n%s", diff)
	}

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca) // what caBundle held
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	flags, err := parseFlags([]string{"-cert", certFile, "-key", keyFile, "-log=false"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newServer(ln.Addr().String(), flags.handler)
	srv.ErrorLog = log.New(io.Discard, "", 0) // the handshakes meant to fail
	go srv.ServeTLS(ln, certFile, keyFile)
	t.Cleanup(func() { srv.Close() })
	for _, tt := range []struct {
		serverName string
		ok         bool
	}{
		{name, true},
		{m.service.Name + ".default.svc", false},
		{m.service.Name, false},
	} {
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: tt.serverName, MinVersion: tls.VersionTLS12},
		}}
		resp, err := client.Get("https://" + ln.Addr().String() + HealthPath)
		if err == nil {
			resp.Body.Close()
		}
		if (err == nil) != tt.ok {
			t.Errorf("TLS to %s: error %v, want success %v", tt.serverName, err, tt.ok)
		}
		client.CloseIdleConnections()
	}

	// The serving certificate is for serving only.
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	if leaf.IsCA || !slices.Equal(leaf.ExtKeyUsage, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}) || !slices.Equal(leaf.DNSNames, []string{name}) {
		t.Errorf("serving certificate: CA %v, extended key usage %v, DNS names %v", leaf.IsCA, leaf.ExtKeyUsage, leaf.DNSNames)
	}
}
