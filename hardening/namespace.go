package hardening

// Objects that name no namespace.
//
// A manifest may leave metadata.namespace out: the object then goes to the
// namespace it is applied to (kubectl's -n or current context, Helm's
// --namespace). `kubectl apply -n prod` of a file holding a ServiceAccount
// without a namespace and a Deployment in prod puts both in prod, which is
// how charts and kustomizations are usually applied. So a workload that
// names a namespace is judged with the objects of its namespace and, when
// the run holds none of the kind (or of the name) there, with those that
// name no namespace: the only ones that may be applied beside it. Lookups
// say when they took that step, for findings that rest on it to say so.

// Resolve returns the object of kind named name that a workload of
// namespace sees: the one in namespace, or, when there is none there and
// namespace is not empty, the one that names no namespace, with assumed
// set. It returns nil when there is neither.
func (c *Cluster) Resolve(kind, namespace, name string) (o *ClusterObject, assumed bool) {
	if o = c.Get(kind, namespace, name); o != nil || namespace == "" {
		return o, false
	}
	if o = c.Get(kind, "", name); o != nil {
		return o, true
	}
	return nil, false
}

// ResolveList returns the namespace whose objects of kind a workload of
// namespace sees, to pass to [Cluster.List]: namespace itself when the run
// holds objects of kind there; otherwise, when namespace is not empty and
// the run holds objects of kind that name no namespace, "" with assumed
// set.
func (c *Cluster) ResolveList(kind, namespace string) (ns string, assumed bool) {
	if namespace == "" || c.has(kind, namespace) || !c.has(kind, "") {
		return namespace, false
	}
	return "", true
}

// has reports whether the cluster holds an object of kind in namespace.
func (c *Cluster) has(kind, namespace string) bool {
	return c != nil && len(c.byList[clusterList{kind, namespace}]) > 0
}
