package capabilities

// Check capabilities.dangerous: a capability beyond what a container needs
// is granted.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.capabilities.add[*]
//
// Allowed values: capabilities of the runtime default set other than
// NET_RAW and MKNOD (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL,
// NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). Adding
// ALL is reported as SYS_ADMIN. A privileged container's added
// capabilities are reported too, as they survive the removal of
// privileged. Capabilities a container keeps by not dropping them are left
// to capabilities.drop-all-missing.
//
// OCI spec fields:
//
//	process.capabilities.{bounding,effective,permitted,inheritable,ambient}[*]
//
// Allowed values: as for Pods. Each capability is reported once, at the
// first set that holds it in the order above. A spec whose bounding set
// holds every capability is left to capabilities.privileged.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
)

// Risk is what one capability lets a container do, and how bad that is.
type Risk struct {
	Severity hardening.Severity
	Class    hardening.Class
	// Why says what the capability enables, in a phrase.
	Why string
}

// risks ranks every capability outside the harmless part of the runtime
// default set.
var risks = map[Capability]Risk{
	SysAdmin:          {hardening.SeverityCritical, hardening.ClassEscape, "mount filesystems, cgroup release_agent and a host of other root-only operations: the classic container escape"},
	SysModule:         {hardening.SeverityHigh, hardening.ClassEscape, "load kernel modules into the host kernel"},
	SysRawio:          {hardening.SeverityHigh, hardening.ClassEscape, "raw I/O ports and /dev/mem: read and write host memory"},
	SysPtrace:         {hardening.SeverityHigh, hardening.ClassEscape, "trace and inject code into any process it can see"},
	DacReadSearch:     {hardening.SeverityHigh, hardening.ClassEscape, "open_by_handle_at: open any host file by handle (the Shocker escape)"},
	BPF:               {hardening.SeverityHigh, hardening.ClassEscape, "load BPF programs and maps, reading kernel memory"},
	Perfmon:           {hardening.SeverityHigh, hardening.ClassEscape, "perf monitoring of the kernel and other processes"},
	MacAdmin:          {hardening.SeverityHigh, hardening.ClassEscape, "change the AppArmor or SELinux policy that confines containers"},
	MacOverride:       {hardening.SeverityHigh, hardening.ClassEscape, "override mandatory access control"},
	SysBoot:           {hardening.SeverityHigh, hardening.ClassEscape, "kexec_load a new kernel on the host"},
	Syslog:            {hardening.SeverityHigh, hardening.ClassEscape, "read the kernel log and kernel addresses, defeating KASLR"},
	NetAdmin:          {hardening.SeverityMedium, hardening.ClassCrossContainer, "reconfigure interfaces, routes and firewall of its network namespace (the host's with host networking)"},
	SysTime:           {hardening.SeverityMedium, hardening.ClassEscape, "set the host clock, which is not namespaced"},
	SysResource:       {hardening.SeverityMedium, hardening.ClassResourceExhaustion, "override resource limits and quotas"},
	AuditControl:      {hardening.SeverityMedium, hardening.ClassEscape, "change the host's audit rules"},
	SysPacct:          {hardening.SeverityMedium, hardening.ClassEscape, "switch host process accounting on and off"},
	CheckpointRestore: {hardening.SeverityMedium, hardening.ClassEscape, "choose PIDs and checkpoint-restore processes"},
	IpcOwner:          {hardening.SeverityMedium, hardening.ClassCrossContainer, "bypass permission checks on IPC objects"},
	LinuxImmutable:    {hardening.SeverityMedium, hardening.ClassInnerContainer, "set and clear the immutable and append-only flags"},
	SysTtyConfig:      {hardening.SeverityMedium, hardening.ClassEscape, "vhangup and privileged ioctls on terminals"},
	AuditRead:         {hardening.SeverityLow, hardening.ClassEscape, "read the host's audit log"},
	IpcLock:           {hardening.SeverityLow, hardening.ClassResourceExhaustion, "lock unbounded memory"},
	SysNice:           {hardening.SeverityLow, hardening.ClassResourceExhaustion, "raise priorities and set real-time scheduling, starving neighbours"},
	WakeAlarm:         {hardening.SeverityLow, hardening.ClassResourceExhaustion, "set alarms that wake the host"},
	BlockSuspend:      {hardening.SeverityLow, hardening.ClassResourceExhaustion, "keep the host from suspending"},
	Lease:             {hardening.SeverityLow, hardening.ClassInnerContainer, "take leases on files it does not own"},
	NetBroadcast:      {hardening.SeverityLow, hardening.ClassCrossContainer, "broadcast and listen to multicast"},
	NetRaw:            {hardening.SeverityLow, hardening.ClassCrossContainer, "craft raw packets: ARP and DNS spoofing of neighbours on the same bridge"},
	Mknod:             {hardening.SeverityLow, hardening.ClassEscape, "create device nodes (only the device cgroup stands between it and host disks)"},
}

// RiskOf returns what c enables and how severe bulwark ranks it; ok is false
// for capabilities bulwark considers harmless in a container (the rest of
// the runtime default set).
func RiskOf(c Capability) (risk Risk, ok bool) {
	risk, ok = risks[c]
	return risk, ok
}

// Dangerous reports capabilities that enable escape, attacks on neighbours
// or resource exhaustion: added to a Pod container, or present in an OCI
// spec. Each finding carries the capability's own severity and class.
var Dangerous = &hardening.Check{
	ID:       "capabilities.dangerous",
	Title:    "dangerous capability granted",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "Capabilities split root's power into pieces; a few pieces (SYS_ADMIN, SYS_MODULE, DAC_READ_SEARCH, SYS_PTRACE…) are each enough " +
		"to leave the container, and others let it spoof its neighbours' traffic or exhaust the host.",
	Remediation: "Drop ALL capabilities and add back only those the workload needs; never SYS_ADMIN.",
	References: []hardening.Reference{
		refCIS("5.4"),
		{Kind: hardening.RefPSS, ID: "baseline/capabilities", URL: refPSSBaseline},
		refCapabilities7,
		refNCCEscape,
	},
	Run: runDangerous,
	Fix: fixDangerous,
}

func runDangerous(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	switch s.Kind {
	case hardening.KindPod:
		if s.WindowsPod() {
			return out
		}
		for c := range s.Containers {
			// A privileged container's added capabilities are reported
			// too: they survive the removal of privileged.
			if c.SecurityContext == nil || c.SecurityContext.Capabilities == nil {
				continue
			}
			for i, name := range c.SecurityContext.Capabilities.Add {
				var (
					cp  Capability
					msg string
				)
				if IsAll(string(name)) {
					cp, msg = SysAdmin, "adds ALL capabilities, SYS_ADMIN among them: "
				} else if known, ok := Parse(string(name)); ok {
					cp, msg = known, "adds "+known.String()+": "
				} else {
					continue // capabilities.unknown-name
				}
				risk, ok := risks[cp]
				if !ok {
					continue
				}
				out = append(out, hardening.Finding{
					Severity:  risk.Severity,
					Class:     risk.Class,
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.capabilities.add["+strconv.Itoa(i)+"]"),
					Message:   "container " + strconv.Quote(c.Name) + " " + msg + risk.Why,
				})
			}
		}
	case hardening.KindOCISpec:
		if s.Spec == nil || s.Spec.Process == nil || s.Spec.Process.Capabilities == nil {
			return out
		}
		if bounding, _ := ociBounding(s); bounding.Contains(Legacy) {
			return out // capabilities.privileged
		}
		var seen Set
		for _, set := range ocispec.CapSets(s.Spec.Process.Capabilities) {
			for i, name := range set.Names {
				cp, ok := Parse(name)
				if !ok || seen.Has(cp) {
					continue
				}
				seen = seen.With(cp)
				risk, ok := risks[cp]
				if !ok {
					continue
				}
				out = append(out, hardening.Finding{
					Severity: risk.Severity,
					Class:    risk.Class,
					Path:     "process.capabilities." + set.Field + "[" + strconv.Itoa(i) + "]",
					Message:  "the " + set.Field + " set holds " + cp.OCIName() + ": " + risk.Why,
				})
			}
		}
	}
	return out
}
