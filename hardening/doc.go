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
// # Runners
//
// [Checker] is the one interface tools embed. A [Runner] ([NewRunner]) is
// the Checker that runs a list of checks: it skips checks that do not read
// the subject's kind or platform ([Check.Platforms]: a Windows OCI spec
// never meets a check that reads linux.*), completes each finding from its
// check and the subject, turns a panicking check into a [CheckFailed]
// finding, applies the suppressions of the sources it trusts, and merges
// the findings that different checks report at one field path into one
// ([Finding.Related]): one root cause, one finding. NewRunner refuses a
// check that could not run (no Run, no Inputs, a malformed ID). A bare
// [Checks] list is a Checker too: it trusts no suppression source and
// reports a check that cannot run as a CheckFailed finding on every
// subject. [Checks.Select] narrows a list by ID and input kind, and
// [AtLeast] drops findings below a severity. Output is deterministic:
// checks run in list order and each keeps its findings in the order it
// reported them.
//
// # Who may suppress
//
// A suppression is a decision of whoever runs the audit, never of the
// audited object alone, so the runner trusts only the sources it is given
// ([RunOptions.Suppressions]):
//
//   - [ObjectAnnotations]: the object's own annotations (an OCI spec's
//     annotations, an image's labels). Right for files reviewed in a
//     repository, whose authors answer for them; never for admission.
//     Findings they suppress are marked [SuppressedByObject].
//   - a [Policy] file: exceptions with a check, selectors, a reason, an
//     owner and an expiry date. Right for CI and cluster audits.
//   - [Exemptions]: whole namespaces and runtime classes, as Pod Security
//     Admission's AdmissionConfiguration exempts them. Right for admission.
//
// On the object, suppressions are written as lines of one annotation,
// which fits any check ID and container name:
//
//	bulwark.dev/ignore: |
//	  capabilities.privileged: the CNI programs the host's network
//	  capabilities.pss-privilege-escalation.node-exporter: reads host metrics
//
// or, one per key, as bulwark.dev/ignore-<check-id>[.<container>]: <reason>
// where the key fits Kubernetes' 63-character limit. A suppressed finding
// is kept, marked [Finding.Suppressed] with its reason and origin, so
// reporters can show or hide it; a merged finding is suppressed only when
// every check in it is. Suppressions naming a check that did not run are
// ignored: they may be meant for another profile.
//
// Suppressions without a reason, malformed ones, unused ones and expired
// policy entries are reported as warnings ([Finding.Warning]) under every
// profile and selection. Warnings never count toward a verdict
// ([Finding.Counts], [Result.Failed], [Result.ExitCode]): an admission
// webhook running a pss-* profile admits exactly what Pod Security
// Admission admits.
//
// # Stability
//
// Check IDs are stable. The exported API of this package is what
// embedders build on: fields and functions are added, not changed; a
// breaking change is named in the release notes. The JSON report (package
// report) carries a version and changes additively only.
package hardening
