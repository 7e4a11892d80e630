package capabilities_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestNetRawNotDropped(t *testing.T) {
	caps := func(drop, add []corev1.Capability) func(p *corev1.Pod) {
		return func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext.Capabilities = &corev1.Capabilities{Drop: drop, Add: add}
		}
	}
	const path = "spec.containers[0].securityContext.capabilities.drop"
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  []got
	}{
		{"drop ALL", caps([]corev1.Capability{"ALL"}, nil), nil},
		{"drop NET_RAW", caps([]corev1.Capability{"NET_RAW"}, nil), nil},
		{"drop cap_net_raw in OCI spelling", caps([]corev1.Capability{"cap_net_raw"}, nil), nil},
		{"drop something else", caps([]corev1.Capability{"MKNOD"}, nil), []got{{netRaw, hardening.SeverityLow, "app", path}}},
		{"no capabilities", caps(nil, nil), []got{{netRaw, hardening.SeverityLow, "app", path}}},
		{"no security context", func(p *corev1.Pod) { p.Spec.Containers[0].SecurityContext = nil }, []got{{netRaw, hardening.SeverityLow, "app", path}}},
		{"added back is left to dangerous", caps([]corev1.Capability{"ALL"}, []corev1.Capability{"NET_RAW"}), nil},
		{"add ALL is left to dangerous", caps(nil, []corev1.Capability{"all"}), nil},
		{"privileged is left to privileged", func(p *corev1.Pod) {
			p.Spec.Containers[0].SecurityContext = &corev1.SecurityContext{Privileged: ptr(true)}
		}, nil},
		{"windows", func(p *corev1.Pod) {
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
			p.Spec.Containers[0].SecurityContext = nil
		}, nil},
		{"init and ephemeral containers", func(p *corev1.Pod) {
			p.Spec.InitContainers = []corev1.Container{{Name: "init"}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug"}}}
		}, []got{
			{netRaw, hardening.SeverityLow, "init", "spec.initContainers[0].securityContext.capabilities.drop"},
			{netRaw, hardening.SeverityLow, "debug", "spec.ephemeralContainers[0].securityContext.capabilities.drop"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			f := checktest.Each(hardening.Checks{capabilities.NetRawNotDropped}, hardening.NewPodSubject(pod))
			if diff := cmp.Diff(tt.want, summarize(f)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNetRawSeverityMatchesRisk(t *testing.T) {
	risk, ok := capabilities.RiskOf(capabilities.NetRaw)
	if !ok || risk.Severity != capabilities.NetRawNotDropped.Severity || risk.Class != capabilities.NetRawNotDropped.Class {
		t.Errorf("NetRawNotDropped is %v/%v, RiskOf(NET_RAW) is %v/%v", capabilities.NetRawNotDropped.Severity,
			capabilities.NetRawNotDropped.Class, risk.Severity, risk.Class)
	}
	if !capabilities.PodDefault.Has(capabilities.NetRaw) {
		t.Error("the assumed default set no longer holds NET_RAW; the check's message is wrong")
	}
}

// TestAssumedDefaults builds the two checks that assume a runtime's
// default set for another runtime: same IDs, the runtime named, and no
// NET_RAW finding where the runtime does not grant it.
func TestAssumedDefaults(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.Containers[0].SecurityContext.Capabilities = nil
	s := hardening.NewPodSubject(pod)
	type result struct{ ID, Message string }
	run := func(c *hardening.Check) []result {
		var out []result
		for _, f := range c.Run(s, nil) {
			out = append(out, result{c.ID, f.Message})
		}
		return out
	}
	tests := []struct {
		name  string
		check *hardening.Check
		want  []result
	}{
		{"drop-all-missing on podman's set", capabilities.DropAllMissingAssuming("podman", capabilities.PodmanDefault), []result{{dropAll,
			`container "app" does not drop ALL; assuming podman's default set it keeps 11 capabilities ` +
				`(CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT)`}}},
		{"drop-all-missing on an empty set", capabilities.DropAllMissingAssuming("gVisor", 0), []result{{dropAll,
			`container "app" does not drop ALL; assuming gVisor's default set it keeps 0 capabilities`}}},
		{"net-raw-not-dropped on docker's set", capabilities.NetRawNotDroppedAssuming("Docker", capabilities.DockerDefault), []result{{netRaw,
			`container "app" drops neither ALL nor NET_RAW, so it keeps NET_RAW from the runtime's default set (assuming Docker's defaults): it can craft raw packets`}}},
		{"net-raw-not-dropped on podman's set", capabilities.NetRawNotDroppedAssuming("podman", capabilities.PodmanDefault), nil},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, run(tt.check)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
		if err := hardening.Validate(hardening.Checks{tt.check}); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestLowIDs(t *testing.T) {
	const (
		ctrUID = "spec.containers[0].securityContext.runAsUser"
		ctrGID = "spec.containers[0].securityContext.runAsGroup"
		podUID = "spec.securityContext.runAsUser"
		podGID = "spec.securityContext.runAsGroup"
	)
	info := hardening.SeverityInfo
	tests := []podCase{
		{"hardened", func(p *corev1.Pod) {}, nil, nil},
		{"pod uid and gid low", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser, p.Spec.SecurityContext.RunAsGroup = ptr(int64(1000)), ptr(int64(100))
		}, nil, []got{{lowIDs, info, "app", podUID}, {lowIDs, info, "app", podGID}}},
		{"container overrides a low pod value", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr(int64(1000))
			p.Spec.Containers[0].SecurityContext.RunAsUser = ptr(int64(20000))
		}, nil, nil},
		{"container overrides a high pod value", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsGroup = ptr(int64(20000))
			p.Spec.Containers[0].SecurityContext.RunAsGroup = ptr(int64(999))
		}, nil, []got{{lowIDs, info, "app", ctrGID}}},
		{"threshold itself passes", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr(int64(10000))
		}, nil, nil},
		{"uid and gid 0 are left to the root checks", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser, p.Spec.SecurityContext.RunAsGroup = ptr(int64(0)), ptr(int64(0))
		}, nil, nil},
		{"unset with unknown image says nothing", func(p *corev1.Pod) {
			p.Spec.SecurityContext = nil
		}, nil, nil},
		{"unset with a known numeric image USER", func(p *corev1.Pod) {
			p.Spec.SecurityContext = nil
		}, map[string]*imagespec.Image{"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "1000:1000"}}},
			[]got{{lowIDs, info, "app", ctrUID}, {lowIDs, info, "app", ctrGID}}},
		{"image USER by name is unknown", func(p *corev1.Pod) {
			p.Spec.SecurityContext = nil
		}, map[string]*imagespec.Image{"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "nginx"}}}, nil},
		{"user namespace", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr(int64(1000))
			p.Spec.HostUsers = ptr(false)
		}, nil, nil},
		{"windows", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr(int64(1000))
			p.Spec.OS = &corev1.PodOS{Name: corev1.Windows}
		}, nil, nil},
		{"every container", func(p *corev1.Pod) {
			p.Spec.SecurityContext.RunAsUser = ptr(int64(20000))
			p.Spec.InitContainers = []corev1.Container{{Name: "init", SecurityContext: &corev1.SecurityContext{RunAsUser: ptr(int64(33))}}}
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{
				Name: "debug", SecurityContext: &corev1.SecurityContext{RunAsGroup: ptr(int64(5))},
			}}}
		}, nil, []got{
			{lowIDs, info, "init", "spec.initContainers[0].securityContext.runAsUser"},
			{lowIDs, info, "debug", "spec.ephemeralContainers[0].securityContext.runAsGroup"},
		}},
	}
	runPodCases(t, hardening.Checks{capabilities.LowIDsDefault}, tests)
}

func TestLowIDsMessagesAndThreshold(t *testing.T) {
	pod := hardenedPod()
	pod.Spec.SecurityContext.RunAsUser = ptr(int64(1000))
	s := hardening.NewPodSubject(pod)
	f := capabilities.LowIDsDefault.Run(s, nil)
	want := `container "app" runs as uid 1000 (from spec.securityContext.runAsUser), below 10000: it may share the uid of an account on the node`
	if len(f) != 1 || f[0].Message != want {
		t.Fatalf("got %v, want one finding %q", f, want)
	}

	strict := capabilities.LowIDs(100)
	if strict.ID != capabilities.LowIDsDefault.ID || strict.Title != "container runs with a uid or gid below 100" {
		t.Errorf("LowIDs(100) = %q %q", strict.ID, strict.Title)
	}
	if f := strict.Run(s, nil); len(f) != 0 {
		t.Errorf("uid 1000 is above threshold 100, got %v", f)
	}
	if err := hardening.Validate(hardening.Checks{strict}); err != nil {
		t.Error(err)
	}

	pod.Spec.SecurityContext = nil
	s.ContainerImages = map[string]*imagespec.Image{"registry.example/app:1.2": {Config: imagespec.ImageConfig{User: "999"}}}
	f = capabilities.LowIDsDefault.Run(s, nil)
	want = `container "app" runs as uid 999 (sets no runAsUser; its image "registry.example/app:1.2" has USER "999"), below 10000: it may share the uid of an account on the node`
	if len(f) != 1 || f[0].Message != want {
		t.Fatalf("got %v, want one finding %q", f, want)
	}
}
