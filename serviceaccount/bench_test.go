package serviceaccount_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/serviceaccount"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, serviceaccount.Checks(), hardening.NewPodSubject(hardenedPod()))
}
