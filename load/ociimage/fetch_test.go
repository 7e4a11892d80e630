package ociimage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// layoutFetcher fetches the blobs of a layout, recording what it was
// asked for.
type layoutFetcher struct {
	lay     *imagetest.Layout
	fetched []string
}

func (f *layoutFetcher) Fetch(ctx context.Context, d imagespec.Descriptor, manifest bool) (io.ReadCloser, error) {
	kind := "blob"
	if manifest {
		kind = "manifest"
	}
	f.fetched = append(f.fetched, kind+" "+string(d.Digest))
	data, err := os.ReadFile(f.lay.BlobPath(d))
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

func platformImage(arch, user string) imagetest.Image {
	img := imagetest.Image{Layers: []imagetest.Layer{{Gzip: true, Entries: []imagetest.Entry{{Name: "f", Content: user}}}}}
	img.Config.OS, img.Config.Architecture, img.Config.Config.User = "linux", arch, user
	return img
}

// FetchConfig reads the manifest (through the index) and the config, and
// no layer; what it reads is verified.
func TestFetchConfig(t *testing.T) {
	lay, err := imagetest.WriteLayout(filepath.Join(t.TempDir(), "lay"),
		imagetest.Image{Ref: "multi", Index: []imagetest.Image{platformImage("amd64", "a"), platformImage("arm64", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	root := lay.Images[0].Descriptor
	arm := lay.Images[0].Index[1]
	f := &layoutFetcher{lay: lay}
	img, digest, err := FetchConfig(context.Background(), &Options{Platform: "linux/arm64"}, f, root)
	if err != nil {
		t.Fatal(err)
	}
	if img.Config.User != "b" || digest != string(arm.Descriptor.Digest) {
		t.Errorf("user %q digest %s", img.Config.User, digest)
	}
	want := []string{"manifest " + string(root.Digest), "manifest " + string(arm.Descriptor.Digest), "blob " + string(arm.Config.Digest)}
	if diff := cmp.Diff(want, f.fetched); diff != "" {
		t.Errorf("fetched (-want +got):\n%s", diff)
	}
	if _, _, err := FetchConfig(context.Background(), &Options{Platform: "linux/s390x"}, f, root); !errors.Is(err, ErrNoPlatform) {
		t.Errorf("s390x: %v", err)
	}
	// A config that is not what its digest says.
	p := lay.BlobPath(arm.Config)
	data, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(data, []byte(`"b"`), []byte(`"c"`), 1), 0o644)
	if _, _, err := FetchConfig(context.Background(), &Options{Platform: "linux/arm64"}, f, root); !errors.Is(err, ErrDigestMismatch) {
		t.Errorf("altered config: %v", err)
	}
	if _, _, err := FetchConfig(context.Background(), &Options{}, f, imagespec.Descriptor{Digest: "sha256:../x"}); err == nil {
		t.Error("malformed root digest: no error")
	}
}

// LoadFetched names its subjects and their manifests' digests; with
// AllPlatforms each platform's image is its own subject.
func TestLoadFetched(t *testing.T) {
	lay, err := imagetest.WriteLayout(filepath.Join(t.TempDir(), "lay"),
		imagetest.Image{Ref: "multi", Index: []imagetest.Image{platformImage("amd64", "a"), platformImage("arm64", "b")}})
	if err != nil {
		t.Fatal(err)
	}
	idx := lay.Images[0]
	var got []string
	for _, all := range []bool{false, true} {
		r := &hardening.Result{}
		LoadFetched(&Options{Platform: "linux/amd64", AllPlatforms: all}, r, nil, &layoutFetcher{lay: lay}, "reg/x:1", "reg.example/x:1", idx.Descriptor)
		for _, s := range r.Subjects {
			got = append(got, fmt.Sprintf("%s %s %s %s", s.Name, s.ImageRef, s.Image.Config.User, s.ImageDigest))
		}
		for _, e := range r.Errors {
			got = append(got, e.Error())
		}
	}
	want := []string{
		"reg/x:1 reg.example/x:1 a " + string(idx.Index[0].Descriptor.Digest),
		"reg/x:1 (linux/amd64) reg.example/x:1 a " + string(idx.Index[0].Descriptor.Digest),
		"reg/x:1 (linux/arm64) reg.example/x:1 b " + string(idx.Index[1].Descriptor.Digest),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// A fetcher's error is the image's, and names the blob.
	r := &hardening.Result{}
	LoadFetched(&Options{Platform: "linux/amd64"}, r, nil, failingFetcher{}, "reg/x:1", "reg.example/x:1", idx.Descriptor)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "index "+string(idx.Descriptor.Digest)+": registry down") {
		t.Errorf("errors %v", r.Errors)
	}
}

type failingFetcher struct{}

func (failingFetcher) Fetch(context.Context, imagespec.Descriptor, bool) (io.ReadCloser, error) {
	return nil, errors.New("registry down")
}
