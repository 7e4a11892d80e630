package confinement_test

import (
	"slices"
	"testing"

	"github.com/bulwarkdev/bulwark/confinement"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

type got checktest.SpecGot

var summarize = checktest.SummarizeSpec[got]

func ptr[T any](v T) *T { return &v }

const (
	missing      = "confinement.seccomp-missing"
	allowDefault = "confinement.seccomp-allow-default"
	escape       = "confinement.seccomp-escape-syscalls"
	archMissing  = "confinement.seccomp-arch-missing"
	specAllow    = "confinement.seccomp-spec-allow"
	notify       = "confinement.seccomp-notify"
	apparmor     = "confinement.apparmor-unconfined"
	selinux      = "confinement.selinux-unconfined"

	high   = hardening.SeverityHigh
	medium = hardening.SeverityMedium
	low    = hardening.SeverityLow
	info   = hardening.SeverityInfo

	esc  = hardening.ClassEscape
	xc   = hardening.ClassCrossContainer
	mgmt = hardening.ClassManagement
)

// cloneNamespaces is moby's mask of the CLONE_NEW* flags clone accepts.
const cloneNamespaces = 0x7E020000

// hardenedSpec passes every check of the package: a moby-like allow-list
// profile written by hand (a handful of allowed syscalls, clone allowed
// only without namespace flags, clone3 answered with ENOSYS, explicit
// EPERM rules that repeat the default), AppArmor and an SELinux label with
// MCS categories.
func hardenedSpec() *runtimespec.Spec {
	return &runtimespec.Spec{
		Version: runtimespec.Version,
		Process: &runtimespec.Process{
			User:            runtimespec.User{UID: 10001, GID: 10001},
			Args:            []string{"/app"},
			Cwd:             "/",
			NoNewPrivileges: true,
			ApparmorProfile: "docker-default",
			SelinuxLabel:    "system_u:system_r:container_t:s0:c12,c34",
		},
		Linux: &runtimespec.Linux{
			Seccomp: &runtimespec.LinuxSeccomp{
				DefaultAction:   runtimespec.ActErrno,
				DefaultErrnoRet: ptr(uint(1)),
				Architectures:   []runtimespec.Arch{runtimespec.ArchX86_64, runtimespec.ArchX86, runtimespec.ArchX32},
				Syscalls: []runtimespec.LinuxSyscall{
					{Names: []string{"read", "write", "openat", "close", "exit_group", "futex", "ptrace", "chroot"}, Action: runtimespec.ActAllow},
					{Names: []string{"personality"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{{Index: 0, Value: 0, Op: runtimespec.OpEqualTo}}},
					{Names: []string{"clone"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{{Index: 0, Value: cloneNamespaces, Op: runtimespec.OpMaskedEqual}}},
					{Names: []string{"clone3"}, Action: runtimespec.ActErrno, ErrnoRet: ptr(uint(38))},
					{Names: []string{"mount", "unshare"}, Action: runtimespec.ActErrno, ErrnoRet: ptr(uint(1))},
				},
			},
		},
	}
}

func rules(s *runtimespec.Spec, rs ...runtimespec.LinuxSyscall) {
	s.Linux.Seccomp.Syscalls = append(s.Linux.Seccomp.Syscalls, rs...)
}

func allow(names ...string) runtimespec.LinuxSyscall {
	return runtimespec.LinuxSyscall{Names: names, Action: runtimespec.ActAllow}
}

func arg(index uint, op runtimespec.LinuxSeccompOperator, value, valueTwo uint64) runtimespec.LinuxSeccompArg {
	return runtimespec.LinuxSeccompArg{Index: index, Op: op, Value: value, ValueTwo: valueTwo}
}

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []got
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"no linux section", func(s *runtimespec.Spec) { s.Linux = nil }, []got{{missing, high, esc, "linux.seccomp"}}},
		{"no seccomp", func(s *runtimespec.Spec) { s.Linux.Seccomp = nil }, []got{{missing, high, esc, "linux.seccomp"}}},
		{"a windows spec is not a linux container", func(s *runtimespec.Spec) {
			s.Linux = nil
			s.Windows = &runtimespec.Windows{}
			s.Process.ApparmorProfile = ""
		}, nil},
		{"no process", func(s *runtimespec.Spec) { s.Process = nil }, nil},
		{"empty seccomp section: runc loads no filter", func(s *runtimespec.Spec) {
			s.Linux.Seccomp = &runtimespec.LinuxSeccomp{Architectures: []runtimespec.Arch{runtimespec.ArchX86_64}}
		}, []got{{missing, high, esc, "linux.seccomp.defaultAction"}}},

		// Default actions.
		{"allow by default is reported once, not per syscall", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.DefaultAction = runtimespec.ActAllow
		}, []got{{allowDefault, high, esc, "linux.seccomp.defaultAction"}}},
		{"log by default", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.DefaultAction = runtimespec.ActLog
			s.Linux.Seccomp.Architectures = s.Linux.Seccomp.Architectures[:1]
		}, []got{{allowDefault, high, esc, "linux.seccomp.defaultAction"}}},
		{"kill by default", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.DefaultAction = runtimespec.ActKillProcess
		}, nil},

		// Unconditional rules.
		{"mount allowed outright", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[0].Names = append(s.Linux.Seccomp.Syscalls[0].Names, "bpf", "mount")
		}, []got{
			{escape, high, esc, "linux.seccomp.syscalls[0].names[8]"},
			{escape, high, esc, "linux.seccomp.syscalls[0].names[9]"},
		}},
		{"a rule repeating the default is skipped, so a later allow decides", func(s *runtimespec.Spec) {
			rules(s, allow("mount"))
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"the first unconditional rule decides: ENOSYS before allow", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[4].ErrnoRet = ptr(uint(38))
			rules(s, allow("mount"))
		}, nil},
		{"the first unconditional rule decides: allow before deny", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls = slices.Insert(s.Linux.Seccomp.Syscalls, 0, allow("keyctl"),
				runtimespec.LinuxSyscall{Names: []string{"keyctl"}, Action: runtimespec.ActKillProcess})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[0].names[0]"}}},
		{"an unconditional rule replaces earlier conditional ones", func(s *runtimespec.Spec) {
			rules(s,
				runtimespec.LinuxSyscall{Names: []string{"setns"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(1, runtimespec.OpEqualTo, 0x20000, 0)}},
				runtimespec.LinuxSyscall{Names: []string{"setns"}, Action: runtimespec.ActLog})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[6].names[0]"}}},
		{"log lets the call through", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"userfaultfd"}, Action: runtimespec.ActLog})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"an unknown action lets nothing through (runc refuses it)", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"bpf"}, Action: "SCMP_ACT_MAYBE"})
		}, nil},
		{"errno values are cut to 16 bits: 65537 repeats the default EPERM, so a later allow decides", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[4].ErrnoRet = ptr(uint(65537))
			rules(s, allow("mount"))
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"kill and kill_thread are the same action", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.DefaultAction = runtimespec.ActKill
			rules(s, runtimespec.LinuxSyscall{Names: []string{"bpf"}, Action: runtimespec.ActKillThread}, allow("bpf"))
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[6].names[0]"}}},

		// Trace.
		{"trace with ptrace allowed lets the call through", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"keyctl"}, Action: runtimespec.ActTrace})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"trace without ptrace fails with ENOSYS", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[0].Names = s.Linux.Seccomp.Syscalls[0].Names[:6]
			rules(s, runtimespec.LinuxSyscall{Names: []string{"keyctl"}, Action: runtimespec.ActTrace})
		}, nil},
		{"trace by default with ptrace allowed: one finding for what no rule stops", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.DefaultAction = runtimespec.ActTrace
		}, []got{{escape, high, esc, "linux.seccomp.defaultAction"}}},
		{"ptrace allowed by an always-true filter: trace lets the call through", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[0].Names = s.Linux.Seccomp.Syscalls[0].Names[:6]
			rules(s, runtimespec.LinuxSyscall{Names: []string{"ptrace"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpGreaterEqual, 0, 0)}},
				runtimespec.LinuxSyscall{Names: []string{"keyctl"}, Action: runtimespec.ActTrace})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[6].names[0]"}}},
		{"ptrace allowed for PTRACE_TRACEME only: not proven, and no panic", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[0].Names = s.Linux.Seccomp.Syscalls[0].Names[:6]
			rules(s, runtimespec.LinuxSyscall{Names: []string{"ptrace"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpEqualTo, 0, 0)}},
				runtimespec.LinuxSyscall{Names: []string{"keyctl"}, Action: runtimespec.ActTrace})
		}, nil},

		// Argument filters.
		{"moby's clone rule admits no namespace flag", func(s *runtimespec.Spec) {}, nil},
		{"a clone mask without CLONE_NEWUSER admits user namespaces", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0].Value = cloneNamespaces &^ 0x10000000
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"a clone filter on another argument admits every flag", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(1, runtimespec.OpNotEqual, 0, 0)
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"clone flags below CLONE_NEWNS admit none", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(0, runtimespec.OpLessThan, 0x20000, 0)
		}, nil},
		{"clone flags up to CLONE_NEWNS admit it", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(0, runtimespec.OpLessEqual, 0x20000, 0)
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"clone flags equal to a value without namespace bits", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(0, runtimespec.OpEqualTo, 0x11, 0)
		}, nil},
		{"testing the flags twice makes the tests alternatives (runc splits them)", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args = append(s.Linux.Seccomp.Syscalls[2].Args, arg(0, runtimespec.OpEqualTo, 0x10000011, 0))
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"a conditional deny next to a conditional allow is not proven", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(0, runtimespec.OpNotEqual, 0, 0)
			rules(s, runtimespec.LinuxSyscall{Names: []string{"clone"}, Action: runtimespec.ActErrno, ErrnoRet: ptr(uint(38)),
				Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, 0x10000000, 0x10000000)}})
		}, nil},
		{"a conditional deny that admits no namespace flag does not stop namespace creation", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0] = arg(1, runtimespec.OpNotEqual, 0, 0)
			rules(s, runtimespec.LinuxSyscall{Names: []string{"clone"}, Action: runtimespec.ActErrno, ErrnoRet: ptr(uint(38)),
				Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, cloneNamespaces, 0)}})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"clone3 flags are out of seccomp's reach", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[3] = runtimespec.LinuxSyscall{Names: []string{"clone3"}, Action: runtimespec.ActAllow,
				Args: []runtimespec.LinuxSeccompArg{arg(1, runtimespec.OpGreaterEqual, 64, 0)}}
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[3].names[0]"}}},
		{"clone3 with an unsatisfiable filter", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[3] = runtimespec.LinuxSyscall{Names: []string{"clone3"}, Action: runtimespec.ActAllow,
				Args: []runtimespec.LinuxSeccompArg{arg(1, runtimespec.OpLessThan, 0, 0)}}
		}, nil},
		{"a mask of 0 among split filters makes the rule unconditional: it decides before a later deny", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"setns"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{
				arg(0, runtimespec.OpEqualTo, 5, 0), arg(0, runtimespec.OpMaskedEqual, 0, 0)}},
				runtimespec.LinuxSyscall{Names: []string{"setns"}, Action: runtimespec.ActKillProcess})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"a filter past the sixth argument: runc refuses the rule", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"setns"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(6, runtimespec.OpMaskedEqual, 0, 0)}})
		}, nil},
		{"s390x: moby's clone rule tests argument 1 and admits no namespace flag", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = []runtimespec.Arch{runtimespec.ArchS390X, runtimespec.ArchS390}
			s.Linux.Seccomp.Syscalls[2].Args[0].Index = 1
		}, nil},
		{"s390x: a clone rule on argument 0 leaves the flags (argument 1) free", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = []runtimespec.Arch{runtimespec.ArchS390X, runtimespec.ArchS390}
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"x86_64 and s390x: a clone rule on argument 1 leaves x86_64's flags free", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = append(s.Linux.Seccomp.Architectures, runtimespec.ArchS390X, runtimespec.ArchS390)
			s.Linux.Seccomp.Syscalls[2].Args[0].Index = 1
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[2].names[0]"}}},
		{"a mask of 0 is no filter at all", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls = slices.Insert(s.Linux.Seccomp.Syscalls, 0, runtimespec.LinuxSyscall{
				Names: []string{"unshare"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, 0, 0)}})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[0].names[0]"}}},
		{"unshare without CLONE_NEWUSER in the mask", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls = slices.Insert(s.Linux.Seccomp.Syscalls, 0, runtimespec.LinuxSyscall{
				Names: []string{"unshare"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, 0x6E0200FF, 0)}})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[0].names[0]"}}},
		{"an always-true filter admits every call", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"bpf"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpGreaterEqual, 0, 0)}})
		}, []got{{escape, high, esc, "linux.seccomp.syscalls[5].names[0]"}}},
		{"a real filter is conditional and not reported", func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"bpf"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpEqualTo, 1, 0)}})
		}, nil},

		// Notify, flags, architectures.
		{"notify delegates to an agent, not reported as allowed", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.ListenerPath = "/run/seccomp-agent.sock"
			rules(s, runtimespec.LinuxSyscall{Names: []string{"mount", "umount2"}, Action: runtimespec.ActNotify})
		}, []got{
			{notify, info, mgmt, "linux.seccomp.listenerPath"},
			{notify, info, mgmt, "linux.seccomp.syscalls[5].action"},
		}},
		{"spec allow flag", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Flags = []runtimespec.LinuxSeccompFlag{runtimespec.LinuxSeccompFlagLog, runtimespec.LinuxSeccompFlagSpecAllow}
		}, []got{{specAllow, low, xc, "linux.seccomp.flags[1]"}}},
		{"x86_64 without its compat ABIs", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = []runtimespec.Arch{runtimespec.ArchX86_64, runtimespec.ArchX86}
		}, []got{{archMissing, info, esc, "linux.seccomp.architectures"}}},
		{"aarch64 without arm", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = []runtimespec.Arch{runtimespec.ArchAARCH64}
		}, []got{{archMissing, info, esc, "linux.seccomp.architectures"}}},
		{"no architectures: the native one only, which the spec does not name", func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Architectures = nil
		}, nil},

		// LSMs.
		{"no apparmor profile on an SELinux host", func(s *runtimespec.Spec) { s.Process.ApparmorProfile = "" }, nil},
		{"neither lsm", func(s *runtimespec.Spec) { s.Process.ApparmorProfile, s.Process.SelinuxLabel = "", "" },
			[]got{{"confinement.lsm-missing", medium, esc, "process.apparmorProfile"}}},
		{"apparmor unconfined", func(s *runtimespec.Spec) { s.Process.ApparmorProfile = "unconfined" }, []got{{apparmor, medium, esc, "process.apparmorProfile"}}},
		{"no selinux label on an AppArmor host", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "" }, nil},
		{"spc_t", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "system_u:system_r:spc_t:s0" }, []got{{selinux, medium, esc, "process.selinuxLabel"}}},
		{"unconfined_t", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "unconfined_u:unconfined_r:unconfined_t:s0:c1,c2" }, []got{{selinux, medium, esc, "process.selinuxLabel"}}},
		{"level without categories", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "system_u:system_r:container_t:s0" }, []got{{selinux, medium, xc, "process.selinuxLabel"}}},
		{"every category", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "system_u:system_r:container_t:s0-s0:c0.c1023" }, []got{{selinux, medium, xc, "process.selinuxLabel"}}},
		{"no level", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "system_u:system_r:container_t" }, []got{{selinux, medium, xc, "process.selinuxLabel"}}},
		{"not a context", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "container_t" }, []got{{selinux, medium, esc, "process.selinuxLabel"}}},
		{"a range with categories is fine", func(s *runtimespec.Spec) { s.Process.SelinuxLabel = "system_u:system_r:container_t:s0-s0:c12,c34" }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(confinement.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name  string
		check *hardening.Check
		tweak func(s *runtimespec.Spec)
		want  []string
	}{
		{"clone mask without CLONE_NEWUSER", confinement.SeccompEscapeSyscalls, func(s *runtimespec.Spec) {
			s.Linux.Seccomp.Syscalls[2].Args[0].Value = cloneNamespaces &^ 0x10000000
		}, []string{`"clone" is allowed by SCMP_ACT_ALLOW with argument filters (arg 0 SCMP_CMP_MASKED_EQ 0x6e020000 == 0x0) ` +
			`that admit namespace flags CLONE_NEWUSER: it lets the container create namespaces (CLONE_NEW*), the first step of most user-namespace exploits`}},
		{"mount logged", confinement.SeccompEscapeSyscalls, func(s *runtimespec.Spec) {
			rules(s, runtimespec.LinuxSyscall{Names: []string{"mount"}, Action: runtimespec.ActLog})
		}, []string{`"mount" is allowed without argument filters by SCMP_ACT_LOG (logged, then allowed): it lets the container mount filesystems, including the host's`}},
		{"deny list names what it leaves open", confinement.SeccompAllowDefault, func(s *runtimespec.Spec) {
			sc := s.Linux.Seccomp
			sc.DefaultAction = runtimespec.ActAllow
			sc.DefaultErrnoRet = nil
			// A typical hand-written deny list.
			names := slices.DeleteFunc(confinement.EscapeSyscalls(), func(n string) bool {
				return n == "bpf" || n == "mount" || n == "unshare" || n == "clone" // clone stays conditional
			})
			sc.Syscalls = []runtimespec.LinuxSyscall{
				{Names: names, Action: runtimespec.ActErrno},
				{Names: []string{"clone"}, Action: runtimespec.ActErrno, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, 0x10000000, 0x10000000)}},
			}
		}, []string{`defaultAction is "SCMP_ACT_ALLOW": the profile is a deny list and allows every syscall no rule names; ` +
			`no rule stops 3 of the 37 escape-relevant syscalls bulwark tracks: bpf, mount, unshare`}},
		{"trace by default", confinement.SeccompEscapeSyscalls, func(s *runtimespec.Spec) {
			sc := s.Linux.Seccomp
			sc.DefaultAction = runtimespec.ActTrace
			sc.Syscalls = append(sc.Syscalls, runtimespec.LinuxSyscall{Names: slices.DeleteFunc(confinement.EscapeSyscalls(), func(n string) bool {
				return n == "keyctl" || n == "bpf"
			}), Action: runtimespec.ActErrno})
		}, []string{`defaultAction "SCMP_ACT_TRACE" lets bpf, keyctl through: the profile allows ptrace, so a process in the container can trace another and let its traced calls proceed`}},
		{"trace by default lets through what a conditional allow leaves to it", confinement.SeccompEscapeSyscalls, func(s *runtimespec.Spec) {
			sc := s.Linux.Seccomp
			sc.DefaultAction = runtimespec.ActTrace
			sc.Syscalls = append(sc.Syscalls, runtimespec.LinuxSyscall{Names: slices.DeleteFunc(confinement.EscapeSyscalls(), func(n string) bool {
				return n == "keyctl" || n == "bpf"
			}), Action: runtimespec.ActErrno},
				runtimespec.LinuxSyscall{Names: []string{"bpf"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpEqualTo, 1, 0)}})
		}, []string{`defaultAction "SCMP_ACT_TRACE" lets bpf, keyctl through: the profile allows ptrace, so a process in the container can trace another and let its traced calls proceed`}},
		{"a deny list's conditional log rule stops nothing", confinement.SeccompAllowDefault, func(s *runtimespec.Spec) {
			sc := s.Linux.Seccomp
			sc.DefaultAction = runtimespec.ActAllow
			sc.DefaultErrnoRet = nil
			sc.Syscalls = []runtimespec.LinuxSyscall{
				{Names: slices.DeleteFunc(confinement.EscapeSyscalls(), func(n string) bool { return n == "mount" }), Action: runtimespec.ActErrno},
				{Names: []string{"mount"}, Action: runtimespec.ActLog, Args: []runtimespec.LinuxSeccompArg{arg(3, runtimespec.OpEqualTo, 0, 0)}},
			}
		}, []string{`defaultAction is "SCMP_ACT_ALLOW": the profile is a deny list and allows every syscall no rule names; ` +
			`no rule stops 1 of the 37 escape-relevant syscalls bulwark tracks: mount`}},
		{"a deny list that denies clone only without namespace flags (moby's allowing mask)", confinement.SeccompAllowDefault, func(s *runtimespec.Spec) {
			sc := s.Linux.Seccomp
			sc.DefaultAction = runtimespec.ActAllow
			sc.DefaultErrnoRet = nil
			sc.Syscalls = []runtimespec.LinuxSyscall{
				{Names: slices.DeleteFunc(confinement.EscapeSyscalls(), func(n string) bool { return n == "clone" }), Action: runtimespec.ActErrno},
				{Names: []string{"clone"}, Action: runtimespec.ActErrno, Args: []runtimespec.LinuxSeccompArg{arg(0, runtimespec.OpMaskedEqual, cloneNamespaces, 0)}},
			}
		}, []string{`defaultAction is "SCMP_ACT_ALLOW": the profile is a deny list and allows every syscall no rule names; ` +
			`no rule stops 1 of the 37 escape-relevant syscalls bulwark tracks: clone`}},
		{"selinux without categories", confinement.SELinuxUnconfined, func(s *runtimespec.Spec) {
			s.Process.SelinuxLabel = "system_u:system_r:container_t:s0"
		}, []string{`selinuxLabel "system_u:system_r:container_t:s0" has level "s0" without MCS categories: every container with that level shares files (this matters only on hosts running SELinux)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			var msgs []string
			for _, f := range tt.check.Run(hardening.NewSpecSubject("config.json", spec), nil) {
				msgs = append(msgs, f.Message)
			}
			if diff := cmp.Diff(tt.want, msgs); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}

// A live subject's seccomp section is empty because its content is
// unobserved: that is not the empty section runc treats as no filter.
func TestUnobservedSeccompSection(t *testing.T) {
	spec := hardenedSpec()
	spec.Linux.Seccomp = &runtimespec.LinuxSeccomp{}
	s := hardening.NewSpecSubject("pid 1", spec)
	s.Unobserved = []string{"linux.seccomp.defaultAction", "linux.seccomp.syscalls", "linux.seccomp.architectures", "linux.seccomp.flags"}
	if fs := checktest.Each(confinement.Checks(), s); len(fs) != 0 {
		t.Errorf("findings on an unobserved filter: %v", summarize(fs))
	}
}

func TestPartialSpecsNeverPanic(t *testing.T) {
	specs := []*runtimespec.Spec{
		{},
		{Process: &runtimespec.Process{}},
		{Linux: &runtimespec.Linux{}},
		{Linux: &runtimespec.Linux{Seccomp: &runtimespec.LinuxSeccomp{Syscalls: []runtimespec.LinuxSyscall{{}, {Names: []string{""}}}}}},
		{Linux: &runtimespec.Linux{Seccomp: &runtimespec.LinuxSeccomp{DefaultAction: runtimespec.ActErrno, Syscalls: []runtimespec.LinuxSyscall{
			{Names: []string{"clone", "clone3", "unshare", "bpf"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{{Index: 99, Op: "SCMP_CMP_WHAT"}, {Index: 64}, {Index: 0}}},
		}}}},
		{Linux: &runtimespec.Linux{Seccomp: &runtimespec.LinuxSeccomp{DefaultAction: runtimespec.ActErrno, Syscalls: []runtimespec.LinuxSyscall{
			{Names: []string{"ptrace", "ptrace"}, Action: runtimespec.ActAllow, Args: []runtimespec.LinuxSeccompArg{{Index: 0, Op: runtimespec.OpEqualTo}}},
		}}}},
		{Linux: &runtimespec.Linux{Seccomp: &runtimespec.LinuxSeccomp{DefaultAction: runtimespec.ActTrace, Syscalls: slices.Repeat([]runtimespec.LinuxSyscall{
			{Names: confinement.EscapeSyscalls(), Action: runtimespec.ActLog, Args: []runtimespec.LinuxSeccompArg{{Index: 5, Op: runtimespec.OpGreaterEqual}, {Index: 5, Op: runtimespec.OpMaskedEqual, Value: 1}}},
			{Names: []string{"ptrace"}, Action: runtimespec.ActTrace, Args: []runtimespec.LinuxSeccompArg{{Index: 1 << 40}}},
		}, 5000)}}},
	}
	checks := append(confinement.Checks(), hardening.CheckFailed)
	for i, spec := range specs {
		for _, f := range checks.Check(hardening.NewSpecSubject("config.json", spec), nil) {
			if f.Check == hardening.CheckFailed.ID {
				t.Errorf("spec %d: %s", i, f.Message)
			}
		}
	}
	for _, c := range confinement.Checks() {
		c.Run(&hardening.Subject{Kind: hardening.KindOCISpec}, nil) // no spec at all
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, confinement.Checks()) }
