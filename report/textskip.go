package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwarkdev/bulwark/hardening"
)

// The lists of skipped documents Text writes one line each for.
const (
	// skipControlled: objects whose pods a controller runs.
	skipControlled = iota
	// skipParts: parts of objects not audited.
	skipParts
	skipLists
	// skipCounted: counted by kind, not listed.
	skipCounted = -1
)

// skipTitles are the titles of the lists.
var skipTitles = [skipLists]string{
	skipControlled: "pods not in the input (a controller runs containers this audit did not see):",
	skipParts:      "not audited within objects:",
}

// maxSkippedKinds bounds the kinds a skipTally counts one by one; objects
// of further kinds are counted together, so that a hostile input of a
// million kinds costs no more.
const maxSkippedKinds = 1000

// skipTally counts skipped documents for Text: objects (Part unset) by
// kind, except those whose pods a controller runs, which are listed like
// the skipped parts of objects.
type skipTally struct {
	byKind map[string]int
	// otherKinds counts the objects of kinds past maxSkippedKinds.
	otherKinds int
	// objects counts every skipped object, controlled those a controller
	// runs pods from, parts the parts of objects.
	objects, controlled, parts int
}

// add counts s and, when s is listed, writes its line to w and returns its
// list; skipCounted otherwise.
func (t *skipTally) add(w *textWriter, s hardening.Skipped) int {
	switch {
	case s.Part:
		t.parts++
		w.skippedLine(s, "")
		return skipParts
	case s.Controller != "":
		t.objects++
		t.controlled++
		w.skippedLine(s, s.Controller)
		return skipControlled
	}
	t.objects++
	if t.byKind == nil {
		t.byKind = map[string]int{}
	}
	if _, ok := t.byKind[s.Kind]; ok || len(t.byKind) < maxSkippedKinds {
		t.byKind[s.Kind]++
	} else {
		t.otherKinds++
	}
	return skipCounted
}

// skippedLine writes "  source#document: name (controller, from
// template): path: reason", leaving out what is empty.
func (w *textWriter) skippedLine(s hardening.Skipped, controller string) {
	w.WriteString("  " + sanitize(location(s.Source, s.Document)) + ": ")
	name := s.Name
	if name == "" {
		name = s.Kind
	}
	w.WriteString(sanitize(name))
	var details []string
	if controller != "" {
		details = append(details, sanitize(controller))
	}
	if s.Template != "" {
		details = append(details, "from "+sanitize(s.Template))
	}
	if len(details) > 0 {
		w.WriteString(" (" + strings.Join(details, ", ") + ")")
	}
	if s.Path != "" {
		w.WriteString(": " + sanitize(s.Path))
	}
	if s.Reason != "" {
		w.WriteString(": " + sanitize(s.Reason))
	}
	w.WriteByte('\n')
}

// kinds writes the "skipped:" section: the objects counted by kind, the
// most frequent first.
func (t *skipTally) kinds(w *textWriter) {
	if len(t.byKind) == 0 {
		return
	}
	type kc struct {
		kind string
		n    int
	}
	list := make([]kc, 0, len(t.byKind))
	for k, n := range t.byKind {
		list = append(list, kc{k, n})
	}
	slices.SortFunc(list, func(a, b kc) int {
		if c := cmp.Compare(b.n, a.n); c != 0 {
			return c
		}
		return cmp.Compare(a.kind, b.kind)
	})
	width := len(strconv.Itoa(max(list[0].n, t.otherKinds)))
	w.title("skipped:")
	for _, k := range list {
		kind := k.kind
		if kind == "" {
			kind = "<no kind>"
		}
		fmt.Fprintf(w, "  %*d  %s\n", width, k.n, sanitize(kind))
	}
	if t.otherKinds > 0 {
		fmt.Fprintf(w, "  %*d  of other kinds\n", width, t.otherKinds)
	}
}
