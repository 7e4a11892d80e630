package cgroups

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by the checks of this package.
var (
	cgCIS = func(item string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefCIS, ID: item, URL: "https://www.cisecurity.org/benchmark/docker"}
	}
	cgRefResources = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes resource management for pods and containers",
		URL: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"}
	cgRefEphemeralStorage = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes local ephemeral storage",
		URL: "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage"}
	cgNCC = hardening.Reference{Kind: hardening.RefNCC, ID: "7 resource exhaustion",
		URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"}
)
