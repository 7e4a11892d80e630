package hardening

import (
	"fmt"
	"strings"
)

// Severity ranks findings. The zero value means "unset": a check's findings
// without their own severity take the check's.
type Severity uint8

// Severities, ordered so that a threshold is a comparison.
const (
	SeverityInfo Severity = iota + 1
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

var severityNames = [...]string{"", "info", "low", "medium", "high", "critical"}

// String returns the lower-case name ("info" … "critical"), or
// "severity(N)" for a value outside the range.
func (s Severity) String() string {
	if int(s) < len(severityNames) && s != 0 {
		return severityNames[s]
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// ParseSeverity parses a lower- or upper-case severity name.
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames {
		if i > 0 && strings.EqualFold(n, name) {
			return Severity(i), nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", name)
}

// MarshalText encodes the severity as its name.
func (s Severity) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(severityNames) {
		return nil, fmt.Errorf("invalid severity %d", uint8(s))
	}
	return []byte(severityNames[s]), nil
}

// UnmarshalText decodes a severity name.
func (s *Severity) UnmarshalText(text []byte) error {
	v, err := ParseSeverity(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Class is the attack class a missing control opens, after NCC Group's
// "Understanding and Hardening Linux Containers", section 7.
type Class uint8

// Attack classes.
const (
	// ClassEscape: the process leaves its container for the host.
	ClassEscape Class = iota + 1
	// ClassCrossContainer: one container attacks another.
	ClassCrossContainer
	// ClassInnerContainer: attacks on the application inside the container.
	ClassInnerContainer
	// ClassResourceExhaustion: denial of service through shared kernel resources.
	ClassResourceExhaustion
	// ClassManagement: attacks on the engine, image repository or orchestrator.
	ClassManagement
)

var classNames = [...]string{"", "escape", "cross-container", "inner-container", "resource-exhaustion", "management"}

// String returns the lower-case, hyphenated name of the class.
func (c Class) String() string {
	if int(c) < len(classNames) && c != 0 {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", uint8(c))
}

// ParseClass parses a class name such as "cross-container".
func ParseClass(name string) (Class, error) {
	for i, n := range classNames {
		if i > 0 && strings.EqualFold(n, name) {
			return Class(i), nil
		}
	}
	return 0, fmt.Errorf("unknown attack class %q", name)
}

// MarshalText encodes the class as its name.
func (c Class) MarshalText() ([]byte, error) {
	if c == 0 || int(c) >= len(classNames) {
		return nil, fmt.Errorf("invalid class %d", uint8(c))
	}
	return []byte(classNames[c]), nil
}

// UnmarshalText decodes a class name.
func (c *Class) UnmarshalText(text []byte) error {
	v, err := ParseClass(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Kind is the kind of input a subject holds. Kinds are bits so a check can
// read several: KindPod|KindOCISpec.
type Kind uint8

// Input kinds.
const (
	// KindPod is a Kubernetes Pod, or a workload's pod template lifted into one.
	KindPod Kind = 1 << iota
	// KindOCISpec is an OCI runtime spec (config.json).
	KindOCISpec
	// KindImage is an OCI image config.
	KindImage

	// KindPolicy is a suppression policy file ([Policy]). No check reads
	// it; the runner's warnings about its entries are its findings.
	KindPolicy
	// KindObject is a Kubernetes object that is not a workload: a
	// Namespace, ServiceAccount, Role, ClusterRole, RoleBinding,
	// ClusterRoleBinding, NetworkPolicy, LimitRange, ResourceQuota,
	// Service, ConfigMap or Secret ([Subject.Object]).
	KindObject

	// KindAll is every input kind checks read.
	KindAll = KindPod | KindOCISpec | KindImage | KindObject
)

var kindNames = [...]struct {
	kind Kind
	name string
}{{KindPod, "pod"}, {KindOCISpec, "oci-spec"}, {KindImage, "image"}, {KindPolicy, "policy"}, {KindObject, "object"}}

// String returns "pod", "oci-spec" or "image"; a combination is joined with
// "|" ("pod|oci-spec").
func (k Kind) String() string {
	for _, n := range kindNames {
		if k == n.kind {
			return n.name
		}
	}
	return strings.Join(k.Names(), "|")
}

// Names lists the single kinds in k, in the order pod, oci-spec, image.
func (k Kind) Names() []string {
	var names []string
	for _, n := range kindNames {
		if k&n.kind != 0 {
			names = append(names, n.name)
		}
	}
	return names
}

// ParseKind parses a single kind name.
func ParseKind(name string) (Kind, error) {
	for _, n := range kindNames {
		if strings.EqualFold(n.name, name) {
			return n.kind, nil
		}
	}
	return 0, fmt.Errorf("unknown input kind %q (want pod, oci-spec or image)", name)
}

// MarshalText encodes a single kind as its name.
func (k Kind) MarshalText() ([]byte, error) {
	for _, n := range kindNames {
		if k == n.kind {
			return []byte(n.name), nil
		}
	}
	return nil, fmt.Errorf("kind %d is not a single input kind", uint8(k))
}

// UnmarshalText decodes a single kind name.
func (k *Kind) UnmarshalText(text []byte) error {
	v, err := ParseKind(string(text))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// ReferenceKind names the body a [Reference] points into.
type ReferenceKind string

// Reference kinds.
const (
	RefCIS ReferenceKind = "cis-docker" // CIS Docker Benchmark item, e.g. "5.4"
	RefPSS ReferenceKind = "pss"        // Pod Security Standards control, e.g. "baseline/capabilities"
	RefNCC ReferenceKind = "ncc"        // NCC Group, Understanding and Hardening Linux Containers, §7 class
	RefCVE ReferenceKind = "cve"        // a CVE identifier
	RefDoc ReferenceKind = "doc"        // any other document (man page, runtime docs)
)

// Reference points at the standard, advisory or document behind a check.
type Reference struct {
	Kind ReferenceKind `json:"kind"`
	ID   string        `json:"id"`
	URL  string        `json:"url,omitempty"`
}

// CISDocker returns the reference to an item of the CIS Docker Benchmark
// (v1.6.0 numbering), the kind the cis-docker profile
// (bulwark.CISDockerProfile) is built from.
func CISDocker(item string) Reference {
	return Reference{Kind: RefCIS, ID: item, URL: "https://www.cisecurity.org/benchmark/docker"}
}

// NCC returns a reference to a section of NCC Group's "Understanding and
// Hardening Linux Containers", by which every check names its attack class
// ("7 container escape").
func NCC(section string) Reference {
	return Reference{Kind: RefNCC, ID: section, URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"}
}

// String renders the reference as "<kind> <id>".
func (r Reference) String() string { return string(r.Kind) + " " + r.ID }
