package load

import (
	"bytes"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// Options.Progress hears of every image's layers, read to their total,
// and of its end, also when the image fails.
func TestProgress(t *testing.T) {
	big := strings.Repeat("x", 9<<20) // two reports of 4 MiB on the way
	img := imagetest.Image{Ref: "a", Layers: []imagetest.Layer{{Entries: []imagetest.Entry{{Name: "big", Content: big}}}, {Gzip: true, Entries: []imagetest.Entry{{Name: "f"}}}}}
	lay := mustLayout(t, filepath.Join(t.TempDir(), "lay"), img)
	var mu sync.Mutex
	var got []Progress
	opts := Options{Progress: func(p Progress) { mu.Lock(); got = append(got, p); mu.Unlock() }}
	noErrors(t, Paths(opts, lay.Dir))
	total := lay.Images[0].Layers[0].Size + lay.Images[0].Layers[1].Size
	want := []Progress{
		{Source: lay.Dir, Layer: 0, Layers: 2, Read: 4 << 20, Total: total},
		{Source: lay.Dir, Layer: 0, Layers: 2, Read: 8 << 20, Total: total},
		{Source: lay.Dir, Layer: 1, Layers: 2, Read: total, Total: total, Done: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	corrupt(t, lay.BlobPath(lay.Images[0].Layers[1]), func(b []byte) []byte { b[len(b)-1] ^= 1; return b })
	got = nil
	if r := Paths(opts, lay.Dir); len(r.Errors) != 1 {
		t.Fatalf("errors %v", r.Errors)
	}
	if len(got) == 0 || !got[len(got)-1].Done {
		t.Errorf("a failed image's last report is not Done: %+v", got)
	}
}

func TestTerminalProgress(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	tl := &terminalLine{w: &buf, active: map[string]Progress{}, now: func() time.Time { return clock }}
	report := tl.update
	report(Progress{Source: "small", Layers: 1, Read: 1 << 20, Total: 2 << 20})
	if buf.Len() != 0 {
		t.Errorf("a small image shows %q", buf.String())
	}
	report(Progress{Source: "reg.example/app:1", Layer: 1, Layers: 3, Read: 48 << 20, Total: 120 << 20})
	report(Progress{Source: "other", Layer: 0, Layers: 1, Read: 40 << 20, Total: 50 << 20}) // within 100ms: not drawn
	clock = clock.Add(110 * time.Millisecond)
	report(Progress{Source: "other", Layer: 0, Layers: 1, Read: 45 << 20, Total: 50 << 20})
	report(Progress{Source: "other", Layers: 1, Read: 50 << 20, Total: 50 << 20, Done: true})
	report(Progress{Source: "reg.example/app:1", Layer: 2, Layers: 3, Read: 120 << 20, Total: 120 << 20, Done: true})
	want := "\r\033[Kreading reg.example/app:1: layer 2/3, 48/120 MB" +
		"\r\033[Kreading reg.example/app:1: layer 2/3, 48/120 MB (+1 more)" +
		"\r\033[K"
	if got := buf.String(); got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
