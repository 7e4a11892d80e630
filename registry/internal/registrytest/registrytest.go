// Package registrytest starts real OCI registries for tests: the
// distribution project's registry (v3.1.2, what Docker Hub's open-source
// core and many private registries run), built from the Go module proxy
// once and cached, listening on 127.0.0.1 with TLS from a test CA, and
// either htpasswd (basic) authentication or token authentication from a
// token server of this package. Images are pushed with skopeo, as users
// push them.
//
// Nothing here reaches beyond 127.0.0.1, except the Go command fetching
// the registry's modules through the module proxy when the binary is not
// cached yet.
package registrytest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// Version is the distribution release the tests run.
const Version = "v3.1.2"

// module is the registry's command.
const module = "github.com/distribution/distribution/v3/cmd/registry"

// CacheDir is where the registry binary is kept: $BULWARK_CACHE, or
// bulwark/ in the user's cache directory ($HOME/.cache/bulwark).
func CacheDir() (string, error) {
	if d := os.Getenv("BULWARK_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "bulwark"), nil
}

// Binary returns the path of the registry binary, building it from the Go
// module proxy when it is not cached (about 1.5 minutes on 2 cores; a lock
// keeps concurrent test processes from building it twice).
// $BULWARK_REGISTRY names a binary to use instead.
func Binary() (string, error) {
	if p := os.Getenv("BULWARK_REGISTRY"); p != "" {
		return p, nil
	}
	cache, err := CacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "distribution-"+Version)
	bin := filepath.Join(dir, "registry")
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(dir, "build.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("locking %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck
	if _, err := os.Stat(bin); err == nil {
		return bin, nil // another process built it meanwhile
	}
	work, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(work)
	if err := os.WriteFile(filepath.Join(work, "go.mod"), []byte("module bulwark.test/registrybuild\n\ngo 1.26\n"), 0o644); err != nil {
		return "", err
	}
	goCmd := func(args ...string) error {
		cmd := exec.Command("go", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if err := goCmd("get", module+"@"+Version); err != nil {
		return "", err
	}
	tmp := filepath.Join(work, "registry")
	if err := goCmd("build", "-trimpath", "-o", tmp, module); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// CA is a test certificate authority, and a server certificate it signed
// for 127.0.0.1 and localhost.
type CA struct {
	Dir      string // holds ca.crt, server.crt, server.key
	Cert     *x509.Certificate
	Pool     *x509.CertPool
	CertFile string // ca.crt
	// ServerCert and ServerKey are the server's certificate and key files;
	// TLS is the server's certificate for in-process servers.
	ServerCert, ServerKey string
	TLS                   tls.Certificate
}

// NewCA makes a CA and a server certificate in dir.
func NewCA(dir string) (*CA, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "bulwark test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caCert, &srvKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		return nil, err
	}
	ca := &CA{Dir: dir, Cert: caCert, Pool: x509.NewCertPool(),
		CertFile: filepath.Join(dir, "ca.crt"), ServerCert: filepath.Join(dir, "server.crt"), ServerKey: filepath.Join(dir, "server.key")}
	ca.Pool.AddCert(caCert)
	for _, f := range []struct {
		path, typ string
		der       []byte
	}{{ca.CertFile, "CERTIFICATE", caDER}, {ca.ServerCert, "CERTIFICATE", srvDER}, {ca.ServerKey, "EC PRIVATE KEY", keyDER}} {
		if err := os.WriteFile(f.path, pem.EncodeToMemory(&pem.Block{Type: f.typ, Bytes: f.der}), 0o600); err != nil {
			return nil, err
		}
	}
	ca.TLS, err = tls.LoadX509KeyPair(ca.ServerCert, ca.ServerKey)
	return ca, err
}

// CertsD writes a certs.d directory for host (as docker and podman read
// it: DIR/HOST/ca.crt) under dir and returns dir.
func (ca *CA) CertsD(dir, host string) (string, error) {
	d := filepath.Join(dir, host)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return "", err
	}
	data, err := os.ReadFile(ca.CertFile)
	if err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(d, "ca.crt"), data, 0o644)
}

// User and Password are the account of every test registry.
const (
	User     = "alice"
	Password = "s3cret"
)

// Registry is a running registry.
type Registry struct {
	Host   string // 127.0.0.1:PORT
	CA     *CA
	cmd    *exec.Cmd
	exited chan error // the registry's exit, once it answered
	// exitedWait receives the exit of a registry that is starting.
	exitedWait chan error
	dir        string
	log        *bytes.Buffer
}

// Auth selects a registry's authentication.
type Auth int

const (
	// Basic is htpasswd authentication: User and Password.
	Basic Auth = iota
	// Token is token authentication with the token server t.
	Token
)

// Start starts a registry with TLS from ca and the given authentication
// (for Token, the realm of ts), storing its data under dir. Stop it with
// Stop.
func Start(bin, dir string, ca *CA, auth Auth, ts *TokenServer) (*Registry, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var authYAML string
	switch auth {
	case Basic:
		hash, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
		if err != nil {
			return nil, err
		}
		htpasswd := filepath.Join(dir, "htpasswd")
		if err := os.WriteFile(htpasswd, []byte(User+":"+string(hash)+"\n"), 0o600); err != nil {
			return nil, err
		}
		authYAML = fmt.Sprintf("auth:\n  htpasswd:\n    realm: bulwark-test\n    path: %s\n", htpasswd)
	case Token:
		authYAML = fmt.Sprintf("auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n",
			ts.Realm(), tokenService, tokenIssuer, ts.CertFile)
	}
	var lastErr error
	for range 5 { // a port picked free may be taken before the registry binds it
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		host := fmt.Sprintf("127.0.0.1:%d", port)
		cfg := fmt.Sprintf(`version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: %s
  delete:
    enabled: true
http:
  addr: %s
  secret: bulwark-test-not-secret
  tls:
    certificate: %s
    key: %s
%s`, filepath.Join(dir, "data"), host, ca.ServerCert, ca.ServerKey, authYAML)
		cfgPath := filepath.Join(dir, "config.yml")
		if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
			return nil, err
		}
		r := &Registry{Host: host, CA: ca, dir: dir, log: &bytes.Buffer{}}
		r.cmd = exec.Command(bin, "serve", cfgPath)
		r.cmd.Stdout, r.cmd.Stderr = r.log, r.log
		if err := r.cmd.Start(); err != nil {
			return nil, err
		}
		if lastErr = r.wait(); lastErr == nil {
			return r, nil
		}
		r.cmd.Process.Kill() //nolint:errcheck // it failed to start
		<-r.exitedWait
	}
	return nil, lastErr
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// wait waits until the registry answers /v2/ (401 or 200), at most 30s.
func (r *Registry) wait() error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: r.CA.Pool}}}
	exited := make(chan error, 1)
	r.exitedWait = exited
	go func() { exited <- r.cmd.Wait() }()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			return fmt.Errorf("the registry exited: %v\n%s", err, r.log)
		default:
		}
		resp, err := client.Get("https://" + r.Host + "/v2/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusUnauthorized {
				r.exited = exited
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the registry did not answer within 30s\n%s", r.log)
}

// Stop stops the registry (the process this package started, by its
// pid) and waits for it to exit.
func (r *Registry) Stop() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have exited
	if r.exited == nil {
		r.cmd.Process.Kill() //nolint:errcheck
		r.cmd.Wait()         //nolint:errcheck
		return
	}
	select {
	case <-r.exited:
	case <-time.After(5 * time.Second):
		r.cmd.Process.Kill() //nolint:errcheck
		<-r.exited
	}
}

// Log returns what the registry printed.
func (r *Registry) Log() string { return r.log.String() }

// Push copies the image ref of the OCI layout at layout to the registry
// as repo:tag with skopeo (every image of an index with all), with the
// registry's credentials, and returns skopeo's output on error.
func (r *Registry) Push(ctx context.Context, layout, ref, repoTag string, all bool, extra ...string) error {
	certs, err := r.CA.CertsD(filepath.Join(r.dir, "skopeo-certs.d"), r.Host)
	if err != nil {
		return err
	}
	args := []string{"copy", "-q", "--dest-cert-dir", filepath.Join(certs, r.Host), "--dest-creds", User + ":" + Password}
	if all {
		args = append(args, "--all")
	}
	args = append(args, extra...)
	args = append(args, "oci:"+layout+":"+ref, "docker://"+r.Host+"/"+repoTag)
	return Skopeo(ctx, args...)
}

// Skopeo runs skopeo with args.
func Skopeo(ctx context.Context, args ...string) error {
	cmd := exec.CommandContext(ctx, "skopeo", args...)
	cmd.Env = append(os.Environ(), "HOME="+os.TempDir()) // no user policy or auth file
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return fmt.Errorf("skopeo is not installed (apt-get install skopeo): %w", err)
		}
		return fmt.Errorf("skopeo %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return nil
}
