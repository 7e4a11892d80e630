package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/bulwarkdev/bulwark/hardening"
)

// The JSON contract: the keys every object must carry. Keys may be added to
// the output, never removed.
var jsonContract = map[string][]string{
	"subjects":   {"name", "kind", "source", "document"},
	"findings":   {"check", "severity", "class", "subject", "source", "document", "path", "message", "remediation", "references", "suppressed", "fingerprint"},
	"references": {"kind", "id", "url"},
	"errors":     {"source", "document", "message"},
	"skipped":    {"source", "document", "kind"},
}

// TestJSONContract decodes the output without knowing its Go types and
// checks every required key and its JSON type, and that no array is null.
func TestJSONContract(t *testing.T) {
	tests := []struct {
		name   string
		result *hardening.Result
		counts map[string]int // length of each top-level array
	}{
		{"full", testResult(), map[string]int{"subjects": 3, "findings": 6, "errors": 2, "skipped": 5}},
		{"empty", &hardening.Result{}, map[string]int{"subjects": 0, "findings": 0, "errors": 0, "skipped": 0}},
		{"nil", nil, map[string]int{"subjects": 0, "findings": 0, "errors": 0, "skipped": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(t, func(b *bytes.Buffer) error { return JSON(b, tt.result, Options{Checks: testChecks}) })
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, key := range []string{"subjects", "findings", "errors", "skipped"} {
				arr, ok := doc[key].([]any)
				if !ok {
					t.Fatalf("%q is %T, want an array", key, doc[key])
				}
				counts[key] = len(arr)
				for i, el := range arr {
					obj := requireKeys(t, key, i, el)
					if key != "findings" {
						continue
					}
					refs, ok := obj["references"].([]any)
					if !ok {
						t.Fatalf("findings[%d].references is %T, want an array", i, obj["references"])
					}
					for j, ref := range refs {
						requireKeys(t, "references", j, ref)
					}
					for _, k := range []string{"severity", "class", "kind"} {
						if s, _ := obj[k].(string); s == "" {
							t.Errorf("findings[%d].%s = %v, want a word", i, k, obj[k])
						}
					}
					if _, ok := obj["suppressed"].(bool); !ok {
						t.Errorf("findings[%d].suppressed is %T, want a bool", i, obj["suppressed"])
					}
				}
			}
			if diff := cmp.Diff(tt.counts, counts); diff != "" {
				t.Errorf("array lengths (-want +got):\n%s", diff)
			}
		})
	}
}

// requireKeys asserts that el is an object with every key the contract
// names for its array.
func requireKeys(t *testing.T, array string, i int, el any) map[string]any {
	t.Helper()
	obj, ok := el.(map[string]any)
	if !ok {
		t.Fatalf("%s[%d] is %T, want an object", array, i, el)
	}
	for _, k := range jsonContract[array] {
		v, ok := obj[k]
		if !ok {
			t.Errorf("%s[%d] lacks %q: %v", array, i, k, obj)
			continue
		}
		if k == "document" {
			if _, ok := v.(float64); !ok {
				t.Errorf("%s[%d].document is %T, want a number", array, i, v)
			}
		}
	}
	return obj
}

// TestJSONValues checks the values that the contract defines.
func TestJSONValues(t *testing.T) {
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, testResult(), Options{Checks: testChecks}) })
	var doc struct {
		Subjects []map[string]any
		Findings []map[string]any
		Errors   []map[string]any
		Skipped  []map[string]any
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	pick := func(m map[string]any, keys ...string) []any {
		var vs []any
		for _, k := range keys {
			vs = append(vs, m[k])
		}
		return vs
	}
	tests := []struct {
		name string
		got  []any
		want []any
	}{
		{"pod subject", pick(doc.Subjects[0], "name", "kind", "source", "document"), []any{"Deployment/prod/web", "pod", "manifests/deploy.yaml", 0.0}},
		{"spec subject", pick(doc.Subjects[1], "kind"), []any{"oci-spec"}},
		{"finding", pick(doc.Findings[0], "check", "severity", "class", "container", "suppressed"), []any{"capabilities.privileged", "critical", "escape", "app", false}},
		{"suppressed", pick(doc.Findings[1], "severity", "class", "suppressed", "suppressionReason"), []any{"medium", "inner-container", true, "the sidecar writes its cache to / (SEC-12)"}},
		{"completed from check", pick(doc.Findings[3], "severity", "class", "remediation", "references"), []any{"low", "resource-exhaustion", "Set linux.resources.pids.limit.", []any{}}},
		{"document error", pick(doc.Errors[0], "source", "document", "message"), []any{"manifests/broken.yaml", 1.0, "yaml: line 4: mapping values are not allowed in this context"}},
		{"file error", pick(doc.Errors[1], "document"), []any{-1.0}},
		{"rendered subject", pick(doc.Subjects[0], "template"), []any{"shop/templates/deployment.yaml"}},
		{"other subject", pick(doc.Subjects[1], "template"), []any{nil}},
		{"rendered finding", pick(doc.Findings[0], "template", "fingerprint"), []any{"shop/templates/deployment.yaml", Fingerprint(testResult().Findings[0])}},
		{"other finding", pick(doc.Findings[3], "template", "fingerprint", "baselineState"), []any{nil, Fingerprint(testResult().Findings[3]), nil}},
		{"skipped object", pick(doc.Skipped[0], "kind", "name", "reason", "path", "part", "controller"),
			[]any{"v1 Service", "Service/prod/web", "no pod template or pod spec in it", nil, nil, nil}},
		{"skipped object whose pods a controller runs", pick(doc.Skipped[1], "name", "controller", "template"),
			[]any{"Prometheus/monitoring/k8s", "Prometheus Operator", "shop/templates/prometheus.yaml"}},
		{"skipped part", pick(doc.Skipped[3], "name", "path", "part", "reason"),
			[]any{"FlinkDeployment/stream/etl", "spec.podTemplate.spec.containers", true, "element 0 has no image"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestJSONDecodesIntoFindings checks that Go tools can decode the findings
// back into hardening.Finding without loss.
func TestJSONDecodesIntoFindings(t *testing.T) {
	r := testResult()
	out := render(t, func(b *bytes.Buffer) error { return JSON(b, r, Options{Checks: testChecks}) })
	var doc struct {
		Findings []hardening.Finding
		Skipped  []hardening.Skipped
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(r.Findings)
	want[3] = indexChecks(testChecks).complete(want[3])
	if diff := cmp.Diff(want, doc.Findings, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(r.Skipped, doc.Skipped); diff != "" {
		t.Errorf("skipped (-want +got):\n%s", diff)
	}
}
