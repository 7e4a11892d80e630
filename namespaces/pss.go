package namespaces

// The Pod Security Standards controls on isolation, with the semantics of
// Kubernetes' Pod Security Admission (k8s.io/pod-security-admission
// v0.37.2), version by version. Containers means init, regular and
// ephemeral containers.
//
//	hostNamespaces (baseline, 1.0+)
//	    spec.hostNetwork, spec.hostPID, spec.hostIPC: false or unset
//	hostPathVolumes (baseline, 1.0+)
//	    spec.volumes[*].hostPath: unset
//	restrictedVolumes (restricted, 1.0+, replaces hostPathVolumes)
//	    spec.volumes[*]: configMap, csi, downwardAPI, emptyDir, ephemeral, image,
//	    persistentVolumeClaim, projected or secret. A volume with no source
//	    counts as emptyDir: the API server defaults it so before Pod Security
//	    Admission sees the pod (Kubernetes' own fixtures expect it to pass).
//	procMount (baseline, 1.0+)
//	    spec.containers[*].securityContext.procMount: Default or unset
//	    1.35+: any value when spec.hostUsers is false
//	procMount_restricted (restricted, 1.35+, replaces procMount)
//	    spec.containers[*].securityContext.procMount: Default or unset, user namespace or not
//	windowsHostProcess (baseline, 1.0+)
//	    spec.securityContext.windowsOptions.hostProcess,
//	    spec.containers[*].securityContext.windowsOptions.hostProcess: false or unset

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

const (
	refPSSBaseline   = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"
	refPSSRestricted = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"
)

var (
	v1_0  = hardening.KubeVersion{Major: 1, Minor: 0}
	v1_35 = hardening.KubeVersion{Major: 1, Minor: 35}
)

// PSSControls returns this package's Pod Security Standards controls.
func PSSControls() []hardening.PSSControl {
	static := func(c *hardening.Check) func(hardening.KubeVersion) *hardening.Check {
		return func(hardening.KubeVersion) *hardening.Check { return c }
	}
	return []hardening.PSSControl{
		{ID: PSSHostNamespaces.ID, Level: hardening.PSSBaseline, Since: v1_0, At: static(PSSHostNamespaces)},
		{ID: PSSHostPathVolumes.ID, Level: hardening.PSSBaseline, Since: v1_0, At: static(PSSHostPathVolumes)},
		{ID: PSSRestrictedVolumes.ID, Level: hardening.PSSRestricted, Since: v1_0, Overrides: []string{PSSHostPathVolumes.ID}, At: static(PSSRestrictedVolumes)},
		{ID: "namespaces.pss-proc-mount", Level: hardening.PSSBaseline, Since: v1_0, At: pssProcMountAt},
		{ID: pssProcMountRestricted.ID, Level: hardening.PSSRestricted, Since: v1_35, Overrides: []string{"namespaces.pss-proc-mount"}, At: static(pssProcMountRestricted)},
		{ID: PSSWindowsHostProcess.ID, Level: hardening.PSSBaseline, Since: v1_0, At: static(PSSWindowsHostProcess)},
	}
}

// PSSHostNamespaces is the baseline control on sharing the host's network,
// PID and IPC namespaces.
var PSSHostNamespaces = &hardening.Check{
	ID:       "namespaces.pss-host-namespaces",
	Title:    "pod shares host namespaces",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "hostPID shows and lets the pod signal or trace every host process, hostIPC shares the host's shared memory, " +
		"hostNetwork puts the pod on the node's interfaces and loopback services: each removes a wall between the pod and the node.",
	Remediation: "Remove hostNetwork, hostPID and hostIPC (or set them false).",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/host-namespaces", URL: refPSSBaseline},
		hardening.CISDocker("5.10"),
		hardening.CISDocker("5.16"),
		hardening.CISDocker("5.17"),
	},
	Fix: fixHostNamespaces,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Pod == nil {
			return out
		}
		spec := &s.Pod.Spec
		for _, ns := range [...]struct {
			on    bool
			field string
		}{{spec.HostNetwork, "hostNetwork"}, {spec.HostPID, "hostPID"}, {spec.HostIPC, "hostIPC"}} {
			if ns.on {
				out = append(out, hardening.Finding{Path: s.SpecPath(ns.field), Message: "the pod sets " + ns.field + ": true"})
			}
		}
		return out
	},
}

// PSSHostPathVolumes is the baseline control on hostPath volumes.
var PSSHostPathVolumes = &hardening.Check{
	ID:          "namespaces.pss-host-path-volumes",
	Title:       "pod mounts a hostPath volume",
	Severity:    hardening.SeverityHigh,
	Class:       hardening.ClassEscape,
	Inputs:      hardening.KindPod,
	Rationale:   "A hostPath volume mounts part of the node's filesystem into the pod; the baseline level forbids them all.",
	Remediation: "Replace hostPath volumes with emptyDir, configMap, secret or persistent volumes.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/hostpath-volumes", URL: refPSSBaseline},
		hardening.CISDocker("5.6"),
	},
	Fix: fixVolumes,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Pod == nil {
			return out
		}
		for i := range s.Pod.Spec.Volumes {
			v := &s.Pod.Spec.Volumes[i]
			if v.HostPath != nil {
				out = append(out, hardening.Finding{
					Path:    s.SpecPath("volumes[" + strconv.Itoa(i) + "].hostPath"),
					Message: "volume " + strconv.Quote(v.Name) + " mounts host path " + strconv.Quote(v.HostPath.Path),
				})
			}
		}
		return out
	},
}

// PSSRestrictedVolumes is the restricted control on volume types.
var PSSRestrictedVolumes = &hardening.Check{
	ID:       "namespaces.pss-restricted-volumes",
	Title:    "volume type not allowed at the restricted level",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "The restricted level allows only volume types that cannot reach the node or a network filesystem directly: " +
		"configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret.",
	Remediation: "Use one of the allowed volume types; reach network storage through a PersistentVolumeClaim.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "restricted/volume-types", URL: refPSSRestricted},
	},
	Fix: fixVolumes,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Pod == nil {
			return out
		}
		for i := range s.Pod.Spec.Volumes {
			v := &s.Pod.Spec.Volumes[i]
			if restrictedVolumeAllowed(v) {
				continue
			}
			kind := volumeSourceField(v)
			if kind == "" {
				continue // no source: defaulted to emptyDir
			}
			out = append(out, hardening.Finding{
				Path:    s.SpecPath("volumes["+strconv.Itoa(i)+"]") + "." + kind,
				Message: "volume " + strconv.Quote(v.Name) + " uses the restricted volume type " + kind,
			})
		}
		return out
	},
}

func restrictedVolumeAllowed(v *corev1.Volume) bool {
	return v.ConfigMap != nil || v.CSI != nil || v.DownwardAPI != nil || v.EmptyDir != nil || v.Ephemeral != nil ||
		v.Image != nil || v.PersistentVolumeClaim != nil || v.Projected != nil || v.Secret != nil
}

// volumeSourceField names the JSON field of a volume's source among those
// the restricted level refuses, or "" when none is set.
func volumeSourceField(v *corev1.Volume) string {
	switch {
	case v.HostPath != nil:
		return "hostPath"
	case v.GCEPersistentDisk != nil:
		return "gcePersistentDisk"
	case v.AWSElasticBlockStore != nil:
		return "awsElasticBlockStore"
	case v.GitRepo != nil:
		return "gitRepo"
	case v.NFS != nil:
		return "nfs"
	case v.ISCSI != nil:
		return "iscsi"
	case v.Glusterfs != nil:
		return "glusterfs"
	case v.RBD != nil:
		return "rbd"
	case v.FlexVolume != nil:
		return "flexVolume"
	case v.Cinder != nil:
		return "cinder"
	case v.CephFS != nil:
		return "cephfs"
	case v.Flocker != nil:
		return "flocker"
	case v.FC != nil:
		return "fc"
	case v.AzureFile != nil:
		return "azureFile"
	case v.VsphereVolume != nil:
		return "vsphereVolume"
	case v.Quobyte != nil:
		return "quobyte"
	case v.AzureDisk != nil:
		return "azureDisk"
	case v.PhotonPersistentDisk != nil:
		return "photonPersistentDisk"
	case v.PortworxVolume != nil:
		return "portworxVolume"
	case v.ScaleIO != nil:
		return "scaleIO"
	case v.StorageOS != nil:
		return "storageos"
	}
	return ""
}

func pssProcMountAt(v hardening.KubeVersion) *hardening.Check {
	return procMountCheck("namespaces.pss-proc-mount", hardening.PSSBaseline, v.AtLeast(35))
}

var pssProcMountRestricted = procMountCheck("namespaces.pss-proc-mount-restricted", hardening.PSSRestricted, false)

func procMountCheck(id string, level hardening.PSSLevel, relaxUserNS bool) *hardening.Check {
	ref := hardening.Reference{Kind: hardening.RefPSS, ID: "baseline/proc-mount-type", URL: refPSSBaseline}
	rationale := "An Unmasked /proc exposes the kernel interfaces runtimes hide (/proc/kcore, /proc/sysrq-trigger, …). "
	if level == hardening.PSSRestricted {
		ref.ID, ref.URL = "restricted/proc-mount-type", refPSSRestricted
		rationale += "Since 1.35 the restricted level requires the default /proc even in a user namespace."
	} else {
		rationale += "Since 1.35 the baseline level allows it when the pod has its own user namespace (hostUsers: false)."
	}
	return &hardening.Check{
		ID:          id,
		Title:       "container unmasks /proc (" + level.String() + ")",
		Severity:    hardening.SeverityHigh,
		Class:       hardening.ClassEscape,
		Inputs:      hardening.KindPod,
		Rationale:   rationale,
		Remediation: "Remove securityContext.procMount or set it to Default.",
		References:  []hardening.Reference{ref},
		Fix:         fixProcMount,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod == nil || relaxUserNS && s.Pod.Spec.HostUsers != nil && !*s.Pod.Spec.HostUsers {
				return out
			}
			for c := range s.Containers {
				sc := c.SecurityContext
				if sc == nil || sc.ProcMount == nil || *sc.ProcMount == corev1.DefaultProcMount {
					continue
				}
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.procMount"),
					Message:   "container " + strconv.Quote(c.Name) + " sets procMount: " + strconv.Quote(string(*sc.ProcMount)),
				})
			}
			return out
		},
	}
}

// PSSWindowsHostProcess is the baseline control on Windows HostProcess
// containers, which run as processes on the node.
var PSSWindowsHostProcess = &hardening.Check{
	ID:          "namespaces.pss-windows-host-process",
	Title:       "Windows HostProcess container",
	Severity:    hardening.SeverityCritical,
	Class:       hardening.ClassEscape,
	Inputs:      hardening.KindPod,
	Rationale:   "A Windows HostProcess container runs directly on the node, with the node's network and filesystem: there is no container to escape from.",
	Remediation: "Remove windowsOptions.hostProcess (or set it false) on the pod and every container.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/hostprocess", URL: refPSSBaseline},
	},
	Fix: fixWindowsHostProcess,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Pod == nil {
			return out
		}
		if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.WindowsOptions != nil && psc.WindowsOptions.HostProcess != nil && *psc.WindowsOptions.HostProcess {
			out = append(out, hardening.Finding{
				Path:    s.SpecPath("securityContext.windowsOptions.hostProcess"),
				Message: "the pod sets windowsOptions.hostProcess: true",
			})
		}
		for c := range s.Containers {
			sc := c.SecurityContext
			if sc != nil && sc.WindowsOptions != nil && sc.WindowsOptions.HostProcess != nil && *sc.WindowsOptions.HostProcess {
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.windowsOptions.hostProcess"),
					Message:   "container " + strconv.Quote(c.Name) + " sets windowsOptions.hostProcess: true",
				})
			}
		}
		return out
	},
}
