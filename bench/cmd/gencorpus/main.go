// Command gencorpus writes the benchmark corpora, deterministically, from
// Kubernetes' Pod Security Admission test fixtures (found in the Go module
// cache, downloaded there by the go command if need be):
//
//	files-2000/           2,000 files of one Pod or workload each
//	docs-2000.yaml        the same 2,000 objects as one YAML stream
//	docs-50000.yaml       50,000 Pods and workloads as one YAML stream
//	ctx-files-2000/       files-2000 and 500 context objects, one a file
//	ctx-docs-2000.yaml    docs-2000 with the 500 context objects mixed in
//	ctx-docs-50000.yaml   docs-50000 with the 500 context objects mixed in
//
// Context objects are ServiceAccounts, Roles, ClusterRoles, RoleBindings,
// ClusterRoleBindings, NetworkPolicies, Namespaces, LimitRanges and
// Services. The same -seed (and the same fixtures) gives the same bytes.
//
//	gencorpus -out DIR [-seed N] [-files N] [-docs N] [-bigdocs N] [-context N] [-fixtures DIR]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bulwarkdev/bulwark/bench/internal/corpus"
)

func main() {
	out := flag.String("out", "", "directory to write the corpora into (required)")
	seed := flag.Uint64("seed", 1, "seed of every random choice")
	fixtures := flag.String("fixtures", "", "PSA's test/testdata directory (default: found with go mod download)")
	s := corpus.DefaultSizes
	flag.IntVar(&s.Files, "files", s.Files, "one-object files in files-N and ctx-files-N")
	flag.IntVar(&s.Docs, "docs", s.Docs, "pod-bearing documents in docs-N.yaml")
	flag.IntVar(&s.BigDocs, "bigdocs", s.BigDocs, "pod-bearing documents in the large docs-N.yaml")
	flag.IntVar(&s.Context, "context", s.Context, "context objects mixed into each ctx- corpus")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 || s.Files < 0 || s.Docs < 0 || s.BigDocs < 0 || s.Context < 0 {
		flag.Usage()
		os.Exit(2)
	}
	dir := *fixtures
	if dir == "" {
		var err error
		if dir, err = corpus.FixturesDir(); err != nil {
			fmt.Fprintln(os.Stderr, "gencorpus:", err)
			os.Exit(1)
		}
	}
	fs, err := corpus.LoadFixtures(dir)
	if err == nil {
		err = corpus.Generate(*out, fs, *seed, s)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	for _, c := range corpus.Corpora(s) {
		fmt.Printf("%s\t%d pods\t%d context objects\n", c.Name, c.Pods, c.Context)
	}
}
