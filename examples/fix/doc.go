// Command fix turns a careless Deployment into a hardened one with package
// fix, and shows the diff and what it could not decide:
//
//	go run ./examples/fix                    # the embedded careless sample
//	go run ./examples/fix -decide capabilities.privileged=remove
//
// The same fix on any file is the audit command's -fix and -diff.
package main
