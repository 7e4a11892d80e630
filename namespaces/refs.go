package namespaces

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by this package's checks beyond the Pod Security
// Standards. (Names carry an ns prefix: the PSS controls of pss.go keep
// their own.)
var (
	nsRefNCC = func(class string) hardening.Reference {
		return hardening.NCC("7 " + class)
	}
	nsRefCIS      = hardening.CISDocker
	nsRefHostPath = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes hostPath volumes",
		URL: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"}
)

// References of the OCI spec checks.
var (
	nsRefNamespaces7 = hardening.Reference{Kind: hardening.RefDoc, ID: "namespaces(7)",
		URL: "https://man7.org/linux/man-pages/man7/namespaces.7.html"}
	nsRefRuntimeSpecNS = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec: Linux namespaces",
		URL: "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#namespaces"}
	nsRefUserNS7 = hardening.Reference{Kind: hardening.RefDoc, ID: "user_namespaces(7)",
		URL: "https://man7.org/linux/man-pages/man7/user_namespaces.7.html"}
	nsRefRuntimeSpecMounts = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec: mounts",
		URL: "https://github.com/opencontainers/runtime-spec/blob/main/config.md#mounts"}
	nsRefRuntimeSpecMasked = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec: masked and read-only paths",
		URL: "https://github.com/opencontainers/runtime-spec/blob/main/config-linux.md#masked-paths"}
	nsRefCVE = func(id string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefCVE, ID: id, URL: "https://nvd.nist.gov/vuln/detail/" + id}
	}
)
