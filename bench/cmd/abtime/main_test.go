package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunOnce(t *testing.T) {
	s, err := runOnce("printf abcdef", 0, 0)
	if err != nil || s.OutBytes != 6 || s.Exit != 0 || s.Killed || s.PeakKiB <= 0 || s.Wall <= 0 {
		t.Errorf("printf: %+v, %v", s, err)
	}
	if s, err := runOnce("false", 0, 0); err != nil || s.Exit != 1 {
		t.Errorf("false: %+v, %v", s, err)
	}
	start := time.Now()
	if s, err := runOnce("sleep 10", 100*time.Millisecond, 0); err != nil || !s.Killed || time.Since(start) > 5*time.Second {
		t.Errorf("sleep under -timeout: %+v, %v", s, err)
	}
	// dd holds a 64 MiB buffer: killed past 16 MiB.
	if s, err := runOnce("dd if=/dev/zero of=/dev/null bs=64M count=200", 0, 16); err != nil || !s.Killed {
		t.Errorf("dd under -max-rss: %+v, %v", s, err)
	}
	if _, err := runOnce("/nonexistent/program", 0, 0); err == nil {
		t.Errorf("a program that cannot start is not an error")
	}
}

func TestMedianAndRatios(t *testing.T) {
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median of 3,1,2 = %v", m)
	}
	if m := median([]float64{4, 1, 3, 2}); m != 2 {
		t.Errorf("median of 4,1,3,2 = %v, want the lower middle 2", m)
	}
	r := Record{
		RunsA: []sample{{Wall: 2}, {Wall: 9}, {Wall: 3}},
		RunsB: []sample{{Wall: 1}, {Wall: 3}, {Wall: 3}},
	}
	wall := func(s sample) float64 { return s.Wall }
	if got := ratios(r, wall); len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 1 {
		t.Errorf("pairwise ratios = %v, want [2 3 1]", got)
	}
}

func TestTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	recs := []Record{
		{Label: "pair", A: "/bin/audit x", B: "/bin/psabaseline x",
			RunsA: []sample{{Wall: 2, User: 1, Sys: 1, PeakKiB: 2048, OutBytes: 10, Exit: 1}},
			RunsB: []sample{{Wall: 1, User: 0.5, Sys: 0.5, PeakKiB: 1024, OutBytes: 5, Exit: 1}}},
		{Label: "solo", A: "/bin/audit y", RunsA: []sample{{Wall: 1, Killed: true, Exit: -1}}},
	}
	for _, r := range recs {
		if err := appendRecord(path, r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := printTable(&buf, path); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("table:\n%s", buf.String())
	}
	if f := strings.Fields(lines[1]); f[1] != "audit" || f[len(f)-3] != "2.00" || f[len(f)-1] != "2.00" {
		t.Errorf("pair line: %q", lines[1])
	}
	if f := strings.Fields(lines[2]); f[1] != "psabaseline" {
		t.Errorf("baseline line: %q", lines[2])
	}
	if !strings.Contains(lines[3], "kill") {
		t.Errorf("killed run not marked: %q", lines[3])
	}
}
