package hooks_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hooks"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

type got checktest.SpecGot

var summarize = checktest.SummarizeSpec[got]

const (
	listed = "hooks.runtime-hooks"
	unsafe = "hooks.unsafe-path"

	high   = hardening.SeverityHigh
	medium = hardening.SeverityMedium
	low    = hardening.SeverityLow

	esc  = hardening.ClassEscape
	in   = hardening.ClassInnerContainer
	mgmt = hardening.ClassManagement
)

// hardenedSpec passes every check: it has no hooks.
func hardenedSpec() *runtimespec.Spec {
	return &runtimespec.Spec{
		Version: runtimespec.Version,
		Process: &runtimespec.Process{User: runtimespec.User{UID: 10001, GID: 10001}, Args: []string{"/app"}, Cwd: "/", NoNewPrivileges: true},
		Root:    &runtimespec.Root{Path: "/var/lib/bundles/c1/rootfs", Readonly: true},
		Linux:   &runtimespec.Linux{},
	}
}

func hook(p string, args ...string) runtimespec.Hook { return runtimespec.Hook{Path: p, Args: args} }

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []got
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"empty hooks section", func(s *runtimespec.Spec) { s.Hooks = &runtimespec.Hooks{} }, nil},
		{"no root, no process", func(s *runtimespec.Spec) { s.Root, s.Process = nil, nil }, nil},
		{"one safe hook per stage: host stages medium, container stages low", func(s *runtimespec.Spec) {
			h := []runtimespec.Hook{hook("/usr/libexec/oci/hooks.d/x")}
			s.Hooks = &runtimespec.Hooks{Prestart: h, CreateRuntime: h, CreateContainer: h, StartContainer: h, Poststart: h, Poststop: h}
		}, []got{
			{listed, medium, mgmt, "hooks.prestart[0].path"},
			{listed, medium, mgmt, "hooks.createRuntime[0].path"},
			{listed, low, in, "hooks.createContainer[0].path"},
			{listed, low, in, "hooks.startContainer[0].path"},
			{listed, medium, mgmt, "hooks.poststart[0].path"},
			{listed, medium, mgmt, "hooks.poststop[0].path"},
		}},
		{"world-writable directories, cleaned", func(s *runtimespec.Spec) {
			s.Hooks = &runtimespec.Hooks{Poststart: []runtimespec.Hook{hook("/tmp"), hook("/var//tmp/x"), hook("/usr/../dev/shm/x"), hook("/tmpx/y"), hook("/var/tmpfs")}}
		}, []got{
			{listed, medium, mgmt, "hooks.poststart[0].path"},
			{listed, medium, mgmt, "hooks.poststart[1].path"},
			{listed, medium, mgmt, "hooks.poststart[2].path"},
			{listed, medium, mgmt, "hooks.poststart[3].path"},
			{listed, medium, mgmt, "hooks.poststart[4].path"},
			{unsafe, high, esc, "hooks.poststart[0].path"},
			{unsafe, high, esc, "hooks.poststart[1].path"},
			{unsafe, high, esc, "hooks.poststart[2].path"},
		}},
		{"relative and empty paths", func(s *runtimespec.Spec) {
			s.Hooks = &runtimespec.Hooks{CreateRuntime: []runtimespec.Hook{hook("net-setup"), hook("")}, StartContainer: []runtimespec.Hook{hook("./warm")}}
		}, []got{
			{listed, medium, mgmt, "hooks.createRuntime[0].path"},
			{listed, medium, mgmt, "hooks.createRuntime[1].path"},
			{listed, low, in, "hooks.startContainer[0].path"},
			{unsafe, high, esc, "hooks.createRuntime[0].path"},
			{unsafe, high, esc, "hooks.createRuntime[1].path"},
			{unsafe, low, in, "hooks.startContainer[0].path"},
		}},
		{"inside the root filesystem: host-resolved stages only", func(s *runtimespec.Spec) {
			s.Hooks = &runtimespec.Hooks{
				CreateContainer: []runtimespec.Hook{hook("/var/lib/bundles/c1/rootfs/bin/prep")},
				StartContainer:  []runtimespec.Hook{hook("/var/lib/bundles/c1/rootfs/bin/prep")},
				Poststop:        []runtimespec.Hook{hook("/var/lib/bundles/c1/rootfs"), hook("/var/lib/bundles/c1/rootfsx/bin")},
			}
		}, []got{
			{listed, low, in, "hooks.createContainer[0].path"},
			{listed, low, in, "hooks.startContainer[0].path"},
			{listed, medium, mgmt, "hooks.poststop[0].path"},
			{listed, medium, mgmt, "hooks.poststop[1].path"},
			{unsafe, high, esc, "hooks.createContainer[0].path"},
			{unsafe, high, esc, "hooks.poststop[0].path"},
		}},
		{"a relative or root root.path is not compared", func(s *runtimespec.Spec) {
			s.Root.Path = "rootfs"
			s.Hooks = &runtimespec.Hooks{Poststop: []runtimespec.Hook{hook("/rootfs/bin/x")}}
		}, []got{{listed, medium, mgmt, "hooks.poststop[0].path"}}},
		{"root.path /", func(s *runtimespec.Spec) {
			s.Root.Path = "/"
			s.Hooks = &runtimespec.Hooks{Poststop: []runtimespec.Hook{hook("/usr/bin/x")}}
		}, []got{{listed, medium, mgmt, "hooks.poststop[0].path"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(hooks.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	spec := hardenedSpec()
	spec.Hooks = &runtimespec.Hooks{
		Prestart:        []runtimespec.Hook{hook("/usr/bin/nvidia-container-runtime-hook", "nvidia-container-runtime-hook", "prestart")},
		CreateContainer: []runtimespec.Hook{hook("/tmp/prep")},
		StartContainer:  []runtimespec.Hook{hook("/usr/sbin/ldconfig")},
	}
	s := hardening.NewSpecSubject("config.json", spec)
	var msgs []string
	for _, f := range checktest.Each(hooks.Checks(), s) {
		msgs = append(msgs, f.Message)
	}
	want := []string{
		`prestart hook "/usr/bin/nvidia-container-runtime-hook" with args ["nvidia-container-runtime-hook" "prestart"] (a deprecated stage, still run by runc and crun) ` +
			`runs on the host, in the runtime's namespaces and with its privileges, outside the container's restrictions`,
		`createContainer hook "/tmp/prep" runs inside the container's namespaces, from a path on the host, before the container's root is pivoted`,
		`startContainer hook "/usr/sbin/ldconfig" runs inside the container's namespaces, from the container's filesystem, before its process starts`,
		`createContainer hook path "/tmp/prep" is under /tmp, which anyone can write to: the runtime runs it with its own privileges (root for a rootful runtime) ` +
			`in the container's namespaces, before the container is confined`,
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
}

func TestStages(t *testing.T) {
	var names []string
	for _, st := range hooks.Stages() {
		names = append(names, st.Name)
		if st.Hooks(nil) != nil {
			t.Errorf("%s: hooks of nil", st.Name)
		}
	}
	want := []string{"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Error(diff)
	}
	hooks.Stages()[0].Name = "changed"
	if hooks.Stages()[0].Name != "prestart" {
		t.Error("Stages shares its array")
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, hooks.Checks()) }
