package load

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// tool returns the path of a command, skipping the test without it.
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed (apt-get install umoci skopeo)", name)
	}
	return p
}

func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestRealTools loads a layout umoci builds — a setuid file, a sticky
// directory, then a layer whose whiteout deletes the setuid file — and the
// docker-archive, OCI archive and zstd-compressed layout skopeo converts
// it to: all four must give the same image.
func TestRealTools(t *testing.T) {
	umoci, skopeo := tool(t, "umoci"), tool(t, "skopeo")
	dir := t.TempDir()
	run(t, dir, umoci, "init", "--layout", "lay")
	run(t, dir, umoci, "new", "--image", "lay:base")
	run(t, dir, umoci, "unpack", "--rootless", "--image", "lay:base", "b1")
	rootfs := filepath.Join(dir, "b1", "rootfs")
	for _, d := range []string{"bin", "etc", "tmp"} {
		if err := os.MkdirAll(filepath.Join(rootfs, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(root, name, content string, mode os.FileMode) {
		p := filepath.Join(root, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	write(rootfs, "bin/su-suid", "ELF", 0o755|os.ModeSetuid)
	write(rootfs, "bin/busybox", "ELF", 0o755)
	write(rootfs, "etc/passwd", "root:x:0:0::/root:/bin/sh\n", 0o644)
	if err := os.Symlink("busybox", filepath.Join(rootfs, "bin", "sh")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(rootfs, "tmp"), 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	run(t, dir, umoci, "repack", "--image", "lay:base", "b1")
	run(t, dir, umoci, "config", "--image", "lay:base", "--tag", "hardened", "--config.user=1000:1000")
	run(t, dir, umoci, "unpack", "--rootless", "--image", "lay:hardened", "b2")
	if err := os.Remove(filepath.Join(dir, "b2", "rootfs", "bin", "su-suid")); err != nil {
		t.Fatal(err)
	}
	run(t, dir, umoci, "repack", "--image", "lay:hardened", "b2")
	run(t, dir, skopeo, "copy", "oci:lay:hardened", "docker-archive:"+filepath.Join(dir, "docker.tar")+":example/hardened:1")
	run(t, dir, skopeo, "copy", "oci:lay:hardened", "oci-archive:"+filepath.Join(dir, "oci.tar")+":hardened")
	// skopeo recompresses every layer with zstd when copying to a new layout.
	run(t, dir, skopeo, "copy", "--dest-compress", "--dest-compress-format", "zstd", "oci:lay:hardened", "oci:zstd:hardened")
	if out := run(t, dir, skopeo, "inspect", "--raw", "oci:zstd:hardened"); strings.Count(out, "tar+zstd") != 2 {
		t.Fatalf("skopeo did not write zstd layers: %s", out)
	}

	files := func(p string) []string {
		t.Helper()
		r := Paths(Options{}, p)
		noErrors(t, r)
		if len(r.Subjects) != 1 {
			t.Fatalf("%s: subjects %v", p, summarizeImages(r))
		}
		s := r.Subjects[0]
		if s.Image.Config.User != "1000:1000" {
			t.Errorf("%s: user %q", p, s.Image.Config.User)
		}
		var out []string
		for _, f := range s.ImageContents.Files {
			out = append(out, strings.TrimSuffix(fileLine(f), " @"+string(rune('0'+f.LayerIndex))))
		}
		return out
	}
	want := files(filepath.Join(dir, "lay") + ":hardened")
	for _, w := range []string{"/bin/busybox -rwxr-xr-x", "/bin/sh Lrwxrwxrwx", "/tmp dtrwxrwxrwx"} {
		found := false
		for _, f := range want {
			found = found || strings.HasPrefix(f, w)
		}
		if !found {
			t.Errorf("no %q in %q", w, want)
		}
	}
	for _, f := range want {
		if strings.Contains(f, "su-suid") {
			t.Errorf("whiteout not applied: %s", f)
		}
	}
	for _, p := range []string{filepath.Join(dir, "docker.tar"), filepath.Join(dir, "oci.tar"), filepath.Join(dir, "zstd") + ":hardened"} {
		if diff := cmp.Diff(want, files(p)); diff != "" {
			t.Errorf("%s differs from the layout (-layout +archive):\n%s", p, diff)
		}
	}
	// The base image, before the whiteout, still has the setuid file.
	r := Paths(Options{}, filepath.Join(dir, "lay")+":base")
	noErrors(t, r)
	found := false
	for _, f := range r.Subjects[0].ImageContents.Files {
		found = found || f.Path == "/bin/su-suid" && f.Mode&os.ModeSetuid != 0
	}
	if !found {
		t.Errorf("base: no setuid /bin/su-suid")
	}
}

// TestImagetestAgainstTools checks that the layouts imagetest writes are
// what umoci and skopeo read, so the builder cannot drift from real tools.
func TestImagetestAgainstTools(t *testing.T) {
	umoci, skopeo := tool(t, "umoci"), tool(t, "skopeo")
	dir := t.TempDir()
	img := simpleImage("v1", "alice")
	img.Layers = append(img.Layers, imagetest.Layer{Entries: []imagetest.Entry{{Name: "etc/.wh.alice"}, {Name: "bin/su", Mode: 0o4755, Content: "x"}}})
	lay := filepath.Join(dir, "lay")
	mustLayout(t, lay, img)
	if out := run(t, dir, umoci, "stat", "--image", "lay:v1"); !strings.Contains(out, "LAYER") {
		t.Errorf("umoci stat: %s", out)
	}
	if out := run(t, dir, skopeo, "inspect", "--config", "oci:lay:v1"); !strings.Contains(out, `"User": "alice"`) {
		t.Errorf("skopeo inspect: %s", out)
	}
	run(t, dir, skopeo, "copy", "oci:lay:v1", "docker-archive:"+filepath.Join(dir, "d.tar")+":x:1")
	ours, theirs := Paths(Options{}, lay), Paths(Options{}, filepath.Join(dir, "d.tar"))
	noErrors(t, ours)
	noErrors(t, theirs)
	if len(ours.Subjects) != 1 || len(theirs.Subjects) != 1 {
		t.Fatalf("subjects %v %v", summarizeImages(ours), summarizeImages(theirs))
	}
	if diff := cmp.Diff(paths(ours.Subjects[0].ImageContents), paths(theirs.Subjects[0].ImageContents)); diff != "" {
		t.Errorf("(-layout +skopeo docker-archive):\n%s", diff)
	}
}
