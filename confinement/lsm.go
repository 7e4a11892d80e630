package confinement

// Checks confinement.lsm-missing, confinement.apparmor-unconfined and
// confinement.selinux-unconfined: the process's mandatory access control.
//
// OCI spec fields:
//
//	process.apparmorProfile   not "unconfined"
//	process.selinuxLabel      empty, or user:role:type:level with a type other than
//	                          spc_t and unconfined_t, and a level with MCS categories
//	                          other than the full range c0.c1023
//	                          ("system_u:system_r:container_t:s0:c12,c34")
//	both                      at least one of them set
//
// Each LSM matters only on hosts that run it, and a host runs one of them:
// Docker on an AppArmor host sets apparmorProfile and no SELinux label,
// podman on an SELinux host the other way round. So an unset field alone is
// not a finding; only a spec that sets neither (confinement.lsm-missing) or
// sets one to an unconfined value is. Specs without a process, or for
// another platform, are skipped.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// LSMMissing reports processes with neither an AppArmor profile nor an
// SELinux label: no mandatory access control confines them on any host.
var LSMMissing = &hardening.Check{
	ID:       "confinement.lsm-missing",
	Title:    "no AppArmor profile and no SELinux label",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Runtimes apply only the mandatory access control a spec names. With neither an AppArmor profile nor an " +
		"SELinux label the process is confined by neither, whichever the host runs: the LSM's denials of mounts, " +
		"writes to /proc and /sys and access to host files are gone.",
	Remediation: "Set process.apparmorProfile (docker-default, or a reviewed profile) for AppArmor hosts, or " +
		"process.selinuxLabel (container_t with unique MCS categories) for SELinux hosts.",
	References: []hardening.Reference{
		refCIS("5.2"),
		refCIS("5.3"),
		refNCCEscape,
	},
	Fix: fixLSMSpec,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		spec := s.LinuxSpec()
		if spec == nil || spec.Process == nil || spec.Process.ApparmorProfile != "" || spec.Process.SelinuxLabel != "" {
			return out
		}
		return append(out, hardening.Finding{
			Path:    "process.apparmorProfile",
			Message: "neither process.apparmorProfile nor process.selinuxLabel is set: no AppArmor profile or SELinux label confines the process",
		})
	},
}

// AppArmorUnconfined reports processes whose AppArmor profile is
// explicitly "unconfined".
var AppArmorUnconfined = &hardening.Check{
	ID:       "confinement.apparmor-unconfined",
	Title:    "AppArmor profile unconfined",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "On AppArmor hosts (Debian, Ubuntu, SUSE) the runtime's profile (Docker's docker-default, podman's " +
		"containers-default) denies mounts, writes to /proc and /sys, and ptrace of outside processes — steps of many " +
		"escapes. runc applies only the profile the spec names; without one the process is unconfined.",
	Remediation: "Set process.apparmorProfile to the runtime's default profile (docker-default) or a reviewed custom profile " +
		"loaded on the host.",
	References: []hardening.Reference{
		refCIS("5.2"),
		{Kind: hardening.RefDoc, ID: "Docker AppArmor security profiles", URL: "https://docs.docker.com/engine/security/apparmor/"},
		refNCCEscape,
	},
	Fix: fixLSMSpec,
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		spec := s.LinuxSpec()
		if spec == nil || spec.Process == nil {
			return out
		}
		const note = " (this matters only on hosts running AppArmor)"
		switch spec.Process.ApparmorProfile {
		case "unconfined":
			out = append(out, hardening.Finding{
				Path:    "process.apparmorProfile",
				Message: `apparmorProfile is "unconfined": AppArmor confinement is switched off` + note,
			})
		}
		return out
	},
}

// SELinuxUnconfined reports processes whose SELinux label does not confine
// them, or does not separate them from other containers.
var SELinuxUnconfined = &hardening.Check{
	ID:       "confinement.selinux-unconfined",
	Title:    "SELinux label unconfined or not separated",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassEscape,
	Inputs:   hardening.KindOCISpec,
	Rationale: "On SELinux hosts (Fedora, RHEL, CentOS) the container_t type keeps a container from host files, and MCS " +
		"categories (s0:c12,c34, unique per container) keep containers from each other's files. An empty label leaves the " +
		"process in the runtime's own domain; spc_t and unconfined_t are unconfined by design; a level without categories, " +
		"or with all of them, shares files with every other container.",
	Remediation: "Set process.selinuxLabel to a container type with a unique pair of categories, as podman and CRI-O do: " +
		"system_u:system_r:container_t:s0:c<N>,c<M>.",
	References: []hardening.Reference{
		refCIS("5.3"),
		{Kind: hardening.RefDoc, ID: "container-selinux", URL: "https://github.com/containers/container-selinux"},
		refNCCEscape,
	},
	Run: runSELinuxUnconfined,
	Fix: fixLSMSpec,
}

func runSELinuxUnconfined(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	spec := s.LinuxSpec()
	if spec == nil || spec.Process == nil {
		return out
	}
	const note = " (this matters only on hosts running SELinux)"
	label := spec.Process.SelinuxLabel
	f := hardening.Finding{Path: "process.selinuxLabel"}
	if label == "" {
		return out // an AppArmor host, or confinement.lsm-missing
	}
	_, rest, ok1 := strings.Cut(label, ":")   // user
	_, rest, ok2 := strings.Cut(rest, ":")    // role
	typ, level, ok3 := strings.Cut(rest, ":") // type, level
	switch {
	case !ok1 || !ok2:
		f.Message = "selinuxLabel " + strconv.Quote(label) + " is not a user:role:type:level context" + note
	case typ == "spc_t" || typ == "unconfined_t":
		f.Message = "selinuxLabel " + strconv.Quote(label) + " has type " + typ + ", which SELinux does not confine" + note
	case !ok3 || level == "":
		f.Class = hardening.ClassCrossContainer
		f.Message = "selinuxLabel " + strconv.Quote(label) + " has no MCS level: nothing separates the container from other containers of the same type" + note
	default:
		_, categories, _ := strings.Cut(level, ":")
		switch categories {
		case "":
			f.Class = hardening.ClassCrossContainer
			f.Message = "selinuxLabel " + strconv.Quote(label) + " has level " + strconv.Quote(level) +
				" without MCS categories: every container with that level shares files" + note
		case "c0.c1023":
			f.Class = hardening.ClassCrossContainer
			f.Message = "selinuxLabel " + strconv.Quote(label) + " has level " + strconv.Quote(level) +
				" with every MCS category: it reaches the files of all containers" + note
		default:
			return out
		}
	}
	return append(out, f)
}
