package imagetest

import (
	"archive/tar"
	"strings"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Planted is an image named "shop/api:1.4" that carries one instance of
// each problem bulwark's image checks look for, in a real layer stack: a
// later layer deletes one secret (which must then not be reported). With
// docker it has Docker's media types. The tests of the image checks, of
// archives and of registries audit it wherever it is stored.
func Planted(docker bool) Image {
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n"
	// vfs_cap_data revision 2 with CAP_SYS_ADMIN (bit 21) permitted.
	sysAdminCap := "\x00\x00\x00\x02\x00\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	return Image{
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
		Layers: []Layer{
			{Gzip: true, Entries: []Entry{
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
			{Gzip: false, Entries: []Entry{
				{Name: "root/.aws/.wh.credentials"},
			}},
		},
	}
}
