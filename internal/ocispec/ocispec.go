// Package ocispec reads the parts of an OCI runtime spec that more than one
// package judges: mount options, the five capability sets and the device
// cgroup's rule for every device. Each reading is written once here, so the
// concern packages and inspect cannot disagree about what a spec says.
//
// It imports only the runtime-spec types and the standard library, and
// nothing it returns allocates.
package ocispec

import (
	"path"

	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// HasOption reports whether a mount's options hold o, spelt exactly.
func HasOption(options []string, o string) bool {
	for _, x := range options {
		if x == o {
			return true
		}
	}
	return false
}

// ReadOnly reports whether a mount with these options is read-only at its
// top. The last of "ro" and "rw" wins, as when the runtime folds them into
// mount flags; the recursive "rro" and "rrw" (runtime-spec 1.1, runc 1.1+,
// crun), which the runtime applies with mount_setattr after the flags,
// override both, the last of them winning.
func ReadOnly(options []string) bool {
	ro, rro, recursive := false, false, false
	for _, o := range options {
		switch o {
		case "ro":
			ro = true
		case "rw":
			ro = false
		case "rro":
			rro, recursive = true, true
		case "rrw":
			rro, recursive = false, true
		}
	}
	if recursive {
		return rro
	}
	return ro
}

// SubmountsWritable reports whether a mount leaves the mounts below its
// source writable although its top may be read-only: with rbind the host's
// submounts come along, and "ro" (a remount of the top mount) does not
// reach them; only "rro" does, unless a later "rrw" undoes it. runc 1.1.5
// confirms it: an rbind,ro mount whose source has a tmpfs below it lets
// the container write to that tmpfs.
func SubmountsWritable(options []string) bool {
	if !HasOption(options, "rbind") {
		return false
	}
	for i := len(options) - 1; i >= 0; i-- {
		switch options[i] {
		case "rro":
			return false
		case "rrw":
			return true
		}
	}
	return true
}

// Propagation returns the propagation a mount's options give it: the last
// of shared, slave, private and unbindable (or their recursive r-forms),
// as runc applies them in order; "" when none is given.
func Propagation(options []string) string {
	for i := len(options) - 1; i >= 0; i-- {
		switch o := options[i]; o {
		case "shared", "rshared", "slave", "rslave", "private", "rprivate", "unbindable", "runbindable":
			return o
		}
	}
	return ""
}

// IsBind reports whether a mount is a bind mount: type bind, or a bind or
// rbind option (runc and crun read either).
func IsBind(m *runtimespec.Mount) bool {
	return m.Type == "bind" || HasOption(m.Options, "bind") || HasOption(m.Options, "rbind")
}

// IsSysfs reports whether a mount puts the kernel's sysfs wherever it
// goes: a sysfs mount, or a bind of the host's /sys, which rootless
// runtimes use in its place (they cannot mount sysfs without their own
// network namespace).
func IsSysfs(m *runtimespec.Mount) bool {
	return m.Type == "sysfs" || IsBind(m) && path.Clean(m.Source) == "/sys"
}

// CapSet is one capability set of an OCI spec with its JSON field name
// under process.capabilities.
type CapSet struct {
	Field string
	Names []string
}

// CapSets returns the five capability sets in the one order every package
// reports them in: bounding, effective, permitted, inheritable, ambient —
// from the limit on what the process can ever hold, to what it holds now
// and may raise, to what it hands on across execve. A check that reports a
// capability once reports it at the first set that holds it. A nil c
// gives five empty sets.
func CapSets(c *runtimespec.LinuxCapabilities) [5]CapSet {
	if c == nil {
		c = &runtimespec.LinuxCapabilities{}
	}
	return [5]CapSet{
		{"bounding", c.Bounding},
		{"effective", c.Effective},
		{"permitted", c.Permitted},
		{"inheritable", c.Inheritable},
		{"ambient", c.Ambient},
	}
}

// IsAllDevices reports whether a device cgroup rule of type t stands for
// every device: type "a", or no type, which the runtime spec and runc read
// as "a". The kernel's cgroup v1 controller and runc's cgroup v2 emulation
// ignore such a rule's major, minor and access: it resets the list to
// allow-all or deny-all, and later rules are exceptions to it.
func IsAllDevices(t string) bool { return t == "" || t == "a" }

// AllDevicesRule returns the index of the last rule for every device in
// rules, or -1 when there is none. That rule decides what the list starts
// from: allow-all when it allows, deny-all when it denies.
func AllDevicesRule(rules []runtimespec.LinuxDeviceCgroup) int {
	last := -1
	for i := range rules {
		if IsAllDevices(rules[i].Type) {
			last = i
		}
	}
	return last
}

// AllDevicesAllowed returns the index of the rule that opens every device
// to the container — the last rule for every device, when it allows — or
// -1.
func AllDevicesAllowed(rules []runtimespec.LinuxDeviceCgroup) int {
	if i := AllDevicesRule(rules); i >= 0 && rules[i].Allow {
		return i
	}
	return -1
}
