package main

// -fix and -diff: the hardened copy of the inputs (package fix).

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bulwarkdev/bulwark/fix"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
)

// decisionFlag collects -decide CHECK=VALUE; a VALUE of @FILE is the
// file's content.
type decisionFlag map[string]string

func (d decisionFlag) String() string {
	var out []string
	for k, v := range d {
		out = append(out, k+"="+v)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func (d decisionFlag) Set(s string) error {
	check, value, ok := strings.Cut(s, "=")
	if !ok || check == "" {
		return errors.New("want CHECK=VALUE")
	}
	if name, ok := strings.CutPrefix(value, "@"); ok {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		value = string(data)
	}
	d[check] = value
	return nil
}

// fixRun is one -fix or -diff run.
type fixRun struct {
	write  bool // -fix; otherwise -diff
	opts   fix.Options
	stdout io.Writer
	stderr io.Writer
	// report receives the summary of what was fixed and what is left:
	// standard output when files are written in place, standard error
	// when standard output carries a diff or a document.
	report io.Writer
}

// stdin is read for the path "-"; tests replace it.
var stdin io.Reader = os.Stdin

// runFix fixes every source that holds manifests or OCI specs among paths
// (the embedded sample when there are none) and returns the exit status:
// 2 when an input could not be read or written; 1 when a finding that
// counts is left, or (-diff) when there is a diff; 0 otherwise.
func runFix(fr fixRun, paths []string) int {
	fr.report = fr.stdout
	status := 0
	worse := func(code int) {
		status = max(status, code)
	}
	one := func(res *fix.Result, err error) {
		if err != nil {
			fmt.Fprintln(fr.stderr, "audit:", err)
			worse(2)
			return
		}
		fr.summarize(res)
		if len(res.Errors) > 0 {
			worse(2)
		}
		if !res.Passes() || !fr.write && res.Changed() {
			worse(1)
		}
	}

	if len(paths) == 0 {
		// The embedded sample: its diff, or its hardened files.
		fr.report = fr.stderr
		fs.WalkDir(sample, "sample", func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := sample.ReadFile(path)
			if err != nil {
				return err
			}
			res, err := fix.Source("examples/audit/"+path, data, fr.opts)
			if err == nil {
				fr.output(res)
			}
			one(res, err)
			return nil
		})
		return status
	}

	var files []string
	for _, p := range paths {
		if p == load.Stdin {
			continue
		}
		files = append(files, p)
	}
	if len(files) > 0 {
		sources, errs := manifestSources(files)
		for _, err := range errs {
			fmt.Fprintln(fr.stderr, "audit:", err)
			worse(2)
		}
		if !fr.write {
			fr.report = fr.stderr
		}
		for _, name := range sources {
			res, err := fix.File(name, fr.opts)
			if err == nil {
				if fr.write {
					err = writeInPlace(name, res)
				} else {
					fr.stdout.Write(res.Diff())
				}
			}
			one(res, err)
		}
	}
	if slices.Contains(paths, load.Stdin) {
		fr.report = fr.stderr
		data, err := io.ReadAll(stdin)
		var res *fix.Result
		if err == nil {
			res, err = fix.Source(load.Stdin, data, fr.opts)
		}
		if err == nil {
			fr.output(res)
		}
		one(res, err)
	}
	return status
}

// output writes a fixed source read from standard input or the sample:
// the document itself with -fix, its diff with -diff.
func (fr fixRun) output(res *fix.Result) {
	if !fr.write {
		fr.stdout.Write(res.Diff())
		return
	}
	if res.Source != load.Stdin {
		fmt.Fprintf(fr.stdout, "# ==> %s <==\n", res.Source)
	}
	fr.stdout.Write(res.After)
}

// manifestSources returns the files among paths (directories walked as
// the audit walks them) that hold Kubernetes objects or OCI runtime specs,
// in input order.
func manifestSources(paths []string) ([]string, []error) {
	r := load.Paths(load.Options{}, paths...)
	var errs []error
	for _, e := range r.Errors {
		errs = append(errs, e)
	}
	var out []string
	seen := map[string]bool{}
	for _, s := range r.Subjects {
		if s.Kind != hardening.KindPod && s.Kind != hardening.KindOCISpec || seen[s.Source] {
			continue
		}
		if info, err := os.Stat(s.Source); err != nil || !info.Mode().IsRegular() {
			continue // inside an image or archive: nothing to edit
		}
		seen[s.Source] = true
		out = append(out, s.Source)
	}
	return out, errs
}

// writeInPlace replaces the file with the fixed source, keeping its mode,
// through a temporary file in the same directory.
func writeInPlace(name string, res *fix.Result) error {
	if !res.Changed() {
		return nil
	}
	info, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".fix-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(res.After); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(info.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// summarize reports what was fixed in a source and what is left, and why.
func (fr fixRun) summarize(res *fix.Result) {
	w := fr.report
	if len(res.Fixed) == 0 && len(res.Unfixed) == 0 && len(res.Introduced) == 0 && len(res.Errors) == 0 {
		return // nothing to do here
	}
	verb := "fixed"
	if !fr.write {
		verb = "would fix"
	}
	fmt.Fprintf(w, "%s: %s %d finding%s", res.Source, verb, len(res.Fixed), plural(len(res.Fixed)))
	if n := len(res.Unfixed); n > 0 {
		fmt.Fprintf(w, ", %d left", n)
	}
	fmt.Fprintln(w)
	var notes []string
	for _, o := range res.Fixed {
		for _, a := range o.Edits {
			if a.Err == nil && a.Edit.Note != "" {
				notes = append(notes, "  note: "+a.Edit.Path+": "+a.Edit.Note)
			}
			if a.Err == nil && a.Note != "" {
				notes = append(notes, "  note: "+a.Edit.Path+": "+a.Note)
			}
		}
	}
	for _, n := range compactStrings(notes) {
		fmt.Fprintln(w, n)
	}
	for _, o := range res.Unfixed {
		f := o.Finding
		fmt.Fprintf(w, "  left: %s %s [%s %s]: %s\n", f.Subject, f.Path, f.Check, f.Severity, o.Reason)
	}
	for _, f := range res.Introduced {
		fmt.Fprintf(w, "  introduced: %s %s [%s %s]: %s\n", f.Subject, f.Path, f.Check, f.Severity, f.Message)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(w, "  not read: %v\n", e)
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// compactStrings drops repeated strings, keeping the first of each.
func compactStrings(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
