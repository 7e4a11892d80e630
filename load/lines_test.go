package load

import (
	"testing"
)

func TestLines(t *testing.T) {
	const file = "testdata/lines/lines.yaml"
	tests := []struct {
		document int
		path     string
		want     int
	}{
		{0, "", 2},
		{0, "spec", 8},
		{0, "spec.containers[0].image", 11},
		{0, "spec.containers[1].securityContext.privileged", 14},
		{0, "spec.containers[1]", 12},
		// Missing fields point at the nearest ancestor.
		{0, "spec.containers[1].securityContext.runAsNonRoot", 13},
		{0, "spec.containers[0].securityContext.capabilities.drop", 10},
		{0, "spec.containers[7].image", 9},
		{0, "spec.securityContext.seccompProfile.type", 8},
		// Keys with dots and slashes, in brackets.
		{0, "metadata.annotations[example.com/x.y]", 7},
		{0, "metadata.annotations[missing]", 6},
		// Through an alias, the anchored node's line.
		{0, "spec.containers[2].securityContext.privileged", 14},
		// A List item, in the second document.
		{1, "items[0].spec.hostPID", 24},
		{1, "items[3].spec", 20},
		// JSON.
		{2, "process.user.uid", 28},
		{2, "process.capabilities.bounding[0]", 27},
		// Out of the file.
		{3, "spec", 0},
	}
	l := NewLines(Options{})
	defer l.Close()
	for _, order := range []string{"in order", "again, from the start"} {
		for _, tt := range tests {
			if got := l.Line(file, tt.document, tt.path); got != tt.want {
				t.Errorf("%s: document %d %q: line %d, want %d", order, tt.document, tt.path, got, tt.want)
			}
		}
	}
	for _, tt := range []struct {
		source string
		doc    int
	}{{Stdin, 0}, {"testdata/missing.yaml", 0}, {"testdata/image", 0}, {file, -1}} {
		if got := l.Line(tt.source, tt.doc, "spec"); got != 0 {
			t.Errorf("%s#%d: line %d, want 0", tt.source, tt.doc, got)
		}
	}
}
