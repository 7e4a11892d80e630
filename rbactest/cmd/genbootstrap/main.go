// Command genbootstrap writes package rbac's built-in RBAC policy from the
// bootstrap policy of the k8s.io/kubernetes version this module imports.
// Run it with go generate in rbactest/.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/bulwarkdev/bulwark/rbactest/internal/bootstrapgen"
)

func main() {
	out := flag.String("o", "../rbac/builtin_policy.go", "the file to write")
	flag.Parse()
	src, err := bootstrapgen.Generate()
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
