package network

// The Pod Security Standards controls on networking, with the semantics of
// Kubernetes' Pod Security Admission (k8s.io/pod-security-admission
// v0.37.2), version by version. Containers means init, regular and
// ephemeral containers.
//
//	hostPorts (baseline, 1.0+)
//	    spec.containers[*].ports[*].hostPort: 0 or unset
//	sysctls (baseline)
//	    spec.securityContext.sysctls[*].name, one of:
//	    1.0+  kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies,
//	          net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start
//	    1.27+ net.ipv4.ip_local_reserved_ports
//	    1.29+ net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout,
//	          net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes
//	    1.32+ net.ipv4.tcp_rmem, net.ipv4.tcp_wmem
//	    1.37+ net.ipv4.tcp_slow_start_after_idle, net.ipv4.tcp_notsent_lowat
//	hostProbesAndHostLifecycle (baseline, 1.34+)
//	    spec.containers[*].{livenessProbe,readinessProbe,startupProbe}.{httpGet,tcpSocket}.host,
//	    spec.containers[*].lifecycle.{postStart,preStop}.{httpGet,tcpSocket}.host: "" or unset

import (
	"strconv"

	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
)

const refPSSBaseline = "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline"

var (
	v1_0  = hardening.KubeVersion{Major: 1, Minor: 0}
	v1_34 = hardening.KubeVersion{Major: 1, Minor: 34}
)

// PSSControls returns this package's Pod Security Standards controls.
func PSSControls() []hardening.PSSControl {
	return []hardening.PSSControl{
		{ID: PSSHostPorts.ID, Level: hardening.PSSBaseline, Since: v1_0, At: func(hardening.KubeVersion) *hardening.Check { return PSSHostPorts }},
		{ID: "network.pss-sysctls", Level: hardening.PSSBaseline, Since: v1_0, At: pssSysctlsAt},
		{ID: PSSHostProbes.ID, Level: hardening.PSSBaseline, Since: v1_34, At: func(hardening.KubeVersion) *hardening.Check { return PSSHostProbes }},
	}
}

// PSSHostPorts is the baseline control on host ports.
var PSSHostPorts = &hardening.Check{
	ID:       "network.pss-host-ports",
	Title:    "container binds a host port",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "A hostPort opens a port on the node's own addresses, bypassing Services and most NetworkPolicy " +
		"implementations, and ties the pod to nodes where the port is free.",
	Remediation: "Remove hostPort (or set it to 0) and expose the container through a Service.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/host-ports", URL: refPSSBaseline},
	},
	Fix: fixLeave("clients reach the pod on that node port: expose it through a Service instead, by hand"),
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		for c := range s.Containers {
			for i, p := range c.Ports {
				if p.HostPort == 0 {
					continue
				}
				out = append(out, hardening.Finding{
					Container: c.Name,
					Path:      s.ContainerPath(c, "ports["+strconv.Itoa(i)+"].hostPort"),
					Message:   "container " + strconv.Quote(c.Name) + " binds host port " + strconv.Itoa(int(p.HostPort)),
				})
			}
		}
		return out
	},
}

// safeSysctls lists each allowed sysctl with the minor version that
// allowed it.
var safeSysctls = map[string]int{
	"kernel.shm_rmid_forced":              0,
	"net.ipv4.ip_local_port_range":        0,
	"net.ipv4.tcp_syncookies":             0,
	"net.ipv4.ping_group_range":           0,
	"net.ipv4.ip_unprivileged_port_start": 0,
	"net.ipv4.ip_local_reserved_ports":    27,
	"net.ipv4.tcp_keepalive_time":         29,
	"net.ipv4.tcp_fin_timeout":            29,
	"net.ipv4.tcp_keepalive_intvl":        29,
	"net.ipv4.tcp_keepalive_probes":       29,
	"net.ipv4.tcp_rmem":                   32,
	"net.ipv4.tcp_wmem":                   32,
	"net.ipv4.tcp_slow_start_after_idle":  37,
	"net.ipv4.tcp_notsent_lowat":          37,
}

// SafeSysctl reports whether the Pod Security Standards' baseline level at
// version v allows a pod to set the named sysctl.
func SafeSysctl(name string, v hardening.KubeVersion) bool {
	since, ok := safeSysctls[name]
	return ok && v.AtLeast(since)
}

func pssSysctlsAt(v hardening.KubeVersion) *hardening.Check {
	return &hardening.Check{
		ID:       "network.pss-sysctls",
		Title:    "sysctl outside the safe set",
		Severity: hardening.SeverityHigh,
		Class:    hardening.ClassEscape,
		Inputs:   hardening.KindPod,
		Rationale: "Only a few sysctls are namespaced and harmless to the node; the baseline level allows just those (the list " +
			"grew in 1.27, 1.29, 1.32 and 1.37), since the others change the kernel for every pod on the node.",
		Remediation: "Remove the sysctl from spec.securityContext.sysctls, or set it on the node instead.",
		References: []hardening.Reference{
			{Kind: hardening.RefPSS, ID: "baseline/sysctls", URL: refPSSBaseline},
		},
		Fix: fixLeave("the program asked for that kernel setting: remove the sysctl by hand if it need not, or allow it on the node"),
		Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
			if s.Pod == nil || s.Pod.Spec.SecurityContext == nil {
				return out
			}
			for i, sc := range s.Pod.Spec.SecurityContext.Sysctls {
				if SafeSysctl(sc.Name, v) {
					continue
				}
				out = append(out, hardening.Finding{
					Path:    s.SpecPath("securityContext.sysctls[" + strconv.Itoa(i) + "].name"),
					Message: "the pod sets sysctl " + strconv.Quote(sc.Name) + ", not in the safe set of " + v.String(),
				})
			}
			return out
		},
	}
}

// PSSHostProbes is the baseline control (1.34+) on probes and lifecycle
// hooks that name a host.
var PSSHostProbes = &hardening.Check{
	ID:       "network.pss-host-probes",
	Title:    "probe or lifecycle hook targets another host",
	Severity: hardening.SeverityMedium,
	Class:    hardening.ClassCrossContainer,
	Inputs:   hardening.KindPod,
	Rationale: "The kubelet runs httpGet and tcpSocket probes and hooks from the node; a host field points them at any address " +
		"the node can reach, a server-side request forgery through the kubelet. The baseline level forbids it since 1.34.",
	Remediation: "Remove host from probes and lifecycle hooks; they then target the pod's own IP.",
	References: []hardening.Reference{
		{Kind: hardening.RefPSS, ID: "baseline/probes-lifecycle-hooks", URL: refPSSBaseline},
	},
	Fix: fixLeave("the probe or hook targets that host by design: point it at the pod (remove host) by hand if it need not"),
	Run: func(s *hardening.Subject, out []hardening.Finding) []hardening.Finding {
		for c := range s.Containers {
			for _, p := range [...]struct {
				field string
				probe *corev1.Probe
			}{{"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}, {"startupProbe", c.StartupProbe}} {
				if p.probe != nil {
					out = hostFindings(s, c, out, p.field, p.probe.HTTPGet, p.probe.TCPSocket)
				}
			}
			if lc := c.Lifecycle; lc != nil {
				for _, h := range [...]struct {
					field   string
					handler *corev1.LifecycleHandler
				}{{"lifecycle.postStart", lc.PostStart}, {"lifecycle.preStop", lc.PreStop}} {
					if h.handler != nil {
						out = hostFindings(s, c, out, h.field, h.handler.HTTPGet, h.handler.TCPSocket)
					}
				}
			}
		}
		return out
	},
}

func hostFindings(s *hardening.Subject, c hardening.PodContainer, out []hardening.Finding, field string, http *corev1.HTTPGetAction, tcp *corev1.TCPSocketAction) []hardening.Finding {
	if http != nil && http.Host != "" {
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, field+".httpGet.host"),
			Message:   "container " + strconv.Quote(c.Name) + " " + field + " targets host " + strconv.Quote(http.Host),
		})
	}
	if tcp != nil && tcp.Host != "" {
		out = append(out, hardening.Finding{
			Container: c.Name,
			Path:      s.ContainerPath(c, field+".tcpSocket.host"),
			Message:   "container " + strconv.Quote(c.Name) + " " + field + " targets host " + strconv.Quote(tcp.Host),
		})
	}
	return out
}
