package rbac

import (
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// selectorError returns why the API machinery would refuse to turn sel
// into a selector, or nil.
func selectorError(sel *metav1.LabelSelector) error {
	for k, v := range sel.MatchLabels {
		if !validLabelKey(k) {
			return fmt.Errorf("matchLabels: invalid label key %q", k)
		}
		if !validLabelValue(v) {
			return fmt.Errorf("matchLabels: invalid value %q for key %q", v, k)
		}
	}
	for i, e := range sel.MatchExpressions {
		switch e.Operator {
		case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn:
			if len(e.Values) == 0 {
				return fmt.Errorf("matchExpressions[%d]: operator %s needs values", i, e.Operator)
			}
		case metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist:
			if len(e.Values) != 0 {
				return fmt.Errorf("matchExpressions[%d]: operator %s takes no values", i, e.Operator)
			}
		default:
			return fmt.Errorf("matchExpressions[%d]: %q is not a label selector operator", i, e.Operator)
		}
		if !validLabelKey(e.Key) {
			return fmt.Errorf("matchExpressions[%d]: invalid label key %q", i, e.Key)
		}
		for _, v := range e.Values {
			if !validLabelValue(v) {
				return fmt.Errorf("matchExpressions[%d]: invalid value %q", i, v)
			}
		}
	}
	return nil
}

// validLabelKey reports whether k is a label key: a name, optionally after
// a DNS subdomain prefix and "/".
func validLabelKey(k string) bool {
	prefix, name, hasPrefix := strings.Cut(k, "/")
	if !hasPrefix {
		name = prefix
	} else if prefix == "" || strings.Contains(name, "/") || !dnsSubdomain(prefix) {
		return false
	}
	return name != "" && labelName(name)
}

// validLabelValue reports whether v is a label value: empty, or a label
// name.
func validLabelValue(v string) bool { return v == "" || labelName(v) }

// labelName reports whether s has at most 63 characters, alphanumerics,
// '-', '_' and '.', starting and ending with an alphanumeric.
func labelName(s string) bool {
	if len(s) == 0 || len(s) > 63 || !alnum(s[0]) || !alnum(s[len(s)-1]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// dnsSubdomain reports whether s is a lower-case RFC 1123 subdomain of at
// most 253 characters: dot-separated labels of lower-case alphanumerics
// and '-', each starting and ending with an alphanumeric.
func dnsSubdomain(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || !lowerAlnum(label[0]) || !lowerAlnum(label[len(label)-1]) {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !lowerAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func lowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
