package images_test

import (
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

const (
	base  = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	app   = "sha256:2222222222222222222222222222222222222222222222222222222222222222"
	info  = hardening.SeverityInfo
	crit  = hardening.SeverityCritical
	dir   = fs.ModeDir
	link  = fs.ModeSymlink
	suid  = fs.ModeSetuid
	sgid  = fs.ModeSetgid
	stick = fs.ModeSticky
)

// f builds a file of the base layer.
func f(path string, mode fs.FileMode, content string) hardening.ImageFile {
	file := hardening.ImageFile{Path: path, Layer: base, LayerIndex: 0, Mode: mode, Size: int64(len(content))}
	if content != "" {
		file.Content = []byte(content)
	}
	return file
}

func symlink(path, target string) hardening.ImageFile {
	return hardening.ImageFile{Path: path, Layer: base, Mode: link | 0o777, Linkname: target}
}

// capXattr is a revision 2 vfs_cap_data: permitted low word perm, effective.
func capXattr(perm uint32) map[string]string {
	b := []byte{1, 0, 0, 2, byte(perm), byte(perm >> 8), byte(perm >> 16), byte(perm >> 24), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	return map[string]string{"security.capability": string(b)}
}

const (
	passwd = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\napp:x:10001:10001::/home/app:/usr/sbin/nologin\n"
	shadow = "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\napp:!:19000::::::\nlocked:!!:19000::::::\n"
	cert   = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"
	rsaKey = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"
	sshKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"
	sshEnc = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABD\n-----END OPENSSH PRIVATE KEY-----\n"
)

// debianLike is a stock distribution image: it has findings, all info.
func debianLike() *hardening.ImageContents {
	ping := f("/usr/bin/ping", 0o755, "")
	ping.Size = 90000
	ping.Xattrs = capXattr(1 << 13) // cap_net_raw=ep
	hard := f("/usr/bin/perl5.36", 0o755, "")
	hard.Hardlink, hard.Linkname = true, "usr/bin/perl"
	testKey := f("/usr/share/doc/python3/tests/keycert.pem", 0o644, rsaKey)
	c := &hardening.ImageContents{Layers: []string{base}, Files: []hardening.ImageFile{
		symlink("/bin", "usr/bin"),
		f("/etc/passwd", 0o644, passwd),
		f("/etc/shadow", 0o640, shadow),
		f("/etc/ssl/certs/ca.pem", 0o644, cert),
		f("/etc/ssl/certs/ca-certificates.crt", 0o644, cert),
		f("/tmp", dir|stick|0o777, ""),
		f("/usr/bin/apt-get", 0o755, "ELF"),
		f("/usr/bin/bash", 0o755, "ELF"),
		f("/usr/bin/dash", 0o755, "ELF"),
		f("/usr/bin/dpkg", 0o755, "ELF"),
		f("/usr/bin/passwd", suid|0o755, "ELF"),
		f("/usr/bin/perl", 0o755, "ELF"),
		hard,
		ping,
		symlink("/usr/bin/sh", "dash"),
		f("/usr/bin/su", suid|0o755, "ELF"),
		f("/usr/bin/wall", sgid|0o755, "ELF"),
		symlink("/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.3"),
		symlink("/usr/lib/x86_64-linux-gnu/perl/5.36", "../../../share/perl/5.36"),
		testKey,
		f("/var/lib/apt/lists/lock", 0o640, ""),
	}}
	sortFiles(c)
	return c
}

// distroless has no shell, package manager or setuid file: it passes.
func distroless() *hardening.ImageContents {
	c := &hardening.ImageContents{Layers: []string{base, app}, Files: []hardening.ImageFile{
		f("/etc/passwd", 0o644, "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"),
		f("/etc/ssl/certs/ca-certificates.crt", 0o644, cert),
		f("/home/nonroot", dir|0o700, ""),
		f("/tmp", dir|stick|0o777, ""),
		symlink("/usr/lib/os-release", "../../etc/os-release"),
		f("/etc/os-release", 0o644, "ID=distroless\n"),
	}}
	server := f("/app/server", 0o755, "")
	server.Layer, server.LayerIndex, server.Size = app, 1, 10<<20
	c.Files = append(c.Files, server)
	sortFiles(c)
	return c
}

func sortFiles(c *hardening.ImageContents) {
	slices.SortFunc(c.Files, func(a, b hardening.ImageFile) int { return strings.Compare(a.Path, b.Path) })
}

// plant adds or replaces files, written by the app layer.
func plant(c *hardening.ImageContents, files ...hardening.ImageFile) {
	for _, nf := range files {
		nf.Layer, nf.LayerIndex = app, 1
		c.Files = slices.DeleteFunc(c.Files, func(x hardening.ImageFile) bool { return x.Path == nf.Path })
		c.Files = append(c.Files, nf)
	}
	sortFiles(c)
}

func contentSubject(c *hardening.ImageContents) *hardening.Subject {
	s := hardening.NewImageSubject("image", &imagespec.Image{Config: imagespec.ImageConfig{User: "10001"}})
	s.ImageContents = c
	return s
}

func above(fs []hardening.Finding, min hardening.Severity) []hardening.Finding {
	var out []hardening.Finding
	for _, x := range fs {
		if x.Severity >= min {
			out = append(out, x)
		}
	}
	return out
}

func TestCleanImagesHaveNothingAboveInfo(t *testing.T) {
	for name, c := range map[string]*hardening.ImageContents{"debian-like": debianLike(), "distroless": distroless()} {
		t.Run(name, func(t *testing.T) {
			got := checktest.Each(images.Checks(), contentSubject(c))
			if bad := above(got, hardening.SeverityLow); len(bad) > 0 {
				t.Errorf("findings above info:\n%v", bad)
			}
			if name == "distroless" && len(got) > 0 {
				t.Errorf("distroless has findings: %v", got)
			}
		})
	}
	// The stock image's info findings, which document its attack surface.
	all := summarize(checktest.Each(images.Checks(), contentSubject(debianLike())))
	want := []got{
		{"images.file-capabilities", info, "", "/usr/bin/ping"},
		{"images.package-manager-present", info, "", "/usr/bin/apt-get"},
		{"images.package-manager-present", info, "", "/usr/bin/dpkg"},
		{"images.private-key", info, "", "/usr/share/doc/python3/tests/keycert.pem"},
		{"images.setuid-file", info, "", "/usr/bin/passwd"},
		{"images.setuid-file", info, "", "/usr/bin/su"},
		{"images.setuid-file", info, "", "/usr/bin/wall"},
		{"images.shell-present", info, "", "/usr/bin/bash"},
		{"images.shell-present", info, "", "/usr/bin/dash"},
		{"images.shell-present", info, "", "/usr/bin/sh"},
	}
	if diff := cmp.Diff(want, all); diff != "" {
		t.Errorf("debian-like findings (-want +got):\n%s", diff)
	}
}

func TestPlantedContent(t *testing.T) {
	withCaps := func(path string, perm uint32) hardening.ImageFile {
		x := f(path, 0o755, "")
		x.Size, x.Xattrs = 1000, capXattr(perm)
		return x
	}
	hardlink := func(path, target string) hardening.ImageFile {
		x := f(path, 0o644, "")
		x.Hardlink, x.Linkname = true, target
		return x
	}
	device := func(path string, mode fs.FileMode) hardening.ImageFile {
		x := f(path, mode|0o660, "")
		x.Devmajor, x.Devminor = 8, 0
		return x
	}
	sized := func(path string, size int64) hardening.ImageFile {
		x := f(path, 0o644, "")
		x.Size = size
		return x
	}
	tests := []struct {
		name  string
		files []hardening.ImageFile
		want  []got
	}{
		{"setuid outside the distro set", []hardening.ImageFile{f("/usr/local/bin/helper", suid|0o755, "ELF")},
			[]got{{"images.setuid-file", medium, "", "/usr/local/bin/helper"}}},
		{"setuid sudo", []hardening.ImageFile{f("/usr/bin/sudo", suid|0o755, "ELF")},
			[]got{{"images.setuid-file", medium, "", "/usr/bin/sudo"}}},
		{"world-writable file", []hardening.ImageFile{f("/app/config.yaml", 0o666, "a: b")},
			[]got{{"images.world-writable", medium, "", "/app/config.yaml"}}},
		{"world-writable dir without sticky bit", []hardening.ImageFile{f("/app/plugins", dir|0o777, "")},
			[]got{{"images.world-writable", medium, "", "/app/plugins"}}},
		{"root SSH key", []hardening.ImageFile{f("/root/.ssh/id_ed25519", 0o600, sshKey)},
			[]got{{"images.private-key", high, "", "/root/.ssh/id_ed25519"}}},
		{"encrypted SSH key", []hardening.ImageFile{f("/root/.ssh/id_rsa", 0o600, sshEnc)},
			[]got{{"images.private-key", medium, "", "/root/.ssh/id_rsa"}}},
		{"SSH key whose content was not kept", []hardening.ImageFile{sized("/home/app/.ssh/id_rsa_deploy", 2600)},
			[]got{{"images.private-key", high, "", "/home/app/.ssh/id_rsa_deploy"}}},
		{"SSH host key", []hardening.ImageFile{f("/etc/ssh/ssh_host_ed25519_key", 0o600, sshKey)},
			[]got{{"images.private-key", high, "", "/etc/ssh/ssh_host_ed25519_key"}}},
		{"TLS key", []hardening.ImageFile{f("/app/tls/server.key", 0o600, rsaKey)},
			[]got{{"images.private-key", high, "", "/app/tls/server.key"}}},
		{"certificate and public key are fine", []hardening.ImageFile{f("/app/tls/server.pem", 0o644, cert), f("/root/.ssh/id_rsa.pub", 0o644, "ssh-rsa AAAA")}, nil},
		{"AWS credentials", []hardening.ImageFile{f("/root/.aws/credentials", 0o600, "[default]\naws_access_key_id = AKIA\naws_secret_access_key = abc\n")},
			[]got{{"images.credential-file", high, "", "/root/.aws/credentials"}}},
		{"docker config with auth", []hardening.ImageFile{f("/root/.docker/config.json", 0o600, `{"auths": {"registry.example": {"auth": "dXNlcjpwYXNz"}}}`)},
			[]got{{"images.credential-file", high, "", "/root/.docker/config.json"}}},
		{"docker config with a credential helper", []hardening.ImageFile{f("/root/.docker/config.json", 0o600, `{"auths": {"registry.example": {}}, "credsStore": "ecr-login"}`)}, nil},
		{"npmrc token", []hardening.ImageFile{f("/app/.npmrc", 0o644, "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=npm_abcdef\n")},
			[]got{{"images.credential-file", high, "", "/app/.npmrc"}}},
		{"npmrc token reference", []hardening.ImageFile{f("/app/.npmrc", 0o644, "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n")}, nil},
		{"git credentials", []hardening.ImageFile{f("/root/.git-credentials", 0o600, "https://bot:ghp_abc@github.com\n")},
			[]got{{"images.credential-file", high, "", "/root/.git-credentials"}}},
		{"netrc", []hardening.ImageFile{f("/root/.netrc", 0o600, "machine example.com login bot password s3cret\n")},
			[]got{{"images.credential-file", high, "", "/root/.netrc"}}},
		{"pgpass", []hardening.ImageFile{f("/root/.pgpass", 0o600, "db:5432:app:app:s3cret\n")},
			[]got{{"images.credential-file", high, "", "/root/.pgpass"}}},
		{"empty shadow password", []hardening.ImageFile{f("/etc/shadow", 0o640, strings.Replace(shadow, "app:!:", "app::", 1))},
			[]got{{"images.shadow-empty-password", high, "", "/etc/shadow"}}},
		{"empty root password", []hardening.ImageFile{f("/etc/shadow", 0o640, strings.Replace(shadow, "root:*:", "root::", 1))},
			[]got{{"images.shadow-empty-password", crit, "", "/etc/shadow"}}},
		{"empty password in passwd", []hardening.ImageFile{f("/etc/passwd", 0o644, passwd+"guest::10002:10002::/:/bin/sh\n")},
			[]got{{"images.shadow-empty-password", high, "", "/etc/passwd"}}},
		{"second uid 0", []hardening.ImageFile{f("/etc/passwd", 0o644, passwd+"toor:x:0:0::/root:/bin/sh\n")},
			[]got{{"images.extra-root-user", high, "", "/etc/passwd"}}},
		{"busybox", []hardening.ImageFile{f("/bin/busybox", 0o755, "ELF")},
			[]got{{"images.shell-present", info, "", "/bin/busybox"}}},
		{"pip", []hardening.ImageFile{f("/usr/local/bin/pip3.12", 0o755, "#!")},
			[]got{{"images.package-manager-present", info, "", "/usr/local/bin/pip3.12"}}},
		{"apt lists", []hardening.ImageFile{sized("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_InRelease", 151000), sized("/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4", 9000000)},
			[]got{{"images.package-cache", low, "", "/var/lib/apt/lists"}}},
		{"apt archives and pip cache", []hardening.ImageFile{sized("/var/cache/apt/archives/curl_8.5.0_amd64.deb", 300000), sized("/root/.cache/pip/http-v2/a/b/c", 50000)},
			[]got{{"images.package-cache", low, "", "/root/.cache/pip"}, {"images.package-cache", low, "", "/var/cache/apt/archives"}}},
		{"file capabilities", []hardening.ImageFile{withCaps("/app/bind", 1<<10)},
			[]got{{"images.file-capabilities", medium, "", "/app/bind"}}},
		{"root-equivalent file capabilities", []hardening.ImageFile{withCaps("/usr/local/bin/tool", 1<<21)},
			[]got{{"images.file-capabilities", high, "", "/usr/local/bin/tool"}}},
		{"ping with more than it needs", []hardening.ImageFile{withCaps("/usr/bin/ping", 1<<13|1<<7)},
			[]got{{"images.file-capabilities", high, "", "/usr/bin/ping"}}},
		{"block device outside /dev", []hardening.ImageFile{device("/app/disk", fs.ModeDevice)},
			[]got{{"images.device-node", high, "", "/app/disk"}}},
		{"char device in /dev", []hardening.ImageFile{device("/dev/null", fs.ModeDevice|fs.ModeCharDevice)},
			[]got{{"images.device-node", low, "", "/dev/null"}}},
		{"symlink climbing above /", []hardening.ImageFile{symlink("/app/etc", "../../../etc")},
			[]got{{"images.link-escape", low, "", "/app/etc"}}},
		{"absolute symlink is normal", []hardening.ImageFile{symlink("/app/etc", "/etc")}, nil},
		{"hard link above /", []hardening.ImageFile{hardlink("/app/shadow", "../../etc/shadow")},
			[]got{{"images.link-escape", high, "", "/app/shadow"}}},
		{"hard link to a missing file", []hardening.ImageFile{hardlink("/app/lib.so", "usr/lib/gone.so")},
			[]got{{"images.link-escape", low, "", "/app/lib.so"}}},
		{"hard link with a leading slash and a dot", []hardening.ImageFile{hardlink("/app/perl", "/usr/./bin/perl")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := debianLike()
			plant(c, tt.files...)
			// The base layer's own findings are info (see above); keep
			// those about the planted layer.
			findings := slices.DeleteFunc(checktest.Each(images.Checks(), contentSubject(c)), func(x hardening.Finding) bool {
				return !strings.Contains(x.Message, app)
			})
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, x := range findings {
				if !strings.Contains(x.Message, app) || !strings.Contains(x.Message, "layer 1") {
					t.Errorf("message does not name the layer: %s", x.Message)
				}
				for _, secret := range []string{"s3cret", "ghp_abc", "npm_abcdef", "dXNlcjpwYXNz", "MIIEowIBAAKCAQEA"} {
					if strings.Contains(x.Message, secret) {
						t.Errorf("message shows a secret: %s", x.Message)
					}
				}
			}
		})
	}
}
