package bulwark_test

// One fact, one reading: where checks of different packages judge the same
// part of a spec, they must agree on what it says. The composite
// capabilities.privileged-equivalent fires on a writable /sys and an open
// device cgroup exactly when namespaces.proc-sys-mount and
// cgroups.device-cgroup-open report them.

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/cgroups"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/namespaces"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// privilegedSpec is what docker run --privileged emits: every capability,
// no seccomp, no masked or read-only paths, /sys read-write and every
// device allowed.
func privilegedSpec() (spec *runtimespec.Spec, sys int) {
	spec = hardenedSpec()
	var all []string
	for c := capabilities.Capability(0); c <= capabilities.Last; c++ {
		all = append(all, c.OCIName())
	}
	spec.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: all, Effective: all, Permitted: all}
	spec.Linux.Seccomp, spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths = nil, nil, nil
	spec.Linux.Resources.Devices = []runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}
	for i, m := range spec.Mounts {
		if m.Destination == "/sys" {
			spec.Mounts[i].Options = []string{"nosuid", "noexec", "nodev", "rw"}
			return spec, i
		}
	}
	panic("hardenedSpec has no /sys mount")
}

// fires reports whether check reports anything but an info finding on spec.
func fires(check *hardening.Check, spec *runtimespec.Spec, path string) bool {
	for _, f := range check.Run(hardening.NewSpecSubject("config.json", spec), nil) {
		if (path == "" || f.Path == path) && f.Severity != hardening.SeverityInfo {
			return true
		}
	}
	return false
}

func TestOneReadingOfSysOptions(t *testing.T) {
	for _, options := range [][]string{
		{"rw"}, {"ro"}, {"nosuid", "rro"}, {"ro", "rrw"}, {"rro", "rw"}, {"rw", "ro"}, {"rrw", "rro"}, {},
	} {
		spec, sys := privilegedSpec()
		spec.Mounts[sys].Options = options
		writable := fires(namespaces.ProcSysMount, spec, hardening.Index("mounts", sys)+".options")
		if got := fires(capabilities.PrivilegedEquivalent, spec, ""); got != writable {
			t.Errorf("/sys %q: privileged-equivalent %v, proc-sys-mount reports a writable /sys: %v", options, got, writable)
		}
	}
}

func TestOneReadingOfDeviceRules(t *testing.T) {
	deny := runtimespec.LinuxDeviceCgroup{Allow: false, Access: "rwm"}
	for _, rules := range [][]runtimespec.LinuxDeviceCgroup{
		nil,
		{deny},
		{{Allow: true, Access: "rwm"}},
		{{Allow: true, Type: "a", Access: "r"}},
		{deny, {Allow: true, Type: "a", Major: new(int64(1)), Minor: new(int64(3))}},
		{{Allow: true}, {Allow: false, Type: "a"}},
		{deny, {Allow: true, Type: "c", Access: "rwm"}},
	} {
		spec, _ := privilegedSpec()
		spec.Linux.Resources.Devices = rules
		open := fires(cgroups.DeviceCgroupOpen, spec, "")
		if got := fires(capabilities.PrivilegedEquivalent, spec, ""); got != open {
			t.Errorf("devices %+v: privileged-equivalent %v, device-cgroup-open %v", rules, got, open)
		}
	}
}
