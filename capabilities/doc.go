// Package capabilities holds Linux capability names and sets, and the
// checks on privilege: privileged mode, dangerous and default capabilities,
// privilege escalation through setuid binaries, capabilities handed on
// across exec, misspelt capability names and running as root.
//
// # Names and sets
//
// [Capability] numbers follow linux/capability.h. [Parse] accepts the
// Kubernetes spelling (SYS_ADMIN), the OCI spelling (CAP_SYS_ADMIN) and any
// letter case; [ParseList] also reads the Kubernetes keyword ALL. A [Set] is
// a bitmask with the usual operations. The default sets of Docker,
// containerd, podman and `runc spec`, and the sets the Pod Security
// Standards allow, are constants ([DockerDefault], [PSSBaselineAllowed], …).
// The names themselves live in one table that inspect, network and images
// read too, so every package spells and parses a capability the same way.
//
// # Checks
//
//	capabilities.privileged               Pod privileged: true; OCI bounding set with every capability
//	capabilities.dangerous                capabilities that enable escape or attacks on neighbours, each with its own severity
//	capabilities.drop-all-missing         Pod container that does not drop ALL (names the default set it keeps)
//	capabilities.privilege-escalation     allowPrivilegeEscalation not false; OCI noNewPrivileges not true
//	capabilities.inheritable-ambient      OCI inheritable or ambient capabilities
//	capabilities.unknown-name             names that are not capabilities (a misspelt drop drops nothing)
//	capabilities.runs-as-root             uid 0: Pod runAsUser (or the image's USER when known), OCI process.user.uid, image USER
//	capabilities.net-raw-not-dropped      container drops neither ALL nor NET_RAW (assumes containerd's default set)
//	capabilities.low-ids                  uid or gid between 1 and the threshold (10000 by default; LowIDs builds others)
//	capabilities.root-group               Pod container with gid 0: runAsGroup (or the image USER's group when known), fsGroup, supplementalGroups (low)
//	capabilities.non-root-unverifiable    runAsNonRoot with an image USER the kubelet cannot verify (root or a name)
//	capabilities.effective-not-permitted  OCI effective capability missing from permitted (capset refuses it: lint)
//	capabilities.privileged-equivalent    OCI spec with every element of docker run --privileged (caps, no seccomp, no masks, rw /sys, all devices)
//	capabilities.setuid-escalation        OCI non-root process without noNewPrivileges and without seccomp
//
// Each check's file opens with the fields it reads and the values it
// allows. A privileged Pod container is reported once, by
// capabilities.privileged, not again for every capability it implies.
// capabilities.privileged-equivalent and capabilities.setuid-escalation are
// composites: when they fire they summarise findings other checks (here and
// in the namespaces, cgroups and confinement packages) report one by one.
//
// # Pod Security Standards controls
//
// [PSSControls] returns the controls Kubernetes' Pod Security Admission
// enforces on privilege, each as a check built for a Kubernetes version,
// with Pod Security Admission's exact semantics (names compared as
// written, explicit-versus-unset distinctions, the Windows and hostUsers
// exemptions of later versions): capabilities.privileged (shared with the
// general checks), capabilities.pss-added-baseline, capabilities.pss-restricted,
// capabilities.pss-privilege-escalation, capabilities.pss-run-as-non-root and
// capabilities.pss-run-as-user. pss.go lists their fields and allowed values.
// The bulwark package assembles them into the pss-baseline and
// pss-restricted profiles.
//
// # Defaults assumed
//
// A Kubernetes container that drops nothing gets its runtime's default set;
// bulwark assumes containerd's ([PodDefault]) and says so in the finding.
// For a cluster on another runtime, [DropAllMissingAssuming] and
// [NetRawNotDroppedAssuming] build the two checks that depend on it, with
// the same IDs, as [LowIDs] builds capabilities.low-ids for a threshold.
// Windows pods (spec.os.name: windows) have no Linux capabilities, uids or
// no_new_privs, and are skipped as Pod Security Admission skips them.
package capabilities
