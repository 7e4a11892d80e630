package capabilities

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestParse pins Parse to the name table's reading (internal/capnames
// tests the spellings in full).
func TestParse(t *testing.T) {
	for name, want := range map[string]Capability{"cap_sys_admin": SysAdmin, "NET_RAW": NetRaw, "CAP_CHECKPOINT_RESTORE": CheckpointRestore} {
		if got, ok := Parse(name); got != want || !ok {
			t.Errorf("Parse(%q) = %v, %v; want %v", name, got, ok, want)
		}
	}
	if got, ok := Parse("ALL"); ok {
		t.Errorf("Parse(ALL) = %v, a capability", got)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		c         Capability
		name, oci string
	}{
		{Chown, "CHOWN", "CAP_CHOWN"},
		{SysAdmin, "SYS_ADMIN", "CAP_SYS_ADMIN"},
		{Last, "CHECKPOINT_RESTORE", "CAP_CHECKPOINT_RESTORE"},
		{Last + 1, "UNKNOWN(41)", "CAP_41"},
	}
	for _, tt := range tests {
		if got := [2]string{tt.c.String(), tt.c.OCIName()}; got != [2]string{tt.name, tt.oci} {
			t.Errorf("Capability(%d) names %q, want %q, %q", tt.c, got, tt.name, tt.oci)
		}
	}
}

func TestParseList(t *testing.T) {
	set, unknown := ParseList([]string{"chown", "CAP_KILL", "NET-RAW", "kill"})
	if set != SetOf(Chown, Kill) {
		t.Errorf("set = %v", set)
	}
	if diff := cmp.Diff([]string{"NET-RAW"}, unknown); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
	if all, _ := ParseList([]string{"all"}); all != All || all.Len() != int(Last)+1 {
		t.Errorf("ALL = %v (%d)", all, all.Len())
	}
}

func TestDefaultSets(t *testing.T) {
	// Counts from the runtimes' own code (shared research oci/defaults.md).
	for _, tt := range []struct {
		name string
		set  Set
		n    int
	}{
		{"docker", DockerDefault, 14},
		{"podman", PodmanDefault, 11},
		{"runc spec", RuncSpecDefault, 3},
		{"pss baseline", PSSBaselineAllowed, 13},
	} {
		if tt.set.Len() != tt.n {
			t.Errorf("%s: %d capabilities, want %d: %v", tt.name, tt.set.Len(), tt.n, tt.set)
		}
	}
	if got := DockerDefault.Without(PSSBaselineAllowed); got != SetOf(NetRaw) {
		t.Errorf("Docker default minus PSS baseline = %v, want NET_RAW", got)
	}
	if Legacy.Len() != 38 || !All.Contains(Legacy) {
		t.Errorf("Legacy = %d capabilities", Legacy.Len())
	}
}

func TestRiskCoversEverythingOutsideTheHarmlessDefaults(t *testing.T) {
	harmless := PSSBaselineAllowed.Without(SetOf(Mknod))
	for c := Capability(0); c <= Last; c++ {
		_, risky := RiskOf(c)
		if risky == harmless.Has(c) {
			t.Errorf("%s: risky=%v, harmless default=%v", c, risky, harmless.Has(c))
		}
	}
}

// TestDefaultSetsMatchRuntimes ties the default sets to the specs the
// runtimes themselves generate (testdata/runtimes, written by
// internal/runtimedefaults).
func TestDefaultSetsMatchRuntimes(t *testing.T) {
	for _, tt := range []struct {
		file string
		want Set
	}{
		{"docker-base.json", DockerDefault},
		{"docker-run.json", DockerDefault},
		{"containerd-base.json", ContainerdDefault},
		{"runc-spec.json", RuncSpecDefault},
		{"crun-spec.json", RuncSpecDefault},
	} {
		data, err := os.ReadFile("../testdata/runtimes/" + tt.file)
		if err != nil {
			t.Fatal(err)
		}
		var spec struct {
			Process struct {
				Capabilities struct{ Bounding, Effective, Permitted []string }
			}
		}
		if err := json.Unmarshal(data, &spec); err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		caps := spec.Process.Capabilities
		for _, list := range [][]string{caps.Bounding, caps.Effective, caps.Permitted} {
			got, unknown := ParseList(list)
			if got != tt.want || len(unknown) > 0 {
				t.Errorf("%s: %v (unknown %q), want %v", tt.file, got, unknown, tt.want)
			}
		}
	}
}
