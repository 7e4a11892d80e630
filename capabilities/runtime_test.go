package capabilities_test

// Ground truth from real runtimes: the specs runc and crun write, and what
// the kernel gives a process that runc starts from a spec. These tests need
// runc, crun and busybox-static (.ci/run installs them) and, for containers,
// root; without them they skip.

import (
	"encoding/json"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/runctest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (apt-get install -y runc crun busybox-static)", name)
	}
	return path
}

// TestRuntimeSpecTemplates audits the config.json that `runc spec` and
// `crun spec` write, loaded from the bundle directory as a user would.
func TestRuntimeSpecTemplates(t *testing.T) {
	ambientInert := got{ambient, hardening.SeverityInfo, "", "process.capabilities.ambient"}
	rootAt := func(sev hardening.Severity) got { return got{root, sev, "", "process.user.uid"} }
	// runc --rootless maps container root to the invoking uid.
	rootlessRoot := hardening.SeverityLow
	if os.Getuid() == 0 {
		rootlessRoot = hardening.SeverityMedium
	}
	tests := []struct {
		runtime string
		args    []string
		want    []got
	}{
		{"runc", []string{"spec"}, []got{ambientInert, rootAt(hardening.SeverityMedium)}},
		{"runc", []string{"spec", "--rootless"}, []got{ambientInert, rootAt(rootlessRoot)}},
		{"crun", []string{"spec"}, []got{ambientInert, rootAt(hardening.SeverityMedium)}},
		// crun writes no mapping: it fills it in at run time, so the spec
		// alone does not show root is unprivileged.
		{"crun", []string{"spec", "--rootless"}, []got{ambientInert, rootAt(hardening.SeverityMedium)}},
	}
	for _, tt := range tests {
		t.Run(tt.runtime+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			bin := needTool(t, tt.runtime)
			dir := t.TempDir()
			cmd := exec.Command(bin, tt.args...)
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s %v: %v\n%s", tt.runtime, tt.args, err, out)
			}
			r := load.Paths(load.Options{}, dir)
			if len(r.Errors) > 0 || len(r.Subjects) != 1 {
				t.Fatalf("loading the bundle: %d subjects, errors %v", len(r.Subjects), r.Errors)
			}
			r.Audit(capabilities.Checks())
			if diff := cmp.Diff(tt.want, summarize(r.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAmbientVerdictsInRealContainers starts runc containers to confirm
// what capabilities.inheritable-ambient claims: ambient capabilities not
// also inheritable are not applied (info), and ones that are reach a
// non-root process (medium).
func TestAmbientVerdictsInRealContainers(t *testing.T) {
	runner := runctest.Need(t)
	runc := needTool(t, "runc")
	tests := []struct {
		name        string
		tweak       func(*runtimespec.Process)
		wantAmbient string // CapAmb as the kernel reports it
		severity    hardening.Severity
	}{
		{"runc spec as written", func(p *runtimespec.Process) {}, "0000000000000000", hardening.SeverityInfo},
		{"inheritable too, non-root", func(p *runtimespec.Process) {
			p.User = runtimespec.User{UID: 1000, GID: 1000}
			p.Capabilities.Inheritable = []string{"CAP_NET_BIND_SERVICE"}
			p.Capabilities.Ambient = []string{"CAP_NET_BIND_SERVICE"}
		}, "0000000000000400", hardening.SeverityMedium},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(runc, "spec")
			cmd.Dir = dir
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("runc spec: %v\n%s", err, out)
			}
			spec := readSpec(t, filepath.Join(dir, "config.json"))
			tt.tweak(spec.Process)
			out, errOut, err := runner.Run(t, spec, "grep ^Cap /proc/self/status")
			if err != nil {
				t.Fatalf("%v\n%s", err, errOut)
			}
			m := regexp.MustCompile(`CapAmb:\s+([0-9a-f]+)`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("no CapAmb in container output:\n%s", out)
			}
			if m[1] != tt.wantAmbient {
				t.Errorf("kernel CapAmb = %s, want %s", m[1], tt.wantAmbient)
			}
			f := checktest.Each(hardening.Checks{capabilities.InheritableAmbient}, hardening.NewSpecSubject("config.json", spec))
			last := f[len(f)-1]
			if last.Path != "process.capabilities.ambient" || last.Severity != tt.severity {
				t.Errorf("verdict %v, want %s at process.capabilities.ambient (container said CapAmb %s)", f, tt.severity, m[1])
			}
		})
	}
}

func readSpec(t *testing.T, path string) *runtimespec.Spec {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var spec runtimespec.Spec
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}
	return &spec
}
