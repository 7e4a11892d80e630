package registry

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxCertFile bounds a certificate or key file of a certs.d directory.
const maxCertFile = 1 << 20

// certDirs returns the certs.d directories searched.
func (c *Client) certDirs() []string {
	if c.opts.CertDirs != nil {
		return c.opts.CertDirs
	}
	dirs := []string{"/etc/docker/certs.d", "/etc/containers/certs.d"}
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		if home, err := os.UserHomeDir(); err == nil {
			cfg = filepath.Join(home, ".config")
		}
	}
	if cfg != "" {
		dirs = append(dirs, filepath.Join(cfg, "containers", "certs.d"))
	}
	return dirs
}

// readCertsD adds the CA certificates of every certs.d directory's
// subdirectory for the registry at api (host[:port], as docker and podman
// name it) to pool, and returns the client certificates there: *.crt are
// CAs, NAME.cert with NAME.key a client certificate. A directory that does
// not exist holds nothing; a file that cannot be read or parsed is an
// error, since the user put it there for this registry.
func readCertsD(dirs []string, api string, pool *x509.CertPool) ([]tls.Certificate, error) {
	if strings.ContainsAny(api, `/\`) || api == "." || api == ".." {
		return nil, fmt.Errorf("registry host %q cannot name a certs.d directory", clip(api))
	}
	var certs []tls.Certificate
	for _, d := range dirs {
		dir := filepath.Join(d, api)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("certs.d: %w", err)
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		slices.Sort(names)
		for _, n := range names {
			p := filepath.Join(dir, n)
			switch {
			case strings.HasSuffix(n, ".crt"):
				pem, err := readSmall(p)
				if err != nil {
					return nil, fmt.Errorf("certs.d: %w", err)
				}
				if !pool.AppendCertsFromPEM(pem) {
					return nil, fmt.Errorf("certs.d: %s holds no PEM certificate", p)
				}
			case strings.HasSuffix(n, ".cert"):
				key := strings.TrimSuffix(p, ".cert") + ".key"
				certPEM, err := readSmall(p)
				if err != nil {
					return nil, fmt.Errorf("certs.d: %w", err)
				}
				keyPEM, err := readSmall(key)
				if err != nil {
					return nil, fmt.Errorf("certs.d: client certificate %s without its key: %w", p, err)
				}
				pair, err := tls.X509KeyPair(certPEM, keyPEM)
				if err != nil {
					return nil, fmt.Errorf("certs.d: %s: %w", p, err)
				}
				certs = append(certs, pair)
			}
		}
	}
	return certs, nil
}

func readSmall(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCertFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCertFile {
		return nil, fmt.Errorf("%s is larger than %d bytes", p, maxCertFile)
	}
	return data, nil
}
