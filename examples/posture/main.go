package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

//go:embed testdata
var files embed.FS

func main() {
	findings, err := audit()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for _, f := range findings {
		fmt.Printf("%s %s\n  %s\n  %s\n", f.Severity, f.Path, f.Message, f.Check)
	}
}

// audit loads the Deployment, attaches its containers' image configs and
// runs the checks whose verdicts depend on the image's USER.
func audit() ([]hardening.Finding, error) {
	// The images a registry client or `docker inspect` would give you,
	// keyed by the reference exactly as the Pod writes it.
	images := map[string]*imagespec.Image{
		"registry.example/web:2.3":    imageConfig("testdata/web.json"),
		"registry.example/worker:1.9": imageConfig("testdata/worker.json"),
	}
	manifest, _ := files.ReadFile("testdata/deployment.yaml")
	loaded := load.Bytes(load.Options{}, "deployment.yaml", manifest)
	if len(loaded.Errors) > 0 {
		return nil, loaded.Errors[0]
	}

	checks := bulwark.Checks().Select(hardening.Selection{Include: []string{
		"capabilities.runs-as-root", "capabilities.non-root-unverifiable",
	}})
	for _, s := range loaded.Subjects {
		s.ContainerImages = images
	}
	return bulwark.Audit(checks, loaded.Subjects...), nil
}

func imageConfig(name string) *imagespec.Image {
	loaded := load.Bytes(load.Options{}, name, must(files.ReadFile(name)))
	if len(loaded.Subjects) != 1 || loaded.Subjects[0].Image == nil {
		panic(fmt.Sprintf("%s is not an image config: %v", name, loaded.Errors))
	}
	return loaded.Subjects[0].Image
}

func must(data []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return data
}
