package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
)

type jsonReport struct {
	Subjects []struct{ Name, Kind string }
	Findings []struct {
		Check, Severity, Subject, Path, Message string
		Suppressed                              bool
	}
	Errors []struct{ Source, Message string }
}

func audit(t *testing.T, args ...string) (jsonReport, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-format", "json"}, args...), &stdout, &stderr)
	var r jsonReport
	if code != 2 || stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
		}
	}
	return r, code, stderr.String()
}

// The embedded sample: the careless Deployment is reported at exact paths,
// the hardened Pod not at all.
func TestSample(t *testing.T) {
	r, code, _ := audit(t)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if len(r.Subjects) != 6 || len(r.Errors) != 0 {
		t.Fatalf("subjects %v, errors %v", r.Subjects, r.Errors)
	}
	type key struct{ Check, Severity, Path string }
	var careless []key
	for _, f := range r.Findings {
		switch f.Subject {
		case "Pod/prod/shop-hardened":
			t.Errorf("hardened pod reported: %+v", f)
		case "Deployment/prod/shop":
			if f.Severity == "critical" {
				careless = append(careless, key{f.Check, f.Severity, f.Path})
			}
		}
	}
	want := []key{
		{"capabilities.dangerous", "critical", "spec.template.spec.containers[2].securityContext.capabilities.add[0]"},
		{"capabilities.privileged", "critical", "spec.template.spec.containers[1].securityContext.privileged"},
	}
	if diff := cmp.Diff(want, careless); diff != "" {
		t.Errorf("critical findings (-want +got):\n%s", diff)
	}
}

// The sample is one run: the careless Deployment and the Secret are
// judged with the ServiceAccount beside them. Under the default profile
// the long-lived token Secret is reported for an account among the
// audited objects; every profile's token finding on the Deployment says
// what that account decides, and, audited without it, that it is not
// among the objects.
func TestContextFindings(t *testing.T) {
	type key struct{ Check, Subject, Path, Message string }
	find := func(r jsonReport, check string) []key {
		var out []key
		for _, f := range r.Findings {
			if f.Check == check {
				out = append(out, key{f.Check, f.Subject, f.Path, f.Message})
			}
		}
		return out
	}
	def, _, _ := audit(t)
	want := []key{{"serviceaccount.legacy-token-secret", "Secret/prod/shop-ci-token", "type",
		"Secret/prod/shop-ci-token has type kubernetes.io/service-account-token for ServiceAccount/prod/shop (among the audited objects): " +
			`the token controller fills it with a token that never expires and is bound to no pod, readable by whoever may get Secrets in namespace "prod"`}}
	if diff := cmp.Diff(want, find(def, "serviceaccount.legacy-token-secret")); diff != "" {
		t.Errorf("default profile (-want +got):\n%s", diff)
	}
	all, _, _ := audit(t, "-profile", "all")
	want = []key{{"serviceaccount.token-mounted", "Deployment/prod/shop", "spec.template.spec.automountServiceAccountToken",
		`the pod runs as service account "shop" and neither it nor ServiceAccount/prod/shop, among the audited objects, sets ` +
			"automountServiceAccountToken: false: every container gets an API token at /var/run/secrets/kubernetes.io/serviceaccount"}}
	if diff := cmp.Diff(want, find(all, "serviceaccount.token-mounted")); diff != "" {
		t.Errorf("profile all (-want +got):\n%s", diff)
	}
	alone, _, _ := audit(t, "-profile", "all", filepath.Join("sample", "careless-pod.yaml"))
	want = []key{{"serviceaccount.token-mounted", "Deployment/prod/shop", "spec.template.spec.automountServiceAccountToken",
		`the pod runs as service account "shop" and does not set automountServiceAccountToken: false, and ServiceAccount/prod/shop is not ` +
			"among the audited objects: unless it sets automountServiceAccountToken: false, every container gets an API token at " +
			"/var/run/secrets/kubernetes.io/serviceaccount"}}
	if diff := cmp.Diff(want, find(alone, "serviceaccount.token-mounted")); diff != "" {
		t.Errorf("the Deployment alone (-want +got):\n%s", diff)
	}
}

func TestExitCodes(t *testing.T) {
	hardened := filepath.Join("sample", "hardened-pod.yaml")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"hardened passes", []string{hardened}, 0, ""},
		{"fail-on above every finding", []string{"-fail-on", "critical", filepath.Join("sample", "oci")}, 0, ""},
		{"fail-on reached", []string{"-fail-on", "high", filepath.Join("sample", "oci")}, 1, ""},
		{"missing file", []string{"no/such/file.yaml"}, 2, ""},
		{"unknown profile", []string{"-profile", "strict", hardened}, 2, `unknown profile "strict"`},
		{"unversioned profile with a version", []string{"-profile", "all@v1.25", hardened}, 2, "not versioned"},
		{"latest is fine", []string{"-profile", "all@latest", hardened}, 0, ""},
		{"bad severity", []string{"-fail-on", "severe", hardened}, 2, "unknown severity"},
		{"bad format", []string{"-format", "xml", hardened}, 2, "unknown -format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), tt.code, tt.stderr)
			}
		})
	}
}

func TestSuppressedFindingsAreKept(t *testing.T) {
	r, _, _ := audit(t, filepath.Join("sample", "oci", "config.json"))
	found := false
	for _, f := range r.Findings {
		if f.Check == "capabilities.runs-as-root" {
			found = f.Suppressed
		}
	}
	if !found {
		t.Errorf("the sample spec's suppressed runs-as-root finding is missing or not suppressed: %+v", r.Findings)
	}
}

// The command and the Go API give the same answer for a versioned profile.
func TestProfileMatchesGoAPI(t *testing.T) {
	file := filepath.Join("sample", "careless-pod.yaml")
	r, code, stderr := audit(t, "-profile", "pss-restricted@v1.25", file)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	checks, err := bulwark.Profile("pss-restricted@v1.25")
	if err != nil {
		t.Fatal(err)
	}
	api := bulwark.AuditPaths(checks, load.Options{}, file)
	type key struct{ Check, Path string }
	var fromCLI, fromAPI []key
	for _, f := range r.Findings {
		fromCLI = append(fromCLI, key{f.Check, f.Path})
	}
	for _, f := range api.Findings {
		fromAPI = append(fromAPI, key{f.Check, f.Path})
	}
	if len(fromAPI) == 0 {
		t.Fatal("the careless pod passes restricted v1.25")
	}
	if diff := cmp.Diff(fromAPI, fromCLI); diff != "" {
		t.Errorf("command differs from the Go API (-api +command):\n%s", diff)
	}
}

// A pod that exempts itself with its own annotations: honoured for files by
// default (marked as suppressed by the object), never with
// -trust-annotations=false; a policy file can grant the same exception, and
// an expired entry or a malformed key is a warning that never changes the
// exit status.
func TestWhoMaySuppress(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pod := write("pod.yaml", `apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: prod
  annotations:
    bulwark.dev/ignore-capabilities.privileged: "trust me"
    bulwark.dev/ignore-namespaces.pss-host-namespaces: "trust me"
spec:
  hostPID: true
  containers:
  - name: agent
    image: registry.example/agent:1.0
    securityContext:
      privileged: true
`)
	policy := write("policy.yaml", `apiVersion: bulwark.dev/v1
kind: SuppressionPolicy
suppressions:
- check: capabilities.privileged
  subject: Pod/prod/agent
  reason: node agent, reviewed in SEC-9
  owner: platform@example.com
- check: namespaces.pss-host-namespaces
  subject: Pod/prod/*
  reason: node agent, reviewed in SEC-9
  owner: platform@example.com
- check: namespaces.pss-host-namespaces
  reason: an old exception
  owner: nobody@example.com
  expires: 2020-01-01
`)
	badPolicy := write("bad.yaml", "apiVersion: bulwark.dev/v1\nkind: SuppressionPolicy\nsuppressions:\n- check: capabilities.privileged\n  owner: x\n")
	tests := []struct {
		name     string
		args     []string
		code     int
		warnings int
		by       string
	}{
		{"files trust the object's annotations", []string{"-profile", "pss-baseline@v1.30", pod}, 0, 0, "object"},
		{"not when told not to", []string{"-profile", "pss-baseline@v1.30", "-trust-annotations=false", pod}, 1, 0, ""},
		{"a policy file grants it instead; its expired entry warns", []string{"-profile", "pss-baseline@v1.30", "-trust-annotations=false", "-policy", policy, pod}, 0, 1, "policy"},
		{"a bad policy file is a usage error", []string{"-policy", badPolicy, pod}, 2, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"-format", "json"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr.String())
			}
			if code == 2 {
				if !strings.Contains(stderr.String(), "bad.yaml: suppressions[0]: reason is required") {
					t.Errorf("stderr %q does not name the file and entry", stderr.String())
				}
				return
			}
			var r struct {
				Version  int
				Findings []struct {
					Check, SuppressedBy string
					Suppressed, Warning bool
				}
			}
			if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			if r.Version != 1 {
				t.Errorf("version %d", r.Version)
			}
			warnings := 0
			for _, f := range r.Findings {
				if f.Warning {
					warnings++
					continue
				}
				if f.SuppressedBy != tt.by || f.Suppressed != (tt.by != "") {
					t.Errorf("%s: suppressed %v by %q, want by %q", f.Check, f.Suppressed, f.SuppressedBy, tt.by)
				}
			}
			if warnings != tt.warnings {
				t.Errorf("%d warnings, want %d: %+v", warnings, tt.warnings, r.Findings)
			}
		})
	}
}

// SARIF results point at the line of their field, and their fingerprints
// do not depend on it.
func TestSARIFLines(t *testing.T) {
	var stdout, stderr bytes.Buffer
	run([]string{"-format", "sarif", filepath.Join("sample", "careless-pod.yaml")}, &stdout, &stderr)
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						Region struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
				Properties          struct{ Path string }
			}
		}
	}
	if err := json.Unmarshal(stdout.Bytes(), &log); err != nil {
		t.Fatal(err, stderr.String())
	}
	lines := map[string]int{}
	for _, r := range log.Runs[0].Results {
		lines[r.Properties.Path] = r.Locations[0].PhysicalLocation.Region.StartLine
		if len(r.PartialFingerprints["bulwarkFinding/v1"]) != 64 {
			t.Errorf("%s: fingerprint %v", r.Properties.Path, r.PartialFingerprints)
		}
	}
	want := map[string]int{
		"spec.template.spec.containers[1].securityContext.privileged":               26,
		"spec.template.spec.containers[2].securityContext.capabilities.add[0]":      32,
		"spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation": 19, // missing: the container
	}
	for path, line := range want {
		if lines[path] != line {
			t.Errorf("%s: line %d, want %d", path, lines[path], line)
		}
	}
}

// Info findings are counted per subject in text unless -show-info lists
// them; JSON always carries them.
func TestShowInfo(t *testing.T) {
	file := filepath.Join("sample", "careless-pod.yaml")
	tests := []struct {
		name          string
		args          []string
		want, notWant string
	}{
		{"counted", []string{"-profile", "all", file}, "  + 5 info findings, -show-info lists them\n", "\n  INFO "},
		{"listed", []string{"-profile", "all", "-show-info", file}, "\n  INFO      ", "-show-info lists"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != 1 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			out := stdout.String()
			if !strings.Contains(out, tt.want) || strings.Contains(out, tt.notWant) {
				t.Errorf("output lacks %q or has %q:\n%s", tt.want, tt.notWant, out)
			}
		})
	}
	r, _, _ := audit(t, "-profile", "all", file)
	info := 0
	for _, f := range r.Findings {
		if f.Severity == "info" {
			info++
		}
	}
	if info != 5 {
		t.Errorf("JSON holds %d info findings, want 5", info)
	}
}

// -baseline: an earlier JSON or SARIF report of this command; only what is
// not in it fails the run and is listed in text.
func TestBaseline(t *testing.T) {
	dir := t.TempDir()
	careless := filepath.Join("sample", "careless-pod.yaml")
	report := func(name string, args ...string) string {
		var stdout, stderr bytes.Buffer
		if code := run(append(args, careless), &stdout, &stderr); code != 1 {
			t.Fatalf("%s: exit %d: %s", name, code, stderr.String())
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, stdout.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	baseJSON := report("base.json", "-format", "json")
	baseSARIF := report("base.sarif", "-format", "sarif")
	// A report written before findings had fingerprints.
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var old map[string]any
	data, err := os.ReadFile(baseJSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &old); err != nil {
		t.Fatal(err)
	}
	for _, f := range old["findings"].([]any) {
		delete(f.(map[string]any), "fingerprint")
	}
	data, err = json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	baseOld := write("old.json", data)

	// The same Deployment elsewhere, its lines moved by a new host PID.
	src, err := os.ReadFile(careless)
	if err != nil {
		t.Fatal(err)
	}
	changed := write("deploy.yaml", []byte(strings.Replace(string(src), "      containers:", "      hostPID: true\n      containers:", 1)))
	notAReport := filepath.Join("sample", "hardened-pod.yaml")

	tests := []struct {
		name     string
		args     []string
		code     int
		want     []string // in stdout, or in stderr when code is 2
		notWant  []string
		newPaths []string // the paths listed in text
	}{
		{"JSON baseline, nothing new", []string{"-baseline", baseJSON, careless}, 0,
			[]string{"findings in the baseline not shown)", "0 findings, 0 suppressed, 0 errors,"}, []string{"CRITICAL"}, nil},
		{"SARIF baseline, nothing new", []string{"-baseline", baseSARIF, careless}, 0, []string{"in the baseline not shown"}, []string{"CRITICAL"}, nil},
		{"JSON baseline without fingerprints", []string{"-baseline", baseOld, careless}, 0, []string{"in the baseline not shown"}, nil, nil},
		{"something new, lines moved", []string{"-baseline", baseJSON, changed}, 1,
			[]string{"  HIGH      spec.template.spec.hostPID: "}, nil, []string{"spec.template.spec.hostPID"}},
		{"missing baseline", []string{"-baseline", filepath.Join(dir, "nope.json"), careless}, 2,
			[]string{"audit: baseline " + filepath.Join(dir, "nope.json") + ": open: no such file or directory"}, nil, nil},
		{"not a report", []string{"-baseline", notAReport, careless}, 2,
			[]string{"audit: baseline " + notAReport + ": not a JSON report nor a SARIF log"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, &stdout, &stderr)
			out := stdout.String()
			if code == 2 {
				out = stderr.String()
			}
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s%s", code, tt.code, stdout.String(), stderr.String())
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			if code == 2 {
				return
			}
			// JSON carries every finding, each with its state.
			var r struct {
				Findings []struct{ Path, BaselineState, SuppressedBy string }
			}
			stdout.Reset()
			run(append([]string{"-format", "json"}, tt.args...), &stdout, &stderr)
			if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			var news []string
			for _, f := range r.Findings {
				switch f.BaselineState {
				case "new":
					news = append(news, f.Path)
				case "unchanged":
					if f.SuppressedBy != "baseline" {
						t.Errorf("%s: unchanged, suppressed by %q", f.Path, f.SuppressedBy)
					}
				default:
					t.Errorf("%s: baselineState %q", f.Path, f.BaselineState)
				}
			}
			if diff := cmp.Diff(tt.newPaths, news); diff != "" {
				t.Errorf("new findings (-want +got):\n%s", diff)
			}
		})
	}
}

// helm template's output, piped in: findings name the template that
// rendered their document, in text, JSON and SARIF.
func TestRenderedManifests(t *testing.T) {
	const rendered = "../../load/testdata/helm/shop.yaml" // helm template my-release ./shop
	f, err := os.Open(rendered)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	stdin := os.Stdin
	defer func() { os.Stdin = stdin }()
	pipe := func(args ...string) string {
		t.Helper()
		if _, err := f.Seek(0, 0); err != nil {
			t.Fatal(err)
		}
		os.Stdin = f
		var stdout, stderr bytes.Buffer
		if code := run(append(args, "-"), &stdout, &stderr); code != 1 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		return stdout.String()
	}

	text := pipe()
	for _, want := range []string{
		"Deployment/my-release-shop (pod, -#5) (from shop/templates/deployment.yaml)\n",
		"StatefulSet/shop/my-release-redis-master (pod, -#6) (from shop/charts/redis/templates/master/application.yaml): no findings\n",
		"  -#8: Prometheus/my-release-shop (Prometheus Operator, from shop/templates/prometheus.yaml): creates a StatefulSet",
		"ServiceAccount/my-release-shop (object, -#1) (from shop/templates/serviceaccount.yaml): no findings\n",
		"8 subjects, 9 findings (2 high, 7 medium), 0 suppressed, 0 errors, 2 skipped (1 with pods not in the input)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	var r struct {
		Subjects []struct{ Name, Template string }
		Findings []struct{ Subject, Template string }
		Skipped  []struct{ Name, Template string }
	}
	if err := json.Unmarshal([]byte(pipe("-format", "json")), &r); err != nil {
		t.Fatal(err)
	}
	templates := map[string]string{}
	for _, s := range r.Subjects {
		templates[s.Name] = s.Template
	}
	for _, f := range r.Findings {
		templates[f.Subject] = f.Template
	}
	for _, s := range r.Skipped {
		templates[s.Name] = s.Template
	}
	want := map[string]string{
		"Deployment/my-release-shop":               "shop/templates/deployment.yaml",
		"Pod/my-release-shop-test-connection":      "shop/templates/tests/test-connection.yaml",
		"ServiceAccount/shop/my-release-redis":     "shop/charts/redis/templates/serviceaccount.yaml",
		"ServiceAccount/my-release-shop":           "shop/templates/serviceaccount.yaml",
		"ConfigMap/my-release-shop":                "shop/templates/configmap.yaml",
		"Service/shop/my-release-redis-headless":   "shop/charts/redis/templates/headless-svc.yaml",
		"Service/my-release-shop":                  "shop/templates/service.yaml",
		"ServiceMonitor/my-release-shop":           "shop/templates/servicemonitor.yaml",
		"Prometheus/my-release-shop":               "shop/templates/prometheus.yaml",
		"StatefulSet/shop/my-release-redis-master": "shop/charts/redis/templates/master/application.yaml",
	}
	if diff := cmp.Diff(want, templates); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}

	// Standard input has no file: code scanning is pointed at the template.
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(pipe("-format", "sarif")), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs[0].Results) == 0 {
		t.Fatal("no SARIF results")
	}
	for _, res := range log.Runs[0].Results {
		uri := res.Locations[0].PhysicalLocation.ArtifactLocation.URI
		if !strings.HasPrefix(uri, "shop/templates/") || !strings.HasSuffix(res.Message.Text, " (from "+uri+")") {
			t.Errorf("result at %q: %s", uri, res.Message.Text)
		}
	}
}
