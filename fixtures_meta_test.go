package bulwark_test

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark"
)

// TestEveryCheckHasAFixture keeps the promise that every check in the
// catalog is triggered by at least one fixture that states its expected
// findings (a "# want:" comment or a line of a .want file), so each check's
// behaviour on real input is pinned somewhere, not only in unit tables.
func TestEveryCheckHasAFixture(t *testing.T) {
	wanted := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "conformance", "internal", ".git":
				if path != "." {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.Contains(filepath.ToSlash(path), "testdata/") {
			return nil
		}
		isWant := strings.HasSuffix(path, ".want")
		if !isWant && !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if !isWant {
				_, after, ok := strings.Cut(line, "# want:")
				if !ok {
					continue
				}
				line = after
			} else if strings.HasPrefix(line, "#") {
				continue
			}
			if fields := strings.Fields(line); len(fields) >= 2 {
				wanted[fields[0]] = true
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	// Image content checks read files inside image layers, which tests
	// build with internal/imagetest rather than keep as fixture files: the
	// planted image's expectations count as their fixture.
	for _, w := range append(slices.Clone(plantedWant), plantedWantDocker...) {
		wanted[w.Check] = true
	}
	exempt := map[string]string{
		"hardening.check-failed":             "produced only by a check's bug",
		"capabilities.non-root-unverifiable": "needs image configs beside the Pod; pinned by examples/posture's test",
		"hardening.expired-suppression":      "needs a policy file; pinned by hardening's TestPolicy and examples/audit's -policy test",
	}
	for _, c := range bulwark.Checks() {
		if exempt[c.ID] != "" {
			continue
		}
		if !wanted[c.ID] {
			t.Errorf("%s: no fixture expects it", c.ID)
		}
	}
}
