// Command embed shows bulwark inside another Go program: it builds a Pod in
// code, as an admission webhook or operator holds one, audits it, and acts
// on the findings.
package main
