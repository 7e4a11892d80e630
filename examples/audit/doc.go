// Command audit is bulwark's reference command: it audits Kubernetes
// manifests, OCI runtime specs and image configs, and exits non-zero when
// something at or above a severity is found.
//
//	audit [-profile NAME[@vMAJOR.MINOR|@latest]] [-format text|json|sarif]
//	      [-fail-on SEVERITY] [-show-suppressed] [-show-info] [-policy FILE]
//	      [-trust-annotations=false] [-baseline FILE] [PATH|-]...
//	audit -fix|-diff [-profile NAME] [-fail-on SEVERITY] [-fix-checks IDS]
//	      [-decide CHECK=VALUE]... [PATH|-]...
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
// # Fix
//
// -fix rewrites each file with the smallest edits that make it pass
// -profile at -fail-on, keeping its mode; -diff prints those edits as a
// unified diff instead and exits 1 when there is one. Both list, per file,
// what they fixed, the notes a reviewer should read (the uid a container
// now runs as), and every finding left with the reason:
//
//	audit -profile pss-restricted@v1.30 -diff deploy/
//	audit -fix deploy/ bundle/config.json
//	helm template my-release ./chart | audit -fix - > hardened.yaml
//
// YAML is edited in place: only the lines of the fields edited change,
// and comments, key order, quoting, anchors and the other documents stay
// as they were. JSON (OCI runtime specs, kubectl output) keeps its key
// order and layout. Multi-document files, Lists, every workload kind and
// OCI bundles are fixed; standard input goes to standard output (the
// summary to standard error). With no PATH, -diff shows how the embedded
// careless sample would be hardened, and -fix prints the hardened files.
//
// Each fix is declared by its check. A fix that needs a decision only the
// workload's authors can make — whether a container must stay privileged
// or keep an added capability, whether a pod may leave the host's
// network, how much memory a program needs — leaves the field alone and
// says what to decide; -decide takes the decision
// (capabilities.privileged=remove, cgroups.memory-limit-missing=512Mi,
// confinement.seccomp-missing=@profile.json). -fix-checks fixes only the
// findings of the checks named (patterns such as capabilities.*).
//
// Exit status with -fix: 0 when nothing that counts is left, 1 when a
// finding is left, 2 when an input could not be read or written. With
// -diff, 1 also when there is a diff.
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
