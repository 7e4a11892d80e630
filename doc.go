// Package bulwark audits containers for missing hardening: given what a tool
// knows about a container — its Kubernetes Pod (or any workload's pod
// template), its OCI runtime spec (config.json) or its OCI image config —
// it reports which isolation and hardening controls are missing, at which
// field path, which attack class that opens, and how to fix it.
//
// # The pieces
//
// The library is a set of small packages that share one vocabulary:
//
//   - [github.com/bulwarkdev/bulwark/hardening]: Subject, Check, Checker,
//     Finding, Severity, Class, suppressions. No I/O.
//   - Concern packages, each a list of checks: capabilities (privilege),
//     namespaces (isolation and mounts), cgroups (resources and devices),
//     network, confinement (seccomp, AppArmor, SELinux), images (config and
//     contents), hooks (OCI runtime hooks), serviceaccount (API tokens).
//   - [github.com/bulwarkdev/bulwark/load]: files, directories and bytes
//     into Subjects (Kubernetes YAML/JSON of every workload kind, OCI specs
//     and bundles, image configs), bounded against hostile input.
//   - [github.com/bulwarkdev/bulwark/report]: text, JSON and SARIF 2.1.0.
//
// This package ties them together: [Checks] is the catalog of every
// built-in check (CHECKS.md lists it), [Profile] resolves a named selection
// such as "all", and [AuditPaths] and [Audit] are one-call entry points.
//
// # Embedding
//
// A webhook or operator that already holds a Pod audits it directly:
//
//	findings := bulwark.Audit(bulwark.Checks(), hardening.NewPodSubject(pod))
//	for _, f := range findings {
//		fmt.Println(f) // spec.containers[0].securityContext.privileged: … [capabilities.privileged critical]
//	}
//
// A CI job audits files, then renders the result:
//
//	result := bulwark.AuditPaths(bulwark.Checks(), load.Options{}, "deploy/")
//	report.SARIF(os.Stdout, result, report.Options{Checks: bulwark.Checks()})
//
// Checks are values: select from the catalog with
// [hardening.Checks.Select], or append a [hardening.Check] of your own.
//
// # Verdicts
//
// Every finding names its check (a stable ID such as
// capabilities.dangerous), a severity, an attack class (escape,
// cross-container, inner-container, resource-exhaustion, management), the
// subject and document it came from, the JSON field path of the offending
// or missing setting, a message quoting the value, the remediation and the
// references (CIS Docker Benchmark, Pod Security Standards, NCC Group).
// Where a verdict depends on a default the input does not state — the
// capabilities a Pod gets when it drops none — the message says which
// default was assumed.
//
// Findings that different checks report at one field path are one
// finding: Check is the primary ID, Related lists the others, the severity
// is the highest.
//
// # Who may suppress
//
// [Audit] with a bare list of checks trusts no suppression: what a Pod says
// about itself never changes its verdict, as admission needs.
// [AuditPaths] audits files as a repository's reviewed content and trusts
// their own annotations ([FileSuppressions]); a [hardening.Runner] built
// with [hardening.NewRunner] trusts exactly the sources it is given (a
// policy file, admission exemptions). Warnings about suppressions never
// change a verdict.
//
// # Stability
//
// Check IDs, profile names and the JSON report's contract (it carries a
// version; changes are additive) are stable. The Go API of this package,
// hardening, load and report is what embedders build on: additions are
// made freely, and a breaking change is named in the release notes.
package bulwark
