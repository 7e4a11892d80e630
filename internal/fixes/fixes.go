// Package fixes holds what the checks' fixes (hardening.Check.Fix) of
// several concern packages share: finding the Pod container a path is
// about, and the decisions users give.
package fixes

import (
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// WindowsWhy is why a fix leaves a Windows pod's Linux security field to
// its owner.
const WindowsWhy = "a Windows pod cannot set Linux security fields (the API server refuses them): change it by hand"

// Container returns the Pod container whose field path holds path.
func Container(s *hardening.Subject, path string) (hardening.PodContainer, bool) {
	var found hardening.PodContainer
	ok := false
	for c := range s.Containers {
		base := s.ContainerPath(c, "")
		if path == base || strings.HasPrefix(path, base+".") {
			found, ok = c, true
			break
		}
	}
	return found, ok
}

// Remove reports whether a decision is to remove the field: "remove",
// "delete", "drop", "false" or "no".
func Remove(decision string) bool {
	switch strings.ToLower(strings.TrimSpace(decision)) {
	case "remove", "delete", "drop", "false", "no":
		return true
	}
	return false
}

// Privileged reports whether a container sets privileged: true.
func Privileged(c hardening.PodContainer) bool {
	sc := c.SecurityContext
	return sc != nil && sc.Privileged != nil && *sc.Privileged
}

// AddsSysAdminExactly reports whether a container adds "CAP_SYS_ADMIN",
// spelt so: the API server rejects allowPrivilegeEscalation: false beside
// it (and beside privileged: true).
func AddsSysAdminExactly(c hardening.PodContainer) bool {
	if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
		for _, a := range sc.Capabilities.Add {
			if a == "CAP_SYS_ADMIN" {
				return true
			}
		}
	}
	return false
}
