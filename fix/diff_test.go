package fix

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDiff(t *testing.T) {
	for _, tt := range []struct {
		name, a, b, want string
	}{
		{"equal", "a\n", "a\n", ""},
		{"one line changed, context", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nX\n6\n7\n8\n",
			"--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n"},
		{"insert at start", "b\n", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n+a\n b\n"},
		{"insert into empty", "", "a\n", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n"},
		{"no final newline", "a", "b", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file\n"},
		{"two hunks", strings.Repeat("x\n", 3) + "a\n" + strings.Repeat("y\n", 10) + "b\n", strings.Repeat("x\n", 3) + "A\n" + strings.Repeat("y\n", 10) + "B\n",
			"--- a/f\n+++ b/f\n@@ -1,7 +1,7 @@\n x\n x\n x\n-a\n+A\n y\n y\n y\n@@ -12,4 +12,4 @@\n y\n y\n y\n-b\n+B\n"},
	} {
		if diff := cmp.Diff(tt.want, string(Diff("f", []byte(tt.a), []byte(tt.b)))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestDiffScript checks on random texts that the edit script turns a into
// b and is a shortest one: it keeps a longest common subsequence.
func TestDiffScript(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		a := randomLines(r)
		b := randomLines(r)
		var got, from []string // what the script makes, and what it reads
		kept := 0
		for _, o := range diffLines(a, b) {
			switch o.kind {
			case ' ':
				if a[o.ai] != b[o.bi] {
					t.Fatalf("kept lines differ: %q %q", a[o.ai], b[o.bi])
				}
				got = append(got, a[o.ai])
				from = append(from, a[o.ai])
				kept++
			case '+':
				got = append(got, b[o.bi])
			case '-':
				from = append(from, a[o.ai])
			}
		}
		if diff := cmp.Diff(b, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("the script does not give b (-b +got):\n%s", diff)
		}
		if diff := cmp.Diff(a, from, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("the script does not read a in order (-a +read):\n%s", diff)
		}
		if want := lcs(a, b); kept != want {
			t.Fatalf("the script keeps %d lines, a longest common subsequence has %d", kept, want)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func randomLines(r *rand.Rand) []string {
	n := r.IntN(30)
	out := make([]string, n)
	for i := range out {
		out[i] = string(rune('a'+r.IntN(4))) + "\n"
	}
	return out
}
