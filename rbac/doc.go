// Package rbac resolves who may do what in a Kubernetes cluster from its
// Role, ClusterRole, RoleBinding and ClusterRoleBinding objects, exactly as
// the Kubernetes RBAC authorizer decides, and holds the checks on dangerous
// grants and on what each workload's service account can reach.
package rbac
