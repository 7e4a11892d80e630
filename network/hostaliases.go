package network

// Check network.host-aliases: the Pod pins host names to addresses in its
// /etc/hosts.
//
// Pod fields:
//
//	spec.hostAliases[*].{ip,hostnames}
//
// Allowed values: none. Each alias is reported at its own index. Windows
// pods get the entries in their hosts file too and are checked.

import (
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// HostAliases reports hostAliases entries, which override name resolution
// for the Pod's containers.
var HostAliases = &hardening.Check{
	ID:       "network.host-aliases",
	Title:    "pod overrides name resolution with hostAliases",
	Severity: hardening.SeverityLow,
	Class:    hardening.ClassInnerContainer,
	Inputs:   hardening.KindPod,
	Rationale: "hostAliases writes entries into every container's /etc/hosts, ahead of DNS: whoever controls the manifest silently " +
		"redirects the application's connections (to its database, its identity provider, a registry), past DNS-based egress " +
		"policies and DNS logging, and the pinned addresses go stale when the real services move.",
	Remediation: "Remove hostAliases and publish the names in DNS (a Service, an ExternalName Service or the cluster's DNS configuration).",
	References: []hardening.Reference{
		{Kind: hardening.RefDoc, ID: "Kubernetes adding entries to Pod /etc/hosts with HostAliases",
			URL: "https://kubernetes.io/docs/tasks/network/customize-hosts-file-for-pods/"},
		hardening.NCC("7 inner-container"),
	},
	Run: runHostAliases,
}

func runHostAliases(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
	if s.Pod == nil {
		return out
	}
	for i, a := range s.Pod.Spec.HostAliases {
		names := make([]string, len(a.Hostnames))
		for j, h := range a.Hostnames {
			names[j] = strconv.Quote(h)
		}
		what := "no host names"
		if len(names) > 0 {
			what = strings.Join(names, ", ")
		}
		out = append(out, hardening.Finding{
			Path:    s.SpecPath("hostAliases[" + strconv.Itoa(i) + "]"),
			Message: "the pod resolves " + what + " to " + strconv.Quote(a.IP) + " through /etc/hosts, bypassing DNS",
		})
	}
	return out
}
