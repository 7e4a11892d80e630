package conformance

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/fix"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

// fixTarget is what the fixer aims for in the proof: restricted at v1.37.
var fixTarget = target{restricted, 37}

// TestFixAdmittedByPSA runs the fixer (package fix) on every distinct PSA
// fixture pod that PSA's evaluator forbids at restricted v1.37, aiming at
// bulwark's pss-restricted@v1.37, with no decisions given. Every pod the
// fixer says it fixed must then be admitted by PSA's own evaluator, be
// one the API server accepts and the kubelet starts (as far as those rules
// are known here: see apiRefuses), decode strictly, and be left unchanged
// by a second run. Every pod it did not fix must still be forbidden by PSA
// (bulwark and PSA agree on what is left), and is counted by the controls
// left failing; the counts are pinned, so a change in what the fixer can
// do shows here.
func TestFixAdmittedByPSA(t *testing.T) {
	checks, err := bulwark.Profile(fixTarget.ref())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var failing []fixture
	for _, f := range fixtures(t) {
		if seen[string(f.data)] {
			continue
		}
		seen[string(f.data)] = true
		if !psaAllowed(fixTarget, f.pod) {
			failing = append(failing, f)
		}
	}
	fixed, unfixed := fixFixtures(t, failing, fix.Options{Checks: checks})
	var b strings.Builder
	counts := map[string]int{}
	keys := make([]string, 0, len(unfixed))
	for k := range unfixed {
		keys = append(keys, k)
		counts[k] = len(unfixed[k])
	}
	sort.Strings(keys)
	total := 0
	for _, k := range keys {
		total += len(unfixed[k])
		fmt.Fprintf(&b, "  %3d left failing %s (%s", len(unfixed[k]), k, unfixed[k][0])
		if len(unfixed[k]) > 1 {
			fmt.Fprintf(&b, ", …")
		}
		b.WriteString(")\n")
	}
	t.Logf("%d distinct PSA fixture pods fail %s; the fixer made %d pass (PSA admits every one), and left %d:\n%s",
		len(failing), fixTarget, fixed, total, b.String())
	want := map[string]int{
		// privileged: true is the workload's decision, and the API server
		// rejects allowPrivilegeEscalation: false beside it
		"allowPrivilegeEscalation+privileged": 10,
		// an added capability: whether the program needs it is the workload's
		"capabilities_restricted": 25,
		// the host's namespaces, ports, probe hosts, sysctls and HostProcess
		// are what the workload was built for
		"hostNamespaces":                    15,
		"hostNamespaces+windowsHostProcess": 10,
		"hostPorts":                         15,
		"hostProbesAndHostLifecycle":        10,
		"sysctls":                           5,
		// where a volume's data lives is the workload's
		"restrictedVolumes": 90,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("pods left failing, by the controls left (-pinned +now):\n%s", diff)
	}
	if fixed == 0 {
		t.Errorf("the fixer fixed none of the %d failing fixtures", len(failing))
	}

	// With the decisions only a workload's authors can make, taken: the
	// added capabilities, privileged and the host's namespaces go.
	decided, left := fixFixtures(t, failing, fix.Options{Checks: checks, Decisions: map[string]string{
		"capabilities.pss-restricted":    "remove",
		"capabilities.privileged":        "remove",
		"namespaces.pss-host-namespaces": "remove",
	}})
	n := 0
	for _, fs := range left {
		n += len(fs)
	}
	t.Logf("with decisions to remove added capabilities, privileged and host namespaces: %d pass, %d left", decided, n)
	if decided <= fixed {
		t.Errorf("decisions fixed %d pods, no more than without them (%d)", decided, fixed)
	}
}

// fixFixtures fixes each fixture with opts and checks the result (see
// TestFixAdmittedByPSA). It returns how many pass, and the fixtures left
// failing by the controls left.
func fixFixtures(t *testing.T, failing []fixture, opts fix.Options) (fixed int, unfixed map[string][]string) {
	t.Helper()
	unfixed = map[string][]string{}
	for _, f := range failing {
		res, err := fix.Source(f.rel, f.data, opts)
		if err != nil {
			t.Fatalf("%s: %v", f.rel, err)
		}
		if len(res.Errors) > 0 {
			t.Errorf("%s: %v", f.rel, res.Errors)
			continue
		}
		if len(res.Introduced) > 0 {
			t.Errorf("%s: the fix introduced findings: %v", f.rel, res.Introduced)
		}
		pod := new(corev1.Pod)
		if err := yaml.UnmarshalStrict(res.After, pod); err != nil {
			t.Errorf("%s: the fixed pod does not decode: %v\n%s", f.rel, err, res.After)
			continue
		}
		if why := apiRefuses(f.pod, pod); why != "" {
			t.Errorf("%s: the API server or the kubelet would refuse the fixed pod: %s\n%s", f.rel, why, res.Diff())
		}
		again, err := fix.Source(f.rel, res.After, opts)
		if err != nil {
			t.Fatal(err)
		}
		if again.Changed() {
			t.Errorf("%s: a second run changed the fixed pod:\n%s", f.rel, again.Diff())
		}
		admitted := psaAllowed(fixTarget, pod)
		if res.Passes() {
			fixed++
			if !admitted {
				t.Errorf("%s: the fixer says it fixed the pod, but PSA forbids it at %s:\n%s\n%s", f.rel, fixTarget, psaReasons(fixTarget, pod), res.Diff())
			}
			continue
		}
		if admitted {
			t.Errorf("%s: the fixer lists findings it left, but PSA admits the pod: %v", f.rel, res.Unfixed)
		}
		var left []string
		for _, u := range res.Unfixed {
			for _, id := range append([]string{u.Finding.Check}, u.Finding.Related...) {
				if term := psaTerm(id); !slices.Contains(left, term) {
					left = append(left, term)
				}
			}
			if u.Reason == "" {
				t.Errorf("%s: %s at %s is left without a reason", f.rel, u.Finding.Check, u.Finding.Path)
			}
		}
		slices.Sort(left)
		key := strings.Join(left, "+")
		unfixed[key] = append(unfixed[key], f.rel)
	}
	return fixed, unfixed
}

// apiRefuses returns why the API server would reject the pod, or the
// kubelet refuse to start it, for the rules a fix could break; "" when
// none applies:
//   - allowPrivilegeEscalation: false beside privileged: true or an added
//     CAP_SYS_ADMIN (pkg/apis/core/validation ValidateSecurityContext);
//   - localhostProfile on a seccomp or AppArmor profile whose type is not
//     Localhost (the API server requires it exactly for Localhost);
//   - Linux security fields on a Windows pod (spec.os.name: windows);
//   - runAsNonRoot: true that the fix set, with runAsUser 0 or with no
//     runAsUser at all and an image the fixer cannot see (the kubelet
//     refuses a container whose image USER is root or a name: the fixer
//     must set a numeric uid). A container that asked for runAsNonRoot
//     before is the fixture's own business.
func apiRefuses(before, pod *corev1.Pod) string {
	s := hardening.NewPodSubject(pod)
	nonRootBefore := map[string]bool{}
	for c := range hardening.NewPodSubject(before).Containers {
		nr := c.SecurityContext != nil && c.SecurityContext.RunAsNonRoot != nil && *c.SecurityContext.RunAsNonRoot
		if psc := before.Spec.SecurityContext; !nr && (c.SecurityContext == nil || c.SecurityContext.RunAsNonRoot == nil) && psc != nil && psc.RunAsNonRoot != nil {
			nr = *psc.RunAsNonRoot
		}
		nonRootBefore[c.List+"/"+c.Name] = nr
	}
	var problems []string
	psc := pod.Spec.SecurityContext
	for c := range s.Containers {
		sc := c.SecurityContext
		if sc == nil {
			sc = &corev1.SecurityContext{}
		}
		name := c.List + "/" + c.Name
		if sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
			if sc.Privileged != nil && *sc.Privileged {
				problems = append(problems, name+": allowPrivilegeEscalation: false beside privileged: true")
			}
			if sc.Capabilities != nil && slices.Contains(sc.Capabilities.Add, "CAP_SYS_ADMIN") {
				problems = append(problems, name+": allowPrivilegeEscalation: false beside CAP_SYS_ADMIN")
			}
		}
		if p := sc.SeccompProfile; p != nil && p.Type != corev1.SeccompProfileTypeLocalhost && p.LocalhostProfile != nil {
			problems = append(problems, name+": seccomp localhostProfile without type Localhost")
		}
		if p := sc.AppArmorProfile; p != nil && p.Type != corev1.AppArmorProfileTypeLocalhost && p.LocalhostProfile != nil {
			problems = append(problems, name+": AppArmor localhostProfile without type Localhost")
		}
		nonRoot := sc.RunAsNonRoot
		uid := sc.RunAsUser
		if psc != nil {
			if nonRoot == nil {
				nonRoot = psc.RunAsNonRoot
			}
			if uid == nil {
				uid = psc.RunAsUser
			}
		}
		if nonRoot != nil && *nonRoot && !s.WindowsPod() && (uid == nil || *uid == 0) && !(nonRootBefore[name] && uid == nil) {
			problems = append(problems, name+": runAsNonRoot: true without a non-zero runAsUser (the image's USER is unknown)")
		}
	}
	if psc := pod.Spec.SecurityContext; psc != nil {
		if p := psc.SeccompProfile; p != nil && p.Type != corev1.SeccompProfileTypeLocalhost && p.LocalhostProfile != nil {
			problems = append(problems, "pod: seccomp localhostProfile without type Localhost")
		}
	}
	return strings.Join(problems, "; ")
}

// psaReasons renders PSA's reasons for forbidding pod at t.
func psaReasons(t target, pod *corev1.Pod) string {
	pod = psaView(pod)
	var b strings.Builder
	for _, r := range evaluator.EvaluatePod(t.psa(), &pod.ObjectMeta, &pod.Spec) {
		if !r.Allowed {
			fmt.Fprintf(&b, "  %s: %s\n", r.ForbiddenReason, r.ForbiddenDetail)
		}
	}
	return b.String()
}

// TestAPIRefuses checks the rules the fix proof applies to fixed pods.
func TestAPIRefuses(t *testing.T) {
	pod := func(sc *corev1.SecurityContext) *corev1.Pod {
		return &corev1.Pod{Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", SecurityContext: sc}}}}
	}
	for _, tt := range []struct {
		name        string
		before, pod *corev1.Pod
		refused     bool
	}{
		{"nothing set", pod(nil), pod(nil), false},
		{"privileged and no escalation", pod(nil), pod(&corev1.SecurityContext{Privileged: ptr(true), AllowPrivilegeEscalation: ptr(false)}), true},
		{"CAP_SYS_ADMIN and no escalation", pod(nil), pod(&corev1.SecurityContext{AllowPrivilegeEscalation: ptr(false),
			Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"CAP_SYS_ADMIN"}}}), true},
		{"SYS_ADMIN and no escalation", pod(nil), pod(&corev1.SecurityContext{AllowPrivilegeEscalation: ptr(false),
			Capabilities: &corev1.Capabilities{Add: []corev1.Capability{"SYS_ADMIN"}}}), false},
		{"runAsNonRoot set without a uid", pod(nil), pod(&corev1.SecurityContext{RunAsNonRoot: ptr(true)}), true},
		{"runAsNonRoot set with a uid", pod(nil), pod(&corev1.SecurityContext{RunAsNonRoot: ptr(true), RunAsUser: ptr(int64(65532))}), false},
		{"runAsNonRoot there before", pod(&corev1.SecurityContext{RunAsNonRoot: ptr(true)}), pod(&corev1.SecurityContext{RunAsNonRoot: ptr(true)}), false},
		{"seccomp localhostProfile with RuntimeDefault", pod(nil), pod(&corev1.SecurityContext{SeccompProfile: &corev1.SeccompProfile{
			Type: corev1.SeccompProfileTypeRuntimeDefault, LocalhostProfile: ptr("p.json")}}), true},
	} {
		if got := apiRefuses(tt.before, tt.pod) != ""; got != tt.refused {
			t.Errorf("%s: refused %v, want %v (%s)", tt.name, got, tt.refused, apiRefuses(tt.before, tt.pod))
		}
	}
}
