// Package netpoltest is bulwark's differential ground truth for
// NetworkPolicy evaluation, in a module of its own so that the library
// does not depend on what it is checked against: internal/netpol, which
// the network checks use, against the matcher of mattfenwick/cyclonus
// (pkg/matcher, the NetworkPolicy engine that Kubernetes SIG Network's
// policy-assistant grew from), on generated namespaces, pods, policies and
// traffic.
//
// cyclonus v0.5.6 builds with bulwark's k8s.io/api v0.37.2 once its
// client-go is raised to the same release (v0.37.2; cyclonus pins v0.30,
// whose scheme imports API groups that v0.37 removed): go.mod requires it.
//
// Two inputs are kept out of the comparison because cyclonus departs from
// Kubernetes there (TestCyclonusDivergences pins both, against the API
// machinery's own selectors): a NotIn expression on a key the object does
// not have (Kubernetes matches, cyclonus does not), and a matchLabels
// entry with an empty value on such a key (Kubernetes does not match,
// cyclonus does). The generator puts NotIn only on keys every object has
// and never writes an empty value; internal/netpol's selectors are
// compared with the API machinery on those inputs in its own tests.
package netpoltest
