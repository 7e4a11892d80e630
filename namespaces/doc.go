// Package namespaces holds the checks on isolation: which of the host's
// namespaces a container shares, whether it gets a user namespace, and
// what its mount namespace holds — host paths, runtime sockets, mount
// propagation and a writable root filesystem.
//
// # Checks
//
// [Checks] returns the checks that go beyond the Pod Security Standards:
//
//	namespaces.sensitive-host-path       hostPath of /, /etc, /proc, /sys, /var/lib/kubelet…, a runtime socket or a directory above one (critical for sockets and /)
//	namespaces.writable-host-path        a container mounts a hostPath volume without readOnly: true (high when the path is sensitive)
//	namespaces.mount-propagation         volumeMounts with Bidirectional (high) or HostToContainer (low) propagation
//	namespaces.writable-root-filesystem  readOnlyRootFilesystem not true
//	namespaces.share-process-namespace   shareProcessNamespace: true: containers see each other's processes
//	namespaces.host-users                hostUsers not false: no user namespace (info)
//
// [PSSControls] returns the Pod Security Standards controls on host
// namespaces, hostPath volumes, volume types, procMount and Windows
// HostProcess, version by version.
//
// Each check's file opens with the fields it reads and the values it
// allows. Every container is visited: init, regular and ephemeral (which
// may mount volumes and set a security context like the others).
//
// # Host paths
//
// [SensitiveHostPaths] is the list the checks use and [MatchSensitiveHostPath]
// the matcher, exported for tools that vet mounts of their own: paths are
// cleaned first (so "/var/run//docker.sock/" is the Docker socket), /var/run
// is read as /run, and a directory above a sensitive path counts as that
// path (mounting /run hands over every runtime socket in it). Subdirectories
// of a sensitive directory, such as /etc/ssl/certs, are not reported.
//
// # Linux only
//
// Windows pods (spec.os.name: windows) have no Linux namespaces, mount
// propagation or read-only root filesystem, and the API forbids those
// fields for them: namespaces.mount-propagation,
// namespaces.writable-root-filesystem and namespaces.host-users skip them.
// The hostPath checks still apply, and namespaces.sensitive-host-path looks
// for the Docker and containerd named pipes there.
package namespaces
