package namespaces_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type got checktest.Got

var summarize = checktest.Summarize[got]

func ptr[T any](v T) *T { return &v }

// hardenedPod passes every check of this package: a read-only root
// filesystem, a user namespace, and a read-only hostPath that is not
// sensitive.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec: corev1.PodSpec{
			HostUsers: ptr(false),
			Volumes: []corev1.Volume{
				{Name: "tmp", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
				{Name: "certs", VolumeSource: corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: "/etc/ssl/certs"}}},
			},
			Containers: []corev1.Container{{
				Name:            "app",
				Image:           "registry.example/app:1.2",
				SecurityContext: &corev1.SecurityContext{ReadOnlyRootFilesystem: ptr(true)},
				VolumeMounts: []corev1.VolumeMount{
					{Name: "tmp", MountPath: "/tmp"},
					{Name: "certs", MountPath: "/etc/ssl/certs", ReadOnly: true, MountPropagation: ptr(corev1.MountPropagationNone)},
				},
			}},
		},
	}
}

const (
	sensitive  = "namespaces.sensitive-host-path"
	writable   = "namespaces.writable-host-path"
	propagate  = "namespaces.mount-propagation"
	rootfs     = "namespaces.writable-root-filesystem"
	sharePID   = "namespaces.share-process-namespace"
	hostUsers  = "namespaces.host-users"
	critical   = hardening.SeverityCritical
	high       = hardening.SeverityHigh
	medium     = hardening.SeverityMedium
	low        = hardening.SeverityLow
	info       = hardening.SeverityInfo
	hostPath1  = "spec.volumes[1].hostPath.path"
	mount1RO   = "spec.containers[0].volumeMounts[1].readOnly"
	rootfsPath = "spec.containers[0].securityContext.readOnlyRootFilesystem"
)

func hostPath(p string) func(*corev1.Pod) {
	return func(pod *corev1.Pod) { pod.Spec.Volumes[1].HostPath.Path = p }
}

func TestPodChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  []got
	}{
		{"hardened", func(p *corev1.Pod) {}, nil},

		// readOnlyRootFilesystem
		{"rootfs unset", func(p *corev1.Pod) { p.Spec.Containers[0].SecurityContext = nil }, []got{{rootfs, medium, "app", rootfsPath}}},
		{"rootfs false", func(p *corev1.Pod) { p.Spec.Containers[0].SecurityContext.ReadOnlyRootFilesystem = ptr(false) }, []got{{rootfs, medium, "app", rootfsPath}}},
		{"rootfs on init and ephemeral containers", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
		}, []got{
			{rootfs, medium, "init", "spec.initContainers[0].securityContext.readOnlyRootFilesystem"},
			{rootfs, medium, "debug", "spec.ephemeralContainers[0].securityContext.readOnlyRootFilesystem"},
		}},

		// sensitive host paths
		{"docker socket", hostPath("/var/run/docker.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"docker socket under /run", hostPath("/run/docker.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"messy docker socket path", hostPath("/var/run//./docker.sock/"), []got{{sensitive, critical, "", hostPath1}}},
		{"dotdot resolves to the socket", hostPath("/var/log/../run/docker.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"containerd socket", hostPath("/run/containerd/containerd.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"containerd ttrpc socket", hostPath("/run/containerd/containerd.sock.ttrpc"), []got{{sensitive, critical, "", hostPath1}}},
		{"containerd socket directory", hostPath("/run/containerd/"), []got{{sensitive, critical, "", hostPath1}}},
		{"crio socket", hostPath("/var/run/crio/crio.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"crio directory", hostPath("/var/run/crio"), []got{{sensitive, critical, "", hostPath1}}},
		{"podman socket", hostPath("/run/podman/podman.sock"), []got{{sensitive, critical, "", hostPath1}}},
		{"/run holds sockets", hostPath("/run"), []got{{sensitive, critical, "", hostPath1}}},
		{"/var/run holds sockets", hostPath("/var/run/"), []got{{sensitive, critical, "", hostPath1}}},
		{"root", hostPath("/"), []got{{sensitive, critical, "", hostPath1}}},
		{"root written twice", hostPath("//"), []got{{sensitive, critical, "", hostPath1}}},
		{"/etc holds /etc/kubernetes", hostPath("/etc/"), []got{{sensitive, critical, "", hostPath1}}},
		{"/proc", hostPath("/proc"), []got{{sensitive, high, "", hostPath1}}},
		{"/sys", hostPath("/sys"), []got{{sensitive, high, "", hostPath1}}},
		{"/boot read-only", hostPath("/boot"), []got{{sensitive, medium, "", hostPath1}}},
		{"/root", hostPath("/root"), []got{{sensitive, high, "", hostPath1}}},
		{"/var/lib/kubelet", hostPath("/var/lib/kubelet"), []got{{sensitive, high, "", hostPath1}}},
		{"/var/lib/docker", hostPath("/var/lib/docker"), []got{{sensitive, high, "", hostPath1}}},
		{"/var/lib/containerd", hostPath("/var/lib/containerd"), []got{{sensitive, high, "", hostPath1}}},
		{"/var/lib holds etcd's data", hostPath("/var/lib"), []got{{sensitive, critical, "", hostPath1}}},
		{"/var holds etcd's data", hostPath("/var"), []got{{sensitive, critical, "", hostPath1}}},
		{"inside /var/lib/docker", hostPath("/var/lib/docker/overlay2"), []got{{sensitive, high, "", hostPath1}}},
		{"one Docker container's directory", hostPath("/var/lib/docker/containers/3f1c0b6e9a2d"), nil},
		{"inside /etc/kubernetes", hostPath("/etc/kubernetes/pki"), []got{{sensitive, critical, "", hostPath1}}},
		{"inside /proc", hostPath("/proc/1/root"), []got{{sensitive, high, "", hostPath1}}},
		{"/usr read-only", hostPath("/usr"), nil},
		{"/proc prefix is not /proc", hostPath("/procfs"), nil},
		{"/run sibling of a socket", hostPath("/run/flannel"), nil},
		{"relative path", hostPath("etc"), nil},
		{"windows docker pipe", hostPath(`\\.\pipe\docker_engine`), []got{{sensitive, critical, "", hostPath1}}},

		// writable hostPath
		{"writable hostPath", func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false }, []got{{writable, medium, "app", mount1RO}}},
		{"writable sensitive hostPath is high", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/proc"
			p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		}, []got{{sensitive, critical, "", hostPath1}, {writable, high, "app", mount1RO}}},
		{"writable /usr counts", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/usr"
			p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		}, []got{{sensitive, critical, "", hostPath1}, {writable, high, "app", mount1RO}}},
		{"one writer ranks the volume writable", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/sys/module"
			p.Spec.InitContainers = []corev1.Container{{Name: "init", SecurityContext: &corev1.SecurityContext{ReadOnlyRootFilesystem: ptr(true)},
				VolumeMounts: []corev1.VolumeMount{{Name: "certs", MountPath: "/sys/module"}}}}
		}, []got{{sensitive, high, "", hostPath1}, {writable, high, "init", "spec.initContainers[0].volumeMounts[0].readOnly"}}},
		{"unmounted volume ranks read-only", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/sys/module"
			p.Spec.Containers[0].VolumeMounts = p.Spec.Containers[0].VolumeMounts[:1]
		}, []got{{sensitive, low, "", hostPath1}}},
		{"writable socket: no readOnly advice", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/run/host-containerd/containerd.sock"
			p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		}, []got{{sensitive, critical, "", hostPath1}}},
		{"writable /run: readOnly still narrows it", func(p *corev1.Pod) {
			p.Spec.Volumes[1].HostPath.Path = "/run"
			p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		}, []got{{sensitive, critical, "", hostPath1}, {writable, high, "app", mount1RO}}},
		{"writable hostPath in every container", func(p *corev1.Pod) {
			m := corev1.VolumeMount{Name: "certs", MountPath: "/x"}
			p.Spec.InitContainers = []corev1.Container{{Name: "init", VolumeMounts: []corev1.VolumeMount{m}, SecurityContext: &corev1.SecurityContext{ReadOnlyRootFilesystem: ptr(true)}}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", VolumeMounts: []corev1.VolumeMount{{Name: "tmp", MountPath: "/tmp"}, m}, SecurityContext: &corev1.SecurityContext{ReadOnlyRootFilesystem: ptr(true)},
			}}}
		}, []got{
			{writable, medium, "init", "spec.initContainers[0].volumeMounts[0].readOnly"},
			{writable, medium, "debug", "spec.ephemeralContainers[0].volumeMounts[1].readOnly"},
		}},
		{"mount of a missing volume", func(p *corev1.Pod) { p.Spec.Containers[0].VolumeMounts[1].Name = "nope" }, nil},

		// mount propagation
		{"bidirectional", func(p *corev1.Pod) {
			p.Spec.Containers[0].VolumeMounts[1].MountPropagation = ptr(corev1.MountPropagationBidirectional)
		}, []got{{propagate, high, "app", "spec.containers[0].volumeMounts[1].mountPropagation"}}},
		{"host to container", func(p *corev1.Pod) {
			p.Spec.Containers[0].VolumeMounts[0].MountPropagation = ptr(corev1.MountPropagationHostToContainer)
		}, []got{{propagate, low, "app", "spec.containers[0].volumeMounts[0].mountPropagation"}}},

		// pod-level namespaces
		{"shareProcessNamespace", func(p *corev1.Pod) { p.Spec.ShareProcessNamespace = ptr(true) }, []got{{sharePID, low, "", "spec.shareProcessNamespace"}}},
		{"shareProcessNamespace false", func(p *corev1.Pod) { p.Spec.ShareProcessNamespace = ptr(false) }, nil},
		{"hostUsers unset", func(p *corev1.Pod) { p.Spec.HostUsers = nil }, []got{{hostUsers, info, "", "spec.hostUsers"}}},
		{"hostUsers true", func(p *corev1.Pod) { p.Spec.HostUsers = ptr(true) }, []got{{hostUsers, info, "", "spec.hostUsers"}}},

		// Windows
		{"windows skips the Linux-only checks", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
			p.Spec.HostUsers = nil
			p.Spec.Containers[0].SecurityContext = nil
			p.Spec.Containers[0].VolumeMounts[1].MountPropagation = ptr(corev1.MountPropagationBidirectional)
		}, nil},
		{"windows still checks hostPath", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
			p.Spec.HostUsers = nil
			p.Spec.Containers[0].SecurityContext = nil
			p.Spec.Volumes[1].HostPath.Path = `\\.\PIPE\containerd-containerd`
			p.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		}, []got{{sensitive, critical, "", hostPath1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			findings := checktest.Each(namespaces.Checks(), hardening.NewPodSubject(pod))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSensitiveHostPathMessages(t *testing.T) {
	const (
		dockerSock = "the Docker daemon's API socket: whoever connects to it runs privileged containers on the node"
		roSocket   = "; mounted read-only, which does not stop a client from connecting to a socket"
	)
	for _, tt := range []struct {
		name     string
		path     string
		writable bool
		want     string
	}{
		{"socket", "/var/run/docker.sock", false, `volume "certs" mounts host path "/var/run/docker.sock", ` + dockerSock + roSocket},
		{"messy socket path", "/var/run//docker.sock/", false, `volume "certs" mounts host path "/var/run//docker.sock/" (/var/run/docker.sock), ` + dockerSock + roSocket},
		{"socket by name elsewhere", "/run/user/1000/docker.sock", true, `volume "certs" mounts host path "/run/user/1000/docker.sock", ` + dockerSock +
			`; container "app" mounts it writable`},
		{"entry itself", "/run/containerd", false, `volume "certs" mounts host path "/run/containerd", containerd's state: its API socket, the shim sockets ` +
			`that run processes in every container, and every running container's root filesystem; mounted read-only`},
		{"directory above", "/var", false, `volume "certs" mounts host path "/var", which holds /var/lib/etcd, etcd's database on control-plane nodes: ` +
			`every Secret of the cluster; mounted read-only`},
		{"dot-dot after /var/run", "/var/run/../etc/kubernetes", false, `volume "certs" mounts host path "/var/run/../etc/kubernetes" (/etc/kubernetes), ` +
			`the kubelet's credentials, on control-plane nodes the cluster's admin kubeconfig and CA keys, and the static pod manifests the kubelet runs; mounted read-only`},
		{"windows pipe with forward slashes", "//./pipe/docker_engine", false, `volume "certs" mounts host path "//./pipe/docker_engine", ` +
			`the Docker engine's named pipe: whoever connects to it controls every container on the node` + roSocket},
		{"inside an entry", "/proc/1/root", false, `volume "certs" mounts host path "/proc/1/root", inside /proc, the node's processes: their command lines, ` +
			`mounts and files through /proc/<pid>/root, and the kernel's controls in /proc/sys and /proc/sysrq-trigger; mounted read-only`},
		{"inside an entry, holding a worse one", "/sys/fs/", true, `volume "certs" mounts host path "/sys/fs/" (/sys/fs), inside /sys, the node's sysfs: ` +
			`kernel, device and driver attributes that root in a container can write; it holds /sys/fs/cgroup, the node's cgroup hierarchies: ` +
			`every pod's limits and processes, and the cgroup v1 release_agent, which runs a program as root on the node; container "app" mounts it writable`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			pod.Spec.Volumes[1].HostPath.Path = tt.path
			pod.Spec.Containers[0].VolumeMounts[1].ReadOnly = !tt.writable
			f := namespaces.SensitiveHostPath.Run(hardening.NewPodSubject(pod), nil)
			if len(f) != 1 || f[0].Message != tt.want {
				t.Errorf("got %v\nwant %s", f, tt.want)
			}
		})
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, namespaces.Checks()) }

func ids(cs hardening.Checks) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}
