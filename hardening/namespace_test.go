package hardening_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
)

func TestResolveNamespace(t *testing.T) {
	sa := func(ns, name string) hardening.ClusterObject {
		return clusterObject(hardening.KindServiceAccount, ns, name, &corev1.ServiceAccount{})
	}
	lr := func(ns, name string) hardening.ClusterObject {
		return clusterObject(hardening.KindLimitRange, ns, name, &corev1.LimitRange{})
	}
	c := hardening.NewCluster([]hardening.ClusterObject{
		sa("prod", "web"), sa("", "default"), sa("", "web"), lr("", "defaults"), lr("dev", "dev-defaults"),
	})
	type resolved struct {
		Found   string // namespace/name of the object, "-" for none
		Assumed bool
	}
	lookup := func(ns, name string) resolved {
		o, assumed := c.Resolve(hardening.KindServiceAccount, ns, name)
		if o == nil {
			return resolved{"-", assumed}
		}
		return resolved{o.Namespace + "/" + o.Name, assumed}
	}
	list := func(ns string) resolved {
		got, assumed := c.ResolveList(hardening.KindLimitRange, ns)
		return resolved{got, assumed}
	}
	tests := []struct {
		name string
		got  resolved
		want resolved
	}{
		{"in the namespace", lookup("prod", "web"), resolved{"prod/web", false}},
		{"no namespace stands in", lookup("prod", "default"), resolved{"/default", true}},
		{"no namespace stands in for another namespace too", lookup("dev", "web"), resolved{"/web", true}},
		{"a workload without a namespace sees those without one", lookup("", "web"), resolved{"/web", false}},
		{"never another namespace's", lookup("", "nobody"), resolved{"-", false}},
		{"list: the namespace's own", list("dev"), resolved{"dev", false}},
		{"list: none there, those without a namespace", list("prod"), resolved{"", true}},
		{"list: without a namespace", list(""), resolved{"", false}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	var nilCluster *hardening.Cluster
	if o, assumed := nilCluster.Resolve(hardening.KindServiceAccount, "prod", "web"); o != nil || assumed {
		t.Error("a nil cluster resolves nothing")
	}
	if ns, assumed := nilCluster.ResolveList(hardening.KindLimitRange, "prod"); ns != "prod" || assumed {
		t.Errorf("a nil cluster lists the namespace itself: %q %v", ns, assumed)
	}
	only := hardening.NewCluster([]hardening.ClusterObject{sa("prod", "web")})
	if ns, assumed := only.ResolveList(hardening.KindLimitRange, "prod"); ns != "prod" || assumed {
		t.Errorf("no objects of the kind at all: %q %v", ns, assumed)
	}
}
