package images

// Check images.sensitive-port: the image exposes a port of a remote-access
// or control-plane service.
//
// Image config fields: config.ExposedPorts keys ("22/tcp", "22", which is
// tcp, or a range "2375-2376/tcp").
//
// Allowed values: every port not in the table below, and every udp or sctp
// port. The table (tcp) and its severities:
//
//	22          SSH                                          medium
//	23          Telnet (clear-text logins)                   high
//	2375        Docker Engine API without TLS                critical
//	2376        Docker Engine API over TLS                   high
//	2379, 2380  etcd client and peer APIs                    high
//	3389        RDP remote desktop                           medium
//	5900        VNC remote desktop                           medium
//	6443        Kubernetes API server                        medium
//	10250       kubelet API                                  high
//	10255       kubelet read-only API (unauthenticated)      medium
//
// The ports are those the services document as their defaults (Docker's
// "Protect the Docker daemon socket", Kubernetes' "Ports and Protocols",
// etcd's and the IANA registry for the others). EXPOSE opens nothing by
// itself; it documents what the image serves, and docker run -P and many
// platforms publish what it lists. Findings are sorted by path.

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SensitivePort reports exposed ports of remote-access and control-plane
// services.
var SensitivePort = &hardening.Check{
	ID:       "images.sensitive-port",
	Title:    "image exposes a remote-access or control-plane port",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassManagement,
	Inputs:   hardening.KindImage,
	Rationale: "An image that serves SSH, Telnet, remote desktop, or a container engine, etcd or kubelet API opens a door " +
		"past the orchestrator: remote shells bypass kubectl exec's authorization and audit, and the engine and control-plane " +
		"APIs give whoever reaches them the host or the cluster.",
	Remediation: "Remove the service and its EXPOSE: use kubectl exec or docker exec for access. If the image really is such a " +
		"service, require TLS and authentication and keep its port off shared networks.",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Docker: protect the Docker daemon socket", URL: "https://docs.docker.com/engine/security/protect-access/"},
		{Kind: hardening.RefDoc, ID: "Kubernetes ports and protocols", URL: "https://kubernetes.io/docs/reference/networking/ports-and-protocols/"},
		imNCC("management layer"),
	},
	Run: runSensitivePort,
}

var sensitivePorts = [...]struct {
	port     int
	severity hardening.Severity
	class    hardening.Class
	what     string
}{
	{22, hardening.SeverityMedium, hardening.ClassInnerContainer, "SSH: a remote shell that bypasses the orchestrator's exec authorization and audit"},
	{23, hardening.SeverityHigh, hardening.ClassInnerContainer, "Telnet, which sends logins in clear text"},
	{2375, hardening.SeverityCritical, hardening.ClassManagement, "the Docker Engine API without TLS: whoever reaches it controls the engine and its host"},
	{2376, hardening.SeverityHigh, hardening.ClassManagement, "the Docker Engine API over TLS, which controls the engine and its host"},
	{2379, hardening.SeverityHigh, hardening.ClassManagement, "the etcd client API, which holds a cluster's state and Secrets"},
	{2380, hardening.SeverityHigh, hardening.ClassManagement, "the etcd peer API"},
	{3389, hardening.SeverityMedium, hardening.ClassInnerContainer, "RDP remote desktop"},
	{5900, hardening.SeverityMedium, hardening.ClassInnerContainer, "VNC remote desktop, often without authentication"},
	{6443, hardening.SeverityMedium, hardening.ClassManagement, "the Kubernetes API server"},
	{10250, hardening.SeverityHigh, hardening.ClassManagement, "the kubelet API, which runs commands in the node's pods"},
	{10255, hardening.SeverityMedium, hardening.ClassManagement, "the kubelet read-only API, which lists pods and their specs without authentication"},
}

func runSensitivePort(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Image == nil {
		return out
	}
	mark := len(out)
	for key := range s.Image.Config.ExposedPorts {
		lo, hi, ok := parsePorts(key)
		if !ok {
			continue
		}
		for _, p := range sensitivePorts {
			if p.port < lo || p.port > hi {
				continue
			}
			out = append(out, hardening.Finding{
				Severity: p.severity,
				Class:    p.class,
				Path:     hardening.Key("config.ExposedPorts", key),
				Message:  "the image exposes port " + strconv.Itoa(p.port) + "/tcp, " + p.what,
			})
		}
	}
	slices.SortStableFunc(out[mark:], func(a, b hardening.Finding) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// parsePorts reads an ExposedPorts key as a tcp port range: "22/tcp" and
// "22" are 22-22, "2375-2376/tcp" is 2375-2376; ok is false for other
// protocols and malformed keys.
func parsePorts(key string) (lo, hi int, ok bool) {
	ports, proto, _ := strings.Cut(key, "/")
	if proto != "" && !strings.EqualFold(proto, "tcp") {
		return 0, 0, false
	}
	first, last, isRange := strings.Cut(ports, "-")
	lo, ok = portNumber(first)
	if !ok {
		return 0, 0, false
	}
	hi = lo
	if isRange {
		if hi, ok = portNumber(last); !ok || hi < lo {
			return 0, 0, false
		}
	}
	return lo, hi, true
}

func portNumber(s string) (int, bool) {
	if !digits(s) || len(s) > 5 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n <= 65535
}
