package namespaces

import "github.com/bulwarkdev/bulwark/hardening"

// Checks returns the checks of this package beyond the Pod Security
// Standards (see [PSSControls] for those), sorted by ID. The slice is new on
// every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		HostUsers,
		MaskedPathsIncomplete,
		MountOptions,
		MountPropagation,
		NamespaceJoined,
		NamespaceMissing,
		ProcFDPath,
		ProcSysMount,
		ReadonlyPathsIncomplete,
		RootMappedToHostRoot,
		SensitiveHostPath,
		ShareProcessNamespace,
		UserNamespaceMissing,
		WritableHostPath,
		WritableRootFilesystem,
	}
}
