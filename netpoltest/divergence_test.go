package netpoltest

import (
	"testing"

	"github.com/bulwarkdev/bulwark/internal/netpol"
	"github.com/mattfenwick/cyclonus/pkg/kube"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestCyclonusDivergences pins the two selector cases where cyclonus
// departs from the API machinery, which the generator therefore avoids:
// if cyclonus comes to agree, the generator can write them too.
func TestCyclonusDivergences(t *testing.T) {
	object := map[string]string{"app": "web"}
	for _, tt := range []struct {
		name string
		sel  metav1.LabelSelector
	}{
		{"NotIn on a key the object lacks", metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{
			{Key: "tier", Operator: metav1.LabelSelectorOpNotIn, Values: []string{"db"}}}}},
		{"an empty matchLabels value on a key the object lacks", metav1.LabelSelector{MatchLabels: map[string]string{"tier": ""}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := metav1.LabelSelectorAsSelector(&tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			kubernetes := s.Matches(labels.Set(object))
			if got := netpol.MatchesLabels(&tt.sel, object); got != kubernetes {
				t.Errorf("netpol says %v, the API machinery %v", got, kubernetes)
			}
			if kube.IsLabelsMatchLabelSelector(object, tt.sel) == kubernetes {
				t.Errorf("cyclonus now agrees with the API machinery (%v): let the generator write this case", kubernetes)
			}
		})
	}
}
