package load

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// fileLine renders an ImageFile compactly for comparisons:
// "/path mode uid:gid size [-> link] [xattr] @layer".
func fileLine(f hardening.ImageFile) string {
	s := fmt.Sprintf("%s %v %d:%d %d", f.Path, f.Mode, f.UID, f.GID, f.Size)
	if f.Linkname != "" {
		arrow := "->"
		if f.Hardlink {
			arrow = "=>"
		}
		s += " " + arrow + " " + f.Linkname
	}
	if f.Mode&fs.ModeDevice != 0 {
		s += fmt.Sprintf(" dev %d,%d", f.Devmajor, f.Devminor)
	}
	keys := make([]string, 0, len(f.Xattrs))
	for k := range f.Xattrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		s += fmt.Sprintf(" %s=%q", k, f.Xattrs[k])
	}
	if f.Content != nil {
		s += fmt.Sprintf(" content=%q", f.Content)
	}
	return s + fmt.Sprintf(" @%d", f.LayerIndex)
}

func fileLines(c *hardening.ImageContents) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, f := range c.Files {
		out = append(out, fileLine(f))
	}
	return out
}

// paths lists the paths of the files.
func paths(c *hardening.ImageContents) []string {
	var out []string
	for _, f := range c.Files {
		out = append(out, f.Path)
	}
	return out
}

type imgSummary struct {
	Name, Ref, Source string
	Document          int
	User              string
	Files             int
}

func summarizeImages(r *hardening.Result) []imgSummary {
	var out []imgSummary
	for _, s := range r.Subjects {
		sum := imgSummary{Name: s.Name, Ref: s.ImageRef, Source: s.Source, Document: s.Document}
		if s.Image != nil {
			sum.User = s.Image.Config.User
		}
		if s.ImageContents != nil {
			sum.Files = len(s.ImageContents.Files)
		}
		if s.Kind != hardening.KindImage {
			sum.Name += " (kind " + s.Kind.String() + ")"
		}
		out = append(out, sum)
	}
	return out
}

func noErrors(t *testing.T, r *hardening.Result) {
	t.Helper()
	for _, e := range r.Errors {
		t.Errorf("unexpected error: %v", e)
	}
}

// simpleImage is an image with one layer holding one file named after user.
func simpleImage(ref, user string) imagetest.Image {
	return imagetest.Image{
		Ref:    ref,
		Config: imagespec.Image{Config: imagespec.ImageConfig{User: user}},
		Layers: []imagetest.Layer{{Gzip: true, Entries: []imagetest.Entry{
			{Name: "etc/"},
			{Name: "etc/" + user, Content: user},
		}}},
	}
}

func mustLayout(t *testing.T, dir string, images ...imagetest.Image) *imagetest.Layout {
	t.Helper()
	lay, err := imagetest.WriteLayout(dir, images...)
	if err != nil {
		t.Fatal(err)
	}
	return lay
}

func TestImageSources(t *testing.T) {
	dir := t.TempDir()
	images := []imagetest.Image{simpleImage("a", "alice"), simpleImage("b", "bob")}
	layout := filepath.Join(dir, "layout")
	mustLayout(t, layout, images...)
	ociArchive := filepath.Join(dir, "oci.tar")
	if _, err := imagetest.WriteOCIArchive(ociArchive, images...); err != nil {
		t.Fatal(err)
	}
	dockerImages := []imagetest.Image{simpleImage("example/a:1", "alice"), simpleImage("example/b:2", "bob")}
	dockerArchive := filepath.Join(dir, "docker.tar")
	if _, err := imagetest.WriteDockerArchive(dockerArchive, dockerImages...); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		path string
		want []imgSummary
	}{
		{layout, []imgSummary{
			{Name: layout + ":a", Ref: "a", Source: layout, Document: 0, User: "alice", Files: 2},
			{Name: layout + ":b", Ref: "b", Source: layout, Document: 1, User: "bob", Files: 2},
		}},
		{layout + ":b", []imgSummary{{Name: layout + ":b", Ref: "b", Source: layout, Document: 1, User: "bob", Files: 2}}},
		{ociArchive, []imgSummary{
			{Name: ociArchive + ":a", Ref: "a", Source: ociArchive, Document: 0, User: "alice", Files: 2},
			{Name: ociArchive + ":b", Ref: "b", Source: ociArchive, Document: 1, User: "bob", Files: 2},
		}},
		{ociArchive + ":a", []imgSummary{{Name: ociArchive + ":a", Ref: "a", Source: ociArchive, Document: 0, User: "alice", Files: 2}}},
		{dockerArchive, []imgSummary{
			{Name: dockerArchive + ":example/a:1", Ref: "example/a:1", Source: dockerArchive, Document: 0, User: "alice", Files: 2},
			{Name: dockerArchive + ":example/b:2", Ref: "example/b:2", Source: dockerArchive, Document: 1, User: "bob", Files: 2},
		}},
		// The reference holds a colon; the split is at the first colon
		// whose left part is an archive.
		{dockerArchive + ":example/b:2", []imgSummary{{Name: dockerArchive + ":example/b:2", Ref: "example/b:2", Source: dockerArchive, Document: 1, User: "bob", Files: 2}}},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			r := Paths(Options{}, tt.path)
			noErrors(t, r)
			if diff := cmp.Diff(tt.want, summarizeImages(r)); diff != "" {
				t.Errorf("subjects (-want +got):\n%s", diff)
			}
		})
	}

	// Bytes and Reader read archives too.
	data, err := os.ReadFile(dockerArchive)
	if err != nil {
		t.Fatal(err)
	}
	r := Bytes(Options{}, "mem", data)
	noErrors(t, r)
	if got := summarizeImages(r); len(got) != 2 || got[0].Name != "mem:example/a:1" {
		t.Errorf("Bytes: %+v", got)
	}
	f, err := os.Open(ociArchive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r = Reader(Options{}, "-", f)
	noErrors(t, r)
	if got := summarizeImages(r); len(got) != 2 || got[1].Name != "-:b" {
		t.Errorf("Reader: %+v", got)
	}
	r = Reader(Options{}, "-", bytes.NewReader(data)) // not a file: read into memory
	noErrors(t, r)
	if len(r.Subjects) != 2 {
		t.Errorf("Reader of bytes: %+v", summarizeImages(r))
	}
}

func TestImageRefSelectionErrors(t *testing.T) {
	dir := t.TempDir()
	layout := filepath.Join(dir, "lay")
	mustLayout(t, layout, simpleImage("a", "alice"), simpleImage("b", "bob"))
	unnamed := filepath.Join(dir, "unnamed")
	mustLayout(t, unnamed, simpleImage("", "u1"), simpleImage("", "u2"))
	plain := filepath.Join(dir, "plain")
	if err := os.Mkdir(plain, 0o755); err != nil {
		t.Fatal(err)
	}

	r := Paths(Options{}, layout+":c")
	if len(r.Subjects) != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), `no image named "c" (names: "a", "b")`) || r.Errors[0].Source != layout {
		t.Errorf("missing ref: %v %v", summarizeImages(r), r.Errors)
	}
	// Only a layout or archive path is split: a plain directory is not.
	r = Paths(Options{}, plain+":x")
	if len(r.Errors) != 1 || r.Errors[0].Source != plain+":x" || !errors.Is(r.Errors[0], fs.ErrNotExist) {
		t.Errorf("plain dir: %v", r.Errors)
	}
	// Unnamed images are named by their manifest digest.
	lay := mustLayout(t, unnamed, simpleImage("", "u1"), simpleImage("", "u2"))
	r = Paths(Options{}, unnamed)
	noErrors(t, r)
	want := []imgSummary{
		{Name: unnamed + "@" + string(lay.Images[0].Descriptor.Digest), Source: unnamed, Document: 0, User: "u1", Files: 2},
		{Name: unnamed + "@" + string(lay.Images[1].Descriptor.Digest), Source: unnamed, Document: 1, User: "u2", Files: 2},
	}
	if diff := cmp.Diff(want, summarizeImages(r)); diff != "" {
		t.Errorf("unnamed (-want +got):\n%s", diff)
	}
	// One unnamed image is named after the layout.
	one := filepath.Join(dir, "one")
	mustLayout(t, one, simpleImage("", "solo"))
	r = Paths(Options{}, one)
	noErrors(t, r)
	if got := summarizeImages(r); len(got) != 1 || got[0].Name != one {
		t.Errorf("one: %+v", got)
	}
}

func TestPlatformResolution(t *testing.T) {
	plat := func(os, arch, variant, user string) imagetest.Image {
		img := simpleImage("", user)
		img.Config.OS, img.Config.Architecture, img.Config.Variant = os, arch, variant
		return img
	}
	multi := imagetest.Image{Ref: "multi", Index: []imagetest.Image{
		plat("linux", "amd64", "", "amd64"),
		plat("linux", "arm64", "v8", "arm64"),
		plat("linux", "arm", "v7", "armv7"),
		plat("linux", "arm", "v6", "armv6"),
		// A nested index holds s390x.
		{Index: []imagetest.Image{plat("linux", "s390x", "", "s390x")}},
		plat("windows", "amd64", "", "windows"),
	}}
	dir := filepath.Join(t.TempDir(), "lay")
	mustLayout(t, dir, multi)
	tests := []struct {
		platform string
		want     string // user of the picked image, or an error
	}{
		{"linux/amd64", "amd64"},
		{"linux/arm64", "arm64"},
		{"linux/arm64/v8", "arm64"},
		{"linux/arm/v6", "armv6"},
		{"linux/arm", "armv7"}, // the first arm image
		{"windows/amd64", "windows"},
		{"linux/s390x", "s390x"},
		{"linux/riscv64", "error: no image for platform linux/riscv64 (the index has linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8, linux/s390x, windows/amd64; set Options.Platform)"},
		{"bogus", "error: Options.Platform \"bogus\": want os/architecture[/variant]"},
	}
	for _, tt := range tests {
		t.Run(tt.platform, func(t *testing.T) {
			r := Paths(Options{Platform: tt.platform}, dir)
			got := ""
			for _, s := range r.Subjects {
				got += s.Image.Config.User
				if s.Name != dir+":multi" || s.ImageRef != "multi" {
					t.Errorf("name %q ref %q", s.Name, s.ImageRef)
				}
			}
			for _, e := range r.Errors {
				got += "error: " + e.Err.Error()
			}
			if !strings.HasSuffix(got, strings.TrimPrefix(tt.want, "error: ")) || (strings.HasPrefix(tt.want, "error: ") != strings.HasPrefix(got, "error: ")) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	// The default platform is linux/GOARCH.
	r := Paths(Options{}, dir)
	if DefaultPlatform() != "linux/"+runtime.GOARCH {
		t.Errorf("DefaultPlatform() = %q", DefaultPlatform())
	}
	switch runtime.GOARCH {
	case "amd64", "arm64", "s390x":
		noErrors(t, r)
		if len(r.Subjects) != 1 || r.Subjects[0].Image.Config.User != runtime.GOARCH {
			t.Errorf("default platform: %v", summarizeImages(r))
		}
	}
}

func TestWhiteouts(t *testing.T) {
	img := imagetest.Image{Ref: "w", Layers: []imagetest.Layer{
		{Gzip: true, Entries: []imagetest.Entry{
			{Name: "etc/"},
			{Name: "etc/passwd", Content: "root"},
			{Name: "etc/shadow", Content: "x"},
			{Name: "opt/"},
			{Name: "opt/app/"},
			{Name: "opt/app/a", Content: "a"},
			{Name: "opt/app/sub/"},
			{Name: "opt/app/sub/c", Content: "c"},
			{Name: "tmp/"},
			{Name: "tmp/x", Content: "x"},
			{Name: "keys/id_rsa", Content: "key"}, // parent implied, never listed
			{Name: "file-becomes-dir", Content: "f"},
		}},
		{Entries: []imagetest.Entry{
			{Name: "etc/.wh.shadow"},
			// An entry of this layer before the opaque marker stays:
			// opaque hides lower layers only.
			{Name: "opt/app/new", Content: "n"},
			{Name: "opt/app/.wh..wh..opq"},
			{Name: "opt/app/sub2/d", Content: "d"},
			{Name: "keys/.wh.id_rsa"},
			{Name: "file-becomes-dir/"},
			{Name: "file-becomes-dir/inner", Content: "i"},
			{Name: "etc/.wh..wh.plnk"}, // AUFS metadata: ignored
			{Name: "nothing/.wh.here"}, // a whiteout of nothing
		}},
		{Gzip: true, Entries: []imagetest.Entry{
			{Name: ".wh.tmp"},
			{Name: "etc/passwd", Content: "root2", Mode: 0o600},
			// The same layer re-creates what it whites out: the entry
			// stays, whatever the order.
			{Name: "opt/app/a", Content: "a3"},
			{Name: "opt/app/.wh.a"},
			{Name: "opt/app/.wh.sub2"},
		}},
	}}
	dir := filepath.Join(t.TempDir(), "lay")
	lay := mustLayout(t, dir, img)
	r := Paths(Options{}, dir)
	noErrors(t, r)
	if len(r.Subjects) != 1 {
		t.Fatalf("subjects: %v", summarizeImages(r))
	}
	c := r.Subjects[0].ImageContents
	want := []string{
		"/etc drwxr-xr-x 0:0 0 @0",
		`/etc/passwd -rw------- 0:0 5 content="root2" @2`,
		"/file-becomes-dir drwxr-xr-x 0:0 0 @1",
		"/file-becomes-dir/inner -rw-r--r-- 0:0 1 @1",
		"/opt drwxr-xr-x 0:0 0 @0",
		"/opt/app drwxr-xr-x 0:0 0 @0",
		"/opt/app/a -rw-r--r-- 0:0 2 @2",
		"/opt/app/new -rw-r--r-- 0:0 1 @1",
	}
	if diff := cmp.Diff(want, fileLines(c)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	var layers []string
	for _, d := range lay.Images[0].Layers {
		layers = append(layers, string(d.Digest))
	}
	if diff := cmp.Diff(layers, c.Layers); diff != "" {
		t.Errorf("layers (-want +got):\n%s", diff)
	}
	for _, f := range c.Files {
		if f.Layer != layers[f.LayerIndex] {
			t.Errorf("%s: layer %s at index %d", f.Path, f.Layer, f.LayerIndex)
		}
	}
}

func TestEntryMetadata(t *testing.T) {
	capability := "\x01\x00\x00\x02\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	img := imagetest.Image{Ref: "m", Layers: []imagetest.Layer{{Entries: []imagetest.Entry{
		{Name: "./"},
		{Name: "./usr/bin/su", Mode: 0o4755, Content: "ELF", UID: 0, GID: 0},
		{Name: "/usr/bin/wall", Mode: 0o2755, Content: "ELF", GID: 5},
		{Name: "tmp/", Mode: 0o1777},
		{Name: "usr/bin/ping", Mode: 0o755, Content: "ELF", Xattrs: map[string]string{"security.capability": capability, "user.note": "hi"}},
		{Name: "usr/bin/su-link", Type: tar.TypeLink, Linkname: "./usr/bin/su", Mode: 0o4755},
		{Name: "usr/bin/escape", Type: tar.TypeLink, Linkname: "../../etc/shadow"},
		{Name: "usr/bin/sh", Linkname: "busybox"},
		{Name: "etc/evil", Linkname: "../../../../etc/shadow"},
		{Name: "dev/null", Type: tar.TypeChar, Devmajor: 1, Devminor: 3, Mode: 0o666},
		{Name: "dev/sda", Type: tar.TypeBlock, Devmajor: 8, Devminor: 0, Mode: 0o660, GID: 6},
		{Name: "run/fifo", Type: tar.TypeFifo, Mode: 0o600},
		{Name: "home/app/", Mode: 0o700, UID: 1000, GID: 1000},
		{Name: "home/app/.profile", UID: 1000, GID: 1000, Content: "export X"},
	}}}}
	dir := filepath.Join(t.TempDir(), "lay")
	mustLayout(t, dir, img)
	r := Paths(Options{}, dir)
	noErrors(t, r)
	if len(r.Subjects) != 1 {
		t.Fatalf("subjects: %v", summarizeImages(r))
	}
	want := []string{
		"/ drwxr-xr-x 0:0 0 @0",
		"/dev/null Dcrw-rw-rw- 0:0 0 dev 1,3 @0",
		"/dev/sda Drw-rw---- 0:6 0 dev 8,0 @0",
		"/etc/evil Lrw-r--r-- 0:0 0 -> ../../../../etc/shadow @0",
		"/home/app drwx------ 1000:1000 0 @0",
		"/home/app/.profile -rw-r--r-- 1000:1000 8 @0",
		"/run/fifo prw------- 0:0 0 @0",
		"/tmp dtrwxrwxrwx 0:0 0 @0",
		"/usr/bin/escape -rw-r--r-- 0:0 0 => ../../etc/shadow @0",
		"/usr/bin/ping -rwxr-xr-x 0:0 3 security.capability=" + fmt.Sprintf("%q", capability) + " user.note=\"hi\" @0",
		"/usr/bin/sh Lrw-r--r-- 0:0 0 -> busybox @0",
		"/usr/bin/su urwxr-xr-x 0:0 3 @0",
		"/usr/bin/su-link urwxr-xr-x 0:0 3 => /usr/bin/su @0",
		"/usr/bin/wall grwxr-xr-x 0:5 3 @0",
	}
	if diff := cmp.Diff(want, fileLines(r.Subjects[0].ImageContents)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestKeepContent(t *testing.T) {
	img := imagetest.Image{Layers: []imagetest.Layer{
		{Gzip: true, Entries: []imagetest.Entry{
			{Name: "etc/passwd", Content: "root:x:0:0"},
			{Name: "etc/shadow", Content: "root::1"},
			{Name: "etc/big", Content: strings.Repeat("b", 100)},
			{Name: "etc/group", Content: "root:x:0"},
			{Name: "etc/passwd-link", Type: tar.TypeLink, Linkname: "etc/passwd"},
		}},
	}}
	dir := filepath.Join(t.TempDir(), "lay")
	mustLayout(t, dir, img)
	var asked []string
	opts := Options{
		MaxKeptContent: 30,
		KeepContent: func(p string, size int64) bool {
			asked = append(asked, fmt.Sprintf("%s:%d", p, size))
			return strings.HasPrefix(p, "/etc/")
		},
	}
	r := Paths(opts, dir)
	noErrors(t, r)
	want := []string{
		`/etc/big -rw-r--r-- 0:0 100 @0`, // over the budget: listed without content
		`/etc/group -rw-r--r-- 0:0 8 content="root:x:0" @0`,
		`/etc/passwd -rw-r--r-- 0:0 10 content="root:x:0:0" @0`,
		`/etc/passwd-link -rw-r--r-- 0:0 10 => /etc/passwd content="root:x:0:0" @0`,
		`/etc/shadow -rw-r--r-- 0:0 7 content="root::1" @0`,
	}
	if diff := cmp.Diff(want, fileLines(r.Subjects[0].ImageContents)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	// Files over the remaining budget are not even asked about.
	if diff := cmp.Diff([]string{"/etc/passwd:10", "/etc/shadow:7", "/etc/group:8"}, asked); diff != "" {
		t.Errorf("KeepContent calls (-want +got):\n%s", diff)
	}
	// Nil keeps what the content checks read.
	r = Paths(Options{}, dir)
	var kept []string
	for _, f := range r.Subjects[0].ImageContents.Files {
		if f.Content != nil {
			kept = append(kept, f.Path)
		}
	}
	if diff := cmp.Diff([]string{"/etc/passwd", "/etc/passwd-link", "/etc/shadow"}, kept); diff != "" {
		t.Errorf("default KeepContent (-want +got):\n%s", diff)
	}
	if u := r.Subjects[0].Unobserved; len(u) != 0 {
		t.Errorf("content kept, yet unobserved: %v", u)
	}
	// Content the checks read but the loader was told not to keep is
	// unobserved: the checks give no verdict on it, not "nothing found".
	r = Paths(Options{KeepContent: func(string, int64) bool { return false }}, dir)
	if diff := cmp.Diff([]string{"/etc/passwd", "/etc/shadow"}, r.Subjects[0].Unobserved); diff != "" {
		t.Errorf("unobserved content (-want +got):\n%s", diff)
	}
}

// corrupt rewrites a file of a layout with f.
func corrupt(t *testing.T, p string, f func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, f(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestHostileImages(t *testing.T) {
	zeros := imagetest.Layer{Gzip: true, Entries: []imagetest.Entry{{Name: "zeros", Content: string(make([]byte, 1<<20))}}}
	many := imagetest.Layer{Gzip: true}
	for i := range 50 {
		many.Entries = append(many.Entries, imagetest.Entry{Name: fmt.Sprintf("f%d", i)})
	}
	gz := func(entries ...imagetest.Entry) imagetest.Layer {
		return imagetest.Layer{Gzip: true, Entries: entries}
	}
	truncatedGzip := func() []byte {
		raw, _ := imagetest.TarLayer([]imagetest.Entry{{Name: "a", Content: strings.Repeat("abc", 1000)}})
		z := imagetest.Gzip(raw)
		return z[:len(z)-10]
	}()
	zstdZeros := imagetest.Layer{Zstd: true, Entries: zeros.Entries}
	zstdZerosBlob, _, err := imagetest.LayerBlob(zstdZeros)
	if err != nil {
		t.Fatal(err)
	}
	truncatedZstd := func() []byte {
		raw, _ := imagetest.TarLayer([]imagetest.Entry{{Name: "a", Content: strings.Repeat("abc", 1000)}})
		z := imagetest.Zstd(raw)
		return z[:len(z)/2]
	}()
	corruptZstd := func() []byte {
		raw, _ := imagetest.TarLayer([]imagetest.Entry{{Name: "a", Content: strings.Repeat("abc", 1000)}})
		z := imagetest.Zstd(raw)
		for i := 12; i < len(z)-4; i += 7 {
			z[i] ^= 0x55
		}
		return z
	}()
	tests := []struct {
		name   string
		opts   Options
		layers []imagetest.Layer
		docker bool                                    // write Docker media types
		break_ func(t *testing.T, l *imagetest.Layout) // alters the layout
		is     error
		want   []string // the error contains each
	}{
		{name: "layer digest mismatch", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a", Content: "hello"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				corrupt(t, l.BlobPath(l.Images[0].Layers[0]), func(b []byte) []byte { b[len(b)-1] ^= 0xff; return b })
			},
			is: ErrDigestMismatch, want: []string{"image x:", "layer 0 sha256:", "digest mismatch: the blob's digest is sha256:"}},
		{name: "layer too long", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a", Content: "hello"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				corrupt(t, l.BlobPath(l.Images[0].Layers[0]), func(b []byte) []byte { return append(b, 0) })
			},
			is: ErrSizeMismatch, want: []string{"layer 0 sha256:", "larger than the"}},
		{name: "layer truncated", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a", Content: strings.Repeat("hello", 1000)})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				corrupt(t, l.BlobPath(l.Images[0].Layers[0]), func(b []byte) []byte { return b[:len(b)/2] })
			},
			is: ErrSizeMismatch, want: []string{"layer 0 sha256:", "size mismatch: the blob is"}},
		{name: "config digest mismatch", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				corrupt(t, l.BlobPath(l.Images[0].Config), func(b []byte) []byte { return bytes.Replace(b, []byte("linux"), []byte("Linux"), 1) })
			},
			is: ErrDigestMismatch, want: []string{"config sha256:", "digest mismatch"}},
		{name: "missing blob", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				if err := os.Remove(l.BlobPath(l.Images[0].Layers[0])); err != nil {
					t.Fatal(err)
				}
			},
			is: fs.ErrNotExist, want: []string{"layer 0 sha256:"}},
		{name: "huge layer size", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Layers[0].Size = 1 << 62 })
			},
			is: ErrSizeMismatch, want: []string{"layer 0 sha256:", "its descriptor says 4611686018427387904"}},
		{name: "largest layer size", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Layers[0].Size = math.MaxInt64 })
			},
			is: ErrSizeMismatch, want: []string{"layer 0 sha256:", "bytes, its descriptor says 9223372036854775807"}},
		{name: "negative layer size", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Layers[0].Size = -1 })
			},
			want: []string{"layer 0 sha256:", "negative size -1"}},
		{name: "huge config size", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Config.Size = 1 << 62 })
			},
			is: ErrTooLarge, want: []string{"config sha256:", "is 4611686018427387904 bytes", "Options.MaxDocumentSize"}},
		{name: "truncated zstd", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerZstd, Blob: truncatedZstd}},
			want: []string{"layer 0 sha256:", "tar: zstd: unexpected EOF"}},
		{name: "zstd header only", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerZstd, Blob: []byte{0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0}}},
			want: []string{"layer 0 sha256:", "zstd: "}},
		{name: "corrupt zstd", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerZstd, Blob: corruptZstd}},
			want: []string{"layer 0 sha256:", "zstd: "}},
		// A frame that asks for a 256 MiB window, one raw empty last block.
		{name: "zstd window", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerZstd, Blob: []byte{0x28, 0xb5, 0x2f, 0xfd, 0x00, 18 << 3, 0x01, 0x00, 0x00}}},
			is: ErrTooLarge, want: []string{"layer 0 sha256:", "zstd: the layer needs a window larger than 134217728 bytes (MaxZstdWindow)"}},
		{name: "zstd bomb", opts: Options{MaxLayerSize: 100 << 10}, layers: []imagetest.Layer{zstdZeros},
			is: ErrTooLarge, want: []string{"larger than 102400 bytes uncompressed (Options.MaxLayerSize)"}},
		{name: "zstd under a gzip media type", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerGzip, Blob: zstdZerosBlob}}},
		{name: "zstd digest mismatch", layers: []imagetest.Layer{zstdZeros},
			break_: func(t *testing.T, l *imagetest.Layout) {
				// The frame's checksum changes: the blob's digest is the verdict.
				corrupt(t, l.BlobPath(l.Images[0].Layers[0]), func(b []byte) []byte { return append(b[:len(b)-1:len(b)-1], b[len(b)-1]^1) })
			},
			is: ErrDigestMismatch, want: []string{"layer 0 sha256:", "digest mismatch"}},
		{name: "unknown layer media type", layers: []imagetest.Layer{{MediaType: "application/x-squashfs", Blob: []byte("x")}},
			is: ErrUnsupported, want: []string{`unsupported layer media type "application/x-squashfs"`}},
		{name: "truncated gzip", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerGzip, Blob: truncatedGzip}},
			is: nil, want: []string{"layer 0 sha256:", "unexpected EOF"}},
		{name: "not gzip", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayerGzip, Blob: []byte("\x1f\x8bjunk")}},
			want: []string{"gzip: "}},
		{name: "not a tar", layers: []imagetest.Layer{{MediaType: imagespec.MediaTypeImageLayer, Blob: bytes.Repeat([]byte("junk"), 200)}},
			is: ErrInvalidLayer, want: []string{"tar: "}},
		{name: "tar bomb", opts: Options{MaxLayerSize: 100 << 10}, layers: []imagetest.Layer{zeros},
			is: ErrTooLarge, want: []string{"larger than 102400 bytes uncompressed (Options.MaxLayerSize)"}},
		{name: "too many entries", opts: Options{MaxEntries: 60}, layers: []imagetest.Layer{many, many},
			is: ErrTooLarge, want: []string{"layer 1 ", "more than 60 tar entries"}},
		{name: "dotdot name", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a/../../etc/passwd"})},
			is: ErrInvalidLayer, want: []string{`entry "a/../../etc/passwd" climbs out of the image root`}},
		{name: "dotdot whiteout", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "../.wh.x"})},
			is: ErrInvalidLayer, want: []string{"climbs out"}},
		{name: "whiteout of dotdot", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a/.wh.."})},
			is: ErrInvalidLayer, want: []string{"names no file"}},
		{name: "whiteout of nothing", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a/"}, imagetest.Entry{Name: "a/.wh."})},
			is: ErrInvalidLayer, want: []string{`whiteout "a/.wh." names no file`}},
		{name: "whiteout of the root", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "./.wh."})},
			is: ErrInvalidLayer, want: []string{`whiteout "./.wh." names no file`}},
		{name: "file as the root", layers: []imagetest.Layer{
			gz(imagetest.Entry{Name: "usr/bin/su", Mode: 0o4755, Content: "ELF"}),
			gz(imagetest.Entry{Name: ".", Type: tar.TypeReg}),
		}, is: ErrInvalidLayer, want: []string{"layer 1 ", `entry "." names the image root but is not a directory`}},
		{name: "link as the root", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "/", Type: tar.TypeSymlink, Linkname: "tmp"})},
			is: ErrInvalidLayer, want: []string{`entry "/" names the image root but is not a directory`}},
		{name: "implied directories", opts: Options{MaxEntries: 100}, layers: []imagetest.Layer{gz(imagetest.Entry{Name: strings.Repeat("a/", 150) + "f"})},
			is: ErrTooLarge, want: []string{"more than 100 tar entries and directories they imply"}},
		{name: "huge name", opts: Options{MaxNameLength: 255}, layers: []imagetest.Layer{gz(imagetest.Entry{Name: strings.Repeat("n", 300)})},
			is: ErrTooLarge, want: []string{"longer than 255 bytes (Options.MaxNameLength)"}},
		{name: "huge link", opts: Options{MaxNameLength: 255}, layers: []imagetest.Layer{gz(imagetest.Entry{Name: "l", Linkname: strings.Repeat("n", 300)})},
			is: ErrTooLarge, want: []string{"Options.MaxNameLength"}},
		{name: "metadata bomb", opts: Options{MaxMetadataSize: 4096}, layers: []imagetest.Layer{gz(imagetest.Entry{Name: "x", Xattrs: map[string]string{"user.big": strings.Repeat("x", 5000)}})},
			is: ErrTooLarge, want: []string{"Options.MaxMetadataSize"}},
		{name: "diff_id mismatch of an uncompressed layer", layers: []imagetest.Layer{{Entries: []imagetest.Entry{{Name: "a"}}, DiffID: "sha256:" + strings.Repeat("0", 64)}},
			is: ErrDigestMismatch, want: []string{"should be rootfs.diff_ids[0]"}},
		{name: "diff_ids count", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Layers = append(m.Layers, m.Layers[0]) })
			},
			want: []string{"lists 2 layers, its config's rootfs.diff_ids 1"}},
		{name: "bad layer digest", layers: []imagetest.Layer{gz(imagetest.Entry{Name: "a"})},
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { setDigest(&m.Layers[0].Digest, "sha256:../../../etc/passwd") })
			},
			want: []string{`malformed digest "sha256:../../../etc/passwd"`}},
		{name: "artifact", layers: nil,
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteManifest(t, l, func(m *imagespec.Manifest) { m.Config.MediaType = "application/vnd.example.sbom" })
			},
			is: ErrUnsupported, want: []string{`config media type "application/vnd.example.sbom": not a container image`}},
		{name: "unknown manifest type", layers: nil,
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteIndex(t, l, func(idx *imagespec.Index) { idx.Manifests[0].MediaType = "application/vnd.example+json" })
			},
			is: ErrUnsupported, want: []string{`unsupported media type "application/vnd.example+json"`}},
		{name: "schema 1", layers: nil,
			break_: func(t *testing.T, l *imagetest.Layout) {
				rewriteIndex(t, l, func(idx *imagespec.Index) {
					idx.Manifests[0].MediaType = "application/vnd.docker.distribution.manifest.v1+prettyjws"
				})
			},
			is: ErrUnsupported, want: []string{"Docker schema 1"}},
		{name: "oversized config", opts: Options{MaxDocumentSize: 700}, layers: nil,
			is: ErrTooLarge, want: []string{"Options.MaxDocumentSize"}},
		{name: "docker media types", docker: true, layers: []imagetest.Layer{gz(imagetest.Entry{Name: "ok"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "lay")
			img := imagetest.Image{Ref: "x", Layers: tt.layers, Docker: tt.docker}
			img.Config.Config.Env = []string{"PATH=/usr/bin", "PADDING=" + strings.Repeat("p", 1000)}
			lay := mustLayout(t, dir, img)
			if tt.break_ != nil {
				tt.break_(t, lay)
			}
			r := Paths(tt.opts, dir)
			if tt.want == nil {
				noErrors(t, r)
				if len(r.Subjects) != 1 {
					t.Errorf("subjects: %v", summarizeImages(r))
				}
				return
			}
			if len(r.Subjects) != 0 || len(r.Errors) != 1 {
				t.Fatalf("want one error, got subjects %v errors %v", summarizeImages(r), r.Errors)
			}
			e := r.Errors[0]
			if e.Source != dir || e.Document != 0 {
				t.Errorf("error source %q document %d", e.Source, e.Document)
			}
			if !strings.HasPrefix(e.Error(), dir+": document 0: image x: ") {
				t.Errorf("error %q does not name the image", e)
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Error(), w) {
					t.Errorf("error %q does not contain %q", e, w)
				}
			}
			if tt.is != nil && !errors.Is(e, tt.is) {
				t.Errorf("error %q is not %v", e, tt.is)
			}
		})
	}
}

// setDigest stores s in a digest-typed field.
func setDigest[T ~string](dst *T, s string) { *dst = T(s) }

func rewriteIndex(t *testing.T, l *imagetest.Layout, f func(*imagespec.Index)) {
	t.Helper()
	p := filepath.Join(l.Dir, "index.json")
	var idx imagespec.Index
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := unmarshalJSON(data, &idx); err != nil {
		t.Fatal(err)
	}
	f(&idx)
	writeJSONFile(t, p, idx)
}

// rewriteManifest rewrites the first image's manifest and points
// index.json at the new blob.
func rewriteManifest(t *testing.T, l *imagetest.Layout, f func(*imagespec.Manifest)) {
	t.Helper()
	var m imagespec.Manifest
	data, err := os.ReadFile(l.BlobPath(l.Images[0].Descriptor))
	if err != nil {
		t.Fatal(err)
	}
	if err := unmarshalJSON(data, &m); err != nil {
		t.Fatal(err)
	}
	f(&m)
	data = marshalJSON(t, m)
	d := l.Images[0].Descriptor
	setDigest(&d.Digest, imagetest.Digest(data))
	d.Size = int64(len(data))
	if err := os.WriteFile(l.BlobPath(d), data, 0o644); err != nil {
		t.Fatal(err)
	}
	rewriteIndex(t, l, func(idx *imagespec.Index) {
		idx.Manifests[0].Digest, idx.Manifests[0].Size = d.Digest, d.Size
	})
}

func TestLayoutErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"bad version", map[string]string{"oci-layout": `{"imageLayoutVersion":"2.0.0"}`, "index.json": `{}`}, `unsupported OCI image layout version "2.0.0"`},
		{"no version", map[string]string{"oci-layout": `{}`, "index.json": `{}`}, `unsupported OCI image layout version none`},
		{"bad oci-layout", map[string]string{"oci-layout": `{`}, "OCI image layout: oci-layout: unexpected end of JSON input"},
		{"no index", map[string]string{"oci-layout": `{"imageLayoutVersion":"1.0.0"}`}, "OCI image layout: open index.json: no such file or directory"},
		{"index not an index", map[string]string{"oci-layout": `{"imageLayoutVersion":"1.0.0"}`, "index.json": `[1]`}, "index.json: json: cannot unmarshal array"},
		{"deep index", map[string]string{"oci-layout": `{"imageLayoutVersion":"1.0.0"}`, "index.json": strings.Repeat("[", 200)}, "nested too deeply"},
		{"index media type", map[string]string{"oci-layout": `{"imageLayoutVersion":"1.0.0"}`, "index.json": `{"mediaType":"text/plain"}`}, `index.json: unsupported media type "text/plain"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r := Paths(Options{}, dir)
			if len(r.Errors) != 1 || len(r.Subjects) != 0 {
				t.Fatalf("errors %v subjects %v", r.Errors, summarizeImages(r))
			}
			if e := r.Errors[0]; e.Source != dir || e.Document != -1 || !strings.Contains(e.Error(), tt.want) {
				t.Errorf("error %q (document %d), want %q", e, e.Document, tt.want)
			}
		})
	}
	// An empty layout holds no image and is no error.
	dir := t.TempDir()
	mustLayout(t, dir)
	if r := Paths(Options{}, dir); len(r.Errors)+len(r.Subjects) != 0 {
		t.Errorf("empty layout: %v %v", r.Errors, summarizeImages(r))
	}
}

func TestDockerArchiveErrors(t *testing.T) {
	dir := t.TempDir()
	good := simpleImage("app:1", "u")
	bad := simpleImage("bad:1", "v")
	bad.Layers[0].DiffID = "sha256:" + strings.Repeat("1", 64)
	p := filepath.Join(dir, "d.tar")
	if _, err := imagetest.WriteDockerArchive(p, good, bad); err != nil {
		t.Fatal(err)
	}
	r := Paths(Options{}, p)
	if got := summarizeImages(r); len(got) != 1 || got[0].Name != p+":app:1" {
		t.Errorf("subjects %v", got)
	}
	if len(r.Errors) != 1 || r.Errors[0].Document != 1 || !errors.Is(r.Errors[0], ErrDigestMismatch) ||
		!strings.Contains(r.Errors[0].Error(), "image bad:1: layer 0 ") || !strings.Contains(r.Errors[0].Error(), "rootfs.diff_ids[0] says sha256:1111") {
		t.Errorf("errors %v", r.Errors)
	}

	// A tar that holds no image.
	plain := filepath.Join(dir, "plain.tar")
	if err := imagetest.TarDir(t.TempDir(), plain); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	os.WriteFile(filepath.Join(empty, "x"), []byte("x"), 0o644)
	imagetest.TarDir(empty, plain)
	r = Paths(Options{}, plain)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "not an image archive") {
		t.Errorf("plain tar: %v", r.Errors)
	}
	// A gzip-compressed archive.
	data, _ := os.ReadFile(p)
	gz := filepath.Join(dir, "d.tar.gz")
	os.WriteFile(gz, imagetest.Gzip(data), 0o644)
	r = Paths(Options{}, gz)
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), "gzip-compressed: decompress it first") {
		t.Errorf("gzip: %v", r.Errors)
	}
	// A truncated archive.
	trunc := filepath.Join(dir, "trunc.tar")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	r = Paths(Options{}, trunc)
	if len(r.Errors) == 0 || len(r.Subjects) != 0 {
		t.Errorf("truncated: %v %v", r.Errors, summarizeImages(r))
	}
	// Too many entries in the archive.
	r = Paths(Options{MaxEntries: 3}, p)
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrTooLarge) || r.Errors[0].Document != -1 {
		t.Errorf("entries: %v", r.Errors)
	}
}

// Docker (before 25) stores a layer shared by images once and links to it.
func TestDockerArchiveLinkedLayers(t *testing.T) {
	dir := t.TempDir()
	raw, err := imagetest.TarLayer([]imagetest.Entry{{Name: "bin/sh", Mode: 0o755, Content: "sh"}})
	if err != nil {
		t.Fatal(err)
	}
	diffID := imagetest.Digest(raw)
	config := fmt.Sprintf(`{"architecture":"amd64","os":"linux","config":{"User":"1"},"rootfs":{"type":"layers","diff_ids":[%q]}}`, diffID)
	manifest := `[{"Config":"cfg.json","RepoTags":["a:1"],"Layers":["l1/layer.tar"]},{"Config":"cfg.json","RepoTags":["b:1","b:latest"],"Layers":["l2/layer.tar"]}]`
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct {
		name, link string
		data       []byte
	}{
		{name: "l1/layer.tar", data: raw},
		{name: "l2/layer.tar", link: "../l1/layer.tar"},
		{name: "cfg.json", data: []byte(config)},
		{name: "manifest.json", data: []byte(manifest)},
	} {
		hdr := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg}
		if f.link != "" {
			hdr = &tar.Header{Name: f.name, Linkname: f.link, Typeflag: tar.TypeSymlink}
		}
		tw.WriteHeader(hdr)
		tw.Write(f.data)
	}
	tw.Close()
	r := Bytes(Options{}, "saved.tar", buf.Bytes())
	noErrors(t, r)
	want := []imgSummary{
		{Name: "saved.tar:a:1", Ref: "a:1", Source: "saved.tar", User: "1", Files: 1},
		{Name: "saved.tar:b:1", Ref: "b:1", Source: "saved.tar", Document: 1, User: "1", Files: 1},
	}
	if diff := cmp.Diff(want, summarizeImages(r)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := r.Subjects[0].ImageContents.Files[0]; got.Layer != diffID || got.Path != "/bin/sh" {
		t.Errorf("file %+v", got)
	}
	// A second tag selects the image too, and names it.
	path := filepath.Join(dir, "saved.tar")
	os.WriteFile(path, buf.Bytes(), 0o644)
	r = Paths(Options{}, path+":b:latest")
	noErrors(t, r)
	if got := summarizeImages(r); len(got) != 1 || got[0].Name != path+":b:latest" {
		t.Errorf("b:latest: %v", got)
	}
}

func TestWalkFindsImages(t *testing.T) {
	root := t.TempDir()
	mustLayout(t, filepath.Join(root, "images", "lay"), simpleImage("v1", "u"))
	if _, err := imagetest.WriteDockerArchive(filepath.Join(root, "images", "saved.tar"), simpleImage("d:1", "w")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "images", "notes.tar"), []byte("not a tar"), 0o644)
	r := Paths(Options{}, root)
	noErrors(t, r)
	var names []string
	for _, s := range r.Subjects {
		names = append(names, strings.TrimPrefix(s.Name, root))
	}
	if diff := cmp.Diff([]string{"/images/lay:v1", "/images/saved.tar:d:1"}, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(r.Skipped) != 1 || r.Skipped[0].Kind != "not a tar archive" {
		t.Errorf("skipped %+v", r.Skipped)
	}
}

func marshalJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeJSONFile(t *testing.T, p string, v any) {
	t.Helper()
	if err := os.WriteFile(p, marshalJSON(t, v), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestOCIArchiveCorrupt(t *testing.T) {
	dir := t.TempDir()
	img := simpleImage("v1", "u")
	lay := mustLayout(t, filepath.Join(dir, "lay"), img, simpleImage("v2", "w"))
	corrupt(t, lay.BlobPath(lay.Images[0].Layers[0]), func(b []byte) []byte { b[20] ^= 1; return b })
	archive := filepath.Join(dir, "oci.tar")
	if err := imagetest.TarDir(lay.Dir, archive); err != nil {
		t.Fatal(err)
	}
	r := Paths(Options{}, archive)
	if got := summarizeImages(r); len(got) != 1 || got[0].Name != archive+":v2" {
		t.Errorf("subjects %v", got)
	}
	want := fmt.Sprintf("%s: document 0: image v1: layer 0 %s: ", archive, lay.Images[0].Layers[0].Digest)
	if len(r.Errors) != 1 || !strings.HasPrefix(r.Errors[0].Error(), want) || !errors.Is(r.Errors[0], ErrDigestMismatch) {
		t.Errorf("errors %v, want prefix %q", r.Errors, want)
	}
}

func TestDockerConfigExtensions(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lay")
	img := simpleImage("v1", "u")
	img.Docker = true
	lay := mustLayout(t, dir, img)
	config := []byte(`{"architecture":"amd64","os":"linux","config":{"User":"u","Healthcheck":{"Test":["CMD","true"],"Retries":3}},"rootfs":{"type":"layers","diff_ids":["` + lay.Images[0].DiffIDs[0] + `"]}}`)
	rewriteManifest(t, lay, func(m *imagespec.Manifest) {
		setDigest(&m.Config.Digest, imagetest.Digest(config))
		m.Config.Size = int64(len(config))
		if err := os.WriteFile(lay.BlobPath(m.Config), config, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	r := Paths(Options{}, dir)
	noErrors(t, r)
	s := r.Subjects[0]
	if s.ImageConfigMediaType != "application/vnd.docker.container.image.v1+json" || s.ImageHealthcheck == nil || s.ImageHealthcheck.Retries != 3 || s.Image.Config.User != "u" {
		t.Errorf("media type %q healthcheck %+v", s.ImageConfigMediaType, s.ImageHealthcheck)
	}
}

// A layout is read through its directory only: a symbolic link may lead
// to another file of the layout, never out of it.
func TestLayoutSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte(`{"imageLayoutVersion":"1.0.0"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	symlink := func(t *testing.T, target, link string) {
		t.Helper()
		if err := os.RemoveAll(link); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		break_ func(t *testing.T, l *imagetest.Layout)
		want   string // the error contains it; "" for none
	}{
		{"config blob outside", func(t *testing.T, l *imagetest.Layout) {
			symlink(t, secret, l.BlobPath(l.Images[0].Config))
		}, "config sha256:"},
		{"relative layer blob outside", func(t *testing.T, l *imagetest.Layout) {
			symlink(t, "../../../"+filepath.Base(outside)+"/secret", l.BlobPath(l.Images[0].Layers[0]))
		}, "layer 0 sha256:"},
		{"blobs/sha256 outside", func(t *testing.T, l *imagetest.Layout) {
			if err := os.Rename(filepath.Join(l.Dir, "blobs", "sha256"), filepath.Join(outside, "sha256")); err != nil {
				t.Fatal(err)
			}
			symlink(t, filepath.Join(outside, "sha256"), filepath.Join(l.Dir, "blobs", "sha256"))
		}, "manifest sha256:"},
		{"index.json outside", func(t *testing.T, l *imagetest.Layout) {
			symlink(t, secret, filepath.Join(l.Dir, "index.json"))
		}, "OCI image layout: open index.json: "},
		{"oci-layout outside", func(t *testing.T, l *imagetest.Layout) {
			symlink(t, secret, filepath.Join(l.Dir, "oci-layout"))
		}, "OCI image layout: open oci-layout: "},
		// Links inside the layout are followed.
		{"blob linked inside", func(t *testing.T, l *imagetest.Layout) {
			p := l.BlobPath(l.Images[0].Layers[0])
			if err := os.Rename(p, filepath.Join(l.Dir, "shared")); err != nil {
				t.Fatal(err)
			}
			symlink(t, "../../shared", p)
		}, ""},
		{"blob is a FIFO", func(t *testing.T, l *imagetest.Layout) {
			p := l.BlobPath(l.Images[0].Layers[0])
			os.Remove(p)
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip(err)
			}
		}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "lay")
			lay := mustLayout(t, dir, simpleImage("x", "u"))
			tt.break_(t, lay)
			r := Paths(Options{}, dir)
			if tt.want == "" {
				noErrors(t, r)
				if len(r.Subjects) != 1 {
					t.Errorf("subjects %v", summarizeImages(r))
				}
				return
			}
			if len(r.Subjects) != 0 || len(r.Errors) != 1 {
				t.Fatalf("subjects %v errors %v", summarizeImages(r), r.Errors)
			}
			if msg := r.Errors[0].Error(); !strings.Contains(msg, tt.want) || (tt.name != "blob is a FIFO" && !strings.Contains(msg, "path escapes from parent")) {
				t.Errorf("error %q, want %q and the path escaping", msg, tt.want)
			}
		})
	}
}

// Whiteouts hide lower layers only, whatever the order of entries in their
// own layer: a directory whited out but holding entries of the whiteout's
// layer is a directory they imply, not the lower layer's.
func TestWhiteoutSameLayer(t *testing.T) {
	lower := imagetest.Layer{Entries: []imagetest.Entry{
		{Name: "a/", Mode: 0o777, UID: 5},
		{Name: "a/x", Content: "x"},
		{Name: "a/sub/", Mode: 0o777},
		{Name: "a/sub/y", Content: "y"},
		{Name: "d/", Mode: 0o777},
		{Name: "d/e/", Mode: 0o777},
		{Name: "d/e/old", Content: "o"},
	}}
	upper := []imagetest.Entry{
		{Name: "a/sub/new", Content: "n"},
		{Name: ".wh.a"},
		{Name: "d/e/new", Content: "n"},
		{Name: "d/.wh..wh..opq"},
		{Name: "d/.wh..wh..opq"},
		{Name: "d/.wh.e"},
	}
	want := []string{
		"/a/sub/new -rw-r--r-- 0:0 1 @1",
		"/d drwxrwxrwx 0:0 0 @0",
		"/d/e/new -rw-r--r-- 0:0 1 @1",
	}
	for _, order := range []string{"forward", "reverse"} {
		t.Run(order, func(t *testing.T) {
			entries := slices.Clone(upper)
			if order == "reverse" {
				slices.Reverse(entries)
			}
			dir := filepath.Join(t.TempDir(), "lay")
			mustLayout(t, dir, imagetest.Image{Layers: []imagetest.Layer{lower, {Entries: entries}}})
			r := Paths(Options{}, dir)
			noErrors(t, r)
			if len(r.Subjects) != 1 {
				t.Fatalf("subjects %v", summarizeImages(r))
			}
			if diff := cmp.Diff(want, fileLines(r.Subjects[0].ImageContents)); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}
		})
	}
}

// An image archive is read within itself: its symbolic links, its
// manifest.json's layer paths and its config path cannot leave it, and a
// later entry of the same name replaces an earlier one.
func TestArchiveEscapes(t *testing.T) {
	raw, err := imagetest.TarLayer([]imagetest.Entry{{Name: "bin/sh", Content: "sh"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := imagetest.TarLayer([]imagetest.Entry{{Name: "bin/sh", Mode: 0o4755, Content: "sh"}})
	if err != nil {
		t.Fatal(err)
	}
	diffID := imagetest.Digest(raw)
	config := fmt.Sprintf(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[%q]}}`, diffID)
	type file struct{ name, link, data string }
	archive := func(files ...file) []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for _, f := range files {
			hdr := &tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg}
			if f.link != "" {
				hdr = &tar.Header{Name: f.name, Linkname: f.link, Typeflag: tar.TypeSymlink}
			}
			if err := tw.WriteHeader(hdr); err != nil {
				t.Fatal(err)
			}
			tw.Write([]byte(f.data))
		}
		tw.Close()
		return buf.Bytes()
	}
	manifest := func(cfg, layer string) file {
		return file{name: "manifest.json", data: fmt.Sprintf(`[{"Config":%q,"RepoTags":["a:1"],"Layers":[%q]}]`, cfg, layer)}
	}
	tests := []struct {
		name  string
		files []file
		want  string
	}{
		{"dotdot layer", []file{{name: "cfg.json", data: config}, manifest("cfg.json", "../l/layer.tar")}, `layer 0 ../l/layer.tar (` + diffID + `): not a file of the archive`},
		{"absolute layer", []file{{name: "cfg.json", data: config}, manifest("cfg.json", "/etc/passwd")}, "open etc/passwd: file does not exist"},
		{"dotdot config", []file{manifest("../../cfg.json", "l/layer.tar")}, `config "../../cfg.json": not a file of the archive`},
		{"layer linked out", []file{{name: "cfg.json", data: config}, {name: "l/layer.tar", link: "../../../etc/passwd"}, manifest("cfg.json", "l/layer.tar")}, "open l/layer.tar: file does not exist"},
		{"layer linked absolutely", []file{{name: "cfg.json", data: config}, {name: "l/layer.tar", link: "/etc/passwd"}, manifest("cfg.json", "l/layer.tar")}, "open etc/passwd: file does not exist"},
		{"link loop", []file{{name: "cfg.json", data: config}, {name: "a", link: "b"}, {name: "b", link: "a"}, manifest("cfg.json", "a")}, "too many links"},
		{"duplicate layer", []file{{name: "cfg.json", data: config}, {name: "l/layer.tar", data: string(raw)}, {name: "l/layer.tar", data: string(other)}, manifest("cfg.json", "l/layer.tar")}, "digest mismatch"},
		{"duplicate layer, good last", []file{{name: "cfg.json", data: config}, {name: "l/layer.tar", data: string(other)}, {name: "l/layer.tar", data: string(raw)}, manifest("cfg.json", "l/layer.tar")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Bytes(Options{}, "a.tar", archive(tt.files...))
			if tt.want == "" {
				noErrors(t, r)
				if len(r.Subjects) != 1 {
					t.Errorf("subjects %v", summarizeImages(r))
				}
				return
			}
			if len(r.Subjects) != 0 || len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), tt.want) {
				t.Errorf("subjects %v errors %v, want %q", summarizeImages(r), r.Errors, tt.want)
			}
		})
	}
}

// One layer named many times costs its size each time: the source's total
// budget stops it.
func TestMaxTotalLayerSize(t *testing.T) {
	layer := imagetest.Layer{Entries: []imagetest.Entry{{Name: "big", Content: strings.Repeat("x", 64<<10)}}}
	img := imagetest.Image{Ref: "r", Layers: []imagetest.Layer{layer, layer, layer, layer}}
	dir := t.TempDir()
	if _, err := imagetest.WriteLayout(dir, img); err != nil {
		t.Fatal(err)
	}
	r := Paths(Options{MaxTotalLayerSize: 3 * 64 << 10}, dir)
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], ErrTooLarge) || !strings.Contains(r.Errors[0].Error(), "MaxTotalLayerSize") {
		t.Fatalf("errors %v, want one naming MaxTotalLayerSize", r.Errors)
	}
	if r := Paths(Options{}, dir); len(r.Errors) != 0 || len(r.Subjects) != 1 {
		t.Fatalf("default budget: %v", r.Errors)
	}
}

// A layer reads the same whatever its compression: gzip, zstd (OCI and
// Docker media types) or none, told apart by its first bytes, in any mix
// of layers, whiteouts across them included.
func TestLayerCompressions(t *testing.T) {
	entries := [][]imagetest.Entry{
		{{Name: "etc/"}, {Name: "etc/passwd", Content: "root:x:0:0"}, {Name: "usr/bin/su", Mode: 0o4755, Content: "ELF"},
			{Name: "big", Content: strings.Repeat("0123456789abcdef", 40000)}},
		{{Name: "usr/bin/.wh.su"}, {Name: "tmp/", Mode: 0o1777}, {Name: "bin/sh", Linkname: "busybox"}},
		{{Name: "etc/passwd", Content: "root:x:0:0\napp:x:1000:1000"}},
	}
	image := func(gzip, zstd bool, docker bool) imagetest.Image {
		img := imagetest.Image{Ref: "x", Docker: docker}
		for _, e := range entries {
			img.Layers = append(img.Layers, imagetest.Layer{Gzip: gzip, Zstd: zstd, Entries: e})
		}
		return img
	}
	mixed := image(false, false, false)
	mixed.Layers[0].Zstd, mixed.Layers[1].Gzip = true, true
	load := func(img imagetest.Image) []string {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "lay")
		mustLayout(t, dir, img)
		r := Paths(Options{}, dir)
		noErrors(t, r)
		if len(r.Subjects) != 1 {
			t.Fatalf("subjects %v", summarizeImages(r))
		}
		var out []string
		for _, f := range r.Subjects[0].ImageContents.Files {
			out = append(out, fileLine(f)[:strings.LastIndex(fileLine(f), " @")])
		}
		return out
	}
	want := load(image(false, false, false))
	if len(want) != 5 {
		t.Fatalf("uncompressed: %q", want)
	}
	for name, img := range map[string]imagetest.Image{
		"gzip": image(true, false, false), "zstd": image(false, true, false),
		"docker zstd": image(false, true, true), "mixed": mixed,
	} {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(want, load(img)); diff != "" {
				t.Errorf("(-uncompressed +%s):\n%s", name, diff)
			}
		})
	}
}
