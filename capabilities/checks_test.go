package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type got checktest.Got

var summarize = checktest.Summarize[got]

func ptr[T any](v T) *T { return &v }

// podCase is a change to hardenedPod, the image configs its containers
// run (nil: unknown), and the findings the checks under test report.
type podCase struct {
	name   string
	tweak  func(p *corev1.Pod)
	images map[string]*imagespec.Image
	want   []got
}

// runPodCases runs checks, each on its own, on every case's pod.
func runPodCases(t *testing.T, checks hardening.Checks, cases []podCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			s := hardening.NewPodSubject(pod)
			s.ContainerImages = tt.images
			if diff := cmp.Diff(tt.want, summarize(checktest.Each(checks, s))); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// hardenedPod passes every capabilities check.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec: corev1.PodSpec{
			SecurityContext: &corev1.PodSecurityContext{RunAsNonRoot: ptr(true), RunAsUser: ptr(int64(10001))},
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.example/app:1.2",
				SecurityContext: &corev1.SecurityContext{
					AllowPrivilegeEscalation: ptr(false),
					Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
				},
			}},
		},
	}
}

const (
	dangerous  = "capabilities.dangerous"
	dropAll    = "capabilities.drop-all-missing"
	escalation = "capabilities.privilege-escalation"
	privileged = "capabilities.privileged"
	root       = "capabilities.runs-as-root"
	unknown    = "capabilities.unknown-name"
	ambient    = "capabilities.inheritable-ambient"
	netRaw     = "capabilities.net-raw-not-dropped"
	lowIDs     = "capabilities.low-ids"
)

func TestPodChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  []got
	}{
		{"hardened", func(p *corev1.Pod) {}, nil},
		{"privileged, and what it adds, which survives its removal", func(p *corev1.Pod) {
			sc := p.Spec.Containers[0].SecurityContext
			sc.Privileged = ptr(true)
			sc.AllowPrivilegeEscalation = nil
			sc.Capabilities = &corev1.Capabilities{Add: []corev1.Capability{"SYS_ADMIN"}}
		}, []got{
			{dangerous, hardening.SeverityCritical, "app", "spec.containers[0].securityContext.capabilities.add[0]"},
			{privileged, hardening.SeverityCritical, "app", "spec.containers[0].securityContext.privileged"},
		}},
		{"dangerous adds carry their own severity", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.Capabilities.Add = []corev1.Capability{"NET_BIND_SERVICE", "SYS_ADMIN", "cap_sys_ptrace", "NET_RAW", "NET_ADMIN"}
		}, []got{
			{dangerous, hardening.SeverityCritical, "app", "spec.containers[0].securityContext.capabilities.add[1]"},
			{dangerous, hardening.SeverityHigh, "app", "spec.containers[0].securityContext.capabilities.add[2]"},
			{dangerous, hardening.SeverityLow, "app", "spec.containers[0].securityContext.capabilities.add[3]"},
			{dangerous, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.capabilities.add[4]"},
		}},
		{"add ALL", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.Capabilities.Add = []corev1.Capability{"ALL"}
		}, []got{{dangerous, hardening.SeverityCritical, "app", "spec.containers[0].securityContext.capabilities.add[0]"}}},
		{"nothing said about capabilities or escalation", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext = nil
		}, []got{
			{dropAll, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.capabilities.drop"},
			{netRaw, hardening.SeverityLow, "app", "spec.containers[0].securityContext.capabilities.drop"},
			{escalation, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.allowPrivilegeEscalation"},
		}},
		{"drop all in lower case counts", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.Capabilities.Drop = []corev1.Capability{"all"}
		}, nil},
		{"misspelt drop drops nothing", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.Capabilities.Drop = []corev1.Capability{"NET-RAW"}
			p.Spec.Containers[0].SecurityContext.Capabilities.Add = []corev1.Capability{"SYS_WIZARD"}
		}, []got{
			{dropAll, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.capabilities.drop"},
			{netRaw, hardening.SeverityLow, "app", "spec.containers[0].securityContext.capabilities.drop"},
			{unknown, hardening.SeverityLow, "app", "spec.containers[0].securityContext.capabilities.drop[0]"},
			{unknown, hardening.SeverityLow, "app", "spec.containers[0].securityContext.capabilities.add[0]"},
		}},
		{"escalation explicitly true", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.AllowPrivilegeEscalation = ptr(true)
		}, []got{{escalation, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.allowPrivilegeEscalation"}}},
		{"init and ephemeral containers are checked", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init", SecurityContext: &corev1.SecurityContext{Privileged: ptr(true)}}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", SecurityContext: &corev1.SecurityContext{AllowPrivilegeEscalation: ptr(false), Capabilities: &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}, Add: []corev1.Capability{"SYS_PTRACE"}}},
			}}}
		}, []got{
			{dangerous, hardening.SeverityHigh, "debug", "spec.ephemeralContainers[0].securityContext.capabilities.add[0]"},
			{privileged, hardening.SeverityCritical, "init", "spec.initContainers[0].securityContext.privileged"},
		}},
		{"runAsUser 0 at pod level", func(p *corev1.Pod) {
			p.Spec.SecurityContext = &corev1.PodSecurityContext{RunAsUser: ptr(int64(0))}
		}, []got{{root, hardening.SeverityMedium, "app", "spec.securityContext.runAsUser"}}},
		{"container runAsUser overrides pod", func(p *corev1.Pod) {
			p.Spec.SecurityContext = &corev1.PodSecurityContext{RunAsUser: ptr(int64(0))}
			p.Spec.Containers[0].SecurityContext.RunAsUser = ptr(int64(1000))
		}, []got{{lowIDs, hardening.SeverityInfo, "app", "spec.containers[0].securityContext.runAsUser"}}},
		{"container root under pod runAsNonRoot is refused by the kubelet", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.RunAsUser = ptr(int64(0))
		}, nil},
		{"container root with runAsNonRoot false", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.RunAsUser = ptr(int64(0))
			p.Spec.Containers[0].SecurityContext.RunAsNonRoot = ptr(false)
		}, []got{{root, hardening.SeverityMedium, "app", "spec.containers[0].securityContext.runAsUser"}}},
		{"root in a user namespace is low", func(p *corev1.Pod) {
			p.Spec.SecurityContext = &corev1.PodSecurityContext{RunAsUser: ptr(int64(0))}
			p.Spec.HostUsers = ptr(false)
		}, []got{{root, hardening.SeverityLow, "app", "spec.securityContext.runAsUser"}}},
		{"windows pods have no linux capabilities", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
			p.Spec.SecurityContext = nil
			p.Spec.Containers[0].SecurityContext = nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			s := hardening.NewPodSubject(pod)
			findings := checktest.Each(capabilities.Checks(), s)
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPodRootFromImage(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.SecurityContext = nil
	s := hardening.NewPodSubject(pod)
	if f := checktest.Each(capabilities.Checks(), s); len(f) != 0 {
		t.Fatalf("unknown image must not be reported, got %v", f)
	}
	s.ContainerImages = map[string]*imagespec.Image{"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "0:0"}}}
	f := checktest.Each(capabilities.Checks(), s)
	want := []hardening.Finding{{
		Check: "capabilities.root-group", Severity: hardening.SeverityLow, Class: hardening.ClassEscape, Subject: "Pod/prod/web",
		Kind: hardening.KindPod, Container: "app", Path: "spec.containers[0].securityContext.runAsGroup",
		Message:     `container "app" sets no runAsGroup and its image "registry.example/app:1.2" has USER "0:0", so it runs as gid 0, the root group`,
		Remediation: capabilities.RootGroup.Remediation, References: capabilities.RootGroup.References,
	}, {
		Check: root, Severity: hardening.SeverityMedium, Class: hardening.ClassEscape, Subject: "Pod/prod/web",
		Kind: hardening.KindPod, Container: "app", Path: "spec.containers[0].securityContext.runAsUser",
		Message:     `container "app" sets no runAsUser and its image "registry.example/app:1.2" has USER "0:0", so it runs as root`,
		Remediation: capabilities.RunsAsRoot.Remediation, References: capabilities.RunsAsRoot.References,
	}}
	if diff := cmp.Diff(want, f); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDropAllMessageNamesTheAssumedDefault(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.Containers[0].SecurityContext.Capabilities = &corev1.Capabilities{
		Drop: []corev1.Capability{"NET_RAW", "MKNOD"},
		Add:  []corev1.Capability{"SYS_TIME"},
	}
	f := capabilities.DropAllMissing.Run(hardening.NewPodSubject(pod), nil)
	want := `container "app" does not drop ALL; assuming containerd's default set it keeps 12 capabilities ` +
		`(AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT) plus the added SYS_TIME`
	if len(f) != 1 || f[0].Message != want {
		t.Errorf("got %v\nwant message %s", f, want)
	}
}

// hardenedSpec passes every capabilities check.
func hardenedSpec() *runtimespec.Spec {
	return &runtimespec.Spec{
		Version: runtimespec.Version,
		Process: &runtimespec.Process{
			User:            runtimespec.User{UID: 10001, GID: 10001},
			Args:            []string{"/app"},
			Cwd:             "/",
			NoNewPrivileges: true,
			Capabilities: &runtimespec.LinuxCapabilities{
				Bounding:  []string{"CAP_NET_BIND_SERVICE"},
				Effective: []string{"CAP_NET_BIND_SERVICE"},
				Permitted: []string{"CAP_NET_BIND_SERVICE"},
			},
		},
		Linux: &runtimespec.Linux{},
	}
}

func allCaps() []string {
	var out []string
	for c := capabilities.Capability(0); c <= capabilities.Last; c++ {
		out = append(out, c.OCIName())
	}
	return out
}

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []got
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"no process", func(s *runtimespec.Spec) { s.Process = nil }, nil},
		{"all capabilities is privileged, reported once", func(s *runtimespec.Spec) {
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: allCaps(), Effective: allCaps(), Permitted: allCaps()}
		}, []got{{privileged, hardening.SeverityCritical, "", "process.capabilities.bounding"}}},
		{"an older kernel's full set is privileged too", func(s *runtimespec.Spec) {
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: allCaps()[:38]}
		}, []got{{privileged, hardening.SeverityCritical, "", "process.capabilities.bounding"}}},
		{"docker defaults: NET_RAW and MKNOD", func(s *runtimespec.Spec) {
			d := []string{"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"}
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: d, Effective: d, Permitted: d}
			s.Process.NoNewPrivileges = false
			s.Process.User = runtimespec.User{}
		}, []got{
			{dangerous, hardening.SeverityLow, "", "process.capabilities.bounding[4]"},
			{dangerous, hardening.SeverityLow, "", "process.capabilities.bounding[5]"},
			{escalation, hardening.SeverityMedium, "", "process.noNewPrivileges"},
			{root, hardening.SeverityMedium, "", "process.user.uid"},
		}},
		{"capability only in the effective set is found there", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Effective = append(s.Process.Capabilities.Effective, "CAP_SYS_ADMIN")
		}, []got{
			{dangerous, hardening.SeverityCritical, "", "process.capabilities.effective[1]"},
			{"capabilities.effective-not-permitted", hardening.SeverityLow, "", "process.capabilities.effective[1]"},
		}},
		{"ambient applied to a non-root user", func(s *runtimespec.Spec) {
			c := s.Process.Capabilities
			c.Inheritable = []string{"CAP_NET_BIND_SERVICE"}
			c.Ambient = []string{"CAP_NET_BIND_SERVICE", "CAP_KILL"}
		}, []got{
			{ambient, hardening.SeverityMedium, "", "process.capabilities.inheritable"},
			{ambient, hardening.SeverityMedium, "", "process.capabilities.ambient"},
		}},
		{"ambient without inheritable is not applied", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Ambient = []string{"CAP_NET_BIND_SERVICE"}
		}, []got{{ambient, hardening.SeverityInfo, "", "process.capabilities.ambient"}}},
		{"unknown names and ALL", func(s *runtimespec.Spec) {
			s.Process.Capabilities.Bounding = []string{"CAP_NET_BIND_SERVICE", "ALL", "CAP_WIZARD"}
		}, []got{
			{unknown, hardening.SeverityLow, "", "process.capabilities.bounding[1]"},
			{unknown, hardening.SeverityLow, "", "process.capabilities.bounding[2]"},
		}},
		{"root mapped by a user namespace is low", func(s *runtimespec.Spec) {
			s.Process.User = runtimespec.User{}
			s.Linux.Namespaces = []runtimespec.LinuxNamespace{{Type: runtimespec.UserNamespace}}
			s.Linux.UIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 100000, Size: 65536}}
		}, []got{{root, hardening.SeverityLow, "", "process.user.uid"}}},
		{"root mapped to host root is not relaxed", func(s *runtimespec.Spec) {
			s.Process.User = runtimespec.User{}
			s.Linux.Namespaces = []runtimespec.LinuxNamespace{{Type: runtimespec.UserNamespace}}
			s.Linux.UIDMappings = []runtimespec.LinuxIDMapping{{ContainerID: 0, HostID: 0, Size: 1}}
		}, []got{{root, hardening.SeverityMedium, "", "process.user.uid"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			findings := checktest.Each(capabilities.Checks(), hardening.NewSpecSubject("config.json", spec))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImageUser(t *testing.T) {
	for _, tt := range []struct {
		user string
		root bool
	}{
		{"", true}, {"root", true}, {"0", true}, {"0:0", true}, {"root:root", true}, {"0:1000", true}, {"00", true},
		{"10001", false}, {"app", false}, {"10001:0", false}, {"app:root", false},
	} {
		img := &imagespec.Image{Config: imagespec.ImageConfig{User: tt.user}}
		f := checktest.Each(capabilities.Checks(), hardening.NewImageSubject("image.json", img))
		if got := len(f) == 1 && f[0].Path == "config.User"; got != tt.root || len(f) > 1 {
			t.Errorf("USER %q: findings %v, want root=%v", tt.user, f, tt.root)
		}
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, capabilities.Checks()) }
