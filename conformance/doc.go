// Package conformance proves that bulwark's Pod Security Standards profiles
// give exactly the verdict of Kubernetes' own Pod Security Admission (PSA),
// for exactly the same failing controls, on every pod, at every level and
// every version.
//
// It is a separate Go module so that bulwark itself does not depend on PSA
// (k8s.io/pod-security-admission and the Kubernetes libraries it pulls in):
// only this module imports it, as the reference to compare against. The
// package has no code of its own; everything is in its tests.
//
// # What is compared
//
// Per pod and per target (a level at a version), two things: the verdict,
// and the set of controls that fail.
//
// A verdict is "allowed" or "forbidden". For bulwark it comes from
//
//	checks, _ := bulwark.Profile("pss-restricted@v1.25")
//	findings := checks.Check(hardening.NewPodSubject(pod), nil)
//	allowed := every finding is suppressed (usually: there are none)
//
// and for PSA from policy.NewEvaluator(policy.DefaultChecks(), nil).EvaluatePod
// at the same level and version: allowed if every check result is. Levels
// are baseline and restricted; versions are v1.0 to v1.37 (the newest PSA
// v0.37.2 defines), v1.38 (which both must treat as v1.37) and latest.
//
// When either side forbids the pod, the failing controls are compared too,
// in PSA's check IDs (privileged, hostPorts, capabilities_restricted, …):
//
//   - bulwark's are the distinct check IDs of its unsuppressed findings
//     (failingControls), translated by one table, psaControlOf, from
//     bulwark's control IDs (capabilities.privileged, network.pss-host-ports,
//     …) to PSA's. TestControlMapping keeps the table total and one to one
//     over both vocabularies, and proves that at every target bulwark's
//     profile translated through it is exactly the set of checks PSA runs,
//     so a control added, renamed or versioned differently on either side
//     fails there instead of falling out of the comparison. A finding of a
//     check outside the table (a check that panicked, say) keeps its ID and
//     so always counts as a difference.
//   - PSA's evaluator does not say which check produced a result, so PSA's
//     are found by running, one by one, every check of policy.DefaultChecks()
//     that PSA runs at the target, assembled as PSA's registry assembles
//     levels: each check at its newest version not newer than the target,
//     and at restricted every baseline check that no restricted check in
//     force overrides. The results must equal the evaluator's, reason for
//     reason: TestExplainPSA checks it on every systematic pod and every
//     fixture, and every comparison in which a side forbids the pod checks
//     it again on that pod.
//
// # Where the pods come from
//
//   - PSA's own fixtures (test/testdata/<level>/v1.<minor>/<pass|fail>/*.yaml
//     in the module cache, about 4500 files): each is judged at its
//     directory's level and version, where bulwark, PSA and the directory
//     must all agree (TestFixtures), and each distinct pod is judged at
//     every level and version, where bulwark and PSA must agree
//     (TestFixturesAllVersions).
//   - A generator (TestGeneratedSystematic): two minimal valid pods, one
//     per level, changed one field at a time through a vocabulary of about
//     500 mutations covering every field the standards read — host
//     namespaces, privileged, capabilities (odd spellings included), every
//     volume source, host ports, AppArmor, SELinux, procMount, seccomp
//     (annotations and fields), sysctls, Windows hostProcess, probe and
//     lifecycle hosts, privilege escalation, runAsNonRoot, runAsUser — on
//     init, regular and ephemeral containers, each alone and under ten
//     contexts that change how other fields are judged (hostUsers, the OS,
//     where runAsNonRoot and seccomp are set).
//   - Seeded random combinations of the same mutations (TestGeneratedRandom).
//   - FuzzConformance, which lets the fuzzer pick the pod (as YAML or as
//     mutations), the level and the version.
//
// # Reading a failure
//
// Disagreements are grouped by cause, in the controls each side fails:
// which PSA checks forbid the pod while bulwark allows it ("PSA denies via
// hostPorts, bulwark allows"), which bulwark checks forbid it while PSA
// allows it, or, when both forbid it, the controls only one side fails
// ("both deny, for different controls: only PSA fails hostPorts; only
// bulwark fails capabilities.privileged (privileged)", bulwark's IDs shown
// with the PSA check they stand for). A fixture whose directory disagrees
// is marked as such. Each group lists the pods (a fixture file, or the base
// pod and the mutations applied to it) with the versions compacted into
// ranges, and shows a few in full: both sets of failing controls, PSA's
// reason and detail per check, bulwark's findings (check, path, message)
// and the pod as YAML. Set CONFORMANCE_EXAMPLES=n to show n pods per group.
//
// CONFORMANCE_IGNORE (check IDs, PSA's or bulwark's, comma-separated)
// counts instead of reporting every disagreement whose differing controls
// are all listed; it is for hunting new disagreements past a known one,
// never for CI, and never hides a fixture directory's disagreement.
//
// BenchmarkPSS compares the cost of one verdict, bulwark's and PSA's, on
// the same pods.
package conformance
