package namespaces_test

import (
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/namespaces"
	"github.com/google/go-cmp/cmp"
	rs "github.com/opencontainers/runtime-spec/specs-go"
	corev1 "k8s.io/api/core/v1"
)

// match is the part of a HostPathMatch the tables compare.
type match struct {
	Severity hardening.Severity
	Entry    string
	Inside   bool
	Holds    string
}

func summarizeMatch(m namespaces.HostPathMatch, ok bool) *match {
	if !ok {
		return nil
	}
	return &match{m.Severity, m.Entry.Path, m.Inside, m.Holds.Path}
}

// ro and rw are what a read-only and a writable mount of one path match.
type rorw struct{ RO, RW *match }

func exact(s hardening.Severity, entry string) *match { return &match{Severity: s, Entry: entry} }
func inside(s hardening.Severity, entry string) *match {
	return &match{Severity: s, Entry: entry, Inside: true}
}
func holds(s hardening.Severity, h string) *match { return &match{Severity: s, Holds: h} }

func TestMatchSensitiveHostPath(t *testing.T) {
	docker := exact(critical, "/run/docker.sock")
	containerd := exact(critical, "/run/containerd/containerd.sock")
	sock := func(m *match) rorw { return rorw{m, m} }
	none := rorw{}
	long := strings.Repeat("/a", 50000)
	tests := []struct {
		name string
		path string
		want rorw
	}{
		// Runtime sockets by file name, in any directory, critical
		// read-only or not.
		{"docker socket", "/var/run/docker.sock", sock(docker)},
		{"docker socket under /run", "/run/docker.sock", sock(docker)},
		{"rootless docker socket", "/run/user/1000/docker.sock", sock(docker)},
		{"docker socket under a host prefix", "/host/var/run/docker.sock", sock(docker)},
		{"containerd socket", "/run/containerd/containerd.sock", sock(containerd)},
		{"bottlerocket's host containerd", "/run/host-containerd/containerd.sock", sock(exact(critical, "/run/host-containerd/containerd.sock"))},
		{"k3s and rke2 containerd", "/run/k3s/containerd/containerd.sock", sock(exact(critical, "/run/k3s/containerd/containerd.sock"))},
		{"k0s containerd", "/run/k0s/containerd.sock", sock(exact(critical, "/run/k0s/containerd.sock"))},
		{"microk8s containerd, by name", "/var/snap/microk8s/common/run/containerd.sock", sock(containerd)},
		{"docker's own containerd, by name", "/var/run/docker/containerd/containerd.sock", sock(containerd)},
		{"containerd ttrpc", "/run/containerd/containerd.sock.ttrpc", sock(exact(critical, "/run/containerd/containerd.sock.ttrpc"))},
		{"crio", "/var/run/crio/crio.sock", sock(exact(critical, "/run/crio/crio.sock"))},
		{"rootless podman", "/run/user/1000/podman/podman.sock", sock(exact(critical, "/run/podman/podman.sock"))},
		{"cri-dockerd", "/var/run/cri-dockerd.sock", sock(exact(critical, "/run/cri-dockerd.sock"))},
		{"dockershim", "/var/run/dockershim.sock", sock(exact(critical, "/run/dockershim.sock"))},
		{"buildkitd elsewhere", "/tmp/buildkitd.sock", sock(exact(critical, "/run/buildkit/buildkitd.sock"))},
		{"socket name as a prefix", "/run/docker.sock.d", none},
		{"socket name as a suffix", "/run/mydocker.sock", none},
		{"another socket", "/run/containerd.socket", none},
		{"a path below a socket", "/run/docker.sock/x", none},
		{"letter case", "/RUN/DOCKER.SOCK", none},
		{"trailing NUL", "/run/docker.sock\x00", none},
		{"zero-width space", "/run/docker.sock\u200b", none},
		{"windows docker pipe", `\\.\pipe\docker_engine`, sock(exact(critical, `\\.\pipe\docker_engine`))},
		{"windows pipe, upper case", `\\.\PIPE\CONTAINERD-CONTAINERD`, sock(exact(critical, `\\.\pipe\containerd-containerd`))},
		{"windows pipe, forward slashes", "//./pipe/docker_engine", sock(exact(critical, `\\.\pipe\docker_engine`))},

		// Directories above sensitive paths hold them.
		{"/run holds the sockets", "/run", sock(holds(critical, "/run/docker.sock"))},
		{"/var/run with a slash", "/var/run/", sock(holds(critical, "/run/docker.sock"))},
		{"/run/k3s", "/run/k3s", sock(holds(critical, "/run/k3s/containerd/containerd.sock"))},
		{"/run/host-containerd", "/run/host-containerd/", sock(holds(critical, "/run/host-containerd/containerd.sock"))},
		{"root", "/", sock(exact(critical, "/"))},
		{"root written twice", "//", sock(exact(critical, "/"))},
		{"/var/lib", "/var/lib", rorw{holds(critical, "/var/lib/etcd"), holds(critical, "/var/lib/kubelet")}},
		{"/opt/cni counts writable", "/opt/cni", rorw{nil, holds(critical, "/opt/cni/bin")}},
		{"/sys", "/sys", rorw{&match{high, "/sys", false, "/sys/firmware"}, &match{critical, "/sys", false, "/sys/fs/cgroup"}}},
		{"/sys/fs of calico", "/sys/fs/", rorw{inside(low, "/sys"), &match{critical, "/sys", true, "/sys/fs/cgroup"}}},
		{"/sys/kernel of falco", "/sys/kernel", rorw{exact(medium, "/sys/kernel"), &match{critical, "/sys/kernel", false, "/sys/kernel/uevent_helper"}}},
		{"/etc", "/etc", rorw{&match{critical, "/etc", false, "/etc/kubernetes"}, exact(critical, "/etc")}},

		// Inside roots that cover what lies below them.
		{"cgroupfs", "/sys/fs/cgroup", rorw{exact(low, "/sys/fs/cgroup"), exact(critical, "/sys/fs/cgroup")}},
		{"release_agent", "/sys/fs/cgroup/memory/release_agent", rorw{inside(low, "/sys/fs/cgroup"), inside(critical, "/sys/fs/cgroup")}},
		{"bpffs", "/sys/fs/bpf", rorw{exact(low, "/sys/fs/bpf"), exact(high, "/sys/fs/bpf")}},
		{"module parameters", "/sys/module", rorw{exact(low, "/sys/module"), exact(high, "/sys/module")}},
		{"debugfs", "/sys/kernel/debug/tracing", rorw{inside(medium, "/sys/kernel/debug"), inside(high, "/sys/kernel/debug")}},
		{"BTF is not below /sys/kernel's reach", "/sys/kernel/btf/vmlinux", none},
		{"EFI variables", "/sys/firmware/efi/efivars", rorw{inside(high, "/sys/firmware"), inside(high, "/sys/firmware")}},
		{"any sysfs attribute", "/sys/class/net", rorw{inside(low, "/sys"), inside(high, "/sys")}},
		{"/proc", "/proc", rorw{exact(high, "/proc"), exact(critical, "/proc")}},
		{"another process's root", "/proc/1/root", rorw{inside(high, "/proc"), inside(critical, "/proc")}},
		{"sysctls", "/proc/sys", rorw{exact(low, "/proc/sys"), exact(critical, "/proc/sys")}},
		{"core_pattern", "/proc/sys/kernel/core_pattern", rorw{inside(low, "/proc/sys"), inside(critical, "/proc/sys")}},
		{"a /proc prefix is not /proc", "/procfs", none},
		{"static pod manifests", "/etc/kubernetes/manifests", sock(inside(critical, "/etc/kubernetes"))},
		{"k3s admin kubeconfig", "/etc/rancher/k3s/k3s.yaml", sock(inside(critical, "/etc/rancher"))},
		{"certificates in /etc", "/etc/ssl/certs", none},
		{"CNI configuration in /etc", "/etc/cni/net.d", none},
		{"kubelet state", "/var/lib/kubelet/", rorw{exact(high, "/var/lib/kubelet"), exact(critical, "/var/lib/kubelet")}},
		{"kubelet client certificate", "/var/lib/kubelet/pki", rorw{inside(high, "/var/lib/kubelet"), inside(critical, "/var/lib/kubelet")}},
		{"every pod's volumes", "/var/lib/kubelet/pods", rorw{exact(high, "/var/lib/kubelet/pods"), exact(critical, "/var/lib/kubelet/pods")}},
		{"one pod's volumes", "/var/lib/kubelet/pods/6a0f/volumes", none},
		{"every CSI driver's socket", "/var/lib/kubelet/plugins", sock(exact(high, "/var/lib/kubelet/plugins"))},
		{"a CSI driver's own directory", "/var/lib/kubelet/plugins/ebs.csi.aws.com/", none},
		{"plugin registration", "/var/lib/kubelet/plugins_registry/", rorw{exact(low, "/var/lib/kubelet/plugins_registry"), exact(medium, "/var/lib/kubelet/plugins_registry")}},
		{"device plugins", "/var/lib/kubelet/device-plugins", sock(exact(medium, "/var/lib/kubelet/device-plugins"))},
		{"etcd", "/var/lib/etcd/member", sock(inside(critical, "/var/lib/etcd"))},
		{"docker storage", "/var/lib/docker/overlay2", rorw{inside(high, "/var/lib/docker"), inside(critical, "/var/lib/docker")}},
		{"every docker container", "/var/lib/docker/containers", rorw{exact(high, "/var/lib/docker/containers"), exact(critical, "/var/lib/docker/containers")}},
		{"one docker container", "/var/lib/docker/containers/3f1c0b6e9a2d", none},
		{"a docker named volume", "/var/lib/docker/volumes/pgdata/_data", none},
		{"containerd storage", "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs", rorw{inside(high, "/var/lib/containerd"), inside(critical, "/var/lib/containerd")}},
		{"a podman named volume", "/var/lib/containers/storage/volumes/x/_data", none},
		{"containerd state", "/run/containerd/io.containerd.runtime.v2.task/k8s.io/3f1c/rootfs", sock(inside(critical, "/run/containerd"))},
		{"pod logs", "/var/log/pods", rorw{inside(low, "/var/log"), inside(high, "/var/log")}},
		{"device nodes", "/dev", sock(exact(high, "/dev"))},
		{"a disk", "/dev/sda", sock(inside(high, "/dev"))},
		{"kernels", "/boot/grub", rorw{inside(medium, "/boot"), inside(critical, "/boot")}},
		{"root's keys", "/root/.ssh", rorw{inside(high, "/root"), inside(critical, "/root")}},
		{"/usr only writable", "/usr", rorw{nil, exact(critical, "/usr")}},
		{"kernel modules", "/lib/modules", rorw{nil, inside(critical, "/lib")}},
		{"kernel modules, merged /usr", "/usr/lib/modules", rorw{nil, inside(critical, "/usr")}},
		{"CNI plugins", "/opt/cni/bin", rorw{nil, exact(critical, "/opt/cni/bin")}},
		{"calico's state", "/var/lib/calico", none},
		{"flannel's run directory", "/run/flannel", none},
		{"an application directory", "/srv/data", none},

		// Spellings and hostile input.
		{"dot-dot to a socket", "/var/log/../run/docker.sock", sock(docker)},
		{"dot-dot above the root", "/../../etc/kubernetes", sock(exact(critical, "/etc/kubernetes"))},
		{"dot-dot out of a root", "/etc/kubernetes/../ssl", none},
		{"dot-dot from /var/run climbs from /run", "/var/run/../etc/kubernetes", sock(exact(critical, "/etc/kubernetes"))},
		{"dot-dot from /var/run back to /var", "/var/run/../var/lib/kubelet", rorw{exact(high, "/var/lib/kubelet"), exact(critical, "/var/lib/kubelet")}},
		{"dot segments", "/./proc/./sys/", rorw{exact(low, "/proc/sys"), exact(critical, "/proc/sys")}},
		{"doubled slashes", "///proc////1", rorw{inside(high, "/proc"), inside(critical, "/proc")}},
		{"unicode below a root", "/proc/1/root/home/été", rorw{inside(high, "/proc"), inside(critical, "/proc")}},
		{"no-break space after a root", "/etc/kubernetes\u00a0", none},
		{"fullwidth letters", "/ｅｔｃ", none},
		{"relative", "etc/kubernetes", none},
		{"relative socket", "run/docker.sock", none},
		{"bare socket name", "docker.sock", none},
		{"dot-relative", "./var/run/docker.sock", none},
		{"empty", "", none},
		{"long path to a socket", long + "/docker.sock", sock(docker)},
		{"long path", long, none},
		{"long climb", strings.Repeat("/..", 50000) + "/etc/kubernetes", sock(exact(critical, "/etc/kubernetes"))},
		{"long path inside /proc", "/proc" + strings.Repeat("/1", 50000), rorw{inside(high, "/proc"), inside(critical, "/proc")}},
		{"long relative path", strings.Repeat("x", 1<<20), none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rorw{
				summarizeMatch(namespaces.MatchSensitiveHostPath(tt.path, false)),
				summarizeMatch(namespaces.MatchSensitiveHostPath(tt.path, true)),
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("MatchSensitiveHostPath(%.80q) (-want +got):\n%s", tt.path, diff)
			}
		})
	}
}

func TestMatchSensitiveHostPathDoesNotAllocate(t *testing.T) {
	for _, p := range []string{
		"/var/run/docker.sock", "/run/host-containerd/containerd.sock", "/var/lib", "/sys/fs/cgroup/memory", "/var/lib/kubelet/pods/6a0f",
		"/srv/data", "/etc/ssl/certs", `\\.\pipe\docker_engine`, "relative",
	} {
		for _, writable := range []bool{false, true} {
			if n := testing.AllocsPerRun(100, func() { namespaces.MatchSensitiveHostPath(p, writable) }); n != 0 {
				t.Errorf("%s: %v allocs", p, n)
			}
		}
	}
}

// TestSensitiveHostPathsIsACopy: changing the returned table changes
// nothing the checks do.
func TestSensitiveHostPathsIsACopy(t *testing.T) {
	table := namespaces.SensitiveHostPaths()
	for i := range table {
		table[i].Severity, table[i].Writable, table[i].Path = 0, 0, "/nothing"
	}
	if m, ok := namespaces.MatchSensitiveHostPath("/run/docker.sock", false); !ok || m.Severity != critical {
		t.Errorf("docker socket after changing the returned table: %+v, %v", m, ok)
	}
	if diff := cmp.Diff(namespaces.SensitiveHostPaths()[0].Path, "/run/docker.sock"); diff != "" {
		t.Errorf("second copy: %s", diff)
	}
	hp, err := namespaces.NewHostPaths(namespaces.SensitiveHostPaths())
	if err != nil {
		t.Fatal(err)
	}
	entries := hp.Entries()
	entries[0].Path = "/nothing"
	if hp.Entries()[0].Path != "/run/docker.sock" {
		t.Error("Entries returns the table itself")
	}
}

func TestNewHostPathsRejects(t *testing.T) {
	ok := namespaces.SensitivePath{Path: "/srv/secrets", Severity: high, Writable: critical, Below: true, What: "the secrets"}
	with := func(change func(*namespaces.SensitivePath)) []namespaces.SensitivePath {
		e := ok
		change(&e)
		return []namespaces.SensitivePath{e}
	}
	for _, tt := range []struct {
		name  string
		table []namespaces.SensitivePath
		want  string
	}{
		{"empty table", nil, "empty table"},
		{"relative path", with(func(e *namespaces.SensitivePath) { e.Path = "srv/secrets" }), "not a clean absolute path"},
		{"empty path", with(func(e *namespaces.SensitivePath) { e.Path = "" }), "not a clean absolute path"},
		{"trailing slash", with(func(e *namespaces.SensitivePath) { e.Path = "/srv/secrets/" }), "not a clean absolute path"},
		{"dot-dot", with(func(e *namespaces.SensitivePath) { e.Path = "/srv/../secrets" }), "not a clean absolute path"},
		{"twice", append(with(func(*namespaces.SensitivePath) {}), ok), "listed twice"},
		{"twice through /var/run", []namespaces.SensitivePath{
			{Path: "/run/x.sock", Severity: high, Writable: high, Socket: true, What: "x"},
			{Path: "/var/run/x.sock", Severity: high, Writable: high, Socket: true, What: "x"},
		}, "listed twice"},
		{"no what", with(func(e *namespaces.SensitivePath) { e.What = "" }), "no What"},
		{"no writable severity", with(func(e *namespaces.SensitivePath) { e.Severity, e.Writable = 0, 0 }), "Writable must be set"},
		{"writable below read-only", with(func(e *namespaces.SensitivePath) { e.Writable = low }), "at least Severity"},
		{"invalid severity", with(func(e *namespaces.SensitivePath) { e.Writable = 9 }), "valid"},
		{"socket with two severities", with(func(e *namespaces.SensitivePath) { e.Socket, e.Below = true, false }), "Severity must equal Writable"},
		{"socket with Below", with(func(e *namespaces.SensitivePath) { e.Socket, e.Severity = true, critical }), "Below must be false"},
		{"socket at /", with(func(e *namespaces.SensitivePath) { e.Path, e.Socket, e.Below, e.Severity = "/", true, false, critical }), "file name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := namespaces.NewHostPaths(tt.table)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestHostPathsChecks runs both checks on a table of one's own: an entry
// added, one removed, the IDs unchanged.
func TestHostPathsChecks(t *testing.T) {
	var table []namespaces.SensitivePath
	for _, e := range namespaces.SensitiveHostPaths() {
		if e.Path != "/var/log" {
			table = append(table, e)
		}
	}
	table = append(table, namespaces.SensitivePath{Path: "/srv/vault", Severity: high, Writable: critical, Below: true,
		What: "the node's Vault agent cache: every token it holds"})
	hp, err := namespaces.NewHostPaths(table)
	if err != nil {
		t.Fatal(err)
	}
	checks := hp.Checks()
	if diff := cmp.Diff([]string{namespaces.SensitiveHostPath.ID, namespaces.WritableHostPath.ID}, ids(checks)); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	if err := hardening.Validate(checks); err != nil {
		t.Error(err)
	}
	for _, tt := range []struct {
		path string
		want []got
	}{
		{"/srv/vault/tokens", []got{{sensitive, critical, "", hostPath1}, {writable, high, "app", mount1RO}}},
		{"/var/log/pods", []got{{writable, medium, "app", mount1RO}}},
		{"/var/run/docker.sock", []got{{sensitive, critical, "", hostPath1}}},
	} {
		pod := hardenedPod()
		pod.Spec.Volumes[1].HostPath.Path = tt.path
		pod.Spec.Containers[0].VolumeMounts[1].ReadOnly = false
		if diff := cmp.Diff(tt.want, summarize(checks.Check(hardening.NewPodSubject(pod), nil))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
}

// TestZeroHostPathsChecksPanics: checks built on a table that was never
// checked would match nothing, so building them panics rather than fail
// open.
func TestZeroHostPathsChecksPanics(t *testing.T) {
	for _, hp := range []*namespaces.HostPaths{nil, {}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%#v.Checks() did not panic", hp)
				}
			}()
			hp.Checks()
		}()
	}
}

// TestSocketFindingsSayRemoveTheMount: a runtime socket is fixed by
// removing the mount, never by readOnly: true.
func TestSocketFindingsSayRemoveTheMount(t *testing.T) {
	type fix struct {
		Check, Path string
		Remove      bool // the remediation says to remove the mount
		ReadOnly    bool // the remediation advises readOnly: true
	}
	summarizeFixes := func(fs []hardening.Finding) []fix {
		var out []fix
		for _, f := range fs {
			out = append(out, fix{f.Check, f.Path, strings.HasPrefix(f.Remediation, "Remove the"), strings.Contains(f.Remediation, "Set readOnly: true")})
		}
		return out
	}
	checks := hardening.Checks{namespaces.SensitiveHostPath, namespaces.WritableHostPath}
	for _, tt := range []struct {
		name     string
		path     string
		readOnly bool
		want     []fix
	}{
		{"writable socket", "/run/containerd/containerd.sock", false, []fix{{sensitive, hostPath1, true, false}}},
		{"read-only socket", "/var/run/docker.sock", true, []fix{{sensitive, hostPath1, true, false}}},
		{"writable /proc", "/proc", false, []fix{{sensitive, hostPath1, true, false}, {writable, mount1RO, false, true}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			pod := hardenedPod()
			pod.Spec.Volumes[1].HostPath = &corev1.HostPathVolumeSource{Path: tt.path, Type: ptr(corev1.HostPathSocket)}
			pod.Spec.Containers[0].VolumeMounts[1].ReadOnly = tt.readOnly
			got := checks.Check(hardening.NewPodSubject(pod), nil)
			if diff := cmp.Diff(tt.want, summarizeFixes(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			for _, f := range got {
				if f.Check == sensitive && strings.Contains(tt.path, ".sock") && !strings.Contains(f.Remediation, "connect(2)") {
					t.Errorf("socket remediation does not say why: %s", f.Remediation)
				}
			}
		})
	}
	spec := hardenedSpec()
	spec.Mounts = append(spec.Mounts, rs.Mount{Destination: "/run/containerd/containerd.sock", Type: "bind", Source: "/run/host-containerd/containerd.sock", Options: []string{"rbind", "ro"}})
	got := summarizeFixes(checks.Check(hardening.NewSpecSubject("config.json", spec), nil))
	if diff := cmp.Diff([]fix{{sensitive, mountAt(len(spec.Mounts)-1, "source"), true, false}}, got); diff != "" {
		t.Errorf("OCI bind of a socket (-want +got):\n%s", diff)
	}
}
