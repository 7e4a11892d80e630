package rbac_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening/hardeningtest"
	"github.com/bulwarkdev/bulwark/rbac"
)

// TestFixtures audits each fixture as one run (its workloads and RBAC
// objects share a Cluster) and compares the findings with its "# want:"
// lines.
func TestFixtures(t *testing.T) {
	hardeningtest.Run(t, rbac.Checks(), "testdata/*.yaml")
}
