package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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
	Tool        sarifTool           `json:"tool"`
	Invocations []sarifInvocation   `json:"invocations"`
	Results     []sarifResult       `json:"results"`
	Properties  *sarifRunProperties `json:"properties,omitempty"`
}

// sarifRunProperties says how many results a truncated log left out.
type sarifRunProperties struct {
	ResultsTotal   int `json:"resultsTotal"`
	ResultsOmitted int `json:"resultsOmitted"`
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
	RelatedLocations    []sarifLocation       `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string     `json:"partialFingerprints"`
	Suppressions        []sarifSuppression    `json:"suppressions,omitempty"`
	BaselineState       string                `json:"baselineState,omitempty"`
	Properties          sarifResultProperties `json:"properties"`
}

type sarifResultProperties struct {
	Severity  string   `json:"severity"`
	Class     string   `json:"class"`
	Subject   string   `json:"subject"`
	Kind      string   `json:"kind"`
	Document  int      `json:"document"`
	Template  string   `json:"template,omitempty"`
	Container string   `json:"container,omitempty"`
	Path      string   `json:"path"`
	Related   []string `json:"related,omitempty"`
	// Warning marks a finding about the audit's configuration, which never
	// counts toward a verdict.
	Warning bool `json:"warning,omitempty"`
	// SuppressedBy says which source suppressed a suppressed finding.
	SuppressedBy string `json:"suppressedBy,omitempty"`
}

type sarifLocation struct {
	// ID is set on a related location that the result's message links
	// to ("[text](1)"); 0 leaves it out.
	ID               int                    `json:"id,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
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
// for each check ID seen only in findings. Every finding is a result, up
// to the limits of code scanning (see [SARIFWriter]); suppressed ones
// carry an inSource suppression with their reason. Load errors and
// skipped documents become tool execution notifications, and
// executionSuccessful is false when there are load errors.
func SARIF(w io.Writer, r *hardening.Result, opts Options) error {
	if r == nil {
		r = &hardening.Result{}
	}
	sw := NewSARIFWriter(w, opts)
	for _, de := range r.Errors {
		if de != nil {
			sw.Write(&hardening.Entry{Error: de})
		}
	}
	for i := range r.Skipped {
		sw.Write(&hardening.Entry{Skipped: &r.Skipped[i]})
	}
	sw.Write(&hardening.Entry{Set: true, Findings: r.Findings})
	return sw.Close()
}

// Limits of GitHub code scanning on an uploaded SARIF file.
const (
	// SARIFShownResults is the most results of a run code scanning shows
	// (the most severe); the default of Options.MaxSARIFResults.
	SARIFShownResults = 5000
	// SARIFMaxResults is the most results of a run code scanning accepts.
	SARIFMaxResults = 25000
	// SARIFMaxGzipBytes is the largest gzip-compressed SARIF file code
	// scanning accepts.
	SARIFMaxGzipBytes = 10 << 20
	// sarifMaxNotifications bounds the errors and the skipped documents
	// listed as notifications; the rest are counted.
	sarifMaxNotifications = 1000
)

// SARIFWriter writes the SARIF log of a stream (see [NewSARIFWriter]).
type SARIFWriter struct {
	w    io.Writer
	opts Options
	idx  checkIndex
	max  int

	// kept holds the most severe results so far, at most max.
	kept  resultHeap
	total int
	seq   int
	// first holds the first finding of each check that opts.Checks
	// lacks, for its minimal rule.
	first map[string]hardening.Finding

	inv             sarifInvocation
	errors, skipped int
	err             error
	closed          bool
	maxGzip         int64
}

// NewSARIFWriter returns a writer of the SARIF log (see [SARIF]) of a
// stream. A SARIF log is one object whose results come after its rules, so
// the writer holds results until Close; to stay within what GitHub code
// scanning accepts and shows, it keeps at most opts.MaxSARIFResults of
// them (default [SARIFShownResults], at most [SARIFMaxResults]), the most
// severe (unsuppressed findings before suppressed ones and warnings, then
// by severity, then in input order), and drops more if the log would
// exceed [SARIFMaxGzipBytes] compressed. A log that leaves results out
// says so in a notification of level "warning" and in the run's
// properties (resultsTotal, resultsOmitted). Errors and skipped documents
// past the first 1,000 of each are counted in a notification rather than
// listed. Kept results are written in input order.
func NewSARIFWriter(w io.Writer, opts Options) *SARIFWriter {
	max := opts.MaxSARIFResults
	if max <= 0 {
		max = SARIFShownResults
	}
	max = min(max, SARIFMaxResults)
	return &SARIFWriter{w: w, opts: opts, idx: indexChecks(opts.Checks), max: max,
		first: map[string]hardening.Finding{}, inv: sarifInvocation{ExecutionSuccessful: true}, maxGzip: SARIFMaxGzipBytes}
}

// Write adds one entry.
func (s *SARIFWriter) Write(e *hardening.Entry) error {
	if s.err != nil {
		return s.err
	}
	switch {
	case e.Error != nil:
		s.inv.ExecutionSuccessful = false
		if s.errors++; s.errors <= sarifMaxNotifications {
			s.inv.ToolExecutionNotifications = append(s.inv.ToolExecutionNotifications, sarifNotification{
				Level:     "error",
				Message:   sarifMessage{Text: e.Error.Error()},
				Locations: artifactOnly(e.Error.Source),
			})
		}
	case e.Skipped != nil:
		if s.skipped++; s.skipped <= sarifMaxNotifications {
			sk := e.Skipped
			s.inv.ToolExecutionNotifications = append(s.inv.ToolExecutionNotifications, sarifNotification{
				Level:     "note",
				Message:   sarifMessage{Text: skippedText(sk)},
				Locations: artifactOnly(sk.Source),
			})
		}
	}
	for i := range e.Findings {
		f := s.idx.complete(e.Findings[i])
		if _, known := s.idx[f.Check]; !known {
			if _, seen := s.first[f.Check]; !seen {
				s.first[f.Check] = f
			}
		}
		s.total++
		s.kept.add(keptResult{f: f, seq: s.seq}, s.max)
		s.seq++
	}
	return nil
}

// Close writes the log.
func (s *SARIFWriter) Close() error {
	if s.closed {
		return s.err
	}
	s.closed = true
	ids := make([]string, 0, len(s.idx)+len(s.first))
	for id := range s.idx {
		ids = append(ids, id)
	}
	for id := range s.first {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	ruleIndex := make(map[string]int, len(ids))
	rules := make([]sarifRule, len(ids))
	for i, id := range ids {
		ruleIndex[id] = i
		if c := s.idx[id]; c != nil {
			rules[i] = sarifRuleFor(c)
		} else {
			f := s.first[id]
			rules[i] = sarifRuleFor(&hardening.Check{
				ID: id, Severity: f.Severity, Class: f.Class,
				Remediation: f.Remediation, References: f.References,
			})
		}
	}
	for _, extra := range []struct {
		n    int
		what string
	}{{s.errors, "errors"}, {s.skipped, "skipped documents"}} {
		if extra.n > sarifMaxNotifications {
			s.inv.ToolExecutionNotifications = append(s.inv.ToolExecutionNotifications, sarifNotification{
				Level:   "note",
				Message: sarifMessage{Text: fmt.Sprintf("%d more %s are not listed here (the text and JSON reports list them all)", extra.n-sarifMaxNotifications, extra.what)},
			})
		}
	}

	// The kept results, most severe first, are cut further while the log
	// is too large, then written in input order.
	byRank := s.kept.sorted()
	n := len(byRank)
	for {
		results := make([]sarifResult, 0, n)
		for _, k := range inputOrder(byRank[:n]) {
			line := 0
			if s.opts.Lines != nil && k.f.Path != "" {
				line = s.opts.Lines(k.f.Source, k.f.Document, k.f.Path)
			}
			results = append(results, sarifResultFor(k.f, ruleIndex[k.f.Check], line))
		}
		run := sarifRun{
			Tool: sarifTool{Driver: sarifDriver{
				Name:           toolName,
				InformationURI: toolURI,
				Version:        s.opts.ToolVersion,
				Rules:          rules,
			}},
			Invocations: []sarifInvocation{s.inv},
			Results:     results,
		}
		if omitted := s.total - n; omitted > 0 {
			inv := s.inv
			inv.ToolExecutionNotifications = append(slices.Clip(inv.ToolExecutionNotifications), sarifNotification{
				Level: "warning",
				Message: sarifMessage{Text: fmt.Sprintf("%d of %d results are left out of this log, the least severe first: GitHub code scanning shows at most %d results of a run and accepts at most %d, in a file of at most %d MB compressed (the text and JSON reports list them all)",
					omitted, s.total, SARIFShownResults, SARIFMaxResults, SARIFMaxGzipBytes>>20)},
			})
			run.Invocations = []sarifInvocation{inv}
			run.Properties = &sarifRunProperties{ResultsTotal: s.total, ResultsOmitted: omitted}
		}
		var buf bytes.Buffer
		if err := encodeJSON(&buf, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
			s.err = err
			return err
		}
		if int64(buf.Len()) > s.maxGzip && n > 0 {
			if size := gzipSize(buf.Bytes()); size > s.maxGzip {
				// Cut in proportion, a little more, and try again.
				n = min(n-1, int(float64(n)*float64(s.maxGzip)/float64(size)*0.95))
				n = max(n, 0)
				continue
			}
		}
		_, s.err = s.w.Write(buf.Bytes())
		return s.err
	}
}

// keptResult is a finding and its place in the stream.
type keptResult struct {
	f   hardening.Finding
	seq int
}

// rankBefore reports whether a is kept before b: unsuppressed findings
// before suppressed ones and warnings, then by severity, then the earlier.
func rankBefore(a, b *keptResult) bool {
	ac, bc := a.f.Counts(0), b.f.Counts(0)
	if ac != bc {
		return ac
	}
	if a.f.Severity != b.f.Severity {
		return a.f.Severity > b.f.Severity
	}
	return a.seq < b.seq
}

// resultHeap keeps the best-ranked results: a heap whose root is the one
// to drop first.
type resultHeap []keptResult

func (h *resultHeap) add(k keptResult, max int) {
	if len(*h) < max {
		*h = append(*h, k)
		h.up(len(*h) - 1)
		return
	}
	if max == 0 || !rankBefore(&k, &(*h)[0]) {
		return
	}
	(*h)[0] = k
	h.down(0)
}

// worse reports whether i is to be dropped before j.
func (h resultHeap) worse(i, j int) bool { return rankBefore(&h[j], &h[i]) }

func (h resultHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.worse(i, p) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (h resultHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		c := l
		if r := l + 1; r < len(h) && h.worse(r, l) {
			c = r
		}
		if !h.worse(c, i) {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// sorted returns the kept results, best-ranked first.
func (h resultHeap) sorted() []keptResult {
	out := slices.Clone(h)
	slices.SortFunc(out, func(a, b keptResult) int {
		if rankBefore(&a, &b) {
			return -1
		}
		return 1
	})
	return out
}

// inputOrder returns ks sorted by their place in the stream.
func inputOrder(ks []keptResult) []keptResult {
	out := slices.Clone(ks)
	slices.SortFunc(out, func(a, b keptResult) int { return a.seq - b.seq })
	return out
}

// gzipSize returns the size of data compressed with gzip.
func gzipSize(data []byte) int64 {
	var n countWriter
	zw := gzip.NewWriter(&n)
	zw.Write(data)
	zw.Close()
	return int64(n)
}

type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
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
// rule, at line of its source, or at its document's first line when line
// is 0.
func sarifResultFor(f hardening.Finding, rule, line int) sarifResult {
	res := sarifResult{
		RuleID:    f.Check,
		RuleIndex: rule,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{Text: resultText(f)},
		Locations: []sarifLocation{},
		PartialFingerprints: map[string]string{
			fingerprintKey: Fingerprint(f),
		},
		Properties: sarifResultProperties{
			Severity:  f.Severity.String(),
			Class:     f.Class.String(),
			Subject:   f.Subject,
			Kind:      f.Kind.String(),
			Document:  f.Document,
			Template:  f.Template,
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
			Region:           &sarifRegion{StartLine: max(1, f.Line)}, // the document's first line, unless known
		}
	}
	if line > 0 && loc.PhysicalLocation != nil {
		loc.PhysicalLocation.Region.StartLine = line
	}
	if uri := artifactURI(f.Template); uri != "" {
		// The template that rendered the document, where its fix goes:
		// code scanning annotates the first location only and links a
		// related location that the message embeds.
		tmpl := &sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: uri},
			Region:           &sarifRegion{StartLine: 1}, // its line is unknown
		}
		if loc.PhysicalLocation == nil { // standard input: the template is the place
			loc.PhysicalLocation = tmpl
			res.Message.Text += " (from " + f.Template + ")"
		} else {
			res.RelatedLocations = []sarifLocation{{
				ID: 1, Message: &sarifMessage{Text: "the template that rendered it"}, PhysicalLocation: tmpl,
			}}
			res.Message.Text += " (from [" + escapeLinkText(f.Template) + "](1))"
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
		res.Properties.SuppressedBy = string(f.SuppressedBy)
		kind := suppressionSource // in the object's own annotations
		if f.SuppressedBy != "" && f.SuppressedBy != hardening.SuppressedByObject {
			kind = "external" // a policy, an exemption, a baseline
		}
		res.Suppressions = []sarifSuppression{{Kind: kind, Justification: f.SuppressionReason}}
	}
	switch f.BaselineState {
	case BaselineNew, BaselineUnchanged:
		res.BaselineState = f.BaselineState
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

// Fingerprint returns the identity of a finding across runs: the
// lower-case SHA-256 hex of its check (the primary ID of a merged
// finding), subject and field path, each followed by a zero byte. Its
// message, severity, related IDs, line and template do not change it, so a
// finding keeps its identity when its wording changes, lines move, or
// another check joins it at the same path. SARIF writes it as the
// result's partialFingerprints["bulwarkFinding/v1"] and JSON as the
// finding's "fingerprint"; a [Baseline] matches findings by it.
func Fingerprint(f hardening.Finding) string {
	sum := fingerprintSum(f.Check, f.Subject, f.Path)
	return hex.EncodeToString(sum[:])
}

// fingerprintSum is the SHA-256 of check, subject and path, each followed
// by a zero byte.
func fingerprintSum(check, subject, path string) [sha256.Size]byte {
	h := sha256.New()
	for _, s := range []string{check, subject, path} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

// skippedText describes a skipped document or part for a notification:
// "deploy.yaml#1: skipped v1 Service Service/prod/web: no pod template or
// pod spec in it", "flink.yaml#0: not audited within
// FlinkDeployment/s/etl: spec.podTemplate.spec.containers: element 0 has
// no image".
func skippedText(s *hardening.Skipped) string {
	var b strings.Builder
	b.WriteString(location(s.Source, s.Document) + ": ")
	if s.Part {
		b.WriteString("not audited within " + cmp.Or(s.Name, s.Kind))
	} else {
		b.WriteString("skipped " + s.Kind)
		if s.Name != "" {
			b.WriteString(" " + s.Name)
		}
	}
	if s.Template != "" {
		b.WriteString(" (from " + s.Template + ")")
	}
	if s.Path != "" {
		b.WriteString(": " + s.Path)
	}
	if s.Controller != "" {
		b.WriteString(": its pods are not in the input, " + s.Controller + " runs them")
	}
	b.WriteString(": " + cmp.Or(s.Reason, "not a kind bulwark audits"))
	return b.String()
}

// linkTextEscaper escapes the characters that end the text of a link
// embedded in a SARIF message: backslashes and square brackets.
var linkTextEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)

// escapeLinkText escapes s for the text of a link in a SARIF message.
func escapeLinkText(s string) string {
	return linkTextEscaper.Replace(s)
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
