package main

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/bulwarkdev/bulwark/inspect"
)

func TestFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-format", "sarif"}, {"-profile", "nope"}, {"-fail-on", "worst"}, {"extra"}, {"-pid", "-3"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, inspect.Options{}, &out, &errb); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errb.String())
		}
	}
}

// The JSON output is report.JSON's document plus observed, unobserved and
// evidence.
func TestJSONSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	var out, errb bytes.Buffer
	code := run([]string{"-format", "json", "-fail-on", "critical"}, inspect.Options{}, &out, &errb)
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"subjects", "findings", "errors", "skipped", "observed", "unobserved", "evidence"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("no %q key", key)
		}
	}
	var subjects []struct{ Name, Kind string }
	if err := json.Unmarshal(doc["subjects"], &subjects); err != nil || len(subjects) != 1 ||
		!strings.HasPrefix(subjects[0].Name, "live:") || subjects[0].Kind != "oci-spec" {
		t.Errorf("subjects %s (%v)", doc["subjects"], err)
	}
}

func TestTextSelf(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"-profile", "pss-baseline"}, inspect.Options{}, &out, &errb); code == 2 {
		t.Fatalf("exit 2: %s", errb.String())
	}
	for _, want := range []string{"observed live:", "capabilities", "namespace pid", "not observable"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text output lacks %q:\n%s", want, out.String())
		}
	}
}
