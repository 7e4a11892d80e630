package bulwark

import (
	"fmt"
	"strings"

	"github.com/bulwarkdev/bulwark/capabilities"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
)

// Checks returns every built-in check, sorted by ID: the checks of each
// concern package and the runner's own (a check that panicked, unused
// suppressions, suppressions without a reason). The slice is new on every
// call; the checks themselves are shared and must not be modified.
func Checks() hardening.Checks {
	all := hardening.Checks{
		hardening.CheckFailed,
		hardening.UnusedSuppression,
		hardening.SuppressionWithoutReason,
	}
	all = append(all, capabilities.Checks()...)
	return all.Sorted()
}

// ProfileInfo describes a named profile.
type ProfileInfo struct {
	Name        string
	Description string
	// Versioned profiles accept @vMAJOR.MINOR and @latest; unversioned ones
	// accept only @latest.
	Versioned bool
}

// Profiles lists the named profiles [Profile] resolves.
func Profiles() []ProfileInfo {
	return []ProfileInfo{
		{Name: "all", Description: "every built-in check"},
	}
}

// Profile resolves a profile reference, NAME or NAME@vMAJOR.MINOR or
// NAME@latest, to its checks.
func Profile(ref string) (hardening.Checks, error) {
	name, version, versioned := strings.Cut(ref, "@")
	for _, p := range Profiles() {
		if p.Name != name {
			continue
		}
		if versioned && version != "latest" && !p.Versioned {
			return nil, fmt.Errorf("profile %q is not versioned: use %q or %q", name, name, name+"@latest")
		}
		switch name {
		case "all":
			return Checks(), nil
		}
	}
	var names []string
	for _, p := range Profiles() {
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("unknown profile %q (known: %s)", name, strings.Join(names, ", "))
}

// Audit runs checker over the subjects and returns the findings in subject
// order.
func Audit(checker hardening.Checker, subjects ...*hardening.Subject) []hardening.Finding {
	var out []hardening.Finding
	for _, s := range subjects {
		out = checker.Check(s, out)
	}
	return out
}

// AuditPaths loads files, directories and "-" (standard input) and audits
// every subject found. Load errors and skipped documents are in the result
// next to the findings.
func AuditPaths(checker hardening.Checker, opts load.Options, paths ...string) *hardening.Result {
	r := load.Paths(opts, paths...)
	r.Audit(checker)
	return r
}
