// Package report renders a [hardening.Result] as text for people, as JSON
// for programs, or as SARIF 2.1.0 for code-scanning services such as GitHub
// code scanning.
//
//	result := &hardening.Result{Subjects: subjects}
//	result.Audit(checks)
//	err := report.Text(os.Stdout, result, report.Options{
//		Checks: checks,
//		Color:  report.IsTerminal(os.Stdout) && os.Getenv("NO_COLOR") == "",
//	})
//
// Each renderer writes its whole output in one Write call and returns the
// writer's error (the stream writers below write as they go). Output depends only on the Result and the [Options]: the
// same input gives the same bytes. Findings keep the order of
// Result.Findings, which [hardening.Checks] makes deterministic. Pass the
// checks that ran in Options.Checks: SARIF describes each of them as a rule
// (so a check that found nothing still shows it was applied), Text titles
// its per-check tally with them, and a finding whose severity, class,
// remediation or references are unset takes the check's.
//
// # Text
//
// Findings are grouped by subject, in the order of Result.Subjects. Each
// subject has a header with its kind and source#document, then one line per
// finding with its remediation below:
//
//	Deployment/prod/web (pod, manifests/deploy.yaml#0)
//	  CRITICAL  spec.template.spec.containers[0].securityContext.privileged: container "app" is privileged [capabilities.privileged]
//	            fix: Set securityContext.privileged to false.
//	  (1 suppressed finding hidden)
//	Pod/prod/clean (pod, manifests/deploy.yaml#2): no findings
//
// Suppressed findings are counted but listed only with
// Options.ShowSuppressed, marked "suppressed: <reason>". Load errors and
// skipped documents follow, then a tally per check and a summary line:
//
//	3 subjects, 3 findings (1 critical, 1 high, 1 low), 1 suppressed, 2 errors, 1 skipped
//
// Suppressed findings are not in the findings count. Options.Color adds
// ANSI colours. Control characters from the input (a hostile manifest can
// put escape sequences in a name or value) are printed as Go escapes such
// as \x1b, never raw.
//
// # JSON
//
// JSON is the contract other tools parse. Its shape is fixed: fields may
// be added, never removed or renamed. It is one indented object:
//
//	{
//	  "subjects": [
//	    {"name": "Deployment/prod/web", "kind": "pod", "source": "manifests/deploy.yaml", "document": 0}
//	  ],
//	  "findings": [
//	    {
//	      "check": "capabilities.privileged",
//	      "severity": "critical",
//	      "class": "escape",
//	      "subject": "Deployment/prod/web",
//	      "kind": "pod",
//	      "source": "manifests/deploy.yaml",
//	      "document": 0,
//	      "container": "app",
//	      "path": "spec.template.spec.containers[0].securityContext.privileged",
//	      "message": "container \"app\" is privileged",
//	      "remediation": "Set securityContext.privileged to false.",
//	      "references": [{"kind": "cis-docker", "id": "5.4", "url": "https://…"}],
//	      "suppressed": false
//	    }
//	  ],
//	  "errors": [
//	    {"source": "missing.json", "document": -1, "message": "open missing.json: no such file or directory"}
//	  ],
//	  "skipped": [
//	    {"source": "manifests/deploy.yaml", "document": 1, "kind": "v1 Service"}
//	  ]
//	}
//
// In it:
//
//   - kind is "pod", "oci-spec" or "image".
//   - severity is "info", "low", "medium", "high" or "critical"; class is
//     "escape", "cross-container", "inner-container",
//     "resource-exhaustion" or "management".
//   - source is the file as the user named it ("-" for standard input);
//     document is the 0-based document index in it, or -1 in an error that
//     concerns the whole file.
//   - container is present only when the finding is about one container of
//     a Pod; suppressionReason only when suppressed is true.
//   - An error's message does not repeat its source and document.
//   - Every array is present and [] when empty, never null.
//
// The findings decode into [hardening.Finding] and the skipped documents
// into [hardening.Skipped].
//
// # SARIF
//
// SARIF writes a SARIF 2.1.0 log ($schema is the OASIS errata 01 schema)
// with one run and these mappings, chosen for GitHub code scanning:
//
//   - tool.driver: name "bulwark", informationUri
//     https://github.com/bulwarkdev/bulwark, version Options.ToolVersion.
//   - rules: one per check in Options.Checks plus one per check ID seen only
//     in findings, sorted by ID. id is the check ID; name its CamelCase
//     ("capabilities.privileged" → "CapabilitiesPrivileged");
//     shortDescription the title; fullDescription the rationale; help the
//     remediation and references, as text and Markdown (GitHub shows help,
//     not helpUri); helpUri the first reference URL; defaultConfiguration
//     the level of the check's severity; properties "security-severity",
//     "tags" (["security", class, "CIS-5.4", "PSS-baseline/capabilities",
//     "NCC-…", "CVE-…"]) and "precision" ("high"). A check ID with no
//     check gets a minimal rule: its ID as description, and the severity,
//     class, remediation and references of its first finding.
//   - results: one per finding, suppressed included, in Result order.
//     ruleId and ruleIndex name the rule; level is the finding's severity
//     mapped as below; message.text is "subject: path: message". The
//     location's physicalLocation is the source as a relative URI
//     reference (an absolute path becomes a file:// URI) with region
//     startLine the line of the finding's field path when Options.Lines
//     tells it (the nearest enclosing field's for a missing one), the
//     first line of the finding's document otherwise; it is left out for
//     standard input. Two logicalLocations carry the field path
//     (kind "property", fullyQualifiedName "<subject>/<path>") and the
//     subject (kind "object"). partialFingerprints["bulwarkFinding/v1"] is
//     the SHA-256 hex of the check ID, subject and path, so a finding keeps
//     its identity when its message changes or its lines move. A
//     suppressed finding has suppressions [{"kind": "inSource", "justification": <reason>}].
//     properties repeat severity, class, subject, kind, document, container
//     and path for other consumers.
//   - invocations[0]: executionSuccessful is false when the Result has load
//     errors; each error is a toolExecutionNotification of level "error"
//     and each skipped document one of level "note".
//   - results is always an array, [] when nothing was found, as GitHub
//     requires.
//   - Limits: code scanning shows at most 5,000 results of a run, accepts
//     at most 25,000, and at most 10 MB of gzip-compressed SARIF per file.
//     A log keeps at most Options.MaxSARIFResults results (default 5,000,
//     at most 25,000), the most severe (unsuppressed before suppressed and
//     warnings, then by severity, then in input order), fewer if it would
//     exceed 10 MB compressed, and says what it left out in a
//     toolExecutionNotification of level "warning" and in the run's
//     properties resultsTotal and resultsOmitted. Errors and skipped
//     documents past the first 1,000 of each are counted, not listed.
//
// # Streams
//
// [NewJSONWriter], [NewTextWriter] and [NewSARIFWriter] render an audit
// stream (bulwark.Stream) entry by entry as a [StreamWriter]: Write each
// [hardening.Entry], then Close. JSON and text write each subject as it
// comes and give the bytes JSON and Text give for the collected Result;
// what those formats list after all subjects is held in temporary files
// past 1 MiB, so memory stays bounded whatever the input. SARIF holds at
// most the results it keeps (see the limits above).
//
// # Severity mapping
//
//	severity   SARIF level   security-severity   GitHub shows
//	critical   error         9.5                 Critical
//	high       error         8.0                 High
//	medium     warning       5.5                 Medium
//	low        note          3.0                 Low
//	info       note          0.0                 Low
//
// GitHub buckets security-severity as: over 9.0 critical, 7.0 to 8.9 high,
// 4.0 to 6.9 medium, 3.9 or less low. It has no bucket below low, so info
// differs from low there only in level and properties.severity. GitHub
// reads security-severity from the rule only, so it ranks a finding by its
// check's severity even when the finding overrides it; the result's level
// and properties.severity carry the finding's own.
package report
