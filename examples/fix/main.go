package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/fix"
)

//go:embed testdata/careless.yaml
var careless []byte

func main() { os.Exit(run(os.Args[1:], os.Stdout)) }

func run(args []string, stdout io.Writer) int {
	flags := flag.NewFlagSet("fix", flag.ContinueOnError)
	profile := flags.String("profile", "pss-restricted@v1.30", "the profile the sample must pass")
	var decide []string
	flags.Func("decide", "a decision a check's fix needs, CHECK=VALUE; repeatable", func(s string) error {
		decide = append(decide, s)
		return nil
	})
	if err := flags.Parse(args); err != nil {
		return 2
	}
	checks, err := bulwark.Profile(*profile)
	if err != nil {
		fmt.Fprintln(stdout, err)
		return 2
	}
	decisions := map[string]string{}
	for _, d := range decide {
		check, value, _ := strings.Cut(d, "=")
		decisions[check] = value
	}

	res, err := fix.Source("careless.yaml", careless, fix.Options{Checks: checks, Decisions: decisions})
	if err != nil {
		fmt.Fprintln(stdout, err)
		return 2
	}
	stdout.Write(res.Diff())
	fmt.Fprintf(stdout, "\n%d findings fixed, %d left\n", len(res.Fixed), len(res.Unfixed))
	for _, o := range res.Unfixed {
		fmt.Fprintf(stdout, "- %s [%s]\n  %s\n", o.Finding.Path, o.Finding.Check, o.Reason)
	}
	if !res.Passes() {
		return 1
	}
	return 0
}
