// Command inspect observes a running process — by default itself — and
// audits what it sees as an OCI runtime spec: run it inside a container to
// learn which hardening controls the container really got.
//
//	inspect [-pid N] [-format text|json] [-profile NAME] [-fail-on SEV]
//
// It only reads /proc and /sys. Fields it cannot observe (the rules of a
// seccomp filter, hooks, the device cgroup, ...) are listed, and the checks
// that read them stay silent. Exit status: 0 clean, 1 a finding at or above
// -fail-on, 2 usage or observation error.
//
// Build it static to drop into any container image:
//
//	CGO_ENABLED=0 go build -o inspect ./examples/inspect
package main
