package images_test

import (
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// FuzzImage runs every check over an image whose history, labels, command,
// ports, files and attributes come from the fuzzer: no check may panic
// (a panic becomes a hardening.check-failed finding) or report twice
// differently.
func FuzzImage(f *testing.F) {
	for _, h := range hardenedHistory {
		f.Add(h, "x")
	}
	f.Add("|3 A=b", "root::0:0::/:/bin/sh\n")
	f.Add(`RUN |1 T=x /bin/sh -c curl -u a:b x | sudo -u`, "//r/:_authToken=")
	f.Add("ADD --checksum= [", "\x01\x00\x00\x03\x00")
	f.Fuzz(func(t *testing.T, createdBy, content string) {
		img := &imagespec.Image{
			Config: imagespec.ImageConfig{
				User:         content,
				ExposedPorts: map[string]struct{}{createdBy: {}},
				Entrypoint:   []string{createdBy, "-c", createdBy},
				Cmd:          []string{content},
				Labels:       map[string]string{createdBy: content, images.LabelBaseName: createdBy},
			},
			History: []imagespec.History{{CreatedBy: createdBy}, {CreatedBy: content}},
		}
		s := hardening.NewImageSubject("fuzz", img)
		s.ImageRef = createdBy
		files := []hardening.ImageFile{
			{Path: "/a", Mode: 0o4777, Linkname: createdBy, Hardlink: true, Xattrs: map[string]string{"security.capability": content}},
			{Path: "/a/.npmrc", Mode: 0o644, Content: []byte(content), Size: int64(len(content))},
			{Path: "/b", Mode: 1 << 27, Linkname: createdBy},
			{Path: "/etc/passwd", Mode: 0o644, Content: []byte(content)},
			{Path: "/etc/shadow", Mode: 0o644, Content: []byte(createdBy)},
			{Path: "/root/.docker/config.json", Mode: 0o600, Content: []byte(content)},
			{Path: "/x/id_rsa", Mode: 0o600, Content: []byte(content)},
		}
		s.ImageContents = &hardening.ImageContents{Files: files}
		s.ImageConfigMediaType = images.MediaTypeDockerConfig
		s.ImageHealthcheck = &hardening.ImageHealthcheck{Test: []string{content}}
		checks := images.Checks()
		first := checks.Check(s, nil)
		for _, x := range first {
			if x.Check == hardening.CheckFailed.ID {
				t.Fatalf("a check panicked: %s", x.Message)
			}
		}
		if again := checks.Check(s, nil); len(again) != len(first) {
			t.Fatalf("not deterministic: %d then %d findings", len(first), len(again))
		}
	})
}
