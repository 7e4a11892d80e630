package images

import "testing"

func TestFileCapsString(t *testing.T) {
	tests := []struct {
		fc   fileCaps
		want string
	}{
		{fileCaps{}, "no capabilities"},
		{fileCaps{effective: true, permitted: 1 << 13}, "cap_net_raw=ep"},
		{fileCaps{permitted: 1<<21 | 1<<45, inheritable: 1 << 45}, "cap_45=ip cap_sys_admin=p"},
		{fileCaps{inheritable: 1 << 40}, "cap_checkpoint_restore=i"},
	}
	for _, tt := range tests {
		if got := tt.fc.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.fc, got, tt.want)
		}
	}
	if rootEquivalent != 1<<0|1<<1|1<<2|1<<3|1<<6|1<<7|1<<16|1<<17|1<<19|1<<21|1<<31|1<<39 {
		t.Errorf("rootEquivalent = %#x", rootEquivalent)
	}
}
