package cgroups

// The fixes of this package's checks (hardening.Check.Fix):
//
//	linux.resources.pids.limit (OCI)   set 4096, or the number decided: far above what a
//	                                   service forks, far below the host's pid_max
//	process.rlimits (OCI)              RLIMIT_NOFILE 1024 soft, 524288 hard (systemd's
//	                                   defaults) appended when missing; a missing
//	                                   RLIMIT_NPROC is covered by the pids limit; an
//	                                   unlimited hard limit lowered to the same bounds
//	memory limit (Pod, OCI)            a decision: how much memory the program needs at
//	                                   its peak ("512Mi"); nothing is guessed
//	linux.resources.memory.swap (OCI)  set equal to the memory limit: no swap

import (
	"math"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	"k8s.io/apimachinery/pkg/api/resource"
)

// DefaultPidsLimit is the pids limit the fix of cgroups.pids-limit-missing
// sets when no decision gives another.
const DefaultPidsLimit = 4096

// The RLIMIT_NOFILE the fix of cgroups.rlimits-unbounded sets.
const (
	nofileSoft = 1024
	nofileHard = 524288
)

// fixPidsLimit sets a pids limit.
func fixPidsLimit(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if s.Spec == nil {
		return nil, "not an OCI spec"
	}
	n := int64(DefaultPidsLimit)
	note := "caps the container at " + strconv.Itoa(DefaultPidsLimit) + " processes and threads: raise it for a program that runs more"
	if d := strings.TrimSpace(decision); d != "" {
		v, err := strconv.ParseInt(d, 10, 64)
		if err != nil || v <= 0 {
			return nil, "the decision for " + f.Check + " is not a positive number: " + strconv.Quote(d)
		}
		n, note = v, ""
	}
	path := pidsLimit(specResources(s)).path
	if strings.HasPrefix(path, pathUnified) {
		return []hardening.Edit{{Path: path, Value: strconv.FormatInt(n, 10), Note: note}}, ""
	}
	return []hardening.Edit{{Path: path, Value: n, Note: note}}, ""
}

// fixRlimits bounds RLIMIT_NOFILE, and covers RLIMIT_NPROC with a pids
// limit.
func fixRlimits(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	p := specProcess(s)
	if p == nil {
		return nil, "the spec has no process"
	}
	var edits []hardening.Edit
	if strings.HasSuffix(f.Path, ".hard") {
		i := strings.IndexByte(f.Path, '[')
		j := strings.IndexByte(f.Path, ']')
		n, err := strconv.Atoi(f.Path[i+1 : j])
		if err != nil || n >= len(p.Rlimits) {
			return nil, "no rlimit at " + f.Path
		}
		rl := p.Rlimits[n]
		hard := uint64(nofileHard)
		if rl.Type == "RLIMIT_NPROC" {
			hard = DefaultPidsLimit
		}
		edits = append(edits, hardening.Edit{Path: f.Path, Value: hard, Note: "the process may no longer raise its limit past " + strconv.FormatUint(hard, 10)})
		if rl.Soft > hard {
			edits = append(edits, hardening.Edit{Path: strings.TrimSuffix(f.Path, ".hard") + ".soft", Value: hard})
		}
		return edits, ""
	}
	haveNofile, haveNproc := false, false
	for _, rl := range p.Rlimits {
		haveNofile = haveNofile || rl.Type == "RLIMIT_NOFILE"
		haveNproc = haveNproc || rl.Type == "RLIMIT_NPROC"
	}
	if !haveNofile {
		edits = append(edits, hardening.Edit{
			Path:  hardening.Index("process.rlimits", len(p.Rlimits)),
			Value: runtimespec.POSIXRlimit{Type: "RLIMIT_NOFILE", Hard: nofileHard, Soft: nofileSoft},
			Note:  "the process opens up to 1024 files, and may raise that to 524288",
		})
	}
	if !haveNproc && !pidsLimit(specResources(s)).bounded() {
		pids, _ := fixPidsLimit(s, &hardening.Finding{Check: PidsLimitMissing.ID}, "")
		edits = append(edits, pids...)
	}
	if len(edits) == 0 {
		return nil, "nothing to add"
	}
	return edits, ""
}

// fixMemoryLimit sets the memory limit the user decides.
func fixMemoryLimit(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	d := strings.TrimSpace(decision)
	if d == "" {
		return nil, "how much memory the program needs at its peak is for its authors to say: decide " + f.Check + "=SIZE (512Mi)"
	}
	q, err := resource.ParseQuantity(d)
	if err != nil || q.Sign() <= 0 {
		return nil, "the decision for " + f.Check + " is not a positive quantity: " + strconv.Quote(d)
	}
	if s.Kind == hardening.KindPod {
		if !strings.Contains(f.Path, "resources.limits.memory") {
			return nil, "no memory limit at " + f.Path
		}
		return []hardening.Edit{{Path: f.Path, Value: q.String(), Note: "the container is killed when it uses more than " + q.String()}}, ""
	}
	bytes := q.Value()
	if strings.HasPrefix(f.Path, pathUnified) {
		return []hardening.Edit{{Path: f.Path, Value: strconv.FormatInt(bytes, 10)}}, ""
	}
	return []hardening.Edit{{Path: "linux.resources.memory.limit", Value: bytes, Note: "the container is killed when it uses more than " + q.String()}}, ""
}

// fixSwap forbids swap beyond the memory limit.
func fixSwap(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if strings.HasPrefix(f.Path, pathUnified) {
		return []hardening.Edit{{Path: f.Path, Value: "0"}}, ""
	}
	mem := memoryLimit(specResources(s))
	if !mem.bounded() || mem.bytes == math.MaxInt64 {
		return nil, "no memory limit to bound swap by"
	}
	return []hardening.Edit{{Path: "linux.resources.memory.swap", Value: mem.bytes, Note: "memory and swap together are the memory limit: no swap"}}, ""
}
