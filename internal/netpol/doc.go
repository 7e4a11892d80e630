// Package netpol evaluates Kubernetes NetworkPolicies (networking.k8s.io/v1)
// with the selection semantics the API defines: which policies select a
// pod, whether a pod is isolated for ingress or egress, and whether traffic
// from a peer, or to an address, is allowed. It is the one place these
// semantics live; the network package's checks, and any other package that
// needs them, call it.
//
// # Model
//
// A policy applies to the pods of its own namespace that its
// spec.podSelector matches (an empty selector matches every pod of the
// namespace, never a pod of another). For each direction separately a pod
// is isolated when at least one valid policy selects it and lists the
// direction in its policyTypes; an isolated pod accepts (or sends) only
// what the union of those policies' rules allows, and a pod that is not
// isolated accepts (or sends) everything. Rules are additive: there is no
// deny rule, no order and no priority. Traffic between two pods needs the
// source's egress side and the destination's ingress side to allow it;
// an end outside the cluster (a [Peer] without a Pod) has no side of its
// own.
//
// The details are the API's:
//
//   - policyTypes, when empty, is what the API server defaults it to:
//     Ingress always, and Egress when spec.egress has at least one rule
//     ([Types]). A policy with only egress rules and no policyTypes thus
//     isolates its pods for ingress as well, and allows them none.
//   - Within a rule, the peers (from or to) are OR-ed and the ports are
//     OR-ed, and the two lists are AND-ed; an empty or missing list
//     matches everything.
//   - A peer with only a podSelector selects pods of the policy's own
//     namespace; with only a namespaceSelector, every pod of the namespaces
//     it matches (an empty one matches every namespace); with both in the
//     same peer, the pods the podSelector matches within those namespaces
//     (AND). Two peers, one of each, are two alternatives (OR).
//   - An ipBlock matches an address inside its cidr and outside every
//     entry of except. Whether a CNI applies ipBlocks to the addresses of
//     pods varies; this package matches an ipBlock against any peer whose
//     address is given.
//   - A port without protocol is TCP. A numeric port with endPort is the
//     inclusive range. A named port is resolved against the destination
//     pod's containers: it matches traffic to a number that a container
//     port of that name, number and protocol declares, and never matches
//     traffic to an address outside the cluster.
//   - Label selectors match as the API machinery matches them: matchLabels
//     and matchExpressions are AND-ed; NotIn and DoesNotExist match objects
//     without the key; a nil selector matches nothing, an empty one
//     everything. A namespace always carries kubernetes.io/metadata.name
//     with its name, which the API server sets on every namespace.
//
// A policy the API server would reject (an unknown operator, In without
// values, a peer with nothing or with an ipBlock beside a selector, an
// except outside its cidr, endPort below port, …; see [Problems]) is not a
// policy: it neither isolates nor allows. Its problems are reported by
// [Problems]; [Valid] answers without allocating. Label key and value
// syntax is not checked (a selector on an odd key simply matches nothing),
// and a cidr with host bits set ("10.0.0.1/8") is accepted as the API
// server accepts it without the StrictIPCIDRValidation feature gate.
//
// Objects without a namespace are in the unspecified namespace (the one
// kubectl -n names at apply time): they share it with each other and with
// nothing else. Its name is unknown, and so is its kubernetes.io/metadata.name
// label: a [Namespace] with an empty Name has no such label.
//
// Traffic a pod sends to itself, and traffic from its node (kubelet
// probes), are CNI-defined or always allowed in practice; this package
// applies the rules to them like to any other traffic. Pods on the host's
// network are outside the model: callers decide what to say about them.
//
// The primitives judge one policy ([Applies], [AllowsIngress],
// [AllowsEgress], the rule, peer and port matchers), for callers that
// range over policies where they are kept; [Policies] judges a set. No
// function allocates, except [Problems] for the problems it returns and
// [Policies.Selecting] for what it appends.
package netpol
