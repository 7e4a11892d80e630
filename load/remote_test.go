package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// layoutRegistry is a Registry that serves the images of a layout: a
// reference "reg.example/<ref>" names the layout's image <ref>, and
// "reg.example/x@<digest>" any manifest or index by digest.
type layoutRegistry struct {
	lay *imagetest.Layout

	mu      sync.Mutex
	fetched []string // "manifest <digest>" or "blob <digest>", in order
}

func (g *layoutRegistry) Reference(arg string, explicit bool) (string, bool) {
	if !strings.HasPrefix(arg, "reg.example/") {
		if explicit && !strings.Contains(arg, "/") {
			return "reg.example/" + arg, true // what docker pull would imply
		}
		return "", false
	}
	return arg, true
}

func (g *layoutRegistry) Resolve(ctx context.Context, ref string, maxManifest int) (ociimage.Fetcher, imagespec.Descriptor, error) {
	name := strings.TrimPrefix(ref, "reg.example/")
	if _, dg, ok := strings.Cut(name, "@"); ok {
		var d imagespec.Descriptor
		setDigest(&d.Digest, dg)
		data, err := os.ReadFile(g.lay.BlobPath(d))
		if err != nil {
			return nil, imagespec.Descriptor{}, fmt.Errorf("manifest unknown: %w", err)
		}
		d.Size = int64(len(data))
		return g, d, nil
	}
	for _, d := range g.lay.Index.Manifests {
		if d.Annotations[imagespec.AnnotationRefName] == name {
			d.Annotations = nil
			return g, d, nil
		}
	}
	return nil, imagespec.Descriptor{}, fmt.Errorf("%s: manifest unknown", ref)
}

func (g *layoutRegistry) Fetch(ctx context.Context, d imagespec.Descriptor, manifest bool) (io.ReadCloser, error) {
	kind := "blob"
	if manifest {
		kind = "manifest"
	}
	g.mu.Lock()
	g.fetched = append(g.fetched, kind+" "+string(d.Digest))
	g.mu.Unlock()
	return os.Open(g.lay.BlobPath(d))
}

// The rule that tells references from paths: docker:// always, a bare
// reference when no file has its name, an error when one does, a path
// otherwise; without a registry client a reference is an error, never a
// silent path.
func TestReferenceRule(t *testing.T) {
	dir := t.TempDir()
	lay := mustLayout(t, filepath.Join(dir, "lay"), simpleImage("app:1", "alice"))
	t.Chdir(dir)
	reg := &layoutRegistry{lay: lay}
	tests := []struct {
		name string
		reg  Registry
		arg  string
		want string // "image <name> <ref> <user>" or "error: <text>"
	}{
		{"reference", reg, "reg.example/app:1", "image reg.example/app:1 reg.example/app:1 alice"},
		{"explicit", reg, "docker://reg.example/app:1", "image docker://reg.example/app:1 reg.example/app:1 alice"},
		{"explicit short name", reg, "docker://app:1", "image docker://app:1 reg.example/app:1 alice"},
		{"unknown tag", reg, "reg.example/app:2", "error: reg.example/app:2: manifest unknown"},
		{"ambiguous", reg, "reg.example/app:1", ""}, // set below: the file exists
		{"not a reference", reg, "lay:app:1", "image lay:app:1 app:1 alice"},
		{"explicit not a reference", reg, "docker://Bad/Name", "error: not an image reference after docker://"},
		{"no client, explicit", nil, "docker://reg.example/app:1", "error: an image reference, but no registry client"},
		{"no client, bare", nil, "reg.example/app:2", "error: stat: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "ambiguous" {
				// A file whose name is also a reference.
				if err := os.MkdirAll(filepath.Join(dir, "reg.example"), 0o755); err != nil {
					t.Fatal(err)
				}
				defer os.RemoveAll(filepath.Join(dir, "reg.example"))
				if err := os.WriteFile(filepath.Join(dir, "reg.example", "app:1"), []byte("kind: x"), 0o644); err != nil {
					t.Fatal(err)
				}
				tt.want = "error: both a file and an image reference: write ./reg.example/app:1 for the file or docker://reg.example/app:1 for the image"
			}
			r := Paths(Options{Registry: tt.reg}, tt.arg)
			var got []string
			for _, s := range r.Subjects {
				got = append(got, fmt.Sprintf("image %s %s %s", s.Name, s.ImageRef, s.Image.Config.User))
			}
			for _, e := range r.Errors {
				if e.Source != tt.arg {
					t.Errorf("error source %q, want %q", e.Source, tt.arg)
				}
				got = append(got, "error: "+e.Err.Error())
			}
			if len(got) != 1 || !strings.HasPrefix(got[0], tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// An image read through a Registry is the image the layout holds: the
// same subject, every blob fetched once, manifests from the manifest
// endpoint, and a wrong blob is caught by the loader.
func TestRemoteImage(t *testing.T) {
	img := simpleImage("app:1", "alice")
	img.Layers = append(img.Layers, imagetest.Layer{Zstd: true, Entries: []imagetest.Entry{{Name: "etc/.wh.alice"}, {Name: "bin/su", Mode: 0o4755, Content: "x"}}})
	lay := mustLayout(t, filepath.Join(t.TempDir(), "lay"), img)
	reg := &layoutRegistry{lay: lay}
	local := Paths(Options{}, lay.Dir)
	remote := Paths(Options{Registry: reg}, "reg.example/app:1")
	noErrors(t, local)
	noErrors(t, remote)
	if len(local.Subjects) != 1 || len(remote.Subjects) != 1 {
		t.Fatalf("subjects: %v, %v", summarizeImages(local), summarizeImages(remote))
	}
	if diff := cmp.Diff(fileLines(local.Subjects[0].ImageContents), fileLines(remote.Subjects[0].ImageContents)); diff != "" {
		t.Errorf("contents (-layout +remote):\n%s", diff)
	}
	w := lay.Images[0]
	want := []string{"manifest " + string(w.Descriptor.Digest), "blob " + string(w.Config.Digest)}
	for _, l := range w.Layers {
		want = append(want, "blob "+string(l.Digest))
	}
	if diff := cmp.Diff(want, reg.fetched); diff != "" {
		t.Errorf("fetched (-want +got):\n%s", diff)
	}

	// By digest.
	remote = Paths(Options{Registry: reg}, "reg.example/x@"+string(w.Descriptor.Digest))
	noErrors(t, remote)
	if len(remote.Subjects) != 1 || remote.Subjects[0].ImageRef != "reg.example/x@"+string(w.Descriptor.Digest) {
		t.Errorf("by digest: %v", summarizeImages(remote))
	}

	// A layer whose bytes are not its digest's.
	corrupt(t, lay.BlobPath(w.Layers[1]), func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	remote = Paths(Options{Registry: reg}, "reg.example/app:1")
	if len(remote.Subjects) != 0 || len(remote.Errors) != 1 || !errors.Is(remote.Errors[0], ErrDigestMismatch) {
		t.Fatalf("corrupt layer: subjects %v errors %v", summarizeImages(remote), remote.Errors)
	}
	if e := remote.Errors[0]; e.Source != "reg.example/app:1" || !strings.Contains(e.Error(), "layer 1 "+string(w.Layers[1].Digest)) {
		t.Errorf("error %q", e)
	}
}

// With AllPlatforms every image of an index is its own subject, named
// with its platform; attestation manifests (unknown/unknown) are none.
func TestAllPlatforms(t *testing.T) {
	plat := func(os, arch, variant, user string) imagetest.Image {
		img := simpleImage("", user)
		img.Config.OS, img.Config.Architecture, img.Config.Variant = os, arch, variant
		return img
	}
	multi := imagetest.Image{Ref: "multi", Index: []imagetest.Image{
		plat("linux", "amd64", "", "amd64"),
		plat("linux", "arm64", "v8", "arm64"),
		{Index: []imagetest.Image{plat("linux", "s390x", "", "s390x")}},
		plat("unknown", "unknown", "", "attestation"),
	}}
	dir := filepath.Join(t.TempDir(), "lay")
	lay := mustLayout(t, dir, multi, simpleImage("single", "solo"))
	summarize := func(r *hardening.Result) []string {
		var out []string
		for _, s := range r.Subjects {
			out = append(out, s.Name+" "+s.Image.Config.User)
		}
		for _, e := range r.Errors {
			out = append(out, "error: "+e.Error())
		}
		return out
	}
	want := []string{
		dir + ":multi (linux/amd64) amd64",
		dir + ":multi (linux/arm64/v8) arm64",
		dir + ":multi (linux/s390x) s390x",
		dir + ":single solo",
	}
	if diff := cmp.Diff(want, summarize(Paths(Options{AllPlatforms: true}, dir))); diff != "" {
		t.Errorf("layout (-want +got):\n%s", diff)
	}
	reg := &layoutRegistry{lay: lay}
	want = []string{
		"reg.example/multi (linux/amd64) amd64",
		"reg.example/multi (linux/arm64/v8) arm64",
		"reg.example/multi (linux/s390x) s390x",
	}
	if diff := cmp.Diff(want, summarize(Paths(Options{AllPlatforms: true, Registry: reg}, "reg.example/multi"))); diff != "" {
		t.Errorf("registry (-want +got):\n%s", diff)
	}
	// One platform's broken layer fails that platform only.
	corrupt(t, lay.BlobPath(lay.Images[0].Index[1].Layers[0]), func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	got := summarize(Paths(Options{AllPlatforms: true}, dir+":multi"))
	if len(got) != 3 || !strings.HasPrefix(got[2], "error: "+dir+": document 0: image multi (linux/arm64/v8): layer 0 ") {
		t.Errorf("broken arm64: %q", got)
	}
}
