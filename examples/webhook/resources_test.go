package main

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// podResources is the webhook's one list of what it judges; it must be
// exactly the kinds the loader audits at the versions a current API server
// serves (v1, apps/v1, batch/v1; with matchPolicy Equivalent, a request
// through another served version is converted to these). Every kind of the
// API groups that have ever held a pod template is offered to the loader:
// those it does not skip are the kinds it audits. The loader also audits
// the retired versions (extensions/v1beta1, apps/v1beta2, batch/v1beta1),
// which files still carry but no current API server serves.
func TestPodResourcesAreWhatTheLoaderAudits(t *testing.T) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, appsv1beta1.AddToScheme, appsv1beta2.AddToScheme,
		batchv1.AddToScheme, batchv1beta1.AddToScheme, extensionsv1beta1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			t.Fatal(err)
		}
	}
	var audited []string
	for gvk, typ := range scheme.AllKnownTypes() {
		obj := reflect.New(typ).Interface().(runtime.Object)
		if _, isObject := obj.(metav1.Object); !isObject || gvk.Version == runtime.APIVersionInternal || strings.HasSuffix(gvk.Kind, "List") {
			continue // options, watch events, internal versions; lists are admitted item by item
		}
		obj.GetObjectKind().SetGroupVersionKind(gvk)
		data, err := json.Marshal(obj)
		if err != nil {
			t.Fatal(err)
		}
		// A kind the loader audits gives a subject or, for a zero
		// ReplicationController (no template), an error; not a skip.
		r := load.Bytes(load.Options{}, "probe", data)
		served := slices.Contains([]string{"v1", "apps/v1", "batch/v1"}, gvk.GroupVersion().String())
		// Objects that are not workloads (a Service) are audited as object
		// subjects, which a pod webhook does not judge.
		pods := slices.ContainsFunc(r.Subjects, func(s *hardening.Subject) bool { return s.Kind == hardening.KindPod })
		if (pods || len(r.Errors) > 0) && served {
			audited = append(audited, gvk.GroupVersion().String()+" "+gvk.Kind)
		}
		if len(r.Skipped) > 0 && gvk.Kind == "Deployment" {
			t.Errorf("the loader skips %s", gvk) // retired versions are audited too
		}
	}
	var listed []string
	for _, r := range podResources {
		gv := r.Resource.Version
		if r.Resource.Group != "" {
			gv = r.Resource.Group + "/" + gv
		}
		listed = append(listed, gv+" "+r.Kind)
	}
	slices.Sort(audited)
	slices.Sort(listed)
	if len(audited) < 9 {
		t.Fatalf("the probe found only %q", audited)
	}
	if diff := cmp.Diff(audited, listed); diff != "" {
		t.Errorf("podResources differs from what the loader audits (-loader +podResources):\n%s", diff)
	}
}
