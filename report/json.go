package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/bulwarkdev/bulwark/hardening"
)

// The JSON contract. Fields may be added; none is ever removed or renamed.
// A breaking change would be version 2, behind its own format name.

// JSONVersion is the version of the JSON report's contract, written as its
// "version" field.
const JSONVersion = 1

type jsonReport struct {
	Version  int           `json:"version"`
	Subjects []jsonSubject `json:"subjects"`
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Skipped  []jsonSkipped `json:"skipped"`
}

type jsonSubject struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Source   string `json:"source"`
	Document int    `json:"document"`
	Template string `json:"template,omitempty"`
}

type jsonFinding struct {
	Check             string          `json:"check"`
	Severity          string          `json:"severity"`
	Class             string          `json:"class"`
	Subject           string          `json:"subject"`
	Kind              string          `json:"kind"`
	Source            string          `json:"source"`
	Document          int             `json:"document"`
	Template          string          `json:"template,omitempty"`
	Container         string          `json:"container,omitempty"`
	Path              string          `json:"path"`
	Message           string          `json:"message"`
	Remediation       string          `json:"remediation"`
	References        []jsonReference `json:"references"`
	Related           []string        `json:"related,omitempty"`
	Suppressed        bool            `json:"suppressed"`
	SuppressionReason string          `json:"suppressionReason,omitempty"`
	SuppressedBy      string          `json:"suppressedBy,omitempty"`
	Warning           bool            `json:"warning,omitempty"`
	BaselineState     string          `json:"baselineState,omitempty"`
	Fingerprint       string          `json:"fingerprint"`
}

type jsonReference struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	URL  string `json:"url"`
}

type jsonError struct {
	Source   string `json:"source"`
	Document int    `json:"document"`
	Message  string `json:"message"`
}

type jsonSkipped struct {
	Source     string `json:"source"`
	Document   int    `json:"document"`
	Kind       string `json:"kind"`
	Name       string `json:"name,omitempty"`
	Path       string `json:"path,omitempty"`
	Part       bool   `json:"part,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Controller string `json:"controller,omitempty"`
	Template   string `json:"template,omitempty"`
}

// JSON writes r as one indented JSON object, the format other tools parse
// (see the package documentation for the contract). Every finding is
// included, suppressed or not; arrays are never null. opts.Checks fills in
// the severity, class, remediation and references a finding left unset;
// the other options are ignored.
func JSON(w io.Writer, r *hardening.Result, opts Options) error {
	if r == nil {
		r = &hardening.Result{}
	}
	doc := jsonReport{
		Version:  JSONVersion,
		Subjects: []jsonSubject{},
		Findings: []jsonFinding{},
		Errors:   []jsonError{},
		Skipped:  []jsonSkipped{},
	}
	for _, s := range r.Subjects {
		if s == nil {
			continue
		}
		doc.Subjects = append(doc.Subjects, jsonSubject{
			Name: s.Name, Kind: s.Kind.String(), Source: s.Source, Document: s.Document, Template: s.Template,
		})
	}
	for _, f := range findings(r, indexChecks(opts.Checks)) {
		refs := make([]jsonReference, len(f.References))
		for i, ref := range f.References {
			refs[i] = jsonReference{Kind: string(ref.Kind), ID: ref.ID, URL: ref.URL}
		}
		doc.Findings = append(doc.Findings, jsonFinding{
			Check:             f.Check,
			Severity:          f.Severity.String(),
			Class:             f.Class.String(),
			Subject:           f.Subject,
			Kind:              f.Kind.String(),
			Source:            f.Source,
			Document:          f.Document,
			Template:          f.Template,
			Container:         f.Container,
			Path:              f.Path,
			Message:           f.Message,
			Remediation:       f.Remediation,
			References:        refs,
			Related:           f.Related,
			Suppressed:        f.Suppressed,
			SuppressionReason: f.SuppressionReason,
			SuppressedBy:      string(f.SuppressedBy),
			Warning:           f.Warning,
			BaselineState:     f.BaselineState,
			Fingerprint:       Fingerprint(f),
		})
	}
	for _, e := range r.Errors {
		if e == nil {
			continue
		}
		je := jsonError{Source: e.Source, Document: e.Document}
		if e.Err != nil {
			je.Message = e.Err.Error()
		}
		doc.Errors = append(doc.Errors, je)
	}
	for _, s := range r.Skipped {
		doc.Skipped = append(doc.Skipped, jsonSkipped{
			Source: s.Source, Document: s.Document, Kind: s.Kind, Name: s.Name, Path: s.Path,
			Part: s.Part, Reason: s.Reason, Controller: s.Controller, Template: s.Template,
		})
	}
	return writeJSON(w, doc)
}

// writeJSON writes v indented by two spaces, without HTML escaping, in one
// Write call.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	if err := encodeJSON(&buf, v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// encodeJSON encodes v into buf as writeJSON writes it.
func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
