package main

// Integration: the static inspect binary runs as the first process of real
// runc containers, and what it observes equals what the spec configured.
// Needs root, runc and busybox-static (apt-get install -y runc
// busybox-static); skips otherwise.

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/inspect"
	"github.com/bulwarkdev/bulwark/internal/runctest"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// lab is what starting containers needs: runc, and the inspect binary
// built static.
type lab struct {
	runc, inspect string
	runner        *runctest.Runner
}

var (
	labOnce sync.Once
	labVal  *lab
	labSkip string
	labErr  error
)

// needLab skips tb unless containers can be started here, and builds the
// static inspect binary once per test binary.
func needLab(tb testing.TB) *lab {
	tb.Helper()
	labOnce.Do(func() {
		if os.Geteuid() != 0 {
			labSkip = "starting runc containers needs root"
			return
		}
		runc, err := exec.LookPath("runc")
		if err != nil {
			labSkip = "runc not installed (apt-get install -y runc busybox-static)"
			return
		}
		if bb, err := exec.LookPath("busybox"); err != nil || !isStatic(bb) {
			labSkip = "busybox-static not installed (apt-get install -y busybox-static)"
			return
		}
		goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goBin); err != nil {
			if goBin, err = exec.LookPath("go"); err != nil {
				labSkip = "no go command to build the inspect binary"
				return
			}
		}
		dir, err := os.MkdirTemp("", "bulwark-inspect-bin-")
		if err != nil {
			labErr = err
			return
		}
		bin := filepath.Join(dir, "inspect")
		cmd := exec.Command(goBin, "build", "-trimpath", "-o", bin, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			labErr = errors.New("CGO_ENABLED=0 go build: " + err.Error() + "\n" + string(out))
			return
		}
		if !isStatic(bin) {
			labErr = errors.New(bin + " is not static")
			return
		}
		labVal = &lab{runc: runc, inspect: bin}
	})
	if labSkip != "" {
		tb.Skip(labSkip)
	}
	if labErr != nil {
		tb.Fatal(labErr)
	}
	l := *labVal
	l.runner = runctest.Need(tb)
	return &l
}

func isStatic(path string) bool {
	f, err := elf.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false
		}
	}
	return true
}

// LiveRun is one container run of the inspect binary.
type LiveRun struct {
	// Configured is the spec as runc ran it (rootfs path, args and
	// terminal filled in, AppArmor dropped on a host without it).
	Configured *runtimespec.Spec
	// Observed is the spec the binary observed from inside.
	Observed *runtimespec.Spec
	// Unobserved are the field paths the observation could not see.
	Unobserved []string
	// Document is the whole JSON document the binary wrote.
	Document map[string]json.RawMessage
}

// Subjects returns the live subject (the observation, with its unobserved
// fields) and the subject of the configured spec: the pair whose findings
// should agree on every check both can answer.
func (r *LiveRun) Subjects() (live, configured *hardening.Subject) {
	live = hardening.NewSpecSubject("live:1", r.Observed)
	live.Unobserved = r.Unobserved
	return live, hardening.NewSpecSubject("config.json", r.Configured)
}

// runInspect starts spec under runc with the static inspect binary as its
// process (/inspect -format json) and returns what it observed.
func (l *lab) runInspect(t *testing.T, spec *runtimespec.Spec) *LiveRun {
	t.Helper()
	s := cloneSpec(t, spec)
	// What runctest does to every spec that bears on the comparison: no
	// LSM settings the host cannot apply.
	if s.Process != nil {
		if _, err := os.Stat("/sys/kernel/security/apparmor"); err != nil {
			s.Process.ApparmorProfile = ""
		}
		if _, err := os.Stat("/sys/fs/selinux"); err != nil {
			s.Process.SelinuxLabel = ""
		}
	}
	out, errOut, err := l.runner.Exec(t, s, []string{"/inspect", "-format", "json"}, map[string]string{"/inspect": l.inspect})
	stdout, stderr := bytes.NewBufferString(out), errOut
	// Exit status 1 means findings at or above -fail-on: expected.
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	run := &LiveRun{Configured: s}
	if err := json.Unmarshal(stdout.Bytes(), &run.Document); err != nil {
		t.Fatalf("inspect output is not JSON: %v\n%s\nstderr:\n%s", err, stdout.String(), stderr)
	}
	for key, into := range map[string]any{"observed": &run.Observed} {
		if err := json.Unmarshal(run.Document[key], into); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	var unobserved []inspect.Unobservable
	if err := json.Unmarshal(run.Document["unobserved"], &unobserved); err != nil {
		t.Fatalf("unobserved: %v", err)
	}
	for _, u := range unobserved {
		run.Unobserved = append(run.Unobserved, u.Field)
	}
	for _, key := range []string{"subjects", "findings", "errors", "skipped", "evidence"} {
		if _, ok := run.Document[key]; !ok {
			t.Errorf("inspect's JSON has no %q key", key)
		}
	}
	return run
}

func cloneSpec(t *testing.T, spec *runtimespec.Spec) *runtimespec.Spec {
	t.Helper()
	data, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	var s runtimespec.Spec
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// runcSpec returns the spec `runc spec` writes.
func runcSpec(t *testing.T, l *lab) *runtimespec.Spec {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(l.runc, "spec")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("runc spec: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s runtimespec.Spec
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return &s
}

// hostBounding returns the OCI names of the host's bounding set, as
// inspect observes this test process: a container can get no capability
// outside it (this VM lacks CAP_SYS_RESOURCE).
func hostBounding(t *testing.T) []string {
	t.Helper()
	obs, err := inspect.Observe(inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return obs.Spec().Process.Capabilities.Bounding
}

func TestObservedEqualsConfigured(t *testing.T) {
	l := needLab(t)
	bnd := hostBounding(t)
	variants := []struct {
		name string
		spec func(t *testing.T) *runtimespec.Spec
	}{
		{"runc-spec", func(t *testing.T) *runtimespec.Spec { return runcSpec(t, l) }},
		{"docker-default-seccomp", func(t *testing.T) *runtimespec.Spec {
			const path = "../../testdata/runtimes/docker-run.json"
			data, err := os.ReadFile(path)
			if err != nil {
				t.Skipf("%s: %v", path, err)
			}
			var s runtimespec.Spec
			if err := json.Unmarshal(data, &s); err != nil {
				t.Fatal(err)
			}
			if s.Linux == nil || s.Linux.Seccomp == nil || s.Linux.Seccomp.DefaultAction == runtimespec.ActAllow {
				t.Fatalf("%s has no default-deny seccomp profile", path)
			}
			return &s
		}},
		{"all-caps-host-pid-unmasked", func(t *testing.T) *runtimespec.Spec {
			s := runcSpec(t, l)
			c := s.Process.Capabilities
			c.Bounding, c.Effective, c.Permitted = slices.Clone(bnd), slices.Clone(bnd), slices.Clone(bnd)
			c.Inheritable, c.Ambient = nil, nil
			s.Linux.Namespaces = slices.DeleteFunc(s.Linux.Namespaces, func(n runtimespec.LinuxNamespace) bool { return n.Type == runtimespec.PIDNamespace })
			s.Linux.MaskedPaths = nil
			s.Process.NoNewPrivileges = false
			return s
		}},
		{"user-namespace", func(t *testing.T) *runtimespec.Spec {
			s := runcSpec(t, l)
			s.Linux.Namespaces = append(s.Linux.Namespaces, runtimespec.LinuxNamespace{Type: runtimespec.UserNamespace})
			s.Linux.UIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}}
			s.Linux.GIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}}
			return s
		}},
		{"pids-memory-limits", func(t *testing.T) *runtimespec.Spec {
			s := runcSpec(t, l)
			pids, mem := int64(100), int64(128<<20)
			s.Linux.Resources = &runtimespec.LinuxResources{
				Pids:   &runtimespec.LinuxPids{Limit: &pids},
				Memory: &runtimespec.LinuxMemory{Limit: &mem},
			}
			return s
		}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			run := l.runInspect(t, v.spec(t))
			compareObserved(t, run)
			compareFindings(t, run)
		})
	}
}

// compareObserved checks every field the observation can see against the
// configured spec.
func compareObserved(t *testing.T, run *LiveRun) {
	t.Helper()
	cfg, obs := run.Configured, run.Observed
	sorted := func(s []string) []string {
		s = slices.Clone(s)
		slices.Sort(s)
		if s == nil {
			s = []string{}
		}
		return s
	}
	intersect := func(a, b []string) []string {
		var out []string
		for _, x := range a {
			if slices.Contains(b, x) {
				out = append(out, x)
			}
		}
		return out
	}
	check := func(what string, want, got any) {
		t.Helper()
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-configured +observed):\n%s", what, diff)
		}
	}
	cc, oc := cfg.Process.Capabilities, obs.Process.Capabilities
	check("bounding", sorted(cc.Bounding), sorted(oc.Bounding))
	check("effective", sorted(cc.Effective), sorted(oc.Effective))
	check("permitted", sorted(cc.Permitted), sorted(oc.Permitted))
	check("inheritable", sorted(cc.Inheritable), sorted(oc.Inheritable))
	// The kernel raises an ambient capability only when it is also
	// permitted and inheritable: runc spec's ambient list is inert.
	check("ambient (those also inheritable and permitted)", sorted(intersect(intersect(cc.Ambient, cc.Inheritable), cc.Permitted)), sorted(oc.Ambient))
	check("noNewPrivileges", cfg.Process.NoNewPrivileges, obs.Process.NoNewPrivileges)
	check("uid", cfg.Process.User.UID, obs.Process.User.UID)
	check("gid", cfg.Process.User.GID, obs.Process.User.GID)
	check("seccomp present", cfg.Linux.Seccomp != nil, obs.Linux.Seccomp != nil)

	var wantNS, gotNS []string
	for _, n := range cfg.Linux.Namespaces {
		if n.Path == "" {
			wantNS = append(wantNS, string(n.Type))
		}
	}
	for _, n := range obs.Linux.Namespaces {
		gotNS = append(gotNS, string(n.Type))
	}
	check("namespaces", sorted(wantNS), sorted(gotNS))
	check("uidMappings", cfg.Linux.UIDMappings, obs.Linux.UIDMappings)
	check("gidMappings", cfg.Linux.GIDMappings, obs.Linux.GIDMappings)

	var wantPids, wantMem, gotPids, gotMem *int64
	if r := cfg.Linux.Resources; r != nil {
		if r.Pids != nil {
			wantPids = r.Pids.Limit
		}
		if r.Memory != nil {
			wantMem = r.Memory.Limit
		}
	}
	if r := obs.Linux.Resources; r != nil {
		if r.Pids != nil {
			gotPids = r.Pids.Limit
		}
		if r.Memory != nil {
			gotMem = r.Memory.Limit
		}
	}
	check("pids limit", wantPids, gotPids)
	check("memory limit", wantMem, gotMem)
	check("root readonly", cfg.Root.Readonly, obs.Root.Readonly)

	// Runtimes mask and protect only paths that exist on this kernel.
	existing := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			if _, err := os.Stat(p); err == nil {
				out = append(out, p)
			}
		}
		return out
	}
	check("masked paths (those that exist here)", sorted(existing(cfg.Linux.MaskedPaths)), sorted(obs.Linux.MaskedPaths))
	check("read-only paths (those that exist here)", sorted(existing(cfg.Linux.ReadonlyPaths)), sorted(obs.Linux.ReadonlyPaths))

	for _, want := range cfg.Process.Rlimits {
		i := slices.IndexFunc(obs.Process.Rlimits, func(r runtimespec.POSIXRlimit) bool { return r.Type == want.Type })
		if i < 0 {
			t.Errorf("rlimit %s not observed", want.Type)
			continue
		}
		check("rlimit "+want.Type, want, obs.Process.Rlimits[i])
	}
	if cfg.Hostname != "" {
		check("hostname", cfg.Hostname, obs.Hostname)
	}
	for _, f := range []string{"linux.seccomp.syscalls", "linux.resources.devices", "hooks", "process.args"} {
		if slices.Contains(run.Unobserved, f) == false {
			t.Errorf("%s is not listed as unobserved", f)
		}
	}
	live, _ := run.Subjects()
	if live.Observed("linux.seccomp.syscalls[0].names") {
		t.Errorf("the live subject claims to observe seccomp rules")
	}
	t.Logf("observed %d namespaces %v, caps eff %d, masked %v, limits pids=%v mem=%v", len(gotNS), gotNS, len(oc.Effective), obs.Linux.MaskedPaths, ptr(gotPids), ptr(gotMem))
}

// configOnly are checks whose verdict on a spec legitimately differs from
// the kernel's view, because the spec leaves the value to be inherited or
// asks for something the kernel does not grant:
//   - capabilities.inheritable-ambient: ambient capabilities that are not
//     also inheritable are never raised, so the live process has none;
//   - cgroups.rlimits-unbounded: an rlimit the spec does not set is
//     inherited from the runtime, and the live process shows that value.
var configOnly = []string{"capabilities.inheritable-ambient", "cgroups.rlimits-unbounded"}

// compareFindings checks that the OCI checks give the same verdicts on the
// live container as on the spec that started it, for every check that can
// answer from what was observed: the spec is judged with the live subject's
// unobserved fields too, and findings are compared by check, path and
// severity. Capability-set entries are compared by the capability the
// message names, not by their index, since the kernel lists them in number
// order.
func compareFindings(t *testing.T, run *LiveRun) {
	t.Helper()
	live, configured := run.Subjects()
	judged := *configured
	judged.Unobserved = live.Unobserved
	checks := bulwark.Checks().Select(hardening.Selection{Kinds: hardening.KindOCISpec, Exclude: configOnly})
	type key struct{ Check, Path, Severity, Detail string }
	index := regexp.MustCompile(`\[[0-9]+\]$`)
	collect := func(s *hardening.Subject) []key {
		var out []key
		for _, f := range checks.Check(s, nil) {
			k := key{f.Check, f.Path, f.Severity.String(), ""}
			if index.MatchString(f.Path) {
				k.Path, k.Detail = index.ReplaceAllString(f.Path, "[]"), f.Message
			}
			out = append(out, k)
		}
		slices.SortFunc(out, func(a, b key) int { return strings.Compare(a.Check+a.Path+a.Detail, b.Check+b.Path+b.Detail) })
		return out
	}
	if diff := cmp.Diff(collect(&judged), collect(live)); diff != "" {
		t.Errorf("findings on the live container differ from the spec's (-spec +live):\n%s", diff)
	}
}

func ptr(p *int64) string {
	if p == nil {
		return "none"
	}
	return strconv.FormatInt(*p, 10)
}
