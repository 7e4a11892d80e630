package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

const (
	privilegedEquivalent  = "capabilities.privileged-equivalent"
	setuidEscalation      = "capabilities.setuid-escalation"
	effectiveNotPermitted = "capabilities.effective-not-permitted"
)

// privilegedSpec turns the hardened spec into what docker run --privileged
// emits, keeping the non-root user and noNewPrivileges so only the
// privilege checks fire.
func privilegedSpec(s *runtimespec.Spec) {
	s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: allCaps(), Effective: allCaps(), Permitted: allCaps()}
	s.Linux = &runtimespec.Linux{Resources: &runtimespec.LinuxResources{Devices: []runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}}}
	s.Mounts = []runtimespec.Mount{
		{Destination: "/proc", Type: "proc", Source: "proc", Options: []string{"nosuid", "noexec", "nodev"}},
		{Destination: "/sys", Type: "sysfs", Source: "sysfs", Options: []string{"nosuid", "noexec", "nodev", "rw"}},
	}
}

func TestCompositeSpecChecks(t *testing.T) {
	bothPrivileged := []got{
		{privileged, hardening.SeverityCritical, "", "process.capabilities.bounding"},
		{privilegedEquivalent, hardening.SeverityCritical, "", "process.capabilities.bounding"},
	}
	onlyPrivileged := bothPrivileged[:1]
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []got
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"nil linux and process", func(s *runtimespec.Spec) { s.Linux, s.Process = nil, nil }, nil},
		{"docker run --privileged", privilegedSpec, bothPrivileged},
		{"an older kernel's full set", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Process.Capabilities.Bounding = allCaps()[:38]
		}, bothPrivileged},
		{"a bind of the host's /sys counts as sysfs", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts[1] = runtimespec.Mount{Destination: "/sys/", Source: "/sys", Options: []string{"rbind", "rw"}}
		}, bothPrivileged},
		{"empty device type and access mean all", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{{Allow: false, Access: "rwm"}, {Allow: true}}
		}, bothPrivileged},
		{"a seccomp filter", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Seccomp = &runtimespec.LinuxSeccomp{DefaultAction: runtimespec.ActErrno}
		}, onlyPrivileged},
		{"a masked path", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.MaskedPaths = []string{"/proc/kcore"}
		}, onlyPrivileged},
		{"a read-only path", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.ReadonlyPaths = []string{"/proc/sys"}
		}, onlyPrivileged},
		{"/sys read-only", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts[1].Options = []string{"rw", "ro"}
		}, onlyPrivileged},
		{"/sys recursively read-only", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts[1].Options = []string{"nosuid", "rro"}
		}, onlyPrivileged},
		{"/sys made read-write again by rrw", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts[1].Options = []string{"ro", "rrw"}
		}, bothPrivileged},
		{"no /sys mount", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts = s.Mounts[:1]
		}, onlyPrivileged},
		{"a tmpfs over /sys", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Mounts = append(s.Mounts, runtimespec.Mount{Destination: "/sys", Type: "tmpfs", Source: "tmpfs"})
		}, onlyPrivileged},
		{"devices denied again after the allow", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Resources.Devices = append(s.Linux.Resources.Devices, runtimespec.LinuxDeviceCgroup{Allow: false, Type: "a", Access: "rwm"})
		}, onlyPrivileged},
		{"all character devices are not all devices", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Resources.Devices[0].Type = "c"
		}, onlyPrivileged},
		{"a rule for all devices ignores its access and numbers", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Resources.Devices[0] = runtimespec.LinuxDeviceCgroup{Allow: true, Type: "a", Major: new(int64(1)), Minor: new(int64(3)), Access: "r"}
		}, bothPrivileged},
		{"no device rules: runc's default-deny", func(s *runtimespec.Spec) {
			privilegedSpec(s)
			s.Linux.Resources = nil
		}, onlyPrivileged},

		{"non-root without no_new_privs or seccomp", func(s *runtimespec.Spec) {
			s.Process.NoNewPrivileges = false
		}, []got{
			{escalation, hardening.SeverityMedium, "", "process.noNewPrivileges"},
			{setuidEscalation, hardening.SeverityMedium, "", "process.noNewPrivileges"},
		}},
		{"a seccomp filter limits what setuid root can do", func(s *runtimespec.Spec) {
			s.Process.NoNewPrivileges = false
			s.Linux.Seccomp = &runtimespec.LinuxSeccomp{DefaultAction: runtimespec.ActErrno}
		}, []got{{escalation, hardening.SeverityMedium, "", "process.noNewPrivileges"}}},
		{"root has nothing to escalate to", func(s *runtimespec.Spec) {
			s.Process.NoNewPrivileges = false
			s.Process.User = runtimespec.User{}
			s.Linux = nil
		}, []got{
			{escalation, hardening.SeverityMedium, "", "process.noNewPrivileges"},
			{root, hardening.SeverityMedium, "", "process.user.uid"},
		}},

		{"effective but not permitted", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Bounding = append(s.Process.Capabilities.Bounding, "CAP_KILL")
			s.Process.Capabilities.Effective = append(s.Process.Capabilities.Effective, "CAP_KILL", "CAP_WIZARD")
		}, []got{
			{effectiveNotPermitted, hardening.SeverityLow, "", "process.capabilities.effective[1]"},
			{unknown, hardening.SeverityLow, "", "process.capabilities.effective[2]"},
		}},
		{"names are compared as capabilities, not strings", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Effective = []string{"cap_net_bind_service"}
		}, nil},
		{"nothing permitted", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Permitted = nil
		}, []got{{effectiveNotPermitted, hardening.SeverityLow, "", "process.capabilities.effective[0]"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(capabilities.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompositeMessages(t *testing.T) {
	spec := hardenedSpec()
	privilegedSpec(spec)
	f := capabilities.PrivilegedEquivalent.Run(hardening.NewSpecSubject("config.json", spec), nil)
	want := "the spec matches docker run --privileged: the bounding set holds all 41 capabilities, linux.seccomp is not set, " +
		"linux.maskedPaths is empty, linux.readonlyPaths is empty, /sys is mounted read-write (mounts[1]), " +
		"the device cgroup allows every device (linux.resources.devices[0])"
	if len(f) != 1 || f[0].Message != want {
		t.Errorf("got %v\nwant message %s", f, want)
	}

	spec = hardenedSpec()
	spec.Process.NoNewPrivileges = false
	f = capabilities.SetuidEscalation.Run(hardening.NewSpecSubject("config.json", spec), nil)
	want = "noNewPrivileges is false for uid 10001 and linux.seccomp is not set: a setuid-root binary makes the process root, with every syscall open to it"
	if len(f) != 1 || f[0].Message != want {
		t.Errorf("got %v\nwant message %s", f, want)
	}
}
