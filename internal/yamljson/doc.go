// Package yamljson converts the plain YAML that Kubernetes manifests are
// written in to JSON, byte for byte as sigs.k8s.io/yaml's YAMLToJSON does
// (go-yaml v2's decoder into interfaces, then encoding/json), several
// times faster, and declines anything else, which the caller then
// converts the general way.
//
// Why: converting YAML to JSON was about half of the CPU time of a run
// over a directory of manifests. go-yaml builds an event stream, a node
// tree, a map of interfaces and a second map of strings before
// encoding/json sorts and writes it. The documents tools write and people
// keep in repositories use a small part of YAML, and that part can be
// read in one pass over the lines.
//
// The subset: block maps and block sequences (a sequence may sit at its
// key's column), keys that are plain or quoted strings, plain scalars on
// one line, single- and double-quoted scalars on one line (double-quoted
// with the escapes \" \\ \n \t \r only), literal block scalars (|, |-
// and |+, without an indentation indicator), flow collections that end
// on the line they start on, comments, blank lines, and printable ASCII.
// Left out, so declined: anchors, aliases and merge keys, tags, folded
// block scalars (>), scalars over several lines, tabs, carriage returns,
// bytes outside ASCII, directives and document markers, keys that are
// not strings (80:, yes:, null:), a map with a key twice, the floats
// JSON cannot hold (.inf, .nan), and anything nested deeper than the
// caller's limit. Invalid YAML is always declined, so the error comes
// from the general path.
//
// Plain scalars get go-yaml v2's types: YAML 1.1's booleans (yes, on, Y
// …) and nulls (~, null, an empty value), integers in Go's syntax with
// underscores dropped (0x1F, 0o17, 017, 1_000), floats (1e3 is 1000, as
// JSON), and strings for everything else, timestamps included.
//
// Exactness is the contract: whenever Convert says ok, its bytes equal
// YAMLToJSON's. The tests compare the two on every YAML file of the
// repository and on Kubernetes-shaped documents, and the fuzz test on
// whatever it generates.
package yamljson
