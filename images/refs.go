package images

import "github.com/bulwarkdev/bulwark/hardening"

// References shared by the checks of this package.
var (
	imCIS = hardening.CISDocker
	imNCC = func(class string) hardening.Reference {
		return hardening.NCC("7 " + class)
	}
	imRefImages = hardening.Reference{Kind: hardening.RefDoc, ID: "Kubernetes images", URL: "https://kubernetes.io/docs/concepts/containers/images/"}
)
