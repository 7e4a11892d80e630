package inspect

import (
	"errors"
	"io/fs"
	"slices"
	"strings"
)

// hiddenPaths are the /proc and /sys paths runtimes mask (linux.maskedPaths)
// or make read-only (linux.readonlyPaths). On a kernel that lacks one there
// is no mount to observe over it, and nothing to protect: the path is
// reported unobserved rather than unmasked.
var hiddenPaths = []struct{ field, path string }{
	{"linux.maskedPaths", "/proc/acpi"},
	{"linux.maskedPaths", "/proc/asound"},
	{"linux.maskedPaths", "/proc/interrupts"},
	{"linux.maskedPaths", "/proc/kcore"},
	{"linux.maskedPaths", "/proc/keys"},
	{"linux.maskedPaths", "/proc/latency_stats"},
	{"linux.maskedPaths", "/proc/sched_debug"},
	{"linux.maskedPaths", "/proc/scsi"},
	{"linux.maskedPaths", "/proc/timer_list"},
	{"linux.maskedPaths", "/proc/timer_stats"},
	{"linux.maskedPaths", "/sys/devices/virtual/powercap"},
	{"linux.maskedPaths", "/sys/firmware"},
	{"linux.maskedPaths", "/sys/fs/selinux"},
	{"linux.readonlyPaths", "/proc/bus"},
	{"linux.readonlyPaths", "/proc/fs"},
	{"linux.readonlyPaths", "/proc/irq"},
	{"linux.readonlyPaths", "/proc/sys"},
	{"linux.readonlyPaths", "/proc/sysrq-trigger"},
}

// absentHiddenPaths lists as unobserved the hidden paths that do not exist
// in the observed process's view of /proc and /sys and are not already
// observed as masked or read-only.
func (o *observer) absentHiddenPaths() {
	obs := o.obs
	for _, h := range hiddenPaths {
		if slices.Contains(obs.MaskedPaths, h.path) || slices.Contains(obs.ReadonlyPaths, h.path) {
			continue
		}
		if o.pathExists(h.path) {
			continue
		}
		o.unobserved(h.field+"["+h.path+"]", h.path+" does not exist on this kernel, so no mount over it can be observed")
	}
}

// pathExists reports whether an absolute /proc or /sys path exists as the
// observed process sees it: through the injected file systems for the
// calling process, through /proc/<pid>/root for another.
func (o *observer) pathExists(p string) bool {
	var fsys fs.FS
	var name string
	switch {
	case o.pidDir != "self":
		fsys, name = o.proc, o.pidDir+"/root"+p
	case strings.HasPrefix(p, "/proc/"):
		fsys, name = o.proc, strings.TrimPrefix(p, "/proc/")
	case strings.HasPrefix(p, "/sys/"):
		fsys, name = o.sys, strings.TrimPrefix(p, "/sys/")
	default:
		return true
	}
	if fsys == nil {
		return true // cannot tell: leave the verdict to the checks
	}
	_, err := fs.Stat(fsys, name)
	return !errors.Is(err, fs.ErrNotExist) // unreadable is not absent
}
