package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/containerd/nri/pkg/api"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// fromOCI builds the api.Container a runtime sends for spec, with NRI's
// own conversions, as containerd's NRI adaptation does; seccompProfile is
// the CRI seccomp profile type the runtime also passes.
func fromOCI(spec *runtimespec.Spec, seccompProfile *api.SecurityProfile) *api.Container {
	c := &api.Container{
		Id:          "0123abcd",
		Name:        "app",
		Annotations: spec.Annotations,
		Args:        spec.Process.Args,
		Env:         spec.Process.Env,
		Mounts:      api.FromOCIMounts(spec.Mounts),
		Hooks:       api.FromOCIHooks(spec.Hooks),
		User:        &api.User{Uid: spec.Process.User.UID, Gid: spec.Process.User.GID, AdditionalGids: spec.Process.User.AdditionalGids},
		Linux: &api.LinuxContainer{
			Namespaces:     api.FromOCILinuxNamespaces(spec.Linux.Namespaces),
			Devices:        api.FromOCILinuxDevices(spec.Linux.Devices),
			Resources:      api.FromOCILinuxResources(spec.Linux.Resources, nil),
			CgroupsPath:    spec.Linux.CgroupsPath,
			Sysctl:         spec.Linux.Sysctl,
			SeccompProfile: seccompProfile,
		},
	}
	for _, r := range spec.Process.Rlimits {
		c.Rlimits = append(c.Rlimits, &api.POSIXRlimit{Type: r.Type, Hard: r.Hard, Soft: r.Soft})
	}
	if spec.Process.OOMScoreAdj != nil {
		c.Linux.OomScoreAdj = api.Int(*spec.Process.OOMScoreAdj)
	}
	if spec.Linux.Seccomp != nil {
		c.Linux.SeccompPolicy = api.FromOCILinuxSeccomp(spec.Linux.Seccomp)
	}
	return c
}

var pod = &api.PodSandbox{Id: "pod0", Name: "web", Namespace: "prod", Uid: "uid-0"}

func i64(v int64) *int64 { return &v }

// careless is what a runtime makes of a Pod with hostPID, the Docker socket
// and /dev/mem, no limits, seccomp Unconfined.
func careless() *runtimespec.Spec {
	return &runtimespec.Spec{
		Version:     runtimespec.Version,
		Annotations: map[string]string{"io.kubernetes.cri.container-name": "app"},
		Process: &runtimespec.Process{
			Args: []string{"/app"},
			Env:  []string{"PATH=/usr/bin:/bin"},
			User: runtimespec.User{UID: 0, GID: 0},
		},
		Mounts: []runtimespec.Mount{
			{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
			{Destination: "/var/run/docker.sock", Type: "bind", Source: "/var/run/docker.sock", Options: []string{"rbind", "rprivate", "rw"}},
		},
		Linux: &runtimespec.Linux{
			Namespaces: []runtimespec.LinuxNamespace{
				{Type: runtimespec.IPCNamespace, Path: "/proc/42/ns/ipc"},
				{Type: runtimespec.UTSNamespace, Path: "/proc/42/ns/uts"},
				{Type: runtimespec.MountNamespace},
				{Type: runtimespec.NetworkNamespace, Path: "/var/run/netns/cni-1"},
				{Type: runtimespec.CgroupNamespace},
			},
			Devices: []runtimespec.LinuxDevice{{Path: "/dev/mem", Type: "c", Major: 1, Minor: 1}},
			Resources: &runtimespec.LinuxResources{
				Devices: []runtimespec.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}, {Allow: true, Type: "c", Major: i64(1), Minor: i64(1), Access: "rwm"}},
				CPU:     &runtimespec.LinuxCPU{},
				Memory:  &runtimespec.LinuxMemory{},
			},
			CgroupsPath: "kubepods-besteffort-pod0.slice:cri-containerd:0123abcd",
		},
	}
}

// hardened is what a runtime makes of a restricted Pod: its own
// namespaces, limits, a non-root user and containerd's default seccomp
// policy (a deny-by-default allow list).
func hardened() *runtimespec.Spec {
	s := careless()
	s.Process.User = runtimespec.User{UID: 10001, GID: 10001, AdditionalGids: []uint32{10001}}
	s.Process.Rlimits = []runtimespec.POSIXRlimit{{Type: "RLIMIT_NOFILE", Hard: 1024, Soft: 1024}, {Type: "RLIMIT_NPROC", Hard: 512, Soft: 512}}
	adj := 1000
	s.Process.OOMScoreAdj = &adj
	s.Mounts = s.Mounts[:1]
	s.Linux.Namespaces = append(s.Linux.Namespaces, runtimespec.LinuxNamespace{Type: runtimespec.PIDNamespace})
	s.Linux.Devices = nil
	s.Linux.Resources = &runtimespec.LinuxResources{
		Devices: []runtimespec.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}},
		CPU:     &runtimespec.LinuxCPU{Shares: func() *uint64 { v := uint64(256); return &v }(), Quota: i64(100000), Period: func() *uint64 { v := uint64(100000); return &v }()},
		Memory:  &runtimespec.LinuxMemory{Limit: i64(512 << 20)},
		Pids:    &runtimespec.LinuxPids{Limit: i64(1024)},
	}
	errno := uint(1)
	s.Linux.Seccomp = &runtimespec.LinuxSeccomp{
		DefaultAction:   runtimespec.ActErrno,
		DefaultErrnoRet: &errno,
		Architectures:   []runtimespec.Arch{runtimespec.ArchX86_64, runtimespec.ArchX86, runtimespec.ArchX32},
		Syscalls: []runtimespec.LinuxSyscall{{
			Names:  []string{"read", "write", "openat", "close", "exit_group", "futex", "mmap", "execve"},
			Action: runtimespec.ActAllow,
		}},
	}
	return s
}

var runtimeDefault = &api.SecurityProfile{ProfileType: api.SecurityProfile_RUNTIME_DEFAULT}
var unconfined = &api.SecurityProfile{ProfileType: api.SecurityProfile_UNCONFINED}

// What NRI shows comes back as the spec it came from: the conversion
// loses nothing NRI exposes.
func TestSpecRoundTrip(t *testing.T) {
	for name, tt := range map[string]struct {
		spec    *runtimespec.Spec
		profile *api.SecurityProfile
	}{
		"careless": {careless(), unconfined},
		"hardened": {hardened(), runtimeDefault},
	} {
		t.Run(name, func(t *testing.T) {
			got, unobserved := Spec(fromOCI(tt.spec, tt.profile))
			if diff := cmp.Diff(Unobserved, unobserved); diff != "" {
				t.Errorf("unobserved (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.spec, got); diff != "" {
				t.Errorf("spec (-sent +rebuilt):\n%s", diff)
			}
		})
	}
}

type finding struct{ Check, Severity, Path string }

func audit(t *testing.T, profile string, s *hardening.Subject) []finding {
	t.Helper()
	checks, err := bulwark.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	var out []finding
	for _, f := range Observed(checks).Check(s, nil) {
		if !s.Observed(f.Path) {
			t.Errorf("finding at an unobserved path: %v", f)
		}
		out = append(out, finding{f.Check, f.Severity.String(), f.Path})
	}
	return out
}

func TestFindings(t *testing.T) {
	s := Subject(pod, fromOCI(careless(), unconfined))
	if s.Name != "Container/prod/web/app" || s.Kind != hardening.KindOCISpec || s.Source != "nri" {
		t.Errorf("subject %q kind %v source %q", s.Name, s.Kind, s.Source)
	}
	var high []finding
	for _, f := range audit(t, "cis-docker", s) {
		if f.Severity == "high" || f.Severity == "critical" {
			high = append(high, f)
		}
	}
	slices.SortFunc(high, func(a, b finding) int { return strings.Compare(a.Check+a.Path, b.Check+b.Path) })
	want := []finding{
		{"cgroups.device-allowed", "high", "linux.resources.devices[1]"},
		{"cgroups.device-node", "high", "linux.devices[0]"},
		{"confinement.seccomp-missing", "high", "linux.seccomp"},
		{"namespaces.namespace-missing", "high", "linux.namespaces"},
		{"namespaces.sensitive-host-path", "critical", "mounts[1].source"},
	}
	if diff := cmp.Diff(want, high); diff != "" {
		t.Errorf("high and critical findings (-want +got):\n%s", diff)
	}

	// Everything the same checks say about the careless spec read from a
	// file, where everything is observed, that is not at an unobserved
	// path: the adapter loses findings only where NRI is blind.
	checks, _ := bulwark.Profile("all")
	full := hardening.NewSpecSubject("config.json", careless())
	var fromFile []finding
	for _, f := range checks.Check(full, nil) {
		if s.Observed(f.Path) {
			fromFile = append(fromFile, finding{f.Check, f.Severity.String(), f.Path})
		}
	}
	if diff := cmp.Diff(fromFile, audit(t, "all", s)); diff != "" {
		t.Errorf("NRI view vs config.json at observed paths (-file +nri):\n%s", diff)
	}

	if got := audit(t, "cis-docker", Subject(pod, fromOCI(hardened(), runtimeDefault))); slices.ContainsFunc(got, func(f finding) bool { return f.Severity == "high" || f.Severity == "critical" }) {
		t.Errorf("hardened container has high findings: %v", got)
	}
}

// A runtime that sends neither the seccomp policy nor the user (NRI before
// v0.8): nothing is said about them.
func TestOlderRuntime(t *testing.T) {
	c := fromOCI(careless(), nil)
	c.User = nil
	s := Subject(pod, c)
	for _, p := range []string{"linux.seccomp", "process.user", "process.capabilities"} {
		if s.Observed(p) {
			t.Errorf("%s is observed", p)
		}
	}
	for _, f := range audit(t, "all", s) {
		if strings.HasPrefix(f.Check, "confinement.seccomp") || f.Check == "capabilities.runs-as-root" {
			t.Errorf("verdict on what was not observed: %v", f)
		}
	}
	// A profile type with no policy: a filter is applied, its rules unknown.
	c = fromOCI(careless(), runtimeDefault)
	if Subject(pod, c).Observed("linux.seccomp") {
		t.Error("linux.seccomp is observed with a RuntimeDefault profile and no policy")
	}
	if Subject(pod, &api.Container{Name: "bare"}).Observed("linux.namespaces") {
		t.Error("a container without a Linux section has observed namespaces")
	}
}

func TestCreateContainer(t *testing.T) {
	plugin := func(t *testing.T, mode string) (*Plugin, *bytes.Buffer) {
		var log bytes.Buffer
		p, err := NewPlugin("cis-docker", "high", mode, slog.New(slog.NewJSONHandler(&log, nil)))
		if err != nil {
			t.Fatal(err)
		}
		return p, &log
	}
	type line struct {
		Container, Profile, Decision string
		Findings                     int
		Blocking                     []string
	}
	decode := func(t *testing.T, log *bytes.Buffer) line {
		var l line
		if err := json.Unmarshal(log.Bytes(), &l); err != nil || bytes.Count(log.Bytes(), []byte("\n")) != 1 {
			t.Fatalf("log is not one JSON line (%v):\n%s", err, log)
		}
		return l
	}
	ctx := context.Background()

	t.Run("enforce refuses the careless container", func(t *testing.T) {
		p, log := plugin(t, "enforce")
		adj, upd, err := p.CreateContainer(ctx, pod, fromOCI(careless(), unconfined))
		if adj != nil || upd != nil || err == nil {
			t.Fatalf("adjustment %v, updates %v, error %v", adj, upd, err)
		}
		for _, want := range []string{"bulwark: refusing container Container/prod/web/app: 5 findings at or above high (profile cis-docker)", "CRITICAL namespaces.sensitive-host-path at mounts[1].source"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error lacks %q: %v", want, err)
			}
		}
		if l := decode(t, log); l.Decision != "refuse" || len(l.Blocking) != 5 || l.Container != "Container/prod/web/app" {
			t.Errorf("log: %+v", l)
		}
	})
	t.Run("warn logs it and lets it be created", func(t *testing.T) {
		p, log := plugin(t, "warn")
		if _, _, err := p.CreateContainer(ctx, pod, fromOCI(careless(), unconfined)); err != nil {
			t.Fatal(err)
		}
		if l := decode(t, log); l.Decision != "warn" || len(l.Blocking) != 5 {
			t.Errorf("log: %+v", l)
		}
	})
	t.Run("enforce allows the hardened container", func(t *testing.T) {
		p, log := plugin(t, "enforce")
		if _, _, err := p.CreateContainer(ctx, pod, fromOCI(hardened(), runtimeDefault)); err != nil {
			t.Fatal(err)
		}
		if l := decode(t, log); l.Decision != "allow" || len(l.Blocking) != 0 {
			t.Errorf("log: %+v", l)
		}
	})
	t.Run("the annotation adds a profile, never removes one", func(t *testing.T) {
		p, log := plugin(t, "enforce")
		if _, _, err := p.CreateContainer(ctx, pod, fromOCI(careless(), unconfined)); err == nil {
			t.Fatal("careless container allowed")
		}
		log.Reset()
		c := fromOCI(careless(), unconfined)
		// pss-restricted reads Pods only: naming it must not let a careless
		// spec through, as replacing the profile with it would.
		c.Annotations = map[string]string{ProfileAnnotation: "pss-restricted"}
		if _, _, err := p.CreateContainer(ctx, pod, c); err == nil {
			t.Fatal("a container weakened its own profile")
		}
		if l := decode(t, log); l.Profile != "cis-docker+pss-restricted" || l.Decision != "refuse" {
			t.Errorf("log: %+v", l)
		}
		c.Annotations[ProfileAnnotation] = "strict"
		if _, _, err := p.CreateContainer(ctx, pod, c); err == nil || !strings.Contains(err.Error(), `unknown profile "strict"`) {
			t.Errorf("unknown profile: %v", err)
		}
	})
}

func TestFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		err  string
	}{
		{[]string{"-fail-on", "severe"}, "-fail-on"},
		{[]string{"-mode", "audit"}, `-mode "audit"`},
		{[]string{"-profile", "strict"}, `unknown profile "strict"`},
		{[]string{"extra"}, "unexpected arguments"},
	} {
		if _, _, err := parseFlags(tt.args, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: %v, want %q", tt.args, err, tt.err)
		}
	}
	p, opts, err := parseFlags([]string{"-socket", "/tmp/nri.sock", "-mode", "warn"}, &bytes.Buffer{})
	if err != nil || p.enforce || len(opts) != 3 {
		t.Errorf("plugin %+v, %d options, %v", p, len(opts), err)
	}
}
