// Package rbactest holds the ground truth of bulwark's rbac package: its
// resolver asked the same questions as Kubernetes' RBAC authorizer
// (k8s.io/kubernetes plugin/pkg/auth/authorizer/rbac), its aggregation
// compared with the clusterrole-aggregation controller's, and its built-in
// policy with the bootstrap policy package. It is a module of its own so
// that the library never depends on k8s.io/kubernetes.
//
// The built-in policy of package rbac is generated here:
//
//	go generate ./...
package rbactest

//go:generate go run ./cmd/genbootstrap -o ../rbac/builtin_policy.go
