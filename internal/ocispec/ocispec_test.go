package ocispec

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

func TestMountOptions(t *testing.T) {
	type want struct {
		ReadOnly, SubmountsWritable bool
		Propagation                 string
	}
	tests := []struct {
		options []string
		want    want
	}{
		{nil, want{}},
		{[]string{"nosuid", "nodev"}, want{}},
		{[]string{"ro"}, want{ReadOnly: true}},
		{[]string{"ro", "rw"}, want{}},
		{[]string{"rw", "ro"}, want{ReadOnly: true}},
		{[]string{"nosuid", "rro"}, want{ReadOnly: true}},
		{[]string{"rro", "rw"}, want{ReadOnly: true}},        // recursive options override the flags
		{[]string{"ro", "rrw"}, want{}},                      // in either direction
		{[]string{"rrw", "rro", "rw"}, want{ReadOnly: true}}, // the last recursive one wins
		{[]string{"rbind", "ro"}, want{ReadOnly: true, SubmountsWritable: true}},
		{[]string{"rbind", "rro"}, want{ReadOnly: true}},
		{[]string{"rbind", "rro", "rrw"}, want{SubmountsWritable: true}},
		{[]string{"bind", "ro"}, want{ReadOnly: true}}, // no submounts come along
		{[]string{"rbind", "rshared", "private"}, want{SubmountsWritable: true, Propagation: "private"}},
		{[]string{"rslave"}, want{Propagation: "rslave"}},
	}
	for _, tt := range tests {
		got := want{ReadOnly(tt.options), SubmountsWritable(tt.options), Propagation(tt.options)}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.options, diff)
		}
	}
}

func TestMountKinds(t *testing.T) {
	tests := []struct {
		name          string
		m             runtimespec.Mount
		bind, isSysfs bool
	}{
		{"sysfs", runtimespec.Mount{Type: "sysfs", Source: "sysfs", Destination: "/sys"}, false, true},
		{"bind type", runtimespec.Mount{Type: "bind", Source: "/data"}, true, false},
		{"bind option", runtimespec.Mount{Source: "/data", Options: []string{"bind"}}, true, false},
		{"rbind of the host's /sys", runtimespec.Mount{Source: "/sys/", Options: []string{"rbind", "rw"}}, true, true},
		{"tmpfs", runtimespec.Mount{Type: "tmpfs", Source: "tmpfs", Destination: "/sys"}, false, false},
		{"a tmpfs named /sys is no bind", runtimespec.Mount{Type: "tmpfs", Source: "/sys"}, false, false},
	}
	for _, tt := range tests {
		if got := IsBind(&tt.m); got != tt.bind {
			t.Errorf("%s: IsBind = %v", tt.name, got)
		}
		if got := IsSysfs(&tt.m); got != tt.isSysfs {
			t.Errorf("%s: IsSysfs = %v", tt.name, got)
		}
	}
}

func TestCapSets(t *testing.T) {
	c := &runtimespec.LinuxCapabilities{
		Bounding: []string{"b"}, Effective: []string{"e"}, Inheritable: []string{"i"}, Permitted: []string{"p"}, Ambient: []string{"a"},
	}
	want := [5]CapSet{
		{"bounding", []string{"b"}}, {"effective", []string{"e"}}, {"permitted", []string{"p"}},
		{"inheritable", []string{"i"}}, {"ambient", []string{"a"}},
	}
	if diff := cmp.Diff(want, CapSets(c)); diff != "" {
		t.Errorf("CapSets (-want +got):\n%s", diff)
	}
	want = [5]CapSet{{Field: "bounding"}, {Field: "effective"}, {Field: "permitted"}, {Field: "inheritable"}, {Field: "ambient"}}
	if diff := cmp.Diff(want, CapSets(nil)); diff != "" {
		t.Errorf("CapSets(nil) (-want +got):\n%s", diff)
	}
}

func TestAllDevices(t *testing.T) {
	deny := runtimespec.LinuxDeviceCgroup{Allow: false, Access: "rwm"}
	tests := []struct {
		name         string
		rules        []runtimespec.LinuxDeviceCgroup
		rule, opened int
	}{
		{"none", nil, -1, -1},
		{"docker's default deny", []runtimespec.LinuxDeviceCgroup{deny, {Allow: true, Type: "c", Major: new(int64(1)), Minor: new(int64(3)), Access: "rwm"}}, 0, -1},
		{"privileged", []runtimespec.LinuxDeviceCgroup{{Allow: true, Access: "rwm"}}, 0, 0},
		{"type a with numbers and access: the kernel ignores them",
			[]runtimespec.LinuxDeviceCgroup{deny, {Allow: true, Type: "a", Major: new(int64(1)), Minor: new(int64(3)), Access: "r"}}, 1, 1},
		{"denied again", []runtimespec.LinuxDeviceCgroup{{Allow: true, Type: "a"}, {Allow: false, Type: "a"}}, 1, -1},
		{"every character device is not every device", []runtimespec.LinuxDeviceCgroup{deny, {Allow: true, Type: "c", Access: "rwm"}}, 0, -1},
	}
	for _, tt := range tests {
		if got := AllDevicesRule(tt.rules); got != tt.rule {
			t.Errorf("%s: AllDevicesRule = %d, want %d", tt.name, got, tt.rule)
		}
		if got := AllDevicesAllowed(tt.rules); got != tt.opened {
			t.Errorf("%s: AllDevicesAllowed = %d, want %d", tt.name, got, tt.opened)
		}
	}
}
