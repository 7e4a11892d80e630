package groundtruth

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes/fake"
	api "k8s.io/kubernetes/pkg/apis/core"
	k8sv1 "k8s.io/kubernetes/pkg/apis/core/v1"
)

func ptr[T any](v T) *T { return &v }

// internalPod returns pod as the API server holds it when admission runs:
// defaulted as a v1 Pod (SetDefaults_PodSpec copies the deprecated
// serviceAccount into serviceAccountName, SetDefaults_Pod defaults
// requests from limits) and converted to the internal type.
func internalPod(t *testing.T, pod *corev1.Pod) *api.Pod {
	t.Helper()
	v1 := pod.DeepCopy()
	k8sv1.SetObjectDefaults_Pod(v1)
	out := &api.Pod{}
	if err := k8sv1.Convert_v1_Pod_To_core_Pod(v1, out, nil); err != nil {
		t.Fatal(err)
	}
	return out
}

// createPod returns the admission attributes of creating pod.
func createPod(pod *api.Pod) admission.Attributes {
	return admission.NewAttributesRecord(pod, nil, api.Kind("Pod").WithVersion("v1"), pod.Namespace, pod.Name,
		api.Resource("pods").WithVersion("v1"), "", admission.Create, &metav1.CreateOptions{}, false, nil)
}

// syncedInformers starts the informers of a fake client holding objects,
// as an API server's admission plugins see them, and waits until they
// have listed everything.
func syncedInformers(t *testing.T, client *fake.Clientset, register func(informers.SharedInformerFactory)) {
	t.Helper()
	factory := informers.NewSharedInformerFactory(client, 0)
	register(factory)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	factory.Start(ctx.Done())
	for typ, ok := range factory.WaitForCacheSync(ctx.Done()) {
		if !ok {
			t.Fatalf("informer for %v did not sync", typ)
		}
	}
}
