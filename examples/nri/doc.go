// Command nri is a containerd/CRI-O NRI plugin that audits every container
// before it is created and refuses (or logs) the ones with findings at or
// above a severity.
//
//	nri [-profile NAME[@VERSION]] [-fail-on SEVERITY] [-mode enforce|warn]
//	    [-name bulwark] [-idx 10] [-socket PATH]
//
// Flags:
//
//	-profile  the checks to run (bulwark.Profiles); default cis-docker. The
//	          container annotation bulwark.dev/profile overrides it.
//	-fail-on  the lowest severity that blocks: info, low, medium, high
//	          (default) or critical.
//	-mode     enforce (default): fail CreateContainer with the findings, so
//	          the kubelet reports CreateContainerError; warn: log only.
//	-name, -idx   the plugin's name and index (its order among plugins).
//	-socket   the NRI socket; default the runtime's, /var/run/nri/nri.sock.
//
// Each decision is logged as one JSON line on standard error.
//
// # What NRI shows, and what it does not
//
// At CreateContainer NRI passes the pod sandbox and the container as the
// runtime is about to create it. The plugin rebuilds from them the parts of
// the container's OCI runtime spec NRI exposes — process args, env, user
// and rlimits, mounts, hooks, namespaces, devices, cgroup resources,
// sysctls, the seccomp policy, OOM score, scheduling and I/O priority —
// and audits that spec with bulwark's OCI checks.
//
// NRI does not expose capabilities, privileged mode, no_new_privs, the
// AppArmor profile or SELinux label, the read-only root, masked and
// read-only paths or user-namespace ID mappings. Those paths are listed in
// Subject.Unobserved (see Unobserved), and findings at them are dropped:
// their absence from NRI's view says nothing about the container. A
// privileged container is therefore seen only by what it brings with it
// that NRI does show (host devices, host namespaces, unconfined seccomp).
// Pair the plugin with an admission webhook, or use an OCI hook, for the
// rest.
package main
