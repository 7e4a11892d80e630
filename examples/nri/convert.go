package main

import (
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/containerd/nri/pkg/api"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// Unobserved lists the OCI runtime spec paths NRI (v0.12) never exposes to
// plugins. Every subject from [Subject] carries them in Unobserved.
var Unobserved = []string{
	"process.capabilities",
	"process.noNewPrivileges",
	"process.apparmorProfile",
	"process.selinuxLabel",
	"process.user.umask",
	"process.user.username",
	"root",
	"linux.maskedPaths",
	"linux.readonlyPaths",
	"linux.uidMappings",
	"linux.gidMappings",
	"linux.mountLabel",
	"linux.rootfsPropagation",
	"linux.personality",
}

// Subject builds the audit subject of a container about to be created:
// the OCI spec as far as NRI exposes it, with the paths it does not in
// Unobserved. It is named Container/<namespace>/<pod>/<container>.
func Subject(pod *api.PodSandbox, ctr *api.Container) *hardening.Subject {
	spec, unobserved := Spec(ctr)
	name := hardening.ObjectName("Container", pod.GetNamespace(), pod.GetName()+"/"+ctr.GetName())
	s := hardening.NewSpecSubject(name, spec)
	s.Source = "nri"
	s.Unobserved = unobserved
	return s
}

// Spec converts what NRI exposes of a container into an OCI runtime spec,
// using NRI's own conversions, and returns the paths it could not fill:
// [Unobserved], plus process.user when the runtime sent no user and
// linux.seccomp when it sent no seccomp policy for a container that has a
// filter or may have one (runtimes that predate those fields in NRI's API
// send neither).
func Spec(ctr *api.Container) (*runtimespec.Spec, []string) {
	unobserved := append([]string(nil), Unobserved...)
	s := &runtimespec.Spec{
		Version:     runtimespec.Version,
		Annotations: ctr.GetAnnotations(),
		Process: &runtimespec.Process{
			Args: ctr.GetArgs(),
			Env:  ctr.GetEnv(),
		},
		Linux: &runtimespec.Linux{},
	}
	if u := ctr.GetUser(); u != nil {
		s.Process.User = runtimespec.User{UID: u.Uid, GID: u.Gid, AdditionalGids: u.AdditionalGids}
	} else {
		unobserved = append(unobserved, "process.user")
	}
	for _, r := range ctr.GetRlimits() {
		s.Process.Rlimits = append(s.Process.Rlimits, runtimespec.POSIXRlimit{Type: r.Type, Hard: r.Hard, Soft: r.Soft})
	}
	for _, m := range ctr.GetMounts() {
		s.Mounts = append(s.Mounts, m.ToOCI(nil))
	}
	if h := ctr.GetHooks(); h != nil {
		s.Hooks = &runtimespec.Hooks{
			Prestart:        hooks(h.Prestart),
			CreateRuntime:   hooks(h.CreateRuntime),
			CreateContainer: hooks(h.CreateContainer),
			StartContainer:  hooks(h.StartContainer),
			Poststart:       hooks(h.Poststart),
			Poststop:        hooks(h.Poststop),
		}
	}

	l := ctr.GetLinux()
	if l == nil {
		// No Linux section at all: nothing below is known.
		return s, append(unobserved, "linux", "process.oomScoreAdj", "process.scheduler", "process.ioPriority")
	}
	for _, ns := range l.GetNamespaces() {
		s.Linux.Namespaces = append(s.Linux.Namespaces, runtimespec.LinuxNamespace{Type: runtimespec.LinuxNamespaceType(ns.Type), Path: ns.Path})
	}
	for _, d := range l.GetDevices() {
		s.Linux.Devices = append(s.Linux.Devices, d.ToOCI())
	}
	s.Linux.Resources = l.GetResources().ToOCI()
	s.Linux.CgroupsPath = l.GetCgroupsPath()
	s.Linux.Sysctl = l.GetSysctl()
	if len(l.GetNetDevices()) > 0 {
		s.Linux.NetDevices = api.ToOCILinuxNetDevices(l.GetNetDevices())
	}
	if adj := l.GetOomScoreAdj(); adj != nil {
		v := int(adj.GetValue())
		s.Process.OOMScoreAdj = &v
	}
	s.Process.Scheduler = l.GetScheduler().ToOCI()
	s.Process.IOPriority = l.GetIoPriority().ToOCI()

	switch p := l.GetSeccompPolicy(); {
	case p != nil:
		s.Linux.Seccomp = seccomp(p)
	case l.GetSeccompProfile() == nil:
		// Neither profile nor policy: the runtime does not send them, so
		// the absence of a policy says nothing.
		unobserved = append(unobserved, "linux.seccomp")
	case l.GetSeccompProfile().GetProfileType() == api.SecurityProfile_UNCONFINED:
		// Unconfined: no filter, as linux.seccomp absent says.
	default:
		// A profile is applied but its rules were not sent.
		unobserved = append(unobserved, "linux.seccomp")
	}
	return s, unobserved
}

func hooks(in []*api.Hook) []runtimespec.Hook {
	var out []runtimespec.Hook
	for _, h := range in {
		out = append(out, h.ToOCI())
	}
	return out
}

func seccomp(p *api.LinuxSeccomp) *runtimespec.LinuxSeccomp {
	o := &runtimespec.LinuxSeccomp{
		DefaultAction:    runtimespec.LinuxSeccompAction(p.DefaultAction),
		ListenerPath:     p.ListenerPath,
		ListenerMetadata: p.ListenerMetadata,
		Syscalls:         api.ToOCILinuxSyscalls(p.Syscalls),
	}
	if e := p.GetDefaultErrno(); e != nil {
		v := uint(e.GetValue())
		o.DefaultErrnoRet = &v
	}
	for i := range o.Syscalls {
		if len(o.Syscalls[i].Args) == 0 {
			o.Syscalls[i].Args = nil // NRI makes an empty slice of no arguments
		}
	}
	for _, a := range p.Architectures {
		o.Architectures = append(o.Architectures, runtimespec.Arch(a))
	}
	for _, f := range p.Flags {
		o.Flags = append(o.Flags, runtimespec.LinuxSeccompFlag(f))
	}
	return o
}

// Observed is a [hardening.Checker] that runs checks and drops the findings
// at paths the subject did not observe: a check that reads an unobserved
// field sees it empty and would report what it cannot know.
func Observed(checks hardening.Checker) hardening.Checker {
	return hardening.CheckerFunc(func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		start := len(out)
		out = checks.Check(s, out)
		kept := out[:start]
		for _, f := range out[start:] {
			if s.Observed(f.Path) {
				kept = append(kept, f)
			}
		}
		clear(out[len(kept):])
		return kept
	})
}
