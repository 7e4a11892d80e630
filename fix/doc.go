// Package fix makes hardened copies: the smallest change to a Kubernetes
// manifest or an OCI runtime spec that removes its findings, on the user's
// own file, with a unified diff.
//
// # What a fix is
//
// Fixes are declared by the checks ([hardening.Check.Fix]), so a custom
// check can fix too. For a finding, the fix of its primary check returns
// the [hardening.Edit]s that remove it (set a field, delete one), or none
// and why: a fix that needs a decision the check cannot make — which
// capabilities the program needs, whether a DaemonSet may leave the host's
// network, how much memory a program needs — leaves the field alone and
// says what to decide. [Options.Decisions] takes those decisions, by check
// ID. Fixes never write what the API server rejects
// (allowPrivilegeEscalation: false beside privileged: true) nor what
// admission accepts and the kubelet refuses: runAsNonRoot: true comes with
// a numeric non-zero runAsUser ([hardening.FixDefaultUID], 65532) unless
// the image's USER is known to be one ([Options.Images]).
//
// # Fixing a source
//
// [Source] (and [File]) audits every subject of a source with the checks
// of a profile ([Options.Checks]: pss-restricted@v1.30, cis-docker, the
// default profile), applies the fixes of the findings that count
// ([Options.Min], [Options.Only] to fix chosen checks only), audits again
// and repeats while that fixes more (a decision to remove privileged: true
// brings to light the findings it folded). A merged finding is fixed by
// its primary check's fix, and counts as fixed only when none of its
// checks, primary or related, reports at its path any more. The [Result]
// holds the source before and after, its [Result.Diff], what was fixed
// (with the edits and the notes a reviewer should read) and every finding
// left, with the reason.
//
// [Plan] and [Apply] are the two halves for a caller that has a subject,
// its findings and the source bytes already: Plan asks the checks for
// their edits, Apply applies edits to one document of a source.
//
// # Editing
//
// YAML is edited on the node tree of go.yaml.in/yaml/v3 (the library
// sigs.k8s.io/yaml ships, which gives load its positions too): the edits
// are applied to the tree, and each difference from the tree as parsed is
// patched into the text at the positions the parser recorded. Only the
// lines of the fields edited change; comments, key order, quoting (a
// quoted string stays quoted), blank lines, anchors and the other
// documents of the file stay as they were. New mappings are written in
// the file's own indentation, lists of scalars in flow style ([ALL]). A
// field below an anchor that aliases share is edited once, at the anchor,
// when every place that shares it needs the same edit; an edit that
// reaches shared content through one alias de-aliases that alias (it
// becomes an edited copy); an edit of an anchor whose aliases do not need
// it is refused, with the reason. A merge key's value is overridden by a
// key of the mapping itself.
//
// JSON (OCI specs, kubectl's output) is edited on a small order-preserving
// tree of its own: every value keeps its text, every object its key order,
// and what did not change is written back byte for byte, the rest in the
// layout around it.
//
// Multi-document files, Lists (paths items[3].spec…) and every workload
// kind (spec.template.spec…, spec.jobTemplate.spec.template.spec…) are
// fixed in place.
package fix
