package namespaces

// Check namespaces.writable-root-filesystem: a container can write to its
// image's root filesystem.
//
// Pod fields:
//
//	spec.{initContainers,containers,ephemeralContainers}[*].securityContext.readOnlyRootFilesystem
//
// Allowed values: true. Unset means false. Windows pods
// (spec.os.name: windows) are skipped: the API forbids the field there.
//
// OCI spec fields:
//
//	root.readonly
//
// Allowed values: true. A missing root section counts as writable. Specs
// for other platforms are skipped.

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

// WritableRootFilesystem reports Pod containers and OCI specs whose root
// filesystem is writable.
var WritableRootFilesystem = &hardening.Check{
	ID:       "namespaces.writable-root-filesystem",
	Title:    "root filesystem is writable",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindPod | hardening.KindOCISpec,
	Rationale: "A writable root filesystem lets an attacker who runs code in the container replace its binaries and libraries, " +
		"drop tools and persist across processes; a read-only one confines writes to the volumes the application declares.",
	Remediation: "Set securityContext.readOnlyRootFilesystem: true (docker run --read-only, OCI root.readonly: true) and mount an emptyDir " +
		"or tmpfs where the application must write (/tmp, caches).",
	References: []hardening.Reference{
		nsRefCIS("5.13"),
		{Kind: hardening.RefDoc, ID: "Kubernetes security context", URL: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/"},
		nsRefNCC("inner-container"),
	},
	Run: runWritableRootFilesystem,
	Fix: fixReadOnlyRoot,
}

func runWritableRootFilesystem(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Kind == hardening.KindOCISpec {
		spec := s.LinuxSpec()
		switch {
		case spec == nil:
		case spec.Root == nil:
			out = append(out, hardening.Finding{Path: "root.readonly", Message: "the spec has no root section, so root.readonly is unset: the root filesystem is writable"})
		case !spec.Root.Readonly:
			msg := "root.readonly is false: the container can write to its root filesystem"
			if spec.Root.Path != "" {
				msg += " " + strconv.Quote(spec.Root.Path)
			}
			out = append(out, hardening.Finding{Path: "root.readonly", Message: msg})
		}
		return out
	}
	if s.WindowsPod() {
		return out
	}
	for c := range s.Containers {
		var ro *bool
		if c.SecurityContext != nil {
			ro = c.SecurityContext.ReadOnlyRootFilesystem
		}
		if ro != nil && *ro {
			continue
		}
		msg := "container " + strconv.Quote(c.Name)
		if ro == nil {
			msg += " does not set readOnlyRootFilesystem, so its root filesystem is writable"
		} else {
			msg += " sets readOnlyRootFilesystem: false"
		}
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, "securityContext.readOnlyRootFilesystem"),
			Message:   msg,
		})
	}
	return out
}
