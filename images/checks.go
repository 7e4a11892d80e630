package images

import "github.com/bulwarkdev/bulwark/hardening"

// Checks returns the checks of this package, sorted by ID. The slice is new
// on every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		BaseNotPinned,
		CredentialFile,
		CurlPipeShell,
		DeviceNode,
		DigestMissing,
		ExtraRootUser,
		FileCapabilities,
		HealthcheckMissing,
		LatestTag,
		LinkEscape,
		NamedUser,
		PackageCache,
		PackageManagerPresent,
		PrivateKey,
		PullPolicyNotAlways,
		RemoteAdd,
		SecretAsEnv,
		SecretInConfig,
		SecretInConfigMap,
		SecretInEnv,
		SensitivePort,
		SetuidFile,
		ShadowEmptyPassword,
		ShellPresent,
		Sudo,
		UnpinnedUpgrade,
		WorldWritable,
	}
}
