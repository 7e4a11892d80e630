package netpol_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	k8slabels "k8s.io/apimachinery/pkg/labels"
)

// apimachinery is the ground truth for label selectors: the API machinery's
// own conversion and matching, which every controller and CNI uses. A
// selector it cannot convert would be rejected by the API server: it
// matches nothing here.
func apimachinery(sel *metav1.LabelSelector, set map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false
	}
	return s.Matches(k8slabels.Set(set))
}

// TestSelectorsAgainstAPIMachinery compares MatchesLabels and
// MatchesNamespace with the API machinery on generated selectors and label
// sets: every operator (and invalid ones), empty values, keys absent from
// the object, nil and empty selectors.
func TestSelectorsAgainstAPIMachinery(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const selectors, objects = 3000, 12
	compared, matched := 0, 0
	for range selectors {
		sel := randomSelector(r)
		for range objects {
			set := randomLabels(r)
			want := apimachinery(sel, set)
			if got := netpol.MatchesLabels(sel, set); got != want {
				t.Fatalf("MatchesLabels(%s, %v) = %v, API machinery says %v", show(sel), set, got, want)
			}
			// A namespace: its object's labels, with kubernetes.io/metadata.name
			// as the API server sets it.
			ns := netpol.Namespace{Name: []string{"", "x", "y"}[r.IntN(3)], Labels: set}
			nsSet := map[string]string{}
			for k, v := range set {
				nsSet[k] = v
			}
			delete(nsSet, corev1.LabelMetadataName)
			if ns.Name != "" {
				nsSet[corev1.LabelMetadataName] = ns.Name
			}
			nsWant := apimachinery(sel, nsSet)
			if got := netpol.MatchesNamespace(sel, &ns); got != nsWant {
				t.Fatalf("MatchesNamespace(%s, %+v) = %v, API machinery says %v", show(sel), ns, got, nsWant)
			}
			compared += 2
			if want {
				matched++
			}
		}
	}
	// The generator must exercise both outcomes, or the comparison proves
	// little.
	if matched < compared/20 || matched > compared/2 {
		t.Errorf("%d of %d comparisons matched: the generator is lopsided", matched, compared)
	}
	t.Logf("%d comparisons, %d matches", compared, matched)
}

var (
	selKeys   = []string{"app", "tier", corev1.LabelMetadataName}
	selValues = []string{"web", "db", "x", "y", ""}
	selOps    = []metav1.LabelSelectorOperator{
		metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn, metav1.LabelSelectorOpExists, metav1.LabelSelectorOpDoesNotExist, "Gt", "in",
	}
)

func randomSelector(r *rand.Rand) *metav1.LabelSelector {
	if r.IntN(20) == 0 {
		return nil
	}
	sel := &metav1.LabelSelector{}
	for range r.IntN(3) {
		if sel.MatchLabels == nil {
			sel.MatchLabels = map[string]string{}
		}
		sel.MatchLabels[selKeys[r.IntN(len(selKeys))]] = selValues[r.IntN(len(selValues))]
	}
	for range r.IntN(3) {
		req := metav1.LabelSelectorRequirement{Key: selKeys[r.IntN(len(selKeys))]}
		// Mostly valid operators, sometimes not.
		if r.IntN(10) == 0 {
			req.Operator = selOps[4+r.IntN(2)]
		} else {
			req.Operator = selOps[r.IntN(4)]
		}
		n := 0
		switch req.Operator {
		case metav1.LabelSelectorOpIn, metav1.LabelSelectorOpNotIn:
			n = 1 + r.IntN(2)
		}
		if r.IntN(10) == 0 { // the wrong number of values
			n = map[bool]int{true: 0, false: 1}[n > 0]
		}
		for range n {
			req.Values = append(req.Values, selValues[r.IntN(len(selValues))])
		}
		sel.MatchExpressions = append(sel.MatchExpressions, req)
	}
	return sel
}

func randomLabels(r *rand.Rand) map[string]string {
	set := map[string]string{}
	for _, k := range selKeys {
		if r.IntN(2) == 0 {
			set[k] = selValues[r.IntN(len(selValues))]
		}
	}
	return set
}

func show(sel *metav1.LabelSelector) string {
	if sel == nil {
		return "nil"
	}
	return fmt.Sprintf("%v %v", sel.MatchLabels, sel.MatchExpressions)
}

func TestSelectorTable(t *testing.T) {
	obj := map[string]string{"app": "web", "empty": ""}
	tests := []struct {
		name string
		sel  *metav1.LabelSelector
		want bool
	}{
		{"nil matches nothing", nil, false},
		{"empty matches everything", all(), true},
		{"matchLabels", sel("app", "web"), true},
		{"matchLabels needs the key, even for an empty value", sel("missing", ""), false},
		{"matchLabels with an empty value", sel("empty", ""), true},
		{"In", expr("app", metav1.LabelSelectorOpIn, "db", "web"), true},
		{"In without the key", expr("missing", metav1.LabelSelectorOpIn, "web"), false},
		{"NotIn without the key", expr("missing", metav1.LabelSelectorOpNotIn, "web"), true},
		{"NotIn with the value", expr("app", metav1.LabelSelectorOpNotIn, "web"), false},
		{"Exists", expr("empty", metav1.LabelSelectorOpExists), true},
		{"DoesNotExist", expr("missing", metav1.LabelSelectorOpDoesNotExist), true},
		{"invalid: In without values", expr("app", metav1.LabelSelectorOpIn), false},
		{"invalid: NotIn without values", expr("missing", metav1.LabelSelectorOpNotIn), false},
		{"invalid: Exists with values", expr("app", metav1.LabelSelectorOpExists, "web"), false},
		{"invalid: unknown operator", expr("app", "Gt", "1"), false},
		{"AND of both lists", &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"},
			MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"web"}}}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := netpol.MatchesLabels(tt.sel, obj); got != tt.want {
				t.Errorf("MatchesLabels = %v, want %v", got, tt.want)
			}
			if got := apimachinery(tt.sel, obj); got != tt.want {
				t.Errorf("the API machinery says %v: the table is wrong", got)
			}
		})
	}
	if !netpol.IsEmptySelector(all()) || netpol.IsEmptySelector(nil) || netpol.IsEmptySelector(sel("a", "b")) {
		t.Error("IsEmptySelector")
	}
}

func labelSet(m map[string]string) k8slabels.Set { return k8slabels.Set(m) }
