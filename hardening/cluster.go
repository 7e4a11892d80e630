package hardening

import (
	"sync"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	rbacv1 "k8s.io/api/rbac/v1"
)

// The kinds of the objects a [Cluster] holds: the objects around a
// workload that decide its exposure.
const (
	KindNamespace          = "Namespace"
	KindServiceAccount     = "ServiceAccount"
	KindRole               = "Role"
	KindClusterRole        = "ClusterRole"
	KindRoleBinding        = "RoleBinding"
	KindClusterRoleBinding = "ClusterRoleBinding"
	KindNetworkPolicy      = "NetworkPolicy"
	KindLimitRange         = "LimitRange"
	KindResourceQuota      = "ResourceQuota"
	KindService            = "Service"
	KindSecret             = "Secret"
)

// ClusterObject is one object of a [Cluster] and where it came from.
type ClusterObject struct {
	// APIVersion and Kind are the object's, as written. Kind is one of the
	// Kind… constants of this package (KindRole, …).
	APIVersion string
	Kind       string
	// Namespace is metadata.namespace as written: empty for cluster-scoped
	// objects, and for namespaced objects that leave it to the client.
	Namespace string
	Name      string
	// Source, Document and Line say where the object was read, as for a
	// [Subject]; Path is its place in the document: empty for a whole
	// document, "items[3]" for an item of a List.
	Source   string
	Document int
	Line     int
	Path     string
	// Object is the decoded object: *corev1.Namespace, *corev1.ServiceAccount,
	// *rbacv1.Role, *rbacv1.ClusterRole, *rbacv1.RoleBinding,
	// *rbacv1.ClusterRoleBinding, *networkingv1.NetworkPolicy,
	// *corev1.LimitRange, *corev1.ResourceQuota or *corev1.Service. A Secret
	// is kept by name and type only: a *corev1.Secret with its name,
	// namespace and type set and, of its annotations, only the service
	// account a token Secret is for (kubernetes.io/service-account.name)
	// and bulwark's suppressions; nothing else (no data, labels or other
	// annotations, which may repeat the data).
	Object any
	// Size is about how many bytes of memory the object takes.
	Size int64
}

type clusterKey struct{ kind, namespace, name string }

type clusterList struct{ kind, namespace string }

// Cluster is a read-only view of the Kubernetes objects known to one run:
// namespaces, service accounts, roles and bindings, network policies,
// limit ranges, quotas, services and secrets (by name and type), indexed
// by kind, namespace and name. A loader builds it once, before any workload
// is checked ([NewCluster]); every subject of the run shares it
// ([Subject.Cluster]), and it is never changed afterwards, so it is safe
// for concurrent use. Lookups do not allocate.
//
// It holds what the run's inputs hold and nothing else: absence from it
// means absence from the inputs, not from a cluster. A nil *Cluster is
// empty.
type Cluster struct {
	objects []ClusterObject
	byName  map[clusterKey]int
	// byList holds, for a kind and namespace, the objects in input order;
	// the key with namespace "*" holds every namespace's.
	byList map[clusterList][]int
	bytes  int64
	// derived holds indexes computed once over the objects (see Derived).
	derived sync.Map // key → *derivedValue
}

type derivedValue struct {
	once  sync.Once
	value any
}

// Derived returns the value compute returns for c, computed once per
// Cluster and key: an index a package builds over the objects (RBAC
// resolved, policies by namespace) for every subject of the run to share.
// key is a value of a type of the caller's own, as with context keys.
// compute must not call Derived with the same key. For a nil Cluster it
// returns compute(nil) each time.
func (c *Cluster) Derived(key any, compute func(*Cluster) any) any {
	if c == nil {
		return compute(nil)
	}
	// Load first: once the value exists, a lookup costs no allocation.
	v, ok := c.derived.Load(key)
	if !ok {
		v, _ = c.derived.LoadOrStore(key, &derivedValue{})
	}
	d := v.(*derivedValue)
	d.once.Do(func() { d.value = compute(c) })
	return d.value
}

// AllNamespaces, passed to [Cluster.List] as the namespace, lists the
// objects of a kind in every namespace.
const AllNamespaces = "*"

// NewCluster indexes objects, in the order given (input order). Objects
// of the same kind, namespace and name are all kept; [Cluster.Get] returns
// the first.
func NewCluster(objects []ClusterObject) *Cluster {
	c := &Cluster{
		objects: objects,
		byName:  make(map[clusterKey]int, len(objects)),
		byList:  make(map[clusterList][]int),
	}
	for i := range objects {
		o := &objects[i]
		k := clusterKey{o.Kind, o.Namespace, o.Name}
		if _, dup := c.byName[k]; !dup {
			c.byName[k] = i
		}
		l := clusterList{o.Kind, o.Namespace}
		c.byList[l] = append(c.byList[l], i)
		if o.Namespace != AllNamespaces {
			all := clusterList{o.Kind, AllNamespaces}
			c.byList[all] = append(c.byList[all], i)
		}
		c.bytes += o.Size
	}
	return c
}

// Len returns the number of objects.
func (c *Cluster) Len() int {
	if c == nil {
		return 0
	}
	return len(c.objects)
}

// Bytes returns about how many bytes of memory the objects take.
func (c *Cluster) Bytes() int64 {
	if c == nil {
		return 0
	}
	return c.bytes
}

// Objects returns every object, in input order. The slice is the
// cluster's own: do not modify it.
func (c *Cluster) Objects() []ClusterObject {
	if c == nil {
		return nil
	}
	return c.objects
}

// Get returns the first object of kind with namespace and name, or nil.
// Pass an empty namespace for cluster-scoped kinds.
func (c *Cluster) Get(kind, namespace, name string) *ClusterObject {
	if c == nil {
		return nil
	}
	i, ok := c.byName[clusterKey{kind, namespace, name}]
	if !ok {
		return nil
	}
	return &c.objects[i]
}

// List yields the objects of kind in namespace (empty for cluster-scoped
// kinds, [AllNamespaces] for every namespace), in input order.
func (c *Cluster) List(kind, namespace string) func(yield func(*ClusterObject) bool) {
	return func(yield func(*ClusterObject) bool) {
		if c == nil {
			return
		}
		for _, i := range c.byList[clusterList{kind, namespace}] {
			if !yield(&c.objects[i]) {
				return
			}
		}
	}
}

// Namespace returns the Namespace named name, or nil.
func (c *Cluster) Namespace(name string) *corev1.Namespace {
	o, _ := c.Get(KindNamespace, "", name).object().(*corev1.Namespace)
	return o
}

// ServiceAccount returns the ServiceAccount namespace/name, or nil.
func (c *Cluster) ServiceAccount(namespace, name string) *corev1.ServiceAccount {
	o, _ := c.Get(KindServiceAccount, namespace, name).object().(*corev1.ServiceAccount)
	return o
}

// Role returns the Role namespace/name, or nil.
func (c *Cluster) Role(namespace, name string) *rbacv1.Role {
	o, _ := c.Get(KindRole, namespace, name).object().(*rbacv1.Role)
	return o
}

// ClusterRole returns the ClusterRole named name, or nil.
func (c *Cluster) ClusterRole(name string) *rbacv1.ClusterRole {
	o, _ := c.Get(KindClusterRole, "", name).object().(*rbacv1.ClusterRole)
	return o
}

// NetworkPolicies yields the NetworkPolicies of namespace, in input order.
func (c *Cluster) NetworkPolicies(namespace string) func(yield func(*networkingv1.NetworkPolicy) bool) {
	return func(yield func(*networkingv1.NetworkPolicy) bool) {
		for o := range c.List(KindNetworkPolicy, namespace) {
			if np, ok := o.Object.(*networkingv1.NetworkPolicy); ok && !yield(np) {
				return
			}
		}
	}
}

func (o *ClusterObject) object() any {
	if o == nil {
		return nil
	}
	return o.Object
}
