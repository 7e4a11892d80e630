package ociimage

import "io"

// Progress is how far the reading of one image's layers got: the bytes of
// its layer blobs read (compressed, as stored) out of their total. The
// last report of an image has Done set.
type Progress struct {
	// Source names the image, as subjects and errors name its source.
	Source string
	// Layer is the layer being read, of Layers.
	Layer, Layers int
	// Read and Total are bytes of layer blobs.
	Read, Total int64
	// Done says the image's layers are all read (or the image failed).
	Done bool
}

// progressStep is how many bytes pass between two reports.
const progressStep = 4 << 20

// progress counts what one image's layers read and reports it.
type progress struct {
	report func(Progress)
	p      Progress
	last   int64 // Read at the last report
}

// reader counts what r reads; nil (no reporting) leaves r as it is.
func (pr *progress) reader(r io.Reader) io.Reader {
	if pr == nil || pr.report == nil {
		return r
	}
	return &progressReader{r: r, pr: pr}
}

func (pr *progress) done() {
	if pr == nil || pr.report == nil {
		return
	}
	pr.p.Done = true
	pr.report(pr.p)
}

type progressReader struct {
	r  io.Reader
	pr *progress
}

func (r *progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	pr := r.pr
	pr.p.Read += int64(n)
	if pr.p.Read-pr.last >= progressStep {
		pr.last = pr.p.Read
		pr.report(pr.p)
	}
	return n, err
}
