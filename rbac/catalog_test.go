package rbac_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/rbac"
)

func TestCatalog(t *testing.T) { checktest.Catalog(t, rbac.Checks()) }
