package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/bulwarkdev/bulwark/hardening"
)

// Inputs are the paths of one run, opened to be read in two phases:
// [Inputs.Cluster] reads every input once and keeps only the objects
// around workloads, then [Inputs.Stream] reads them again, decoding,
// checking and handing out one subject at a time. Standard input ("-")
// and other paths that can be read only once (a pipe, a process
// substitution) are spooled to temporary files by [Open], which
// [Inputs.Close] removes.
//
// An Inputs is used by one goroutine at a time.
type Inputs struct {
	opts    Options
	paths   []string
	spooled map[string]spooled
	// stdin is read for "-"; os.Stdin when nil.
	stdin io.Reader
}

// Open prepares paths for a run. It reads standard input, if "-" is among
// the paths, and every path that is neither a directory nor a regular file
// (a pipe) into temporary files. A path that cannot be spooled is
// reported by the stream as an error of that source, as [Paths] reports
// it; Open itself fails only when no temporary file can be made.
func Open(opts Options, paths ...string) (*Inputs, error) {
	return openInputs(opts, os.Stdin, paths)
}

func openInputs(opts Options, stdin io.Reader, paths []string) (*Inputs, error) {
	in := &Inputs{opts: opts.withDefaults(), paths: append([]string(nil), paths...), stdin: stdin, spooled: map[string]spooled{}}
	for _, p := range paths {
		if _, done := in.spooled[p]; done {
			continue
		}
		var r io.Reader
		if p == Stdin {
			r = in.stdin
		} else {
			fi, err := os.Stat(p)
			if err != nil || fi.IsDir() || fi.Mode().IsRegular() {
				continue // the walk reads it, or reports it
			}
			f, err := os.Open(p)
			if err != nil {
				in.spooled[p] = spooled{err: pathErr(err)}
				continue
			}
			defer f.Close()
			r = f
		}
		sp, err := spool(r, in.opts.MaxFileSize)
		if err != nil && sp.path == "" && sp.err == nil {
			in.Close()
			return nil, err
		}
		in.spooled[p] = sp
	}
	return in, nil
}

// spool copies r to a temporary file, at most max bytes. A read error or
// content over max is the spooled source's error; err is for a temporary
// file that cannot be written.
func spool(r io.Reader, max int64) (spooled, error) {
	f, err := os.CreateTemp("", "bulwark-input-*")
	if err != nil {
		return spooled{}, fmt.Errorf("spooling input: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(f, io.LimitReader(r, max+1))
	switch {
	case err != nil:
		var pe *os.PathError
		if errors.As(err, &pe) && pe.Path == f.Name() {
			os.Remove(f.Name())
			return spooled{}, fmt.Errorf("spooling input: %w", err)
		}
		return spooled{path: f.Name(), err: fmt.Errorf("read: %w", pathErr(err))}, nil
	case n > max:
		return spooled{path: f.Name(), err: fmt.Errorf("%w: larger than the %d-byte limit (Options.MaxFileSize)", ErrTooLarge, max)}, nil
	}
	return spooled{path: f.Name()}, nil
}

// Close removes the temporary files.
func (in *Inputs) Close() error {
	var errs []error
	for p, sp := range in.spooled {
		if sp.path != "" {
			if err := os.Remove(sp.path); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
		delete(in.spooled, p)
	}
	return errors.Join(errs...)
}

func (in *Inputs) walker(ctx context.Context, h handler) *walker {
	return &walker{ctx: ctx, opts: &in.opts, h: h, spooled: in.spooled}
}

// Paths loads files and directories into a Result with Subjects, Errors and
// Skipped set (Findings is nil). Paths are loaded in the order given.
//
// A path is standard input if it is "-", read whatever its extension if it
// names a file (or a symbolic link to one, or a pipe), and walked
// recursively in lexical order if it names a directory: only regular files
// named *.yaml, *.yml and *.json are read, symbolic links to directories are
// not followed, and an OCI bundle directory — one whose config.json holds
// an OCI runtime spec — contributes its config.json alone, without
// descending into it (its rootfs may hold anything). A path that cannot be
// read is one [hardening.DocumentError] with Document -1.
//
// Paths reads in the two phases of [Inputs]: the subjects share the
// [hardening.Cluster] of the objects found around them. It holds every
// subject in memory; [Inputs.Stream] hands them out one at a time.
func Paths(opts Options, paths ...string) *hardening.Result {
	r := &hardening.Result{}
	in, err := Open(opts, paths...)
	if err != nil {
		r.Errors = append(r.Errors, &hardening.DocumentError{Source: Stdin, Document: -1, Err: err})
		return r
	}
	defer in.Close()
	ctx := context.Background()
	cluster, _ := in.Cluster(ctx)
	in.Stream(ctx, cluster, nil, hardening.Collect(r))
	return r
}

// workers returns the number of documents decoded at once.
func (o *Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// batch is what one document (or one image) yields: its subjects with
// their findings, its errors and its skipped parts.
type batch struct {
	res      hardening.Result
	ends     []int // ends[i] is the end of subject i's findings
	findings []hardening.Finding
	docs     int
}

var batches = sync.Pool{New: func() any { return new(batch) }}

func (b *batch) release() {
	clear(b.res.Subjects)
	clear(b.res.Errors)
	clear(b.res.Skipped)
	clear(b.findings)
	b.res.Subjects, b.res.Errors, b.res.Skipped = b.res.Subjects[:0], b.res.Errors[:0], b.res.Skipped[:0]
	b.ends, b.findings, b.docs = b.ends[:0], b.findings[:0], 0
	batches.Put(b)
}

// check runs checker over the subjects of b, giving each the cluster.
func (b *batch) check(cluster *hardening.Cluster, checker hardening.Checker) {
	for _, s := range b.res.Subjects {
		s.Cluster = cluster
		if checker != nil {
			b.findings = checker.Check(s, b.findings)
		}
		b.ends = append(b.ends, len(b.findings))
	}
}

// job is one unit of the ordered stream: a document to decode, an image
// source to load, or a batch ready from the walk (an unreadable source).
type job struct {
	source      string
	index, line int
	doc         *[]byte

	image func(sink *imageSink, r *hardening.Result)

	out chan *batch
}

var docBuffers = sync.Pool{New: func() any { return new([]byte) }}

// streamer is the second phase: a walk that feeds jobs, workers that
// decode and check them, and the caller's goroutine emitting their
// batches in input order.
type streamer struct {
	in      *Inputs
	ctx     context.Context
	cluster *hardening.Cluster
	checker hardening.Checker
	queue   chan *job // in input order, to the emitter
	work    chan *job // to the workers
}

// Stream is the second phase of a run: it reads every input again, decodes
// each document, runs checker (when not nil) over each subject it holds,
// and calls emit with one [hardening.Entry] per subject, error and
// skipped document, in input order, whatever the number of workers
// (Options.Workers). Each subject's Cluster is cluster (from
// [Inputs.Cluster]; nil for none). Documents are decoded and checked in
// parallel, and at most a few per worker are held at once: memory does not
// grow with the input.
//
// emit is called from the calling goroutine, one entry at a time. Stream
// stops at the first error emit returns, or when ctx ends (it checks
// between documents, and between and within the layers of an image), and
// returns that error. The summary counts what was emitted; its cluster
// figures are cluster's. The stream has no Set entry: a checker's
// findings about the whole run are the caller's (see bulwark.Stream).
func (in *Inputs) Stream(ctx context.Context, cluster *hardening.Cluster, checker hardening.Checker, emit func(*hardening.Entry) error) (hardening.Summary, error) {
	sum := hardening.Summary{ClusterObjects: cluster.Len(), ClusterBytes: cluster.Bytes()}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := in.opts.workers()
	st := &streamer{
		in: in, ctx: ctx, cluster: cluster, checker: checker,
		queue: make(chan *job, 4*n),
		work:  make(chan *job),
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st.worker()
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(st.queue)
		defer close(st.work)
		in.walker(ctx, st).walk(in.paths)
	}()

	// emit returns emit's error, or ctx's when the caller's ctx ended.
	err := st.emit(&sum, emit)
	cancel()
	// Let the walk and the workers finish what they hold.
	for j := range st.queue {
		for b := range j.out {
			b.release()
		}
	}
	wg.Wait()
	return sum, err
}

// emit hands out the batches of the queued jobs in order.
func (st *streamer) emit(sum *hardening.Summary, emit func(*hardening.Entry) error) error {
	var e hardening.Entry
	for j := range st.queue {
		for b := range j.out {
			sum.Documents += b.docs
			start := 0
			for i, s := range b.res.Subjects {
				e = hardening.Entry{Subject: s, Findings: b.findings[start:b.ends[i]]}
				start = b.ends[i]
				sum.Add(&e)
				if err := emit(&e); err != nil {
					b.release()
					return err
				}
			}
			for _, de := range b.res.Errors {
				e = hardening.Entry{Error: de}
				sum.Add(&e)
				if err := emit(&e); err != nil {
					b.release()
					return err
				}
			}
			for k := range b.res.Skipped {
				sk := b.res.Skipped[k]
				e = hardening.Entry{Skipped: &sk}
				sum.Add(&e)
				if err := emit(&e); err != nil {
					b.release()
					return err
				}
			}
			b.release()
		}
		if err := st.ctx.Err(); err != nil {
			return err
		}
	}
	return st.ctx.Err()
}

// worker decodes and checks the jobs it is given.
func (st *streamer) worker() {
	for j := range st.work {
		if st.ctx.Err() != nil {
			st.drop(j)
			continue
		}
		if j.image != nil {
			r := &hardening.Result{}
			sink := &imageSink{ctx: st.ctx, flush: func(r *hardening.Result) { st.send(j, r, 1) }}
			j.image(sink, r)
			st.send(j, r, 0)
			close(j.out)
			continue
		}
		b := batches.Get().(*batch)
		d := &decoder{opts: st.in.opts, source: j.source, index: j.index, line: j.line, r: &b.res}
		d.document(*j.doc)
		docBuffers.Put(j.doc)
		j.doc = nil
		b.docs = 1
		b.check(st.cluster, st.checker)
		j.out <- b // out has room for one batch
		close(j.out)
	}
}

// drop ends a job that will not run.
func (st *streamer) drop(j *job) {
	if j.doc != nil {
		docBuffers.Put(j.doc)
		j.doc = nil
	}
	close(j.out)
}

// send hands the contents of r, one image's, to the emitter, and empties r.
func (st *streamer) send(j *job, r *hardening.Result, docs int) {
	if len(r.Subjects) == 0 && len(r.Errors) == 0 && len(r.Skipped) == 0 {
		return
	}
	b := batches.Get().(*batch)
	b.res.Subjects = append(b.res.Subjects, r.Subjects...)
	b.res.Errors = append(b.res.Errors, r.Errors...)
	b.res.Skipped = append(b.res.Skipped, r.Skipped...)
	b.docs = docs
	clear(r.Subjects)
	r.Subjects, r.Errors, r.Skipped = r.Subjects[:0], r.Errors[:0], r.Skipped[:0]
	b.check(st.cluster, st.checker)
	select {
	case j.out <- b:
	case <-st.ctx.Done():
		b.release()
	}
}

// enqueue puts j in the ordered queue and, unless it is ready, gives it to
// a worker. It reports false when the stream is ending.
func (st *streamer) enqueue(j *job, ready bool) bool {
	select {
	case st.queue <- j:
	case <-st.ctx.Done():
		if j.doc != nil {
			docBuffers.Put(j.doc)
		}
		return false
	}
	if ready {
		return true
	}
	select {
	case st.work <- j:
		return true
	case <-st.ctx.Done():
		// The emitter drains the queue: the job must still end.
		st.drop(j)
		return false
	}
}

// ready queues a batch that needs no worker.
func (st *streamer) ready(b *batch) {
	j := &job{out: make(chan *batch, 1)}
	j.out <- b
	close(j.out)
	st.enqueue(j, true)
}

func (st *streamer) sourceError(source string, err error) {
	b := batches.Get().(*batch)
	b.res.Errors = append(b.res.Errors, &hardening.DocumentError{Source: source, Document: -1, Err: pathErr(err)})
	st.ready(b)
}

func (st *streamer) skipped(s hardening.Skipped) {
	b := batches.Get().(*batch)
	b.res.Skipped = append(b.res.Skipped, s)
	st.ready(b)
}

func (st *streamer) image(source, path, ref string, walked bool) {
	opts := &st.in.opts
	st.enqueue(&job{out: make(chan *batch, 1), image: func(sink *imageSink, r *hardening.Result) {
		loadImagePathTo(opts, r, sink, source, path, ref, walked)
	}}, false)
}

// manifest streams the documents of one file into jobs.
func (st *streamer) manifest(source, path string) {
	if st.ctx.Err() != nil {
		return
	}
	opts := &st.in.opts
	m, err := openManifest(path, opts.MaxFileSize)
	if err != nil {
		st.sourceError(source, err)
		return
	}
	defer m.Close()
	switch {
	case isTar(m.head):
		// An image archive (standard input redirected from one): read in
		// place by a worker.
		st.enqueue(&job{out: make(chan *batch, 1), image: func(sink *imageSink, r *hardening.Result) {
			f, err := os.Open(path)
			if err != nil {
				fileError(r, source, err)
				return
			}
			defer f.Close()
			fi, err := f.Stat()
			if err != nil {
				fileError(r, source, err)
				return
			}
			loadArchiveTo(opts, r, sink, source, "", f, fi.Size(), false)
		}}, false)
		return
	case isGzip(m.head):
		st.sourceError(source, errors.New("gzip-compressed: decompress it first (an image archive is read as an uncompressed tar)"))
		return
	}
	sc := newDocScanner(m.br, opts.MaxDocumentSize+1, scanBufferSize)
	for i := 0; ; i++ {
		doc, line, ok, err := sc.next()
		if !ok {
			if err != nil {
				if !errors.Is(err, ErrTooLarge) {
					err = fmt.Errorf("read: %w", pathErr(err))
				}
				st.sourceError(source, err)
			}
			return
		}
		buf := docBuffers.Get().(*[]byte)
		*buf = append((*buf)[:0], doc...)
		if !st.enqueue(&job{source: source, index: i, line: line, doc: buf, out: make(chan *batch, 1)}, false) {
			return
		}
	}
}
