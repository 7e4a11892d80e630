package registry

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseChallenges(t *testing.T) {
	tests := []struct {
		in   []string
		want []challenge
		err  string
	}{
		{[]string{`Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"`},
			[]challenge{{"bearer", map[string]string{"realm": "https://auth.example/token", "service": "registry.example", "scope": "repository:a/b:pull"}}}, ""},
		{[]string{`Basic realm="Registry Realm"`}, []challenge{{"basic", map[string]string{"realm": "Registry Realm"}}}, ""},
		{[]string{`BEARER Realm=tok , Service = s`}, []challenge{{"bearer", map[string]string{"realm": "tok", "service": "s"}}}, ""},
		{[]string{`Bearer realm=https://x/t`}, nil, "unexpected"}, // a URL must be quoted
		{[]string{`Basic realm="a", Bearer realm="b"`}, []challenge{{"basic", map[string]string{"realm": "a"}}, {"bearer", map[string]string{"realm": "b"}}}, ""},
		{[]string{`Basic realm="a"`, `Bearer realm="b"`}, []challenge{{"basic", map[string]string{"realm": "a"}}, {"bearer", map[string]string{"realm": "b"}}}, ""},
		{[]string{`Bearer realm="a \"quoted\" \\ realm"`}, []challenge{{"bearer", map[string]string{"realm": `a "quoted" \ realm`}}}, ""},
		{[]string{`Bearer`}, []challenge{{"bearer", map[string]string{}}}, ""},
		{[]string{``}, nil, ""},
		{[]string{`Bearer realm="x`}, nil, "without its closing quote"},
		{[]string{`Bearer realm="x\`}, nil, "ends in a backslash"},
		{[]string{`Bearer realm=`}, nil, "without a value"},
		{[]string{`"x"`}, nil, "no scheme"},
		{[]string{`Bearer realm="a" "b"`}, nil, "unexpected"},
	}
	for _, tt := range tests {
		got, err := parseChallenges(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(challenge{})); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

// FuzzParseChallenges: any header is a bounded list of challenges or an
// error, never a panic.
func FuzzParseChallenges(f *testing.F) {
	for _, s := range []string{`Bearer realm="https://a/t",service="s",scope="repository:x:pull"`, `Basic realm="r"`,
		`Basic realm="a", Bearer realm="b"`, `Bearer realm="\"x\\"`, `Negotiate abc==`, `,,,`, `Bearer realm=`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		chals, err := parseChallenges([]string{s})
		if err != nil {
			return
		}
		for _, c := range chals {
			if c.scheme == "" || len(c.params) > maxChallengeParams {
				t.Fatalf("%q: %+v", s, c)
			}
		}
	})
}

func TestParseReference(t *testing.T) {
	tests := []struct {
		in       string
		explicit bool
		want     string // the full reference, or "error: …"
	}{
		{"registry.example/shop/api:1.4", false, "registry.example/shop/api:1.4"},
		{"localhost:5000/app@sha256:" + strings.Repeat("a", 64), false, "localhost:5000/app@sha256:" + strings.Repeat("a", 64)},
		{"localhost/app:1", false, "localhost/app:1"},
		{"127.0.0.1:5443/a/b/c:v", false, "127.0.0.1:5443/a/b/c:v"},
		{"[::1]:5000/app:1", false, "[::1]:5000/app:1"},
		{"r.example/app:1@sha256:" + strings.Repeat("b", 64), false, "r.example/app:1@sha256:" + strings.Repeat("b", 64)},
		{"index.docker.io/nginx:1", false, "docker.io/library/nginx:1"},
		{"docker.io/team/app:1", false, "docker.io/team/app:1"},
		{"nginx:1.27", true, "docker.io/library/nginx:1.27"},
		{"nginx", true, "docker.io/library/nginx:latest"},
		{"r.example/app", true, "r.example/app:latest"},
		// Not references without docker://.
		{"nginx:1.27", false, "error: names no registry host"},
		{"team/app:1", false, "error: names no registry host"},
		{"r.example/app", false, "error: names neither a tag nor a digest"},
		{"deploy/web.yaml", false, "error: names no registry host"},
		{"./x:1", false, "error: \".\" is not a registry host"},
		{"../x:1", false, "error: is not a registry host"},
		{"/abs/path:1", false, "error: "},
		{"r.example/App:1", false, "error: "},
		{"-r.example/app:1", false, "error: is not a registry host"},
		{"r.example:99999999/app:1", false, "error: is not a registry host"},
		{"r.example/app@md5:abc", false, "error: "},
		{"r.example/app@sha384:" + strings.Repeat("c", 96), false, "error: digest algorithm \"sha384\" is not supported"},
		{"", true, "error: "},
	}
	for _, tt := range tests {
		r, err := parseReference(tt.in, tt.explicit)
		got := r.String()
		if err != nil {
			got = "error: " + err.Error()
		}
		wantErr, isErr := strings.CutPrefix(tt.want, "error: ")
		if isErr && !(strings.HasPrefix(got, "error: ") && strings.Contains(got, wantErr)) || !isErr && got != tt.want {
			t.Errorf("parseReference(%q, %v) = %q, want %q", tt.in, tt.explicit, got, tt.want)
		}
	}
}

// FuzzReference: what Reference accepts renders to a reference that reads
// back the same, and nothing accepted bare lacks a host or a tag or digest.
func FuzzReference(f *testing.F) {
	for _, s := range []string{"registry.example/shop/api:1.4", "localhost:5000/a@sha256:" + strings.Repeat("a", 64), "nginx", "./x:1", "[::1]:5/a:b"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	c, err := New(Options{AuthFiles: []string{}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string, explicit bool) {
		full, ok := c.Reference(s, explicit)
		if !ok {
			return
		}
		again, ok := c.Reference(full, false)
		if !ok || again != full {
			t.Fatalf("%q -> %q -> %q, %v", s, full, again, ok)
		}
		r, _ := parseReference(full, false)
		if r.host == "" || r.repo == "" || r.tag == "" && r.digest == "" {
			t.Fatalf("%q: %+v", s, r)
		}
	})
}

func TestMatchAuth(t *testing.T) {
	auths := map[string]authEntry{
		"https://index.docker.io/v1/": {Username: "hub"},
		"registry.example":            {Username: "host"},
		"registry.example/team":       {Username: "team"},
		"registry.example/team/app":   {Username: "app"},
		"http://other.example:5000/":  {Username: "other"},
		"registry.example.evil":       {Username: "evil"},
	}
	tests := []struct{ host, repo, want string }{
		{"docker.io", "library/nginx", "hub"},
		{"registry.example", "x/y", "host"},
		{"registry.example", "team/web", "team"},
		{"registry.example", "team/app", "app"},
		{"registry.example", "team/application", "team"},
		{"registry.example", "teamx/app", "host"},
		{"other.example:5000", "a", "other"},
		{"other.example", "a", ""},
		{"unknown.example", "a", ""},
	}
	for _, tt := range tests {
		e, ok := matchAuth(auths, tt.host, tt.repo)
		got := ""
		if ok {
			got = e.Username
		}
		if got != tt.want {
			t.Errorf("%s/%s: %q, want %q", tt.host, tt.repo, got, tt.want)
		}
	}
	bad := []authEntry{{Auth: "%%%"}, {Auth: "bm9jb2xvbg=="}} // not base64; "nocolon"
	for _, e := range bad {
		if _, err := e.credential(); err == nil {
			t.Errorf("%+v: no error", e)
		}
	}
}

// A registry that wants a client certificate gets the one in its certs.d
// directory, whose CA the client trusts too.
func TestCertsDClientCertificate(t *testing.T) {
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ca"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign}
	caDER, _ := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	caCert, _ := x509.ParseCertificate(caDER)
	cliKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cliTmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "client"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	cliDER, _ := x509.CreateCertificate(rand.Reader, cliTmpl, caCert, &cliKey.PublicKey, caKey)
	keyDER, _ := x509.MarshalECPrivateKey(cliKey)

	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	srv.TLS = &tls.Config{ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: poolOf(caCert)}
	srv.StartTLS()
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "https://")
	hostDir := filepath.Join(dir, host)
	if err := os.MkdirAll(hostDir, 0o755); err != nil {
		t.Fatal(err)
	}
	srvPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	for name, data := range map[string][]byte{
		"ca.crt":      srvPEM,
		"client.cert": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cliDER}),
		"client.key":  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	} {
		if err := os.WriteFile(filepath.Join(hostDir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, withCert := range []bool{true, false} {
		if !withCert {
			os.Remove(filepath.Join(hostDir, "client.cert"))
		}
		c, err := New(Options{CertDirs: []string{dir}, AuthFiles: []string{}, RootCAs: x509.NewCertPool(), Retries: -1})
		if err != nil {
			t.Fatal(err)
		}
		h, err := c.host(host)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.do(context.Background(), request{h: h, repo: "app", path: "app/manifests/v1", small: true})
		if withCert != (err == nil) {
			t.Errorf("client certificate %v: %v", withCert, err)
		}
		if err == nil {
			resp.Body.Close()
		}
	}
	// A certificate without its key, or a CA file that holds none, is an
	// error: the user put it there for this registry.
	os.WriteFile(filepath.Join(hostDir, "client.cert"), []byte("x"), 0o600)
	os.Remove(filepath.Join(hostDir, "client.key"))
	c, _ := New(Options{CertDirs: []string{dir}, AuthFiles: []string{}})
	if _, err := c.host(host); err == nil || !strings.Contains(err.Error(), "without its key") {
		t.Errorf("certificate without key: %v", err)
	}
}
