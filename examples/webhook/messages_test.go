package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/google/go-cmp/cmp"
	admissionv1 "k8s.io/api/admission/v1"
)

// reviewWith judges one request with a handler whose namespace "ns" has
// the given labels.
func reviewWith(t *testing.T, labels map[string]string, req request) *admissionv1.AdmissionResponse {
	t.Helper()
	h := &Handler{Namespaces: &Namespaces{}}
	h.Namespaces.Set("ns", labels)
	var ar admissionv1.AdmissionReview
	if err := json.Unmarshal(review(req), &ar); err != nil {
		t.Fatal(err)
	}
	return h.Review(ar.Request)
}

// A denial says, for each finding, where, what is wrong and how to fix it,
// in the message kubectl prints (details.causes it does not print).
func TestDenialMessage(t *testing.T) {
	tests := []struct {
		name, ref string
		req       request
		want      string
	}{
		{
			name: "careless Pod",
			ref:  "pss-baseline@v1.30",
			req:  pod("uid", "ns", "careless-pod.yaml"),
			want: `violates bulwark profile "pss-baseline@v1.30" (2 findings):
- spec.containers[0].securityContext.privileged: container "app" sets privileged: true; fix: Remove privileged: true (or the runtime's --privileged) and add only the capabilities the workload needs. [capabilities.privileged]
- spec.hostPID: the pod sets hostPID: true; fix: Remove hostNetwork, hostPID and hostIPC (or set them false). [namespaces.pss-host-namespaces]`,
		},
		{
			name: "a fix is given once",
			ref:  "pss-restricted@v1.30",
			req:  pod("uid", "ns", "careless-pod-debugged.yaml"),
			want: `violates bulwark profile "pss-restricted@v1.30" (12 findings):
- spec.containers[0].securityContext.privileged: container "app" sets privileged: true; fix: Remove privileged: true (or the runtime's --privileged) and add only the capabilities the workload needs. [capabilities.privileged]
- spec.containers[0].securityContext.allowPrivilegeEscalation: container "app" leaves allowPrivilegeEscalation unset (true); the restricted level requires false; fix: Set securityContext.allowPrivilegeEscalation: false on every container. [capabilities.pss-privilege-escalation]
- spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation: container "debugger" leaves allowPrivilegeEscalation unset (true); the restricted level requires false; fix: as above [capabilities.pss-privilege-escalation]
- spec.containers[0].securityContext.capabilities.drop: container "app" must set securityContext.capabilities.drop=["ALL"]; fix: Set securityContext.capabilities.drop: ["ALL"] on every container and add nothing but NET_BIND_SERVICE. [capabilities.pss-restricted]
- spec.ephemeralContainers[0].securityContext.capabilities.drop: container "debugger" must set securityContext.capabilities.drop=["ALL"]; fix: as above [capabilities.pss-restricted]
- spec.ephemeralContainers[0].securityContext.capabilities.add[0]: container "debugger" adds "SYS_PTRACE"; the restricted level allows adding only NET_BIND_SERVICE; fix: as above [capabilities.pss-restricted]
- spec.ephemeralContainers[0].securityContext.capabilities.add[1]: container "debugger" adds "SYS_ADMIN"; the restricted level allows adding only NET_BIND_SERVICE; fix: as above [capabilities.pss-restricted]
- spec.containers[0].securityContext.runAsNonRoot: neither the pod nor container "app" sets runAsNonRoot: true; fix: Set spec.securityContext.runAsNonRoot: true and never set it false on a container. [capabilities.pss-run-as-non-root]
- spec.ephemeralContainers[0].securityContext.runAsNonRoot: neither the pod nor container "debugger" sets runAsNonRoot: true; fix: as above [capabilities.pss-run-as-non-root]
- spec.containers[0].securityContext.seccompProfile.type: neither the pod nor container "app" sets seccompProfile.type to "RuntimeDefault" or "Localhost"; fix: Set spec.securityContext.seccompProfile.type: RuntimeDefault. [confinement.pss-seccomp-restricted]
- spec.ephemeralContainers[0].securityContext.seccompProfile.type: neither the pod nor container "debugger" sets seccompProfile.type to "RuntimeDefault" or "Localhost"; fix: as above [confinement.pss-seccomp-restricted]
- spec.hostPID: the pod sets hostPID: true; fix: Remove hostNetwork, hostPID and hostIPC (or set them false). [namespaces.pss-host-namespaces]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.object = object(t, tt.req.file)
			got := reviewWith(t, map[string]string{LabelEnforce: tt.ref}, tt.req)
			if got.Allowed || got.Result == nil {
				t.Fatalf("allowed: %+v", got)
			}
			if diff := cmp.Diff(tt.want, got.Result.Message); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

// Each warning says where, what and how to fix it in 256 bytes; when that
// is too little the description of what is wrong gives way first.
func TestWarnings(t *testing.T) {
	tests := []struct {
		name   string
		labels map[string]string
		req    request
		want   []string
	}{
		{
			name:   "careless Pod",
			labels: map[string]string{LabelWarn: "pss-baseline@v1.30"},
			req:    pod("uid", "ns", "careless-pod.yaml"),
			want: []string{
				`bulwark "pss-baseline@v1.30": spec.containers[0].securityContext.privileged: container "app" sets privileged: true; fix: Remove privileged: true (or the runtime's --privileged) and add only the capabilities the workload needs.`,
				`bulwark "pss-baseline@v1.30": spec.hostPID: the pod sets hostPID: true; fix: Remove hostNetwork, hostPID and hostIPC (or set them false).`,
			},
		},
		{
			name:   "a long description is cut, a very long one dropped",
			labels: map[string]string{LabelWarn: "pss-restricted@v1.30"},
			req: func() request {
				r := pod("uid", "ns", "")
				r.object = []byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{
					"securityContext":{"runAsNonRoot":true,"seccompProfile":{"type":"RuntimeDefault"}},
					"initContainers":[{"name":"init","image":"i","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"],"add":["SYS_ADMIN"]}}}],
					"containers":[{"name":"app","image":"a","securityContext":{"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]}}}]}}`)
				return r
			}(),
			want: []string{
				`bulwark "pss-restricted@v1.30": spec.initContainers[0].securityContext.capabilities.add[0]: container "init" adds "SYS_ADMIN"; the restricted l…; fix: Set securityContext.capabilities.drop: ["ALL"] on every container and add nothing but NET_BIND_SERVICE.`,
			},
		},
		{
			name:   "a workload is warned, with the enforce profile when there is no warn label",
			labels: map[string]string{LabelEnforce: "pss-baseline@v1.30"},
			req:    deployment("uid", "ns", "careless-deployment.yaml"),
			want: []string{
				`bulwark "pss-baseline@v1.30": spec.template.spec.containers[1].securityContext.capabilities.add[0]: container "debug" adds "SYS_AD…; fix: Remove the capability from securityContext.capabilities.add, or spell an allowed one exactly (CHOWN, not CAP_CHOWN).`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.req.file != "" {
				tt.req.object = object(t, tt.req.file)
			}
			got := reviewWith(t, tt.labels, tt.req)
			if !got.Allowed {
				t.Fatalf("denied: %v", got.Result)
			}
			if diff := cmp.Diff(tt.want, got.Warnings); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
			}
			for _, w := range got.Warnings {
				if len(w) > maxWarningSize {
					t.Errorf("%d bytes: %q", len(w), w)
				}
			}
		})
	}
}

// hostilePod has n privileged containers whose names carry terminal
// escapes, a newline, a bidirectional override and a name far longer than
// Kubernetes allows, and an AppArmor annotation whose key does the same.
func hostilePod(n int) []byte {
	var containers []string
	for i := range n {
		name := fmt.Sprintf("c%d\x1b[2J\r\n\u202e%s", i, strings.Repeat("x", 300*(i%2)))
		containers = append(containers, `{"name":`+jsonString(name)+`,"image":"i","securityContext":{"privileged":true}}`)
	}
	return []byte(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"hostile","annotations":{` +
		jsonString("container.apparmor.security.beta.kubernetes.io/\x07\x1b]0;pwned\x07"+strings.Repeat("y", 2000)) + `:"unconfined"}},` +
		`"spec":{"hostPID":true,"containers":[` + strings.Join(containers, ",") + `]}}`)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// controls finds characters that a terminal or an HTTP header would
// interpret rather than show.
func controls(s string) []rune {
	var out []rune
	for _, r := range s {
		if !unicode.IsPrint(r) && r != ' ' {
			out = append(out, r)
		}
	}
	return out
}

var moreLine = regexp.MustCompile(`\n- and (\d+) more findings?$`)

// However many findings and however hostile the names, a denial stays
// within maxDenialSize, one line per finding within maxDenialLine, with
// the findings left out counted; warnings each fit 256 bytes and all of
// them 4 KiB; nothing a terminal would interpret gets through.
func TestMessageLimits(t *testing.T) {
	for _, n := range []int{1, 3, 40, 200} {
		t.Run(fmt.Sprint(n, " containers"), func(t *testing.T) {
			req := pod("uid", "ns", "")
			req.object = hostilePod(n)
			findings := n + 2 // privileged per container, hostPID, the AppArmor annotation

			denied := reviewWith(t, map[string]string{LabelEnforce: "pss-baseline"}, req)
			if denied.Allowed {
				t.Fatal("allowed")
			}
			msg := denied.Result.Message
			if len(msg) > maxDenialSize || !utf8.ValidString(msg) {
				t.Errorf("message: %d bytes, valid UTF-8 %v", len(msg), utf8.ValidString(msg))
			}
			lines := strings.Split(msg, "\n")
			for _, l := range lines {
				if c := controls(l); len(c) > 0 || len(l) > maxDenialLine {
					t.Errorf("line of %d bytes with control characters %q: %q", len(l), c, l)
				}
			}
			wantHeader := fmt.Sprintf(`violates bulwark profile "pss-baseline" (%d findings):`, findings)
			shown := len(lines) - 1
			if m := moreLine.FindStringSubmatch(msg); m != nil {
				shown--
				if m[1] != fmt.Sprint(findings-shown) {
					t.Errorf("%d findings, %d shown, message says %s more", findings, shown, m[1])
				}
			} else if shown != findings {
				t.Errorf("%d findings, %d shown, and no line counting the rest", findings, shown)
			}
			if lines[0] != wantHeader {
				t.Errorf("header %q, want %q", lines[0], wantHeader)
			}
			if n >= 40 && shown > 20 || shown < min(findings, 10) {
				t.Errorf("%d of %d findings shown", shown, findings)
			}

			warned := reviewWith(t, map[string]string{LabelWarn: "pss-baseline", LabelAudit: "pss-baseline"}, req)
			total := 0
			for _, w := range warned.Warnings {
				total += len(w)
				if c := controls(w); len(c) > 0 || len(w) > maxWarningSize || !utf8.ValidString(w) {
					t.Errorf("warning of %d bytes with control characters %q: %q", len(w), c, w)
				}
			}
			if total > maxWarningsTotal {
				t.Errorf("warnings: %d bytes in all", total)
			}
			if findings > maxWarnings {
				last := warned.Warnings[len(warned.Warnings)-1]
				if want := fmt.Sprintf(`bulwark "pss-baseline": %d more findings not shown`, findings-maxWarnings); last != want {
					t.Errorf("last warning %q, want %q", last, want)
				}
			} else if len(warned.Warnings) != findings {
				t.Errorf("%d warnings for %d findings", len(warned.Warnings), findings)
			}
			for k, v := range warned.AuditAnnotations {
				if c := controls(v); len(c) > 0 {
					t.Errorf("audit annotation %s has control characters %q", k, c)
				}
			}
		})
	}
}

// Warnings of two profiles share the 4 KiB the API server passes on whole:
// the second gets what the first left, and a note of what it could not
// show.
func TestWarningBudget(t *testing.T) {
	var fs []hardening.Finding
	for i := range 30 {
		fs = append(fs, hardening.Finding{
			Check:       "x.y",
			Path:        fmt.Sprintf("spec.containers[%d].securityContext.privileged", i),
			Message:     strings.Repeat("m", 100),
			Remediation: strings.Repeat("f", 80),
		})
	}
	var w warningList
	w.addFindings(warnPrefix("pss-baseline"), fs)
	w.addFindings(warnPrefix("pss-restricted"), fs)
	var sizes []int
	notes := 0
	for _, s := range w.list {
		sizes = append(sizes, len(s))
		if strings.HasSuffix(s, "more findings not shown") {
			notes++
		}
	}
	if w.size > maxWarningsTotal || notes != 2 || len(w.list) < 12 {
		t.Errorf("%d warnings, %d bytes in all, %d notes; sizes %v", len(w.list), w.size, notes, sizes)
	}
}
