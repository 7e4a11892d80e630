package network

import "github.com/bulwarkdev/bulwark/hardening"

// Checks returns the checks of this package beyond the Pod Security
// Standards (see [PSSControls] for those), sorted by ID. The slice is new on
// every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		EgressToAnyAddress,
		EgressToMetadata,
		HostAliases,
		HostNetwork,
		HostPodExposed,
		IngressFromAllNamespaces,
		IPCSysctlWithoutIPCns,
		NamespaceWithoutDefaultDeny,
		NetDevices,
		NetSysctlWithoutNetns,
		PodNotIsolated,
		PolicyRejected,
		PolicySelectsNothing,
		RawAdminSharedNetns,
		ServiceExposed,
		ServiceExternalIPs,
		UnsafeSysctl,
	}
}
