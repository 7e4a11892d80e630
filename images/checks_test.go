package images_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/google/go-cmp/cmp"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

type got checktest.Got

var summarize = checktest.Summarize[got]

// hardenedPod passes every check of this package: images pinned by digest,
// secrets from a mounted Secret, harmless literals.
func hardenedPod() *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "prod"},
		Spec: corev1.PodSpec{
			InitContainers: []corev1.Container{{Name: "migrate", Image: "registry.example:5000/app/migrate:2.1@" + sha}},
			Containers: []corev1.Container{{
				Name:  "app",
				Image: "registry.example/app:1.2@" + sha,
				Env: []corev1.EnvVar{
					{Name: "LOG_LEVEL", Value: "info"},
					{Name: "DB_PASSWORD_FILE", Value: "/run/secrets/db/password"},
					{Name: "DATABASE_URL", Value: "postgres://app@db.prod:5432/app"},
					{Name: "TOKEN_TTL", Value: "3600"},
				},
			}},
		},
	}
}

const (
	latest   = "images.latest-tag"
	digest   = "images.digest-missing"
	policy   = "images.pull-policy-not-always"
	secret   = "images.secret-in-env"
	high     = hardening.SeverityHigh
	medium   = hardening.SeverityMedium
	low      = hardening.SeverityLow
	appImage = "spec.containers[0].image"
	appPull  = "spec.containers[0].imagePullPolicy"
)

func image(ref string, pull corev1.PullPolicy) func(*corev1.Pod) {
	return func(p *corev1.Pod) { p.Spec.Containers[0].Image, p.Spec.Containers[0].ImagePullPolicy = ref, pull }
}

func env(name, value string) func(*corev1.Pod) {
	return func(p *corev1.Pod) {
		p.Spec.Containers[0].Env = append(p.Spec.Containers[0].Env, corev1.EnvVar{Name: name, Value: value})
	}
}

func TestPodChecks(t *testing.T) {
	const envPath = "spec.containers[0].env[4].value"
	tests := []struct {
		name  string
		tweak func(p *corev1.Pod)
		want  []got
	}{
		{"hardened", func(p *corev1.Pod) {}, nil},

		// pinning and pull policy
		{"no tag", image("nginx", ""), []got{{latest, medium, "app", appImage}}},
		{"no tag, IfNotPresent", image("nginx", corev1.PullIfNotPresent), []got{{latest, medium, "app", appImage}, {policy, low, "app", appPull}}},
		{"latest", image("nginx:latest", corev1.PullAlways), []got{{latest, medium, "app", appImage}}},
		{"registry port is not a tag", image("localhost:5000/app", ""), []got{{latest, medium, "app", appImage}}},
		{"version tag", image("localhost:5000/app:1.2", ""), []got{{digest, low, "app", appImage}, {policy, low, "app", appPull}}},
		{"version tag, Always", image("registry.example/app:1.2", corev1.PullAlways), []got{{digest, low, "app", appImage}}},
		{"version tag, Never", image("registry.example/app:1.2", corev1.PullNever), []got{{digest, low, "app", appImage}, {policy, low, "app", appPull}}},
		{"latest with digest is pinned", image("nginx:latest@"+sha, corev1.PullIfNotPresent), nil},
		{"digest only", image("nginx@"+sha, ""), nil},
		{"malformed reference is not reported", image("Nginx:latest", ""), nil},
		{"empty image is not reported", image("", ""), nil},
		{"ephemeral container", func(p *corev1.Pod) {
			p.Spec.EphemeralContainers = []corev1.EphemeralContainer{{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: "debug", Image: "busybox"}}}
		}, []got{{latest, medium, "debug", "spec.ephemeralContainers[0].image"}}},

		// secrets in env
		{"literal password", env("DB_PASSWORD", "hunter2"), []got{{secret, medium, "app", envPath}}},
		{"camelCase api key", env("stripeApiKey", "sk_live_abc"), []got{{secret, medium, "app", envPath}}},
		{"PGPASSWORD", env("PGPASSWORD", "hunter2"), []got{{secret, medium, "app", envPath}}},
		{"GITHUB_TOKEN", env("GITHUB_TOKEN", "ghp_abcdef"), []got{{secret, medium, "app", envPath}}},
		{"AWS secret access key", env("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"), []got{{secret, medium, "app", envPath}}},
		{"URL with a password, any name", env("DATABASE_URL", "postgres://app:hunter2@db:5432/app"), []got{{secret, medium, "app", envPath}}},
		{"redis URL with only a password", env("CACHE", "redis://:hunter2@cache:6379/0"), []got{{secret, medium, "app", envPath}}},
		{"URL whose password is a reference", env("DATABASE_URL", "postgres://app:$(DB_PASSWORD)@db/app"), nil},
		{"URL without a password", env("TOKEN_URL", "https://auth.example/token"), nil},
		{"reference", env("DB_PASSWORD", "$(PASSWORD_FROM_SECRET)"), nil},
		{"shell reference", env("API_KEY", "${API_KEY_VALUE}"), nil},
		{"secret manager locator", env("DB_PASSWORD", "vault:secret/data/db#password"), nil},
		{"file path value", env("SSL_PRIVATE_KEY", "/etc/tls/key.pem"), nil},
		{"boolean", env("REQUIRE_PASSWORD", "true"), nil},
		{"small number", env("PASSWORD", "8"), nil},
		{"placeholder", env("ADMIN_PASSWORD", "<change-me>"), nil},
		{"masked", env("ADMIN_PASSWORD", "********"), nil},
		{"empty", env("ADMIN_PASSWORD", ""), nil},
		{"_FILE", env("TOKEN_FILE", "token.txt"), nil},
		{"_NAME", env("SECRET_NAME", "db-credentials"), nil},
		{"_USER", env("DB_PASSWORD_USER", "app"), nil},
		{"public key", env("JWT_PUBLIC_KEY", "MIIBIjANBgkq"), nil},
		{"PWD", env("PWD", "app"), nil},
		{"MAX_TOKENS", env("MAX_TOKENS", "4096"), nil},
		{"TOKENIZER", env("TOKENIZER", "bpe"), nil},
		{"GPG_KEY is a fingerprint", env("GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"), nil},

		// Secrets in the environment, from a Secret: not a literal, but
		// a file would do.
		{"secretKeyRef", func(p *corev1.Pod) {
			p.Spec.Containers[0].Env = append(p.Spec.Containers[0].Env, corev1.EnvVar{Name: "DB_PASSWORD", ValueFrom: &corev1.EnvVarSource{
				SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "db"}, Key: "password"}}})
		}, []got{{"images.secret-as-env", hardening.SeverityInfo, "app", "spec.containers[0].env[4].valueFrom.secretKeyRef"}}},
		{"envFrom a Secret and a ConfigMap", func(p *corev1.Pod) {
			p.Spec.InitContainers[0].EnvFrom = []corev1.EnvFromSource{
				{ConfigMapRef: &corev1.ConfigMapEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "settings"}}},
				{Prefix: "DB_", SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "db"}}},
			}
		}, []got{{"images.secret-as-env", hardening.SeverityInfo, "migrate", "spec.initContainers[0].envFrom[1].secretRef"}}},

		// secrets by value, whatever the name
		{"OpenSSH key in the_good_stuff", env("the_good_stuff", fakeOpenSSH), []got{{secret, high, "app", envPath}}},
		{"encrypted key", env("DEPLOY_KEY_MATERIAL", fakeOpenSSHEncrypted), []got{{secret, medium, "app", envPath}}},
		{"GitHub token in a clone URL", env("GIT_REMOTE", "https://x-access-token:"+fakeGHS+"@github.com/org/repo.git"), []got{{secret, high, "app", envPath}}},
		{"AWS key ID, a name that is not secret", env("AWS_ACCESS_KEY_ID", fakeAKIA), []got{{secret, medium, "app", envPath}}},
		{"AWS documentation key", env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"), []got{{secret, hardening.SeverityInfo, "app", envPath}}},
		{"JWT in a header value", env("UPSTREAM_AUTHORIZATION", "Bearer "+fakeJWT), []got{{secret, high, "app", envPath}}},
		{"Slack token", env("NOTIFY", fakeXoxb), []got{{secret, high, "app", envPath}}},
		{"placeholder token is judged by its name", env("GITHUB_TOKEN", "ghp_"+strings.Repeat("x", 36)), []got{{secret, medium, "app", envPath}}},
		{"placeholder token under a harmless name", env("EXAMPLE", "ghp_"+strings.Repeat("x", 36)), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			tt.tweak(pod)
			findings := checktest.Each(images.Checks(), hardening.NewPodSubject(pod))
			if diff := cmp.Diff(tt.want, summarize(findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLooksSecret(t *testing.T) {
	yes := []string{"PASSWORD", "DB_PASSWORD", "MYSQL_ROOT_PASSWORD", "db_passwd", "dbPassword", "SSH_PASSPHRASE", "CLIENT_SECRET",
		"JWT_SECRET_KEY", "VAULT_TOKEN", "SLACK_BOT_TOKEN", "GHTOKEN", "API_KEY", "APIKEY", "X-Api-Key", "apiKey", "PRIVATE_KEY",
		"AWS_ACCESS_KEY", "SIGNING_KEY", "GOOGLE_APPLICATION_CREDENTIALS_JSON", "REGISTRY_CREDENTIAL", "DB_PWD", "secret"}
	no := []string{"", "PWD", "OLDPWD", "TOKEN_FILE", "PASSWORD_FILE", "SECRET_PATH", "TOKEN_URL", "SECRET_NAME", "DB_USER",
		"AWS_ACCESS_KEY_ID", "PASSWORD_MIN_LENGTH", "TOKEN_TTL", "SESSION_TOKEN_EXPIRY", "JWT_PUBLIC_KEY", "PUBLICKEY_TOKEN",
		"MAX_TOKENS", "TOKENIZER_MODEL", "CACHE_KEY", "KEY", "GPG_KEYS", "PASSWORD_HASH", "LOG_LEVEL", "SECRETS_DIR",
		"GOOGLE_APPLICATION_CREDENTIALS_FILE"}
	for _, n := range yes {
		if !images.LooksSecret(n) {
			t.Errorf("LooksSecret(%q) = false, want true", n)
		}
	}
	for _, n := range no {
		if images.LooksSecret(n) {
			t.Errorf("LooksSecret(%q) = true, want false", n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { images.LooksSecret("stripeApiKey_FILE") }); n != 0 {
		t.Errorf("LooksSecret allocates: %v", n)
	}
}

func TestSecretMessagesHideTheValue(t *testing.T) {
	pod := hardenedPod()
	env("DB_PASSWORD", "hunter2")(pod)
	env("DATABASE_URL", "postgres://app:hunter2@db/app")(pod)
	env("the_good_stuff", fakeOpenSSH)(pod)
	f := images.SecretInEnv.Run(hardening.NewPodSubject(pod), nil)
	want := []string{
		`container "app" sets DB_PASSWORD to a literal value of 7 characters (not shown); its name says it is a secret`,
		`container "app" sets DATABASE_URL to a URL with an embedded password (29 characters, not shown)`,
		`container "app" sets the_good_stuff to a value holding an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----…, 211 characters, not shown)`,
	}
	var gotMsgs []string
	for _, x := range f {
		gotMsgs = append(gotMsgs, x.Message)
		if strings.Contains(x.Message, "hunter2") || strings.Contains(x.Message, "b3BlbnNz") {
			t.Errorf("message shows the secret: %s", x.Message)
		}
	}
	if diff := cmp.Diff(want, gotMsgs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestSecretInImageAndSpec(t *testing.T) {
	img := hardening.NewImageSubject("config.json", &imagespec.Image{Config: imagespec.ImageConfig{Env: []string{
		"PATH=/usr/local/bin:/usr/bin", "GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D", "ADMIN_PASSWORD=admin", "NOVALUE",
		"DEPLOY=" + fakeGHP, "AWS_ACCESS_KEY_ID=" + fakeAKIA,
	}}})
	spec := hardening.NewSpecSubject("config.json", &runtimespec.Spec{Process: &runtimespec.Process{Env: []string{
		"TERM=xterm", "REDIS_URL=redis://default:s3cret@redis:6379", "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
	}}})
	var f []hardening.Finding
	f = hardening.Checks{images.SecretInEnv}.Check(img, f)
	f = hardening.Checks{images.SecretInEnv}.Check(spec, f)
	want := []got{
		{secret, high, "", "config.Env[2]"},
		{secret, high, "", "config.Env[4]"},
		// The material's severity, not the image's: a key ID is medium.
		{secret, medium, "", "config.Env[5]"},
		{secret, medium, "", "process.env[1]"},
		{secret, hardening.SeverityInfo, "", "process.env[2]"},
	}
	if diff := cmp.Diff(want, summarize(f)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if m := f[0].Message; m != "the image's ENV sets ADMIN_PASSWORD to a literal value of 5 characters (not shown); its name says it is a secret" {
		t.Errorf("message: %s", m)
	}
}

func TestPullPolicyMessage(t *testing.T) {
	pod := hardenedPod()
	image("registry.example/app:1.2", "")(pod)
	f := images.PullPolicyNotAlways.Run(hardening.NewPodSubject(pod), nil)
	want := `container "app" runs mutable image "registry.example/app:1.2" with imagePullPolicy unset, which defaults to IfNotPresent for a tag other than latest: the node runs whatever it cached under the tag`
	if len(f) != 1 || f[0].Message != want {
		t.Errorf("got %v\nwant %s", f, want)
	}
}

func TestCatalog(t *testing.T) { checktest.Catalog(t, images.Checks()) }
