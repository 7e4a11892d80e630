package hooks

// Check hooks.runtime-hooks: the spec makes the runtime run programs.
//
// OCI spec fields:
//
//	hooks.prestart[*], hooks.createRuntime[*], hooks.poststart[*], hooks.poststop[*]   (on the host: medium)
//	hooks.createContainer[*], hooks.startContainer[*]                                  (in the container: low)
//
// Allowed values: none. Every hook is reported, at its path field, with
// its arguments, so a reviewer sees what runs and where; suppress the
// findings for hooks you trust (a GPU or network hook your platform
// installs) with an annotation naming the reason. A spec whose hooks
// section is missing or empty passes.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// RuntimeHooks reports every hook of an OCI spec.
var RuntimeHooks = &hardening.Check{
	ID:       "hooks.runtime-hooks",
	Title:    "runtime runs hooks",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindOCISpec,
	Rationale: "Hooks are programs the runtime runs at points of the container's lifecycle. prestart, createRuntime, poststart " +
		"and poststop hooks run in the runtime's namespaces — on the host, with the runtime's privileges (root for a rootful " +
		"runtime), outside every restriction the spec puts on the container — so whoever controls the spec or the hook binary " +
		"controls the host. createContainer and startContainer hooks run inside the container's namespaces.",
	Remediation: "Remove hooks the container does not need; for the rest, make sure the spec comes from a trusted source and " +
		"the hook binary is root-owned and not writable by others, then suppress the finding with the reason.",
	References: []hardening.Reference{refHooks, refNCCManagement},
	Run:        runRuntimeHooks,
}

func runRuntimeHooks(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if !s.Observed("hooks") {
		return out // not observed: no verdict
	}
	if s.Spec == nil || s.Spec.Hooks == nil {
		return out
	}
	for k := range stages {
		st := &stages[k]
		hs := st.Hooks(s.Spec.Hooks)
		for i := range hs {
			h := &hs[i]
			f := hardening.Finding{Path: hookPath(st, i)}
			msg := st.Name + " hook " + strconv.Quote(h.Path) + describeArgs(h)
			if st.Deprecated {
				msg += " (a deprecated stage, still run by runc and crun)"
			}
			if st.OnHost {
				msg += " runs on the host, in the runtime's namespaces and with its privileges, outside the container's restrictions"
			} else {
				f.Severity = hardening.SeverityLow
				f.Class = hardening.ClassInnerContainer
				msg += " runs inside the container's namespaces"
				if st.PathOnHost {
					msg += ", from a path on the host, before the container's root is pivoted"
				} else {
					msg += ", from the container's filesystem, before its process starts"
				}
			}
			f.Message = msg
			out = append(out, f)
		}
	}
	return out
}

// describeArgs renders " with args ..." for a hook with arguments.
func describeArgs(h *runtimespec.Hook) string {
	if len(h.Args) == 0 {
		return ""
	}
	quoted := make([]string, len(h.Args))
	for i, a := range h.Args {
		quoted[i] = strconv.Quote(a)
	}
	return " with args [" + strings.Join(quoted, " ") + "]"
}
