package ociimage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark/internal/imagetest"
)

// pipeGoroutines counts the goroutines of pipedHashes alive.
func pipeGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return strings.Count(string(buf[:n]), "ociimage.newPipedHash.func1(")
		}
		buf = make([]byte, 2*len(buf))
	}
}

// noPipeGoroutines fails t unless every pipedHash goroutine ends soon.
func noPipeGoroutines(t *testing.T) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); pipeGoroutines() > 0; {
		if time.Now().After(deadline) {
			t.Fatalf("%d pipedHash goroutines left", pipeGoroutines())
		}
		time.Sleep(time.Millisecond)
	}
}

// withProcs runs the test with at least two processors, so that
// verifiers hash aside.
func withProcs(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		prev := runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(prev) })
	}
}

// A pipedHash sums what a hash sums, however the writes fall on its
// chunks, and its goroutine ends with Sum or close.
func TestPipedHash(t *testing.T) {
	data := make([]byte, pipeChunks*pipeChunkSize*3+12345)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	for _, tt := range []struct {
		writes []int // sizes written, in turn
		every  int   // or all of data, this much at a time
	}{
		{writes: []int{}},
		{writes: []int{1}},
		{writes: []int{pipeChunkSize - 1, 1, 1}},
		{writes: []int{pipeChunkSize}},
		{writes: []int{pipeChunkSize + 1}},
		{writes: []int{3*pipeChunkSize + 5}},
		{writes: []int{len(data)}},
		{every: 4096},    // as a network body may give
		{every: 65536},   // as bufio asks
		{every: 100_003}, // across chunk boundaries
	} {
		p := newPipedHash(sha256.New())
		b := data[:0]
		for _, n := range tt.writes {
			p.Write(data[len(b) : len(b)+n])
			b = data[:len(b)+n]
		}
		for tt.every > 0 && len(b) < len(data) {
			n := min(tt.every, len(data)-len(b))
			p.Write(data[len(b) : len(b)+n])
			b = data[:len(b)+n]
		}
		want := sha256.Sum256(b)
		if got := p.Sum(nil); !bytes.Equal(got, want[:]) {
			t.Errorf("%+v: sum %x, want %x", tt, got, want)
		}
		if got := p.Sum([]byte("x")); !bytes.Equal(got, append([]byte("x"), want[:]...)) {
			t.Errorf("%+v: second Sum %x", tt, got)
		}
		p.close()
	}
	p := newPipedHash(sha256.New())
	p.Write(data[:pipeChunkSize*2+1])
	p.close() // without Sum
	noPipeGoroutines(t)

	// Sum called while chunks are still queued waits for them; called
	// once the goroutine is idle, it hashes the last chunk itself.
	for _, idle := range []bool{false, true} {
		gate := make(chan struct{})
		p := newPipedHash(&gatedHash{Hash: sha256.New(), gate: gate})
		b := data[:3*pipeChunkSize+7]
		p.Write(b)
		if idle {
			close(gate)
			for p.hashed.Load() != p.sent {
				time.Sleep(time.Millisecond)
			}
		} else {
			time.AfterFunc(10*time.Millisecond, func() { close(gate) })
		}
		want := sha256.Sum256(b)
		if got := p.Sum(nil); !bytes.Equal(got, want[:]) {
			t.Errorf("idle %v: sum %x, want %x", idle, got, want)
		}
		noPipeGoroutines(t)
	}
}

// gatedHash is a hash whose writes wait until gate is closed.
type gatedHash struct {
	hash.Hash
	gate chan struct{}
}

func (g *gatedHash) Write(b []byte) (int, error) {
	<-g.gate
	return g.Hash.Write(b)
}

// A blob that fits in one chunk is hashed as it is read: handing it to
// another goroutine would cost more than hashing it.
func TestSmallBlobHashedInline(t *testing.T) {
	withProcs(t)
	for _, size := range []int{0, 1000, pipeChunkSize, pipeChunkSize + 1} {
		blob := bytes.Repeat([]byte{'x'}, size)
		v, err := newVerifier(bytes.NewReader(blob), imagetest.Digest(blob), int64(size))
		if err != nil {
			t.Fatal(err)
		}
		stop := v.hashAside()
		_, aside := v.h.(*pipedHash)
		if want := size > pipeChunkSize; aside != want {
			t.Errorf("%d bytes: hashed aside %v, want %v", size, aside, want)
		}
		if err := v.finish(); err != nil {
			t.Errorf("%d bytes: %v", size, err)
		}
		stop()
	}
	noPipeGoroutines(t)
}

// readerFunc is a reader made of a function.
type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// A layer's scan hashes its blob aside and ends that hashing whatever
// ends the scan: the blob's end, a digest or size mismatch (also one found
// after the tar's end), a limit, a tar error, a read error, cancellation,
// a panic.
func TestScanHashingEnds(t *testing.T) {
	withProcs(t)
	// Incompressible content, so that the blob spans every chunk.
	content := make([]byte, (pipeChunks+2)*pipeChunkSize)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range content {
		content[i] = byte(rng.Uint32())
	}
	raw, err := imagetest.TarLayer([]imagetest.Entry{{Name: "etc/"}, {Name: "etc/blob", Content: string(content)}, {Name: "etc/passwd", Content: "root:x:0:0::/root:/bin/sh\n"}})
	if err != nil {
		t.Fatal(err)
	}
	gz, zs := imagetest.Gzip(raw), imagetest.Zstd(raw)
	flipLast := func(b []byte) []byte { b = bytes.Clone(b); b[len(b)-1] ^= 1; return b }
	errRead := errors.New("connection reset")
	tests := []struct {
		name   string
		blob   []byte
		size   int64                     // the descriptor's, if not the blob's
		digest string                    // the descriptor's, if not the blob's
		opts   Options                   // for the merger
		wrap   func(io.Reader) io.Reader // between the blob and the verifier
		is     error
		want   string
	}{
		{name: "gzip", blob: gz},
		{name: "zstd", blob: zs},
		{name: "plain tar", blob: raw},
		// The gzip trailer (the input size) is past the tar's end.
		{name: "gzip trailer altered", blob: flipLast(gz), digest: imagetest.Digest(gz), is: ErrDigestMismatch},
		{name: "zstd end altered", blob: flipLast(zs), digest: imagetest.Digest(zs), is: ErrDigestMismatch},
		{name: "truncated", blob: gz[:len(gz)/2], size: int64(len(gz)), digest: imagetest.Digest(gz), is: ErrSizeMismatch},
		{name: "longer than its descriptor", blob: gz, size: int64(len(gz)) - 1, is: ErrSizeMismatch},
		{name: "too large", blob: zs, opts: Options{MaxLayerSize: 1 << 20}, is: ErrTooLarge},
		{name: "not a tar", blob: bytes.Repeat([]byte("junk"), pipeChunkSize), is: ErrInvalidLayer},
		{name: "read error", blob: gz, wrap: func(r io.Reader) io.Reader {
			n := 0
			return readerFunc(func(p []byte) (int, error) {
				if n += len(p); n > len(gz)/2 {
					return 0, errRead
				}
				return r.Read(p)
			})
		}, is: errRead},
		{name: "canceled", blob: zs, wrap: func(r io.Reader) io.Reader {
			ctx, cancel := context.WithCancel(context.Background())
			n := 0
			return &ctxReader{ctx: ctx, r: readerFunc(func(p []byte) (int, error) {
				if n += len(p); n > len(zs)/2 {
					cancel()
				}
				return r.Read(p)
			})}
		}, is: context.Canceled},
		{name: "panic", blob: gz, wrap: func(r io.Reader) io.Reader {
			n := 0
			return readerFunc(func(p []byte) (int, error) {
				if n += len(p); n > len(gz)/2 {
					panic("reader panicked")
				}
				return r.Read(p)
			})
		}, want: "panic: reader panicked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			size, digest := int64(len(tt.blob)), imagetest.Digest(tt.blob)
			if tt.size != 0 {
				size = tt.size
			}
			if tt.digest != "" {
				digest = tt.digest
			}
			aside := 0
			var r io.Reader = readerFunc(func(p []byte) (int, error) {
				// Hashing is aside while the blob is read.
				aside = max(aside, pipeGoroutines())
				return 0, io.EOF
			})
			r = io.MultiReader(bytes.NewReader(tt.blob), r)
			if tt.wrap != nil {
				r = tt.wrap(r)
			}
			v, err := newVerifier(r, digest, size)
			if err != nil {
				t.Fatal(err)
			}
			opts := tt.opts.WithDefaults()
			m := newMerger(&opts)
			err = func() (err error) {
				defer func() {
					if v := recover(); v != nil {
						err = fmt.Errorf("panic: %v", v)
					}
				}()
				return m.scan(layerBlob{r: v, v: v, id: digest}, 0)
			}()
			switch {
			case tt.is == nil && tt.want == "":
				if err != nil {
					t.Fatal(err)
				}
				if c := m.contents(); len(c.Files) != 3 || c.Files[1].Size != int64(len(content)) {
					t.Errorf("contents %+v", c.Files)
				}
				if aside != 1 {
					t.Errorf("%d pipedHash goroutines while the blob was read, want 1", aside)
				}
			case tt.is != nil && !errors.Is(err, tt.is):
				t.Errorf("error %v, want %v", err, tt.is)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("error %v, want %q", err, tt.want)
			}
			noPipeGoroutines(t)
		})
	}
}
