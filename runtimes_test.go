package bulwark_test

// Ground truth from real runtimes: the default OCI runtime specs that
// Docker, containerd, runc and crun produce, generated into
// testdata/runtimes by internal/runtimedefaults (see the README there).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
)

const runtimesDir = "testdata/runtimes"

// ociChecks is the catalog restricted to the checks that read OCI runtime
// specs.
func ociChecks() hardening.Checks {
	return bulwark.Checks().Select(hardening.Selection{Kinds: hardening.KindOCISpec})
}

// runtimeSpecFiles lists testdata/runtimes/*.json, sorted.
func runtimeSpecFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(runtimesDir, "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(files) == 0 {
		tb.Fatalf("no specs in %s: run `go run .` in internal/runtimedefaults", runtimesDir)
	}
	slices.Sort(files)
	return files
}

// loadRuntimeSpec loads one spec file as a user would, with load.Paths.
func loadRuntimeSpec(tb testing.TB, file string) *hardening.Subject {
	tb.Helper()
	r := load.Paths(load.Options{}, file)
	if len(r.Errors) > 0 || len(r.Subjects) != 1 || r.Subjects[0].Kind != hardening.KindOCISpec {
		tb.Fatalf("%s: %d subjects, errors %v", file, len(r.Subjects), r.Errors)
	}
	return r.Subjects[0]
}

// auditRuntimeSpec loads file and audits it with every OCI check.
func auditRuntimeSpec(t *testing.T, file string) []hardening.Finding {
	t.Helper()
	return ociChecks().Check(loadRuntimeSpec(t, file), nil)
}

func specName(file string) string { return strings.TrimSuffix(filepath.Base(file), ".json") }

// goldenLines renders findings as the golden files hold them, one
// "check path severity [+related…]" line each, in the order the catalog
// reports them.
func goldenLines(fs []hardening.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		path := f.Path
		if path == "" {
			path = "-"
		}
		fmt.Fprintf(&b, "%s %s %s", f.Check, path, f.Severity)
		for _, id := range f.Related {
			b.WriteString(" +" + id)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestRuntimeDefaults audits each runtime's default spec with the OCI
// checks of the catalog and compares the findings with
// testdata/runtimes/<name>.golden. A new or changed check changes the
// goldens: run `go test -run TestRuntimeDefaults -update .` and review the
// diff.
func TestRuntimeDefaults(t *testing.T) {
	for _, file := range runtimeSpecFiles(t) {
		name := specName(file)
		t.Run(name, func(t *testing.T) {
			got := goldenLines(auditRuntimeSpec(t, file))
			golden := filepath.Join(runtimesDir, name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run `go test -run TestRuntimeDefaults -update .`)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s findings changed; review and run `go test -run TestRuntimeDefaults -update .` (-golden +got):\n%s", file, diff)
			}
		})
	}
}

// TestRuntimeDefaultsInvariants holds what must stay true of the runtime
// defaults whatever checks are added: facts about the specs that every
// version of the catalog has to agree with.
func TestRuntimeDefaultsInvariants(t *testing.T) {
	catalog := ociChecks()
	audit := func(t *testing.T, name string) []hardening.Finding {
		t.Helper()
		return auditRuntimeSpec(t, filepath.Join(runtimesDir, name+".json"))
	}

	t.Run("docker-base", func(t *testing.T) {
		fs := audit(t, "docker-base")
		// Docker keeps NET_RAW in all three sets it writes.
		if !slices.ContainsFunc(fs, func(f hardening.Finding) bool {
			return f.Check == "capabilities.dangerous" && (strings.Contains(f.Message, "NET_RAW") || strings.Contains(f.Path, "NET_RAW"))
		}) {
			t.Errorf("no capabilities.dangerous finding for CAP_NET_RAW in:\n%s", goldenLines(fs))
		}
		// noNewPrivileges is absent (false) in Docker's spec.
		wantFinding(t, fs, "capabilities.privilege-escalation", "process.noNewPrivileges")
		// process.user is 0:0.
		wantFinding(t, fs, "capabilities.runs-as-root", "")
	})

	t.Run("docker-run", func(t *testing.T) {
		// The moby default profile denies mount, unshare and keyctl (they
		// fall to defaultAction SCMP_ACT_ERRNO): no confinement check may
		// claim the profile lets them through.
		fs := audit(t, "docker-run")
		denied := regexp.MustCompile(`\b(mount|unshare|keyctl)\b`)
		for _, f := range fs {
			if strings.HasPrefix(f.Check, "confinement.seccomp-escape") {
				t.Errorf("the moby default profile flagged: %v", f)
				continue
			}
			if strings.HasPrefix(f.Check, "confinement.") && (denied.MatchString(f.Message) || denied.MatchString(f.Path)) {
				t.Errorf("a syscall the moby default profile denies was flagged: %v", f)
			}
		}
	})

	t.Run("runc-spec", func(t *testing.T) {
		spec := loadRuntimeSpec(t, filepath.Join(runtimesDir, "runc-spec.json")).Spec
		if spec.Linux == nil || spec.Linux.Seccomp != nil {
			t.Fatalf("runc-spec.json is expected to have linux but no linux.seccomp")
		}
		const missing = "confinement.seccomp-missing"
		if catalog.Lookup(missing) == nil {
			t.Logf("%s is not in the catalog yet: nothing to assert about it", missing)
			return
		}
		if fs := audit(t, "runc-spec"); !slices.ContainsFunc(fs, func(f hardening.Finding) bool { return f.Check == missing }) {
			t.Errorf("%s did not fire on a spec without seccomp:\n%s", missing, goldenLines(fs))
		}
	})

	t.Run("containerd-base", func(t *testing.T) {
		fs := audit(t, "containerd-base")
		for _, f := range fs {
			if f.Check == "capabilities.privilege-escalation" {
				t.Errorf("containerd's default sets noNewPrivileges true, yet: %v", f)
			}
		}
	})
}

// wantFinding fails t unless fs holds a finding of check, at path unless
// path is empty.
func wantFinding(t *testing.T, fs []hardening.Finding, check, path string) {
	t.Helper()
	if !slices.ContainsFunc(fs, func(f hardening.Finding) bool { return f.Check == check && (path == "" || f.Path == path) }) {
		t.Errorf("no %s finding (path %q) in:\n%s", check, path, goldenLines(fs))
	}
}
