package namespaces_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/google/go-cmp/cmp"
	rs "github.com/opencontainers/runtime-spec/specs-go"
)

// TestMaskedPathsAreCopies: changing the returned lists changes nothing the
// checks require.
func TestMaskedPathsAreCopies(t *testing.T) {
	for _, list := range [][]namespaces.ProcPath{namespaces.MaskedPaths(), namespaces.ReadonlyPaths()} {
		for i := range list {
			list[i].Path = "/proc/nothing"
		}
	}
	spec := hardenedSpec()
	spec.Linux.MaskedPaths = without(allMasked, "/proc/kcore")
	spec.Linux.ReadonlyPaths = without(allReadonly, "/proc/sys")
	findings := summarize(hardening.Checks{namespaces.MaskedPathsIncomplete, namespaces.ReadonlyPathsIncomplete}.Check(hardening.NewSpecSubject("config.json", spec), nil))
	want := []got{{masked, high, "", "linux.maskedPaths"}, {readonly, high, "", "linux.readonlyPaths"}}
	if diff := cmp.Diff(want, findings); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if namespaces.MaskedPaths()[1].Path != "/proc/kcore" || namespaces.ReadonlyPaths()[0].Path != "/proc/sys" {
		t.Error("the lists changed")
	}
}

func TestPathsIncompleteWith(t *testing.T) {
	security := namespaces.ProcPath{Path: "/sys/kernel/security", Severity: hardening.SeverityLow, What: "securityfs"}
	maskCheck, err := namespaces.MaskedPathsIncompleteWith(append(namespaces.MaskedPaths(), security))
	if err != nil {
		t.Fatal(err)
	}
	roCheck, err := namespaces.ReadonlyPathsIncompleteWith([]namespaces.ProcPath{{Path: "/proc/sys", Severity: hardening.SeverityMedium, What: "sysctls"}})
	if err != nil {
		t.Fatal(err)
	}
	if maskCheck.ID != namespaces.MaskedPathsIncomplete.ID || roCheck.ID != namespaces.ReadonlyPathsIncomplete.ID {
		t.Errorf("IDs %s, %s", maskCheck.ID, roCheck.ID)
	}
	checks := hardening.Checks{maskCheck, roCheck}
	for _, tt := range []struct {
		name  string
		tweak func(*rs.Spec)
		want  []string
	}{
		{"the runtime defaults lack the added path", func(*rs.Spec) {}, []string{
			"low 1 of the 14 required paths is not masked: /sys/kernel/security (low, securityfs)"}},
		{"the added path masked", func(s *rs.Spec) { s.Linux.MaskedPaths = append(s.Linux.MaskedPaths, "/sys/kernel/security/") }, nil},
		{"only /proc/sys is required read-only", func(s *rs.Spec) {
			s.Linux.MaskedPaths = append(s.Linux.MaskedPaths, "/sys/kernel/security")
			s.Linux.ReadonlyPaths = []string{"/proc/sys"}
		}, nil},
		{"/proc/sys writable", func(s *rs.Spec) {
			s.Linux.MaskedPaths = append(s.Linux.MaskedPaths, "/sys/kernel")
			s.Linux.ReadonlyPaths = []string{"/proc/sysrq-trigger"}
		}, []string{"medium 1 of the 1 required paths is writable: /proc/sys (medium, sysctls)"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			var got []string
			for _, f := range checks.Check(hardening.NewSpecSubject("config.json", spec), nil) {
				got = append(got, f.Severity.String()+" "+f.Message)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPathsIncompleteWithRejects(t *testing.T) {
	ok := namespaces.ProcPath{Path: "/proc/kcore", Severity: hardening.SeverityHigh, What: "memory"}
	for _, tt := range []struct {
		name  string
		paths []namespaces.ProcPath
		want  string
	}{
		{"empty", nil, "empty list"},
		{"relative", []namespaces.ProcPath{{Path: "proc/kcore", Severity: hardening.SeverityHigh, What: "x"}}, "not a clean absolute path"},
		{"trailing slash", []namespaces.ProcPath{{Path: "/proc/kcore/", Severity: hardening.SeverityHigh, What: "x"}}, "not a clean absolute path"},
		{"twice", []namespaces.ProcPath{ok, ok}, "listed twice"},
		{"no severity", []namespaces.ProcPath{{Path: "/proc/kcore", What: "x"}}, "invalid severity"},
		{"no what", []namespaces.ProcPath{{Path: "/proc/kcore", Severity: hardening.SeverityHigh}}, "no What"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, with := range []func([]namespaces.ProcPath) (*hardening.Check, error){namespaces.MaskedPathsIncompleteWith, namespaces.ReadonlyPathsIncompleteWith} {
				if c, err := with(tt.paths); err == nil || c != nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("check %v, error %v; want an error saying %q", c, err, tt.want)
				}
			}
		})
	}
}
