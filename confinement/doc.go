// Package confinement holds the checks on syscall filtering and mandatory
// access control: seccomp profiles, AppArmor and SELinux.
//
// # Checks
//
// [Checks] returns the checks on OCI runtime specs:
//
//	confinement.seccomp-missing          no linux.seccomp, or one without defaultAction and syscalls (runc loads no filter)
//	confinement.seccomp-allow-default    defaultAction SCMP_ACT_ALLOW or SCMP_ACT_LOG: a deny list (names the escape syscalls it leaves open)
//	confinement.seccomp-escape-syscalls  an escape-relevant syscall ([EscapeSyscalls]) let through without, or despite, argument filters
//	confinement.seccomp-arch-missing     a native architecture listed without its compat ABIs (info: they are killed, not let through)
//	confinement.seccomp-spec-allow       SECCOMP_FILTER_FLAG_SPEC_ALLOW: no Speculative Store Bypass mitigation
//	confinement.seccomp-notify           listenerPath or SCMP_ACT_NOTIFY: decisions delegated to a host agent
//	confinement.lsm-missing              neither process.apparmorProfile nor process.selinuxLabel set
//	confinement.apparmor-unconfined      process.apparmorProfile "unconfined"
//	confinement.selinux-unconfined       process.selinuxLabel spc_t/unconfined_t, or without MCS categories
//
// Each check's file opens with the fields it reads and the values it
// allows. The seccomp checks read the profile's content the way runc hands
// it to libseccomp: escape.go says exactly how the action a syscall gets
// is resolved when several rules name it, which actions count as letting a
// call through (ALLOW, LOG, and TRACE when ptrace is allowed) and when an
// argument filter is proven to admit the dangerous use (clone and unshare
// namespace flags, clone's flags in argument 1 on s390, clone3,
// always-true filters). A profile that allows by default is reported once,
// by confinement.seccomp-allow-default, not once per syscall.
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
