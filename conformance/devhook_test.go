package conformance

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if os.Getenv("CONFORMANCE_STANDIN") != "" {
		profilesOnce.Do(func() { profilesVal = psaStandIn(&recorder{}) })
	}
	os.Exit(m.Run())
}
