package namespaces

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by this package's checks beyond the Pod Security
// Standards. (Names carry an ns prefix: the PSS controls of pss.go keep
// their own.)
var (
	nsRefNCC = func(class string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefNCC, ID: "7 " + class,
			URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"}
	}
	nsRefCIS = func(item string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefCIS, ID: item, URL: "https://www.cisecurity.org/benchmark/docker"}
	}
	nsRefHostPath = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes hostPath volumes",
		URL: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath"}
)

// windowsPod reports whether the Pod declares spec.os.name: windows, where
// Linux namespaces, mount propagation and read-only root filesystems do not
// apply.
func windowsPod(s *hardening.Subject) bool {
	return s.Pod != nil && s.Pod.Spec.OS != nil && s.Pod.Spec.OS.Name == "windows"
}
