package namespaces

// Checks namespaces.masked-paths-incomplete and
// namespaces.readonly-paths-incomplete: an OCI spec that leaves open the
// /proc and /sys files current runtimes hide or make read-only.
//
// OCI spec fields:
//
//	linux.maskedPaths
//	linux.readonlyPaths
//
// Allowed values (masked-paths-incomplete): linux.maskedPaths covers every
// path of [MaskedPaths], the union of what Docker 28 and podman mask:
// /proc/acpi, /proc/kcore, /proc/keys, /proc/latency_stats,
// /proc/timer_list, /proc/timer_stats, /proc/sched_debug, /proc/scsi and
// /sys/firmware (high); /proc/asound, /proc/interrupts and
// /sys/devices/virtual/powercap (medium, masked since 2024–2025); and
// /sys/fs/selinux (low: podman masks it, Docker does not). A path is
// covered when it or a directory above it is listed; a path listed only in
// readonlyPaths is still readable, so it is not covered. The per-CPU
// /sys/devices/system/cpu/cpu*/thermal_throttle that Docker also masks is
// not required: it is a glob Docker expands against the host's CPUs when
// it writes the spec, so no fixed list can say which entries a spec should
// hold, and the counters leak little (throttling events).
//
// Allowed values (readonly-paths-incomplete): linux.readonlyPaths covers
// /proc/sys and /proc/sysrq-trigger (high) and /proc/bus, /proc/fs and
// /proc/irq (medium), every runtime's list. A path masked by
// linux.maskedPaths counts as covered: it is neither readable nor writable.
//
// Each check reports once, listing every missing path, at the severity of
// the worst. Specs for other platforms are skipped; a Linux spec without a
// linux section masks nothing. [MaskedPathsIncompleteWith] and
// [ReadonlyPathsIncompleteWith] make the checks require other lists, under
// the same IDs.

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// ProcPath is a /proc or /sys path a runtime hides or makes read-only.
type ProcPath struct {
	// Path is the path in the container, clean and absolute.
	Path string
	// Severity ranks leaving Path open.
	Severity hardening.Severity
	// What says what the path exposes, in a phrase.
	What string
}

// maskedPaths lists the paths namespaces.masked-paths-incomplete requires in
// linux.maskedPaths, most severe first.
var maskedPaths = []ProcPath{
	{"/proc/acpi", hardening.SeverityHigh, "ACPI interfaces, some writable"},
	{"/proc/kcore", hardening.SeverityHigh, "the host's physical memory as an ELF core"},
	{"/proc/keys", hardening.SeverityHigh, "the kernel keyrings of the whole host, not namespaced"},
	{"/proc/latency_stats", hardening.SeverityHigh, "kernel latency statistics with kernel addresses"},
	{"/proc/timer_list", hardening.SeverityHigh, "every timer of the host, with kernel addresses and other processes' task names"},
	{"/proc/timer_stats", hardening.SeverityHigh, "timer statistics of every host process"},
	{"/proc/sched_debug", hardening.SeverityHigh, "scheduler state of every host process, with their names and pids"},
	{"/proc/scsi", hardening.SeverityHigh, "SCSI devices, writable to add and remove them"},
	{"/sys/firmware", hardening.SeverityHigh, "firmware tables: ACPI, DMI, EFI variables"},
	{"/proc/asound", hardening.SeverityMedium, "the host's sound devices"},
	{"/proc/interrupts", hardening.SeverityMedium, "per-CPU interrupt counters, a side channel on other workloads"},
	{"/sys/devices/virtual/powercap", hardening.SeverityMedium, "RAPL energy counters, a power side channel on other workloads' secrets"},
	{"/sys/fs/selinux", hardening.SeverityLow, "the SELinux policy and its status, when the container's /sys exposes them"},
}

// readonlyPaths lists the paths namespaces.readonly-paths-incomplete
// requires in linux.readonlyPaths (or linux.maskedPaths), most severe
// first.
var readonlyPaths = []ProcPath{
	{"/proc/sys", hardening.SeverityHigh, "the host's kernel settings: kernel.core_pattern runs a program as host root, and more"},
	{"/proc/sysrq-trigger", hardening.SeverityHigh, "SysRq: one write reboots or crashes the host"},
	{"/proc/bus", hardening.SeverityMedium, "PCI and USB device configuration"},
	{"/proc/fs", hardening.SeverityMedium, "file system settings of the host"},
	{"/proc/irq", hardening.SeverityMedium, "interrupt affinity of the host's CPUs"},
}

// MaskedPaths returns the paths namespaces.masked-paths-incomplete requires
// in linux.maskedPaths, most severe first, as a new copy on every call.
func MaskedPaths() []ProcPath { return slices.Clone(maskedPaths) }

// ReadonlyPaths returns the paths namespaces.readonly-paths-incomplete
// requires in linux.readonlyPaths (or linux.maskedPaths), most severe
// first, as a new copy on every call.
func ReadonlyPaths() []ProcPath { return slices.Clone(readonlyPaths) }

// MaskedPathsIncomplete reports OCI specs that do not mask every /proc and
// /sys path current runtimes mask.
var MaskedPathsIncomplete = maskedPathsCheck(maskedPaths, "paths current runtimes mask",
	"List every path of the runtime defaults in linux.maskedPaths: do not run privileged or with "+
		"--security-opt systempaths=unconfined or procMount: Unmasked, and update a runtime whose defaults predate the newer entries.")

// MaskedPathsIncompleteWith returns namespaces.masked-paths-incomplete
// requiring paths in linux.maskedPaths instead of [MaskedPaths]; it
// replaces [MaskedPathsIncomplete] in a list of checks (same ID, so
// suppressions keep working). The list is copied. It is an error for the
// list to be empty, or for a path to be listed twice, not clean and
// absolute, without What or with an invalid severity.
func MaskedPathsIncompleteWith(paths []ProcPath) (*hardening.Check, error) {
	if err := checkProcPaths(paths); err != nil {
		return nil, err
	}
	return maskedPathsCheck(slices.Clone(paths), "required paths",
		"List every required path the finding names in linux.maskedPaths: do not run privileged or with "+
			"--security-opt systempaths=unconfined or procMount: Unmasked."), nil
}

func maskedPathsCheck(want []ProcPath, noun, remediation string) *hardening.Check {
	return &hardening.Check{
		ID:       "namespaces.masked-paths-incomplete",
		Title:    "procfs and sysfs paths are not masked",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindOCISpec,
		Rationale: "Parts of /proc and /sys are not namespaced: they show the host's memory, keyrings, timers and other workloads' " +
			"activity, and some are writable. Runtimes hide them by mounting over them; a spec that lists fewer leaks the host " +
			"(docker run --privileged clears the list).",
		Remediation: remediation,
		References: []hardening.Reference{
			nsRefCIS("5.5"),
			nsRefRuntimeSpecMasked,
			{Kind: hardening.RefDoc, ID: "GHSA-jq35-85cj-fj4p", URL: "https://github.com/advisories/GHSA-jq35-85cj-fj4p"},
			{Kind: hardening.RefDoc, ID: "GHSA-6fw5-f8r9-fgfm", URL: "https://github.com/advisories/GHSA-6fw5-f8r9-fgfm"},
			nsRefNCC("container escape"),
		},
		Fix: procPathsFix(want, true),
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			spec := s.LinuxSpec()
			if spec == nil {
				return out
			}
			var masked, readonly []string
			if spec.Linux != nil {
				masked, readonly = spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths
			}
			return appendMissingPaths(s, out, want, "linux.maskedPaths", noun, "not masked", masked, nil, readonly)
		},
	}
}

// ReadonlyPathsIncomplete reports OCI specs that leave writable a /proc
// path current runtimes make read-only.
var ReadonlyPathsIncomplete = readonlyPathsCheck(readonlyPaths, "paths current runtimes make read-only",
	"List /proc/bus, /proc/fs, /proc/irq, /proc/sys and /proc/sysrq-trigger in linux.readonlyPaths: do not run "+
		"privileged or with --security-opt systempaths=unconfined or procMount: Unmasked.")

// ReadonlyPathsIncompleteWith returns namespaces.readonly-paths-incomplete
// requiring paths in linux.readonlyPaths (or linux.maskedPaths) instead of
// [ReadonlyPaths]; it replaces [ReadonlyPathsIncomplete] in a list of
// checks (same ID). The list is copied and checked as by
// [MaskedPathsIncompleteWith].
func ReadonlyPathsIncompleteWith(paths []ProcPath) (*hardening.Check, error) {
	if err := checkProcPaths(paths); err != nil {
		return nil, err
	}
	return readonlyPathsCheck(slices.Clone(paths), "required paths",
		"List every required path the finding names in linux.readonlyPaths: do not run privileged or with "+
			"--security-opt systempaths=unconfined or procMount: Unmasked."), nil
}

func readonlyPathsCheck(want []ProcPath, noun, remediation string) *hardening.Check {
	return &hardening.Check{
		ID:       "namespaces.readonly-paths-incomplete",
		Title:    "procfs paths are not read-only",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindOCISpec,
		Rationale: "/proc/sys, /proc/sysrq-trigger and their neighbours control the host's kernel, not the container's: root in a container " +
			"that can write them reboots the host or, through kernel.core_pattern, runs a program as host root. Runtimes remount them read-only.",
		Remediation: remediation,
		References: []hardening.Reference{
			nsRefCIS("5.5"),
			nsRefRuntimeSpecMasked,
			nsRefNCC("container escape"),
		},
		Fix: procPathsFix(want, false),
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			spec := s.LinuxSpec()
			if spec == nil {
				return out
			}
			var masked, readonly []string
			if spec.Linux != nil {
				masked, readonly = spec.Linux.MaskedPaths, spec.Linux.ReadonlyPaths
			}
			return appendMissingPaths(s, out, want, "linux.readonlyPaths", noun, "writable", readonly, masked, nil)
		},
	}
}

// checkProcPaths reports what makes a list of required paths unusable.
func checkProcPaths(paths []ProcPath) error {
	if len(paths) == 0 {
		return errors.New("namespaces: empty list of required paths")
	}
	var errs []error
	seen := make(map[string]bool, len(paths))
	for i, p := range paths {
		switch {
		case !strings.HasPrefix(p.Path, "/") || path.Clean(p.Path) != p.Path:
			errs = append(errs, fmt.Errorf("namespaces: required path %d (%q): not a clean absolute path", i, p.Path))
		case seen[p.Path]:
			errs = append(errs, fmt.Errorf("namespaces: required path %d (%q): listed twice", i, p.Path))
		}
		seen[p.Path] = true
		if p.Severity == 0 || p.Severity > hardening.SeverityCritical {
			errs = append(errs, fmt.Errorf("namespaces: required path %d (%q): invalid severity %v", i, p.Path, p.Severity))
		}
		if p.What == "" {
			errs = append(errs, fmt.Errorf("namespaces: required path %d (%q): no What", i, p.Path))
		}
	}
	return errors.Join(errs...)
}

// appendMissingPaths reports, once, the paths of want covered by neither
// list nor also: "N of the M <noun> <is/are> <state>".
// weaker is a list that leaves a path readable: it does not cover, but the
// message says the path is listed there. A path the subject could not
// observe (field[path], for a live container whose kernel lacks the path)
// is neither covered nor missing.
func appendMissingPaths(s *hardening.Subject, out []hardening.Finding, want []ProcPath, field, noun, state string, list, also, weaker []string) []hardening.Finding {
	var worst hardening.Severity
	n := 0
	for _, w := range want {
		if !covers(list, w.Path) && !covers(also, w.Path) && (len(s.Unobserved) == 0 || s.Observed(field+"["+w.Path+"]")) {
			worst = max(worst, w.Severity)
			n++
		}
	}
	if n == 0 {
		return out
	}
	var b strings.Builder
	if len(list) == 0 {
		b.WriteString(field + " is empty: ")
	}
	b.WriteString(strconv.Itoa(n) + " of the " + strconv.Itoa(len(want)) + " " + noun)
	if n == 1 {
		b.WriteString(" is " + state + ": ")
	} else {
		b.WriteString(" are " + state + ": ")
	}
	first := true
	for _, w := range want {
		if covers(list, w.Path) || covers(also, w.Path) || (len(s.Unobserved) > 0 && !s.Observed(field+"["+w.Path+"]")) {
			continue
		}
		if !first {
			b.WriteString("; ")
		}
		first = false
		b.WriteString(w.Path + " (" + w.Severity.String() + ", " + w.What)
		if covers(weaker, w.Path) {
			b.WriteString("; in linux.readonlyPaths, which leaves it readable")
		}
		b.WriteString(")")
	}
	return append(out, hardening.Finding{Severity: worst, Path: field, Message: b.String()})
}

// covers reports whether one of the paths in list is p or a directory
// above it. Entries are compared as written first; only when none matches
// are the entries that need it cleaned, which costs no allocation for the
// usual trailing slash.
func covers(list []string, p string) bool {
	for _, l := range list {
		if l != "" && under(p, l) {
			return true
		}
	}
	for _, l := range list {
		if l != "" && !isClean(l) && under(p, path.Clean(l)) {
			return true
		}
	}
	return false
}

// isClean reports whether an absolute path needs no cleaning: no trailing
// slash, no empty, "." or ".." element.
func isClean(p string) bool {
	if len(p) > 1 && p[len(p)-1] == '/' {
		return false
	}
	for i := 0; i+1 < len(p); i++ {
		if p[i] == '/' && (p[i+1] == '/' || p[i+1] == '.') {
			return false
		}
	}
	return true
}
