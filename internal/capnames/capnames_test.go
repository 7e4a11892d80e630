package capnames

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		want int
		ok   bool
	}{
		{"SYS_ADMIN", 21, true},
		{"CAP_SYS_ADMIN", 21, true},
		{"cap_sys_admin", 21, true},
		{"Net_Raw", 13, true},
		{"CAP_CHOWN", 0, true},
		{"CHECKPOINT_RESTORE", Last, true},
		{"ALL", 0, false},
		{"NET-RAW", 0, false},
		{" CAP_NET_RAW", 0, false},
		{"CAP_", 0, false},
		{"CAP", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := Parse(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Parse(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNames(t *testing.T) {
	for n := range Last + 1 {
		name, ok := Name(n)
		if !ok || "CAP_"+name != OCIName(n) {
			t.Errorf("Name(%d) = %q, %v; OCIName = %q", n, name, ok, OCIName(n))
		}
		if p, ok := Parse(name); !ok || p != n {
			t.Errorf("Parse(Name(%d)) = %d, %v", n, p, ok)
		}
	}
	for _, n := range []int{-1, Last + 1} {
		if name, ok := Name(n); ok || name != "" {
			t.Errorf("Name(%d) = %q, %v", n, name, ok)
		}
	}
	if got := OCIName(Last + 1); got != "CAP_41" {
		t.Errorf("OCIName(41) = %q", got)
	}
}
