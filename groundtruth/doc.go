// Package groundtruth tests bulwark's context semantics against
// Kubernetes' own code, imported from k8s.io/kubernetes at the release
// bulwark models (v1.37.2):
//
//   - the service account token: the ServiceAccount admission plugin
//     (plugin/pkg/admission/serviceaccount, Plugin.Admit, with a fake
//     client and informers holding the ServiceAccounts), after the API's
//     defaulting and conversion of the pod (pkg/apis/core/v1
//     SetObjectDefaults_Pod, Convert_v1_Pod_To_core_Pod), against
//     serviceaccount.PodToken and the token checks;
//   - LimitRange defaults: the LimitRanger admission plugin
//     (plugin/pkg/admission/limitranger, LimitRanger.Admit for a namespace
//     with one LimitRange or none, PodMutateLimitFunc in input order for
//     several, whose order the plugin leaves to its cache), after the
//     API's defaulting of the LimitRange (SetObjectDefaults_LimitRange)
//     and the pod, against cgroups.AdmittedResources and the limit and
//     request checks.
//
// Each test generates every combination of a grid of pods, namespaces,
// service accounts and LimitRanges, and reports how many cases it
// compared (go test -v).
//
// It is a module of its own, like conformance/, so that the library
// never depends on k8s.io/kubernetes: that module requires its staging
// modules (k8s.io/api, k8s.io/apiserver, …) at v0.0.0 and replaces them
// with directories of its own tree, so a module that imports it replaces
// them with the published modules of the same release (go.mod).
package groundtruth
