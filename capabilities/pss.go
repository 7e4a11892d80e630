package capabilities

// The Pod Security Standards controls on privilege, with the semantics of
// Kubernetes' Pod Security Admission (k8s.io/pod-security-admission
// v0.37.2), version by version. Names are compared exactly as Pod Security
// Admission compares them: "sys_admin" and "CAP_CHOWN" are not in the
// baseline set.
//
// Controls and the fields they read (containers means init, regular and
// ephemeral containers):
//
//	privileged (baseline, 1.0+)
//	    spec.containers[*].securityContext.privileged: false or unset
//	capabilities_baseline (baseline, 1.0+)
//	    spec.containers[*].securityContext.capabilities.add[*]: AUDIT_WRITE, CHOWN, DAC_OVERRIDE,
//	    FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT
//	capabilities_restricted (restricted, 1.22+, replaces capabilities_baseline)
//	    spec.containers[*].securityContext.capabilities.drop: must hold "ALL"
//	    spec.containers[*].securityContext.capabilities.add[*]: NET_BIND_SERVICE only
//	    1.25+: Windows pods (spec.os.name: windows) exempt
//	allowPrivilegeEscalation (restricted, 1.8+)
//	    spec.containers[*].securityContext.allowPrivilegeEscalation: false, explicitly
//	    1.25+: Windows pods exempt
//	runAsNonRoot (restricted, 1.0+)
//	    spec.securityContext.runAsNonRoot: true or unset; containers: true, or unset when the pod says true
//	    1.35+: any value when spec.hostUsers is false
//	runAsUser (restricted, 1.23+)
//	    spec.securityContext.runAsUser, spec.containers[*].securityContext.runAsUser: not 0
//	    1.35+: any value when spec.hostUsers is false

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
)

var (
	v1_0  = hardening.KubeVersion{Major: 1, Minor: 0}
	v1_8  = hardening.KubeVersion{Major: 1, Minor: 8}
	v1_22 = hardening.KubeVersion{Major: 1, Minor: 22}
	v1_23 = hardening.KubeVersion{Major: 1, Minor: 23}

	pssCapabilitiesBaselineRef   = hardening.Reference{Kind: hardening.RefPSS, ID: "baseline/capabilities", URL: refPSSBaseline}
	pssCapabilitiesRestrictedRef = hardening.Reference{Kind: hardening.RefPSS, ID: "restricted/capabilities", URL: refPSSRestricted}
)

// PSSControls returns this package's Pod Security Standards controls.
func PSSControls() []hardening.PSSControl {
	return []hardening.PSSControl{
		{ID: Privileged.ID, Level: hardening.PSSBaseline, Since: v1_0, At: func(hardening.KubeVersion) *hardening.Check { return pssPrivileged }},
		{ID: PSSCapabilitiesBaseline.ID, Level: hardening.PSSBaseline, Since: v1_0, At: func(hardening.KubeVersion) *hardening.Check { return PSSCapabilitiesBaseline }},
		{ID: "capabilities.pss-restricted", Level: hardening.PSSRestricted, Since: v1_22, Overrides: []string{PSSCapabilitiesBaseline.ID}, At: pssRestrictedAt},
		{ID: "capabilities.pss-privilege-escalation", Level: hardening.PSSRestricted, Since: v1_8, At: pssPrivilegeEscalationAt},
		{ID: "capabilities.pss-run-as-non-root", Level: hardening.PSSRestricted, Since: v1_0, At: pssRunAsNonRootAt},
		{ID: "capabilities.pss-run-as-user", Level: hardening.PSSRestricted, Since: v1_23, At: pssRunAsUserAt},
	}
}

// pssPrivileged is capabilities.privileged restricted to Pods: its Pod
// semantics are exactly the baseline control's.
var pssPrivileged = func() *hardening.Check {
	c := *Privileged
	c.Inputs = hardening.KindPod
	return &c
}()

// hostUsersFalse reports spec.hostUsers: false, under which Pod Security
// Admission 1.35+ relaxes the controls that user namespaces make moot.
func hostUsersFalse(s *hardening.Subject) bool {
	return s.Pod != nil && s.Pod.Spec.HostUsers != nil && !*s.Pod.Spec.HostUsers
}

// PSSCapabilitiesBaseline is the baseline control on added capabilities.
var PSSCapabilitiesBaseline = &hardening.Check{
	ID:       "capabilities.pss-added-baseline",
	Title:    "capability added beyond the Pod Security Standards baseline set",
	Severity: hardening.SeverityHigh,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindPod,
	Rationale: "The baseline level lets containers add only the 13 capabilities of the traditional runtime default set, minus NET_RAW; " +
		"anything else (spelled exactly as Kubernetes spells it) is forbidden.",
	Remediation: "Remove the capability from securityContext.capabilities.add, or spell an allowed one exactly (CHOWN, not CAP_CHOWN).",
	References:  []hardening.Reference{pssCapabilitiesBaselineRef, refCIS("5.4")},
	Fix:         fixAdded,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		for c := range s.Containers {
			if c.SecurityContext == nil || c.SecurityContext.Capabilities == nil {
				continue
			}
			for i, name := range c.SecurityContext.Capabilities.Add {
				if isPSSBaselineName(string(name)) {
					continue
				}
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.capabilities.add["+strconv.Itoa(i)+"]"),
					Message:   "container " + strconv.Quote(c.Name) + " adds " + strconv.Quote(string(name)) + ", which the baseline level does not allow",
				})
			}
		}
		return out
	},
}

// isPSSBaselineName reports whether name, spelt exactly, is in the
// baseline set.
func isPSSBaselineName(name string) bool {
	c, ok := canonical[name]
	return ok && name == c.String() && PSSBaselineAllowed.Has(c)
}

func pssRestrictedAt(v hardening.KubeVersion) *hardening.Check {
	windowsExempt := v.AtLeast(25)
	return &hardening.Check{
		ID:       "capabilities.pss-restricted",
		Title:    "capabilities not restricted to drop ALL and add NET_BIND_SERVICE",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "The restricted level requires every container to drop ALL capabilities (the exact string) and add back at most " +
			"NET_BIND_SERVICE, so no container keeps the runtime's default set.",
		Remediation: "Set securityContext.capabilities.drop: [\"ALL\"] on every container and add nothing but NET_BIND_SERVICE.",
		References:  []hardening.Reference{pssCapabilitiesRestrictedRef, refCIS("5.4")},
		Fix:         fixDropAll,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if windowsExempt && s.WindowsPod() {
				return out
			}
			for c := range s.Containers {
				var drop, add int
				if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
					drop, add = -1, len(sc.Capabilities.Add)
					for _, d := range sc.Capabilities.Drop {
						if d == "ALL" {
							drop = 0
							break
						}
					}
				} else {
					drop = -1
				}
				if drop < 0 {
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.capabilities.drop"),
						Message:   "container " + strconv.Quote(c.Name) + ` must set securityContext.capabilities.drop=["ALL"]`,
					})
				}
				for i := 0; i < add; i++ {
					name := string(c.SecurityContext.Capabilities.Add[i])
					if name == "NET_BIND_SERVICE" {
						continue
					}
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.capabilities.add["+strconv.Itoa(i)+"]"),
						Message:   "container " + strconv.Quote(c.Name) + " adds " + strconv.Quote(name) + "; the restricted level allows adding only NET_BIND_SERVICE",
					})
				}
			}
			return out
		},
	}
}

func pssPrivilegeEscalationAt(v hardening.KubeVersion) *hardening.Check {
	windowsExempt := v.AtLeast(25)
	return &hardening.Check{
		ID:       "capabilities.pss-privilege-escalation",
		Title:    "allowPrivilegeEscalation not set to false",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "The restricted level requires allowPrivilegeEscalation: false on every container, explicitly: only then does the " +
			"kubelet set no_new_privs, so setuid binaries and file capabilities cannot raise privileges.",
		Remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "restricted/privilege-escalation", URL: refPSSRestricted},
			refCIS("5.26"),
		},
		Fix: fixPrivilegeEscalation,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if windowsExempt && s.WindowsPod() {
				return out
			}
			for c := range s.Containers {
				sc := c.SecurityContext
				if sc != nil && sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
					continue
				}
				state := "leaves allowPrivilegeEscalation unset (true)"
				if sc != nil && sc.AllowPrivilegeEscalation != nil {
					state = "sets allowPrivilegeEscalation: true"
				}
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "securityContext.allowPrivilegeEscalation"),
					Message:   "container " + strconv.Quote(c.Name) + " " + state + "; the restricted level requires false",
				})
			}
			return out
		},
	}
}

func pssRunAsNonRootAt(v hardening.KubeVersion) *hardening.Check {
	relaxUserNS := v.AtLeast(35)
	return &hardening.Check{
		ID:       "capabilities.pss-run-as-non-root",
		Title:    "runAsNonRoot not enforced",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "The restricted level requires runAsNonRoot: true, on the pod or on every container, so the kubelet refuses to " +
			"start a container whose user is root, whatever the image says. Since 1.35 a pod with hostUsers: false is exempt.",
		Remediation: "Set spec.securityContext.runAsNonRoot: true and never set it false on a container.",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "restricted/running-as-non-root", URL: refPSSRestricted},
			refCIS("4.1"),
		},
		Fix: fixRunAsNonRoot,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod == nil || relaxUserNS && hostUsersFalse(s) {
				return out
			}
			podTrue := false
			if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.RunAsNonRoot != nil {
				if *psc.RunAsNonRoot {
					podTrue = true
				} else {
					out = append(out, hardening.Finding{
						Path:    s.SpecPath("securityContext.runAsNonRoot"),
						Message: "the pod sets runAsNonRoot: false",
					})
				}
			}
			for c := range s.Containers {
				sc := c.SecurityContext
				switch {
				case sc != nil && sc.RunAsNonRoot != nil:
					if !*sc.RunAsNonRoot {
						out = append(out, hardening.Finding{
							Container: c.Name,
							Path:      s.ContainerPath(c, "securityContext.runAsNonRoot"),
							Message:   "container " + strconv.Quote(c.Name) + " sets runAsNonRoot: false",
						})
					}
				case !podTrue:
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.runAsNonRoot"),
						Message:   "neither the pod nor container " + strconv.Quote(c.Name) + " sets runAsNonRoot: true",
					})
				}
			}
			return out
		},
	}
}

func pssRunAsUserAt(v hardening.KubeVersion) *hardening.Check {
	relaxUserNS := v.AtLeast(35)
	return &hardening.Check{
		ID:       "capabilities.pss-run-as-user",
		Title:    "runAsUser set to 0",
		Severity: hardening.SeverityMedium,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "The restricted level forbids runAsUser: 0 on the pod and on every container. Since 1.35 a pod with " +
			"hostUsers: false is exempt, as its root is not the host's.",
		Remediation: "Set runAsUser to a non-zero uid, or leave it to the image and set runAsNonRoot: true.",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "restricted/running-as-non-root-user", URL: refPSSRestricted},
			refCIS("4.1"),
		},
		Fix: fixRunAsUser,
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod == nil || relaxUserNS && hostUsersFalse(s) {
				return out
			}
			if psc := s.Pod.Spec.SecurityContext; psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
				out = append(out, hardening.Finding{Path: s.SpecPath("securityContext.runAsUser"), Message: "the pod sets runAsUser: 0"})
			}
			for c := range s.Containers {
				if sc := c.SecurityContext; sc != nil && sc.RunAsUser != nil && *sc.RunAsUser == 0 {
					out = append(out, hardening.Finding{
						Container: c.Name,
						Path:      s.ContainerPath(c, "securityContext.runAsUser"),
						Message:   "container " + strconv.Quote(c.Name) + " sets runAsUser: 0",
					})
				}
			}
			return out
		},
	}
}
