// Package checktest holds what the concern packages' tests share.
package checktest

import "github.com/bulwarkdev/bulwark/hardening"

// Each runs every check of checks on s on its own and returns their
// findings in list order. Unlike running the list as one Checker, findings
// of different checks at one field path are not merged into one, so a
// table can pin what each check reports.
func Each(checks hardening.Checks, s *hardening.Subject) []hardening.Finding {
	var out []hardening.Finding
	for _, c := range checks {
		out = hardening.Checks{c}.Check(s, out)
	}
	return out
}
