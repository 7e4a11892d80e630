package load

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

type scannedDoc struct {
	Doc  string
	Line int
}

// wantDocs is what a docScanner must return: Documents' documents cut to
// keep bytes, with the newlines before each.
func wantDocs(data []byte, keep int) []scannedDoc {
	var out []scannedDoc
	for _, d := range Documents(data) {
		start := cap(data) - cap(d)
		out = append(out, scannedDoc{string(d[:min(len(d), keep)]), bytes.Count(data[:start], []byte("\n"))})
	}
	return out
}

func scanAll(t testing.TB, r io.Reader, keep, bufSize int) ([]scannedDoc, error) {
	t.Helper()
	s := newDocScanner(r, keep, bufSize)
	var out []scannedDoc
	for {
		doc, line, ok, err := s.next()
		if !ok {
			return out, err
		}
		out = append(out, scannedDoc{string(doc), line})
	}
}

var scanInputs = []string{
	"",
	"\n\n  \n",
	"a: 1",
	"a: 1\n",
	"---",
	"---\n",
	"--- \n",
	"----\na: 1\n",
	"---\na: 1\n---\nb: 2\n",
	"a: 1\n---\n---\nb: 2",
	"# comment only\n",
	"\n---\n\n",
	"---\n---\n# c\n--- |\n  x\n",
	"--- # comment\na: 1\n--- !tag\nb: 2\n---\t\n",
	"---   \t  \n",
	"---\r\na: 1\r\n---\r\n",
	"a: 1\n--- |\n  text\n---",
	"--- {\"a\": 1}",
	"{\"kind\": \"Pod\",\n \"apiVersion\": \"v1\"}\n",
	"  ---\n--\n---x\n",
	"---" + strings.Repeat(" ", 100) + "#x\nb: 1\n",
	"---" + strings.Repeat(" ", 100) + "y\nb: 1\n",
	"---" + strings.Repeat("\t", 40),
	"---" + strings.Repeat(" ", 40) + "z",
	"a: " + strings.Repeat("long", 50) + "\n---\nb: " + strings.Repeat("x", 70) + "\n",
	"\ufeffa: 1\n---\n",
	// A comment-only preamble is no document; one with content is.
	"# license\n# more\n---\na: 1\n",
	"  # indented\n\n---\na: 1\n",
	"# c\nb: 2\n---\na: 1\n",
	strings.Repeat(" ", 100) + "# long indent\n---\na: 1\n",
	strings.Repeat(" ", 100) + "b: 1\n---\na: 1\n",
	"# Source: chart/templates/a.yaml\n---\n# Source: chart/templates/b.yaml\na: 1\n",
}

func TestDocScannerAgreesWithDocuments(t *testing.T) {
	for _, in := range scanInputs {
		for _, keep := range []int{1 << 20, 40, 5} {
			for _, bufSize := range []int{16, 4096} {
				want := wantDocs([]byte(in), keep)
				got, err := scanAll(t, strings.NewReader(in), keep, bufSize)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%q keep %d buffer %d (-Documents +scanner):\n%s", in, keep, bufSize, diff)
				}
				// Reads of one byte at a time make no difference.
				got, err = scanAll(t, iotest.OneByteReader(strings.NewReader(in)), keep, bufSize)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%q one byte at a time (-Documents +scanner):\n%s", in, diff)
				}
			}
		}
	}
}

func TestDocScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("a: 1\n---\nb: 2\n---\nc: "), iotest.ErrReader(boom))
	got, err := scanAll(t, r, 1<<20, 16)
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want %v", err, boom)
	}
	want := []scannedDoc{{"a: 1\n", 0}, {"b: 2\n", 2}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the documents before the error (-want +got):\n%s", diff)
	}
}

func FuzzDocScanner(f *testing.F) {
	for _, in := range scanInputs {
		f.Add([]byte(in), uint16(40))
	}
	f.Fuzz(func(t *testing.T, data []byte, keep uint16) {
		k := int(keep) + 1
		want := wantDocs(data, k)
		got, err := scanAll(t, bytes.NewReader(data), k, 16)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("(-Documents +scanner):\n%s", diff)
		}
	})
}
