package fix

import (
	"bytes"
	"fmt"
	"strings"
)

// Diff returns the unified diff (three lines of context) that turns a into
// b, with name in its headers ("--- a/name", "+++ b/name"); nil when they
// are equal.
func Diff(name string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	x, y := splitLines(a), splitLines(b)
	ops := diffLines(x, y)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", name, name)
	const context = 3
	// Group the edit script into hunks.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start := i
		for start > 0 && i-start < context && ops[start-1].kind == ' ' {
			start--
		}
		end := i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			run := 0
			for end+run < len(ops) && ops[end+run].kind == ' ' {
				run++
			}
			if end+run == len(ops) || run > 2*context {
				end += min(run, context)
				break
			}
			end += run
		}
		var aStart, bStart, aLen, bLen int
		aStart, bStart = ops[start].ai+1, ops[start].bi+1
		var body bytes.Buffer
		for _, op := range ops[start:end] {
			switch op.kind {
			case ' ':
				aLen++
				bLen++
				writeLine(&body, ' ', x[op.ai])
			case '-':
				aLen++
				writeLine(&body, '-', x[op.ai])
			case '+':
				bLen++
				writeLine(&body, '+', y[op.bi])
			}
		}
		if aLen == 0 {
			aStart--
		}
		if bLen == 0 {
			bStart--
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
		out.Write(body.Bytes())
		i = end
	}
	return out.Bytes()
}

func hunkRange(start, n int) string {
	if n == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

func writeLine(b *bytes.Buffer, kind byte, line string) {
	b.WriteByte(kind)
	if strings.HasSuffix(line, "\n") {
		b.WriteString(line)
		return
	}
	b.WriteString(line)
	b.WriteString("\n\\ No newline at end of file\n")
}

// splitLines splits text into lines that keep their newline.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, string(b))
			break
		}
		lines = append(lines, string(b[:i+1]))
		b = b[i+1:]
	}
	return lines
}

// op is one step of an edit script: keep (' '), delete ('-') or insert
// ('+'), with the line indices in a and b it stands at.
type op struct {
	kind   byte
	ai, bi int
}

// diffLines returns a shortest edit script from x to y (Myers' algorithm
// on the part between the common prefix and suffix).
func diffLines(x, y []string) []op {
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var ops []op
	for i := range pre {
		ops = append(ops, op{' ', i, i})
	}
	ops = append(ops, myers(x[pre:len(x)-suf], y[pre:len(y)-suf], pre, pre)...)
	for i := range suf {
		ops = append(ops, op{' ', len(x) - suf + i, len(y) - suf + i})
	}
	return ops
}

func myers(a, b []string, aOff, bOff int) []op {
	n, m := len(a), len(b)
	maxD := n + m
	offset := maxD + 1
	v := make([]int, 2*maxD+3)
	// trace[d] holds v[k] for k in [-d, d] as it was when step d began,
	// which is all the walk back needs: O(D²) memory, not O((N+M)·D).
	var trace [][]int
	done := false
	for d := 0; d <= maxD && !done; d++ {
		trace = append(trace, append([]int(nil), v[offset-d:offset+d+1]...))
		for k := -d; k <= d; k += 2 {
			var xi int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				xi = v[offset+k+1]
			} else {
				xi = v[offset+k-1] + 1
			}
			yi := xi - k
			for xi < n && yi < m && a[xi] == b[yi] {
				xi++
				yi++
			}
			v[offset+k] = xi
			if xi >= n && yi >= m {
				done = true
				break
			}
		}
	}
	// Walk back through the trace.
	var rev []op
	xi, yi := n, m
	for d := len(trace) - 1; d > 0 && (xi > 0 || yi > 0); d-- {
		vd := trace[d] // v[k] is vd[k+d]
		at := func(k int) int { return vd[k+d] }
		k := xi - yi
		var prevK int
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for xi > prevX && yi > prevY {
			xi--
			yi--
			rev = append(rev, op{' ', aOff + xi, bOff + yi})
		}
		if xi == prevX {
			yi--
			rev = append(rev, op{'+', aOff + xi, bOff + yi})
		} else {
			xi--
			rev = append(rev, op{'-', aOff + xi, bOff + yi})
		}
	}
	for xi > 0 && yi > 0 {
		xi--
		yi--
		rev = append(rev, op{' ', aOff + xi, bOff + yi})
	}
	ops := make([]op, len(rev))
	for i := range rev {
		ops[i] = rev[len(rev)-1-i]
	}
	return ops
}
