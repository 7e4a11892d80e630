package cgroups

// Helpers shared by the OCI spec checks: nil-safe access to
// linux.resources, and the cgroup v2 "unified" overrides that runc and crun
// apply after the structured fields (so linux.resources.unified["pids.max"]
// wins over linux.resources.pids.limit; memory values may carry the
// kernel's K, M, G… suffixes). None of them allocates.

import (
	"math"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

const (
	pathResources = "linux.resources"
	pathUnified   = "linux.resources.unified"
)

// specResources returns linux.resources, or nil.
func specResources(s *hardening.Subject) *runtimespec.LinuxResources {
	if s == nil || s.Spec == nil || s.Spec.Linux == nil {
		return nil
	}
	return s.Spec.Linux.Resources
}

// specProcess returns process, or nil.
func specProcess(s *hardening.Subject) *runtimespec.Process {
	if s == nil || s.Spec == nil {
		return nil
	}
	return s.Spec.Process
}

// unified returns linux.resources.unified[key].
func unified(r *runtimespec.LinuxResources, key string) (string, bool) {
	if r == nil || r.Unified == nil {
		return "", false
	}
	v, ok := r.Unified[key]
	return strings.TrimSpace(v), ok
}

// limitValue is what a cgroup limit resolves to.
type limitValue struct {
	set   bool   // some field sets it
	bytes int64  // the limit when bounded (> 0)
	path  string // the field that decides it
	shown string // the value as written, for messages
}

// bounded reports whether the limit is set to a positive number.
func (l limitValue) bounded() bool { return l.set && l.bytes > 0 }

// fromPointer resolves an optional int64 field.
func fromPointer(p *int64, path string) limitValue {
	if p == nil {
		return limitValue{path: path}
	}
	return limitValue{set: true, bytes: *p, path: path}
}

// fromUnified resolves a unified cgroup v2 value: "max" is unlimited, a
// number is a limit. The memory files take the kernel's memparse suffixes
// (memory.max "512M" is 512 MiB: runc and crun write the value as is). An
// unparsable value is taken as no limit (runc and crun would fail to start
// the container).
func fromUnified(v, key string) limitValue {
	l := limitValue{set: true, path: hardening.Key(pathUnified, key), shown: strconv.Quote(v)}
	if v == "max" {
		return l
	}
	if strings.HasPrefix(key, "memory.") {
		if n, ok := memparse(v); ok {
			l.bytes = n
		}
		return l
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		l.bytes = n
	}
	return l
}

// memparse parses a decimal byte count with an optional K, M, G, T, P or
// E suffix (either case), binary multiples, as the kernel's memparse does
// for cgroup memory files. It reports false for anything else, and for a
// value that overflows int64.
func memparse(v string) (int64, bool) {
	digits := strings.TrimRight(v, "KMGTPEkmgtpe")
	suffix := v[len(digits):]
	if len(suffix) > 1 {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	if suffix == "" {
		return n, true
	}
	shift := 10 * (1 + strings.IndexByte("kmgtpe", suffix[0]|0x20))
	if n > math.MaxInt64>>shift {
		return 0, false
	}
	return n << shift, true
}

// pidsLimit resolves the pids limit: unified pids.max, else pids.limit.
func pidsLimit(r *runtimespec.LinuxResources) limitValue {
	if v, ok := unified(r, "pids.max"); ok {
		return fromUnified(v, "pids.max")
	}
	if r == nil || r.Pids == nil {
		return limitValue{path: "linux.resources.pids.limit"}
	}
	return fromPointer(r.Pids.Limit, "linux.resources.pids.limit")
}

// memoryLimit resolves the memory limit: unified memory.max, else
// memory.limit.
func memoryLimit(r *runtimespec.LinuxResources) limitValue {
	if v, ok := unified(r, "memory.max"); ok {
		return fromUnified(v, "memory.max")
	}
	if r == nil || r.Memory == nil {
		return limitValue{path: "linux.resources.memory.limit"}
	}
	return fromPointer(r.Memory.Limit, "linux.resources.memory.limit")
}

// describe renders a limit's value for a message, quoting unified strings.
func (l limitValue) describe() string {
	if l.shown != "" {
		return l.shown
	}
	return strconv.FormatInt(l.bytes, 10)
}

// describeBytes renders a memory limit for a message: a unified value as
// written ("512M"), a field's number with its unit.
func (l limitValue) describeBytes() string {
	if l.shown != "" {
		return l.shown
	}
	return strconv.FormatInt(l.bytes, 10) + " bytes"
}
