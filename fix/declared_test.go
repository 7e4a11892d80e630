package fix

import (
	"slices"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
)

// TestFixDeclared pins which checks of the profiles fixes aim at declare a
// fix: every Pod Security Standards control, and the checks of cis-docker
// and the default profile but those listed here, whose remediation is the
// workload's own (an image to rebuild, a device the program uses, a host
// path it reads) and which say so by having no fix.
func TestFixDeclared(t *testing.T) {
	var checks hardening.Checks
	for _, ref := range []string{"pss-restricted@latest", "pss-baseline@v1.18", "cis-docker", "default"} {
		cs, err := bulwark.Profile(ref)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if checks.Lookup(c.ID) == nil {
				checks = append(checks, c)
			}
		}
	}
	var without []string
	for _, c := range checks {
		if c.Fix == nil && c.Run != nil {
			without = append(without, c.ID)
		}
		if c.PSSLevel != 0 && c.Fix == nil {
			t.Errorf("Pod Security Standards control %s declares no fix", c.ID)
		}
	}
	slices.Sort(without)
	want := []string{
		"cgroups.cpu-limit-missing", "cgroups.device-allowed", "cgroups.device-cgroup-open", "cgroups.device-node", "cgroups.realtime-scheduling",
		"hooks.runtime-hooks", "hooks.unsafe-path",
		"images.base-not-pinned", "images.credential-file", "images.curl-pipe-shell", "images.device-node",
		"images.extra-root-user", "images.file-capabilities", "images.healthcheck-missing", "images.latest-tag", "images.link-escape",
		"images.package-manager-present", "images.private-key", "images.remote-add",
		"images.secret-in-config", "images.secret-in-env", "images.sensitive-port", "images.setuid-file", "images.shadow-empty-password",
		"images.shell-present", "images.sudo", "images.unpinned-upgrade", "images.world-writable",
		"namespaces.mount-propagation", "namespaces.proc-fd-path",
		"namespaces.root-mapped-to-host-root", "namespaces.sensitive-host-path", "namespaces.writable-host-path",
		"network.ipc-sysctl-without-ipcns", "network.net-devices", "network.net-sysctl-without-netns",
		"network.raw-admin-shared-netns", "network.unsafe-sysctl",
		// Context checks: the remediation is another object (a
		// NetworkPolicy, a namespace label, a Role, a Secret moved out of a
		// ConfigMap), a decision about exposure, or a secret to rotate.
		"images.secret-in-configmap",
		"network.egress-to-any-address", "network.egress-to-metadata", "network.host-pod-exposed",
		"network.ingress-from-all-namespaces", "network.pod-not-isolated", "network.policy-rejected", "network.service-external-ips",
		"posture.psa-enforce-missing", "posture.psa-labels-missing", "posture.system-namespace",
		"rbac.bind-escalate", "rbac.cluster-admin-binding", "rbac.csr-approval", "rbac.default-service-account-binding",
		"rbac.ephemeral-containers", "rbac.impersonate", "rbac.node-proxy", "rbac.pod-exec", "rbac.pod-port-forward",
		"rbac.public-binding", "rbac.token-request",
		"serviceaccount.legacy-token-secret",
	}
	slices.Sort(want)
	if diff := cmp.Diff(want, without); diff != "" {
		t.Errorf("checks without a fix (-pinned +now):\n%s", diff)
	}
}

// TestRelatedMustPass: a merged finding is fixed only when its related
// checks pass too. Rootless runc's spec misses a cgroup namespace
// (namespaces.namespace-missing, fixed) and a network namespace
// (network.host-network, merged at the same path, a decision): the
// finding is left, and says which check still fails and why.
func TestRelatedMustPass(t *testing.T) {
	data := mustRead(t, "../testdata/runtimes/runc-spec-rootless.json")
	res, err := Source("runc-spec-rootless.json", data, Options{Checks: profile(t, "cis-docker"),
		Only: []string{"namespaces.namespace-missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Unfixed) != 1 {
		t.Fatalf("left: %v", outcomeKeys(res.Unfixed))
	}
	u := res.Unfixed[0]
	if u.Finding.Check != "namespaces.namespace-missing" || !slices.Contains(u.Finding.Related, "network.host-network") {
		t.Errorf("left %s (related %v), want namespaces.namespace-missing with network.host-network", u.Finding.Check, u.Finding.Related)
	}
	for _, want := range []string{"network.host-network still fails at linux.namespaces", "decide network.host-network=add"} {
		if !contains(u.Reason, want) {
			t.Errorf("reason %q lacks %q", u.Reason, want)
		}
	}
	if !contains(string(res.After), `"type": "cgroup"`) {
		t.Errorf("the primary check's fix was not applied:\n%s", res.Diff())
	}
}

// TestWindowsLeftAlone: the API server refuses Linux security fields on a
// Windows pod; the fixes say so instead of writing them.
func TestWindowsLeftAlone(t *testing.T) {
	const pod = `apiVersion: v1
kind: Pod
metadata:
  name: w
spec:
  os: {name: windows}
  containers:
  - name: app
    image: mcr.microsoft.com/windows/nanoserver:ltsc2022
`
	res, err := Source("pod.yaml", []byte(pod), Options{Checks: profile(t, "pss-restricted@v1.24")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() {
		t.Errorf("a Windows pod was edited:\n%s", res.Diff())
	}
	if len(res.Unfixed) == 0 {
		t.Fatal("restricted at 1.24 judges Windows pods, but nothing is left")
	}
	for _, u := range res.Unfixed {
		if !contains(u.Reason, "Windows") {
			t.Errorf("%s left for %q, which does not mention Windows", u.Finding.Check, u.Reason)
		}
	}
}

// TestCustomCheckFix: a check of the caller's own declares a fix like a
// built-in one.
func TestCustomCheckFix(t *testing.T) {
	team := &hardening.Check{
		ID: "acme.team-label", Title: "workload has no team label", Severity: hardening.SeverityLow,
		Class: hardening.ClassManagement, Inputs: hardening.KindPod,
		Rationale: "Someone must answer for it.", Remediation: "Label the pod template with its team.",
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod != nil && s.Pod.Labels["acme.example/team"] == "" {
				out = append(out, hardening.Finding{Path: hardening.Key(s.MetaPath("labels"), "acme.example/team"), Message: "no team label"})
			}
			return out
		},
		Fix: func(s *hardening.Subject, f *hardening.Finding, decision string) ([]hardening.Edit, string) {
			if decision == "" {
				return nil, "which team owns it is for the owners to say: decide acme.team-label=TEAM"
			}
			return []hardening.Edit{{Path: f.Path, Value: decision}}, ""
		},
	}
	src := []byte(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.example/web:1
`)
	res, err := Source("web.yaml", src, Options{Checks: hardening.Checks{team}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed() || len(res.Unfixed) != 1 || !contains(res.Unfixed[0].Reason, "decide acme.team-label=TEAM") {
		t.Errorf("without a decision: changed %v, left %+v", res.Changed(), res.Unfixed)
	}
	res, err = Source("web.yaml", src, Options{Checks: hardening.Checks{team}, Decisions: map[string]string{"acme.team-label": "storefront"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passes() || !contains(string(res.After), "labels: {app: web, acme.example/team: storefront}") {
		t.Errorf("with a decision: left %+v\n%s", res.Unfixed, res.Diff())
	}
}
