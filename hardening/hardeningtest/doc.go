// Package hardeningtest runs checks over fixture files that carry their
// expected findings next to the input, in the spirit of
// golang.org/x/tools/go/analysis/analysistest.
//
// A YAML fixture states what it expects in comments, inside the document
// the finding belongs to:
//
//	apiVersion: v1
//	kind: Pod
//	metadata: {name: web}
//	spec:
//	  containers:
//	  - name: app
//	    image: app:1
//	    securityContext:
//	      privileged: true   # want: capabilities.privileged spec.containers[0].securityContext.privileged
//
// A comment may stand on its own line or at the end of one. Append
// "suppressed" to expect the finding suppressed by an annotation. A JSON
// fixture (which has no comments) keeps its expectations in a sibling file
// named <fixture>.want, one "<check-id> <path> [suppressed]" per line, for
// its only document; lines starting with # are ignored there.
//
// [Run] loads each fixture with the load package, audits every subject with
// the checker under test, and fails with a go-cmp diff when a finding is
// missing or unexpected. A fixture that does not load cleanly fails too.
// Each fixture is one run: its workloads share the Cluster of the objects
// in it (a ServiceAccount, a LimitRange, …), and the findings of set
// checks, reported when the run ends, are expected in the document they
// name.
package hardeningtest
