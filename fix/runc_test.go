package fix

// The OCI proof: every runtime default spec of testdata/runtimes, and
// insecure variants of Docker's, once fixed, audits clean at medium and
// above under cis-docker, and runc starts it with busybox; the inspect
// binary (examples/inspect) runs as its process and observes the hardened
// settings from inside. The runc half skips unless run as root with runc
// and busybox-static installed (internal/runctest).

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/inspect"
	"github.com/bulwarkdev/bulwark/internal/runctest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// ociDecisions are the decisions the OCI proof takes, the ones no check
// can take for the spec's authors: the memory the program needs, the
// seccomp profile to install (Docker's default, as
// confinement/testdata/docker-default-seccomp.json holds it), the AppArmor
// profile (Docker's), and, for rootless runc's spec, a network namespace
// of its own.
func ociDecisions(t *testing.T) map[string]string {
	t.Helper()
	profile, err := os.ReadFile("../confinement/testdata/docker-default-seccomp.json")
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"cgroups.memory-limit-missing": "256Mi",
		"confinement.seccomp-missing":  string(profile),
		"confinement.lsm-missing":      "docker-default",
		"network.host-network":         "add",
	}
}

// ociLeft are the findings the fixer leaves in the OCI proof, with why.
var ociLeft = map[string][]string{
	// crun fills in the mappings of a rootless spec when it runs it (the
	// invoking user, one uid): no non-root uid is mapped, and the check
	// cannot see that root is the invoking user.
	"crun-spec-rootless": {"capabilities.runs-as-root process.user.uid"},
}

// ociSpecs returns the runtime default specs and the insecure variants,
// as files: name → JSON text.
func ociSpecs(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("../testdata/runtimes/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no runtime specs: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = data
	}
	var base runtimespec.Spec
	if err := json.Unmarshal(out["docker-base"], &base); err != nil {
		t.Fatal(err)
	}
	all := []string{}
	for _, c := range bulwarkHostBounding(t) {
		all = append(all, c)
	}
	variants := map[string]func(s *runtimespec.Spec){
		"privileged-caps": func(s *runtimespec.Spec) {
			c := s.Process.Capabilities
			c.Bounding, c.Effective, c.Permitted = slices.Clone(all), slices.Clone(all), slices.Clone(all)
		},
		"sys-admin-added": func(s *runtimespec.Spec) {
			c := s.Process.Capabilities
			c.Bounding = append(c.Bounding, "CAP_SYS_ADMIN")
			c.Effective = append(c.Effective, "CAP_SYS_ADMIN")
			c.Permitted = append(c.Permitted, "CAP_SYS_ADMIN")
		},
		"unmasked": func(s *runtimespec.Spec) {
			s.Linux.MaskedPaths, s.Linux.ReadonlyPaths = nil, nil
		},
		"unbounded": func(s *runtimespec.Spec) {
			unlimited := int64(-1)
			s.Linux.Resources.Pids = &runtimespec.LinuxPids{Limit: &unlimited}
		},
		"writable-sys-and-tmpfs": func(s *runtimespec.Spec) {
			for i, m := range s.Mounts {
				if m.Destination == "/sys" {
					s.Mounts[i].Options = slices.DeleteFunc(slices.Clone(m.Options), func(o string) bool { return o == "ro" })
				}
			}
			s.Mounts = append(s.Mounts, runtimespec.Mount{Destination: "/run", Type: "tmpfs", Source: "tmpfs", Options: []string{"rw", "mode=755"}})
		},
		"no-namespaces": func(s *runtimespec.Spec) {
			s.Linux.Namespaces = slices.DeleteFunc(s.Linux.Namespaces, func(n runtimespec.LinuxNamespace) bool {
				return n.Type == runtimespec.PIDNamespace || n.Type == runtimespec.IPCNamespace || n.Type == runtimespec.UTSNamespace
			})
		},
	}
	for name, change := range variants {
		var s runtimespec.Spec
		if err := json.Unmarshal(out["docker-base"], &s); err != nil {
			t.Fatal(err)
		}
		change(&s)
		data, err := json.MarshalIndent(&s, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		out["docker-base+"+name] = append(data, '\n')
	}
	return out
}

// bulwarkHostBounding returns the capabilities of this test's bounding
// set: a container gets none outside it.
func bulwarkHostBounding(t *testing.T) []string {
	t.Helper()
	obs, err := inspect.Observe(inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return obs.Spec().Process.Capabilities.Bounding
}

// TestOCIFixedAuditsClean fixes every spec toward cis-docker at medium
// and audits the result: nothing is left but ociLeft.
func TestOCIFixedAuditsClean(t *testing.T) {
	checks := profile(t, "cis-docker")
	decisions := ociDecisions(t)
	for name, data := range ociSpecs(t) {
		t.Run(name, func(t *testing.T) {
			res, err := Source(name+".json", data, Options{Checks: checks, Min: hardening.SeverityMedium, Decisions: decisions})
			if err != nil {
				t.Fatal(err)
			}
			var left []string
			for _, o := range res.Unfixed {
				left = append(left, o.Finding.Check+" "+o.Finding.Path)
			}
			if diff := cmp.Diff(ociLeft[name], left); diff != "" {
				t.Errorf("findings left (-want +got):\n%s\n%v", diff, res.Unfixed)
			}
			if len(res.Introduced) > 0 {
				t.Errorf("introduced: %v", res.Introduced)
			}
			// Audit the fixed spec as a user would.
			r := load.Bytes(load.Options{}, name+".json", res.After)
			if len(r.Errors) > 0 || len(r.Subjects) != 1 {
				t.Fatalf("the fixed spec loads as %d subjects, %v", len(r.Subjects), r.Errors)
			}
			var got []string
			for _, f := range hardening.AtLeast(checks, hardening.SeverityMedium).Check(r.Subjects[0], nil) {
				got = append(got, f.Check+" "+f.Path)
			}
			if diff := cmp.Diff(ociLeft[name], got); diff != "" {
				t.Errorf("cis-docker at medium on the fixed spec (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOCIFixedRunsUnderRunc starts every fixed spec under runc with the
// inspect binary as its process and compares what it observes inside
// with the hardened spec.
func TestOCIFixedRunsUnderRunc(t *testing.T) {
	runner := runctest.Need(t)
	bin := inspectBinary(t)
	checks := profile(t, "cis-docker")
	decisions := ociDecisions(t)
	_, apparmor := os.Stat("/sys/kernel/security/apparmor")
	limitsSeen := 0 // specs whose cgroup limits the process could see
	defer func() {
		if limitsSeen == 0 && !t.Failed() {
			t.Errorf("no container could observe its cgroup limits: the limits were never compared")
		}
	}()
	for name, data := range ociSpecs(t) {
		t.Run(name, func(t *testing.T) {
			res, err := Source(name+".json", data, Options{Checks: checks, Min: hardening.SeverityMedium, Decisions: decisions})
			if err != nil {
				t.Fatal(err)
			}
			var spec runtimespec.Spec
			if err := json.Unmarshal(res.After, &spec); err != nil {
				t.Fatal(err)
			}
			if name == "crun-spec-rootless" {
				// crun writes the invoking user's mapping at run time;
				// runc needs it in the spec.
				spec.Linux.UIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 1000, Size: 1}}
				spec.Linux.GIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 1000, Size: 1}}
			}
			out, stderr, err := runner.Exec(t, &spec, []string{"/inspect", "-format", "json"}, map[string]string{"/inspect": bin})
			var exit *exec.ExitError
			if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
				t.Fatalf("runc did not start the fixed spec: %v\n%s\n%s", err, stderr, res.Diff())
			}
			var doc struct {
				Observed   *runtimespec.Spec
				Unobserved []inspect.Unobservable
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil || doc.Observed == nil {
				t.Fatalf("inspect's output: %v\n%s\n%s", err, out, stderr)
			}
			obs := doc.Observed
			check := func(what string, want, got any) {
				t.Helper()
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-fixed spec +observed inside):\n%s", what, diff)
				}
			}
			sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
			check("noNewPrivileges", spec.Process.NoNewPrivileges, obs.Process.NoNewPrivileges)
			check("uid", spec.Process.User.UID, obs.Process.User.UID)
			// A process that is not root loses its effective capabilities
			// when it executes a program (it has no ambient ones).
			wantEffective := sorted(spec.Process.Capabilities.Effective)
			if spec.Process.User.UID != 0 {
				wantEffective = nil
			}
			check("effective capabilities", wantEffective, sorted(obs.Process.Capabilities.Effective))
			check("bounding capabilities", sorted(spec.Process.Capabilities.Bounding), sorted(obs.Process.Capabilities.Bounding))
			check("seccomp filter", spec.Linux.Seccomp != nil, obs.Linux.Seccomp != nil)
			check("root read-only", spec.Root.Readonly, obs.Root.Readonly)
			live := hardening.NewSpecSubject("live", obs)
			for _, u := range doc.Unobserved {
				live.Unobserved = append(live.Unobserved, u.Field)
			}
			if live.Observed("linux.resources.pids.limit") {
				check("pids limit", pidsOf(&spec), pidsOf(obs))
				limitsSeen++
			}
			if live.Observed("linux.resources.memory.limit") {
				check("memory limit", memoryOf(&spec), memoryOf(obs))
			}
			var existing []string
			for _, p := range spec.Linux.MaskedPaths {
				if _, err := os.Stat(p); err == nil {
					existing = append(existing, p)
				}
			}
			check("masked paths (those on this kernel)", sorted(existing), sorted(obs.Linux.MaskedPaths))
			t.Logf("inside: uid %d, no_new_privs %v, %d effective capabilities, seccomp %v, read-only root %v, pids limit %v, %d masked paths",
				obs.Process.User.UID, obs.Process.NoNewPrivileges, len(obs.Process.Capabilities.Effective), obs.Linux.Seccomp != nil,
				obs.Root.Readonly, ptrString(pidsOf(obs)), len(obs.Linux.MaskedPaths))
			for _, want := range spec.Process.Rlimits {
				i := slices.IndexFunc(obs.Process.Rlimits, func(r runtimespec.POSIXRlimit) bool { return r.Type == want.Type })
				if i < 0 {
					t.Errorf("rlimit %s not observed", want.Type)
					continue
				}
				check("rlimit "+want.Type, want, obs.Process.Rlimits[i])
			}
			// The live process audits clean too, but for what it cannot show
			// and, on a host without AppArmor, the profile runc could not
			// apply. (Rootless crun's spec ran with the mapping runc needs,
			// which shows root is an unprivileged host uid.)
			var got []string
			for _, f := range hardening.AtLeast(checks, hardening.SeverityMedium).Check(live, nil) {
				if f.Check == "confinement.lsm-missing" && apparmor != nil {
					continue
				}
				got = append(got, f.Check+" "+f.Path)
			}
			want := ociLeft[name]
			if name == "crun-spec-rootless" {
				want = nil
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("cis-docker at medium on the live process (-want +got):\n%s", diff)
			}
		})
	}
}

func ptrString(p *int64) string {
	if p == nil {
		return "unseen"
	}
	return strconv.FormatInt(*p, 10)
}

func pidsOf(s *runtimespec.Spec) *int64 {
	if s.Linux == nil || s.Linux.Resources == nil || s.Linux.Resources.Pids == nil {
		return nil
	}
	return s.Linux.Resources.Pids.Limit
}

func memoryOf(s *runtimespec.Spec) *int64 {
	if s.Linux == nil || s.Linux.Resources == nil || s.Linux.Resources.Memory == nil {
		return nil
	}
	return s.Linux.Resources.Memory.Limit
}

var (
	inspectOnce sync.Once
	inspectBin  string
	inspectErr  error
)

// inspectBinary builds examples/inspect, static, once.
func inspectBinary(t *testing.T) string {
	t.Helper()
	inspectOnce.Do(func() {
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			goBin = "go"
		}
		dir, err := os.MkdirTemp("", "bulwark-fix-inspect-")
		if err != nil {
			inspectErr = err
			return
		}
		inspectBin = filepath.Join(dir, "inspect")
		cmd := exec.Command(goBin, "build", "-trimpath", "-o", inspectBin, "../examples/inspect")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			inspectErr = errors.New("go build ../examples/inspect: " + err.Error() + "\n" + string(out))
		}
	})
	if inspectErr != nil {
		t.Fatal(inspectErr)
	}
	return inspectBin
}
