package netpol

import (
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// MatchesLabels reports whether sel matches an object with labels, as
// metav1.LabelSelectorAsSelector(sel).Matches(labels.Set(labels)) does,
// without allocating: a nil selector matches nothing, an empty one
// everything; matchLabels and matchExpressions are AND-ed; In and a
// matchLabels entry need the key; NotIn and DoesNotExist match an object
// without it. A selector the API would reject (an unknown operator, In or
// NotIn without values, Exists or DoesNotExist with values) matches
// nothing.
func MatchesLabels(sel *metav1.LabelSelector, labels map[string]string) bool {
	return matches(sel, mapLabels(labels))
}

// MatchesNamespace reports whether sel, a namespaceSelector, matches ns,
// as [MatchesLabels] does, with the namespace's labels as the API server
// keeps them (see [Namespace.Label]).
func MatchesNamespace(sel *metav1.LabelSelector, ns *Namespace) bool {
	return matches(sel, ns)
}

// labeled is what a selector reads: an object's labels.
type labeled interface {
	Label(key string) (string, bool)
}

type mapLabels map[string]string

func (m mapLabels) Label(key string) (string, bool) {
	v, ok := m[key]
	return v, ok
}

func matches[L labeled](sel *metav1.LabelSelector, obj L) bool {
	if sel == nil {
		return false
	}
	for k, want := range sel.MatchLabels {
		if got, ok := obj.Label(k); !ok || got != want {
			return false
		}
	}
	for i := range sel.MatchExpressions {
		r := &sel.MatchExpressions[i]
		got, ok := obj.Label(r.Key)
		switch r.Operator {
		case metav1.LabelSelectorOpIn:
			if len(r.Values) == 0 || !ok || !slices.Contains(r.Values, got) {
				return false
			}
		case metav1.LabelSelectorOpNotIn:
			if len(r.Values) == 0 || ok && slices.Contains(r.Values, got) {
				return false
			}
		case metav1.LabelSelectorOpExists:
			if len(r.Values) != 0 || !ok {
				return false
			}
		case metav1.LabelSelectorOpDoesNotExist:
			if len(r.Values) != 0 || ok {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// IsEmptySelector reports whether sel is set and empty ({}): it matches
// every object.
func IsEmptySelector(sel *metav1.LabelSelector) bool {
	return sel != nil && len(sel.MatchLabels) == 0 && len(sel.MatchExpressions) == 0
}
