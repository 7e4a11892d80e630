// Command audit is bulwark's reference command: it audits Kubernetes
// manifests, OCI runtime specs and image configs, and exits non-zero when
// something at or above a severity is found.
//
//	audit [-profile NAME[@vMAJOR.MINOR|@latest]] [-format text|json|sarif]
//	      [-fail-on SEVERITY] [-show-suppressed] [-policy FILE]
//	      [-trust-annotations=false] [PATH|-]...
//
// With no PATH it audits an embedded sample: a careless Deployment with
// its ServiceAccount and a long-lived token Secret, a hardened Pod, an OCI
// runtime spec and an image config. The sample is one run: its workloads
// are judged with the objects beside them, as the files of a run are.
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
// findings and warnings never count), 1 when one does, 2 on a usage error,
// an unreadable policy file, or an input that could not be read.
package main
