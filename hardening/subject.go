package hardening

import (
	"fmt"
	"strconv"
	"strings"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
)

// Subject is one thing under audit: a Pod, an OCI runtime spec or an image
// config, plus where it came from. Exactly one of Pod, Spec and Image is set,
// as Kind says; checks that do not read that kind are skipped.
//
// Subjects are read, never written, by checks: one subject may be audited by
// many goroutines at once.
type Subject struct {
	// Name is the display name: "Deployment/prod/web" for a workload,
	// the file for a spec or image config.
	Name string
	// Kind says which of Pod, Spec and Image is set.
	Kind Kind
	// Source is the file as the user named it ("-" for standard input).
	Source string
	// Document is the 0-based index of the document in Source.
	Document int
	// Line is the 1-based line of Source where the document starts, when
	// the loader knows it (YAML and JSON files); 0 otherwise.
	Line int
	// Template is the file that rendered the document, when the input
	// says so: Helm writes "# Source: chart/templates/deployment.yaml"
	// above each document of helm template's output. Empty otherwise.
	Template string

	// Pod is the Pod under audit. For a workload it is the pod template
	// lifted into a Pod; PodSpecPath and PodMetaPath say where its spec and
	// metadata sit in the original object.
	Pod *corev1.Pod
	// PodSpecPath is the field path of the pod spec in the source document:
	// "spec" for a Pod, "spec.template.spec" for a Deployment. Empty means "spec".
	PodSpecPath string
	// PodMetaPath is the field path of the pod metadata in the source
	// document. Empty means "metadata".
	PodMetaPath string
	// WorkloadAnnotations are the annotations of the workload that holds the
	// pod template; nil for a bare Pod. They are read for suppressions along
	// with the template's own.
	WorkloadAnnotations map[string]string
	// WorkloadMetaPath is the field path of the workload's metadata: empty
	// means "metadata"; inside a List it is "items[3].metadata".
	WorkloadMetaPath string
	// ContainerImages optionally holds the image configs of the Pod's
	// containers, keyed by the container's image reference exactly as
	// written. Checks use them to sharpen verdicts that depend on the image
	// (its USER, for instance); without them such checks say what they
	// could not know.
	ContainerImages map[string]*imagespec.Image

	// Spec is the OCI runtime spec under audit.
	Spec *runtimespec.Spec

	// Image is the OCI image config under audit.
	Image *imagespec.Image
	// ImageRef is the image's reference when known ("registry.example/app:1.2",
	// or the tag a layout or archive names it by); empty otherwise. Findings
	// about it have the path [ImageRefPath].
	ImageRef string
	// ImageContents is the image's merged filesystem when its layers were
	// read; nil when only the config is known.
	ImageContents *ImageContents
	// ImageConfigMediaType is the config's media type as the image's
	// manifest names it (Docker's or OCI's); empty when the config was read
	// on its own.
	ImageConfigMediaType string
	// ImageHealthcheck is the config's Docker HEALTHCHECK, decoded from the
	// same bytes as Image; nil when the config has none.
	ImageHealthcheck *ImageHealthcheck
	// ImageDigest is the digest of the image's manifest ("sha256:…"): what
	// a tag named when the image was read. Empty when only the config is
	// known, or for a docker-archive, which keeps no manifest.
	ImageDigest string
	// ImageProvenance is what is attached to the image in its registry
	// (signatures, attestations, SBOMs), when it was looked up; nil when
	// it was not (an image read from files).
	ImageProvenance *ImageProvenance
	// ContainerImageSources says, per image reference of ContainerImages,
	// where its config came from when it was not given with the subject:
	// "registry.example/app:1 resolved to sha256:… at 2026-12-07T10:00:00Z".
	// Findings that rest on such a config say it: a tag resolved now may
	// not be what a node pulled.
	ContainerImageSources map[string]string

	// Unobserved lists field paths of the source that could not be observed
	// (see [Subject.Observed]); empty for subjects read from files.
	Unobserved []string

	// Object is the Kubernetes object under audit, for a subject of kind
	// [KindObject] (see [NewObjectSubject]).
	Object *ClusterObject

	// Cluster is the read-only view of the Kubernetes objects known to
	// the run (namespaces, service accounts, RBAC, policies, …), shared by
	// every subject of the run; nil when there is none. Checks read it,
	// never write it.
	Cluster *Cluster
}

// ImageProvenance lists the artifacts attached to an image in its
// registry: signatures, attestations, SBOMs, as the OCI referrers API (or
// the tag schemes registries without it use) lists them. It says what is
// there, not whether a signature verifies.
type ImageProvenance struct {
	// Via says how the artifacts were looked up: "referrers API",
	// "referrers tag" (the OCI fallback tag sha256-<hex>) or "cosign tags"
	// (sha256-<hex>.sig, .att, .sbom).
	Via string `json:"via"`
	// Artifacts are the attached artifacts, in the registry's order.
	Artifacts []ImageArtifact `json:"artifacts,omitempty"`
}

// ImageArtifact is one artifact attached to an image.
type ImageArtifact struct {
	// ArtifactType is the artifact's type
	// ("application/vnd.dev.sigstore.bundle.v0.3+json",
	// "application/vnd.dev.cosign.artifact.sig.v1+json",
	// "application/vnd.in-toto+json", "application/spdx+json", …).
	ArtifactType string `json:"artifactType"`
	// Digest is the artifact manifest's digest.
	Digest string `json:"digest"`
	// Kind is what the type says it is: "signature", "attestation",
	// "sbom" or "" when unknown.
	Kind string `json:"kind,omitempty"`
}

// ImageRefPath is the field path of findings about an image subject's
// reference (Subject.ImageRef), which lives in the layout's index or the
// archive's manifest rather than in the config the other paths point into.
const ImageRefPath = "imageRef"

// NewPodSubject returns a subject for a bare Pod, named Pod/<namespace>/<name>.
func NewPodSubject(pod *corev1.Pod) *Subject {
	s := &Subject{Kind: KindPod, Pod: pod}
	s.Name = ObjectName("Pod", pod.Namespace, ObjectMetaName(pod.Name, pod.GenerateName))
	return s
}

// NewSpecSubject returns a subject for an OCI runtime spec.
func NewSpecSubject(name string, spec *runtimespec.Spec) *Subject {
	return &Subject{Name: name, Kind: KindOCISpec, Spec: spec, Source: name}
}

// NewImageSubject returns a subject for an OCI image config.
func NewImageSubject(name string, image *imagespec.Image) *Subject {
	return &Subject{Name: name, Kind: KindImage, Image: image, Source: name}
}

// ObjectName renders a Kubernetes object's display name:
// kind/namespace/name, or kind/name without a namespace. An object named
// only by metadata.generateName ("web-7d9f-") is shown as that prefix
// followed by "*"; pass it as name with the "*" already appended, or use
// [ObjectMetaName].
func ObjectName(kind, namespace, name string) string {
	if name == "" {
		name = "<unnamed>"
	}
	if namespace == "" {
		return kind + "/" + name
	}
	return kind + "/" + namespace + "/" + name
}

// ObjectMetaName returns the name to show for an object's metadata: its
// name, or its generateName prefix followed by "*" when it has no name.
func ObjectMetaName(name, generateName string) string {
	if name == "" && generateName != "" {
		return generateName + "*"
	}
	return name
}

// WindowsPod reports whether the subject is a Pod that declares
// spec.os.name: windows, to which Linux controls (capabilities, uids,
// no_new_privs, namespaces, seccomp) do not apply.
func (s *Subject) WindowsPod() bool {
	return s != nil && s.Pod != nil && s.Pod.Spec.OS != nil && s.Pod.Spec.OS.Name == corev1.Windows
}

// LinuxSpec returns the subject's OCI spec when it describes a Linux
// container: it has a linux section, or no section for another platform
// (a spec with no platform section at all runs as a Linux container with
// nothing configured). It returns nil for Pods, images, and Windows,
// Solaris, z/OS, FreeBSD or VM specs.
func (s *Subject) LinuxSpec() *runtimespec.Spec {
	if s == nil || s.Kind != KindOCISpec || s.Spec == nil {
		return nil
	}
	spec := s.Spec
	if spec.Linux == nil && (spec.Windows != nil || spec.Solaris != nil || spec.ZOS != nil || spec.FreeBSD != nil || spec.VM != nil) {
		return nil
	}
	return spec
}

// SpecPath returns the path of the pod spec in the source document joined
// with rest: SpecPath("hostPID") is "spec.template.spec.hostPID" for a
// Deployment.
func (s *Subject) SpecPath(rest string) string {
	base := s.PodSpecPath
	if base == "" {
		base = "spec"
	}
	if rest == "" {
		return base
	}
	return base + "." + rest
}

// MetaPath returns the path of the pod metadata joined with rest.
func (s *Subject) MetaPath(rest string) string {
	base := s.PodMetaPath
	if base == "" {
		base = "metadata"
	}
	if rest == "" {
		return base
	}
	return base + "." + rest
}

// PodContainer is one container of a Pod and where it sits in the spec.
type PodContainer struct {
	// Container is the container itself. Ephemeral containers are presented
	// as Containers: they share the fields checks read.
	*corev1.Container
	// List is "initContainers", "containers" or "ephemeralContainers".
	List string
	// Index is the position in List.
	Index int
}

// Containers yields every container of the Pod — init, regular and
// ephemeral, in that order, as Pod Security Admission visits them — with
// its place in the spec. It yields nothing for a subject without a Pod.
func (s *Subject) Containers(yield func(PodContainer) bool) {
	if s == nil || s.Pod == nil {
		return
	}
	spec := &s.Pod.Spec
	for i := range spec.InitContainers {
		if !yield(PodContainer{&spec.InitContainers[i], "initContainers", i}) {
			return
		}
	}
	for i := range spec.Containers {
		if !yield(PodContainer{&spec.Containers[i], "containers", i}) {
			return
		}
	}
	for i := range spec.EphemeralContainers {
		c := (*corev1.Container)(&spec.EphemeralContainers[i].EphemeralContainerCommon)
		if !yield(PodContainer{c, "ephemeralContainers", i}) {
			return
		}
	}
}

// ContainerPath returns the field path of a container, joined with rest:
// "spec.containers[1].securityContext.privileged".
func (s *Subject) ContainerPath(c PodContainer, rest string) string {
	base := s.PodSpecPath
	if base == "" {
		base = "spec"
	}
	if rest == "" {
		return base + "." + c.List + "[" + strconv.Itoa(c.Index) + "]"
	}
	return base + "." + c.List + "[" + strconv.Itoa(c.Index) + "]." + rest // one allocation
}

// ContainerFinding returns a finding about container c at the path of c
// joined with rest, with Container set, so that container-scoped
// suppressions match it. Checks about a container build their findings
// with it.
func (s *Subject) ContainerFinding(c PodContainer, rest, message string) Finding {
	return Finding{Path: s.ContainerPath(c, rest), Container: c.Name, Message: message}
}

// containerAt returns the name of the Pod container whose field path path
// lies in ("spec.containers[1].securityContext" names containers[1]), or "".
func (s *Subject) containerAt(path string) string {
	base := s.PodSpecPath
	if base == "" {
		base = "spec"
	}
	rest, ok := strings.CutPrefix(path, base)
	if !ok || len(rest) == 0 || rest[0] != '.' {
		return ""
	}
	rest = rest[1:]
	list, rest, ok := strings.Cut(rest, "[")
	if !ok {
		return ""
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return ""
	}
	i, err := strconv.Atoi(rest[:end])
	if err != nil || i < 0 {
		return ""
	}
	spec := &s.Pod.Spec
	switch list {
	case "containers":
		if i < len(spec.Containers) {
			return spec.Containers[i].Name
		}
	case "initContainers":
		if i < len(spec.InitContainers) {
			return spec.InitContainers[i].Name
		}
	case "ephemeralContainers":
		if i < len(spec.EphemeralContainers) {
			return spec.EphemeralContainers[i].Name
		}
	}
	return ""
}

// Platform is a set of platforms a container runs on. The zero value, in
// [Check.Platforms], means Linux only.
type Platform uint8

// Platforms.
const (
	PlatformLinux Platform = 1 << iota
	PlatformWindows
	// PlatformOther is any other platform an OCI spec can describe
	// (Solaris, z/OS, FreeBSD, a VM).
	PlatformOther

	PlatformAll = PlatformLinux | PlatformWindows | PlatformOther
)

// orLinux returns p, or PlatformLinux for the zero value.
func (p Platform) orLinux() Platform {
	if p == 0 {
		return PlatformLinux
	}
	return p
}

// Platform returns the platform the subject's container runs on: Windows
// for a Pod with spec.os.name: windows, for an OCI spec with a windows
// section and no linux section, and for an image config with os: windows;
// another platform for specs with only a Solaris, z/OS, FreeBSD or VM
// section and images of another os; Linux otherwise.
func (s *Subject) Platform() Platform {
	switch {
	case s.WindowsPod():
		return PlatformWindows
	case s.Kind == KindOCISpec && s.Spec != nil && s.LinuxSpec() == nil:
		if s.Spec.Windows != nil {
			return PlatformWindows
		}
		return PlatformOther
	case s.Kind == KindImage && s.Image != nil:
		switch s.Image.OS {
		case "", "linux":
			return PlatformLinux
		case "windows":
			return PlatformWindows
		}
		return PlatformOther
	}
	return PlatformLinux
}

// Index renders path[i].
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Key renders path[key], the form Kubernetes uses for map keys
// (metadata.annotations[example.com/x]).
func Key(path, key string) string { return path + "[" + key + "]" }

// Skipped records a document, or a part of one, that was read but not
// audited (a Service, a CRD, a custom resource whose pods an operator
// creates, a container outside any pod spec), so users can see it was not
// silently lost.
type Skipped struct {
	Source   string `json:"source"`
	Document int    `json:"document"`
	// Kind is the document's apiVersion and kind as written ("v1 Service",
	// "example.com/v1 Widget"), or what the document is when it is not a
	// Kubernetes object ("OCI image index").
	Kind string `json:"kind"`
	// Name is the object's display name, [ObjectName] of its kind,
	// namespace and name ("Prometheus/monitoring/k8s"); empty when the
	// document is not a Kubernetes object.
	Name string `json:"name,omitempty"`
	// Path is where in the document the skipped object or part sits: empty
	// for the whole document, "items[3]" for an item of a List,
	// "spec.templates[1].container" for a part of an object.
	Path string `json:"path,omitempty"`
	// Part is true when only the part of an object at Path was skipped:
	// the object itself was read, and may have given subjects. Count
	// skipped objects by the entries where Part is false.
	Part bool `json:"part,omitempty"`
	// Reason says why it was not audited, as a phrase for reports ("no pod
	// template or pod spec in it"); empty in results built before it
	// existed.
	Reason string `json:"reason,omitempty"`
	// Controller, when set, names the controller that will run containers
	// from this object that are not in the input ("Prometheus Operator",
	// "Argo CD"): pods will run that the audit did not see, and Reason says
	// what the controller creates.
	Controller string `json:"controller,omitempty"`
	// Template is the file that rendered the document (see
	// [Subject.Template]); empty when the input does not say.
	Template string `json:"template,omitempty"`
}

// DocumentError is an input that could not be read or decoded. Document is
// the 0-based document index, or -1 when the error concerns the whole
// source (unreadable file, file too large).
type DocumentError struct {
	Source   string
	Document int
	Err      error
}

// Error renders "source: document N: err", or "source: err" for a whole
// source.
func (e *DocumentError) Error() string {
	if e.Document < 0 {
		return fmt.Sprintf("%s: %v", e.Source, e.Err)
	}
	return fmt.Sprintf("%s: document %d: %v", e.Source, e.Document, e.Err)
}

// Unwrap returns the underlying error.
func (e *DocumentError) Unwrap() error { return e.Err }
