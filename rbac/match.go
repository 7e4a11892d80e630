package rbac

import (
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
)

// User is an authenticated identity as the authorizer sees it: a user name
// and the groups the authenticator gave it.
type User struct {
	Name   string
	Groups []string
}

// Identities every token of a service account carries, and the anonymous
// identity.
const (
	// ServiceAccountPrefix starts the user name of a service account:
	// system:serviceaccount:<namespace>:<name>.
	ServiceAccountPrefix = "system:serviceaccount:"
	// AllServiceAccounts is the group of every service account.
	AllServiceAccounts = "system:serviceaccounts"
	// ServiceAccountsGroupPrefix starts the group of a namespace's service
	// accounts: system:serviceaccounts:<namespace>.
	ServiceAccountsGroupPrefix = "system:serviceaccounts:"
	// Authenticated is the group of every authenticated request.
	Authenticated = "system:authenticated"
	// Unauthenticated is the group of anonymous requests.
	Unauthenticated = "system:unauthenticated"
	// Anonymous is the user name of anonymous requests.
	Anonymous = "system:anonymous"
	// Masters is the group whose members bypass authorization altogether.
	Masters = "system:masters"
)

// ServiceAccount returns the identity a token of the service account
// namespace/name authenticates as: user system:serviceaccount:<ns>:<name>
// in the groups system:serviceaccounts, system:serviceaccounts:<ns> and
// system:authenticated.
func ServiceAccount(namespace, name string) User {
	return User{
		Name:   ServiceAccountPrefix + namespace + ":" + name,
		Groups: []string{AllServiceAccounts, ServiceAccountsGroupPrefix + namespace, Authenticated},
	}
}

// AnonymousUser returns the identity of an unauthenticated request (when
// the API server allows anonymous requests, its default): user
// system:anonymous in the group system:unauthenticated.
func AnonymousUser() User {
	return User{Name: Anonymous, Groups: []string{Unauthenticated}}
}

// Request is one question to the authorizer: a verb on a resource (group,
// resource, subresource, name) in a namespace, or a verb on a non-resource
// URL path. An empty Namespace is a cluster-scoped request: cluster-scoped
// resources, lists across all namespaces, and non-resource URLs.
type Request struct {
	Verb string
	// NonResource marks a request for Path, an URL outside the resource
	// API (/healthz, /metrics, /apis); the resource fields are then unused.
	NonResource bool
	Path        string

	APIGroup    string
	Resource    string
	Subresource string
	// Name is the object's name; empty for create, list, watch and
	// deletecollection (unless the client selects metadata.name).
	Name      string
	Namespace string
}

// String renders the request as the authorizer's log does: "create" resource
// "pods/exec" named "web" in namespace "prod".
func (q Request) String() string {
	var b strings.Builder
	b.WriteString(`"` + q.Verb + `" `)
	if q.NonResource {
		b.WriteString(`nonResourceURL "` + q.Path + `"`)
		return b.String()
	}
	b.WriteString(`resource "` + q.Resource)
	if q.APIGroup != "" {
		b.WriteString("." + q.APIGroup)
	}
	if q.Subresource != "" {
		b.WriteString("/" + q.Subresource)
	}
	b.WriteString(`"`)
	if q.Name != "" {
		b.WriteString(` named "` + q.Name + `"`)
	}
	if q.Namespace != "" {
		b.WriteString(` in namespace "` + q.Namespace + `"`)
	} else {
		b.WriteString(" cluster-wide")
	}
	return b.String()
}

// RuleAllows reports whether one policy rule allows the request, as the
// RBAC authorizer matches them:
//
//   - verbs and apiGroups: an element equals the requested value or is "*";
//   - resources: an element is "*" (every resource and every subresource),
//     equals "resource" or "resource/subresource" as requested, or is
//     "*/subresource" for a request of that subresource. "pods/*" is no
//     wildcard: it matches nothing a client can request;
//   - resourceNames: empty allows every name; otherwise the requested name
//     must be listed, so a request without a name (create, list, watch,
//     deletecollection) never matches a rule that lists names;
//   - nonResourceURLs: an element is "*", equals the path, or ends in "*"
//     and the path starts with what precedes its trailing "*"s.
//
// A resource request never matches a rule's nonResourceURLs, nor a
// non-resource request its resources. Matching is case-sensitive.
func RuleAllows(rule *rbacv1.PolicyRule, q *Request) bool {
	if !hasOrStar(rule.Verbs, q.Verb) {
		return false
	}
	if q.NonResource {
		return urlMatches(rule.NonResourceURLs, q.Path)
	}
	return hasOrStar(rule.APIGroups, q.APIGroup) &&
		resourceMatches(rule.Resources, q.Resource, q.Subresource) &&
		nameMatches(rule.ResourceNames, q.Name)
}

// hasOrStar reports whether list holds v or "*".
func hasOrStar(list []string, v string) bool {
	for _, e := range list {
		if e == "*" || e == v {
			return true
		}
	}
	return false
}

func resourceMatches(list []string, resource, sub string) bool {
	for _, e := range list {
		switch {
		case e == "*":
			return true
		case sub == "":
			if e == resource {
				return true
			}
		// "resource/sub" or "*/sub", compared without building the strings.
		case len(e) == len(resource)+1+len(sub) && e[len(resource)] == '/' && e[:len(resource)] == resource && e[len(resource)+1:] == sub:
			return true
		case len(e) == 2+len(sub) && e[0] == '*' && e[1] == '/' && e[2:] == sub:
			return true
		}
	}
	return false
}

func nameMatches(names []string, name string) bool {
	if len(names) == 0 {
		return true
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

func urlMatches(list []string, path string) bool {
	for _, e := range list {
		if e == "*" || e == path {
			return true
		}
		if strings.HasSuffix(e, "*") && strings.HasPrefix(path, strings.TrimRight(e, "*")) {
			return true
		}
	}
	return false
}
