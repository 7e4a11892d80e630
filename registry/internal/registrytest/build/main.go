// Command build builds the registry the tests run (see
// registrytest.Binary), so that CI builds it once, before the tests and
// outside their timeouts, and prints its path.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/bulwarkdev/bulwark/registry/internal/registrytest"
)

func main() {
	start := time.Now()
	bin, err := registrytest.Binary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	fmt.Printf("registry %s: %s (%v)\n", registrytest.Version, bin, time.Since(start).Round(time.Millisecond))
}
