package confinement

// The fixes of this package's checks (hardening.Check.Fix):
//
//	seccompProfile (Pod)            set {type: RuntimeDefault}, on the pod or the
//	                                container the finding names; before 1.19 the
//	                                annotation is set to runtime/default
//	appArmorProfile (Pod)           set {type: RuntimeDefault}; the annotation to
//	                                runtime/default
//	seLinuxOptions type/user/role   deleted: the runtime's container type applies
//	linux.seccomp (OCI)             a decision: the profile to install, as JSON
//	                                (runc applies only what the spec holds, and a
//	                                default-deny profile is the engine's to ship)
//	process.apparmorProfile,
//	process.selinuxLabel (OCI)      a decision: the profile or label the host has
//
// Windows pods are left alone: the API server refuses Linux security
// fields on them.

import (
	"encoding/json"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/fixes"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// fixSeccompPod sets RuntimeDefault where the finding is.
func fixSeccompPod(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	if strings.HasPrefix(f.Path, s.MetaPath("annotations")) {
		return []hardening.Edit{{Path: f.Path, Value: "runtime/default", Note: "the runtime's default seccomp profile may refuse syscalls the program makes"}}, ""
	}
	profile, ok := strings.CutSuffix(f.Path, ".type")
	if !ok {
		return nil, "no seccompProfile at " + f.Path
	}
	return []hardening.Edit{{
		Path:  profile,
		Value: map[string]string{"type": "RuntimeDefault"},
		Note:  "the runtime's default seccomp profile may refuse syscalls the program makes (rarely: it allows about 370)",
	}}, ""
}

// fixAppArmorPod sets RuntimeDefault where AppArmor was turned off.
func fixAppArmorPod(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	note := "the runtime's default AppArmor profile denies mounts and writes to /proc and /sys the program may have needed"
	if strings.HasPrefix(f.Path, s.MetaPath("annotations")) {
		return []hardening.Edit{{Path: f.Path, Value: "runtime/default", Note: note}}, ""
	}
	profile, ok := strings.CutSuffix(f.Path, ".type")
	if !ok {
		return nil, "no appArmorProfile at " + f.Path
	}
	return []hardening.Edit{{Path: profile, Value: map[string]string{"type": "RuntimeDefault"}, Note: note}}, ""
}

// fixSELinuxPod deletes a forbidden SELinux type, user or role.
func fixSELinuxPod(s *hardening.Subject, f *hardening.Finding, _ string) ([]hardening.Edit, string) {
	if s.WindowsPod() {
		return nil, fixes.WindowsWhy
	}
	if !strings.Contains(f.Path, "seLinuxOptions.") {
		return nil, "no seLinuxOptions at " + f.Path
	}
	return []hardening.Edit{{Path: f.Path, Delete: true, Note: "the runtime's container type applies: access the program had through its own type is gone"}}, ""
}

// fixSeccompSpec installs the seccomp profile the user decides, given as
// the JSON of linux.seccomp.
func fixSeccompSpec(_ *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if strings.TrimSpace(decision) == "" {
		return nil, "runc and crun apply only the profile the spec holds, and bulwark ships none: generate the spec with your engine's " +
			"default profile (Docker; containerd's WithDefaultProfile), or decide " + f.Check + "=@profile.json with a linux.seccomp section"
	}
	var sc runtimespec.LinuxSeccomp
	data := []byte(decision)
	// A whole spec, or just its seccomp section.
	var spec runtimespec.Spec
	if err := json.Unmarshal(data, &spec); err == nil && spec.Linux != nil && spec.Linux.Seccomp != nil {
		sc = *spec.Linux.Seccomp
	} else if err := json.Unmarshal(data, &sc); err != nil {
		return nil, "the decision for " + f.Check + " is not a seccomp profile: " + err.Error()
	}
	if sc.DefaultAction == "" || sc.DefaultAction == runtimespec.ActAllow || sc.DefaultAction == runtimespec.ActLog {
		return nil, "the decision for " + f.Check + " is not a default-deny seccomp profile (defaultAction " + string(sc.DefaultAction) + ")"
	}
	return []hardening.Edit{{Path: "linux.seccomp", Value: sc, Note: "the profile decided for " + f.Check}}, ""
}

// fixLSMSpec sets the AppArmor profile or SELinux label the user decides:
// a label has colons (system_u:system_r:container_t:s0:c1,c2), a profile
// name does not (docker-default).
func fixLSMSpec(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	decision = strings.TrimSpace(decision)
	if decision == "" {
		return nil, "which LSM the host runs, and which profile it has loaded, is the host's: decide " + f.Check +
			"=docker-default (an AppArmor profile) or " + f.Check + "=system_u:system_r:container_t:s0:c1,c2 (an SELinux label)"
	}
	if strings.Contains(decision, ":") {
		if f.Check == "confinement.apparmor-unconfined" {
			return []hardening.Edit{{Path: "process.apparmorProfile", Delete: true}, {Path: "process.selinuxLabel", Value: decision}}, ""
		}
		return []hardening.Edit{{Path: "process.selinuxLabel", Value: decision, Note: "the label must be valid on the host's SELinux policy"}}, ""
	}
	if decision == "unconfined" {
		return nil, "the decision for " + f.Check + " is unconfined"
	}
	edits := []hardening.Edit{{Path: "process.apparmorProfile", Value: decision, Note: "the profile must be loaded on the host (Docker loads docker-default)"}}
	if f.Check == "confinement.selinux-unconfined" && s.Spec != nil && s.Spec.Process != nil && s.Spec.Process.SelinuxLabel != "" {
		edits = append(edits, hardening.Edit{Path: "process.selinuxLabel", Delete: true})
	}
	return edits, ""
}
