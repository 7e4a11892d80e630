package bulwark_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
)

// TestSuppressionFixtures pins the annotation forms on real-shaped
// manifests, with the whole catalog as files are audited.
func TestSuppressionFixtures(t *testing.T) {
	hardeningtest.Run(t, bulwark.Checks(), "testdata/suppressions/*.yaml")
}
