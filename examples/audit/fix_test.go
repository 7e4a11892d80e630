package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// chart is a rendered chart's output: two documents, comments, quoting.
const chart = `# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: "shop"   # the storefront
spec:
  template:
    spec:
      containers:
      - name: web
        image: "registry.example/shop:1.4.2"
        securityContext:
          runAsUser: 0
---
# Source: shop/templates/cronjob.yaml
apiVersion: batch/v1
kind: CronJob
metadata:
  name: report
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: true
          containers:
          - name: report
            image: registry.example/report:2.0
`

func runArgs(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

func TestFixDiffAndInPlace(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "chart.yaml")
	if err := os.WriteFile(file, []byte(chart), 0o640); err != nil {
		t.Fatal(err)
	}
	restricted := []string{"-profile", "pss-restricted@v1.30"}

	// -diff prints the diff, leaves the file and exits 1.
	out, errOut, code := runArgs(t, append(restricted, "-diff", file)...)
	if code != 1 {
		t.Errorf("-diff: exit %d, want 1\n%s", code, errOut)
	}
	for _, want := range []string{
		"--- a/" + file, "-          runAsUser: 0\n", "+          runAsUser: 65532\n",
		"+              allowPrivilegeEscalation: false\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-diff output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "spec.jobTemplate.spec.template.spec.hostNetwork [namespaces.pss-host-namespaces high]: whether the pod may leave") {
		t.Errorf("-diff does not say why hostNetwork is left:\n%s", errOut)
	}
	if data, _ := os.ReadFile(file); string(data) != chart {
		t.Errorf("-diff changed the file")
	}

	// -fix writes it in place with its mode; hostNetwork is left (exit 1).
	out, _, code = runArgs(t, append(restricted, "-fix", file)...)
	if code != 1 {
		t.Errorf("-fix: exit %d, want 1 (hostNetwork left)\n%s", code, out)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v after -fix, want 0640", info.Mode().Perm())
	}
	fixed, _ := os.ReadFile(file)
	if !strings.Contains(string(fixed), `  name: "shop"   # the storefront`) || !strings.Contains(string(fixed), "# Source: shop/templates/cronjob.yaml") {
		t.Errorf("comments or quoting lost:\n%s", fixed)
	}

	// A second run changes nothing; the decision removes hostNetwork.
	out, _, _ = runArgs(t, append(restricted, "-diff", file)...)
	if out != "" {
		t.Errorf("a second -diff shows changes:\n%s", out)
	}
	_, errOut, code = runArgs(t, append(restricted, "-fix", "-decide", "namespaces.pss-host-namespaces=remove", file)...)
	if code != 0 {
		t.Errorf("-fix -decide: exit %d, want 0\n%s", code, errOut)
	}
	if data, _ := os.ReadFile(file); strings.Contains(string(data), "hostNetwork") {
		t.Errorf("hostNetwork kept after the decision:\n%s", data)
	}
}

func TestFixStdinToStdout(t *testing.T) {
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader(chart)
	out, errOut, code := runArgs(t, "-profile", "pss-restricted@v1.30", "-fix-checks", "capabilities.pss-run-as-user", "-fix", "-")
	if code != 0 {
		t.Errorf("exit %d, want 0 (only runAsUser selected)\n%s", code, errOut)
	}
	want := strings.Replace(chart, "runAsUser: 0", "runAsUser: 65532", 1)
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("standard output (-want +got):\n%s", diff)
	}
	if !strings.Contains(errOut, "-: fixed 1 finding") {
		t.Errorf("standard error lacks the summary:\n%s", errOut)
	}
}

func TestFixSample(t *testing.T) {
	out, errOut, code := runArgs(t, "-diff")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{
		"+++ b/examples/audit/sample/careless-pod.yaml", "+          runAsUser: 65532\n", "-    \"noNewPrivileges\": false\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the sample's diff lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "capabilities.privileged critical]: whether the container must be privileged") {
		t.Errorf("the reason privileged is left is missing:\n%s", errOut)
	}
}

// TestFixBundle fixes an OCI bundle's config.json in place.
func TestFixBundle(t *testing.T) {
	src, err := os.ReadFile("../../testdata/runtimes/runc-spec.json")
	if err != nil {
		t.Fatal(err)
	}
	bundle := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bundle, "rootfs", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(bundle, "config.json")
	if err := os.WriteFile(config, src, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, code := runArgs(t, "-profile", "cis-docker", "-fail-on", "medium", "-fix",
		"-decide", "cgroups.memory-limit-missing=256Mi", "-decide", "confinement.lsm-missing=docker-default",
		"-decide", "confinement.seccomp-missing=@../../confinement/testdata/docker-default-seccomp.json", bundle)
	if code != 0 {
		t.Errorf("exit %d, want 0\n%s", code, out)
	}
	fixed, _ := os.ReadFile(config)
	for _, want := range []string{`"uid": 65532`, `"type": "cgroup"`, `"defaultAction": "SCMP_ACT_ERRNO"`, `"apparmorProfile": "docker-default"`} {
		if !strings.Contains(string(fixed), want) {
			t.Errorf("the fixed config.json lacks %s", want)
		}
	}
	if info, _ := os.Stat(config); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}
