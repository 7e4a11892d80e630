//go:build linux

package inspect

import "golang.org/x/sys/unix"

// probeLastCap finds the kernel's highest capability number by asking
// whether each capability is in the calling thread's bounding set:
// PR_CAPBSET_READ fails with EINVAL past the last one. It only reads.
func probeLastCap() (int, bool) {
	for n := 0; n < 64; n++ {
		if _, err := unix.PrctlRetInt(unix.PR_CAPBSET_READ, uintptr(n), 0, 0, 0); err != nil {
			if err == unix.EINVAL && n > 0 {
				return n - 1, true
			}
			return 0, false
		}
	}
	return 0, false
}
