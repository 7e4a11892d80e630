package main

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// The configurations the tests use, built from the spec `runc spec` writes
// (runcSpec below, kept in step with runc 1.1).

// hardened: non-root, a seccomp allow-list, limits; nothing at high or above
// in cis-docker.
func hardened(s *runtimespec.Spec) {
	s.Process.User = runtimespec.User{UID: 1000, GID: 1000}
	s.Linux.Seccomp = seccompAllowList()
	limit, pids := int64(64<<20), int64(64)
	s.Linux.Resources = &runtimespec.LinuxResources{
		Devices: s.Linux.Resources.Devices,
		Memory:  &runtimespec.LinuxMemory{Limit: &limit},
		Pids:    &runtimespec.LinuxPids{Limit: &pids},
	}
}

// privilegedEquivalent: every capability (but CAP_SYS_RESOURCE, which
// this host's runtime cannot grant), no seccomp, nothing masked or
// read-only.
func privilegedEquivalent(s *runtimespec.Spec) {
	var caps []string
	for _, c := range capabilities.All.Without(capabilities.SetOf(capabilities.SysResource)).Capabilities() {
		caps = append(caps, c.OCIName())
	}
	s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: caps, Effective: caps, Permitted: caps}
	s.Process.NoNewPrivileges = false
	s.Linux.Seccomp = nil
	s.Linux.MaskedPaths = nil
	s.Linux.ReadonlyPaths = nil
}

// seccompAllowList allows what runc's init and a static busybox need and
// fails everything else with EPERM.
func seccompAllowList() *runtimespec.LinuxSeccomp {
	errno := uint(1)
	return &runtimespec.LinuxSeccomp{
		DefaultAction:   runtimespec.ActErrno,
		DefaultErrnoRet: &errno,
		Architectures:   []runtimespec.Arch{runtimespec.ArchX86_64, runtimespec.ArchX86, runtimespec.ArchX32, runtimespec.ArchAARCH64},
		Syscalls: []runtimespec.LinuxSyscall{{
			Action: runtimespec.ActAllow,
			Names: strings.Fields(`access arch_prctl brk capget capset chdir clock_gettime close close_range
				dup dup2 dup3 epoll_create1 epoll_ctl epoll_pwait epoll_wait execve execveat exit exit_group fchdir fcntl
				fstat fstatfs futex getcwd getdents64 getegid geteuid getgid getgroups getpid getppid getrandom
				getrlimit gettid getuid ioctl kill lseek lstat madvise mmap mprotect mremap munmap nanosleep newfstatat
				open openat pipe pipe2 poll ppoll prctl pread64 prlimit64 read readlink readlinkat readv rseq
				rt_sigaction rt_sigprocmask rt_sigreturn sched_getaffinity sched_yield select set_robust_list
				set_tid_address setgid setgroups setuid sigaltstack stat statfs statx sysinfo tgkill uname wait4
				write writev`),
		}},
	}
}

// runcSpec is the spec `runc spec` writes, loaded once.
func runcSpec(t testing.TB) *runtimespec.Spec {
	t.Helper()
	runc, err := exec.LookPath("runc")
	if err != nil {
		t.Skip("runc not installed (apt-get install -y runc)")
	}
	dir := t.TempDir()
	cmd := exec.Command(runc, "spec")
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
	s.Process.Terminal = false
	return &s
}

func writeJSON(t testing.TB, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// hook runs the hook in process on a bundle holding spec.
func hook(t *testing.T, spec *runtimespec.Spec, state *runtimespec.State, args ...string) (int, string, decision) {
	t.Helper()
	if state == nil {
		bundle := t.TempDir()
		writeJSON(t, filepath.Join(bundle, "config.json"), spec)
		state = &runtimespec.State{Version: runtimespec.Version, ID: "c1", Status: runtimespec.StateCreating, Pid: 42, Bundle: bundle, Annotations: spec.Annotations}
	}
	stdin, _ := json.Marshal(state)
	logFile := filepath.Join(t.TempDir(), "decisions.jsonl")
	var stderr bytes.Buffer
	code := run(append([]string{"-log", logFile}, args...), bytes.NewReader(stdin), &stderr)
	data, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	var d decision
	if n := bytes.Count(data, []byte("\n")); n != 1 {
		t.Fatalf("log has %d lines, want 1:\n%s", n, data)
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("log line is not JSON: %v\n%s", err, data)
	}
	return code, stderr.String(), d
}

func TestDecisions(t *testing.T) {
	base := runcSpec(t)
	with := func(tweaks ...func(*runtimespec.Spec)) *runtimespec.Spec {
		data, _ := json.Marshal(base)
		var s runtimespec.Spec
		json.Unmarshal(data, &s)
		for _, f := range tweaks {
			f(&s)
		}
		return &s
	}
	annotate := func(k, v string) func(*runtimespec.Spec) {
		return func(s *runtimespec.Spec) {
			if s.Annotations == nil {
				s.Annotations = map[string]string{}
			}
			s.Annotations[k] = v
		}
	}
	type blocking struct{ Check, Severity, Path string }
	tests := []struct {
		name     string
		spec     *runtimespec.Spec
		args     []string
		code     int
		decision string
		profile  string
		blocking []blocking
		stderr   string
	}{
		{"hardened", with(hardened), nil, 0, "allow", "cis-docker", nil, ""},
		{"runc spec as written: no seccomp", with(), nil, 1, "refuse", "cis-docker",
			[]blocking{{"confinement.seccomp-missing", "high", "linux.seccomp"}},
			`bulwark: refusing container "c1": 1 findings at or above high (profile cis-docker):
  HIGH confinement.seccomp-missing at linux.seccomp: `},
		{"fail-on critical lets it pass", with(), []string{"-fail-on", "critical"}, 0, "allow", "cis-docker", nil, ""},
		// The container's own annotations are its author's word: not trusted
		// unless the hook is told to (CRI passes a Pod's annotations through).
		{"its own suppression is not trusted", with(annotate("bulwark.dev/ignore-confinement.seccomp-missing", "trust me")), nil, 1, "refuse", "cis-docker", nil, "confinement.seccomp-missing"},
		{"suppressed with a reason when annotations are trusted", with(annotate("bulwark.dev/ignore-confinement.seccomp-missing", "test workload")), []string{"-trust-annotations"}, 0, "allow", "cis-docker", nil, ""},
		{"annotation adds a profile", with(hardened, annotate(ProfileAnnotation, "all")), []string{"-fail-on", "medium"}, 1, "refuse", "cis-docker+all", nil, "(profile cis-docker+all)"},
		{"annotation cannot weaken the profile", with(annotate(ProfileAnnotation, "pss-baseline")), nil, 1, "refuse", "cis-docker+pss-baseline", nil, "confinement.seccomp-missing"},
		{"unknown profile in the annotation fails closed", with(hardened, annotate(ProfileAnnotation, "strict")), nil, 2, "error", "cis-docker", nil, `unknown profile "strict"`},
		{"bad -fail-on", with(hardened), []string{"-fail-on", "severe"}, 2, "error", "cis-docker", nil, "unknown severity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stderr, d := hook(t, tt.spec, nil, tt.args...)
			if code != tt.code || d.Decision != tt.decision || d.Profile != tt.profile || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, decision %q, profile %q, stderr:\n%s\nwant %d, %q, %q, stderr containing %q", code, d.Decision, d.Profile, stderr, tt.code, tt.decision, tt.profile, tt.stderr)
			}
			if d.Container != "c1" || d.Bundle == "" || d.FailOn == "" || d.Time == "" {
				t.Errorf("log line lacks container, failOn or time: %+v", d)
			}
			if tt.blocking != nil {
				var got []blocking
				for _, f := range d.Blocking {
					got = append(got, blocking{f.Check, f.Severity, f.Path})
				}
				if diff := cmp.Diff(tt.blocking, got); diff != "" {
					t.Errorf("blocking findings (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, stdin, want string
	}{
		{"not JSON", "hello", "is not JSON"},
		{"no bundle", `{"ociVersion":"1.2.0","id":"x","status":"creating"}`, `bundle ""`},
		{"relative bundle", `{"id":"x","bundle":"bundle"}`, `bundle "bundle": want an absolute path`},
		{"missing config", `{"id":"x","bundle":"/nonexistent/bundle"}`, "/nonexistent/bundle/config.json: stat: no such file or directory"},
		{"oversized", `{"id":"x","annotations":{"a":"` + strings.Repeat("x", maxState) + `"}}`, "larger than 1048576 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if code := run(nil, strings.NewReader(tt.stdin), &stderr); code != 2 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2, containing %q", code, stderr.String(), tt.want)
			}
			// The decision is logged on standard error after the message.
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			var d decision
			if err := json.Unmarshal([]byte(lines[len(lines)-1]), &d); err != nil || d.Decision != "error" {
				t.Errorf("last line is not an error decision: %q (%v)", lines[len(lines)-1], err)
			}
		})
	}
	bundle := t.TempDir()
	os.WriteFile(filepath.Join(bundle, "config.json"), []byte(`{"apiVersion":"v1","kind":"Service"}`), 0o644)
	var stderr bytes.Buffer
	if code := run(nil, strings.NewReader(`{"id":"x","bundle":"`+bundle+`"}`), &stderr); code != 2 || !strings.Contains(stderr.String(), "not an OCI runtime spec") {
		t.Errorf("a config.json that is no spec: exit %d, %s", code, stderr.String())
	}
}

// Real containers: runc runs the hook built from this package.

// realRunc skips unless containers can be started here, and returns runc's
// path, a built hook binary and a busybox rootfs.
func realRunc(t testing.TB) (runc, hookBin, rootfs string) {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("runc needs Linux")
	}
	runc, err := exec.LookPath("runc")
	if err != nil {
		t.Skip("runc not installed (apt-get install -y runc busybox-static)")
	}
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		t.Skip("busybox not installed (apt-get install -y busybox-static)")
	}
	if f, err := elf.Open(busybox); err != nil {
		t.Skipf("%s: %v", busybox, err)
	} else {
		defer f.Close()
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Skipf("%s is dynamically linked; the rootfs needs busybox-static", busybox)
			}
		}
	}
	if os.Getuid() != 0 {
		t.Skip("starting runc containers needs root")
	}
	dir := t.TempDir()
	hookBin = filepath.Join(dir, "ocihook")
	build := exec.Command("go", "build", "-o", hookBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rootfs = filepath.Join(dir, "rootfs")
	for _, d := range []string{"bin", "proc", "sys", "dev", "tmp"} {
		if err := os.MkdirAll(filepath.Join(rootfs, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bb, err := os.ReadFile(busybox)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(rootfs, "bin", "busybox"), bb, 0o755); err != nil {
		t.Fatal(err)
	}
	return runc, hookBin, rootfs
}

// bundle writes a bundle sharing rootfs, with the hook installed when
// hookBin is set.
func bundle(t testing.TB, spec *runtimespec.Spec, rootfs, hookBin string, hookArgs ...string) string {
	t.Helper()
	dir := t.TempDir()
	spec.Root = &runtimespec.Root{Path: rootfs, Readonly: true}
	spec.Process.Args = []string{"/bin/busybox", "echo", "hello from the container"}
	spec.Hooks = nil
	if hookBin != "" {
		spec.Hooks = &runtimespec.Hooks{CreateRuntime: []runtimespec.Hook{{
			Path: hookBin,
			Args: append([]string{"ocihook", "-log", filepath.Join(dir, "decisions.jsonl")}, hookArgs...),
		}}}
	}
	writeJSON(t, filepath.Join(dir, "config.json"), spec)
	return dir
}

var containerSeq atomic.Int64

func runcRun(t testing.TB, runc, state, bundle string) ([]byte, error) {
	id := fmt.Sprintf("bulwark-hook-%d-%d", os.Getpid(), containerSeq.Add(1))
	return exec.Command(runc, "--root", state, "run", "--bundle", bundle, id).CombinedOutput()
}

func TestRunc(t *testing.T) {
	runc, hookBin, rootfs := realRunc(t)
	state := t.TempDir()
	base := runcSpec(t)
	clone := func(tweak func(*runtimespec.Spec)) *runtimespec.Spec {
		data, _ := json.Marshal(base)
		var s runtimespec.Spec
		json.Unmarshal(data, &s)
		tweak(&s)
		return &s
	}

	t.Run("hardened container starts", func(t *testing.T) {
		b := bundle(t, clone(hardened), rootfs, hookBin)
		out, err := runcRun(t, runc, state, b)
		if err != nil || !strings.Contains(string(out), "hello from the container") {
			t.Fatalf("runc run: %v\n%s", err, out)
		}
		log, _ := os.ReadFile(filepath.Join(b, "decisions.jsonl"))
		if !strings.Contains(string(log), `"decision":"allow"`) {
			t.Errorf("hook log: %s", log)
		}
	})
	t.Run("privileged-equivalent container starts without the hook", func(t *testing.T) {
		// The control: what the hook refuses below is a container runc
		// would otherwise run.
		out, err := runcRun(t, runc, state, bundle(t, clone(privilegedEquivalent), rootfs, ""))
		if err != nil || !strings.Contains(string(out), "hello from the container") {
			t.Fatalf("runc run: %v\n%s", err, out)
		}
	})
	t.Run("privileged-equivalent container is refused", func(t *testing.T) {
		b := bundle(t, clone(privilegedEquivalent), rootfs, hookBin)
		out, err := runcRun(t, runc, state, b)
		if err == nil {
			t.Fatalf("runc run succeeded with the hook installed:\n%s", out)
		}
		for _, want := range []string{"error running hook #0", "exit status 1", "bulwark: refusing container"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("runc's error output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(string(out), "hello from the container") {
			t.Errorf("the container ran:\n%s", out)
		}
		log, _ := os.ReadFile(filepath.Join(b, "decisions.jsonl"))
		var d decision
		if err := json.Unmarshal(log, &d); err != nil || d.Decision != "refuse" || len(d.Blocking) == 0 {
			t.Fatalf("hook log %s (%v)", log, err)
		}
		t.Logf("runc said:\n%s", out)
		for _, f := range d.Blocking {
			if !strings.Contains(string(out), f.Check+" at "+f.Path) {
				t.Errorf("runc's output lacks the hook's finding %s at %s", f.Check, f.Path)
			}
		}
	})
}

// BenchmarkHookOverhead measures what the hook adds to starting a
// container: each iteration runs the same hardened busybox container with
// runc, once without and once with the hook, and reports both and their
// difference in milliseconds. It also reports the hook's size.
func BenchmarkHookOverhead(b *testing.B) {
	runc, hookBin, rootfs := realRunc(b)
	state := b.TempDir()
	spec := runcSpec(b)
	hardened(spec)
	plain := bundle(b, spec, rootfs, "")
	hooked := bundle(b, spec, rootfs, hookBin)
	var without, with time.Duration
	b.ResetTimer()
	for range b.N {
		for _, c := range []struct {
			bundle string
			total  *time.Duration
		}{{plain, &without}, {hooked, &with}} {
			start := time.Now()
			if out, err := runcRun(b, runc, state, c.bundle); err != nil {
				b.Fatalf("runc run: %v\n%s", err, out)
			}
			*c.total += time.Since(start)
		}
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(b.N) / float64(time.Millisecond) }
	b.ReportMetric(ms(without), "run-ms")
	b.ReportMetric(ms(with), "run+hook-ms")
	b.ReportMetric(ms(with-without), "overhead-ms")
	if fi, err := os.Stat(hookBin); err == nil {
		b.ReportMetric(float64(fi.Size())/(1<<20), "hook-MiB")
	}
}

// BenchmarkHookAlone runs the built hook binary on a hardened bundle's
// state, as the runtime does: process start-up, Go runtime and package
// initialisation, decoding and the checks.
func BenchmarkHookAlone(b *testing.B) {
	_, hookBin, rootfs := realRunc(b)
	spec := runcSpec(b)
	hardened(spec)
	dir := bundle(b, spec, rootfs, "")
	stdin, _ := json.Marshal(runtimespec.State{Version: runtimespec.Version, ID: "bench", Status: runtimespec.StateCreating, Pid: 1, Bundle: dir})
	b.ResetTimer()
	for range b.N {
		cmd := exec.Command(hookBin, "-log", os.DevNull)
		cmd.Stdin = bytes.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("hook: %v\n%s", err, out)
		}
	}
}
