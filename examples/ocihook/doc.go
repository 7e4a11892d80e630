// Command ocihook is an OCI runtime hook that refuses to start a container
// whose config.json has a finding at or above a severity. Install it as a
// createRuntime hook: the runtime runs it after creating the container's
// namespaces and before pivot_root, passes the container's state on
// standard input, and stops the container when a createRuntime hook exits
// non-zero (runtime-spec, runtime.md).
//
//	ocihook [-profile NAME[@VERSION]] [-fail-on SEVERITY] [-trust-annotations] [-log FILE]
//
// Flags:
//
//	-profile  the checks to run (bulwark.Profiles); default cis-docker, the
//	          CIS Docker Benchmark items an OCI spec answers. The OCI
//	          annotation bulwark.dev/profile on the container adds a
//	          profile's checks; it can never remove any.
//	-fail-on  refuse the container when an unsuppressed finding is at or
//	          above this severity: info, low, medium, high (default) or
//	          critical.
//	-log      append one JSON line per decision to FILE; default standard
//	          error.
//
// It reads the state (at most 1 MiB) from standard input, loads
// <bundle>/config.json with package load, and audits it. Exit status: 0
// allows the container; 1 refuses it, listing the findings that did on
// standard error, which runc includes in its error message; 2 refuses it
// because the hook could not decide (unreadable state or config.json, an
// unknown profile): a gate that cannot judge fails closed.
//
// The container is the adversary here: its config.json is written by
// whoever starts it, and CRI runtimes copy a Pod's annotations into it. So
// its own suppression annotations are ignored unless -trust-annotations is
// given (a host where only trusted users start containers); then findings
// are suppressed as for any OCI spec, with an annotation whose value says
// why: bulwark.dev/ignore-confinement.seccomp-missing: "reason".
//
// In config.json (runc, crun):
//
//	"hooks": {"createRuntime": [{"path": "/usr/local/bin/ocihook", "args": ["ocihook", "-fail-on", "high"], "timeout": 5}]}
//
// For podman and CRI-O, a hooks.d file (/etc/containers/oci/hooks.d/bulwark.json):
//
//	{"version": "1.0.0", "hook": {"path": "/usr/local/bin/ocihook", "args": ["ocihook"]},
//	 "when": {"always": true}, "stages": ["createRuntime"]}
//
// The binary links package hardening, and through it k8s.io/api/core/v1
// (hardening.Subject holds a *corev1.Pod): about 15 MB (11 MB stripped),
// and 4 to 5 ms from exec to exit on a 2-vCPU host, against 3 MB and 2 ms
// for a program that only decodes the state and config.json. Measured on
// runc, the hook adds about 4 ms to a container's start
// (BenchmarkHookOverhead).
package main
