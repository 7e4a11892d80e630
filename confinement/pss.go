package confinement

// The Pod Security Standards controls on syscall filtering and mandatory
// access control, with the semantics of Kubernetes' Pod Security Admission
// (k8s.io/pod-security-admission v0.37.2), version by version. Containers
// means init, regular and ephemeral containers.
//
//	seccompProfile_baseline (baseline)
//	    1.0–1.18: annotations seccomp.security.alpha.kubernetes.io/pod and
//	    container.seccomp.security.alpha.kubernetes.io/<container>: runtime/default,
//	    docker/default or localhost/*, when present
//	    1.19+: spec.securityContext.seccompProfile.type and
//	    spec.containers[*].securityContext.seccompProfile.type: RuntimeDefault,
//	    Localhost or unset (annotations are no longer read)
//	seccompProfile_restricted (restricted, 1.19+, replaces seccompProfile_baseline)
//	    as baseline 1.19+, and set: on the pod or on every container
//	    1.25+: Windows pods exempt
//	appArmorProfile (baseline, 1.0+)
//	    annotations container.apparmor.security.beta.kubernetes.io/*: "", runtime/default or localhost/*
//	    spec.securityContext.appArmorProfile.type,
//	    spec.containers[*].securityContext.appArmorProfile.type: RuntimeDefault, Localhost or unset
//	seLinuxOptions (baseline)
//	    spec.securityContext.seLinuxOptions, spec.containers[*].securityContext.seLinuxOptions:
//	    type "", container_t, container_init_t or container_kvm_t (1.31+: also
//	    container_engine_t); user and role empty

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

const (
	refPSSBaseline   = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"
	refPSSRestricted = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted"

	seccompPodAnnotation       = "seccomp.security.alpha.kubernetes.io/pod"
	seccompContainerAnnotation = "container.seccomp.security.alpha.kubernetes.io/"
	appArmorAnnotationPrefix   = "container.apparmor.security.beta.kubernetes.io/"
)

var (
	v1_0  = hardening.KubeVersion{Major: 1, Minor: 0}
	v1_19 = hardening.KubeVersion{Major: 1, Minor: 19}
)

// PSSControls returns this package's Pod Security Standards controls.
func PSSControls() []hardening.PSSControl {
	return []hardening.PSSControl{
		{ID: "confinement.pss-seccomp-baseline", Level: hardening.PSSBaseline, Since: v1_0, At: pssSeccompBaselineAt},
		{ID: "confinement.pss-seccomp-restricted", Level: hardening.PSSRestricted, Since: v1_19, Overrides: []string{"confinement.pss-seccomp-baseline"}, At: pssSeccompRestrictedAt},
		{ID: PSSAppArmor.ID, Level: hardening.PSSBaseline, Since: v1_0, At: func(hardening.KubeVersion) *hardening.Check { return PSSAppArmor }},
		{ID: "confinement.pss-selinux", Level: hardening.PSSBaseline, Since: v1_0, At: pssSELinuxAt},
	}
}

func validSeccompType(t corev1.SeccompProfileType) bool {
	return t == corev1.SeccompProfileTypeRuntimeDefault || t == corev1.SeccompProfileTypeLocalhost
}

func validSeccompAnnotation(v string) bool {
	return v == "runtime/default" || v == "docker/default" || strings.HasPrefix(v, "localhost/")
}

var seccompReferences = []hardening.Reference{
	{Kind: hardening.RefPSS, ID: "baseline/seccomp", URL: refPSSBaseline},
	hardening.CISDocker("5.22"),
}

func pssSeccompBaselineAt(v hardening.KubeVersion) *hardening.Check {
	c := &hardening.Check{
		ID:       "confinement.pss-seccomp-baseline",
		Title:    "seccomp explicitly disabled",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "Seccomp filters the syscalls behind most container escapes (unshare, mount, keyctl, bpf…); the baseline level " +
			"forbids turning it off explicitly (Unconfined) on the pod or any container.",
		Remediation: "Set seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile), or leave it unset.",
		References:  seccompReferences,
		Fix:         fixSeccompPod,
	}
	if v.AtLeast(19) {
		c.Run = func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			out, _ = seccompFields(s, out, false)
			return out
		}
		return c
	}
	c.Rationale += " Before 1.19 the profile was set with the seccomp.security.alpha.kubernetes.io annotations."
	c.Run = seccompAnnotations
	return c
}

// seccompFields reports explicitly invalid seccompProfile types and, when
// requireSet, containers with no profile from the pod or themselves.
func seccompFields(s *hardening.Subject, out []hardening.Finding, requireSet bool) ([]hardening.Finding, bool) {
	if s.Pod == nil {
		return out, false
	}
	podSet := false
	if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.SeccompProfile != nil {
		if validSeccompType(psc.SeccompProfile.Type) {
			podSet = true
		} else {
			out = append(out, hardening.Finding{
				Path:    s.SpecPath("securityContext.seccompProfile.type"),
				Message: "the pod sets seccompProfile.type " + strconv.Quote(string(psc.SeccompProfile.Type)),
			})
		}
	}
	for c := range s.Containers {
		sc := c.SecurityContext
		switch {
		case sc != nil && sc.SeccompProfile != nil:
			if !validSeccompType(sc.SeccompProfile.Type) {
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.seccompProfile.type"),
					Message:   "container " + strconv.Quote(c.Name) + " sets seccompProfile.type " + strconv.Quote(string(sc.SeccompProfile.Type)),
				})
			}
		case requireSet && !podSet:
			out = append(out, hardening.Finding{
				Container: c.Name,
				Path:      s.ContainerPath(c, "securityContext.seccompProfile.type"),
				Message:   "neither the pod nor container " + strconv.Quote(c.Name) + ` sets seccompProfile.type to "RuntimeDefault" or "Localhost"`,
			})
		}
	}
	return out, podSet
}

// seccompAnnotations applies the pre-1.19 rule: the alpha annotations, when
// present, must name an allowed profile. Container annotations count only
// for containers the pod has.
func seccompAnnotations(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	ann := s.Pod.Annotations
	if v, ok := ann[seccompPodAnnotation]; ok && !validSeccompAnnotation(v) {
		out = append(out, hardening.Finding{
			Path:    hardening.Key(s.MetaPath("annotations"), seccompPodAnnotation),
			Message: "annotation " + seccompPodAnnotation + " is " + strconv.Quote(v),
		})
	}
	start := len(out)
	for key, v := range ann {
		name, ok := strings.CutPrefix(key, seccompContainerAnnotation)
		if !ok || validSeccompAnnotation(v) {
			continue
		}
		for c := range s.Containers {
			if c.Name == name {
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      hardening.Key(s.MetaPath("annotations"), key),
					Message:   "annotation " + key + " is " + strconv.Quote(v),
				})
				break
			}
		}
	}
	sortByPath(out[start:]) // map order is random; findings are not
	return out
}

func pssSeccompRestrictedAt(v hardening.KubeVersion) *hardening.Check {
	windowsExempt := v.AtLeast(25)
	return &hardening.Check{
		ID:       "confinement.pss-seccomp-restricted",
		Title:    "seccomp profile not set",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "Kubernetes runs containers without seccomp unless asked; the restricted level requires every container to " +
			"get RuntimeDefault or a Localhost profile, from the pod or its own securityContext.",
		Remediation: "Set spec.securityContext.seccompProfile.type: RuntimeDefault.",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "restricted/seccomp", URL: refPSSRestricted},
			hardening.CISDocker("5.22"),
		},
		Fix: fixSeccompPod,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if windowsExempt && s.WindowsPod() {
				return out
			}
			out, _ = seccompFields(s, out, true)
			return out
		},
	}
}

// PSSAppArmor is the baseline control on AppArmor profiles.
var PSSAppArmor = &hardening.Check{
	ID:       "confinement.pss-apparmor",
	Title:    "AppArmor explicitly disabled",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "The runtime's default AppArmor profile denies mounts, writes to /proc and /sys and other escape steps; the baseline " +
		"level forbids overriding it with Unconfined, by field or by the beta annotation.",
	Remediation: "Remove the Unconfined AppArmor setting; use RuntimeDefault or a Localhost profile.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/apparmor", URL: refPSSBaseline},
		hardening.CISDocker("5.2"),
	},
	Fix: fixAppArmorPod,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		if s.Pod == nil {
			return out
		}
		if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.AppArmorProfile != nil && !validAppArmorType(psc.AppArmorProfile.Type) {
			out = append(out, hardening.Finding{
				Path:    s.SpecPath("securityContext.appArmorProfile.type"),
				Message: "the pod sets appArmorProfile.type " + strconv.Quote(string(psc.AppArmorProfile.Type)),
			})
		}
		for c := range s.Containers {
			if sc := c.SecurityContext; sc != nil && sc.AppArmorProfile != nil && !validAppArmorType(sc.AppArmorProfile.Type) {
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.appArmorProfile.type"),
					Message:   "container " + strconv.Quote(c.Name) + " sets appArmorProfile.type " + strconv.Quote(string(sc.AppArmorProfile.Type)),
				})
			}
		}
		start := len(out)
		for key, v := range s.Pod.Annotations {
			if !strings.HasPrefix(key, appArmorAnnotationPrefix) || v == "" || v == "runtime/default" || strings.HasPrefix(v, "localhost/") {
				continue
			}
			out = append(out, hardening.Finding{
				Container: key[len(appArmorAnnotationPrefix):],
				Path:      hardening.Key(s.MetaPath("annotations"), key),
				Message:   "annotation " + key + " is " + strconv.Quote(v),
			})
		}
		sortByPath(out[start:])
		return out
	},
}

func validAppArmorType(t corev1.AppArmorProfileType) bool {
	return t == corev1.AppArmorProfileTypeRuntimeDefault || t == corev1.AppArmorProfileTypeLocalhost
}

func pssSELinuxAt(v hardening.KubeVersion) *hardening.Check {
	allowEngine := v.AtLeast(31)
	return &hardening.Check{
		ID:       "confinement.pss-selinux",
		Title:    "SELinux options outside the container types",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "SELinux confines containers by giving them the container_t family of types; setting another type, a user or a " +
			"role lifts that confinement. Since 1.31 container_engine_t is allowed too.",
		Remediation: "Remove seLinuxOptions, or set only level, or a type among container_t, container_init_t, container_kvm_t (and container_engine_t from 1.31).",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "baseline/selinux", URL: refPSSBaseline},
			hardening.CISDocker("5.3"),
		},
		Fix: fixSELinuxPod,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod == nil {
				return out
			}
			if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.SELinuxOptions != nil && !seLinuxAllowed(psc.SELinuxOptions, allowEngine) {
				out = seLinuxFindings(out, psc.SELinuxOptions, s.SpecPath("securityContext.seLinuxOptions"), "the pod", "", allowEngine)
			}
			for c := range s.Containers {
				if sc := c.SecurityContext; sc != nil && sc.SELinuxOptions != nil {
					if seLinuxAllowed(sc.SELinuxOptions, allowEngine) {
						continue
					}
					out = seLinuxFindings(out, sc.SELinuxOptions, s.ContainerPath(c, "securityContext.seLinuxOptions"),
						"container "+strconv.Quote(c.Name), c.Name, allowEngine)
				}
			}
			return out
		},
	}
}

func seLinuxTypeAllowed(t string, allowEngine bool) bool {
	switch t {
	case "", "container_t", "container_init_t", "container_kvm_t":
		return true
	case "container_engine_t":
		return allowEngine
	}
	return false
}

func seLinuxAllowed(o *corev1.SELinuxOptions, allowEngine bool) bool {
	return seLinuxTypeAllowed(o.Type, allowEngine) && o.User == "" && o.Role == ""
}

// seLinuxFindings appends one finding per forbidden field of o.
func seLinuxFindings(out []hardening.Finding, o *corev1.SELinuxOptions, path, who, container string, allowEngine bool) []hardening.Finding {
	if !seLinuxTypeAllowed(o.Type, allowEngine) {
		out = append(out, hardening.Finding{Container: container, Path: path + ".type", Message: who + " sets SELinux type " + strconv.Quote(o.Type)})
	}
	if o.User != "" {
		out = append(out, hardening.Finding{Container: container, Path: path + ".user", Message: who + " sets SELinux user " + strconv.Quote(o.User)})
	}
	if o.Role != "" {
		out = append(out, hardening.Finding{Container: container, Path: path + ".role", Message: who + " sets SELinux role " + strconv.Quote(o.Role)})
	}
	return out
}

// sortByPath orders findings by path (insertion sort: the slices are tiny).
func sortByPath(fs []hardening.Finding) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && fs[j].Path < fs[j-1].Path; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}
