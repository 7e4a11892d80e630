package bulwark_test

import (
	"archive/tar"
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
// for, in a real layer stack: a later layer deletes one secret (which must
// then not be reported) and another replaces /etc/shadow.
func plantedImage(docker bool) imagetest.Image {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"
	// vfs_cap_data revision 2 with CAP_SYS_ADMIN (bit 21) permitted.
	sysAdminCap := "\x00\x00\x00\x02\x00\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	return imagetest.Image{
		Ref:    "shop/api:1.4",
		Docker: docker,
		Config: imagespec.Image{
			Config: imagespec.ImageConfig{
				Env:          []string{"PATH=/usr/bin:/bin", "DB_PASSWORD=Sup3rS3cretValue"},
				ExposedPorts: map[string]struct{}{"22/tcp": {}, "8080/tcp": {}},
				Entrypoint:   []string{"/usr/bin/api"},
			},
			History: []imagespec.History{
				{CreatedBy: "/bin/sh -c #(nop) ADD file:0a1b2c in / "},
				{CreatedBy: "/bin/sh -c #(nop) ADD https://downloads.example.com/api.tgz /opt/ "},
				{CreatedBy: "/bin/sh -c curl -fsSL https://get.example.com/install.sh | sh"},
				{CreatedBy: "/bin/sh -c rm /root/.aws/credentials"},
			},
		},
		Layers: []imagetest.Layer{
			{Gzip: true, Entries: []imagetest.Entry{
				{Name: "bin/"},
				{Name: "bin/sh", Mode: 0o755, Content: "ELF"},
				{Name: "etc/"},
				{Name: "etc/passwd", Content: "root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0::/root:/bin/sh\napp:x:10001:10001::/app:/sbin/nologin\n"},
				{Name: "etc/shadow", Mode: 0o640, Content: "root:*:19000:0:99999:7:::\ntoor::19000:0:99999:7:::\n"},
				{Name: "opt/"},
				{Name: "opt/disk", Type: tar.TypeBlock, Devmajor: 8, Devminor: 0},
				{Name: "root/"},
				{Name: "root/.ssh/"},
				{Name: "root/.ssh/id_rsa", Mode: 0o600, Content: key},
				{Name: "root/.aws/"},
				{Name: "root/.aws/credentials", Content: "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = abc\n"},
				{Name: "tmp/", Mode: 0o777},
				{Name: "usr/"},
				{Name: "usr/bin/"},
				{Name: "usr/bin/api", Mode: 0o755, Content: "ELF"},
				{Name: "usr/local/"},
				{Name: "usr/local/bin/"},
				{Name: "usr/local/bin/helper", Mode: 0o4755, Content: "ELF"},
				{Name: "usr/local/bin/netd", Mode: 0o755, Content: "ELF", Xattrs: map[string]string{"security.capability": sysAdminCap}},
				{Name: "usr/bin/dpkg", Mode: 0o755, Content: "ELF"},
				{Name: "var/"},
				{Name: "var/cache/"},
				{Name: "var/cache/apt/"},
				{Name: "var/cache/apt/archives/"},
				{Name: "var/cache/apt/archives/curl_8.5.0_amd64.deb", Content: strings.Repeat("deb", 3000)},
				{Name: "root/.docker/"},
				{Name: "root/.docker/config.json", Content: `{"auths":{"registry.example":{"auth":"dXNlcjpwYXNzd29yZA=="}}}`},
				{Name: "opt/api-link", Type: tar.TypeLink, Linkname: "../../etc/shadow"},
			}},
			{Gzip: false, Entries: []imagetest.Entry{
				{Name: "root/.aws/.wh.credentials"},
			}},
		},
	}
}

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
