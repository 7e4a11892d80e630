package cgroups

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by the checks of this package.
var (
	cgCIS          = hardening.CISDocker
	cgRefResources = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes resource management for pods and containers",
		URL: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"}
	cgRefEphemeralStorage = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes local ephemeral storage",
		URL: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage"}
	cgRefOCIResources = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec, Linux control groups",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#control-groups"}
	cgRefOCIDevices = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec, allowed device list",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config-linux.md#allowed-device-list"}
	cgRefCgroupDevices = hardening.Reference{Kind: hardening.RefDoc, ID: "Linux device whitelist controller (cgroup v1)",
		URL: "https://docs.kernel.org/admin-guide/cgroup-v1/devices.html"}
	cgRefDevices = hardening.Reference{Kind: hardening.RefDoc, ID: "Linux allocated devices",
		URL: "https://docs.kernel.org/admin-guide/devices.html"}
	cgRefOCIProcess = hardening.Reference{Kind: hardening.RefDoc, ID: "OCI runtime spec, process",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config.md#process"}
	cgNCCEscape = hardening.NCC("7 container escape")
	cgNCC       = hardening.NCC("7 resource exhaustion")
)
