package images_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/images"
	"github.com/google/go-cmp/cmp"
)

const (
	sha  = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	sha5 = "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
)

func TestParseImageRef(t *testing.T) {
	tests := []struct {
		in   string
		want images.ImageRef
	}{
		{"nginx", images.ImageRef{Path: "nginx"}},
		{"nginx:1.27", images.ImageRef{Path: "nginx", Tag: "1.27"}},
		{"library/nginx:latest", images.ImageRef{Path: "library/nginx", Tag: "latest"}},
		{"docker.io/library/nginx", images.ImageRef{Domain: "docker.io", Path: "library/nginx"}},
		{"localhost/app", images.ImageRef{Domain: "localhost", Path: "app"}},
		{"localhost:5000/app", images.ImageRef{Domain: "localhost:5000", Path: "app"}},
		{"localhost:5000/app:v2", images.ImageRef{Domain: "localhost:5000", Path: "app", Tag: "v2"}},
		{"registry.example:443/team/app:1.2.3-rc.1", images.ImageRef{Domain: "registry.example:443", Path: "team/app", Tag: "1.2.3-rc.1"}},
		{"10.0.0.1:5000/app", images.ImageRef{Domain: "10.0.0.1:5000", Path: "app"}},
		{"[::1]:5000/app:1", images.ImageRef{Domain: "[::1]:5000", Path: "app", Tag: "1"}},
		{"team/app", images.ImageRef{Path: "team/app"}},
		{"app@" + sha, images.ImageRef{Path: "app", Digest: sha}},
		{"app:1.2@" + sha, images.ImageRef{Path: "app", Tag: "1.2", Digest: sha}},
		{"localhost:5000/app@" + sha, images.ImageRef{Domain: "localhost:5000", Path: "app", Digest: sha}},
		{"registry.example/a/b/c:latest@" + sha5, images.ImageRef{Domain: "registry.example", Path: "a/b/c", Tag: "latest", Digest: sha5}},
		{"app_x/a__b/c-d--e/f.g:T_1", images.ImageRef{Path: "app_x/a__b/c-d--e/f.g", Tag: "T_1"}},
		// Without a slash there is no domain: this is repository
		// "registry.example" at tag "5000", as Docker reads it.
		{"registry.example:5000", images.ImageRef{Path: "registry.example", Tag: "5000"}},
		{"Registry.Example/app", images.ImageRef{Domain: "Registry.Example", Path: "app"}},
	}
	for _, tt := range tests {
		got, err := images.ParseImageRef(tt.in)
		if err != nil {
			t.Errorf("ParseImageRef(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseImageRef(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseImageRefErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", images.ErrEmptyReference},
		{"Nginx", images.ErrInvalidName},
		{"team/App:1", images.ErrInvalidName},
		{"nginx:", images.ErrInvalidTag},
		{"nginx:-1", images.ErrInvalidTag},
		{"nginx:" + strings.Repeat("a", 129), images.ErrInvalidTag},
		{"nginx@sha256:abc", images.ErrInvalidDigest},
		{"nginx@" + strings.ToUpper(sha), images.ErrInvalidDigest},
		{"nginx@", images.ErrInvalidDigest},
		{"nginx@sha256", images.ErrInvalidDigest},
		{"nginx latest", images.ErrInvalidName},
		{"/nginx", images.ErrInvalidName},
		{"nginx/", images.ErrInvalidName},
		{"a..b", images.ErrInvalidName},
		{"a_", images.ErrInvalidName},
		{"localhost:port/app", images.ErrInvalidName},
		{"reg istry.example/app", images.ErrInvalidName},
	}
	for _, tt := range tests {
		_, err := images.ParseImageRef(tt.in)
		if !errors.Is(err, tt.want) {
			t.Errorf("ParseImageRef(%q) = %v, want %v", tt.in, err, tt.want)
		}
	}
	_, err := images.ParseImageRef("nginx:")
	if want := `image reference "nginx:": invalid tag`; err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestReferencePredicates(t *testing.T) {
	for _, tt := range []struct {
		in                      string
		pinned, mutable, latest bool
	}{
		{"app", false, true, true},
		{"app:latest", false, true, true},
		{"app:Latest", false, true, false},
		{"app:1", false, true, false},
		{"app:latest@" + sha, true, false, false},
		{"app@" + sha, true, false, false},
	} {
		r, err := images.ParseImageRef(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if r.Pinned() != tt.pinned || r.Mutable() != tt.mutable || r.Latest() != tt.latest {
			t.Errorf("%s: pinned %v mutable %v latest %v", tt.in, r.Pinned(), r.Mutable(), r.Latest())
		}
	}
}

func TestParseImageRefDoesNotAllocate(t *testing.T) {
	for _, in := range []string{"registry.example:5000/team/app:1.2@" + sha, "nginx"} {
		if n := testing.AllocsPerRun(100, func() { images.ParseImageRef(in) }); n != 0 {
			t.Errorf("%s: %v allocs", in, n)
		}
	}
}

func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"nginx", "localhost:5000/app:1@" + sha, "a/b:c", "[::1]:5/x", "@", ":", "/", "a__b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := images.ParseImageRef(s)
		if err != nil {
			return
		}
		// The parts rebuild the reference.
		got := r.Path
		if r.Domain != "" {
			got = r.Domain + "/" + got
		}
		if r.Tag != "" {
			got += ":" + r.Tag
		}
		if r.Digest != "" {
			got += "@" + r.Digest
		}
		if got != s {
			t.Errorf("%q parsed to %+v, which rebuilds %q", s, r, got)
		}
	})
}
