package images_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// hardenedHistory is what a careful multi-stage BuildKit build records.
var hardenedHistory = []string{
	"/bin/sh -c #(nop) ADD file:6b0bfbd4c8bd8a8e1bd3f4b0a8e3ab63d4d5 in / ",
	`/bin/sh -c #(nop)  CMD ["bash"]`,
	"ARG VERSION=1.4.2",
	"ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8",
	"RUN |1 VERSION=1.4.2 /bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* # buildkit",
	`RUN |1 VERSION=1.4.2 /bin/sh -c curl -fsSLo /tmp/app.tgz "https://example.com/app-${VERSION}.tgz" && echo "0123abcd  /tmp/app.tgz" | sha256sum -c - && tar -xzf /tmp/app.tgz -C /opt # buildkit`,
	"RUN /bin/sh -c apk add --no-cache tini && gosu nobody true && exec su-exec app true # buildkit",
	"ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/ # buildkit",
	"COPY /src/app /app # buildkit",
	"RUN /bin/sh -c curl -fsSL https://example.com/install.sh -o /tmp/install.sh && sha256sum -c /tmp/install.sh.sha256 && sh /tmp/install.sh # buildkit",
	"RUN /bin/sh -c docker login --password-stdin registry.example < /run/secrets/token && pip install --no-cache-dir app==1.2 # buildkit",
	"LABEL org.opencontainers.image.source=https://github.com/example/app",
	"EXPOSE map[8080/tcp:{}]",
	"USER 10001:10001",
	`HEALTHCHECK &{["CMD" "/app" "health"] "30s" "3s" "0s" "0s" '\x03'}`,
	`ENTRYPOINT ["/usr/bin/tini" "--" "/app"]`,
}

func hardenedImage() *imagespec.Image {
	img := &imagespec.Image{
		Platform: imagespec.Platform{OS: "linux", Architecture: "amd64"},
		Config: imagespec.ImageConfig{
			User:         "10001:10001",
			ExposedPorts: map[string]struct{}{"8080/tcp": {}, "53/udp": {}},
			Env:          []string{"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "APP_TOKEN_FILE=/run/secrets/token"},
			Entrypoint:   []string{"/usr/bin/tini", "--", "/app"},
			Cmd:          []string{"serve", "--password-file", "/run/secrets/pw"},
			Labels: map[string]string{
				"org.opencontainers.image.source":      "https://github.com/example/app",
				"org.opencontainers.image.base.name":   "docker.io/library/debian:12.8",
				"org.opencontainers.image.base.digest": sha,
				"com.example.secret-rotation":          "enabled",
			},
		},
	}
	for _, h := range hardenedHistory {
		img.History = append(img.History, imagespec.History{CreatedBy: h})
	}
	return img
}

func history(steps ...string) func(*imagespec.Image) {
	return func(img *imagespec.Image) {
		for _, s := range steps {
			img.History = append(img.History, imagespec.History{CreatedBy: s})
		}
	}
}

func TestImageConfigChecks(t *testing.T) {
	const next = "history[16].created_by" // the first step a test appends
	const (
		remote  = "images.remote-add"
		pipe    = "images.curl-pipe-shell"
		sudo    = "images.sudo"
		upgrade = "images.unpinned-upgrade"
		inCfg   = "images.secret-in-config"
		named   = "images.named-user"
		port    = "images.sensitive-port"
		base    = "images.base-not-pinned"
	)
	tests := []struct {
		name  string
		tweak func(*imagespec.Image)
		want  []got
	}{
		{"hardened", func(*imagespec.Image) {}, nil},
		{"no history", func(img *imagespec.Image) { img.History = nil }, nil},

		// named-user
		{"named user", func(img *imagespec.Image) { img.Config.User = "app" }, []got{{named, info, "", "config.User"}}},
		{"named user with a numeric group", func(img *imagespec.Image) { img.Config.User = "app:1000" }, []got{{named, info, "", "config.User"}}},
		{"numeric user with a named group", func(img *imagespec.Image) { img.Config.User = "1000:app" }, nil},
		{"root is runs-as-root's", func(img *imagespec.Image) { img.Config.User = "root" }, nil},
		{"windows user", func(img *imagespec.Image) { img.Config.User, img.OS = "ContainerUser", "windows" }, nil},

		// sensitive-port
		{"ssh", func(img *imagespec.Image) { img.Config.ExposedPorts["22/tcp"] = struct{}{} }, []got{{port, medium, "", "config.ExposedPorts[22/tcp]"}}},
		{"docker API without protocol", func(img *imagespec.Image) { img.Config.ExposedPorts["2375"] = struct{}{} },
			[]got{{port, crit, "", "config.ExposedPorts[2375]"}}},
		{"kubelet and etcd, sorted", func(img *imagespec.Image) {
			img.Config.ExposedPorts["10250/tcp"] = struct{}{}
			img.Config.ExposedPorts["2379-2380/tcp"] = struct{}{}
		}, []got{{port, high, "", "config.ExposedPorts[10250/tcp]"}, {port, high, "", "config.ExposedPorts[2379-2380/tcp]"}, {port, high, "", "config.ExposedPorts[2379-2380/tcp]"}}},
		{"udp 22 is not ssh", func(img *imagespec.Image) { img.Config.ExposedPorts["22/udp"] = struct{}{} }, nil},
		{"malformed port", func(img *imagespec.Image) { img.Config.ExposedPorts["ssh/tcp"] = struct{}{} }, nil},

		// remote-add
		{"ADD https without checksum", history("ADD https://example.com/app.tgz /opt/ # buildkit"), []got{{remote, low, "", next}}},
		{"ADD http", history(`/bin/sh -c #(nop) ADD ["http://example.com/app.tgz","/opt/"]`), []got{{remote, medium, "", next}}},
		{"ADD git", history("ADD git@github.com:example/app.git /src # buildkit"), []got{{remote, low, "", next}}},
		{"ADD local archive", history("ADD app.tgz /opt/ # buildkit"), nil},

		// curl-pipe-shell
		{"curl | sh", history("RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit"), []got{{pipe, medium, "", next}}},
		{"wget -O- | sudo bash -", history("/bin/sh -c wget -qO- https://get.example.com | sudo -E bash -"),
			[]got{{pipe, medium, "", next}, {sudo, medium, "", next}}},
		{"curl | tee | python3", history("RUN /bin/sh -c curl -sSL https://install.python-poetry.org | tee /tmp/i.py | python3 - # buildkit"), []got{{pipe, medium, "", next}}},
		{"sh -c $(curl)", history(`RUN /bin/sh -c sh -c "$(curl -fsSL https://raw.example.com/install.sh)" # buildkit`), []got{{pipe, medium, "", next}}},
		{"bash <(curl)", history("RUN /bin/sh -c bash <(curl -s https://example.com/x.sh) # buildkit"), []got{{pipe, medium, "", next}}},
		{"curl | tar", history("RUN /bin/sh -c curl -fsSL https://example.com/x.tgz | tar -xz -C /opt # buildkit"), nil},
		{"VERSION=$(curl)", history("RUN /bin/sh -c V=$(curl -s https://example.com/latest) && echo $V | sha256sum # buildkit"), nil},

		// sudo
		{"sudo in RUN", history("RUN /bin/sh -c sudo apt-get install -y vim # buildkit"), []got{{sudo, medium, "", next}}},
		{"su in RUN", history("/bin/sh -c su - app -c 'make install'"), []got{{sudo, low, "", next}}},
		{"sudo entrypoint", func(img *imagespec.Image) { img.Config.Entrypoint = []string{"sudo", "-E", "/app"} },
			[]got{{sudo, high, "", "config.Entrypoint[0]"}}},
		{"sudo in a shell command", func(img *imagespec.Image) { img.Config.Cmd = []string{"/bin/sh", "-c", "exec sudo -u app /app"} },
			[]got{{sudo, high, "", "config.Cmd[2]"}}},
		{"sudo as an argument is fine", func(img *imagespec.Image) { img.Config.Cmd = []string{"echo", "sudo"} }, nil},
		{"apt-get install sudo is not running it", history("RUN /bin/sh -c apt-get install -y sudo # buildkit"), nil},

		// unpinned-upgrade
		{"apt-get upgrade", history("RUN /bin/sh -c apt-get update && apt-get -y upgrade # buildkit"), []got{{upgrade, low, "", next}}},
		{"apt-get dist-upgrade with options", history("RUN /bin/sh -c apt-get update && apt-get -o Dpkg::Options::=--force-confold -y dist-upgrade # buildkit"), []got{{upgrade, low, "", next}}},
		{"yum update -y", history("/bin/sh -c yum update -y && yum clean all"), []got{{upgrade, low, "", next}}},
		{"yum update of one package", history("/bin/sh -c yum update -y openssl && yum clean all"), nil},
		{"apk upgrade", history("RUN /bin/sh -c apk upgrade --no-cache # buildkit"), []got{{upgrade, low, "", next}}},
		{"apt-get update alone", history("RUN /bin/sh -c apt-get update # buildkit"), []got{{upgrade, low, "", next}}},
		{"apt-get update and install", history("RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit"), nil},

		// secret-in-config
		{"secret label", func(img *imagespec.Image) { img.Config.Labels["com.example.api-token"] = "tok_abcdef123" },
			[]got{{inCfg, high, "", "config.Labels[com.example.api-token]"}}},
		{"URL label with a password", func(img *imagespec.Image) {
			img.Config.Labels["org.opencontainers.image.source"] = "https://ci:glpat-abc@gitlab.example/app.git"
		}, []got{{inCfg, high, "", "config.Labels[org.opencontainers.image.source]"}}},
		{"build argument", history("RUN |2 NPM_TOKEN=npm_4eC39HqLyjWDarjtT1zdp7dcAbCdEf MODE=prod /bin/sh -c npm ci # buildkit",
			"RUN |2 NPM_TOKEN=npm_4eC39HqLyjWDarjtT1zdp7dcAbCdEf MODE=prod /bin/sh -c npm run build # buildkit"),
			[]got{{inCfg, high, "", next}}}, // once, at the first step that records it
		{"classic builder build argument", history("|1 GITHUB_TOKEN=ghp_abcdefghijklmnop /bin/sh -c go mod download"), []got{{inCfg, high, "", next}}},
		{"ARG default", history("ARG DB_PASSWORD=hunter2"), []got{{inCfg, high, "", next}}},
		{"ENV later unset", history("ENV ADMIN_PASSWORD=admin", "ENV ADMIN_PASSWORD="), []got{{inCfg, high, "", next}}},
		{"legacy ENV", history("/bin/sh -c #(nop)  ENV API_KEY sk_live_abc"), []got{{inCfg, high, "", next}}},
		{"ENV still in config.Env is secret-in-env's", func(img *imagespec.Image) {
			img.Config.Env = append(img.Config.Env, "ADMIN_PASSWORD=admin")
			history("ENV ADMIN_PASSWORD=admin")(img)
		}, []got{{"images.secret-in-env", high, "", "config.Env[3]"}}},
		{"curl -u", history("RUN /bin/sh -c curl -u deploy:hunter2 -O https://repo.example/app.jar # buildkit"), []got{{inCfg, high, "", next}}},
		{"curl -u with a variable", history(`RUN /bin/sh -c curl -u "deploy:$REPO_PASSWORD" -O https://repo.example/app.jar # buildkit`), nil},
		{"URL with a password", history("RUN /bin/sh -c git clone https://bot:ghp_abc123@github.com/example/private.git # buildkit"), []got{{inCfg, high, "", next}}},
		{"docker login -p", history("RUN /bin/sh -c docker login -u bot -p hunter2 registry.example # buildkit"), []got{{inCfg, high, "", next}}},
		{"--password= option", history("RUN /bin/sh -c wget --http-password=hunter2 https://example.com/x # buildkit"), []got{{inCfg, high, "", next}}},
		{"inline assignment", history("RUN /bin/sh -c export GITHUB_TOKEN=ghp_abcdef && make # buildkit"), []got{{inCfg, high, "", next}}},
		{"package pin is not a secret", history("RUN /bin/sh -c apk add --no-cache libcrypto3=3.1.4-r1 # buildkit"), nil},
		{"secret mount", history("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc /bin/sh -c npm ci # buildkit"), nil},

		// base-not-pinned
		{"base latest", func(img *imagespec.Image) {
			img.Config.Labels["org.opencontainers.image.base.name"] = "docker.io/library/debian:latest"
			delete(img.Config.Labels, "org.opencontainers.image.base.digest")
		}, []got{{base, low, "", "config.Labels[org.opencontainers.image.base.name]"}}},
		{"base latest with digest label", func(img *imagespec.Image) {
			img.Config.Labels["org.opencontainers.image.base.name"] = "debian"
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := hardenedImage()
			tt.tweak(img)
			findings := checktest.Each(images.Checks(), hardening.NewImageSubject("config.json", img))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range findings {
				for _, secret := range []string{"hunter2", "npm_4eC", "ghp_", "glpat", "sk_live", "tok_abc", "admin"} {
					if strings.Contains(f.Message, secret) {
						t.Errorf("message shows a secret: %s", f.Message)
					}
				}
			}
		})
	}
}

func TestImageRef(t *testing.T) {
	for ref, want := range map[string][]got{
		"":                            nil,
		"registry.example/app":        {{"images.base-not-pinned", medium, "", "imageRef"}},
		"registry.example/app:latest": {{"images.base-not-pinned", medium, "", "imageRef"}},
		"latest":                      {{"images.base-not-pinned", medium, "", "imageRef"}},
		"1.2":                         nil, // a layout's tag
		"app":                         nil, // read as a layout's tag
		"registry.example/app:1.2":    nil,
		"app@" + sha:                  nil,
	} {
		s := hardening.NewImageSubject("layout", hardenedImage())
		s.ImageRef = ref
		if diff := cmp.Diff(want, summarize(checktest.Each(images.Checks(), s))); diff != "" {
			t.Errorf("ImageRef %q (-want +got):\n%s", ref, diff)
		}
	}
}

func TestNamedUserResolved(t *testing.T) {
	for user, want := range map[string]got{
		"app":    {"images.named-user", info, "", "config.User"},
		"toor":   {"images.named-user", high, "", "config.User"},
		"nobody": {"images.named-user", low, "", "config.User"},
	} {
		img := hardenedImage()
		img.Config.User = user
		s := hardening.NewImageSubject("image", img)
		s.ImageContents = &hardening.ImageContents{Files: []hardening.ImageFile{
			f("/etc/passwd", 0o644, passwd+"toor:x:0:0::/root:/bin/sh\n"),
		}}
		findings := summarize(checktest.Each(hardening.Checks{images.NamedUser}, s))
		if diff := cmp.Diff([]got{want}, findings); diff != "" {
			t.Errorf("USER %s (-want +got):\n%s", user, diff)
		}
	}
}

func TestHealthcheck(t *testing.T) {
	docker, oci := images.MediaTypeDockerConfig, images.MediaTypeOCIConfig
	tests := []struct {
		name        string
		mediaType   string
		healthcheck *hardening.ImageHealthcheck
		history     []string
		want        []got
	}{
		{"docker format with a healthcheck", docker, &hardening.ImageHealthcheck{Test: []string{"CMD", "/app", "health"}}, nil, nil},
		{"docker format without", docker, nil, nil, []got{{"images.healthcheck-missing", info, "", "config.Healthcheck"}}},
		{"docker format, empty test", docker, &hardening.ImageHealthcheck{}, nil, []got{{"images.healthcheck-missing", info, "", "config.Healthcheck"}}},
		{"NONE", docker, &hardening.ImageHealthcheck{Test: []string{"NONE"}}, nil, []got{{"images.healthcheck-missing", info, "", "config.Healthcheck.Test"}}},
		{"OCI format without is unknown", oci, nil, nil, nil},
		{"format unknown", "", nil, nil, nil},
		{"format unknown, NONE in history", "", nil, []string{`HEALTHCHECK &{["NONE"] "0s" "0s" "0s" "0s" '\x00'}`}, []got{{"images.healthcheck-missing", info, "", "history[0].created_by"}}},
		{"format unknown, NONE overridden", "", nil, []string{`/bin/sh -c #(nop)  HEALTHCHECK NONE`, `HEALTHCHECK &{["CMD" "true"] "0s" "0s" "0s" "0s" '\x00'}`}, nil},
		{"a healthcheck in an OCI config counts", oci, &hardening.ImageHealthcheck{Test: []string{"CMD-SHELL", "true"}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := &imagespec.Image{}
			history(tt.history...)(img)
			s := hardening.NewImageSubject("image", img)
			s.ImageConfigMediaType, s.ImageHealthcheck = tt.mediaType, tt.healthcheck
			findings := summarize(checktest.Each(hardening.Checks{images.HealthcheckMissing}, s))
			if diff := cmp.Diff(tt.want, findings); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestWantsContent(t *testing.T) {
	yes := []string{"/etc/passwd", "/etc/shadow", "/root/.ssh/id_rsa", "/home/a/.ssh/id_ed25519_sk", "/etc/ssh/ssh_host_rsa_key",
		"/app/tls/server.key", "/etc/ssl/private/x.pem", "/root/.aws/credentials", "/root/.docker/config.json", "/app/.npmrc",
		"/root/.netrc", "/root/.git-credentials", "/var/lib/postgresql/.pgpass", "/root/.kube/config"}
	no := []string{"/etc/group", "/root/.ssh/id_rsa.pub", "/usr/bin/bash", "/app/config.json", "/etc/ssh/ssh_host_rsa_key.pub", "/root/.aws/config"}
	for _, p := range yes {
		if !images.WantsContent(p, 3000) {
			t.Errorf("WantsContent(%q) = false", p)
		}
	}
	for _, p := range no {
		if images.WantsContent(p, 3000) {
			t.Errorf("WantsContent(%q) = true", p)
		}
	}
	if images.WantsContent("/etc/passwd", images.MaxContent+1) {
		t.Error("WantsContent accepts a file larger than MaxContent")
	}
	if n := testing.AllocsPerRun(100, func() { images.WantsContent("/home/app/.docker/config.json", 100) }); n != 0 {
		t.Errorf("WantsContent allocates: %v", n)
	}
}

func TestSetuidAllowList(t *testing.T) {
	c := debianLike()
	plant(c, f("/opt/app/bin/helper", suid|0o755, "ELF"), f("/usr/local/bin/other", suid|0o755, "ELF"))
	allow := []string{"/opt/app/bin/*", "/usr/bin/su"}
	findings := summarize(checktest.Each(hardening.Checks{images.SetuidFiles(allow)}, contentSubject(c)))
	want := []got{
		{"images.setuid-file", info, "", "/usr/bin/passwd"},
		{"images.setuid-file", info, "", "/usr/bin/wall"},
		{"images.setuid-file", medium, "", "/usr/local/bin/other"},
	}
	if diff := cmp.Diff(want, findings); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	allow[0] = "/usr/local/bin/*" // the check copied the list
	if again := summarize(checktest.Each(hardening.Checks{images.SetuidFiles(nil)}, contentSubject(c))); len(again) != 5 {
		t.Errorf("default check: %v", again)
	}
}

func TestContentMessages(t *testing.T) {
	c := debianLike()
	plant(c, f("/usr/local/bin/helper", suid|sgid|0o755, "ELF"))
	tool := f("/usr/local/bin/tool", 0o755, "ELF")
	tool.Xattrs = capXattr(1<<21 | 1<<13)
	plant(c, tool)
	s := contentSubject(c)
	want := map[string]string{
		"images.setuid-file":       "/usr/local/bin/helper is setuid root and setgid group root (mode 6755) in layer 1 (" + app + ")",
		"images.file-capabilities": "/usr/local/bin/tool has file capabilities cap_net_raw,cap_sys_admin=ep (permitted 0x202000, inheritable 0x0) in layer 1 (" + app + "): whoever runs it can make itself root",
	}
	for id, msg := range want {
		var found bool
		for _, x := range (hardening.Checks{images.Checks().Lookup(id)}).Check(s, nil) {
			if strings.Contains(x.Message, app) {
				found = true
				if x.Message != msg {
					t.Errorf("%s:\n got %s\nwant %s", id, x.Message, msg)
				}
			}
		}
		if !found {
			t.Errorf("%s: no finding", id)
		}
	}
}
