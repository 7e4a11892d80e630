package network_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/checktest"
	"github.com/bulwarkdev/bulwark/network"
	"github.com/google/go-cmp/cmp"
	runtimespec "github.com/opencontainers/runtime-spec/specs-go"
)

// hardenedSpec passes every check of this package: its own network and IPC
// namespaces, Docker's default capabilities (NET_RAW included, harmless in
// its own namespace), and only safe sysctls, one written with slashes.
func hardenedSpec() *runtimespec.Spec {
	caps := []string{"CAP_CHOWN", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"}
	return &runtimespec.Spec{
		Version: runtimespec.Version,
		Process: &runtimespec.Process{
			User:         runtimespec.User{UID: 10001, GID: 10001},
			Args:         []string{"/app"},
			Cwd:          "/",
			Capabilities: &runtimespec.LinuxCapabilities{Bounding: caps, Effective: caps, Permitted: caps},
		},
		Linux: &runtimespec.Linux{
			Namespaces: []runtimespec.LinuxNamespace{
				{Type: runtimespec.PIDNamespace}, {Type: runtimespec.NetworkNamespace}, {Type: runtimespec.IPCNamespace},
				{Type: runtimespec.UTSNamespace}, {Type: runtimespec.MountNamespace},
			},
			Sysctl: map[string]string{
				"net.ipv4.ip_unprivileged_port_start": "0",
				"net/ipv4/ping_group_range":           "0 2147483647",
				"kernel.shm_rmid_forced":              "1",
			},
		},
	}
}

type specGot checktest.SpecGot

const (
	hostNet  = "network.host-network"
	rawAdmin = "network.raw-admin-shared-netns"
	netDevs  = "network.net-devices"
	netSys   = "network.net-sysctl-without-netns"
	ipcSys   = "network.ipc-sysctl-without-ipcns"
	unsafe   = "network.unsafe-sysctl"
	high     = hardening.SeverityHigh
	medium   = hardening.SeverityMedium
	low      = hardening.SeverityLow
	escape   = hardening.ClassEscape
	cross    = hardening.ClassCrossContainer
)

// without removes the namespace of type typ.
func without(s *runtimespec.Spec, typ runtimespec.LinuxNamespaceType) {
	var kept []runtimespec.LinuxNamespace
	for _, ns := range s.Linux.Namespaces {
		if ns.Type != typ {
			kept = append(kept, ns)
		}
	}
	s.Linux.Namespaces = kept
}

func TestSpecChecks(t *testing.T) {
	tests := []struct {
		name  string
		tweak func(s *runtimespec.Spec)
		want  []specGot
	}{
		{"hardened", func(s *runtimespec.Spec) {}, nil},
		{"no linux section is not judged", func(s *runtimespec.Spec) { s.Linux = nil }, nil},
		{"no process", func(s *runtimespec.Spec) { s.Process = nil }, nil},
		{"empty linux section: the host's namespace", func(s *runtimespec.Spec) {
			s.Linux = &runtimespec.Linux{}
			s.Process.Capabilities = nil
		}, []specGot{{hostNet, high, escape, "linux.namespaces"}}},
		{"docker --network host", func(s *runtimespec.Spec) {
			without(s, runtimespec.NetworkNamespace)
			s.Linux.Sysctl = nil
		}, []specGot{
			{hostNet, high, escape, "linux.namespaces"},
			{rawAdmin, high, cross, "process.capabilities.bounding[2]"},
		}},
		{"joins pid 1's namespace, lower-case capability names", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[1].Path = "/proc/1/ns/net"
			s.Linux.Sysctl = nil
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Effective: []string{"net_admin"}, Ambient: []string{"cap_net_raw"}}
		}, []specGot{
			{hostNet, high, escape, "linux.namespaces[1].path"},
			{rawAdmin, high, cross, "process.capabilities.effective[0]"},
			{rawAdmin, high, cross, "process.capabilities.ambient[0]"},
		}},
		{"permitted is reported before inheritable, as capabilities.dangerous does", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[1].Path = "/proc/1/ns/net"
			s.Linux.Sysctl = nil
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Inheritable: []string{"CAP_NET_ADMIN"}, Permitted: []string{"CAP_NET_ADMIN"}}
		}, []specGot{
			{hostNet, high, escape, "linux.namespaces[1].path"},
			{rawAdmin, high, cross, "process.capabilities.permitted[0]"},
		}},
		{"a padded name is no capability to the runtime (capabilities.unknown-name reports it)", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[1].Path = "/proc/1/ns/net"
			s.Linux.Sysctl = nil
			s.Process.Capabilities = &runtimespec.LinuxCapabilities{Bounding: []string{" CAP_NET_RAW"}}
		}, []specGot{{hostNet, high, escape, "linux.namespaces[1].path"}}},
		{"docker --network container:db", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[1].Path = "/proc/4242/ns/net"
		}, []specGot{
			{hostNet, medium, cross, "linux.namespaces[1].path"},
			{netSys, medium, cross, "linux.sysctl[net.ipv4.ip_unprivileged_port_start]"},
			{netSys, medium, cross, "linux.sysctl[net/ipv4/ping_group_range]"},
			{rawAdmin, medium, cross, "process.capabilities.bounding[2]"},
		}},
		{"a named namespace", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[1].Path = "/var/run/netns/blue"
			s.Linux.Sysctl = nil
		}, []specGot{
			{hostNet, medium, cross, "linux.namespaces[1].path"},
			{rawAdmin, medium, cross, "process.capabilities.bounding[2]"},
		}},
		{"a Kubernetes pod's sandbox joins the CNI's namespace by design", func(s *runtimespec.Spec) {
			s.Annotations = map[string]string{"io.kubernetes.cri.container-type": "sandbox"}
			s.Linux.Namespaces[1].Path = "/var/run/netns/cni-1b2c3d"
		}, nil},
		{"a Kubernetes pod's container joins the sandbox's by design", func(s *runtimespec.Spec) {
			s.Annotations = map[string]string{"io.kubernetes.cri-o.ContainerType": "container"}
			s.Linux.Namespaces[1].Path = "/proc/4242/ns/net"
			s.Linux.Namespaces[2].Path = "/proc/4242/ns/ipc"
		}, nil},
		{"but not the host's", func(s *runtimespec.Spec) {
			s.Annotations = map[string]string{"io.kubernetes.cri.container-type": "container"}
			s.Linux.Namespaces[1].Path = "/proc/1/ns/net"
			s.Linux.Sysctl = nil
		}, []specGot{
			{hostNet, high, escape, "linux.namespaces[1].path"},
			{rawAdmin, high, cross, "process.capabilities.bounding[2]"},
		}},
		{"an own user namespace disarms the capabilities", func(s *runtimespec.Spec) {
			without(s, runtimespec.NetworkNamespace)
			s.Linux.Namespaces = append(s.Linux.Namespaces, runtimespec.LinuxNamespace{Type: runtimespec.UserNamespace})
			s.Linux.Sysctl = nil
		}, []specGot{{hostNet, high, escape, "linux.namespaces"}}},
		{"sysctls without namespaces", func(s *runtimespec.Spec) {
			without(s, runtimespec.NetworkNamespace)
			without(s, runtimespec.IPCNamespace)
			s.Process.Capabilities = nil
			s.Linux.Sysctl["fs.mqueue.msg_max"] = "100"
			s.Linux.Sysctl["kernel.msgmax"] = "65536"
		}, []specGot{
			{hostNet, high, escape, "linux.namespaces"},
			{ipcSys, high, cross, "linux.sysctl[fs.mqueue.msg_max]"},
			{ipcSys, high, cross, "linux.sysctl[kernel.msgmax]"},
			{ipcSys, high, cross, "linux.sysctl[kernel.shm_rmid_forced]"},
			{netSys, high, escape, "linux.sysctl[net.ipv4.ip_unprivileged_port_start]"},
			{netSys, high, escape, "linux.sysctl[net/ipv4/ping_group_range]"},
			{unsafe, medium, cross, "linux.sysctl[fs.mqueue.msg_max]"},
			{unsafe, medium, cross, "linux.sysctl[kernel.msgmax]"},
		}},
		{"joined IPC namespace", func(s *runtimespec.Spec) {
			s.Linux.Namespaces[2].Path = "/proc/77/ns/ipc"
		}, []specGot{{ipcSys, medium, cross, "linux.sysctl[kernel.shm_rmid_forced]"}}},
		{"unsafe sysctls", func(s *runtimespec.Spec) {
			s.Linux.Sysctl["net.ipv4.ip_forward"] = "1"
			s.Linux.Sysctl["kernel.core_pattern"] = "|/tmp/x"
			s.Linux.Sysctl["vm/overcommit_memory"] = "1"
			s.Linux.Sysctl["kernel.hostname"] = "web"
		}, []specGot{
			{unsafe, high, escape, "linux.sysctl[kernel.core_pattern]"},
			{unsafe, medium, cross, "linux.sysctl[kernel.hostname]"},
			{unsafe, medium, cross, "linux.sysctl[net.ipv4.ip_forward]"},
			{unsafe, high, escape, "linux.sysctl[vm/overcommit_memory]"},
		}},
		{"net devices, sorted", func(s *runtimespec.Spec) {
			s.Linux.NetDevices = map[string]runtimespec.LinuxNetDevice{"eth2": {}, "eth1": {Name: "ctr1"}, "enp3s0": {Name: "enp3s0"}}
		}, []specGot{
			{netDevs, medium, cross, "linux.netDevices[enp3s0]"},
			{netDevs, medium, cross, "linux.netDevices[eth1]"},
			{netDevs, medium, cross, "linux.netDevices[eth2]"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := hardenedSpec()
			tt.tweak(spec)
			g := checktest.SummarizeSpec[specGot](checktest.Each(network.Checks(), hardening.NewSpecSubject("config.json", spec)))
			if diff := cmp.Diff(tt.want, g); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSpecMessages(t *testing.T) {
	for _, tt := range []struct {
		check *hardening.Check
		tweak func(s *runtimespec.Spec)
		want  []string
	}{
		{network.HostNetwork, func(s *runtimespec.Spec) { without(s, runtimespec.NetworkNamespace) },
			[]string{"the container has no network namespace of its own: it shares the host's"}},
		{network.HostNetwork, func(s *runtimespec.Spec) { s.Linux.Namespaces[1].Path = "/proc/self/ns/net" },
			[]string{"the container joins the host's network namespace (/proc/self/ns/net)"}},
		{network.RawAdminSharedNetns, func(s *runtimespec.Spec) { s.Linux.Namespaces[1].Path = "/proc/4242/ns/net" },
			[]string{`the bounding set holds "CAP_NET_RAW" while the container joins the network namespace of another process (/proc/4242/ns/net)`}},
		{network.NetSysctlWithoutNetns, func(s *runtimespec.Spec) { s.Linux.Namespaces[1].Path = "/var/run/netns/cni-1" },
			[]string{
				`sets net.ipv4.ip_unprivileged_port_start="0" but the container joins the named network namespace /var/run/netns/cni-1, shared with everything that joins it`,
				`sets net/ipv4/ping_group_range="0 2147483647" but the container joins the named network namespace /var/run/netns/cni-1, shared with everything that joins it`,
			}},
		{network.UnsafeSysctl, func(s *runtimespec.Spec) {
			s.Linux.Sysctl = map[string]string{"kernel.core_pattern": "|/x", "net.core.somaxconn": "1024"}
		},
			[]string{
				`sets kernel.core_pattern="|/x", which no namespace isolates: it changes the host's kernel for every process (runc and crun refuse it)`,
				`sets net.core.somaxconn="1024", a namespaced sysctl outside Kubernetes' safe set (v1.37)`,
			}},
		{network.NetDevices, func(s *runtimespec.Spec) {
			s.Linux.NetDevices = map[string]runtimespec.LinuxNetDevice{"eth1": {Name: "ctr1"}}
		},
			[]string{`moves host interface "eth1" into the container as "ctr1"`}},
	} {
		spec := hardenedSpec()
		tt.tweak(spec)
		var got []string
		for _, f := range tt.check.Run(hardening.NewSpecSubject("config.json", spec), nil) {
			got = append(got, f.Message)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.check.ID, diff)
		}
	}
}

func TestSpecNeverPanics(t *testing.T) {
	clears := []func(s *runtimespec.Spec){
		func(s *runtimespec.Spec) { s.Process = nil },
		func(s *runtimespec.Spec) { s.Linux = nil },
		func(s *runtimespec.Spec) { s.Process.Capabilities = nil },
		func(s *runtimespec.Spec) {
			s.Linux.Namespaces = []runtimespec.LinuxNamespace{{}, {Type: "network", Path: ""}, {Type: "ipc", Path: "/"}}
		},
		func(s *runtimespec.Spec) {
			s.Linux.Sysctl = map[string]string{"": "", "/": "", strings.Repeat("n/", 80): ""}
		},
		func(s *runtimespec.Spec) { s.Linux.NetDevices = map[string]runtimespec.LinuxNetDevice{"": {}} },
	}
	subjects := []*hardening.Subject{hardening.NewSpecSubject("nil.json", nil), {Kind: hardening.KindOCISpec}}
	for _, clear := range clears {
		spec := hardenedSpec()
		clear(spec)
		subjects = append(subjects, hardening.NewSpecSubject("config.json", spec))
	}
	for _, s := range subjects {
		for _, f := range checktest.Each(network.Checks(), s) {
			if f.Check == hardening.CheckFailed.ID {
				t.Errorf("%s: %s", s.Name, f.Message)
			}
		}
	}
}
