package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/bulwarkdev/bulwark/hardening"
)

// The states of a finding compared with a baseline
// ([hardening.Finding.BaselineState]), named as SARIF names them.
const (
	// BaselineNew marks a finding the baseline does not hold.
	BaselineNew = "new"
	// BaselineUnchanged marks a finding the baseline holds.
	BaselineUnchanged = "unchanged"
)

// SuppressedByBaseline is the [hardening.SuppressionOrigin] of a finding
// that [Baseline.Mark] suppressed because an earlier report holds it.
const SuppressedByBaseline = hardening.SuppressedByBaseline

// Baseline is the set of findings of an earlier report of this tool, for
// teams that adopt bulwark on a repository that is not clean: compared
// with it, only new findings count. Findings are matched by [Fingerprint]
// (check, subject and field path): a finding whose message, severity,
// line or related IDs changed is still the same finding, and a merged
// finding is matched by its primary check.
//
// A Baseline is read-only once read and safe for concurrent use.
type Baseline struct {
	name string
	// prints holds the fingerprints of the earlier report's findings:
	// true for those the baseline accepts (see accepted).
	prints map[[sha256.Size]byte]bool
}

// ReadBaselineFile reads the baseline in the named file (see
// [ReadBaseline]). Its errors name the file.
func ReadBaselineFile(name string) (*Baseline, error) {
	f, err := os.Open(name)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	defer f.Close()
	b, err := ReadBaseline(f)
	if err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	b.name = name
	return b, nil
}

// ReadBaseline reads a baseline from an earlier report of this tool, told
// apart by its content:
//
//   - a JSON report (see [JSON]) of version 1: its findings, by their
//     "fingerprint", or by check, subject and path in a report written
//     before findings had one. The report is read as a stream: memory
//     grows with the number of findings, not the size of the report.
//   - a SARIF log of bulwark (see [SARIF]): its results, by their
//     partialFingerprints["bulwarkFinding/v1"], or by ruleId and the
//     properties subject and path. Results whose baselineState is
//     "absent" are not in it. A log that left results out (code
//     scanning's limits; the run's resultsOmitted property) is an error: a
//     baseline must hold every finding, and a JSON report always does.
//
// The baseline accepts the findings that counted in that report, and
// those its own baseline suppressed (so that each run's report can be the
// next run's baseline). It does not accept findings suppressed otherwise
// (by their object's annotation, a policy, an exemption) and warnings:
// when a suppression is removed or expires, its finding counts again.
//
// Anything else is an error.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	b := &Baseline{prints: map[[sha256.Size]byte]bool{}}
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("not a JSON report nor a SARIF log: %w", err)
	} else if tok != json.Delim('{') {
		return nil, errors.New("not a JSON report nor a SARIF log: the top level is not an object")
	}
	var (
		version              json.RawMessage
		sawFindings, sawRuns bool
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch key, _ := tok.(string); key {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return nil, fmt.Errorf("version: %w", err)
			}
		case "findings":
			sawFindings = true
			if err := b.readJSONFindings(dec); err != nil {
				return nil, err
			}
		case "runs":
			sawRuns = true
			if err := b.readSARIFRuns(dec); err != nil {
				return nil, err
			}
		default:
			if err := skipValue(dec); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case sawFindings && sawRuns:
		return nil, errors.New("both findings (a JSON report) and runs (a SARIF log): neither format")
	case sawFindings:
		// A report written before the version field is version 1.
		if version != nil {
			var v int
			if err := json.Unmarshal(version, &v); err != nil || v < 1 {
				return nil, fmt.Errorf("JSON report version %s: want %d", version, JSONVersion)
			}
			if v > JSONVersion {
				return nil, fmt.Errorf("JSON report version %d: this build reads version %d", v, JSONVersion)
			}
		}
	case sawRuns:
		var v string
		if err := json.Unmarshal(version, &v); err != nil || v != sarifVersion {
			return nil, fmt.Errorf("SARIF version %s: want %q", version, sarifVersion)
		}
	default:
		return nil, errors.New("not a JSON report (no findings) nor a SARIF log (no runs)")
	}
	return b, nil
}

// readJSONFindings reads the findings array of a JSON report, one finding
// at a time.
func (b *Baseline) readJSONFindings(dec *json.Decoder) error {
	if tok, err := dec.Token(); err != nil {
		return fmt.Errorf("findings: %w", err)
	} else if tok != json.Delim('[') {
		return errors.New("findings: not an array")
	}
	for i := 0; dec.More(); i++ {
		var f struct {
			Check, Subject, Path, Fingerprint string
			Suppressed, Warning               bool
			SuppressedBy                      string
		}
		if err := dec.Decode(&f); err != nil {
			return fmt.Errorf("findings[%d]: %w", i, err)
		}
		ok := accepted(f.Suppressed, f.SuppressedBy, f.Warning)
		if f.Fingerprint == "" {
			b.add(fingerprintSum(f.Check, f.Subject, f.Path), ok)
			continue
		}
		if err := b.addHex(f.Fingerprint, ok); err != nil {
			return fmt.Errorf("findings[%d]: %w", i, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	return nil
}

// readSARIFRuns reads the runs of a SARIF log of bulwark.
func (b *Baseline) readSARIFRuns(dec *json.Decoder) error {
	var runs []struct {
		Tool struct {
			Driver struct{ Name string }
		}
		Results []struct {
			RuleID              string
			PartialFingerprints map[string]string
			BaselineState       string
			Suppressions        []json.RawMessage
			Properties          struct {
				Subject, Path, SuppressedBy string
				Warning                     bool
			}
		}
		Properties struct {
			ResultsTotal, ResultsOmitted int
		}
	}
	if err := dec.Decode(&runs); err != nil {
		return fmt.Errorf("runs: %w", err)
	}
	for i, run := range runs {
		if name := run.Tool.Driver.Name; name != toolName {
			return fmt.Errorf("runs[%d]: a SARIF log of %q, not of %s", i, name, toolName)
		}
		if n := run.Properties.ResultsOmitted; n > 0 {
			return fmt.Errorf("runs[%d]: the SARIF log left out %d of %d results (code scanning's limits), and a baseline must hold every finding: use a JSON report", i, n, run.Properties.ResultsTotal)
		}
		for j, res := range run.Results {
			if res.BaselineState == "absent" {
				continue
			}
			ok := accepted(len(res.Suppressions) > 0, res.Properties.SuppressedBy, res.Properties.Warning)
			if p := res.PartialFingerprints[fingerprintKey]; p != "" {
				if err := b.addHex(p, ok); err != nil {
					return fmt.Errorf("runs[%d].results[%d]: %w", i, j, err)
				}
				continue
			}
			b.add(fingerprintSum(res.RuleID, res.Properties.Subject, res.Properties.Path), ok)
		}
	}
	return nil
}

// accepted reports whether a finding of an earlier report goes into a
// baseline: one that counted then, or that its own baseline suppressed.
// A finding suppressed otherwise (its object's annotation, a policy, an
// exemption) is not accepted by the baseline: when the suppression goes
// or expires, the finding counts again. Warnings never count.
func accepted(suppressed bool, by string, warning bool) bool {
	return !warning && (!suppressed || by == string(SuppressedByBaseline))
}

// add adds a fingerprint, accepted or not; a finding the report holds
// twice is accepted when either is.
func (b *Baseline) add(sum [sha256.Size]byte, accepted bool) {
	b.prints[sum] = b.prints[sum] || accepted
}

// addHex adds a fingerprint written as hex.
func (b *Baseline) addHex(p string, accepted bool) error {
	var sum [sha256.Size]byte
	if n, err := hex.Decode(sum[:], []byte(p)); err != nil || n != len(sum) || len(p) != 2*len(sum) {
		return fmt.Errorf("fingerprint %q is not SHA-256 hex", p)
	}
	b.add(sum, accepted)
	return nil
}

// skipValue reads past the next JSON value.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// Len returns the number of distinct findings of the earlier report.
func (b *Baseline) Len() int {
	if b == nil {
		return 0
	}
	return len(b.prints)
}

// Contains reports whether the baseline accepts f: the earlier report
// had a finding with f's [Fingerprint] that counted there, or that its own
// baseline suppressed.
func (b *Baseline) Contains(f hardening.Finding) bool {
	accepted, _ := b.lookup(&f)
	return accepted
}

// lookup reports whether the baseline accepts f, and whether the earlier
// report had it at all.
func (b *Baseline) lookup(f *hardening.Finding) (accepted, seen bool) {
	if b == nil {
		return false, false
	}
	accepted, seen = b.prints[fingerprintSum(f.Check, f.Subject, f.Path)]
	return accepted, seen
}

// Mark compares findings with the baseline, in place, and returns how
// many it suppressed. Each finding's BaselineState becomes
// [BaselineUnchanged] when the earlier report had it and [BaselineNew]
// otherwise. A finding the baseline accepts ([Baseline.Contains]) that is
// neither suppressed nor a warning is suppressed by the baseline (SuppressedBy
// [SuppressedByBaseline], with a reason that names the baseline), so that
// it no longer counts toward a verdict ([hardening.Finding.Counts],
// [hardening.Summary], [hardening.Result.ExitCode]) while the reports
// still carry it: Text counts it without listing it, JSON and SARIF mark
// it. A nil Baseline marks nothing.
//
// Mark findings once they are final: after the checker and before they
// are counted and written. In a stream, that is in the function that
// receives each entry (see the example).
func (b *Baseline) Mark(fs []hardening.Finding) (suppressed int) {
	if b == nil {
		return 0
	}
	reason := "in the baseline"
	if b.name != "" {
		reason += " " + b.name
	}
	for i := range fs {
		f := &fs[i]
		accepted, seen := b.lookup(f)
		if !seen {
			f.BaselineState = BaselineNew
			continue
		}
		f.BaselineState = BaselineUnchanged
		if accepted && !f.Suppressed && !f.Warning {
			f.Suppressed, f.SuppressedBy, f.SuppressionReason = true, SuppressedByBaseline, reason
			suppressed++
		}
	}
	return suppressed
}
