package runctest

import (
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// Runner runs specs with one runc binary and one busybox.
type Runner struct {
	runc, busybox string
}

// applets are linked to busybox in every rootfs, so shell commands find them.
var applets = []string{"sh", "cat", "grep", "head", "wc", "id", "ls"}

// Need returns a Runner, or skips tb with the reason it cannot start
// containers here.
func Need(tb testing.TB) *Runner {
	tb.Helper()
	if os.Geteuid() != 0 {
		tb.Skip("starting runc containers needs root")
	}
	runc, err := exec.LookPath("runc")
	if err != nil {
		tb.Skip("runc not installed (apt-get install -y runc busybox-static)")
	}
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		tb.Skip("busybox not installed (apt-get install -y busybox-static)")
	}
	if static, err := isStatic(busybox); err != nil || !static {
		tb.Skipf("%s is not a static binary (%v); the rootfs needs busybox-static", busybox, err)
	}
	return &Runner{runc: runc, busybox: busybox}
}

// isStatic reports whether an ELF binary has no program interpreter.
func isStatic(path string) (bool, error) {
	f, err := elf.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return false, nil
		}
	}
	return true, nil
}

var seq atomic.Int64

// Run starts a container from a copy of spec running `sh -c script` and
// returns what the script wrote to standard output, and its standard error
// with runc's. spec itself is not modified. The copy gets a bundle of its
// own (rootfs: /bin/busybox and a few applet links), the absolute rootfs
// path, the script as its args, no terminal, a cwd of / and a PATH when it
// has none, and no AppArmor profile or SELinux label when the host has no
// such LSM. Everything else — capabilities, namespaces, masks, seccomp,
// no_new_privs — is run as written.
func (r *Runner) Run(tb testing.TB, spec *runtimespec.Spec, script string) (stdout, stderr string, err error) {
	tb.Helper()
	return r.Exec(tb, spec, []string{"/bin/sh", "-c", script}, nil)
}

// Exec is Run with the process's args given and extra files copied into
// the rootfs first: files maps a path in the rootfs ("/inspect") to a file
// on the host, installed executable. The error of a process that exits
// non-zero wraps its *exec.ExitError.
func (r *Runner) Exec(tb testing.TB, spec *runtimespec.Spec, args []string, files map[string]string) (stdout, stderr string, err error) {
	tb.Helper()
	s, err := clone(spec)
	if err != nil {
		tb.Fatal(err)
	}
	// Not tb.TempDir: its parent is private to root, and a process whose
	// root maps to an unprivileged host uid (a user namespace) must reach
	// the rootfs.
	bundle, err := os.MkdirTemp("", "bulwark-runc-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(bundle) })
	if err := os.Chmod(bundle, 0o755); err != nil {
		tb.Fatal(err)
	}
	rootfs := filepath.Join(bundle, "rootfs")
	if err := r.rootfs(rootfs); err != nil {
		tb.Fatal(err)
	}
	for dst, src := range files {
		data, err := os.ReadFile(src)
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(rootfs, filepath.Clean("/"+dst)), data, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	if s.Root == nil {
		s.Root = &runtimespec.Root{}
	}
	s.Root.Path = rootfs
	if s.Process == nil {
		s.Process = &runtimespec.Process{}
	}
	p := s.Process
	p.Terminal = false
	p.Args = args
	if p.Cwd == "" {
		p.Cwd = "/"
	}
	if len(p.Env) == 0 {
		p.Env = []string{"PATH=/bin"}
	}
	if _, err := os.Stat("/sys/kernel/security/apparmor"); err != nil {
		p.ApparmorProfile = ""
	}
	if _, err := os.Stat("/sys/fs/selinux"); err != nil {
		p.SelinuxLabel = ""
		if s.Linux != nil {
			s.Linux.MountLabel = ""
		}
	}
	data, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bundle, "config.json"), data, 0o644); err != nil {
		tb.Fatal(err)
	}
	id := "bulwark-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(seq.Add(1), 10)
	var out, errb bytes.Buffer
	cmd := exec.Command(r.runc, "--root", tb.TempDir(), "run", "--bundle", bundle, id)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), errb.String(), fmt.Errorf("runc run %s: %w", id, err)
	}
	return out.String(), errb.String(), nil
}

func (r *Runner) rootfs(dir string) error {
	for _, d := range []string{"bin", "proc", "sys", "dev", "tmp", "etc"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return err
		}
	}
	bb, err := os.ReadFile(r.busybox)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "bin", "busybox"), bb, 0o755); err != nil {
		return err
	}
	for _, a := range applets {
		if err := os.Symlink("busybox", filepath.Join(dir, "bin", a)); err != nil {
			return err
		}
	}
	return nil
}

// clone deep-copies a spec through JSON.
func clone(spec *runtimespec.Spec) (*runtimespec.Spec, error) {
	data, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	var s runtimespec.Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
