package capabilities

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by the checks of this package.
var (
	refPSSBaseline   = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"
	refPSSRestricted = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"
	refCapabilities7 = hardening.Reference{Kind: hardening.RefDoc, ID: "capabilities(7)", URL: "https://man7.org/linux/man-pages/man7/capabilities.7.html"}
	refNCCEscape     = hardening.NCC("7 container escape")
	refCIS           = hardening.CISDocker
)

// isPrivileged reports whether a Pod container runs privileged.
func isPrivileged(c hardening.PodContainer) bool {
	sc := c.SecurityContext
	return sc != nil && sc.Privileged != nil && *sc.Privileged
}
