// Package cgroups holds the checks on resource exhaustion and device
// access: the limits and requests that keep one container from taking its
// node's memory, CPU, processes and disk from the others, and the device
// cgroup that keeps it away from the host's devices.
//
// # Checks
//
// On Pods and OCI runtime specs:
//
//	cgroups.memory-limit-missing             no memory limit: resources.limits.memory, linux.resources.memory.limit (medium, CIS 5.11)
//	cgroups.cpu-limit-missing                no CPU limit; in a spec no CPU shares, quota or cpuset (low: CPU is compressible, CIS 5.12)
//
// On Pods:
//
//	cgroups.memory-request-missing           no memory request, nor a memory limit it would default to (low)
//	cgroups.cpu-request-missing              no CPU request, nor a CPU limit it would default to (info)
//	cgroups.ephemeral-storage-limit-missing  no resources.limits.ephemeral-storage (low)
//
// On the run as a whole (a set check, with the run's objects):
//
//	cgroups.namespace-limits-missing         a namespace runs workloads and no LimitRange or ResourceQuota among the objects bounds it (low; info when the Namespace is not among them either)
//
// On OCI runtime specs:
//
//	cgroups.pids-limit-missing               linux.resources.pids.limit unset or <= 0 (medium, CIS 5.29)
//	cgroups.swap-unbounded                   memory limit set, but memory+swap unset, -1 or above it (low)
//	cgroups.device-cgroup-open               linux.resources.devices allows every device (high, CIS 5.18; info without any deny-all rule)
//	cgroups.device-allowed                   a device rule allows block devices or /dev/mem, /dev/kmsg, /dev/kvm… (high to low, CIS 5.18)
//	cgroups.device-node                      linux.devices creates such a device node (high to low, CIS 5.18)
//	cgroups.oom-score-adj                    process.oomScoreAdj < 0 (low; info with a memory limit)
//	cgroups.realtime-scheduling              SCHED_FIFO/SCHED_RR or IOPRIO_CLASS_RT with nothing bounding it (medium)
//	cgroups.rlimits-unbounded                no RLIMIT_NOFILE or RLIMIT_NPROC, or an unlimited hard limit (low, CIS 5.19)
//
// Each check is separate so a profile can keep memory limits and drop CPU
// limits, a common policy. Each file opens with the fields its checks read
// and the values they allow: resources.go (the limits shared with Pods),
// limits.go, devices.go, scheduling.go, rlimits.go and namespace.go;
// limitrange.go holds the LimitRange defaulting the Pod checks share.
//
// # Semantics
//
// Init and regular containers (sidecars included) are checked; ephemeral
// containers are not, because the API forbids resources on them. Pod-level
// resources (spec.resources, Kubernetes 1.32+) bound every container at once
// and satisfy the memory and CPU checks; they cannot hold ephemeral-storage.
// A missing request is defaulted by the API server to the limit, so a
// container with a limit is not reported for its request. A finding's path
// is the field to set, such as spec.containers[0].resources.limits.memory.
// Windows pods are checked too.
//
// A Pod is judged as the API server admits it: the LimitRanges of its
// namespace among the run's objects (a [hardening.Cluster]) give its
// containers the defaults the LimitRanger admission plugin gives them,
// including the ones a LimitRange's max and min imply (a max alone
// defaults the limit and the request), and a container that gets its
// value from there is not reported ([AdmittedResources] returns the
// values and the LimitRange each came from; the groundtruth module checks
// it against the plugin). A finding says which LimitRanges it looked at,
// or that none was among the audited objects.
//
// In an OCI spec, a cgroup v2 value in linux.resources.unified
// ("memory.max", "memory.swap.max", "pids.max", "cpu.max") overrides the
// structured field, as runc and crun apply unified values last, and is
// reported at its key (linux.resources.unified[pids.max]). memory.swap is
// the limit on memory and swap together, so swap equal to the memory limit
// means no swap. The device checks follow runc and crun: the device cgroup
// starts from deny-all, and a type "a" rule covers every device whatever
// its numbers. Docker's, containerd's and `runc spec`'s default specs set
// no pids, memory or CPU limit and are reported for that, and for missing
// rlimits; their device rules start with deny-all and pass.
package cgroups
