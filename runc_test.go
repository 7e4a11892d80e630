package bulwark_test

// What bulwark flags in a spec is what the process gets: these tests start
// real runc containers (internal/runctest) from variants of the runtime
// defaults in testdata/runtimes and compare the kernel's view from inside
// with the findings. They skip unless run as root with runc and
// busybox-static installed.

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/runctest"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// dockerBaseSpec loads testdata/runtimes/docker-base.json.
func dockerBaseSpec(t *testing.T) *runtimespec.Spec {
	t.Helper()
	return loadRuntimeSpec(t, filepath.Join(runtimesDir, "docker-base.json")).Spec
}

// statusField returns a field of /proc/self/status as the container printed it.
func statusField(t *testing.T, out, field string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\S+)$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s in the container's output:\n%s", field, out)
	}
	return m[1]
}

// TestRuncCapabilities runs Docker's default capabilities: the effective set
// the kernel reports inside is the spec's, and capabilities.dangerous names
// exactly the risky capabilities among them (MKNOD and NET_RAW).
func TestRuncCapabilities(t *testing.T) {
	runc := runctest.Need(t)
	spec := dockerBaseSpec(t)
	out, stderr, err := runc.Run(t, spec, "grep ^Cap /proc/self/status")
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	capEff, err := strconv.ParseUint(statusField(t, out, "CapEff"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	kernel := capabilities.Set(capEff)
	t.Logf("CapEff inside: %016x", capEff)
	var inside []string
	for _, c := range kernel.Capabilities() {
		inside = append(inside, c.OCIName())
	}
	want := slices.Sorted(slices.Values(spec.Process.Capabilities.Effective))
	if diff := cmp.Diff(want, slices.Sorted(slices.Values(inside))); diff != "" {
		t.Errorf("CapEff %016x inside is not the spec's effective set (-spec +kernel):\n%s", capEff, diff)
	}

	// The risky capabilities the process holds, by capabilities' own table.
	var risky []string
	for _, c := range kernel.Capabilities() {
		if _, ok := capabilities.RiskOf(c); ok {
			risky = append(risky, c.OCIName())
		}
	}
	slices.Sort(risky)
	if diff := cmp.Diff([]string{"CAP_MKNOD", "CAP_NET_RAW"}, risky); diff != "" {
		t.Errorf("risky capabilities held inside (-want +got):\n%s", diff)
	}
	// The capabilities the findings point at, resolved through their paths.
	var flagged []string
	at := regexp.MustCompile(`^process\.capabilities\.(bounding|effective|permitted|inheritable|ambient)\[(\d+)\]$`)
	for _, f := range ociChecks().Check(hardening.NewSpecSubject("docker-base.json", spec), nil) {
		if f.Check != "capabilities.dangerous" {
			continue
		}
		m := at.FindStringSubmatch(f.Path)
		if m == nil {
			t.Errorf("capabilities.dangerous finding at unexpected path: %v", f)
			continue
		}
		set := map[string][]string{
			"bounding": spec.Process.Capabilities.Bounding, "effective": spec.Process.Capabilities.Effective,
			"permitted": spec.Process.Capabilities.Permitted, "inheritable": spec.Process.Capabilities.Inheritable,
			"ambient": spec.Process.Capabilities.Ambient,
		}[m[1]]
		i, _ := strconv.Atoi(m[2])
		if i >= len(set) {
			t.Errorf("finding path out of range: %v", f)
			continue
		}
		flagged = append(flagged, set[i])
	}
	slices.Sort(flagged)
	if diff := cmp.Diff(risky, flagged); diff != "" {
		t.Errorf("capabilities.dangerous flags other capabilities than the risky ones the process holds (-held +flagged):\n%s", diff)
	}
}

// TestRuncMaskedPaths drops /proc/timer_list from Docker's masked paths:
// the process can read it, and namespaces.masked-paths-incomplete says so.
// With the mask, the process reads nothing.
func TestRuncMaskedPaths(t *testing.T) {
	const path = "/proc/timer_list"
	const check = "namespaces.masked-paths-incomplete"
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s does not exist on this host: %v", path, err)
	}
	runc := runctest.Need(t)
	masked := dockerBaseSpec(t)
	if !slices.Contains(masked.Linux.MaskedPaths, path) {
		t.Fatalf("docker-base.json does not mask %s: %v", path, masked.Linux.MaskedPaths)
	}
	unmasked := dockerBaseSpec(t)
	unmasked.Linux.MaskedPaths = slices.DeleteFunc(unmasked.Linux.MaskedPaths, func(p string) bool { return p == path })
	haveCheck := ociChecks().Lookup(check) != nil
	if !haveCheck {
		t.Logf("%s is not in the catalog yet: only the container half runs", check)
	}

	for _, tt := range []struct {
		name     string
		spec     *runtimespec.Spec
		readable bool
	}{
		{"unmasked", unmasked, true},
		{"masked", masked, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, err := runc.Run(t, tt.spec, "cat "+path+" >/tmp/read && echo read-ok; wc -c </tmp/read")
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			lines := strings.Fields(out)
			if len(lines) != 2 || lines[0] != "read-ok" {
				t.Fatalf("cat %s failed inside the container: %q\n%s", path, out, stderr)
			}
			n, err := strconv.Atoi(lines[1])
			if err != nil {
				t.Fatalf("bad byte count %q", out)
			}
			t.Logf("%s inside: %d bytes", path, n)
			if got := n > 0; got != tt.readable {
				t.Errorf("reading %s inside gave %d bytes; want readable=%v", path, n, tt.readable)
			}
			if !haveCheck {
				return
			}
			var named bool
			for _, f := range ociChecks().Check(hardening.NewSpecSubject(tt.name+".json", tt.spec), nil) {
				if f.Check == check && (strings.Contains(f.Message, path) || strings.Contains(f.Path, path)) {
					named = true
				}
			}
			if named != tt.readable {
				t.Errorf("%s names %s: %v; the process read %d bytes of it", check, path, named, n)
			}
		})
	}
}

// TestRuncNoNewPrivileges runs Docker's spec with noNewPrivileges false and
// true: the kernel's NoNewPrivs matches, and
// capabilities.privilege-escalation fires exactly when it is 0.
func TestRuncNoNewPrivileges(t *testing.T) {
	runc := runctest.Need(t)
	for _, nnp := range []bool{false, true} {
		t.Run("noNewPrivileges="+strconv.FormatBool(nnp), func(t *testing.T) {
			spec := dockerBaseSpec(t)
			spec.Process.NoNewPrivileges = nnp
			out, stderr, err := runc.Run(t, spec, "grep ^NoNewPrivs /proc/self/status")
			if err != nil {
				t.Fatalf("%v\n%s", err, stderr)
			}
			kernel := statusField(t, out, "NoNewPrivs")
			t.Logf("NoNewPrivs inside: %s", kernel)
			if want := map[bool]string{false: "0", true: "1"}[nnp]; kernel != want {
				t.Errorf("NoNewPrivs inside = %s, want %s", kernel, want)
			}
			fired := slices.ContainsFunc(ociChecks().Check(hardening.NewSpecSubject("docker-base.json", spec), nil),
				func(f hardening.Finding) bool { return f.Check == "capabilities.privilege-escalation" })
			if fired != (kernel == "0") {
				t.Errorf("capabilities.privilege-escalation fired: %v, with NoNewPrivs %s inside", fired, kernel)
			}
		})
	}
}
