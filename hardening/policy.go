package hardening

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"sigs.k8s.io/yaml"
)

// Policy is a suppression policy file: exceptions granted by whoever runs
// the audit, each with a reason, an owner and, usually, an expiry date.
// It is a [Suppressor]; [ParsePolicy] reads it. The file:
//
//	apiVersion: bulwark.dev/v1
//	kind: SuppressionPolicy
//	suppressions:
//	- check: capabilities.privileged           # an ID or a path.Match pattern
//	  subject: DaemonSet/kube-system/calico-*  # optional: pattern over subject names
//	  container: calico-node                   # optional: one Pod container
//	  source: deploy/calico/*.yaml             # optional: pattern over source files
//	  reason: the CNI programs the host's network
//	  owner: network-team@example.com
//	  expires: 2027-06-30                      # optional: YYYY-MM-DD (UTC) or RFC 3339
//
// Patterns are path.Match patterns, in which "*" does not cross a "/":
// "DaemonSet/kube-system/*" matches every DaemonSet of kube-system. An
// entry applies to a subject when every selector it sets matches. From its
// expiry date on, an entry suppresses nothing and is reported by
// [ExpiredSuppression]; an entry that matched no finding of any subject of
// a run is reported by [UnusedSuppression] (see [Runner.Finish]).
type Policy struct {
	// Source names the file in errors and warnings.
	Source  string
	Entries []PolicyEntry
	// Now returns the time expiry is judged at; nil means time.Now.
	Now func() time.Time

	once sync.Once
	hits []atomic.Int64 // per entry, for unused-entry warnings
}

// PolicyEntry is one exception of a [Policy].
type PolicyEntry struct {
	Check     string `json:"check"`
	Subject   string `json:"subject,omitempty"`
	Container string `json:"container,omitempty"`
	Source    string `json:"source,omitempty"`
	Reason    string `json:"reason"`
	Owner     string `json:"owner"`
	// Expires is the first instant the entry no longer applies; zero
	// means never.
	Expires time.Time `json:"-"`
}

type policyFile struct {
	APIVersion   string `json:"apiVersion"`
	Kind         string `json:"kind"`
	Suppressions []struct {
		PolicyEntry
		Expires string `json:"expires,omitempty"`
	} `json:"suppressions"`
}

// ParsePolicy decodes a policy file (YAML or JSON; see [Policy]). Unknown
// fields, an entry without check, reason or owner, a malformed pattern or
// date are errors naming the file and the entry.
func ParsePolicy(source string, data []byte) (*Policy, error) {
	var file policyFile
	if err := yaml.UnmarshalStrict(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	if file.APIVersion != "bulwark.dev/v1" || file.Kind != "SuppressionPolicy" {
		return nil, fmt.Errorf("%s: apiVersion %q kind %q: want bulwark.dev/v1 SuppressionPolicy", source, file.APIVersion, file.Kind)
	}
	p := &Policy{Source: source, Entries: make([]PolicyEntry, 0, len(file.Suppressions))}
	var errs []error
	for i, raw := range file.Suppressions {
		e := raw.PolicyEntry
		fail := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("%s: suppressions[%d]: %s", source, i, fmt.Sprintf(format, args...)))
		}
		switch {
		case e.Check == "":
			fail("check is required")
		case !validPattern(e.Check):
			fail("check %q is not a check ID or pattern", e.Check)
		}
		for _, sel := range [...]struct{ name, value string }{{"subject", e.Subject}, {"source", e.Source}} {
			if sel.value != "" && !validPattern(sel.value) {
				fail("%s %q is not a valid pattern", sel.name, sel.value)
			}
		}
		if strings.TrimSpace(e.Reason) == "" {
			fail("reason is required: say why the exception is acceptable")
		}
		if strings.TrimSpace(e.Owner) == "" {
			fail("owner is required: who answers for the exception")
		}
		if raw.Expires != "" {
			t, err := parseExpiry(raw.Expires)
			if err != nil {
				fail("expires: %v", err)
			}
			e.Expires = t
		}
		p.Entries = append(p.Entries, e)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return p, nil
}

func validPattern(p string) bool {
	_, err := path.Match(p, "")
	return err == nil && strings.TrimSpace(p) == p
}

func parseExpiry(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither YYYY-MM-DD nor RFC 3339", s)
	}
	return t, nil
}

func (p *Policy) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// counters returns the per-entry hit counters, made on first use so that a
// Policy built in code needs no constructor. Entries must not change once
// the policy is in use.
func (p *Policy) counters() []atomic.Int64 {
	p.once.Do(func() { p.hits = make([]atomic.Int64, len(p.Entries)) })
	return p.hits
}

// expired reports whether e has expired at now.
func (e *PolicyEntry) expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.Before(e.Expires)
}

// applies reports whether e's selectors match s.
func (e *PolicyEntry) applies(s *Subject) bool {
	return (e.Subject == "" || matchPattern(e.Subject, s.Name)) &&
		(e.Source == "" || matchPattern(e.Source, s.Source))
}

func matchPattern(pattern, name string) bool {
	ok, err := path.Match(pattern, name)
	return ok && err == nil
}

// AppendSuppressions implements [Suppressor]: the entries that apply to s
// and have not expired.
func (p *Policy) AppendSuppressions(s *Subject, out []Suppression) []Suppression {
	if len(p.Entries) == 0 {
		return out
	}
	hits := p.counters()
	var now time.Time
	for i := range p.Entries {
		e := &p.Entries[i]
		if !e.applies(s) {
			continue
		}
		if !e.Expires.IsZero() {
			if now.IsZero() {
				now = p.now()
			}
			if e.expired(now) {
				continue
			}
		}
		out = append(out, Suppression{
			Check: e.Check, Container: e.Container, Reason: e.Reason + " (owner: " + e.Owner + ")",
			Origin: SuppressedByPolicy, Source: p.Source, Path: "suppressions[" + strconv.Itoa(i) + "]",
			hits: &hits[i],
		})
	}
	return out
}

// Warnings returns the policy's warnings for a run of the checks ran: an
// [ExpiredSuppression] for each expired entry, and an [UnusedSuppression]
// for each live entry that names a check of ran but matched no finding.
func (p *Policy) Warnings(ran Checks) []Finding {
	hits := p.counters()
	now := p.now()
	subject := &Subject{Name: p.Source, Kind: KindPolicy, Source: p.Source}
	var out []Finding
	for i := range p.Entries {
		e := &p.Entries[i]
		at := "suppressions[" + strconv.Itoa(i) + "]"
		var f Finding
		switch {
		case e.expired(now):
			f = Finding{Path: at + ".expires", Message: "suppression of " + e.Check + " (owner: " + e.Owner + ") expired on " + e.Expires.UTC().Format(time.DateOnly) + " and no longer applies"}
			complete(&f, ExpiredSuppression, subject)
		case hits[i].Load() == 0 && slices.ContainsFunc(ran, func(c *Check) bool { return c != nil && c.Run != nil && matchCheck(e.Check, c.ID) }):
			f = Finding{Path: at, Message: "suppression of " + e.Check + " (owner: " + e.Owner + ") matched no finding"}
			complete(&f, UnusedSuppression, subject)
		default:
			continue
		}
		f.Warning = true
		out = append(out, f)
	}
	return out
}

// Exemptions exempt whole subjects, as the exemptions of Pod Security
// Admission's AdmissionConfiguration do: Pods (and pod templates) in the
// listed namespaces or with the listed runtime class. Every finding of an
// exempt subject is kept, marked [SuppressedByExemption], so an audit log
// still shows what was let through. Usernames, the third kind of PSA
// exemption, belong to the admission request, not the object: an
// admission webhook checks them before auditing.
type Exemptions struct {
	Namespaces     []string `json:"namespaces,omitempty"`
	RuntimeClasses []string `json:"runtimeClasses,omitempty"`
	Usernames      []string `json:"usernames,omitempty"`
}

// AppendSuppressions implements [Suppressor].
func (x Exemptions) AppendSuppressions(s *Subject, out []Suppression) []Suppression {
	if s.Pod == nil {
		return out
	}
	if ns := s.Pod.Namespace; ns != "" && slices.Contains(x.Namespaces, ns) {
		return append(out, Suppression{Check: "*", Reason: "namespace " + strconv.Quote(ns) + " is exempt", Origin: SuppressedByExemption, Path: s.MetaPath("namespace")})
	}
	if rc := s.Pod.Spec.RuntimeClassName; rc != nil && slices.Contains(x.RuntimeClasses, *rc) {
		return append(out, Suppression{Check: "*", Reason: "runtime class " + strconv.Quote(*rc) + " is exempt", Origin: SuppressedByExemption, Path: s.SpecPath("runtimeClassName")})
	}
	return out
}

// User reports whether requests by username are exempt.
func (x Exemptions) User(username string) bool { return slices.Contains(x.Usernames, username) }
