package imagefiles

import "testing"

// Wanted asks for exactly the files the checks read: by name, and only up
// to MaxContent.
func TestWanted(t *testing.T) {
	for _, tt := range []struct {
		path       string
		size       int64
		key        Key
		credential string
		want       bool
	}{
		{path: "/etc/passwd", size: 900, want: true},
		{path: "/etc/shadow", size: 500, want: true},
		{path: "/etc/passwd", size: MaxContent + 1},
		{path: "/etc/passwd", size: -1},
		{path: "/usr/etc/passwd"},
		{path: "/root/.ssh/id_rsa", size: 1700, key: KeySSH, want: true},
		{path: "/root/.ssh/id_ed25519.pub", size: 100},
		{path: "/etc/ssh/ssh_host_ecdsa_key", size: 500, key: KeySSH, want: true},
		{path: "/etc/ssh/ssh_host_ecdsa_key.pub", size: 200},
		{path: "/srv/tls/server.key", size: 1700, key: KeyPEM, want: true},
		{path: "/srv/tls/cert.pem", size: 1200, key: KeyPEM, want: true},
		{path: "/home/app/.aws/credentials", size: 100, credential: "AWS credentials", want: true},
		{path: "/root/.docker/config.json", size: 100, credential: "Docker registry credentials", want: true},
		{path: "/root/.kube/config", size: 5000, credential: "Kubernetes credentials", want: true},
		{path: "/app/.npmrc", size: 50, credential: "an npm registry token", want: true},
		{path: "/root/_netrc", size: 50, credential: "netrc passwords", want: true},
		{path: "/app/config.json", size: 100},
		{path: "/usr/share/doc/credentials", size: 100},
		{path: "/usr/lib/libssl.so.3", size: 600_000},
		{path: "/", size: 0},
	} {
		if got := KeyCandidate(tt.path); got != tt.key {
			t.Errorf("KeyCandidate(%q) = %v, want %v", tt.path, got, tt.key)
		}
		if got := CredentialKind(tt.path); got != tt.credential {
			t.Errorf("CredentialKind(%q) = %q, want %q", tt.path, got, tt.credential)
		}
		if got := Wanted(tt.path, tt.size); got != tt.want {
			t.Errorf("Wanted(%q, %d) = %v, want %v", tt.path, tt.size, got, tt.want)
		}
	}
}
