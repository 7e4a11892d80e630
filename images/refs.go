package images

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by the checks of this package.
var (
	imCIS = hardening.CISDocker
	imNCC = func(class string) hardening.Reference {
		return hardening.Reference{Kind: hardening.RefNCC, ID: "7 " + class,
			URL: "https://www.nccgroup.com/media/eoxggcfy/_ncc_group_understanding_hardening_linux_containers-1-1.pdf"}
	}
	imRefImages = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes images", URL: "https://kubernetes.io/docs/concepts/containers/images/"}
)
