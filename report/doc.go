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
// subject has a header with its kind and source#document (and the template
// that rendered it, when the input names one), then one line per finding
// with its remediation below, the most severe first (in result order
// within a severity, warnings last):
//
//	Deployment/prod/web (pod, rendered.yaml#0) (from shop/templates/deployment.yaml)
//	  CRITICAL  spec.template.spec.containers[0].securityContext.privileged: container "app" is privileged [capabilities.privileged]
//	            fix: Set securityContext.privileged to false.
//	  (1 suppressed finding hidden)
//	  + 3 info findings, -show-info lists them
//	  (2 findings in the baseline not shown)
//	Pod/prod/clean (pod, rendered.yaml#2): no findings
//
// What a subject does not list it counts: suppressed findings (listed with
// Options.ShowSuppressed, marked "suppressed: <reason>"), info findings
// (listed with Options.ShowInfo) and findings a [Baseline] suppressed
// (never listed). Load errors follow, then the skipped documents: objects
// counted by kind, the most frequent first; objects whose pods a
// controller runs, one line each, as the audit did not see those pods;
// and parts of objects that were not audited, one line each:
//
//	skipped:
//	  12  v1 Service
//	   3  v1 ConfigMap
//
//	pods not in the input (a controller runs containers this audit did not see):
//	  rendered.yaml#9: Prometheus/monitoring/k8s (Prometheus Operator, from shop/templates/prometheus.yaml): creates a StatefulSet …
//
//	not audited within objects:
//	  flink.yaml#0: FlinkDeployment/stream/etl: spec.podTemplate.spec.containers: element 0 has no image
//
// Then a tally per check and a summary line:
//
//	3 subjects, 4 findings (1 critical, 1 high, 1 low, 1 info), 1 suppressed, 2 errors, 2 in the baseline, 16 skipped (1 with pods not in the input), 1 part not audited
//
// Suppressed findings and those in the baseline are not in the findings
// count; info findings are, listed or not. Options.Color adds ANSI
// colours. Control characters from the input (a hostile manifest can put
// escape sequences in a name, a value or a "# Source:" comment) are
// printed as Go escapes such as \x1b, never raw.
//
// # JSON
//
// JSON is the contract other tools parse. Its shape is fixed: fields may
// be added, never removed or renamed. It is one indented object:
//
//	{
//	  "version": 1,
//	  "subjects": [
//	    {"name": "Deployment/prod/web", "kind": "pod", "source": "rendered.yaml", "document": 0,
//	     "template": "shop/templates/deployment.yaml"}
//	  ],
//	  "findings": [
//	    {
//	      "check": "capabilities.privileged",
//	      "severity": "critical",
//	      "class": "escape",
//	      "subject": "Deployment/prod/web",
//	      "kind": "pod",
//	      "source": "rendered.yaml",
//	      "document": 0,
//	      "template": "shop/templates/deployment.yaml",
//	      "container": "app",
//	      "path": "spec.template.spec.containers[0].securityContext.privileged",
//	      "message": "container \"app\" is privileged",
//	      "remediation": "Set securityContext.privileged to false.",
//	      "references": [{"kind": "cis-docker", "id": "5.4", "url": "https://…"}],
//	      "suppressed": false,
//	      "baselineState": "new",
//	      "fingerprint": "3f9c…"
//	    }
//	  ],
//	  "errors": [
//	    {"source": "missing.json", "document": -1, "message": "open missing.json: no such file or directory"}
//	  ],
//	  "skipped": [
//	    {"source": "rendered.yaml", "document": 1, "kind": "v1 Service", "name": "Service/prod/web",
//	     "reason": "no pod template or pod spec in it", "template": "shop/templates/service.yaml"}
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
//     a Pod; suppressionReason only when suppressed is true, and
//     suppressedBy ("object", "policy", "exemption", "baseline") says who
//     suppressed it.
//   - template, on subjects, findings and skipped documents, is the file
//     that rendered the document (a Helm template, from its "# Source:"
//     comment); present only when the input names one.
//   - fingerprint is the finding's [Fingerprint]: its identity across
//     runs, the same as SARIF's partialFingerprints["bulwarkFinding/v1"].
//   - baselineState is "new" or "unchanged" when the findings were compared
//     with a [Baseline]; absent otherwise.
//   - A skipped document has name (the object's), path (where the skipped
//     object or part sits in the document), part (true for a part of an
//     object), reason and controller (the controller that runs pods from it
//     that are not in the input) when they apply.
//   - An error's message does not repeat its source and document.
//   - Every array is present and [] when empty, never null.
//
// The findings decode into [hardening.Finding] and the skipped documents
// into [hardening.Skipped]. Version 1 gained template, fingerprint,
// baselineState and the skipped documents' name, path, part, reason and
// controller as additions: a reader of version 1 reads them all.
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
//     standard input. When the input names the template that rendered the
//     document (Helm's "# Source:"), the message ends "(from [template](1))"
//     and relatedLocations holds the template, at its first line, with id
//     1: code scanning annotates a result's first location only and links
//     the related locations its message embeds. From standard input, which
//     has no file, the template is the location itself. Helm names a
//     template by the chart's name ("shop/templates/deployment.yaml"):
//     render a chart from the directory that holds it for the paths to be
//     the repository's. Two logicalLocations carry the field path
//     (kind "property", fullyQualifiedName "<subject>/<path>") and the
//     subject (kind "object"). partialFingerprints["bulwarkFinding/v1"] is
//     the SHA-256 hex of the check ID, subject and path, so a finding keeps
//     its identity when its message changes or its lines move. A
//     suppressed finding has suppressions [{"kind": "inSource", "justification": <reason>}].
//     properties repeat severity, class, subject, kind, document, template,
//     container, path and suppressedBy for other consumers. A finding
//     compared with a [Baseline] has baselineState "new" or "unchanged";
//     one the baseline suppressed has a suppression of kind "external".
//     Findings of the baseline that are gone are not written as "absent"
//     results: code scanning reads no baselineState and would show them as
//     alerts (it closes an alert whose result is gone by itself).
//   - invocations[0]: executionSuccessful is false when the Result has load
//     errors; each error is a toolExecutionNotification of level "error"
//     and each skipped document one of level "note", which names the
//     object, the controller that runs its pods and the reason.
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
// # Baselines
//
// A team that adopts bulwark on a repository that is not clean keeps an
// earlier report as a baseline, a JSON report or a SARIF log of this tool
// told apart by their content: [ReadBaselineFile] (or [ReadBaseline])
// reads it, and [Baseline.Mark] marks each finding of a run "new" or
// "unchanged" by its [Fingerprint] (check, subject and field path: a
// reworded message, moved lines or another check merged into a finding
// change nothing) and suppresses the unchanged ones that counted before
// ([SuppressedByBaseline]), so that only new findings count toward the
// verdict and the exit status. Text lists only the new ones and counts
// the others; JSON and SARIF carry both, with their baselineState. A run's
// JSON report is the next run's baseline. In a stream, mark each entry's
// findings in the function that receives it, before they are counted and
// written (see the example of [Baseline]).
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
