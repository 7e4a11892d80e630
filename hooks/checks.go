package hooks

import (
	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// Checks returns the checks of this package, sorted by ID. The slice is new
// on every call; the checks are shared and must not be modified.
func Checks() hardening.Checks {
	return hardening.Checks{
		RuntimeHooks,
		UnsafePath,
	}
}

// References shared by the checks of this package.
var (
	refHooks = hardening.Reference{Kind: hardening.RefDoc, ID: "runtime-spec config hooks",
		URL: "https://github.com/opencontainers/runtime-spec/blob/v1.3.0/config.md#posix-platform-hooks"}
	refNCCManagement = hardening.NCC("7 management layer")
	refNCCEscape     = hardening.NCC("7 container escape")
)

// Stage is one lifecycle point at which an OCI runtime runs hooks.
type Stage struct {
	// Name is the field name in config.json: "createRuntime".
	Name string
	// OnHost is true for stages that run in the runtime namespace: on the
	// host, with the runtime's privileges.
	OnHost bool
	// PathOnHost is true for stages whose path resolves in the runtime
	// namespace (every stage but startContainer).
	PathOnHost bool
	// Deprecated is true for prestart.
	Deprecated bool

	hooks func(*runtimespec.Hooks) []runtimespec.Hook
}

// stages lists the stages in lifecycle order, as runtime-spec v1.3.0
// config.md defines them.
var stages = [...]Stage{
	{Name: "prestart", OnHost: true, PathOnHost: true, Deprecated: true, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.Prestart }},
	{Name: "createRuntime", OnHost: true, PathOnHost: true, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.CreateRuntime }},
	{Name: "createContainer", OnHost: false, PathOnHost: true, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.CreateContainer }},
	{Name: "startContainer", OnHost: false, PathOnHost: false, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.StartContainer }},
	{Name: "poststart", OnHost: true, PathOnHost: true, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.Poststart }},
	{Name: "poststop", OnHost: true, PathOnHost: true, hooks: func(h *runtimespec.Hooks) []runtimespec.Hook { return h.Poststop }},
}

// Stages returns the hook stages in lifecycle order. The slice is new on
// every call.
func Stages() []Stage {
	s := stages
	return s[:]
}

// Hooks returns the hooks of stage st in h; nil h has none.
func (st Stage) Hooks(h *runtimespec.Hooks) []runtimespec.Hook {
	if h == nil || st.hooks == nil {
		return nil
	}
	return st.hooks(h)
}

// hookPath renders hooks.<stage>[i].path.
func hookPath(st *Stage, i int) string {
	return hardening.Index("hooks."+st.Name, i) + ".path"
}
