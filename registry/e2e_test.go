package registry_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/bulwarkdev/bulwark/registry"
	"github.com/bulwarkdev/bulwark/registry/internal/registrytest"
)

// lab is what TestMain starts once for the package: two real registries
// (distribution, TLS from a test CA) holding the planted image of the
// image tests as pushed by skopeo — one with htpasswd authentication, one
// with token authentication — and the layouts they were pushed from.
var lab struct {
	err     error  // why the lab could not start
	skip    string // why it cannot exist here
	dir     string
	ca      *registrytest.CA
	basic   *registrytest.Registry
	token   *registrytest.Registry
	ts      *registrytest.TokenServer
	certsD  string // a certs.d directory for both registries
	planted string // the layout of the planted image, "shop/api:1.4"
	zstd    string // the same image with zstd layers, converted by skopeo
	multi   string // a two-platform index, "multi"
	// signature is a layout of a cosign-like signature of the planted image.
	signature string
	// digest is the planted image's manifest digest.
	digest string
}

// TestMain stops the lab, which the first test that needs it starts.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, r := range []*registrytest.Registry{lab.basic, lab.token} {
		if r != nil {
			r.Stop()
		}
	}
	if lab.ts != nil {
		lab.ts.Close()
	}
	if lab.dir != "" {
		os.RemoveAll(lab.dir)
	}
	os.Exit(code)
}

var labOnce sync.Once

func setUpLab() {
	if _, err := exec.LookPath("skopeo"); err != nil {
		lab.skip = "skopeo is not installed (apt-get install skopeo): the tests push images with it"
		return
	}
	if lab.dir, lab.err = os.MkdirTemp("", "bulwark-registry-e2e-"); lab.err != nil {
		return
	}
	lab.err = startLab()
}

func startLab() error {
	bin, err := registrytest.Binary()
	if err != nil {
		return fmt.Errorf("building the registry: %w", err)
	}
	if lab.ca, err = registrytest.NewCA(lab.dir); err != nil {
		return err
	}
	if lab.basic, err = registrytest.Start(bin, filepath.Join(lab.dir, "basic"), lab.ca, registrytest.Basic, nil); err != nil {
		return err
	}
	if lab.ts, err = registrytest.NewTokenServer(lab.dir, lab.ca); err != nil {
		return err
	}
	if lab.token, err = registrytest.Start(bin, filepath.Join(lab.dir, "token"), lab.ca, registrytest.Token, lab.ts); err != nil {
		return err
	}
	lab.certsD = filepath.Join(lab.dir, "certs.d")
	for _, r := range []*registrytest.Registry{lab.basic, lab.token} {
		if _, err := lab.ca.CertsD(lab.certsD, r.Host); err != nil {
			return err
		}
	}
	lab.planted = filepath.Join(lab.dir, "planted")
	lay, err := imagetest.WriteLayout(lab.planted, imagetest.Planted(false))
	if err != nil {
		return err
	}
	lab.digest = string(lay.Images[0].Descriptor.Digest)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	lab.zstd = filepath.Join(lab.dir, "zstd")
	// skopeo recompresses when it copies to a new layout.
	if err := registrytest.Skopeo(ctx, "copy", "-q", "--dest-compress", "--dest-compress-format", "zstd",
		"oci:"+lab.planted+":shop/api:1.4", "oci:"+lab.zstd+":shop/api:1.4"); err != nil {
		return err
	}
	lab.multi = filepath.Join(lab.dir, "multi")
	arm := imagetest.Planted(false)
	arm.Ref = ""
	arm.Config.OS, arm.Config.Architecture, arm.Config.Variant = "linux", "arm64", "v8"
	arm.Config.Config.User = "1000" // tells the platforms apart
	amd := imagetest.Planted(false)
	amd.Ref = ""
	if _, err := imagetest.WriteLayout(lab.multi, imagetest.Image{Ref: "multi", Index: []imagetest.Image{amd, arm}}); err != nil {
		return err
	}
	// A signature as cosign attaches it without the referrers API: a
	// manifest tagged sha256-<hex>.sig in the image's repository.
	lab.signature = filepath.Join(lab.dir, "signature")
	if _, err := imagetest.WriteLayout(lab.signature, imagetest.Image{Ref: "sig", Layers: []imagetest.Layer{{
		MediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
		Blob:      []byte(`{"critical":{"image":{"docker-manifest-digest":"` + lab.digest + `"},"type":"cosign container image signature"}}`),
	}}}); err != nil {
		return err
	}
	for _, p := range []struct {
		r           *registrytest.Registry
		layout, ref string
		repoTag     string
		all         bool
	}{
		{lab.basic, lab.planted, "shop/api:1.4", "shop/api:1.4", false},
		{lab.basic, lab.zstd, "shop/api:1.4", "shop/api-zstd:1.4", false},
		{lab.basic, lab.multi, "multi", "shop/multi:1", true},
		{lab.token, lab.planted, "shop/api:1.4", "shop/api:1.4", false},
		{lab.basic, lab.signature, "sig", "shop/api:" + strings.Replace(lab.digest, ":", "-", 1) + ".sig", false},
	} {
		// --preserve-digests: the registry holds the layout's manifests as
		// they are, so that a digest names the same image in both.
		if err := p.r.Push(ctx, p.layout, p.ref, p.repoTag, p.all, "--preserve-digests"); err != nil {
			return fmt.Errorf("pushing to %s: %w\n%s", p.r.Host, err, p.r.Log())
		}
	}
	return nil
}

// needLab skips or fails a test the lab cannot serve.
func needLab(t *testing.T) {
	t.Helper()
	labOnce.Do(setUpLab)
	if lab.skip != "" {
		t.Skip(lab.skip)
	}
	if lab.err != nil {
		t.Fatalf("the registry lab did not start: %v", lab.err)
	}
}

// dockerConfig writes a docker config.json with auths and returns its
// directory (what DOCKER_CONFIG names).
func dockerConfig(t testing.TB, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func authEntry(host, user, pass string) string {
	return fmt.Sprintf("%q: {\"auth\": %q}", host, base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
}

// client returns a registry client that trusts the lab's CA through a
// certs.d directory and reads credentials from the files given.
func client(t testing.TB, authFiles ...string) *registry.Client {
	t.Helper()
	c, err := registry.New(registry.Options{CertDirs: []string{lab.certsD}, AuthFiles: authFiles})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// goodAuth is a config.json with the lab's credentials for both registries.
func goodAuth(t testing.TB) string {
	return filepath.Join(dockerConfig(t, `{"auths": {`+authEntry(lab.basic.Host, registrytest.User, registrytest.Password)+`, `+
		authEntry(lab.token.Host, registrytest.User, registrytest.Password)+`}}`), "config.json")
}

type finding struct{ Check, Path, Message string }

// audit audits paths with every image check and returns the findings,
// failing on any error.
func audit(t *testing.T, opts load.Options, paths ...string) ([]finding, *hardening.Result) {
	t.Helper()
	checks := bulwark.Checks().Select(hardening.Selection{Kinds: hardening.KindImage})
	r := bulwark.AuditPaths(checks, opts, paths...)
	for _, e := range r.Errors {
		t.Errorf("%v", e)
	}
	var out []finding
	for _, f := range r.Findings {
		out = append(out, finding{f.Check, f.Path, f.Message})
	}
	return out, r
}

// withoutRef drops what depends on how the image was named: findings
// about its reference.
func withoutRef(fs []finding) []finding {
	return slices.DeleteFunc(slices.Clone(fs), func(f finding) bool { return f.Path == hardening.ImageRefPath })
}

// The planted image audited from the registry, by tag and by digest,
// through basic and token authentication, and as skopeo's zstd copy, has
// the findings it has in its layout.
func TestRegistryFindingsMatchLayout(t *testing.T) {
	needLab(t)
	want, _ := audit(t, load.Options{}, lab.planted)
	if len(want) < 15 || !slices.ContainsFunc(want, func(f finding) bool { return f.Check == "images.private-key" }) {
		t.Fatalf("the planted layout gives %d findings: %v", len(want), want)
	}
	wantZstd, _ := audit(t, load.Options{}, lab.zstd)
	c := client(t, goodAuth(t))
	tests := []struct {
		ref  string
		want []finding
	}{
		{lab.basic.Host + "/shop/api:1.4", want},
		{lab.basic.Host + "/shop/api@" + lab.digest, want},
		{"docker://" + lab.basic.Host + "/shop/api:1.4", want},
		{lab.token.Host + "/shop/api:1.4", want},
		{lab.basic.Host + "/shop/api-zstd:1.4", wantZstd},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, r := audit(t, load.Options{Registry: c}, tt.ref)
			if len(r.Subjects) != 1 {
				t.Fatalf("%d subjects", len(r.Subjects))
			}
			if diff := cmp.Diff(withoutRef(tt.want), withoutRef(got)); diff != "" {
				t.Errorf("findings (-layout +registry):\n%s", diff)
			}
			s := r.Subjects[0]
			if s.Name != tt.ref || !strings.HasPrefix(s.ImageRef, strings.TrimPrefix(tt.ref, "docker://")) {
				t.Errorf("name %q, ref %q", s.Name, s.ImageRef)
			}
		})
	}
	// The zstd copy is zstd, and its findings are the gzip image's, but for
	// the layer digests their messages name.
	strip := func(fs []finding) []finding {
		out := make([]finding, len(fs))
		for i, f := range fs {
			out[i] = finding{f.Check, f.Path, ""}
		}
		return out
	}
	if diff := cmp.Diff(strip(want), strip(wantZstd)); diff != "" {
		t.Errorf("zstd layout (-gzip +zstd):\n%s", diff)
	}
	var index imagespec.Index
	var manifest imagespec.Manifest
	readJSON(t, filepath.Join(lab.zstd, "index.json"), &index)
	if len(index.Manifests) != 1 {
		t.Fatalf("zstd layout: %d manifests", len(index.Manifests))
	}
	readJSON(t, filepath.Join(lab.zstd, "blobs", "sha256", index.Manifests[0].Digest.Encoded()), &manifest)
	if len(manifest.Layers) == 0 {
		t.Fatal("zstd layout: no layers")
	}
	for i, l := range manifest.Layers {
		if l.MediaType != imagespec.MediaTypeImageLayerZstd {
			t.Errorf("zstd layout: layer %d is %s", i, l.MediaType)
		}
	}
}

// readJSON decodes the JSON file at name into v.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// A two-platform index: the default platform, -platform, every platform.
func TestRegistryPlatforms(t *testing.T) {
	needLab(t)
	c := client(t, goodAuth(t))
	ref := lab.basic.Host + "/shop/multi:1"
	tests := []struct {
		opts load.Options
		want []string // name and user of each subject
	}{
		{load.Options{Platform: "linux/amd64"}, []string{ref + " "}},
		{load.Options{Platform: "linux/arm64"}, []string{ref + " 1000"}},
		{load.Options{AllPlatforms: true}, []string{ref + " (linux/amd64) ", ref + " (linux/arm64/v8) 1000"}},
	}
	for _, tt := range tests {
		tt.opts.Registry = c
		_, r := audit(t, tt.opts, ref)
		var got []string
		for _, s := range r.Subjects {
			got = append(got, s.Name+" "+s.Image.Config.User)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%+v (-want +got):\n%s", tt.opts, diff)
		}
	}
	r := bulwark.AuditPaths(bulwark.Checks(), load.Options{Registry: c, Platform: "linux/s390x"}, ref)
	if len(r.Errors) != 1 || !errors.Is(r.Errors[0], load.ErrNoPlatform) || !strings.Contains(r.Errors[0].Error(), "linux/amd64, linux/arm64/v8") {
		t.Errorf("s390x: %v", r.Errors)
	}
}

// Wrong credentials, an unknown tag, a registry that is down, a CA not
// trusted: each is an error for the reference, never a clean verdict.
func TestRegistryInputErrors(t *testing.T) {
	needLab(t)
	wrong := filepath.Join(dockerConfig(t, `{"auths": {`+authEntry(lab.basic.Host, registrytest.User, "wrong")+`, `+
		authEntry(lab.token.Host, registrytest.User, "wrong")+`}}`), "config.json")
	down := "127.0.0.1:1" // nothing listens on port 1
	noCA, err := registry.New(registry.Options{AuthFiles: []string{goodAuth(t)}, CertDirs: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		c    *registry.Client
		ref  string
		is   error
		want string
	}{
		{"wrong password, basic", client(t, wrong), lab.basic.Host + "/shop/api:1.4", registry.ErrUnauthorized, "refused the credentials from " + wrong},
		{"wrong password, token", client(t, wrong), lab.token.Host + "/shop/api:1.4", registry.ErrUnauthorized, "token service refused the credentials from " + wrong},
		{"no credentials, basic", client(t), lab.basic.Host + "/shop/api:1.4", registry.ErrUnauthorized, "requires credentials, and none were found"},
		{"unknown tag", client(t, goodAuth(t)), lab.basic.Host + "/shop/api:9.9", registry.ErrNotFound, "MANIFEST_UNKNOWN"},
		{"unknown repository", client(t, goodAuth(t)), lab.basic.Host + "/shop/nothing:1", registry.ErrNotFound, "404 Not Found"},
		{"unknown digest", client(t, goodAuth(t)), lab.basic.Host + "/shop/api@" + imagetest.Digest([]byte("x")), registry.ErrNotFound, "404"},
		{"registry down", client(t), down + "/shop/api:1.4", nil, "connection refused"},
		{"CA not trusted", noCA, lab.basic.Host + "/shop/api:1.4", nil, "certificate signed by unknown authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := bulwark.AuditPaths(bulwark.Checks(), load.Options{Registry: tt.c}, tt.ref)
			if len(r.Subjects) != 0 || len(r.Errors) != 1 {
				t.Fatalf("subjects %d, errors %v", len(r.Subjects), r.Errors)
			}
			e := r.Errors[0]
			if e.Source != tt.ref || e.Document != -1 || !strings.Contains(e.Error(), tt.want) || tt.is != nil && !errors.Is(e, tt.is) {
				t.Errorf("error %q (source %q, document %d), want %v and %q", e, e.Source, e.Document, tt.is, tt.want)
			}
			sum := hardening.Summary{Errors: len(r.Errors)}
			if sum.ExitCode(hardening.SeverityLow) != 2 {
				t.Errorf("exit code %d", sum.ExitCode(hardening.SeverityLow))
			}
		})
	}
	// Anonymous pulls through the token registry get a pull token.
	_, r := audit(t, load.Options{Registry: client(t)}, lab.token.Host+"/shop/api:1.4")
	if len(r.Subjects) != 1 {
		t.Errorf("anonymous token pull: %v", r.Errors)
	}
}

// Credentials as users have them: podman's auth.json, a repository-scoped
// entry, docker's credential helpers and store, an identity token.
func TestRegistryCredentialSources(t *testing.T) {
	needLab(t)
	bin := t.TempDir()
	helper := func(name, user, secret string) {
		script := fmt.Sprintf("#!/bin/sh\n[ \"$1\" = get ] || exit 1\nread server\necho \"$server\" >> %s/%s.log\nprintf '{\"ServerURL\":\"%%s\",\"Username\":\"%s\",\"Secret\":\"%s\"}' \"$server\"\n",
			bin, name, user, secret)
		if err := os.WriteFile(filepath.Join(bin, "docker-credential-"+name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	helper("labpass", registrytest.User, registrytest.Password)
	helper("labtoken", "<token>", registrytest.RefreshToken)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	write := func(name, content string) string {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	basic, token := lab.basic.Host, lab.token.Host
	tests := []struct {
		name  string
		files []string
		ref   string
	}{
		{"podman auth.json", []string{write("auth.json", `{"auths": {`+authEntry(basic, registrytest.User, registrytest.Password)+`}}`)}, basic + "/shop/api:1.4"},
		{"repository-scoped entry wins", []string{write("auth.json", `{"auths": {`+authEntry(basic, "nobody", "x")+`, `+
			authEntry(basic+"/shop", registrytest.User, registrytest.Password)+`}}`)}, basic + "/shop/api:1.4"},
		{"the first file that names the registry", []string{
			write("auth.json", `{"auths": {"other.example": {"auth": "eDp5"}}}`),
			write("config.json", `{"auths": {`+authEntry("https://"+basic+"/v1/", registrytest.User, registrytest.Password)+`}}`)}, basic + "/shop/api:1.4"},
		{"credHelpers", []string{write("config.json", fmt.Sprintf(`{"credHelpers": {%q: "labpass"}}`, basic))}, basic + "/shop/api:1.4"},
		{"credsStore", []string{write("config.json", `{"credsStore": "labpass", "auths": {}}`)}, basic + "/shop/api:1.4"},
		{"identity token from a helper", []string{write("config.json", fmt.Sprintf(`{"credHelpers": {%q: "labtoken"}}`, token))}, token + "/shop/api:1.4"},
		{"identitytoken in config.json", []string{write("config.json", fmt.Sprintf(`{"auths": {%q: {"identitytoken": %q}}}`, token, registrytest.RefreshToken))}, token + "/shop/api:1.4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refused := lab.ts.Refused.Load()
			_, r := audit(t, load.Options{Registry: client(t, tt.files...)}, tt.ref)
			if len(r.Subjects) != 1 {
				t.Errorf("subjects %d", len(r.Subjects))
			}
			if n := lab.ts.Refused.Load() - refused; n != 0 {
				t.Errorf("the token server refused %d requests", n)
			}
		})
	}
	// The helper was asked for the registry it serves.
	log, err := os.ReadFile(filepath.Join(bin, "labpass.log"))
	if err != nil || !strings.Contains(string(log), basic) {
		t.Errorf("helper log %q, %v", log, err)
	}
	// DOCKER_CONFIG names the default docker config.
	t.Setenv("DOCKER_CONFIG", filepath.Dir(goodAuth(t)))
	t.Setenv("REGISTRY_AUTH_FILE", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	c, err := registry.New(registry.Options{CertDirs: []string{lab.certsD}})
	if err != nil {
		t.Fatal(err)
	}
	if _, r := audit(t, load.Options{Registry: c}, basic+"/shop/api:1.4"); len(r.Subjects) != 1 {
		t.Errorf("DOCKER_CONFIG: %d subjects", len(r.Subjects))
	}
	// A malformed credential file is an error, not anonymity.
	bad := write("config.json", `{"auths": `)
	r := bulwark.AuditPaths(bulwark.Checks(), load.Options{Registry: client(t, bad)}, basic+"/shop/api:1.4")
	if len(r.Errors) != 1 || !strings.Contains(r.Errors[0].Error(), bad) {
		t.Errorf("malformed config: %v", r.Errors)
	}
}

// The audit command with image references: exit 1 for the planted
// image's findings, 2 for every reference that cannot be read; the CA
// comes from SSL_CERT_FILE and the credentials from DOCKER_CONFIG, as
// they would for docker.
func TestCommandExitCodes(t *testing.T) {
	needLab(t)
	bin := filepath.Join(t.TempDir(), "audit")
	build := exec.Command("go", "build", "-o", bin, "./cmd/audit")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	home := t.TempDir()
	env := append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_RUNTIME_DIR="+home, "REGISTRY_AUTH_FILE=",
		"SSL_CERT_FILE="+lab.ca.CertFile, "SSL_CERT_DIR="+home)
	good := "DOCKER_CONFIG=" + filepath.Dir(goodAuth(t))
	deployment := filepath.Join(t.TempDir(), "deploy.yaml")
	if err := os.WriteFile(deployment, []byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    spec:
      containers:
      - name: api
        image: `+lab.basic.Host+`/shop/api:1.4
`), 0o644); err != nil {
		t.Fatal(err)
	}
	wrong := "DOCKER_CONFIG=" + dockerConfig(t, `{"auths": {`+authEntry(lab.basic.Host, registrytest.User, "wrong")+`}}`)
	tests := []struct {
		name   string
		env    string
		args   []string
		code   int
		output string // in stdout or stderr; "!x": x in neither
	}{
		{"findings by tag", good, []string{lab.basic.Host + "/shop/api:1.4"}, 1, "images.private-key"},
		{"findings by digest, json", good, []string{"-format", "json", lab.basic.Host + "/shop/api@" + lab.digest}, 1, `"images.private-key"`},
		{"every platform of the index", good, []string{"-all-platforms", lab.basic.Host + "/shop/multi:1"}, 1, "shop/multi:1 (linux/arm64/v8)"},
		{"nothing at or above critical", good, []string{"-fail-on", "critical", "-platform", "linux/arm64", lab.basic.Host + "/shop/multi:1"}, 0, "shop/multi:1"},
		{"wrong credentials", wrong, []string{lab.basic.Host + "/shop/api:1.4"}, 2, "refused the credentials"},
		{"unknown tag", good, []string{lab.basic.Host + "/shop/api:0.0"}, 2, "MANIFEST_UNKNOWN"},
		{"registry down", good, []string{"127.0.0.1:1/shop/api:1.4"}, 2, "connection refused"},
		{"not a path, not a reference", good, []string{"shop/api:1.4"}, 2, "no such file"},
		{"the image behind a workload", good, []string{"-resolve-images", deployment}, 1, "a node may have pulled another image under this tag"},
		{"without resolving it", good, []string{deployment}, 1, "!so it runs as root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd := exec.Command(bin, tt.args...)
			cmd.Env = append(env, tt.env)
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			out := stdout.String() + stderr.String()
			if not, ok := strings.CutPrefix(tt.output, "!"); ok {
				if code != tt.code || strings.Contains(out, not) {
					t.Errorf("exit %d, want %d and no %q\nstdout:\n%s\nstderr:\n%s", code, tt.code, not, stdout.String(), stderr.String())
				}
				return
			}
			if code != tt.code || !strings.Contains(out, tt.output) {
				t.Errorf("exit %d, want %d and %q\nstdout:\n%s\nstderr:\n%s", code, tt.code, tt.output, stdout.String(), stderr.String())
			}
		})
	}
}

// Provenance through a registry without the referrers API (distribution):
// the cosign tag of the planted image is found, and its absence too.
func TestRegistryProvenance(t *testing.T) {
	needLab(t)
	c := client(t, goodAuth(t))
	checks := hardening.Checks{registry.ProvenanceCheck()}
	for _, tt := range []struct{ ref, want string }{
		{lab.basic.Host + "/shop/api:1.4", "attached to " + lab.digest + " in its registry (referrers tag and cosign tags): 1 signature; not verified here"},
		{lab.token.Host + "/shop/api:1.4", "nothing is attached to " + lab.digest + " in its registry (looked up through the referrers tag and cosign tags): no signature, attestation or SBOM"},
	} {
		r := bulwark.AuditPaths(checks, load.Options{Registry: c}, tt.ref)
		if len(r.Errors) > 0 || len(r.Findings) != 1 || r.Findings[0].Message != tt.want {
			t.Errorf("%s: errors %v, findings %v, want %q", tt.ref, r.Errors, r.Findings, tt.want)
		}
	}
}
