package registrytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// The token service's names, as the registry's config repeats them.
const (
	tokenService = "bulwark-test-registry"
	tokenIssuer  = "bulwark-test-issuer"
)

// RefreshToken is the identity token (OAuth2 refresh token) the token
// server accepts for User.
const RefreshToken = "alice-refresh-token"

// TokenServer is a Docker token server (the "token" authentication of
// distribution): it grants User whatever she asks, and anonymous callers
// pull only. Tokens are JWTs signed with ES256 by a key whose
// certificate, CertFile, the registry trusts; their "kid" is the key's
// JWK thumbprint (RFC 7638), which is how distribution v3 finds the key.
type TokenServer struct {
	CertFile string
	srv      *httptest.Server
	key      *ecdsa.PrivateKey
	kid      string
	// Requests counts the token requests, Refused those refused.
	Requests, Refused atomic.Int64
}

// NewTokenServer starts a token server on 127.0.0.1 with TLS from ca,
// writing its signing certificate to dir.
func NewTokenServer(dir string, ca *CA) (*TokenServer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "bulwark test token signer"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	ts := &TokenServer{CertFile: filepath.Join(dir, "token.crt"), key: key, kid: thumbprint(&key.PublicKey)}
	if err := os.WriteFile(ts.CertFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, err
	}
	ts.srv = httptest.NewUnstartedServer(http.HandlerFunc(ts.serve))
	ts.srv.Listener.Close()
	if ts.srv.Listener, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	ts.srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.TLS}}
	ts.srv.StartTLS()
	return ts, nil
}

// Realm is the URL of the token endpoint.
func (ts *TokenServer) Realm() string { return ts.srv.URL + "/token" }

// Close stops the server.
func (ts *TokenServer) Close() { ts.srv.Close() }

// thumbprint is the JWK thumbprint of an EC P-256 key, with the
// coordinates as distribution encodes them.
func thumbprint(pub *ecdsa.PublicKey) string {
	x := base64.RawURLEncoding.EncodeToString(pub.X.Bytes())
	y := base64.RawURLEncoding.EncodeToString(pub.Y.Bytes())
	sum := sha256.Sum256(fmt.Appendf(nil, `{"crv":"P-256","kty":"EC","x":"%s","y":"%s"}`, x, y))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func (ts *TokenServer) serve(w http.ResponseWriter, r *http.Request) {
	ts.Requests.Add(1)
	if r.URL.Path != "/token" {
		http.NotFound(w, r)
		return
	}
	subject := ""
	switch {
	case r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("refresh_token") != RefreshToken {
			ts.Refused.Add(1)
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusUnauthorized)
			return
		}
		subject = User
	default:
		if u, p, ok := r.BasicAuth(); ok {
			if u != User || p != Password {
				ts.Refused.Add(1)
				http.Error(w, `{"details":"bad credentials"}`, http.StatusUnauthorized)
				return
			}
			subject = User
		}
	}
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = r.PostForm
	}
	var access []map[string]any
	for _, scopes := range q["scope"] {
		for _, s := range strings.Fields(scopes) {
			parts := strings.Split(s, ":")
			if len(parts) < 3 {
				continue
			}
			actions := strings.Split(parts[len(parts)-1], ",")
			if subject == "" {
				actions = []string{"pull"}
			}
			access = append(access, map[string]any{"type": parts[0], "name": strings.Join(parts[1:len(parts)-1], ":"), "actions": actions})
		}
	}
	now := time.Now()
	tok, err := ts.sign(map[string]any{
		"iss": tokenIssuer, "sub": subject, "aud": q.Get("service"),
		"exp": now.Add(5 * time.Minute).Unix(), "nbf": now.Add(-time.Minute).Unix(), "iat": now.Unix(),
		"jti": fmt.Sprint(now.UnixNano()), "access": access,
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"token": tok, "access_token": tok, "expires_in": 300}) //nolint:errcheck
}

// sign makes a compact JWS of claims with ES256.
func (ts *TokenServer) sign(claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "ES256", "typ": "JWT", "kid": ts.kid})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	r, s, err := ecdsa.Sign(rand.Reader, ts.key, sum[:])
	if err != nil {
		return "", err
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
