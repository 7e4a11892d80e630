package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// SARIF constants.
const (
	sarifSchema       = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion      = "2.1.0"
	toolName          = "bulwark"
	toolURI           = "https://github.com/bulwarkdev/bulwark"
	fingerprintKey    = "bulwarkFinding/v1"
	stdinSource       = "-"
	suppressionSource = "inSource"
)

// The subset of the SARIF 2.1.0 object model that SARIF writes.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifMessage        `json:"shortDescription"`
	FullDescription      *sarifMessage       `json:"fullDescription,omitempty"`
	Help                 *sarifMessage       `json:"help,omitempty"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	SecuritySeverity string   `json:"security-severity,omitempty"`
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string                `json:"ruleId"`
	RuleIndex           int                   `json:"ruleIndex"`
	Level               string                `json:"level"`
	Message             sarifMessage          `json:"message"`
	Locations           []sarifLocation       `json:"locations"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Suppressions        []sarifSuppression    `json:"suppressions,omitempty"`
	Properties          sarifResultProperties `json:"properties"`
}

type sarifResultProperties struct {
	Severity  string   `json:"severity"`
	Class     string   `json:"class"`
	Subject   string   `json:"subject"`
	Kind      string   `json:"kind"`
	Document  int      `json:"document"`
	Container string   `json:"container,omitempty"`
	Path      string   `json:"path"`
	Related   []string `json:"related,omitempty"`
	// Warning marks a finding about the audit's configuration, which never
	// counts toward a verdict.
	Warning bool `json:"warning,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// sarifLevel maps a severity to a SARIF level: error for critical and high,
// warning for medium, note for low and info. An unknown severity gets
// SARIF's default, warning.
func sarifLevel(s hardening.Severity) string {
	switch s {
	case hardening.SeverityCritical, hardening.SeverityHigh:
		return "error"
	case hardening.SeverityLow, hardening.SeverityInfo:
		return "note"
	}
	return "warning"
}

// securitySeverity maps a severity to the CVSS-like score GitHub code
// scanning reads from a rule's "security-severity" property: critical 9.5,
// high 8.0, medium 5.5, low 3.0, info 0.0. An unknown severity gets none.
func securitySeverity(s hardening.Severity) string {
	switch s {
	case hardening.SeverityCritical:
		return "9.5"
	case hardening.SeverityHigh:
		return "8.0"
	case hardening.SeverityMedium:
		return "5.5"
	case hardening.SeverityLow:
		return "3.0"
	case hardening.SeverityInfo:
		return "0.0"
	}
	return ""
}

// SARIF writes r as an indented SARIF 2.1.0 log with one run, in the shape
// GitHub code scanning reads (see the package documentation for the
// mapping). Rules come from opts.Checks, sorted by ID, plus a minimal rule
// for each check ID seen only in findings. Every finding is a result;
// suppressed ones carry an inSource suppression with their reason. Load
// errors and skipped documents become tool execution notifications, and
// executionSuccessful is false when there are load errors.
func SARIF(w io.Writer, r *hardening.Result, opts Options) error {
	if r == nil {
		r = &hardening.Result{}
	}
	idx := indexChecks(opts.Checks)
	all := findings(r, idx)

	// Rules: every check that ran and every check that reported, by ID.
	ids := make([]string, 0, len(idx))
	for id := range idx {
		ids = append(ids, id)
	}
	first := map[string]hardening.Finding{}
	for _, f := range all {
		if _, seen := first[f.Check]; !seen {
			first[f.Check] = f
			if idx[f.Check] == nil {
				ids = append(ids, f.Check)
			}
		}
	}
	slices.Sort(ids)
	ruleIndex := make(map[string]int, len(ids))
	rules := make([]sarifRule, len(ids))
	for i, id := range ids {
		ruleIndex[id] = i
		if c := idx[id]; c != nil {
			rules[i] = sarifRuleFor(c)
		} else {
			f := first[id]
			rules[i] = sarifRuleFor(&hardening.Check{
				ID: id, Severity: f.Severity, Class: f.Class,
				Remediation: f.Remediation, References: f.References,
			})
		}
	}

	results := make([]sarifResult, 0, len(all))
	for _, f := range all {
		results = append(results, sarifResultFor(f, ruleIndex[f.Check]))
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, e := range r.Errors {
		if e == nil {
			continue
		}
		inv.ExecutionSuccessful = false
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:     "error",
			Message:   sarifMessage{Text: e.Error()},
			Locations: artifactOnly(e.Source),
		})
	}
	for _, s := range r.Skipped {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:     "note",
			Message:   sarifMessage{Text: location(s.Source, s.Document) + ": skipped " + s.Kind + ": not a kind bulwark audits"},
			Locations: artifactOnly(s.Source),
		})
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				InformationURI: toolURI,
				Version:        opts.ToolVersion,
				Rules:          rules,
			}},
			Invocations: []sarifInvocation{inv},
			Results:     results,
		}},
	}
	return writeJSON(w, log)
}

// sarifRuleFor describes a check as a SARIF rule.
func sarifRuleFor(c *hardening.Check) sarifRule {
	rule := sarifRule{
		ID:                   c.ID,
		Name:                 camelCase(c.ID),
		ShortDescription:     sarifMessage{Text: c.Title},
		HelpURI:              "",
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(c.Severity)},
		Properties: sarifRuleProperties{
			SecuritySeverity: securitySeverity(c.Severity),
			Tags:             []string{"security"},
			Precision:        "high",
		},
	}
	if rule.ShortDescription.Text == "" {
		rule.ShortDescription.Text = c.ID
	}
	if c.Rationale != "" {
		rule.FullDescription = &sarifMessage{Text: c.Rationale}
	}
	if c.Class != 0 {
		rule.Properties.Tags = append(rule.Properties.Tags, c.Class.String())
	}
	var text, md strings.Builder
	if c.Remediation != "" {
		text.WriteString(c.Remediation)
		md.WriteString(c.Remediation)
	}
	if len(c.References) > 0 {
		if text.Len() > 0 {
			text.WriteString("\n\n")
			md.WriteString("\n\n")
		}
		text.WriteString("References:")
		md.WriteString("**References**\n")
		for _, ref := range c.References {
			text.WriteString("\n- " + ref.String())
			if ref.URL != "" {
				text.WriteString(": " + ref.URL)
				md.WriteString("\n- [" + ref.String() + "](" + ref.URL + ")")
				if rule.HelpURI == "" {
					rule.HelpURI = ref.URL
				}
			} else {
				md.WriteString("\n- " + ref.String())
			}
			if tag := referenceTag(ref); tag != "" && !slices.Contains(rule.Properties.Tags, tag) {
				rule.Properties.Tags = append(rule.Properties.Tags, tag)
			}
		}
	}
	if text.Len() > 0 {
		rule.Help = &sarifMessage{Text: text.String(), Markdown: md.String()}
	}
	return rule
}

// referenceTag renders a reference as a rule tag: "CIS-5.4",
// "PSS-baseline/capabilities", "NCC-7.1", "CVE-2019-5736". Other documents
// are not tags.
func referenceTag(ref hardening.Reference) string {
	if ref.ID == "" {
		return ""
	}
	switch ref.Kind {
	case hardening.RefCIS:
		return "CIS-" + ref.ID
	case hardening.RefPSS:
		return "PSS-" + ref.ID
	case hardening.RefNCC:
		return "NCC-" + ref.ID
	case hardening.RefCVE:
		if strings.HasPrefix(strings.ToUpper(ref.ID), "CVE-") {
			return strings.ToUpper(ref.ID)
		}
		return "CVE-" + ref.ID
	}
	return ""
}

// sarifResultFor describes a finding as a SARIF result of the rule at index
// rule.
func sarifResultFor(f hardening.Finding, rule int) sarifResult {
	res := sarifResult{
		RuleID:    f.Check,
		RuleIndex: rule,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{Text: resultText(f)},
		Locations: []sarifLocation{},
		PartialFingerprints: map[string]string{
			fingerprintKey: fingerprint(f.Check, f.Subject, f.Path),
		},
		Properties: sarifResultProperties{
			Severity:  f.Severity.String(),
			Class:     f.Class.String(),
			Subject:   f.Subject,
			Kind:      f.Kind.String(),
			Document:  f.Document,
			Container: f.Container,
			Path:      f.Path,
			Related:   f.Related,
			Warning:   f.Warning,
		},
	}
	var loc sarifLocation
	if uri := artifactURI(f.Source); uri != "" {
		loc.PhysicalLocation = &sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: uri},
			Region:           &sarifRegion{StartLine: max(1, f.Line)}, // the document's first line
		}
	}
	if f.Path != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogicalLocation{
			Name: f.Path, FullyQualifiedName: f.Subject + "/" + f.Path, Kind: "property",
		})
	}
	if f.Subject != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogicalLocation{
			Name: f.Subject, FullyQualifiedName: f.Subject, Kind: "object",
		})
	}
	if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
		res.Locations = append(res.Locations, loc)
	}
	if f.Suppressed {
		kind := suppressionSource // in the object's own annotations
		if f.SuppressedBy == hardening.SuppressedByPolicy || f.SuppressedBy == hardening.SuppressedByExemption {
			kind = "external"
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Justification: f.SuppressionReason}}
	}
	return res
}

// resultText renders "subject: path: message", leaving out what is empty.
// Code scanning shows it next to line 1 of the file, so it names the
// subject and the field itself.
func resultText(f hardening.Finding) string {
	parts := make([]string, 0, 3)
	for _, p := range []string{f.Subject, f.Path, f.Message} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return f.Check
	}
	return strings.Join(parts, ": ")
}

// fingerprint hashes what identifies a finding across runs — its check,
// subject and field path, not its message — as lower-case SHA-256 hex.
func fingerprint(check, subject, path string) string {
	h := sha256.New()
	for _, s := range []string{check, subject, path} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// artifactURI turns a source as the user named it into a URI reference:
// a relative path stays relative (slashes, escaped), an absolute path
// becomes a file URI, and standard input ("-") or no source has none.
func artifactURI(source string) string {
	if source == "" || source == stdinSource {
		return ""
	}
	p := filepath.ToSlash(source)
	if filepath.IsAbs(source) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	return (&url.URL{Path: p}).String()
}

// artifactOnly returns a location naming only the file, or none.
func artifactOnly(source string) []sarifLocation {
	uri := artifactURI(source)
	if uri == "" {
		return nil
	}
	return []sarifLocation{{PhysicalLocation: &sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: uri}}}}
}

// camelCase turns a check ID into a rule name:
// "capabilities.dangerous-added" → "CapabilitiesDangerousAdded".
func camelCase(id string) string {
	var b strings.Builder
	upper := true
	for _, r := range id {
		switch {
		case r == '.' || r == '-' || r == '_' || r == ' ':
			upper = true
		case upper:
			b.WriteString(strings.ToUpper(string(r)))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
