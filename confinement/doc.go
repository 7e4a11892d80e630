// Package confinement holds the checks on syscall filtering and mandatory
// access control: seccomp profiles, AppArmor and SELinux.
//
// # Pod Security Standards controls
//
// [PSSControls] returns the controls Kubernetes' Pod Security Admission
// enforces on confinement, each as a check built for a Kubernetes version:
//
//	confinement.pss-seccomp-baseline    seccomp not explicitly Unconfined (annotations before 1.19, fields from 1.19)
//	confinement.pss-seccomp-restricted  RuntimeDefault or Localhost set on the pod or every container (1.19+)
//	confinement.pss-apparmor            AppArmor not Unconfined, by field or beta annotation
//	confinement.pss-selinux             SELinux type in the container_t family (container_engine_t from 1.31), no user or role
//
// The bulwark package assembles them, with the other packages' controls,
// into the pss-baseline and pss-restricted profiles; pss.go lists the fields
// each reads and the values each allows, version by version.
package confinement
