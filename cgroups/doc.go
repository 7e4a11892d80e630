// Package cgroups holds the checks on resource exhaustion: the limits and
// requests that keep one container from taking its node's memory, CPU and
// disk from the others.
//
// # Checks
//
//	cgroups.memory-limit-missing             no resources.limits.memory (medium)
//	cgroups.cpu-limit-missing                no resources.limits.cpu (low: CPU is compressible and often left unlimited by policy)
//	cgroups.memory-request-missing           no memory request, nor a memory limit it would default to (low)
//	cgroups.cpu-request-missing              no CPU request, nor a CPU limit it would default to (info)
//	cgroups.ephemeral-storage-limit-missing  no resources.limits.ephemeral-storage (low)
//
// Each check is separate so a profile can keep memory limits and drop CPU
// limits, a common policy. The file resources.go opens with the fields they
// read and the values they allow.
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
// Windows pods are checked too. LimitRange defaults applied at admission
// are not visible in a manifest.
package cgroups
