// Package network holds the checks on a container's network exposure and
// identity: host networking, host ports, network sysctls, probes aimed at
// other hosts, raw sockets, and how its names resolve.
//
// # Checks
//
// [Checks] returns the checks that go beyond the Pod Security Standards:
//
//	network.host-aliases  spec.hostAliases pins host names to addresses in /etc/hosts, ahead of DNS (low)
//
// [PSSControls] returns the Pod Security Standards controls on host ports,
// sysctls and probe or lifecycle hosts, version by version. Raw sockets
// (NET_RAW) are a capability and are checked by the capabilities package
// (capabilities.net-raw-not-dropped), host networking with the other host
// namespaces by the namespaces package.
//
// Each check's file opens with the fields it reads and the values it
// allows.
package network
