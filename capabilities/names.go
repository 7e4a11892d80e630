package capabilities

import (
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/internal/capnames"
)

// Capability is a Linux capability, numbered as in linux/capability.h
// (and golang.org/x/sys/unix's CAP_* constants, which a test keeps in step).
// The numbers are defined here rather than imported so the package builds
// on every platform a scanner runs on, not only Linux.
type Capability uint8

// The Linux capabilities, Linux 5.9 and later.
const (
	Chown             Capability = 0
	DacOverride       Capability = 1
	DacReadSearch     Capability = 2
	Fowner            Capability = 3
	Fsetid            Capability = 4
	Kill              Capability = 5
	Setgid            Capability = 6
	Setuid            Capability = 7
	Setpcap           Capability = 8
	LinuxImmutable    Capability = 9
	NetBindService    Capability = 10
	NetBroadcast      Capability = 11
	NetAdmin          Capability = 12
	NetRaw            Capability = 13
	IpcLock           Capability = 14
	IpcOwner          Capability = 15
	SysModule         Capability = 16
	SysRawio          Capability = 17
	SysChroot         Capability = 18
	SysPtrace         Capability = 19
	SysPacct          Capability = 20
	SysAdmin          Capability = 21
	SysBoot           Capability = 22
	SysNice           Capability = 23
	SysResource       Capability = 24
	SysTime           Capability = 25
	SysTtyConfig      Capability = 26
	Mknod             Capability = 27
	Lease             Capability = 28
	AuditWrite        Capability = 29
	AuditControl      Capability = 30
	Setfcap           Capability = 31
	MacOverride       Capability = 32
	MacAdmin          Capability = 33
	Syslog            Capability = 34
	WakeAlarm         Capability = 35
	BlockSuspend      Capability = 36
	AuditRead         Capability = 37
	Perfmon           Capability = 38
	BPF               Capability = 39
	CheckpointRestore Capability = 40

	// Last is the highest capability this package knows.
	Last Capability = capnames.Last
)

// canonical maps the exact Kubernetes and OCI spellings to capabilities.
// It is derived from the one name table, internal/capnames, for the Pod
// Security Standards controls, which compare names as written.
var canonical = func() map[string]Capability {
	m := make(map[string]Capability, 2*(Last+1))
	for c := Capability(0); c <= Last; c++ {
		m[c.String()] = c
		m[c.OCIName()] = c
	}
	return m
}()

// String returns the name Kubernetes uses: "SYS_ADMIN". A number this
// package does not name is "UNKNOWN(41)".
func (c Capability) String() string {
	if name, ok := capnames.Name(int(c)); ok {
		return name
	}
	return "UNKNOWN(" + strconv.Itoa(int(c)) + ")"
}

// OCIName returns the name OCI runtime specs use: "CAP_SYS_ADMIN". A
// number this package does not name is "CAP_41".
func (c Capability) OCIName() string { return capnames.OCIName(int(c)) }

// Parse looks up a capability by name. It accepts the Kubernetes form
// ("SYS_ADMIN"), the OCI form ("CAP_SYS_ADMIN") and any letter case. "ALL"
// is not a capability: see [ParseList].
func Parse(name string) (Capability, bool) {
	n, ok := capnames.Parse(name)
	return Capability(n), ok
}

// IsAll reports whether name is the keyword ALL (any case), which
// Kubernetes and container runtimes read as every capability.
func IsAll(name string) bool { return strings.EqualFold(name, "ALL") }

// Set is a set of capabilities, one bit per capability number.
type Set uint64

// All is every capability this package knows.
const All Set = 1<<(Last+1) - 1

// SetOf returns the set holding caps.
func SetOf(caps ...Capability) Set {
	var s Set
	for _, c := range caps {
		s = s.With(c)
	}
	return s
}

// Has reports whether c is in s.
func (s Set) Has(c Capability) bool { return c <= Last && s&(1<<c) != 0 }

// With returns s with c added.
func (s Set) With(c Capability) Set {
	if c > Last {
		return s
	}
	return s | 1<<c
}

// Without returns s with every capability of t removed.
func (s Set) Without(t Set) Set { return s &^ t }

// Contains reports whether every capability of t is in s.
func (s Set) Contains(t Set) bool { return s&t == t }

// Len returns the number of capabilities in s.
func (s Set) Len() int { return bits.OnesCount64(uint64(s)) }

// Capabilities lists the members of s in number order.
func (s Set) Capabilities() []Capability {
	out := make([]Capability, 0, s.Len())
	for c := Capability(0); c <= Last; c++ {
		if s.Has(c) {
			out = append(out, c)
		}
	}
	return out
}

// Names lists the Kubernetes names of s, sorted alphabetically.
func (s Set) Names() []string {
	out := make([]string, 0, s.Len())
	for _, c := range s.Capabilities() {
		out = append(out, c.String())
	}
	slices.Sort(out)
	return out
}

// String renders the sorted names joined by ", ".
func (s Set) String() string { return strings.Join(s.Names(), ", ") }

// ParseList parses a list of capability names as Kubernetes and OCI specs
// write them. ALL (any case) yields [All]. Names that are not capabilities
// are returned in unknown, in order; they never make the set larger.
func ParseList(list []string) (set Set, unknown []string) {
	for _, name := range list {
		if IsAll(name) {
			set = All
			continue
		}
		c, ok := Parse(name)
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		set = set.With(c)
	}
	return set, unknown
}

// Default capability sets of the runtimes that start containers, as their
// code produces them; testdata/runtimes holds the specs each runtime
// generates, and a test keeps the two in step. They are constants: no
// importer can change what a check assumes for every other audit.
const (
	// DockerDefault is Docker's default set (moby oci/caps/defaults.go), 14
	// capabilities.
	DockerDefault Set = 1<<Chown | 1<<DacOverride | 1<<Fsetid | 1<<Fowner | 1<<Mknod | 1<<NetRaw | 1<<Setgid |
		1<<Setuid | 1<<Setfcap | 1<<Setpcap | 1<<NetBindService | 1<<SysChroot | 1<<Kill | 1<<AuditWrite
	// ContainerdDefault is containerd's default set (pkg/oci defaultUnixCaps),
	// the same 14 as Docker. It is what a Kubernetes container gets on
	// containerd when its securityContext says nothing about capabilities.
	ContainerdDefault = DockerDefault
	// PodmanDefault is podman's default (containers-common default.go):
	// Docker's 14 minus NET_RAW, MKNOD and AUDIT_WRITE.
	PodmanDefault = DockerDefault &^ (1<<NetRaw | 1<<Mknod | 1<<AuditWrite)
	// RuncSpecDefault is the set `runc spec` and `crun spec` write.
	RuncSpecDefault Set = 1<<AuditWrite | 1<<Kill | 1<<NetBindService

	// PodDefault is the set bulwark assumes a Kubernetes container starts
	// from when it drops nothing: containerd's, the most common CRI runtime.
	// [DropAllMissing] and [NetRawNotDropped] assume it;
	// [DropAllMissingAssuming] and [NetRawNotDroppedAssuming] build them for
	// another runtime's set.
	PodDefault = ContainerdDefault

	// PSSBaselineAllowed is what the Pod Security Standards' baseline level
	// lets a container add: Docker's defaults minus NET_RAW.
	PSSBaselineAllowed Set = 1<<AuditWrite | 1<<Chown | 1<<DacOverride | 1<<Fowner | 1<<Fsetid | 1<<Kill |
		1<<Mknod | 1<<NetBindService | 1<<Setfcap | 1<<Setgid | 1<<Setpcap | 1<<Setuid | 1<<SysChroot
	// PSSRestrictedAllowed is what the restricted level lets a container add
	// after dropping ALL.
	PSSRestrictedAllowed Set = 1 << NetBindService

	// Legacy is every capability Linux 3.16 through 5.7 knows (up to
	// AUDIT_READ). A set holding all of them is treated as "all
	// capabilities": runtimes fill a privileged container's sets from the
	// running kernel, so on older kernels PERFMON, BPF and
	// CHECKPOINT_RESTORE are absent.
	Legacy Set = 1<<(AuditRead+1) - 1
)
