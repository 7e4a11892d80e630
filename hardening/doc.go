// Package hardening is the vocabulary every bulwark package shares: what is
// audited ([Subject]), what audits it ([Check], [Checker]), and what comes out
// ([Finding], [Result]).
//
// It holds no concern logic and does no I/O. The concern packages
// (capabilities, namespaces, …) define checks; the load package turns files
// into subjects; the report package renders results.
//
// # Subjects
//
// A [Subject] is one thing under audit, of one [Kind]: a Kubernetes Pod with
// all its containers (a workload's pod template is lifted into a Pod whose
// field paths still point into the workload), one OCI runtime spec, or one
// OCI image config. It remembers where it came from (source and 0-based
// document index) so findings can point back to the input.
//
// # Checks
//
// A [Check] is a value with metadata — a stable ID of the form
// <package>.<kebab-name>, a title, a default [Severity], an attack [Class],
// rationale, remediation and [Reference]s — and a Run function that appends
// findings for one subject. Checks are pure: no I/O, no shared state, safe for
// concurrent use, and deterministic.
//
// Run follows the append convention of strconv.AppendInt: it receives the
// findings so far and returns them with its own appended. A subject that
// passes therefore costs no allocation at all. A check fills in only the
// path and message of a finding (and, when they differ from the check's,
// its severity and remediation); [Checks] completes the rest from the check
// and the subject.
//
// # Checkers
//
// [Checker] is the one interface tools embed. A [Checks] list is a Checker;
// [Checks.Select] narrows it by ID and input kind, and [AtLeast] drops
// findings below a severity. [Checks] runs checks in list order and keeps
// each check's findings in the order it reported them, so output is
// deterministic.
//
// # Suppressions
//
// A finding is suppressed by an annotation whose value is the reason:
//
//	bulwark.dev/ignore-<check-id>: "<reason>"              // whole subject
//	bulwark.dev/ignore-<check-id>.<container>: "<reason>"  // one container of a Pod
//
// Pods read them from the pod (template) metadata and the workload's
// metadata, OCI specs from their annotations, images from their config
// labels. A suppressed finding is kept, marked [Finding.Suppressed] with the
// reason, so reporters can show or hide it. A suppression without a reason
// suppresses nothing and is reported by [SuppressionWithoutReason]; a
// suppression for a check that ran and found nothing to suppress is reported
// by [UnusedSuppression], as staticcheck reports unmatched directives.
// Suppressions naming a check that did not run are ignored: they may be meant
// for another profile.
package hardening
