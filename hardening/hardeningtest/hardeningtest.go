package hardeningtest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
	"github.com/google/go-cmp/cmp"
)

// Expectation is one finding a fixture expects, or one a checker produced.
type Expectation struct {
	Document   int
	Check      string
	Path       string
	Suppressed bool
}

// String renders "document N: <check-id> <path> [suppressed]".
func (e Expectation) String() string {
	s := fmt.Sprintf("document %d: %s %s", e.Document, e.Check, e.Path)
	if e.Suppressed {
		s += " suppressed"
	}
	return s
}

// Run audits every file matching the glob patterns with c and compares the
// findings with the files' expectations, in a subtest per file. It fails
// the test when a pattern matches nothing.
func Run(t *testing.T, c hardening.Checker, patterns ...string) {
	t.Helper()
	for _, pattern := range patterns {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatalf("pattern %q: %v", pattern, err)
		}
		if len(files) == 0 {
			t.Fatalf("pattern %q matches no fixture", pattern)
		}
		for _, file := range files {
			if strings.HasSuffix(file, ".want") {
				continue
			}
			t.Run(filepath.Base(file), func(t *testing.T) { runFixture(t, c, file) })
		}
	}
}

func runFixture(t *testing.T, c hardening.Checker, file string) {
	diff, err := Compare(c, file)
	if err != nil {
		t.Fatal(err)
	}
	if diff != "" {
		t.Errorf("%s: findings differ from the fixture's expectations (-want +got):\n%s", file, diff)
	}
}

// Compare audits one fixture with c and returns the difference between its
// expectations and the findings (-want +got), empty when they agree. The
// error reports a fixture that cannot be read, has malformed expectations
// or does not load cleanly, and a finding without a field path, message or
// remediation.
func Compare(c hardening.Checker, file string) (string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	want, err := Expectations(file, data)
	if err != nil {
		return "", err
	}
	// The fixture is one run: its subjects share the Cluster of the
	// objects around them (namespaces, policies, services, …), as the
	// files of a run do.
	result := load.Paths(load.Options{}, file)
	if len(result.Errors) > 0 {
		return "", fmt.Errorf("fixture does not load: %w", result.Errors[0])
	}
	if cs, ok := c.(hardening.Checks); ok {
		// Fixtures are files in a repository: their own annotations are
		// trusted, as bulwark.AuditPaths trusts them.
		r, err := hardening.NewRunner(cs, hardening.RunOptions{Suppressions: []hardening.Suppressor{hardening.ObjectAnnotations}})
		if err != nil {
			return "", err
		}
		c = r
	}
	result.Audit(c)
	got := make([]Expectation, 0, len(result.Findings))
	for _, f := range result.Findings {
		if f.Path == "" || f.Message == "" || f.Remediation == "" {
			return "", fmt.Errorf("finding of %s lacks a path, message or remediation: %+v", f.Check, f)
		}
		// A merged finding stands for each of its checks.
		for _, id := range append([]string{f.Check}, f.Related...) {
			got = append(got, Expectation{f.Document, id, f.Path, f.Suppressed})
		}
	}
	sortExpectations(want)
	sortExpectations(got)
	if len(want) == 0 && len(got) == 0 {
		return "", nil // an empty expectation list means "nothing fires"
	}
	return cmp.Diff(want, got), nil
}

func sortExpectations(es []Expectation) {
	slices.SortFunc(es, func(a, b Expectation) int {
		if a.Document != b.Document {
			return a.Document - b.Document
		}
		if c := strings.Compare(a.Check, b.Check); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
}

// Expectations reads a fixture's expected findings: "# want:" comments in
// each YAML document, or the sibling .want file of a JSON fixture.
func Expectations(file string, data []byte) ([]Expectation, error) {
	if want, err := os.ReadFile(file + ".want"); err == nil {
		return parseLines(file+".want", want, 0, false)
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	var out []Expectation
	for i, doc := range load.Documents(data) {
		es, err := parseLines(file, doc, i, true)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

// parseLines reads expectations from lines; in comments mode only from
// "# want:" comments, otherwise from every non-comment line.
func parseLines(file string, data []byte, doc int, comments bool) ([]Expectation, error) {
	var out []Expectation
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if comments {
			_, after, ok := strings.Cut(line, "# want:")
			if !ok {
				continue
			}
			line = after
		} else if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 || len(fields) > 3 || (len(fields) == 3 && fields[2] != "suppressed") {
			return nil, fmt.Errorf("%s: document %d, line %d: want \"<check-id> <path> [suppressed]\", got %q", file, doc, n, line)
		}
		out = append(out, Expectation{Document: doc, Check: fields[0], Path: fields[1], Suppressed: len(fields) == 3})
	}
	return out, sc.Err()
}
