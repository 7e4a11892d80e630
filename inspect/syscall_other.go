//go:build !linux

package inspect

func probeLastCap() (int, bool) { return 0, false }
