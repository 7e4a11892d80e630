package cgroups

import "github.com/bulwarkdev/bulwark/hardening"

// Checks returns the checks of this package, sorted by ID. The slice is new
// on every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		CPULimitMissing,
		CPURequestMissing,
		DeviceAllowed,
		DeviceCgroupOpen,
		DeviceNode,
		EphemeralStorageLimitMissing,
		MemoryLimitMissing,
		MemoryRequestMissing,
		NamespaceLimitsMissing,
		OOMScoreAdj,
		PidsLimitMissing,
		RealtimeScheduling,
		RlimitsUnbounded,
		SwapUnbounded,
	}
}
