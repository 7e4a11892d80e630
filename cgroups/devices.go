package cgroups

// Checks cgroups.device-cgroup-open, cgroups.device-allowed and
// cgroups.device-node: an OCI runtime spec that lets the container reach
// host devices.
//
// OCI spec fields:
//
//	linux.resources.devices[*].{allow,type,major,minor,access}
//	linux.devices[*].{path,type,major,minor}
//
// The device cgroup (linux.resources.devices) is applied in order. runc
// (and youki) evaluate the rules on top of a default-deny state and then
// append their own allow list (null, zero, full, random, urandom, tty,
// console, ptmx, pts, and mknod on every device); crun writes "a" to
// devices.deny before the rules. So an empty or absent list is
// default-deny in those runtimes, but the spec relies on it: the runtime
// spec does not require it, and a new cgroup v1 inherits the root cgroup's
// allow-all. A rule of type "a" (or no type, which means "a") stands for
// every device with every access: the kernel's cgroup v1 controller and
// runc's cgroup v2 emulation ignore its major, minor and access, so
// {allow: true, type: "a", major: 1, minor: 3} opens every device.
//
// device-cgroup-open allows: a list whose last type-"a" rule is a deny
// (Docker, containerd and `runc spec` start with {allow: false, access:
// "rwm"}). A list with no type-"a" rule at all is reported at info level,
// as relying on the runtime's default. The last allow-all rule is
// reported, at high severity.
//
// device-allowed allows: allow rules of type "c" that grant read or write
// ("m", mknod alone, grants neither) to other than the sensitive character
// devices, and no allow rule of type "b". Sensitive character devices, with
// each finding's severity: 1:1 /dev/mem, 1:2 /dev/kmem, 1:4 /dev/port
// (high); 1:11 /dev/kmsg, 10:229 /dev/fuse, 10:232 /dev/kvm, 10:237
// /dev/loop-control (medium); 10:200 /dev/net/tun (low). A missing or
// negative major or minor is a wildcard; a rule for every character device
// (c *:*) covers /dev/mem and is high, and so is one for a minor of every
// major (c *:N), which covers the SCSI generic /dev/sgN (21:N) among
// others: raw commands to a disk. Block devices (disks, partitions,
// loop devices 7:*, device-mapper) are high.
//
// device-node allows: no node of type "b", and no node of type "c" or "u"
// for a sensitive character device. A node the device cgroup as written
// denies read and write to (the last matching rule, over a default deny,
// is a deny) is reported at low severity: it cannot be opened while the
// cgroup is enforced. (runc does not add cgroup rules for linux.devices;
// Docker's --device adds both the node and the rule.)

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/ocispec"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// DeviceCgroupOpen reports OCI specs whose device cgroup allows every
// device.
var DeviceCgroupOpen = &hardening.Check{
	ID:       "cgroups.device-cgroup-open",
	Title:    "device cgroup is not default-deny",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "The device cgroup is what stops a process that can create or reach a device node from opening the host's " +
		"disks, /dev/mem or /dev/kmsg. An allow-all rule (what docker run --privileged writes) lets root in the container " +
		"mknod a host disk and mount it.",
	Remediation: "Start linux.resources.devices with {\"allow\": false, \"access\": \"rwm\"} and follow it with allow rules for " +
		"the exact character devices the workload needs; remove rules of type \"a\" that allow.",
	References: []hardening.Reference{cgCIS("5.18"), cgRefOCIDevices, cgRefCgroupDevices, cgNCCEscape},
	Run:        runDeviceCgroupOpen,
}

func runDeviceCgroupOpen(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.resources.devices") {
		return out // not observed: no verdict
	}
	if s.Spec == nil || s.Spec.Linux == nil {
		return out
	}
	var rules []runtimespec.LinuxDeviceCgroup
	if r := specResources(s); r != nil {
		rules = r.Devices
	}
	last := ocispec.AllDevicesRule(rules)
	if last < 0 {
		return append(out, hardening.Finding{
			Path:     "linux.resources.devices",
			Severity: hardening.SeverityInfo,
			Message: "the device cgroup has no deny-all rule: runc, crun and youki deny every device not allowed, " +
				"but the runtime spec does not require it and a new cgroup v1 inherits allow-all",
		})
	}
	rule := rules[last]
	if !rule.Allow {
		return out
	}
	msg := "rule " + describeRule(rule) + " allows every access to every device of the host"
	if rule.Major != nil || rule.Minor != nil || (rule.Access != "" && rule.Access != "rwm") {
		msg += " (for type \"a\" the kernel ignores the numbers and the access)"
	}
	return append(out, hardening.Finding{
		Path:    hardening.Index("linux.resources.devices", last),
		Message: msg + ", disks and /dev/mem included",
	})
}

// DeviceAllowed reports device cgroup rules that allow block devices or
// sensitive character devices.
var DeviceAllowed = &hardening.Check{
	ID:       "cgroups.device-allowed",
	Title:    "device cgroup allows a sensitive device",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Read or write access to a block device is access to the host's file systems beneath every mount and " +
		"permission; /dev/mem, /dev/kmem and /dev/port expose physical memory and I/O ports; /dev/kmsg leaks kernel " +
		"addresses; /dev/fuse, /dev/kvm and /dev/loop-control open kernel attack surface a container rarely needs.",
	Remediation: "Remove the allow rule, or narrow it to the exact character device (type, major and minor) the workload " +
		"needs; pass a file system to the container as a volume rather than its block device.",
	References: []hardening.Reference{cgCIS("5.18"), cgRefOCIDevices, cgRefDevices, cgNCCEscape},
	Run:        runDeviceAllowed,
}

func runDeviceAllowed(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.resources.devices") {
		return out // not observed: no verdict
	}
	r := specResources(s)
	if r == nil {
		return out
	}
	for i, rule := range r.Devices {
		if !rule.Allow || ocispec.IsAllDevices(rule.Type) || !grantsReadWrite(rule.Access) {
			continue
		}
		sev, what := ruleCovers(rule)
		if sev == 0 {
			continue
		}
		out = append(out, hardening.Finding{
			Path:     hardening.Index("linux.resources.devices", i),
			Severity: sev,
			Message:  "rule " + describeRule(rule) + " allows access to " + what,
		})
	}
	return out
}

// DeviceNode reports OCI specs that create block device nodes or nodes of
// sensitive character devices in the container.
var DeviceNode = &hardening.Check{
	ID:       "cgroups.device-node",
	Title:    "container gets a sensitive device node",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "linux.devices creates device nodes inside the container (docker run --device). A host disk, /dev/mem, " +
		"/dev/kmsg or /dev/kvm inside the container is one open() away from the host's data or kernel, held back only by " +
		"the device cgroup.",
	Remediation: "Remove the device from linux.devices (and its allow rule from linux.resources.devices); give the " +
		"container a volume instead of a disk.",
	References: []hardening.Reference{cgCIS("5.18"), cgRefDevices, cgNCCEscape},
	Run:        runDeviceNode,
}

func runDeviceNode(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("linux.devices") {
		return out // not observed: no verdict
	}
	if s.Spec == nil || s.Spec.Linux == nil {
		return out
	}
	var rules []runtimespec.LinuxDeviceCgroup
	if r := specResources(s); r != nil {
		rules = r.Devices
	}
	for i, d := range s.Spec.Linux.Devices {
		var sev hardening.Severity
		var what string
		switch d.Type {
		case "b":
			sev, what = hardening.SeverityHigh, blockName(d.Major)
		case "c", "u":
			if dev := sensitiveChar(d.Major, d.Minor); dev != nil {
				sev, what = dev.severity, dev.name+" ("+dev.why+")"
				if d.Path == dev.name {
					what = dev.why
				}
			}
		}
		if sev == 0 {
			continue
		}
		typ := d.Type
		if typ == "u" {
			typ = "c"
		}
		msg := "creates " + strconv.Quote(d.Path) + " (" + typ + " " +
			strconv.FormatInt(d.Major, 10) + ":" + strconv.FormatInt(d.Minor, 10) + "): " + what
		if !cgroupAllows(rules, typ[0], d.Major, d.Minor) {
			sev = hardening.SeverityLow
			msg += "; the device cgroup as written denies reading and writing it"
		}
		out = append(out, hardening.Finding{Path: hardening.Index("linux.devices", i), Severity: sev, Message: msg})
	}
	return out
}

// charDevice is a character device worth naming.
type charDevice struct {
	major, minor int64
	name, why    string
	severity     hardening.Severity
}

var sensitiveChars = [...]charDevice{
	{1, 1, "/dev/mem", "physical memory", hardening.SeverityHigh},
	{1, 2, "/dev/kmem", "kernel memory", hardening.SeverityHigh},
	{1, 4, "/dev/port", "I/O ports", hardening.SeverityHigh},
	{1, 11, "/dev/kmsg", "kernel log: leaks kernel addresses, forges host log lines", hardening.SeverityMedium},
	{10, 229, "/dev/fuse", "user-space file systems", hardening.SeverityMedium},
	{10, 232, "/dev/kvm", "hypervisor", hardening.SeverityMedium},
	{10, 237, "/dev/loop-control", "allocates loop devices", hardening.SeverityMedium},
	{10, 200, "/dev/net/tun", "TUN/TAP interfaces", hardening.SeverityLow},
}

// sensitiveChar returns the sensitive character device major:minor, or nil.
func sensitiveChar(major, minor int64) *charDevice {
	for i := range sensitiveChars {
		if sensitiveChars[i].major == major && sensitiveChars[i].minor == minor {
			return &sensitiveChars[i]
		}
	}
	return nil
}

// ruleCovers returns the highest severity among the devices an allow rule
// of type b or c covers, and names them; 0 when it covers none that matter.
func ruleCovers(rule runtimespec.LinuxDeviceCgroup) (hardening.Severity, string) {
	major, minor := wildcard(rule.Major), wildcard(rule.Minor)
	switch rule.Type {
	case "b":
		if major < 0 {
			return hardening.SeverityHigh, "every block device: the host's disks and partitions"
		}
		return hardening.SeverityHigh, blockName(major)
	case "c":
		if major < 0 && minor < 0 {
			return hardening.SeverityHigh, "every character device, /dev/mem, /dev/kmem and /dev/port included"
		}
		var sev hardening.Severity
		var names []string
		for i := range sensitiveChars {
			d := &sensitiveChars[i]
			if (major < 0 || d.major == major) && (minor < 0 || d.minor == minor) {
				sev = max(sev, d.severity)
				names = append(names, d.name+" ("+d.why+")")
			}
		}
		if major < 0 {
			what := "character device minor " + strconv.FormatInt(minor, 10) + " of every major, raw SCSI access to a disk (/dev/sg" +
				strconv.FormatInt(minor, 10) + ") included"
			if len(names) > 0 {
				what += ", and " + strings.Join(names, ", ")
			}
			return hardening.SeverityHigh, what
		}
		return sev, strings.Join(names, ", ")
	}
	return 0, ""
}

// cgroupAllows reports whether the rules, over a default deny, let the
// device be read or written: the last rule that matches it decides.
func cgroupAllows(rules []runtimespec.LinuxDeviceCgroup, typ byte, major, minor int64) bool {
	allowed := false
	for _, r := range rules {
		if ocispec.IsAllDevices(r.Type) {
			allowed = r.Allow
			continue
		}
		if len(r.Type) != 1 || r.Type[0] != typ || !grantsReadWrite(r.Access) {
			continue
		}
		if m := wildcard(r.Major); m >= 0 && m != major {
			continue
		}
		if m := wildcard(r.Minor); m >= 0 && m != minor {
			continue
		}
		allowed = r.Allow
	}
	return allowed
}

// grantsReadWrite reports whether an access string grants read or write.
// An empty access is taken as "rwm" (runc rejects it; others may not).
func grantsReadWrite(access string) bool {
	return access == "" || strings.ContainsAny(access, "rw")
}

// wildcard returns the number, or -1 for an absent or negative one.
func wildcard(p *int64) int64 {
	if p == nil || *p < 0 {
		return -1
	}
	return *p
}

// blockName names a block device major.
func blockName(major int64) string {
	var what string
	switch major {
	case 7:
		what = "loop devices"
	case 8:
		what = "SCSI and SATA disks"
	case 9:
		what = "md RAID arrays"
	case 179:
		what = "MMC and SD cards"
	case 259:
		what = "NVMe and other extended block devices"
	default:
		return "block device major " + strconv.FormatInt(major, 10) + ", the host's storage"
	}
	return "block device major " + strconv.FormatInt(major, 10) + " (" + what + "), the host's storage"
}

// describeRule renders a device cgroup rule as JSON-like text.
func describeRule(r runtimespec.LinuxDeviceCgroup) string {
	b := "{allow: " + strconv.FormatBool(r.Allow)
	if r.Type != "" {
		b += ", type: " + strconv.Quote(r.Type)
	}
	if r.Major != nil {
		b += ", major: " + strconv.FormatInt(*r.Major, 10)
	}
	if r.Minor != nil {
		b += ", minor: " + strconv.FormatInt(*r.Minor, 10)
	}
	if r.Access != "" {
		b += ", access: " + strconv.Quote(r.Access)
	}
	return b + "}"
}
