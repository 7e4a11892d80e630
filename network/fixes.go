package network

// The fixes of this package's checks (hardening.Check.Fix). Everything
// here depends on the network the workload was built for, so each fix
// leaves the field alone and says what to decide, except one:
//
//	linux.namespaces (OCI)   decision "add" appends a network namespace of its
//	                         own (loopback only, until the runtime's network
//	                         plumbing gives it an interface); a path that joins
//	                         another namespace is deleted
//	hostPort                 left: clients reach the pod on that node port
//	sysctls                  left: the program asked for the kernel setting
//	probe and hook hosts     left: the probe targets that host by design

import (
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// fixHostNetwork gives an OCI spec a network namespace of its own when the
// user decides so.
func fixHostNetwork(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
	if strings.TrimSpace(strings.ToLower(decision)) != "add" {
		return nil, "whether the container may lose the host's network (a rootless runtime, a CNI plugin and a node agent " +
			"need it) is a decision for its authors; decide " + f.Check + "=add to give it a network namespace of its own"
	}
	spec := linuxSpec(s)
	if spec == nil {
		return nil, "not a Linux spec"
	}
	note := "the container gets a network namespace with only loopback until the runtime's network setup gives it an interface"
	if path, ok := strings.CutSuffix(f.Path, ".path"); ok {
		return []hardening.Edit{{Path: path + ".path", Delete: true, Note: note}}, ""
	}
	n := 0
	if spec.Linux != nil {
		n = len(spec.Linux.Namespaces)
	}
	return []hardening.Edit{{Path: hardening.Index("linux.namespaces", n), Value: runtimespec.LinuxNamespace{Type: runtimespec.NetworkNamespace}, Note: note}}, ""
}

// fixLeave returns a fix that leaves the field alone, saying why.
func fixLeave(why string) func(*hardening.Subject, *hardening.Finding, string) ([]hardening.Edit, string) {
	return func(*hardening.Subject, *hardening.Finding, string) ([]hardening.Edit, string) { return nil, why }
}
