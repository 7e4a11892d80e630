package inspect

import "github.com/bulwarkdev/bulwark/internal/capnames"

// capNames decodes a capability bitmask into OCI names in numeric order,
// considering bits 0 through lastCap only (the kernel never sets higher
// ones). A lastCap below 0 means "unknown" and considers all 64 bits. A
// capability newer than the name table is named by its number, "CAP_41",
// so it is never silently dropped.
func capNames(mask uint64, lastCap int) []string {
	if lastCap < 0 || lastCap > 63 {
		lastCap = 63
	}
	names := []string{}
	for n := 0; n <= lastCap; n++ {
		if mask&(1<<uint(n)) != 0 {
			names = append(names, capnames.OCIName(n))
		}
	}
	return names
}

// FullCapMask returns the mask of every capability 0 through lastCap: what
// a process holds when nothing was dropped on this kernel.
func FullCapMask(lastCap int) uint64 {
	if lastCap >= 63 {
		return ^uint64(0)
	}
	if lastCap < 0 {
		return 0
	}
	return 1<<uint(lastCap+1) - 1
}
