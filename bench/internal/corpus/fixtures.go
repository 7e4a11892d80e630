// Package corpus generates the benchmark corpora deterministically from
// Kubernetes' Pod Security Admission test fixtures: the pods of
// k8s.io/pod-security-admission's test/testdata, lifted into Pods and
// workloads with realistic metadata and container settings, with or
// without context objects (RBAC, Services, NetworkPolicies, …) mixed in.
package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// PSAVersion is the k8s.io/pod-security-admission module whose fixtures
// the corpora are built from; go.mod requires the same version.
const PSAVersion = "v0.37.2"

// FixturesDir returns PSA's test/testdata directory in the module cache,
// downloading the module through the go command if it is not there yet.
func FixturesDir() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", "k8s.io/pod-security-admission@"+PSAVersion)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download k8s.io/pod-security-admission@%s: %w: %s", PSAVersion, err, strings.TrimSpace(stderr.String()))
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(out, &m); err != nil {
		return "", fmt.Errorf("go mod download: %w", err)
	}
	if m.Error != "" {
		return "", fmt.Errorf("go mod download: %s", m.Error)
	}
	dir := filepath.Join(m.Dir, "test", "testdata")
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("PSA fixtures: %w", err)
	}
	return dir, nil
}

// Fixture is one distinct PSA fixture pod.
type Fixture struct {
	// Rel is the first path under test/testdata holding this content:
	// "baseline/v1.0/fail/hostpathvolumes0.yaml".
	Rel string
	// Pod is the fixture decoded as generic YAML.
	Pod map[string]any
}

var fixturePath = regexp.MustCompile(`^(baseline|restricted)/v1\.[0-9]+/(pass|fail)/[^/]+\.yaml$`)

// LoadFixtures reads every fixture under dir (PSA's test/testdata), keeps
// one of each distinct content (most fixtures repeat from version to
// version) and returns them sorted by path.
func LoadFixtures(dir string) ([]Fixture, error) {
	var rels []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel = filepath.ToSlash(rel); !d.IsDir() && fixturePath.MatchString(rel) {
			rels = append(rels, rel)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(rels)
	seen := map[[32]byte]bool{}
	var fs []Fixture
	for _, rel := range rels {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		if seen[sum] {
			continue
		}
		seen[sum] = true
		var pod map[string]any
		if err := yaml.Unmarshal(data, &pod); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		if pod["kind"] != "Pod" || pod["apiVersion"] != "v1" {
			return nil, fmt.Errorf("%s: not a v1 Pod", rel)
		}
		fs = append(fs, Fixture{Rel: rel, Pod: pod})
	}
	if len(rels) < 4000 || len(fs) < 300 {
		return nil, fmt.Errorf("found %d PSA fixtures (%d distinct) under %s; expected about 4537 (380 distinct)", len(rels), len(fs), dir)
	}
	return fs, nil
}
