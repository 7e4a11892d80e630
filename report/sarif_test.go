package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/xeipuuv/gojsonschema"

	"github.com/bulwarkdev/bulwark/hardening"
)

// The official SARIF 2.1.0 JSON schema (OASIS errata 01) ships inside
// github.com/owenrumney/go-sarif/v3 as the unexported constant "schema" in
// pkg/report/v210/sarif/schema.go. That package's (*Report).Validate does
// not validate our bytes: it validates a sarif.Report re-marshalled by
// go-sarif, whose structs write null for every absent array
// ("runs.0.graphs: Invalid type. Expected: array, given: null"), so it
// rejects any log decoded into it, ours included. Instead the test reads the
// constant out of the module's source with go/parser and validates our
// exact bytes with gojsonschema, the validator go-sarif itself uses. The
// schema forbids unknown properties on most objects, so misspelled keys
// fail too. TestSARIFDecodesIntoGoSarif imports the sarif package, which
// keeps the module, and so its source, in go.mod and the module cache.
const (
	sarifModule     = "github.com/owenrumney/go-sarif/v3"
	sarifSchemaFile = "pkg/report/v210/sarif/schema.go"
)

var loadSchema = sync.OnceValues(func() (*gojsonschema.Schema, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", sarifModule).Output()
	if err != nil {
		return nil, fmt.Errorf("locating %s: %v", sarifModule, err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return nil, fmt.Errorf("%s is not in the module cache (run go mod download)", sarifModule)
	}
	path := filepath.Join(dir, filepath.FromSlash(sarifSchemaFile))
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		return nil, err
	}
	text := ""
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "schema" || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			text, err = strconv.Unquote(lit.Value)
		}
		return false
	})
	if err != nil {
		return nil, err
	}
	if text == "" {
		return nil, fmt.Errorf("%s: no string constant named schema", path)
	}
	// Make sure this is the schema we mean.
	var head struct{ ID, Title string }
	if err := json.Unmarshal([]byte(text), &head); err != nil {
		return nil, err
	}
	if !strings.Contains(head.ID, "sarif-schema-2.1.0.json") || !strings.Contains(head.Title, "2.1.0") {
		return nil, fmt.Errorf("%s: unexpected schema %q (%s)", path, head.ID, head.Title)
	}
	return gojsonschema.NewSchema(gojsonschema.NewStringLoader(text))
})

// validateSARIF validates raw bytes against the official schema.
func validateSARIF(t *testing.T, doc []byte) error {
	t.Helper()
	schema, err := loadSchema()
	if err != nil {
		t.Fatalf("loading the SARIF schema: %v", err)
	}
	res, err := schema.Validate(gojsonschema.NewBytesLoader(doc))
	if err != nil {
		return err
	}
	if !res.Valid() {
		var msgs []string
		for _, e := range res.Errors() {
			msgs = append(msgs, e.String())
		}
		return fmt.Errorf("invalid SARIF:\n%s", strings.Join(msgs, "\n"))
	}
	return nil
}

func sarifFixtures() map[string]struct {
	result *hardening.Result
	opts   Options
} {
	stdin := &hardening.Result{Findings: []hardening.Finding{{
		Check: "capabilities.privileged", Severity: hardening.SeverityInfo, Class: hardening.ClassEscape,
		Subject: "-", Kind: hardening.KindOCISpec, Source: "-", Message: "m",
	}}}
	odd := &hardening.Result{Findings: []hardening.Finding{{
		Check: "x.unset", Subject: "s", Source: "/abs/dir with space/ü.yaml", Path: "a[0]", Message: "severity and class never set",
	}, {
		Check: "x.empty",
	}}}
	return map[string]struct {
		result *hardening.Result
		opts   Options
	}{
		"full":        {testResult(), Options{Checks: testChecks, ToolVersion: "v1.2.3"}},
		"no checks":   {testResult(), Options{}},
		"empty":       {&hardening.Result{}, Options{}},
		"nil":         {nil, Options{Checks: testChecks}},
		"stdin":       {stdin, Options{}},
		"unset":       {odd, Options{}},
		"only errors": {&hardening.Result{Errors: testResult().Errors}, Options{}},
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	for name, fx := range sarifFixtures() {
		t.Run(name, func(t *testing.T) {
			out := render(t, func(b *bytes.Buffer) error { return SARIF(b, fx.result, fx.opts) })
			if err := validateSARIF(t, out); err != nil {
				t.Errorf("%v\n%s", err, out)
			}
		})
	}
}

// TestSARIFSchemaRejectsInvalid proves the validation can fail: each case
// breaks a valid log in one way that GitHub or the schema rejects.
func TestSARIFSchemaRejectsInvalid(t *testing.T) {
	tests := []struct {
		name    string
		break_  func(doc map[string]any)
		wantErr string // the validator's complaint names this
	}{
		{"level critical", func(doc map[string]any) { result(doc)["level"] = "critical" }, "results.0.level must be one of"},
		{"rule level high", func(doc map[string]any) {
			rule(doc)["defaultConfiguration"].(map[string]any)["level"] = "high"
		}, "defaultConfiguration.level must be one of"},
		{"result without message", func(doc map[string]any) { delete(result(doc), "message") }, "message is required"},
		{"misspelled rule key", func(doc map[string]any) {
			rule(doc)["shortDescripton"] = rule(doc)["shortDescription"]
		}, "shortDescripton is not allowed"},
		{"version 2.0.0", func(doc map[string]any) { doc["version"] = "2.0.0" }, "version"},
		{"results null", func(doc map[string]any) { run(doc)["results"] = nil }, "results: Invalid type"},
		{"suppression kind", func(doc map[string]any) {
			result(doc)["suppressions"] = []any{map[string]any{"kind": "annotation"}}
		}, "suppressions.0.kind"},
		{"start line 0", func(doc map[string]any) {
			loc := result(doc)["locations"].([]any)[0].(map[string]any)
			loc["physicalLocation"].(map[string]any)["region"] = map[string]any{"startLine": 0}
		}, "startLine"},
	}
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, testResult(), Options{Checks: testChecks}) })
	if err := validateSARIF(t, out); err != nil {
		t.Fatalf("the unbroken log must be valid: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			tt.break_(doc)
			broken, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			err = validateSARIF(t, broken)
			if err == nil {
				t.Fatal("validator accepted a broken log")
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("validator rejected the log for another reason than %q: %v", tt.wantErr, err)
			}
		})
	}
}

func run(doc map[string]any) map[string]any {
	return doc["runs"].([]any)[0].(map[string]any)
}

func rule(doc map[string]any) map[string]any {
	return run(doc)["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)[0].(map[string]any)
}

func result(doc map[string]any) map[string]any {
	return run(doc)["results"].([]any)[0].(map[string]any)
}

// TestSARIFDecodesIntoGoSarif reads our output with go-sarif's model of
// SARIF 2.1.0 and checks that re-marshalling it keeps every key and value
// we wrote: nothing we emit is outside the object model. (go-sarif adds
// keys of its own, such as null arrays, so only ours are compared.)
func TestSARIFDecodesIntoGoSarif(t *testing.T) {
	for name, fx := range sarifFixtures() {
		t.Run(name, func(t *testing.T) {
			out := render(t, func(b *bytes.Buffer) error { return SARIF(b, fx.result, fx.opts) })
			if diff := goSarifLoss(t, out); diff != "" {
				t.Errorf("go-sarif lost part of our output (-ours +go-sarif):\n%s", diff)
			}
		})
	}
	// The comparison can fail: a key outside the object model is lost.
	t.Run("misspelled key is lost", func(t *testing.T) {
		out := render(t, func(b *bytes.Buffer) error { return SARIF(b, testResult(), Options{Checks: testChecks}) })
		var doc map[string]any
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		result(doc)["ruleID"] = result(doc)["ruleId"]
		broken, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if diff := goSarifLoss(t, broken); !strings.Contains(diff, "ruleID") {
			t.Errorf("a key outside the SARIF model went unnoticed; diff:\n%s", diff)
		}
	})
}

// goSarifLoss decodes doc into go-sarif's sarif.Report, re-marshals it and
// returns what of doc did not survive, as a cmp.Diff.
func goSarifLoss(t *testing.T, doc []byte) string {
	t.Helper()
	var rep sarif.Report
	if err := json.Unmarshal(doc, &rep); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(&rep)
	if err != nil {
		t.Fatal(err)
	}
	var ours, theirs any
	if err := json.Unmarshal(doc, &ours); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(again, &theirs); err != nil {
		t.Fatal(err)
	}
	return cmp.Diff(ours, restrict(theirs, ours))
}

// restrict returns the part of got with the shape of want: only the object
// keys want has, recursively.
func restrict(got, want any) any {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return got
		}
		out := make(map[string]any, len(w))
		for k, wv := range w {
			if gv, ok := g[k]; ok {
				out[k] = restrict(gv, wv)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return got
		}
		out := make([]any, len(g))
		for i := range g {
			out[i] = restrict(g[i], w[i])
		}
		return out
	}
	return got
}

// sarifDoc is the part of a SARIF log the mapping tests read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Name, InformationURI, Version string
				Rules                         []struct {
					ID, Name, HelpURI    string
					ShortDescription     struct{ Text string }
					FullDescription      *struct{ Text string }
					Help                 *struct{ Text, Markdown string }
					DefaultConfiguration struct{ Level string }
					Properties           map[string]any
				}
			}
		}
		Invocations []struct {
			ExecutionSuccessful        bool
			ToolExecutionNotifications []struct {
				Level   string
				Message struct{ Text string }
			}
		}
		Results []struct {
			RuleID              string
			RuleIndex           int
			Level               string
			Message             struct{ Text string }
			Locations           []map[string]any
			PartialFingerprints map[string]string
			Suppressions        []map[string]string
		}
	}
}

func decodeSARIF(t *testing.T, r *hardening.Result, opts Options) sarifDoc {
	t.Helper()
	out := render(t, func(b *bytes.Buffer) error { return SARIF(b, r, opts) })
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(doc.Runs))
	}
	return doc
}

func TestSARIFRules(t *testing.T) {
	doc := decodeSARIF(t, testResult(), Options{Checks: testChecks, ToolVersion: "v1.2.3"})
	d := doc.Runs[0].Tool.Driver
	if diff := cmp.Diff([]string{"bulwark", "https://github.com/bulwarkdev/bulwark", "v1.2.3"}, []string{d.Name, d.InformationURI, d.Version}); diff != "" {
		t.Errorf("driver (-want +got):\n%s", diff)
	}
	type rule struct {
		ID, Name, Short, Level, HelpURI string
		Properties                      map[string]any
	}
	var got []rule
	for _, r := range d.Rules {
		got = append(got, rule{r.ID, r.Name, r.ShortDescription.Text, r.DefaultConfiguration.Level, r.HelpURI, r.Properties})
	}
	want := []rule{
		{"capabilities.privileged", "CapabilitiesPrivileged", "container runs privileged", "error", "https://www.cisecurity.org/benchmark/docker", map[string]any{
			"security-severity": "9.5", "precision": "high",
			"tags": []any{"security", "escape", "CIS-5.4", "PSS-baseline/privileged", "NCC-7.1"},
		}},
		{"cgroups.pids-limit", "CgroupsPidsLimit", "no pids limit", "note", "", map[string]any{
			"security-severity": "3.0", "precision": "high", "tags": []any{"security", "resource-exhaustion"},
		}},
		{"hardening.unused-suppression", "HardeningUnusedSuppression", "hardening.unused-suppression", "note", "", map[string]any{
			"security-severity": "0.0", "precision": "high", "tags": []any{"security", "management"},
		}},
		// Not in Options.Checks: a minimal rule from its finding.
		{"images.runs-as-root", "ImagesRunsAsRoot", "images.runs-as-root", "error", "", map[string]any{
			"security-severity": "8.0", "precision": "high", "tags": []any{"security", "inner-container"},
		}},
		{"namespaces.writable-rootfs", "NamespacesWritableRootfs", "root filesystem is writable", "warning", "", map[string]any{
			"security-severity": "5.5", "precision": "high", "tags": []any{"security", "inner-container", "CIS-5.12"},
		}},
		// Ran, found nothing: still a rule.
		{"network.host-network", "NetworkHostNetwork", "pod uses the host network", "error", "", map[string]any{
			"security-severity": "8.0", "precision": "high", "tags": []any{"security", "cross-container", "CVE-2020-14386"},
		}},
		{"serviceaccount.token-mounted", "ServiceaccountTokenMounted", "serviceaccount.token-mounted", "note", "", map[string]any{
			"security-severity": "0.0", "precision": "high", "tags": []any{"security", "management"},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	priv := d.Rules[0]
	if priv.FullDescription == nil || priv.FullDescription.Text != checkPrivileged.Rationale {
		t.Errorf("fullDescription = %v, want the rationale", priv.FullDescription)
	}
	wantHelp := "Set securityContext.privileged to false.\n\nReferences:\n" +
		"- cis-docker 5.4: https://www.cisecurity.org/benchmark/docker\n" +
		"- pss baseline/privileged: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline\n" +
		"- ncc 7.1"
	if priv.Help == nil || priv.Help.Text != wantHelp {
		t.Errorf("help.text = %+v, want %q", priv.Help, wantHelp)
	}
}

func TestSARIFResults(t *testing.T) {
	r := testResult()
	doc := decodeSARIF(t, r, Options{Checks: testChecks})
	run := doc.Runs[0]
	rules := run.Tool.Driver.Rules
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want one per finding (%d), suppressed included", len(run.Results), len(r.Findings))
	}
	type res struct {
		RuleID, Level, Text string
		Suppressions        []map[string]string
	}
	var got []res
	for i, x := range run.Results {
		if rules[x.RuleIndex].ID != x.RuleID {
			t.Errorf("results[%d]: ruleIndex %d is rule %s, want %s", i, x.RuleIndex, rules[x.RuleIndex].ID, x.RuleID)
		}
		got = append(got, res{x.RuleID, x.Level, x.Message.Text, x.Suppressions})
	}
	// The template that rendered a document is linked from the message.
	const from = " (from [shop/templates/deployment.yaml](1))"
	want := []res{
		{"capabilities.privileged", "error", `Deployment/prod/web: spec.template.spec.containers[0].securityContext.privileged: container "app" is privileged` + from, nil},
		{"namespaces.writable-rootfs", "warning", `Deployment/prod/web: spec.template.spec.containers[1].securityContext.readOnlyRootFilesystem: container "sidecar" does not set readOnlyRootFilesystem` + from,
			[]map[string]string{{"kind": "inSource", "justification": "the sidecar writes its cache to / (SEC-12)"}}},
		{"images.runs-as-root", "error", `Deployment/prod/web: spec.template.spec.containers[0].securityContext.runAsNonRoot: container "app" may run as root: runAsNonRoot is not set and image user is unknown` + from, nil},
		{"cgroups.pids-limit", "note", "bundle/config.json: linux.resources.pids.limit: linux.resources.pids is not set", nil},
		{"hardening.unused-suppression", "note", "Deployment/prod/web: spec.template.metadata.annotations[bulwark.dev/ignore]: suppression of capabilities.dangerous matched no finding" + from, nil},
		{"serviceaccount.token-mounted", "note", "Deployment/prod/web: spec.template.spec.automountServiceAccountToken: the service account's token is mounted" + from, nil},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}

	wantLoc := map[string]any{
		"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": "manifests/deploy.yaml"}, "region": map[string]any{"startLine": 1.0}},
		"logicalLocations": []any{
			map[string]any{"name": "spec.template.spec.containers[0].securityContext.privileged", "fullyQualifiedName": "Deployment/prod/web/spec.template.spec.containers[0].securityContext.privileged", "kind": "property"},
			map[string]any{"name": "Deployment/prod/web", "fullyQualifiedName": "Deployment/prod/web", "kind": "object"},
		},
	}
	if diff := cmp.Diff([]map[string]any{wantLoc}, run.Results[0].Locations); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}

	inv := run.Invocations
	if len(inv) != 1 || inv[0].ExecutionSuccessful {
		t.Fatalf("invocations = %+v, want one, unsuccessful (load errors)", inv)
	}
	var notes []string
	for _, n := range inv[0].ToolExecutionNotifications {
		notes = append(notes, n.Level+" "+n.Message.Text)
	}
	wantNotes := []string{
		"error manifests/broken.yaml: document 1: yaml: line 4: mapping values are not allowed in this context",
		"error missing.json: open missing.json: no such file or directory",
		"note manifests/deploy.yaml#1: skipped v1 Service Service/prod/web: no pod template or pod spec in it",
		"note manifests/monitoring.yaml#0: skipped monitoring.coreos.com/v1 Prometheus Prometheus/monitoring/k8s (from shop/templates/prometheus.yaml): " +
			"its pods are not in the input, Prometheus Operator runs them: creates a StatefulSet whose pods merge spec.containers into the containers the operator generates",
		"note manifests/deploy.yaml#3: skipped v1 ConfigMap ConfigMap/prod/web: no pod template or pod spec in it",
		"note manifests/flink.yaml#0: not audited within FlinkDeployment/stream/etl: spec.podTemplate.spec.containers: element 0 has no image",
		"note manifests/deploy.yaml#4: skipped v1 Service Service/prod/api: no pod template or pod spec in it",
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	if ok := decodeSARIF(t, &hardening.Result{}, Options{}).Runs[0].Invocations[0].ExecutionSuccessful; !ok {
		t.Error("executionSuccessful = false without load errors")
	}
}

func TestSARIFLevels(t *testing.T) {
	tests := []struct {
		sev           hardening.Severity
		level, secSev string
	}{
		{hardening.SeverityCritical, "error", "9.5"},
		{hardening.SeverityHigh, "error", "8.0"},
		{hardening.SeverityMedium, "warning", "5.5"},
		{hardening.SeverityLow, "note", "3.0"},
		{hardening.SeverityInfo, "note", "0.0"},
		{0, "warning", ""},
	}
	for _, tt := range tests {
		if got := sarifLevel(tt.sev); got != tt.level {
			t.Errorf("sarifLevel(%v) = %q, want %q", tt.sev, got, tt.level)
		}
		if got := securitySeverity(tt.sev); got != tt.secSev {
			t.Errorf("securitySeverity(%v) = %q, want %q", tt.sev, got, tt.secSev)
		}
	}
}

func TestSARIFFingerprints(t *testing.T) {
	f := testResult().Findings[0]
	base := Fingerprint(f)
	if len(base) != 64 || strings.Trim(base, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q is not lower-case SHA-256 hex", base)
	}
	doc := decodeSARIF(t, testResult(), Options{})
	if got := doc.Runs[0].Results[0].PartialFingerprints; !cmp.Equal(got, map[string]string{"bulwarkFinding/v1": base}) {
		t.Errorf("partialFingerprints = %v, want bulwarkFinding/v1: %s", got, base)
	}
	// The message and the severity do not change it; check, subject and
	// path do, and field boundaries are unambiguous.
	tests := []struct {
		name                 string
		check, subject, path string
		same                 bool
	}{
		{"same", f.Check, f.Subject, f.Path, true},
		{"other check", "capabilities.other", f.Subject, f.Path, false},
		{"other subject", f.Check, "Deployment/prod/api", f.Path, false},
		{"other path", f.Check, f.Subject, "spec.template.spec.containers[1].securityContext.privileged", false},
		{"shifted boundary", f.Check + f.Subject[:1], f.Subject[1:], f.Path, false},
	}
	for _, tt := range tests {
		g := f
		g.Check, g.Subject, g.Path = tt.check, tt.subject, tt.path
		if got := Fingerprint(g) == base; got != tt.same {
			t.Errorf("%s: equal = %v, want %v", tt.name, got, tt.same)
		}
	}
	// Nor does anything else about the finding: it is the same finding
	// when another check joins it or a baseline marks it.
	for name, change := range map[string]func(*hardening.Finding){
		"message":   func(g *hardening.Finding) { g.Message = "other" },
		"severity":  func(g *hardening.Finding) { g.Severity = hardening.SeverityLow },
		"related":   func(g *hardening.Finding) { g.Related = []string{"capabilities.pss-privileged", "confinement.seccomp"} },
		"line":      func(g *hardening.Finding) { g.Line = 99 },
		"template":  func(g *hardening.Finding) { g.Template = "chart/templates/x.yaml" },
		"source":    func(g *hardening.Finding) { g.Source, g.Document = "-", 4 },
		"container": func(g *hardening.Finding) { g.Container = "" },
		"suppressed": func(g *hardening.Finding) {
			g.Suppressed, g.SuppressedBy, g.BaselineState = true, SuppressedByBaseline, BaselineUnchanged
		},
	} {
		g := f
		change(&g)
		if Fingerprint(g) != base {
			t.Errorf("the fingerprint changed with the %s", name)
		}
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct{ source, want string }{
		{"", ""},
		{"-", ""},
		{"config.json", "config.json"},
		{"manifests/deploy.yaml", "manifests/deploy.yaml"},
		{"../up/x.yaml", "../up/x.yaml"},
		{"dir with space/ü.yaml", "dir%20with%20space/%C3%BC.yaml"},
		{"a:b.yaml", "./a:b.yaml"},
		{"/abs/x.yaml", "file:///abs/x.yaml"},
		{"100%.yaml", "100%25.yaml"},
	}
	for _, tt := range tests {
		if got := artifactURI(tt.source); got != tt.want {
			t.Errorf("artifactURI(%q) = %q, want %q", tt.source, got, tt.want)
		}
	}
}

// Standard input has no file to point at: no physicalLocation, but the
// logical location remains.
func TestSARIFStdin(t *testing.T) {
	r := &hardening.Result{Findings: []hardening.Finding{{
		Check: "a.b", Severity: hardening.SeverityLow, Subject: "Pod/p", Source: "-", Path: "spec.hostPID", Message: "m",
	}}}
	locs := decodeSARIF(t, r, Options{}).Runs[0].Results[0].Locations
	want := []map[string]any{{"logicalLocations": []any{
		map[string]any{"name": "spec.hostPID", "fullyQualifiedName": "Pod/p/spec.hostPID", "kind": "property"},
		map[string]any{"name": "Pod/p", "fullyQualifiedName": "Pod/p", "kind": "object"},
	}}}
	if diff := cmp.Diff(want, locs); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
}

func TestCamelCase(t *testing.T) {
	for in, want := range map[string]string{
		"capabilities.dangerous-added": "CapabilitiesDangerousAdded",
		"hardening.check-failed":       "HardeningCheckFailed",
		"x":                            "X",
		"":                             "",
	} {
		if got := camelCase(in); got != want {
			t.Errorf("camelCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// The template that rendered a finding's document: a related location the
// message links to, or the location itself for standard input, which has
// no file of its own.
func TestSARIFTemplate(t *testing.T) {
	f := hardening.Finding{Check: "a.b", Severity: hardening.SeverityLow, Subject: "Pod/p", Path: "spec.hostPID", Message: "m", Line: 7}
	region1 := map[string]any{"startLine": 1.0}
	tests := []struct {
		name, source, template string
		wantText               string
		wantPhysical           map[string]any // of the first location
		wantRelated            []map[string]any
	}{
		{"no template", "r.yaml", "", "Pod/p: spec.hostPID: m",
			map[string]any{"artifactLocation": map[string]any{"uri": "r.yaml"}, "region": map[string]any{"startLine": 7.0}}, nil},
		{"rendered file", "r.yaml", "shop/templates/pod.yaml", "Pod/p: spec.hostPID: m (from [shop/templates/pod.yaml](1))",
			map[string]any{"artifactLocation": map[string]any{"uri": "r.yaml"}, "region": map[string]any{"startLine": 7.0}},
			[]map[string]any{{"id": 1.0, "message": map[string]any{"text": "the template that rendered it"},
				"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": "shop/templates/pod.yaml"}, "region": region1}}}},
		{"link text escaped", "r.yaml", `t/[x]\y.yaml`, `Pod/p: spec.hostPID: m (from [t/\[x\]\\y.yaml](1))`,
			map[string]any{"artifactLocation": map[string]any{"uri": "r.yaml"}, "region": map[string]any{"startLine": 7.0}},
			[]map[string]any{{"id": 1.0, "message": map[string]any{"text": "the template that rendered it"},
				"physicalLocation": map[string]any{"artifactLocation": map[string]any{"uri": "t/%5Bx%5D%5Cy.yaml"}, "region": region1}}}},
		{"standard input", "-", "shop/templates/pod.yaml", "Pod/p: spec.hostPID: m (from shop/templates/pod.yaml)",
			map[string]any{"artifactLocation": map[string]any{"uri": "shop/templates/pod.yaml"}, "region": region1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := f
			g.Source, g.Template = tt.source, tt.template
			var log struct {
				Runs []struct {
					Results []struct {
						Message          struct{ Text string }
						Locations        []map[string]any
						RelatedLocations []map[string]any
						Properties       map[string]any
					}
				}
			}
			out := render(t, func(b *bytes.Buffer) error {
				return SARIF(b, &hardening.Result{Findings: []hardening.Finding{g}}, Options{})
			})
			if err := json.Unmarshal(out, &log); err != nil {
				t.Fatal(err)
			}
			res := log.Runs[0].Results[0]
			if res.Message.Text != tt.wantText {
				t.Errorf("message %q, want %q", res.Message.Text, tt.wantText)
			}
			if diff := cmp.Diff(tt.wantPhysical, res.Locations[0]["physicalLocation"]); diff != "" {
				t.Errorf("physicalLocation (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantRelated, res.RelatedLocations); diff != "" {
				t.Errorf("relatedLocations (-want +got):\n%s", diff)
			}
			if got, _ := res.Properties["template"].(string); got != tt.template {
				t.Errorf("properties.template = %q, want %q", got, tt.template)
			}
			if p := res.Properties; p["subject"] != "Pod/p" || p["path"] != "spec.hostPID" {
				t.Errorf("properties %v", p)
			}
		})
	}
}

// A finding compared with a baseline has its baselineState; one the
// baseline suppressed is suppressed externally, its origin in the
// properties.
func TestSARIFBaselineState(t *testing.T) {
	f := hardening.Finding{Check: "a.b", Severity: hardening.SeverityHigh, Subject: "Pod/p", Source: "p.yaml", Path: "spec.hostPID"}
	tests := []struct {
		name         string
		mark         func(*hardening.Finding)
		wantState    string
		suppressions []map[string]string
		suppressedBy string
	}{
		{"no baseline", func(*hardening.Finding) {}, "", nil, ""},
		{"new", func(f *hardening.Finding) { f.BaselineState = BaselineNew }, "new", nil, ""},
		{"unchanged", func(f *hardening.Finding) {
			f.BaselineState, f.Suppressed, f.SuppressedBy, f.SuppressionReason = BaselineUnchanged, true, SuppressedByBaseline, "in the baseline b.json"
		}, "unchanged", []map[string]string{{"kind": "external", "justification": "in the baseline b.json"}}, "baseline"},
		{"unchanged, suppressed by its object", func(f *hardening.Finding) {
			f.BaselineState, f.Suppressed, f.SuppressedBy, f.SuppressionReason = BaselineUnchanged, true, hardening.SuppressedByObject, "r"
		}, "unchanged", []map[string]string{{"kind": "inSource", "justification": "r"}}, "object"},
		{"not a state SARIF knows", func(f *hardening.Finding) { f.BaselineState = "absent" }, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := f
			tt.mark(&g)
			var log struct {
				Runs []struct {
					Results []struct {
						BaselineState string
						Suppressions  []map[string]string
						Properties    struct{ SuppressedBy string }
					}
				}
			}
			out := render(t, func(b *bytes.Buffer) error {
				return SARIF(b, &hardening.Result{Findings: []hardening.Finding{g}}, Options{})
			})
			if err := json.Unmarshal(out, &log); err != nil {
				t.Fatal(err)
			}
			res := log.Runs[0].Results[0]
			got := []any{res.BaselineState, res.Suppressions, res.Properties.SuppressedBy}
			if diff := cmp.Diff([]any{tt.wantState, tt.suppressions, tt.suppressedBy}, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
