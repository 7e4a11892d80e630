package confinement

// Check confinement.seccomp-escape-syscalls: the seccomp profile lets
// through a syscall that container escapes are built from.
//
// OCI spec fields:
//
//	linux.seccomp.defaultAction, linux.seccomp.defaultErrnoRet
//	linux.seccomp.syscalls[*].names[*], .action, .errnoRet, .args
//
// Allowed values: every syscall of [EscapeSyscalls] gets an action that
// stops it (SCMP_ACT_ERRNO, SCMP_ACT_KILL*, SCMP_ACT_TRAP), or is allowed
// only through argument filters that exclude the dangerous use.
//
// # The action a call gets
//
// The check resolves each syscall as runc hands the profile to libseccomp
// (runc libcontainer/seccomp, libseccomp src/db.c db_rule_add), in
// document order, one name at a time:
//
//   - a rule whose action equals the default action (same action, same
//     errno; SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD; a missing errnoRet is
//     EPERM; errno values are cut to 16 bits, as runc's int16 conversion
//     does) is skipped: runc drops it before libseccomp sees it;
//   - the FIRST rule without argument filters decides: libseccomp drops
//     every later rule for a syscall that already has an unconditional
//     one, and an unconditional rule replaces the conditional rules added
//     before it. A rule whose filters are all no-ops (SCMP_CMP_MASKED_EQ
//     with mask 0, which libseccomp compiles to nothing) is unconditional,
//     and so is a rule runc splits (below) when one of its filters is a
//     no-op;
//   - otherwise the conditional rules decide for the argument values they
//     match and the default action for the rest: when the default lets the
//     call through, conditional rules that let it through too change
//     nothing.
//
// Actions that let a call through: SCMP_ACT_ALLOW, SCMP_ACT_LOG (logged,
// then allowed) and SCMP_ACT_TRACE when the same profile lets ptrace
// through: since Linux 4.8 the kernel runs the filter again once the
// tracer lets the call proceed, and SCMP_ACT_TRACE on that second run
// allows it; any process in the container can trace its own child. Without
// ptrace a traced call fails with ENOSYS unless a host tracer is attached,
// which the spec cannot show. SCMP_ACT_NOTIFY hands the decision to the
// agent on linux.seccomp.listenerPath: confinement.seccomp-notify reports
// it; this check does not guess the agent's answer.
//
// # Argument filters
//
// A rule with argument filters is conditional and not reported, unless the
// check can prove the filter admits the dangerous use:
//
//   - every filter is always true (SCMP_CMP_GE 0, SCMP_CMP_LE 2^64-1, or a
//     no-op mask): the rule admits every call;
//   - clone and unshare: the filters on the flags argument (argument 0)
//     admit a value with a CLONE_NEW* bit set, checked operator by operator
//     (SCMP_CMP_MASKED_EQ compares value&mask with valueTwo&mask, as
//     libseccomp does); filters on other arguments are assumed satisfiable,
//     since the caller chooses every argument. Moby's clone rule (mask
//     0x7E020000, value 0) admits no namespace flag and is not reported;
//   - clone3 takes its flags in memory, which seccomp cannot read: any
//     satisfiable rule admits namespace flags.
//
// When one rule tests the same argument twice, runc adds each test as a
// rule of its own, so the tests are alternatives, not conjuncts; the
// proofs follow that. A conditional allowing rule is reported only when no
// conditional rule with another action may match the dangerous use of the
// same syscall: libseccomp orders overlapping filters by its own
// priorities, not by the document. For clone and unshare a rule that admits
// no namespace flag (by the same proofs) cannot match it and is ignored.
// On s390 and s390x clone's flags are argument 1 (moby's and containerd's
// profiles test argument 1 there): the proof uses argument 1 when the
// profile lists SCMP_ARCH_S390 or SCMP_ARCH_S390X, argument 0 for the
// other architectures listed, and both when it lists both kinds; a profile
// that lists no architecture is assumed to run on a host other than s390.
//
// When the default action is SCMP_ACT_ALLOW or SCMP_ACT_LOG the profile is
// a deny list: confinement.seccomp-allow-default reports it, naming the
// escape syscalls no rule denies, and this check reports nothing, rather
// than one finding per syscall. A default SCMP_ACT_TRACE with ptrace
// allowed lets through every syscall no rule stops: those are reported in
// one finding at linux.seccomp.defaultAction.
//
// name_to_handle_at is not in the list: it only encodes a handle for a path
// the caller can already reach, Docker and containerd allow it, and the
// Shocker escape needs open_by_handle_at, which is in the list.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// escapeSyscall is a syscall container escapes are built from, and why.
type escapeSyscall struct {
	name, why string
}

// escapeSyscalls is sorted by name; ptrace follows it in the analysis as
// an extra, unreported entry (traceIndex).
var escapeSyscalls = [...]escapeSyscall{
	{"acct", "switch host process accounting to a file of its choosing"},
	{"add_key", "add keys to the kernel keyring, which is not namespaced"},
	{"bpf", "load BPF programs, a large kernel attack surface"},
	{"clone", "create namespaces (CLONE_NEW*), the first step of most user-namespace exploits"},
	{"clone3", "create namespaces; its flags are in memory, beyond seccomp's reach"},
	{"delete_module", "unload host kernel modules"},
	{"finit_module", "load host kernel modules"},
	{"fsconfig", "configure a filesystem to mount (new mount API)"},
	{"fsmount", "mount a configured filesystem (new mount API)"},
	{"fsopen", "open a filesystem to mount (new mount API)"},
	{"fspick", "reconfigure a mounted filesystem (new mount API)"},
	{"init_module", "load host kernel modules"},
	{"io_uring_enter", "submit io_uring work, a source of many kernel exploits"},
	{"io_uring_register", "register io_uring resources, a source of many kernel exploits"},
	{"io_uring_setup", "set up io_uring, a source of many kernel exploits"},
	{"kexec_file_load", "load a new kernel to boot into"},
	{"kexec_load", "load a new kernel to boot into"},
	{"keyctl", "manipulate the kernel keyring, which is not namespaced"},
	{"lookup_dcookie", "read kernel directory entries by cookie"},
	{"mount", "mount filesystems, including the host's"},
	{"mount_setattr", "change mount attributes (new mount API)"},
	{"move_mount", "attach mounts (new mount API)"},
	{"open_by_handle_at", "open any file on a mounted filesystem by handle (the Shocker escape)"},
	{"open_tree", "clone mount trees (new mount API)"},
	{"perf_event_open", "observe the kernel and other processes, a large attack surface"},
	{"pivot_root", "change the root filesystem"},
	{"quotactl", "manage disk quotas of host filesystems"},
	{"quotactl_fd", "manage disk quotas of host filesystems"},
	{"reboot", "reboot the host or load a kexec kernel"},
	{"request_key", "request keys from the kernel keyring, which is not namespaced"},
	{"setns", "join other namespaces, including the host's through /proc"},
	{"swapoff", "stop host swap"},
	{"swapon", "start host swap on a file"},
	{"umount", "unmount filesystems (32-bit ABI), uncovering masked paths"},
	{"umount2", "unmount filesystems, uncovering masked paths"},
	{"unshare", "create namespaces, the first step of most user-namespace exploits"},
	{"userfaultfd", "stall kernel page faults, a classic race-exploit primitive"},
}

const (
	numEscape  = len(escapeSyscalls)
	traceIndex = numEscape // ptrace, tracked to resolve SCMP_ACT_TRACE
)

// escapeIndex maps a syscall name to its index in escapeSyscalls (or
// traceIndex for ptrace).
var escapeIndex = func() map[string]int {
	m := make(map[string]int, numEscape+1)
	for i, e := range escapeSyscalls {
		m[e.name] = i
	}
	m["ptrace"] = traceIndex
	return m
}()

// EscapeSyscalls returns the names of the syscalls
// confinement.seccomp-escape-syscalls looks for, sorted. The slice is new
// on every call.
func EscapeSyscalls() []string {
	out := make([]string, numEscape)
	for i, e := range escapeSyscalls {
		out[i] = e.name
	}
	return out
}

// Namespace flags of clone(2), unshare(2) and clone3(2) (linux/sched.h).
const (
	cloneNewTime   = 0x00000080
	cloneNewNS     = 0x00020000
	cloneNewCgroup = 0x02000000
	cloneNewUTS    = 0x04000000
	cloneNewIPC    = 0x08000000
	cloneNewUser   = 0x10000000
	cloneNewPID    = 0x20000000
	cloneNewNet    = 0x40000000

	// cloneNamespaces are the flags clone(2) accepts; its low byte is the
	// exit signal, so CLONE_NEWTIME works only with unshare and clone3.
	cloneNamespaces   uint64 = cloneNewNS | cloneNewCgroup | cloneNewUTS | cloneNewIPC | cloneNewUser | cloneNewPID | cloneNewNet
	unshareNamespaces uint64 = cloneNamespaces | cloneNewTime
)

var namespaceFlags = [...]struct {
	bit  uint64
	name string
}{
	{cloneNewTime, "CLONE_NEWTIME"}, {cloneNewNS, "CLONE_NEWNS"}, {cloneNewCgroup, "CLONE_NEWCGROUP"},
	{cloneNewUTS, "CLONE_NEWUTS"}, {cloneNewIPC, "CLONE_NEWIPC"}, {cloneNewUser, "CLONE_NEWUSER"},
	{cloneNewPID, "CLONE_NEWPID"}, {cloneNewNet, "CLONE_NEWNET"},
}

// lets says what an action does to a call.
type lets uint8

const (
	letsNo     lets = iota // ERRNO, KILL*, TRAP, and unknown actions (runc refuses them)
	letsAllow              // ALLOW, LOG
	letsTrace              // TRACE: allowed when a tracer allows it
	letsNotify             // NOTIFY: the agent decides
)

func actionLets(a runtimespec.LinuxSeccompAction) lets {
	switch a {
	case runtimespec.ActAllow, runtimespec.ActLog:
		return letsAllow
	case runtimespec.ActTrace:
		return letsTrace
	case runtimespec.ActNotify:
		return letsNotify
	}
	return letsNo
}

// sameAction reports whether runc would build the same libseccomp action
// from two actions and their errno values.
func sameAction(a runtimespec.LinuxSeccompAction, aErrno *uint, b runtimespec.LinuxSeccompAction, bErrno *uint) bool {
	if a == runtimespec.ActKill {
		a = runtimespec.ActKillThread
	}
	if b == runtimespec.ActKill {
		b = runtimespec.ActKillThread
	}
	if a != b {
		return false
	}
	if a != runtimespec.ActErrno && a != runtimespec.ActTrace {
		return true
	}
	return errnoOrEPERM(aErrno) == errnoOrEPERM(bErrno)
}

// errnoOrEPERM returns the errno runc builds the action with: EPERM when
// none is given, else the value cut to 16 bits (runc converts it with
// int16, and libseccomp keeps the low 16 bits).
func errnoOrEPERM(e *uint) uint16 {
	if e == nil {
		return 1
	}
	return uint16(*e)
}

// verdict is what the analysis found for one syscall.
type verdict struct {
	// rule and name locate the deciding unconditional rule; rule is -1 when
	// no unconditional rule names the syscall.
	rule, name int
	action     lets
	// condRule and condName locate the first conditional rule that lets the
	// call through and is proven to admit the dangerous use; condRule is -1
	// when there is none.
	condRule, condName int
	condAction         lets
	// condFlags are the namespace flags the conditional rule admits
	// (clone, unshare, clone3).
	condFlags uint64
	// condOther is set when a conditional rule with an action that stops
	// the call, or notifies, names the syscall.
	condOther bool
	// condTrace is set when a conditional SCMP_ACT_TRACE rule names the
	// syscall: it stops the calls it matches unless ptrace gets through.
	condTrace bool
}

// analysis is the resolution of every escape syscall (and ptrace) against
// one profile.
type analysis struct {
	v [numEscape + 1]verdict
	// defaultLets is what the default action does to calls no rule decides.
	defaultLets lets
	// traceOK is set when ptrace gets through, so SCMP_ACT_TRACE lets calls
	// through too.
	traceOK bool
	// cloneFlagArgs has bit i set when clone's flags are argument i on an
	// architecture the filter covers: 0 everywhere but s390 and s390x,
	// where they are 1.
	cloneFlagArgs uint8
}

// analyse resolves the profile. It does not allocate.
func analyse(sc *runtimespec.LinuxSeccomp, a *analysis) {
	for k := range a.v {
		a.v[k] = verdict{rule: -1, condRule: -1}
	}
	a.defaultLets = actionLets(sc.DefaultAction)
	a.cloneFlagArgs = 0
	for _, arch := range sc.Architectures {
		if arch == runtimespec.ArchS390 || arch == runtimespec.ArchS390X {
			a.cloneFlagArgs |= 1 << 1
		} else {
			a.cloneFlagArgs |= 1 << 0
		}
	}
	if a.cloneFlagArgs == 0 {
		a.cloneFlagArgs = 1 << 0 // no architectures: the native one, assumed not s390
	}
	for i := range sc.Syscalls {
		r := &sc.Syscalls[i]
		if sameAction(r.Action, r.ErrnoRet, sc.DefaultAction, sc.DefaultErrnoRet) {
			continue // runc skips it
		}
		act := actionLets(r.Action)
		uncond := unconditional(r.Args)
		for j, name := range r.Names {
			k, ok := escapeIndex[name]
			if !ok {
				continue
			}
			v := &a.v[k]
			if v.rule >= 0 {
				continue // an earlier unconditional rule decided
			}
			if uncond {
				v.rule, v.name, v.action = i, j, act
				continue
			}
			if !mayMatch(k, r.Args, a.cloneFlagArgs) {
				continue // matches no dangerous call: it changes nothing here
			}
			if act != letsAllow && act != letsTrace {
				v.condOther = true
				continue
			}
			if act == letsTrace {
				v.condTrace = true
			}
			if v.condRule >= 0 {
				continue
			}
			if flags, ok := admits(k, r.Args, a.cloneFlagArgs); ok {
				v.condRule, v.condName, v.condAction, v.condFlags = i, j, act, flags
			}
		}
	}
	// ptrace gets through when its own resolution lets it through without
	// needing a tracer.
	a.traceOK = a.letsThrough(traceIndex, false) == letsAllow
}

// letsThrough returns how syscall k is let through: letsAllow or
// letsTrace (through a rule or the default), or letsNo when it is
// stopped, notified or only conditionally allowed. With traceOK, a
// SCMP_ACT_TRACE result counts as let through.
//
// Conditional rules that let the call through do not stop what the
// default lets through: the calls they match get through by the rule, the
// others by the default.
func (a *analysis) letsThrough(k int, traceOK bool) lets {
	v := &a.v[k]
	ok := func(l lets) lets {
		if l == letsAllow || (l == letsTrace && traceOK) {
			return l
		}
		return letsNo
	}
	switch {
	case v.rule >= 0:
		return ok(v.action)
	case v.condOther || (v.condTrace && !traceOK):
		return letsNo // a conditional rule may stop it: not proven
	case ok(a.defaultLets) != letsNo:
		return ok(a.defaultLets)
	case v.condRule >= 0:
		return ok(v.condAction)
	}
	return letsNo
}

// unconditional reports whether libseccomp compiles a rule with these
// argument filters to no test at all: no filters, or only masks of 0.
// When runc splits the filters into one rule each (see alternatives), one
// mask of 0 is enough: that rule is unconditional and overrides the others.
// A filter on an argument past the sixth makes runc refuse the rule.
func unconditional(args []runtimespec.LinuxSeccompArg) bool {
	noop := func(c runtimespec.LinuxSeccompArg) bool {
		return c.Op == runtimespec.OpMaskedEqual && c.Value == 0
	}
	for _, c := range args {
		if c.Index > 5 {
			return false
		}
	}
	if alternatives(args) {
		for _, c := range args {
			if noop(c) {
				return true
			}
		}
		return false
	}
	for _, c := range args {
		if !noop(c) {
			return false
		}
	}
	return true
}

// alternatives reports whether runc splits the filters into one rule per
// filter (it does when an argument is tested twice), making them
// alternatives rather than conjuncts.
func alternatives(args []runtimespec.LinuxSeccompArg) bool {
	var seen uint64
	for _, c := range args {
		if c.Index >= 64 {
			return false
		}
		if seen&(1<<c.Index) != 0 {
			return true
		}
		seen |= 1 << c.Index
	}
	return false
}

// admits reports whether a conditional rule provably admits the dangerous
// use of escape syscall k, and the namespace flags it admits for clone,
// unshare and clone3. cloneFlagArgs says which arguments carry clone's
// flags (see analysis).
func admits(k int, args []runtimespec.LinuxSeccompArg, cloneFlagArgs uint8) (uint64, bool) {
	for _, c := range args {
		if c.Index > 5 {
			return 0, false // runc and libseccomp refuse the rule
		}
	}
	or := alternatives(args)
	name := "ptrace" // traceIndex: no entry in escapeSyscalls
	if k < numEscape {
		name = escapeSyscalls[k].name
	}
	switch name {
	case "clone":
		var flags uint64
		for i := uint(0); i < 2; i++ {
			if cloneFlagArgs&(1<<i) != 0 {
				f, _ := flagsAdmitted(args, cloneNamespaces, or, i)
				flags |= f
			}
		}
		return flags, flags != 0
	case "unshare":
		return flagsAdmitted(args, unshareNamespaces, or, 0)
	case "clone3":
		for _, c := range args {
			sat := satisfiable(c)
			if or && sat {
				return unshareNamespaces, true
			}
			if !or && !sat {
				return 0, false
			}
		}
		return unshareNamespaces, !or
	}
	for _, c := range args {
		t := always(c)
		if or && t {
			return 0, true
		}
		if !or && !t {
			return 0, false
		}
	}
	return 0, !or
}

// mayMatch reports whether a conditional rule may match a dangerous call
// of escape syscall k: for clone and unshare, a call with a namespace flag;
// for the others, any call. A clone rule that admits no namespace flag
// (moby's allowing mask, written by mistake in a denying rule) stops no
// namespace creation. Rules runc refuses are assumed to match.
func mayMatch(k int, args []runtimespec.LinuxSeccompArg, cloneFlagArgs uint8) bool {
	if k == traceIndex || (escapeSyscalls[k].name != "clone" && escapeSyscalls[k].name != "unshare") {
		return true
	}
	for _, c := range args {
		if c.Index > 5 {
			return true
		}
	}
	flags, _ := admits(k, args, cloneFlagArgs)
	return flags != 0
}

// flagsAdmitted returns the namespace flags (of mask) that some flags
// argument (argument flagArg) satisfying the rule may carry.
func flagsAdmitted(args []runtimespec.LinuxSeccompArg, mask uint64, or bool, flagArg uint) (uint64, bool) {
	flags := mask
	if or {
		flags = 0
	}
	for _, c := range args {
		var f uint64
		if c.Index == flagArg {
			f = flagBits(c, mask)
		} else if satisfiable(c) {
			f = mask
		}
		if or {
			flags |= f
		} else {
			flags &= f
		}
	}
	return flags, flags != 0
}

const maxArg = ^uint64(0)

// flagBits returns the bits b of mask for which some argument value with b
// set satisfies c.
func flagBits(c runtimespec.LinuxSeccompArg, mask uint64) uint64 {
	switch c.Op {
	case runtimespec.OpEqualTo:
		return c.Value & mask
	case runtimespec.OpNotEqual, runtimespec.OpGreaterEqual:
		return mask
	case runtimespec.OpGreaterThan:
		if c.Value < maxArg {
			return mask
		}
	case runtimespec.OpMaskedEqual:
		// value is the mask, valueTwo the datum: x&value == valueTwo&value.
		// x = (valueTwo&value)|b satisfies it unless b is in the mask and
		// not in the datum.
		return mask & (^c.Value | c.ValueTwo)
	case runtimespec.OpLessThan, runtimespec.OpLessEqual:
		// the smallest value with bit b set is b itself
		var out uint64
		for _, f := range namespaceFlags {
			if mask&f.bit != 0 && (f.bit < c.Value || (c.Op == runtimespec.OpLessEqual && f.bit == c.Value)) {
				out |= f.bit
			}
		}
		return out
	}
	return 0
}

// satisfiable reports whether some argument value satisfies c.
func satisfiable(c runtimespec.LinuxSeccompArg) bool {
	switch c.Op {
	case runtimespec.OpEqualTo, runtimespec.OpNotEqual, runtimespec.OpGreaterEqual,
		runtimespec.OpLessEqual, runtimespec.OpMaskedEqual:
		return true
	case runtimespec.OpLessThan:
		return c.Value > 0
	case runtimespec.OpGreaterThan:
		return c.Value < maxArg
	}
	return false
}

// always reports whether every argument value satisfies c.
func always(c runtimespec.LinuxSeccompArg) bool {
	switch c.Op {
	case runtimespec.OpMaskedEqual:
		return c.Value == 0
	case runtimespec.OpGreaterEqual:
		return c.Value == 0
	case runtimespec.OpLessEqual:
		return c.Value == maxArg
	}
	return false
}

// SeccompEscapeSyscalls reports escape-relevant syscalls the seccomp
// profile lets through.
var SeccompEscapeSyscalls = &hardening.Check{
	ID:       "confinement.seccomp-escape-syscalls",
	Title:    "seccomp profile allows escape syscalls",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Container escapes and kernel exploits are built from a small set of syscalls: mount and the new mount API, " +
		"unshare and clone with namespace flags, setns, keyctl, bpf, perf_event_open, userfaultfd, io_uring, module loading, " +
		"open_by_handle_at. Docker's and containerd's default profiles deny them; a profile that allows one outright gives " +
		"every kernel bug behind it a way in.",
	Remediation: "Deny the syscall (remove it from the allowing rule, or add an SCMP_ACT_ERRNO rule before it), or restrict it " +
		"with argument filters as Docker's profile restricts clone; start from the runtime's default profile.",
	References: []hardening.Reference{
		refCIS("5.22"),
		refDockerSeccomp,
		refSeccompSpec,
		refNCCEscape,
	},
	Run: runSeccompEscapeSyscalls,
	Fix: fixSeccompSpec,
}

func runSeccompEscapeSyscalls(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.seccomp.syscalls") {
		return out // not observed: no verdict
	}
	sc := seccompOf(s)
	if sc == nil || actionLets(sc.DefaultAction) == letsAllow {
		return out
	}
	var a analysis
	analyse(sc, &a)

	// Syscalls let through by the default action: one finding.
	var byDefault [numEscape]bool
	grouped := 0
	for k := range numEscape {
		v := &a.v[k]
		if v.rule < 0 && v.condRule < 0 && a.letsThrough(k, a.traceOK) != letsNo {
			byDefault[k] = true
			grouped++
		}
	}
	if grouped > 0 {
		names := make([]string, 0, grouped)
		for k := range numEscape {
			if byDefault[k] {
				names = append(names, escapeSyscalls[k].name)
			}
		}
		out = append(out, hardening.Finding{
			Path: "linux.seccomp.defaultAction",
			Message: "defaultAction " + strconv.Quote(string(sc.DefaultAction)) + " lets " + strings.Join(names, ", ") +
				" through: the profile allows ptrace, so a process in the container can trace another and let its traced calls proceed",
		})
	}

	// Syscalls let through by a rule, in document order.
	for i := range sc.Syscalls {
		for j, name := range sc.Syscalls[i].Names {
			k, ok := escapeIndex[name]
			if !ok || k == traceIndex {
				continue
			}
			v := &a.v[k]
			switch {
			case v.rule == i && v.name == j:
				if a.letsThrough(k, a.traceOK) != letsNo {
					out = append(out, hardening.Finding{
						Path:    ruleNamePath(i, j),
						Message: unconditionalMessage(name, sc.Syscalls[i].Action, escapeSyscalls[k].why),
					})
				}
			case v.rule < 0 && v.condRule == i && v.condName == j:
				if a.letsThrough(k, a.traceOK) != letsNo {
					out = append(out, hardening.Finding{
						Path:    ruleNamePath(i, j),
						Message: conditionalMessage(name, &sc.Syscalls[i], v.condFlags, escapeSyscalls[k].why),
					})
				}
			}
		}
	}
	return out
}

func ruleNamePath(i, j int) string {
	return hardening.Index(hardening.Index("linux.seccomp.syscalls", i)+".names", j)
}

func actionPhrase(a runtimespec.LinuxSeccompAction) string {
	switch actionLets(a) {
	case letsAllow:
		if a == runtimespec.ActLog {
			return "SCMP_ACT_LOG (logged, then allowed)"
		}
		return string(a)
	case letsTrace:
		return "SCMP_ACT_TRACE, and the profile allows ptrace, so a process in the container can trace another and let the call proceed"
	}
	return string(a)
}

func unconditionalMessage(name string, action runtimespec.LinuxSeccompAction, why string) string {
	return strconv.Quote(name) + " is allowed without argument filters by " + actionPhrase(action) + ": it lets the container " + why
}

func conditionalMessage(name string, r *runtimespec.LinuxSyscall, flags uint64, why string) string {
	msg := strconv.Quote(name) + " is allowed by " + actionPhrase(r.Action) + " with argument filters (" + describeArgs(r.Args) + ") that "
	if flags != 0 {
		msg += "admit namespace flags " + flagNames(flags)
	} else {
		msg += "every call satisfies"
	}
	return msg + ": it lets the container " + why
}

func describeArgs(args []runtimespec.LinuxSeccompArg) string {
	var b strings.Builder
	for i, c := range args {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString("arg ")
		b.WriteString(strconv.FormatUint(uint64(c.Index), 10))
		b.WriteByte(' ')
		b.WriteString(string(c.Op))
		b.WriteString(" 0x")
		b.WriteString(strconv.FormatUint(c.Value, 16))
		if c.Op == runtimespec.OpMaskedEqual {
			b.WriteString(" == 0x")
			b.WriteString(strconv.FormatUint(c.ValueTwo, 16))
		}
	}
	return b.String()
}

func flagNames(flags uint64) string {
	var names []string
	for _, f := range namespaceFlags {
		if flags&f.bit != 0 {
			names = append(names, f.name)
		}
	}
	return strings.Join(names, "|")
}
