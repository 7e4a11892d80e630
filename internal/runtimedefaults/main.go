// Command runtimedefaults writes the default OCI runtime specs of real
// container runtimes into the bulwark module's testdata/runtimes directory,
// as ground truth for its tests. It lives in its own module so that bulwark
// itself never depends on Docker or containerd.
//
// Run it from this directory:
//
//	go run .                 # writes ../../testdata/runtimes
//	go run . -out DIR        # writes somewhere else
//
// The Docker and containerd specs come from those projects' own Go packages
// at the versions pinned in go.mod; the runc and crun specs come from
// running `runc spec` and `crun spec` (with and without --rootless) found on
// PATH. Everything host-specific is removed or normalised so the output is
// the same on every Linux/amd64 machine; see testdata/runtimes/README.md.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"

	"github.com/containerd/containerd/v2/contrib/seccomp"
	"github.com/containerd/containerd/v2/core/containers"
	"github.com/containerd/containerd/v2/pkg/namespaces"
	"github.com/containerd/containerd/v2/pkg/oci"
	dockeroci "github.com/docker/docker/oci"
	mobyseccomp "github.com/moby/profiles/seccomp"
	specs "github.com/opencontainers/runtime-spec/specs-go"
)

const (
	// containerdNamespace and containerdID fix the two inputs containerd
	// folds into the spec (linux.cgroupsPath = /<namespace>/<id>).
	containerdNamespace = "default"
	containerdID        = "example"
	// dockerAppArmor is the profile the Docker daemon sets for a
	// non-privileged container on a host with AppArmor
	// (daemon/oci_linux.go WithApparmor, defaultAppArmorProfile).
	dockerAppArmor = "docker-default"
	// rootlessID is the host uid and gid the rootless specs map container
	// root to: `runc spec --rootless` writes the invoking user's ids.
	rootlessID = 1000
)

// thermalThrottle matches the per-CPU masked paths Docker and containerd
// add only when the host has them (GHSA-6fw5-f8r9-fgfm).
var thermalThrottle = regexp.MustCompile(`^/sys/devices/system/cpu/cpu[0-9]+/thermal_throttle$`)

func main() {
	out := flag.String("out", filepath.Join("..", "..", "testdata", "runtimes"), "directory to write the specs into")
	flag.Parse()
	log.SetFlags(0)
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		// The seccomp profiles list architectures and syscalls by GOARCH.
		log.Fatalf("runtimedefaults must run on linux/amd64 (the committed files are amd64's), not %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	var errs []error
	for _, g := range generators {
		data, err := g.gen()
		if err == nil {
			err = os.WriteFile(filepath.Join(*out, g.file), data, 0o644)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", g.file, err))
			continue
		}
		log.Printf("wrote %s", filepath.Join(*out, g.file))
	}
	if err := errors.Join(errs...); err != nil {
		log.Fatal(err)
	}
}

var generators = []struct {
	file string
	gen  func() ([]byte, error)
}{
	{"docker-base.json", func() ([]byte, error) { return marshal(dockerBase()) }},
	{"docker-run.json", dockerRun},
	{"containerd-base.json", func() ([]byte, error) { return containerd() }},
	{"containerd-seccomp.json", func() ([]byte, error) { return containerd(seccomp.WithDefaultProfile()) }},
	{"runc-spec.json", func() ([]byte, error) { return runtimeSpec("runc", false) }},
	{"runc-spec-rootless.json", func() ([]byte, error) { return runtimeSpec("runc", true) }},
	{"crun-spec.json", func() ([]byte, error) { return runtimeSpec("crun", false) }},
	{"crun-spec-rootless.json", func() ([]byte, error) { return runtimeSpec("crun", true) }},
}

// dockerBase is github.com/docker/docker/oci.DefaultLinuxSpec() without the
// host-dependent thermal_throttle masks.
func dockerBase() *specs.Spec {
	s := dockeroci.DefaultLinuxSpec()
	dropHostMasks(&s)
	return &s
}

// dockerRun is what a plain `docker run IMAGE` adds to the base spec that
// matters to hardening checks, with nothing host-specific: the moby default
// seccomp profile materialised for the spec's capabilities (as the daemon's
// WithSeccomp does through seccomp.GetDefaultProfile) and the AppArmor
// profile docker-default (WithApparmor on an AppArmor host).
func dockerRun() ([]byte, error) {
	s := dockerBase()
	profile, err := mobyseccomp.GetDefaultProfile(s)
	if err != nil {
		return nil, fmt.Errorf("seccomp.GetDefaultProfile: %w", err)
	}
	s.Linux.Seccomp = profile
	s.Process.ApparmorProfile = dockerAppArmor
	return marshal(s)
}

// containerd is pkg/oci.GenerateSpec in namespace "default" for container
// "example", with opts applied, without the host-dependent
// thermal_throttle masks.
func containerd(opts ...oci.SpecOpts) ([]byte, error) {
	ctx := namespaces.WithNamespace(context.Background(), containerdNamespace)
	s, err := oci.GenerateSpec(ctx, nil, &containers.Container{ID: containerdID}, opts...)
	if err != nil {
		return nil, fmt.Errorf("oci.GenerateSpec: %w", err)
	}
	dropHostMasks(s)
	return marshal(s)
}

func dropHostMasks(s *specs.Spec) {
	if s.Linux != nil {
		s.Linux.MaskedPaths = slices.DeleteFunc(s.Linux.MaskedPaths, thermalThrottle.MatchString)
	}
}

func marshal(s *specs.Spec) ([]byte, error) {
	data, err := json.MarshalIndent(s, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// runtimeSpec runs `<runtime> spec [--rootless]` in an empty directory and
// returns the config.json it wrote. The file is kept byte for byte, except
// that a rootless spec's uid/gid mappings, which carry the invoking user's
// ids, are rewritten to map to 1000 (and the file then re-encoded with
// sorted keys).
func runtimeSpec(name string, rootless bool) ([]byte, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%w (apt-get install -y runc crun)", err)
	}
	dir, err := os.MkdirTemp("", "runtimedefaults-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	args := []string{"spec"}
	if rootless {
		args = append(args, "--rootless")
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	if rootless {
		return normaliseMappings(data)
	}
	return data, nil
}

// normaliseMappings rewrites every linux.uidMappings and linux.gidMappings
// hostID to rootlessID. Data without mappings (crun writes none) or whose
// mappings already say rootlessID is returned unchanged.
func normaliseMappings(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	linux, _ := doc["linux"].(map[string]any)
	changed := false
	for _, key := range []string{"uidMappings", "gidMappings"} {
		maps, _ := linux[key].([]any)
		for _, m := range maps {
			m, ok := m.(map[string]any)
			if !ok {
				continue
			}
			want := json.Number(strconv.Itoa(rootlessID))
			if m["hostID"] != want {
				m["hostID"] = want
				changed = true
			}
		}
	}
	if !changed {
		return data, nil
	}
	out, err := json.MarshalIndent(doc, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}
