// Package hooks holds the checks on OCI runtime hooks: the programs a
// runtime (runc, crun) runs at points of a container's lifecycle, most of
// them on the host with the runtime's privileges.
//
// # Checks
//
// [Checks] returns the checks on OCI runtime specs:
//
//	hooks.runtime-hooks  every hook, one finding each: medium for stages that run on the host, low for stages that run in the container
//	hooks.unsafe-path    a hook path that is relative, under a world-writable directory or inside the container's root filesystem
//
// Each check's file opens with the fields it reads and the values it
// allows.
//
// # Stages
//
// runtime-spec v1.3.0 (config.md, "POSIX-platform Hooks") says where each
// stage runs and where its path is resolved:
//
//	stage            runs in               path resolves in
//	prestart         runtime namespace     runtime namespace   (deprecated; runc and crun still run it)
//	createRuntime    runtime namespace     runtime namespace
//	createContainer  container namespace   runtime namespace
//	startContainer   container namespace   container namespace
//	poststart        runtime namespace     runtime namespace
//	poststop         runtime namespace     runtime namespace
//
// The runtime namespace is the runtime's own: on the host, with the
// runtime's user (root for a rootful runtime), outside the container's
// namespaces, cgroups, capabilities, seccomp filter and LSM profile.
// [Stages] returns this table, for tools that report hooks of their own.
//
// # Limits
//
// Checks are pure functions of the spec: they do not stat files, follow
// symlinks or know the bundle directory. So hooks.unsafe-path judges the
// path as written: a symlink in a trusted directory pointing into /tmp, or
// a hook binary writable by others, is not seen; a root.path relative to
// the bundle is compared only with relative hook paths, which are reported
// anyway. Whether the spec itself came from a trusted source (a hook in a
// spec an image or a user controls is code execution on the host) is also
// beyond what the spec shows: hooks.runtime-hooks lists every hook so a
// reviewer can decide.
package hooks
