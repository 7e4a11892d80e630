package conformance

// A generator of pods: start from a minimal valid pod and change, one at a
// time and then at random, every field the Pod Security Standards read.

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func ptr[T any](v T) *T { return &v }

// base is a starting pod.
type base struct {
	name string
	pod  func() *corev1.Pod
}

// bases are PSA's "minimal valid pod" idea at each level: the smallest pod
// that passes baseline, and the smallest that passes restricted. Both have
// one container; a mutation aimed at an init or ephemeral container adds
// one, cloned from it.
var bases = []base{
	{"baseline-minimal", func() *corev1.Pod {
		return &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: "pod"},
			Spec: corev1.PodSpec{Containers: []corev1.Container{
				{Name: "app", Image: "registry.k8s.io/pause"},
			}},
		}
	}},
	{"restricted-minimal", func() *corev1.Pod {
		return &corev1.Pod{
			TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Pod"},
			ObjectMeta: metav1.ObjectMeta{Name: "pod"},
			Spec: corev1.PodSpec{
				SecurityContext: &corev1.PodSecurityContext{
					RunAsNonRoot:   ptr(true),
					SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
				},
				Containers: []corev1.Container{{
					Name: "app", Image: "registry.k8s.io/pause",
					SecurityContext: &corev1.SecurityContext{
						AllowPrivilegeEscalation: ptr(false),
						Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
					},
				}},
			},
		}
	}},
}

// mutation changes one thing about a pod. name says what, as a field path
// and value, so a generated pod's origin is its diff from the base.
type mutation struct {
	name  string
	apply func(p *corev1.Pod)
}

func podSC(p *corev1.Pod) *corev1.PodSecurityContext {
	if p.Spec.SecurityContext == nil {
		p.Spec.SecurityContext = &corev1.PodSecurityContext{}
	}
	return p.Spec.SecurityContext
}

func containerSC(c *corev1.Container) *corev1.SecurityContext {
	if c.SecurityContext == nil {
		c.SecurityContext = &corev1.SecurityContext{}
	}
	return c.SecurityContext
}

func caps(c *corev1.Container) *corev1.Capabilities {
	sc := containerSC(c)
	if sc.Capabilities == nil {
		sc.Capabilities = &corev1.Capabilities{}
	}
	return sc.Capabilities
}

func annotate(p *corev1.Pod, k, v string) {
	if p.Annotations == nil {
		p.Annotations = map[string]string{}
	}
	p.Annotations[k] = v
}

// list is where a container-level mutation applies.
type list struct {
	field string // initContainers, containers, ephemeralContainers
	name  string // name of the container added to an empty list
}

var lists = []list{{"initContainers", "init"}, {"containers", "app"}, {"ephemeralContainers", "debug"}}

// container returns the first container of l in p, adding a clone of the
// first regular container (or a bare one) if l is empty.
func (l list) container(p *corev1.Pod) *corev1.Container {
	proto := corev1.Container{Name: l.name, Image: "registry.k8s.io/pause"}
	if len(p.Spec.Containers) > 0 {
		proto = *p.Spec.Containers[0].DeepCopy()
		proto.Name = l.name
	}
	switch l.field {
	case "initContainers":
		if len(p.Spec.InitContainers) == 0 {
			p.Spec.InitContainers = append(p.Spec.InitContainers, proto)
		}
		return &p.Spec.InitContainers[0]
	case "ephemeralContainers":
		if len(p.Spec.EphemeralContainers) == 0 {
			p.Spec.EphemeralContainers = append(p.Spec.EphemeralContainers,
				corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon(proto)})
		}
		return (*corev1.Container)(&p.Spec.EphemeralContainers[0].EphemeralContainerCommon)
	default:
		if len(p.Spec.Containers) == 0 {
			p.Spec.Containers = append(p.Spec.Containers, proto)
		}
		return &p.Spec.Containers[0]
	}
}

// allowedSysctls is the union of PSA's allow-lists over all versions; each
// is tried, with forbidden and oddly spelled names.
var sysctlNames = []string{
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ip_local_reserved_ports",
	"net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
	"net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
	// forbidden at every version
	"kernel.msgmax", "net.ipv4.ip_forward", "net/ipv4/ip_local_port_range", "NET.IPV4.TCP_SYNCOOKIES", "",
}

var capNames = []corev1.Capability{
	// baseline's allowed set
	"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
	// outside it, and odd spellings
	"NET_RAW", "SYS_ADMIN", "ALL", "all", "CAP_SYS_ADMIN", "sys_admin", "CAP_CHOWN", "chown",
	"net_bind_service", "CAP_NET_BIND_SERVICE", "", " NET_BIND_SERVICE",
}

var profileValues = []string{"RuntimeDefault", "Localhost", "Unconfined", "", "Bogus"}

var annotationValues = []string{"runtime/default", "docker/default", "localhost/x", "localhost/", "unconfined", "", "bogus"}

var seLinuxTypes = []string{"", "container_t", "container_init_t", "container_kvm_t", "container_engine_t", "spc_t", "unconfined_t"}

// seLinux returns the mutations of a seLinuxOptions reached by get.
func seLinux(prefix string, get func(p *corev1.Pod) **corev1.SELinuxOptions) []mutation {
	var ms []mutation
	set := func(name string, f func(o *corev1.SELinuxOptions)) {
		ms = append(ms, mutation{prefix + ".seLinuxOptions." + name, func(p *corev1.Pod) {
			o := get(p)
			if *o == nil {
				*o = &corev1.SELinuxOptions{}
			}
			f(*o)
		}})
	}
	for _, t := range seLinuxTypes {
		set(fmt.Sprintf("type=%q", t), func(o *corev1.SELinuxOptions) { o.Type = t })
	}
	set(`user="system_u"`, func(o *corev1.SELinuxOptions) { o.User = "system_u" })
	set(`role="system_r"`, func(o *corev1.SELinuxOptions) { o.Role = "system_r" })
	set(`level="s0:c123,c456"`, func(o *corev1.SELinuxOptions) { o.Level = "s0:c123,c456" })
	set(`{}`, func(o *corev1.SELinuxOptions) {})
	return ms
}

func seccomp(prefix string, get func(p *corev1.Pod) **corev1.SeccompProfile) []mutation {
	ms := []mutation{{prefix + ".seccompProfile=nil", func(p *corev1.Pod) { *get(p) = nil }}}
	for _, v := range profileValues {
		ms = append(ms, mutation{fmt.Sprintf("%s.seccompProfile.type=%q", prefix, v), func(p *corev1.Pod) {
			sp := &corev1.SeccompProfile{Type: corev1.SeccompProfileType(v)}
			if v == "Localhost" {
				sp.LocalhostProfile = ptr("x.json")
			}
			*get(p) = sp
		}})
	}
	return ms
}

func appArmor(prefix string, get func(p *corev1.Pod) **corev1.AppArmorProfile) []mutation {
	ms := []mutation{{prefix + ".appArmorProfile=nil", func(p *corev1.Pod) { *get(p) = nil }}}
	for _, v := range profileValues {
		ms = append(ms, mutation{fmt.Sprintf("%s.appArmorProfile.type=%q", prefix, v), func(p *corev1.Pod) {
			ap := &corev1.AppArmorProfile{Type: corev1.AppArmorProfileType(v)}
			if v == "Localhost" {
				ap.LocalhostProfile = ptr("x")
			}
			*get(p) = ap
		}})
	}
	return ms
}

func boolValues(name string, set func(p *corev1.Pod, v *bool)) []mutation {
	return []mutation{
		{name + "=nil", func(p *corev1.Pod) { set(p, nil) }},
		{name + "=true", func(p *corev1.Pod) { set(p, ptr(true)) }},
		{name + "=false", func(p *corev1.Pod) { set(p, ptr(false)) }},
	}
}

// podMutations change pod-level fields.
func podMutations() []mutation {
	var ms []mutation
	add := func(name string, f func(p *corev1.Pod)) { ms = append(ms, mutation{name, f}) }

	ms = append(ms, boolValues("spec.hostNetwork", func(p *corev1.Pod, v *bool) { p.Spec.HostNetwork = v != nil && *v })...)
	ms = append(ms, boolValues("spec.hostPID", func(p *corev1.Pod, v *bool) { p.Spec.HostPID = v != nil && *v })...)
	ms = append(ms, boolValues("spec.hostIPC", func(p *corev1.Pod, v *bool) { p.Spec.HostIPC = v != nil && *v })...)
	ms = append(ms, boolValues("spec.hostUsers", func(p *corev1.Pod, v *bool) { p.Spec.HostUsers = v })...)

	// Every volume source, by reflection, so a new one in k8s.io/api is
	// covered without editing this list, and a volume with no source.
	vt := reflect.TypeFor[corev1.VolumeSource]()
	for i := range vt.NumField() {
		f := vt.Field(i)
		json, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		add("spec.volumes[0]."+json+"={}", func(p *corev1.Pod) {
			v := corev1.Volume{Name: "v"}
			reflect.ValueOf(&v.VolumeSource).Elem().Field(i).Set(reflect.New(f.Type.Elem()))
			p.Spec.Volumes = append(p.Spec.Volumes, v)
		})
	}
	add("spec.volumes[0]={name: v} (no source)", func(p *corev1.Pod) {
		p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{Name: "v"})
	})
	add(`spec.volumes[0].hostPath={path: /var/run/docker.sock}`, func(p *corev1.Pod) {
		p.Spec.Volumes = append(p.Spec.Volumes, corev1.Volume{Name: "sock", VolumeSource: corev1.VolumeSource{
			HostPath: &corev1.HostPathVolumeSource{Path: "/var/run/docker.sock"}}})
	})

	// Annotations.
	for _, v := range annotationValues {
		add(fmt.Sprintf("metadata.annotations[%s]=%q", corev1.SeccompPodAnnotationKey, v), func(p *corev1.Pod) {
			annotate(p, corev1.SeccompPodAnnotationKey, v)
		})
		add(fmt.Sprintf("metadata.annotations[%sghost]=%q", corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix, v), func(p *corev1.Pod) {
			annotate(p, corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix+"ghost", v)
		})
		add(fmt.Sprintf("metadata.annotations[%sghost]=%q", corev1.SeccompContainerAnnotationKeyPrefix, v), func(p *corev1.Pod) {
			annotate(p, corev1.SeccompContainerAnnotationKeyPrefix+"ghost", v)
		})
	}

	// Pod security context.
	add("spec.securityContext=nil", func(p *corev1.Pod) { p.Spec.SecurityContext = nil })
	ms = append(ms, appArmor("spec.securityContext", func(p *corev1.Pod) **corev1.AppArmorProfile { return &podSC(p).AppArmorProfile })...)
	ms = append(ms, seLinux("spec.securityContext", func(p *corev1.Pod) **corev1.SELinuxOptions { return &podSC(p).SELinuxOptions })...)
	ms = append(ms, seccomp("spec.securityContext", func(p *corev1.Pod) **corev1.SeccompProfile { return &podSC(p).SeccompProfile })...)
	for _, n := range sysctlNames {
		add(fmt.Sprintf("spec.securityContext.sysctls[0].name=%q", n), func(p *corev1.Pod) {
			sc := podSC(p)
			sc.Sysctls = append(sc.Sysctls, corev1.Sysctl{Name: n, Value: "1"})
		})
	}
	ms = append(ms, boolValues("spec.securityContext.windowsOptions.hostProcess", func(p *corev1.Pod, v *bool) {
		podSC(p).WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: v}
	})...)
	ms = append(ms, boolValues("spec.securityContext.runAsNonRoot", func(p *corev1.Pod, v *bool) { podSC(p).RunAsNonRoot = v })...)
	for _, u := range []int64{0, 1000} {
		add(fmt.Sprintf("spec.securityContext.runAsUser=%d", u), func(p *corev1.Pod) { podSC(p).RunAsUser = ptr(u) })
	}
	add("spec.securityContext.runAsUser=nil", func(p *corev1.Pod) { podSC(p).RunAsUser = nil })

	// Operating system.
	for _, os := range []string{"windows", "linux", "Windows", ""} {
		add(fmt.Sprintf("spec.os.name=%q", os), func(p *corev1.Pod) { p.Spec.OS = &corev1.PodOS{Name: corev1.OSName(os)} })
	}
	add("spec.os=nil", func(p *corev1.Pod) { p.Spec.OS = nil })
	return ms
}

// containerMutations change the fields of one container in l.
func containerMutations(l list) []mutation {
	var ms []mutation
	prefix := "spec." + l.field + "[0]"
	add := func(name string, f func(c *corev1.Container, p *corev1.Pod)) {
		ms = append(ms, mutation{prefix + name, func(p *corev1.Pod) { f(l.container(p), p) }})
	}
	addBools := func(name string, set func(c *corev1.Container, v *bool)) {
		for _, m := range boolValues(name, func(p *corev1.Pod, v *bool) { set(l.container(p), v) }) {
			m.name = prefix + m.name
			ms = append(ms, m)
		}
	}
	addSub := func(sub []mutation) {
		for _, m := range sub {
			m.name = prefix + m.name
			ms = append(ms, m)
		}
	}

	add(".securityContext=nil", func(c *corev1.Container, _ *corev1.Pod) { c.SecurityContext = nil })
	addBools(".securityContext.privileged", func(c *corev1.Container, v *bool) { containerSC(c).Privileged = v })
	addBools(".securityContext.allowPrivilegeEscalation", func(c *corev1.Container, v *bool) { containerSC(c).AllowPrivilegeEscalation = v })
	addBools(".securityContext.runAsNonRoot", func(c *corev1.Container, v *bool) { containerSC(c).RunAsNonRoot = v })
	for _, u := range []int64{0, 1000} {
		add(fmt.Sprintf(".securityContext.runAsUser=%d", u), func(c *corev1.Container, _ *corev1.Pod) { containerSC(c).RunAsUser = ptr(u) })
	}
	addBools(".securityContext.windowsOptions.hostProcess", func(c *corev1.Container, v *bool) {
		containerSC(c).WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: v}
	})

	// Capabilities.
	add(".securityContext.capabilities=nil", func(c *corev1.Container, _ *corev1.Pod) { containerSC(c).Capabilities = nil })
	for _, n := range capNames {
		add(fmt.Sprintf(".securityContext.capabilities.add[+]=%q", n), func(c *corev1.Container, _ *corev1.Pod) {
			cs := caps(c)
			cs.Add = append(cs.Add, n)
		})
	}
	for _, drop := range [][]corev1.Capability{nil, {}, {"ALL"}, {"all"}, {"NET_RAW"}, {"CAP_ALL"}, {"NET_RAW", "ALL"}, {""}} {
		name := fmt.Sprintf("%q", drop)
		if drop == nil {
			name = "nil"
		}
		add(".securityContext.capabilities.drop="+name, func(c *corev1.Container, _ *corev1.Pod) {
			caps(c).Drop = drop
		})
	}

	// Host ports.
	for _, hp := range []int32{0, 8080} {
		add(fmt.Sprintf(".ports[+].hostPort=%d", hp), func(c *corev1.Container, _ *corev1.Pod) {
			c.Ports = append(c.Ports, corev1.ContainerPort{ContainerPort: 80, HostPort: hp})
		})
	}

	// Confinement.
	addSub(appArmor(".securityContext", func(p *corev1.Pod) **corev1.AppArmorProfile { return &containerSC(l.container(p)).AppArmorProfile }))
	addSub(seLinux(".securityContext", func(p *corev1.Pod) **corev1.SELinuxOptions { return &containerSC(l.container(p)).SELinuxOptions }))
	addSub(seccomp(".securityContext", func(p *corev1.Pod) **corev1.SeccompProfile { return &containerSC(l.container(p)).SeccompProfile }))
	for _, pm := range []string{"Default", "Unmasked", "", "Bogus"} {
		add(fmt.Sprintf(".securityContext.procMount=%q", pm), func(c *corev1.Container, _ *corev1.Pod) {
			containerSC(c).ProcMount = ptr(corev1.ProcMountType(pm))
		})
	}
	for _, v := range annotationValues {
		ms = append(ms, mutation{
			fmt.Sprintf("metadata.annotations[%s<%s>]=%q", corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix, l.field, v),
			func(p *corev1.Pod) {
				annotate(p, corev1.DeprecatedAppArmorBetaContainerAnnotationKeyPrefix+l.container(p).Name, v)
			}})
		ms = append(ms, mutation{
			fmt.Sprintf("metadata.annotations[%s<%s>]=%q", corev1.SeccompContainerAnnotationKeyPrefix, l.field, v),
			func(p *corev1.Pod) {
				annotate(p, corev1.SeccompContainerAnnotationKeyPrefix+l.container(p).Name, v)
			}})
	}

	// Probes and lifecycle handlers.
	for _, host := range []string{"", "example.com", "127.0.0.1"} {
		handlers := []struct {
			name string
			h    corev1.ProbeHandler
		}{
			{fmt.Sprintf("httpGet.host=%q", host), corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Host: host}}},
			{fmt.Sprintf("tcpSocket.host=%q", host), corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Host: host}}},
		}
		for _, h := range handlers {
			add(".livenessProbe."+h.name, func(c *corev1.Container, _ *corev1.Pod) {
				c.LivenessProbe = &corev1.Probe{ProbeHandler: *h.h.DeepCopy()}
			})
			add(".readinessProbe."+h.name, func(c *corev1.Container, _ *corev1.Pod) {
				c.ReadinessProbe = &corev1.Probe{ProbeHandler: *h.h.DeepCopy()}
			})
			add(".startupProbe."+h.name, func(c *corev1.Container, _ *corev1.Pod) {
				c.StartupProbe = &corev1.Probe{ProbeHandler: *h.h.DeepCopy()}
			})
			lh := corev1.LifecycleHandler{HTTPGet: h.h.DeepCopy().HTTPGet, TCPSocket: h.h.DeepCopy().TCPSocket}
			add(".lifecycle.postStart."+h.name, func(c *corev1.Container, _ *corev1.Pod) {
				if c.Lifecycle == nil {
					c.Lifecycle = &corev1.Lifecycle{}
				}
				c.Lifecycle.PostStart = lh.DeepCopy()
			})
			add(".lifecycle.preStop."+h.name, func(c *corev1.Container, _ *corev1.Pod) {
				if c.Lifecycle == nil {
					c.Lifecycle = &corev1.Lifecycle{}
				}
				c.Lifecycle.PreStop = lh.DeepCopy()
			})
		}
	}
	add(".livenessProbe.exec", func(c *corev1.Container, _ *corev1.Pod) {
		c.LivenessProbe = &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"true"}}}}
	})
	add(".lifecycle.preStop.sleep", func(c *corev1.Container, _ *corev1.Pod) {
		c.Lifecycle = &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: 1}}}
	})
	return ms
}

// vocabulary is every mutation, in a fixed order: pod-level, then each
// container list's.
var vocabulary = func() []mutation {
	ms := podMutations()
	for _, l := range lists {
		ms = append(ms, containerMutations(l)...)
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.name] {
			panic("duplicate mutation " + m.name)
		}
		seen[m.name] = true
	}
	return ms
}()

// contexts are the pod-level settings that change how other fields are
// judged (user namespaces, the OS, where runAsNonRoot and seccomp are set);
// every mutation is also tried under each.
var contexts = func() []mutation {
	names := []string{
		"spec.hostUsers=false",
		"spec.hostUsers=true",
		`spec.os.name="windows"`,
		`spec.os.name="linux"`,
		"spec.securityContext.runAsNonRoot=nil",
		"spec.securityContext.seccompProfile=nil",
		"spec.securityContext.runAsUser=0",
		"spec.securityContext=nil",
		`spec.initContainers[0].securityContext.procMount="Default"`, // adds an init container
		`spec.ephemeralContainers[0].securityContext.procMount="Default"`,
	}
	var ms []mutation
	for _, n := range names {
		ms = append(ms, lookup(n))
	}
	return ms
}()

func lookup(name string) mutation {
	for _, m := range vocabulary {
		if m.name == name {
			return m
		}
	}
	panic("no mutation " + name)
}

// build applies ms to a fresh copy of b and names the result.
func build(b base, ms ...mutation) item {
	p := b.pod()
	var name strings.Builder
	name.WriteString(b.name)
	for _, m := range ms {
		m.apply(p)
		name.WriteString(" + " + m.name)
	}
	return item{origin: name.String(), pod: p}
}

// systematicPods is every mutation alone and under every context, from
// each base.
func systematicPods() []item {
	var items []item
	for _, b := range bases {
		for _, m := range vocabulary {
			items = append(items, build(b, m))
			for _, ctx := range contexts {
				items = append(items, build(b, ctx, m))
			}
		}
	}
	return items
}

// randomPods builds n pods from a fixed seed: a base and 1–8 mutations.
func randomPods(n int) []item {
	r := rand.New(rand.NewPCG(0x62756c77, 0x61726b))
	items := make([]item, n)
	for i := range items {
		b := bases[r.IntN(len(bases))]
		ms := make([]mutation, 1+r.IntN(8))
		for j := range ms {
			ms[j] = vocabulary[r.IntN(len(vocabulary))]
		}
		items[i] = build(b, ms...)
	}
	return items
}

// randomCount is how many random pods TestGeneratedRandom judges: fewer
// under -short, whose systematic coverage is the same.
func randomCount() int {
	if testing.Short() {
		return 500
	}
	return 4000
}

// TestGeneratedSystematic judges every single mutation of each minimal
// pod, alone and in every context, at every level and version.
func TestGeneratedSystematic(t *testing.T) {
	ps := profiles(t)
	items := systematicPods()
	c := newCollector()
	judgeAll(t, ps, items, allTargets, c)
	c.report(t, fmt.Sprintf("%d systematically generated pods (%d mutations, %d contexts) at %d targets",
		len(items), len(vocabulary), len(contexts), len(allTargets)))
}

// TestGeneratedRandom judges seeded random combinations of mutations at
// every level and version.
func TestGeneratedRandom(t *testing.T) {
	ps := profiles(t)
	items := randomPods(randomCount())
	c := newCollector()
	judgeAll(t, ps, items, allTargets, c)
	c.report(t, fmt.Sprintf("%d random pods at %d targets", len(items), len(allTargets)))
}

// TestGeneratorCoversBases makes sure the bases are what they claim: each
// passes its level at every version for PSA, and the systematic pods reach
// every PSA check at some version, so a gap in the vocabulary shows.
func TestGeneratorCoversBases(t *testing.T) {
	for _, b := range bases {
		lvl := baseline
		if strings.HasPrefix(b.name, "restricted") {
			lvl = restricted
		}
		for _, m := range allMinors {
			if tg := (target{lvl, m}); !psaAllowed(tg, b.pod()) {
				lines, _ := explainPSA(tg, b.pod())
				t.Errorf("%s is denied by PSA at %s: %v", b.name, tg, lines)
			}
		}
	}
	hit := map[string]bool{}
	for _, it := range systematicPods() {
		for _, m := range []int{18, 30, 33, 34, 36, maxMinor} {
			for _, l := range levels {
				_, ids := explainPSA(target{l, m}, it.pod)
				for _, id := range ids {
					hit[id] = true
				}
			}
		}
	}
	for _, c := range pssCheckIDs() {
		if !hit[c] {
			t.Errorf("no generated pod is denied by PSA check %s", c)
		}
	}
}
