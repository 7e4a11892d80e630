// Package conformance proves that bulwark's Pod Security Standards profiles
// give exactly the verdict of Kubernetes' own Pod Security Admission (PSA),
// on every pod, at every level and every version.
//
// It is a separate Go module so that bulwark itself does not depend on PSA
// (k8s.io/pod-security-admission and the Kubernetes libraries it pulls in):
// only this module imports it, as the reference to compare against. The
// package has no code of its own; everything is in its tests.
//
// # What is compared
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
// Disagreements are grouped by cause: which PSA checks forbid the pod
// while bulwark allows it, or which bulwark checks forbid it while PSA
// allows it. Each group lists the pods (a fixture file, or the base pod and
// the mutations applied to it) with the versions compacted into ranges, and
// shows a few in full: PSA's reason and detail per check, bulwark's
// findings (check, path, message) and the pod as YAML. Set
// CONFORMANCE_EXAMPLES=n to show n pods per group.
//
// BenchmarkPSS compares the cost of one verdict, bulwark's and PSA's, on
// the same pods.
package conformance
