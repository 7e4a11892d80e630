// Command audit is bulwark's reference command: it audits Kubernetes
// manifests, OCI runtime specs and image configs, and exits non-zero when
// something at or above a severity is found.
//
//	audit [-profile NAME[@vMAJOR.MINOR|@latest]] [-format text|json|sarif]
//	      [-fail-on SEVERITY] [-show-suppressed] [-show-info] [-policy FILE]
//	      [-trust-annotations=false] [-baseline FILE] [PATH|-]...
//
// With no PATH it audits an embedded sample: a careless Deployment with
// its ServiceAccount and a long-lived token Secret, a hardened Pod, an OCI
// runtime spec and an image config. The sample is one run: its workloads
// are judged with the objects beside them, as the files of a run are.
//
// Text lists each subject's findings the most severe first. Info findings
// are counted per subject ("+ 3 info findings"); -show-info lists them.
// Skipped objects are summed by kind; those whose pods a controller runs
// (an operator's custom resource) are listed one by one, since the audit
// did not see those pods, and so are the parts of objects it could not
// audit. JSON and SARIF always carry everything.
//
// # Rendered manifests
//
// Audit what a chart or an overlay renders, from standard input:
//
//	helm template my-release ./chart | audit -
//	kubectl kustomize overlays/prod | audit -
//
// helm template writes a "# Source: chart/templates/deployment.yaml" line
// above each document: findings name that template, in text
// ("… (from chart/templates/deployment.yaml)"), JSON ("template") and
// SARIF (the location from standard input, a linked related location from
// a file).
//
// # Baseline
//
// A team adopting bulwark on a repository that is not clean keeps a report
// of the current state and passes it as -baseline:
//
//	audit -format json deploy/ > bulwark-baseline.json
//	audit -baseline bulwark-baseline.json deploy/
//
// FILE is an earlier JSON report or SARIF log of this command, told apart
// by its content. Findings are matched by their fingerprint (check,
// subject and field path), so a reworded message, moved lines or a file
// renamed change nothing. Only findings not in the baseline are listed in
// text ("N findings in the baseline not shown") and count toward -fail-on;
// JSON and SARIF carry every finding with its baselineState, "new" or
// "unchanged". A finding that was suppressed when the baseline was written
// is not in it: when its suppression goes, it counts again. A SARIF log
// that left results out (code scanning's limits) is refused: write the
// baseline as JSON.
//
// # Who may suppress
//
// Files reviewed in a repository are audited as their authors wrote them:
// the objects' own suppression annotations are honoured (each such finding
// is marked "suppressed by the object itself"), and so are the entries of a
// -policy file (kind SuppressionPolicy: check, subject, container and
// source selectors, reason, owner, expiry; see hardening.Policy).
// -trust-annotations=false honours the policy file alone, as a cluster
// audit should. Unused, expired, malformed or reasonless suppressions are
// reported as warnings under every profile; they never change the exit
// status.
//
// Exit status: 0 when no finding counts at or above -fail-on (suppressed
// findings, findings in the baseline and warnings never count), 1 when one
// does, 2 on a usage error, an unreadable policy or baseline file, or an
// input that could not be read.
package main
