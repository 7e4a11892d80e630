package namespaces_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/google/go-cmp/cmp"
)

func TestFixtures(t *testing.T) {
	checks := append(namespaces.Checks(), hardening.UnusedSuppression, hardening.SuppressionWithoutReason)
	// JSON fixtures (OCI specs) keep their expectations in <fixture>.want;
	// an empty .want means nothing fires.
	hardeningtest.Run(t, checks, "testdata/checks/*.yaml", "testdata/checks/*.json")
}

// TestHostPathFixtureSeverities pins the severities of the hostPath
// findings on the falco and calico-node fixtures, whose "# want:" lines pin
// the checks and paths.
func TestHostPathFixtureSeverities(t *testing.T) {
	const (
		vol = "spec.template.spec.volumes[%d].hostPath.path"
		ctr = "spec.template.spec.containers[%d].volumeMounts[%d].readOnly"
		ini = "spec.template.spec.initContainers[%d].volumeMounts[%d].readOnly"
	)
	type finding struct {
		Check    string
		Severity hardening.Severity
		Path     string
	}
	s, w := namespaces.SensitiveHostPath.ID, namespaces.WritableHostPath.ID
	crit, high, med, low := hardening.SeverityCritical, hardening.SeverityHigh, hardening.SeverityMedium, hardening.SeverityLow
	for _, tt := range []struct {
		file string
		want []finding
	}{
		{"testdata/checks/falco.yaml", []finding{
			// The six runtime sockets, Bottlerocket's host containerd
			// among them, critical and without readOnly advice.
			{s, crit, fmt.Sprintf(vol, 0)}, {s, crit, fmt.Sprintf(vol, 1)}, {s, crit, fmt.Sprintf(vol, 2)},
			{s, crit, fmt.Sprintf(vol, 3)}, {s, crit, fmt.Sprintf(vol, 4)}, {s, crit, fmt.Sprintf(vol, 5)},
			{s, med, fmt.Sprintf(vol, 11)},  // /boot read-only
			{s, crit, fmt.Sprintf(vol, 12)}, // /lib/modules written by the driver loader
			{s, crit, fmt.Sprintf(vol, 14)}, // /etc read-only holds /etc/kubernetes
			{s, high, fmt.Sprintf(vol, 15)}, // /dev, read-only or not
			{s, high, fmt.Sprintf(vol, 16)}, // /sys/module writable
			{s, med, fmt.Sprintf(vol, 17)},  // /sys/kernel read-only
			{s, crit, fmt.Sprintf(vol, 18)}, // /proc writable
			{w, high, fmt.Sprintf(ctr, 0, 10)},
			{w, high, fmt.Sprintf(ctr, 0, 13)},
			{w, high, fmt.Sprintf(ini, 0, 3)},
		}},
		{"testdata/checks/calico.yaml", []finding{
			{s, crit, fmt.Sprintf(vol, 4)}, // /sys/fs/ writable holds cgroupfs
			{s, high, fmt.Sprintf(vol, 5)}, // bpffs writable
			{s, high, fmt.Sprintf(vol, 6)}, // /proc read-only
			{s, crit, fmt.Sprintf(vol, 7)}, // /opt/cni/bin writable
			{s, low, fmt.Sprintf(vol, 9)},  // /var/log/calico/cni read-only
			{w, high, fmt.Sprintf(ctr, 0, 6)},
			{w, med, fmt.Sprintf(ctr, 0, 0)}, {w, med, fmt.Sprintf(ctr, 0, 2)}, {w, med, fmt.Sprintf(ctr, 0, 3)},
			{w, med, fmt.Sprintf(ctr, 0, 4)}, {w, med, fmt.Sprintf(ctr, 0, 5)},
			{w, med, fmt.Sprintf(ini, 0, 0)}, {w, high, fmt.Sprintf(ini, 0, 1)},
			{w, high, fmt.Sprintf(ini, 1, 0)}, {w, med, fmt.Sprintf(ini, 1, 1)},
			{w, high, fmt.Sprintf(ini, 2, 0)}, {w, med, fmt.Sprintf(ini, 2, 1)},
		}},
	} {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			data, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			r := load.Bytes(load.Options{}, tt.file, data)
			if len(r.Errors) > 0 {
				t.Fatal(r.Errors[0])
			}
			r.Audit(hardening.Checks{namespaces.SensitiveHostPath, namespaces.WritableHostPath})
			var got []finding
			for _, f := range r.Findings {
				got = append(got, finding{f.Check, f.Severity, f.Path})
			}
			byPath := func(a, b finding) int { return strings.Compare(a.Check+a.Path, b.Check+b.Path) }
			slices.SortFunc(got, byPath)
			slices.SortFunc(tt.want, byPath)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
