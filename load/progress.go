package load

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/bulwarkdev/bulwark/load/ociimage"
)

// Progress is how far the reading of one image's layers got (see
// [Options.Progress]).
type Progress = ociimage.Progress

// TerminalProgress returns an Options.Progress that keeps one line on the
// terminal w (standard error, say) up to date while large images are
// read — "reading registry.example/app:1: layer 2/5, 48/120 MB" — and
// clears it when they are done. Images smaller than 32 MB, which read in
// a moment, show nothing. It redraws at most ten times a second and is
// safe for concurrent use; give it a terminal only, since it writes
// carriage returns and an erase-line sequence.
func TerminalProgress(w io.Writer) func(Progress) {
	t := &terminalLine{w: w, active: map[string]Progress{}, now: time.Now}
	return t.update
}

const largeImage = 32 << 20

type terminalLine struct {
	mu     sync.Mutex
	w      io.Writer
	active map[string]Progress // by source: the images being read
	last   time.Time
	shown  bool
	now    func() time.Time
}

func (t *terminalLine) update(p Progress) {
	if p.Total < largeImage {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if p.Done {
		delete(t.active, p.Source)
	} else {
		t.active[p.Source] = p
	}
	if len(t.active) == 0 {
		if t.shown {
			fmt.Fprint(t.w, "\r\033[K")
			t.shown = false
		}
		return
	}
	now := t.now()
	if now.Sub(t.last) < 100*time.Millisecond {
		return
	}
	t.last = now
	// The image furthest from done stands for all.
	var show Progress
	first := true
	for _, q := range t.active {
		if first || q.Total-q.Read > show.Total-show.Read {
			show, first = q, false
		}
	}
	more := ""
	if n := len(t.active) - 1; n > 0 {
		more = fmt.Sprintf(" (+%d more)", n)
	}
	name := show.Source
	if len(name) > 60 {
		name = "…" + name[len(name)-59:]
	}
	fmt.Fprintf(t.w, "\r\033[Kreading %s: layer %d/%d, %d/%d MB%s", name, show.Layer+1, show.Layers, show.Read>>20, show.Total>>20, more)
	t.shown = true
}
