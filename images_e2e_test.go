package bulwark_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// plantedImage carries one instance of each problem the image checks look
// for (see imagetest.Planted).
func plantedImage(docker bool) imagetest.Image { return imagetest.Planted(docker) }

// cleanImage is distroless-like: a numeric non-root user, no shell, no
// package manager, nothing writable by others.
func cleanImage() imagetest.Image {
	return imagetest.Image{
		Ref: "shop/api:1.4",
		Config: imagespec.Image{
			Config:  imagespec.ImageConfig{User: "10001:10001", Entrypoint: []string{"/app"}, Env: []string{"PATH=/usr/bin"}},
			History: []imagespec.History{{CreatedBy: "COPY app /app # buildkit"}},
		},
		Layers: []imagetest.Layer{{Gzip: true, Entries: []imagetest.Entry{
			{Name: "app", Mode: 0o755, Content: "ELF"},
			{Name: "etc/"},
			{Name: "etc/passwd", Content: "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:10001:10001::/home/nonroot:/sbin/nologin\n"},
			{Name: "tmp/", Mode: 0o1777},
		}}},
	}
}

type imageFinding struct{ Check, Path string }

func auditImage(t *testing.T, path string) (*hardening.Result, []imageFinding) {
	t.Helper()
	r := bulwark.AuditPaths(bulwark.Checks().Select(hardening.Selection{Kinds: hardening.KindImage}), load.Options{}, path)
	if len(r.Errors) > 0 || len(r.Subjects) != 1 {
		t.Fatalf("%s: %d subjects, errors %v", path, len(r.Subjects), r.Errors)
	}
	var got []imageFinding
	for _, f := range r.Findings {
		got = append(got, imageFinding{f.Check, f.Path})
	}
	return r, got
}

// Every planted problem is found at its path, in an OCI layout and in a
// docker-archive, and the secret a later layer deleted is not.
func TestPlantedImageProblems(t *testing.T) {
	dir := t.TempDir()
	layout := filepath.Join(dir, "layout")
	if _, err := imagetest.WriteLayout(layout, plantedImage(false)); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "image.tar")
	if _, err := imagetest.WriteDockerArchive(archive, plantedImage(true)); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{layout, archive} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			want := plantedWant
			if path == archive {
				want = append(slices.Clone(want), plantedWantDocker...)
			}
			r, got := auditImage(t, path)
			for _, w := range want {
				if !slices.Contains(got, w) {
					t.Errorf("planted %s at %s not found", w.Check, w.Path)
				}
			}
			for _, f := range r.Findings {
				if strings.Contains(f.Path, ".aws/credentials") {
					t.Errorf("a file deleted by a later layer is reported: %s", f)
				}
				if strings.HasPrefix(f.Path, "/") && !strings.Contains(f.Message, "sha256:") {
					t.Errorf("%s %s: the message does not name the layer digest: %s", f.Check, f.Path, f.Message)
				}
			}
			if t.Failed() {
				for _, f := range r.Findings {
					t.Logf("got %s", f)
				}
			}
		})
	}
}

// plantedWant are the findings the planted image must give wherever it is
// stored; plantedWantDocker those only its Docker form gives (a Docker
// config without HEALTHCHECK; an OCI config's is unknown).
var (
	plantedWant = []imageFinding{
		{"capabilities.runs-as-root", "config.User"},
		{"images.secret-in-env", "config.Env[1]"},
		{"images.sensitive-port", "config.ExposedPorts[22/tcp]"},
		{"images.remote-add", "history[1].created_by"},
		{"images.curl-pipe-shell", "history[2].created_by"},
		{"images.extra-root-user", "/etc/passwd"},
		{"images.shadow-empty-password", "/etc/shadow"},
		{"images.private-key", "/root/.ssh/id_rsa"},
		{"images.setuid-file", "/usr/local/bin/helper"},
		{"images.file-capabilities", "/usr/local/bin/netd"},
		{"images.world-writable", "/tmp"},
		{"images.device-node", "/opt/disk"},
		{"images.shell-present", "/bin/sh"},
		{"images.package-manager-present", "/usr/bin/dpkg"},
		{"images.package-cache", "/var/cache/apt/archives"},
		{"images.credential-file", "/root/.docker/config.json"},
		{"images.link-escape", "/opt/api-link"},
	}
	plantedWantDocker = []imageFinding{{"images.healthcheck-missing", "config.Healthcheck"}}
)

// A clean image gives nothing above info.
func TestCleanImage(t *testing.T) {
	layout := filepath.Join(t.TempDir(), "layout")
	if _, err := imagetest.WriteLayout(layout, cleanImage()); err != nil {
		t.Fatal(err)
	}
	r, _ := auditImage(t, layout)
	for _, f := range r.Findings {
		if f.Severity > hardening.SeverityInfo {
			t.Errorf("clean image: %s", f)
		}
	}
}
