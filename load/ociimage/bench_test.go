package ociimage

import (
	"archive/tar"
	"bufio"
	"bytes"
	stdgzip "compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
)

// benchLayer writes into dir a layer of files entries of size bytes each,
// filled with compressible pseudo-random text, compressed with gzip (the
// standard library's, default level, as before) and with zstd
// (klauspost/compress's encoder, default level, as containerd writes zstd
// layers), and returns the two blobs and the uncompressed size.
func benchLayer(b *testing.B, dir string, files, size int) (gz, zs benchBlob, raw int64) {
	b.Helper()
	var tarball bytes.Buffer
	tw := tar.NewWriter(&tarball)
	words := []string{"container ", "image ", "layer ", "digest ", "setuid ", "whiteout ", "opaque ", "config ",
		"manifest ", "index ", "blob ", "tar ", "gzip ", "root ", "user ", "group "}
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, 0, size+16)
	for i := range files {
		buf = buf[:0]
		for len(buf) < size {
			buf = append(buf, words[rng.IntN(len(words))]...)
		}
		buf = buf[:size]
		dir := fmt.Sprintf("usr/share/d%03d/", i/100)
		if i%100 == 0 {
			tw.WriteHeader(&tar.Header{Name: dir, Typeflag: tar.TypeDir, Mode: 0o755})
		}
		hdr := &tar.Header{Name: fmt.Sprintf("%sfile%05d", dir, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(size)}
		if err := tw.WriteHeader(hdr); err != nil {
			b.Fatal(err)
		}
		tw.Write(buf)
	}
	if err := tw.Close(); err != nil {
		b.Fatal(err)
	}
	write := func(name string, compress func(io.Writer) io.WriteCloser) benchBlob {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		h := sha256.New()
		zw := compress(io.MultiWriter(f, h))
		if _, err := zw.Write(tarball.Bytes()); err != nil {
			b.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			b.Fatal(err)
		}
		fi, err := f.Stat()
		if err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		return benchBlob{path: p, digest: fmt.Sprintf("sha256:%x", h.Sum(nil)), size: fi.Size()}
	}
	gz = write("layer.tar.gz", func(w io.Writer) io.WriteCloser { return stdgzip.NewWriter(w) })
	zs = write("layer.tar.zst", func(w io.Writer) io.WriteCloser {
		zw, err := zstd.NewWriter(w)
		if err != nil {
			b.Fatal(err)
		}
		return zw
	})
	return gz, zs, int64(tarball.Len())
}

// benchBlob is a compressed layer on disk.
type benchBlob struct {
	path, digest string
	size         int64
}

// reportCPU reports the CPU time of the benchmark's loop as "cpu-MB/s",
// bytes per CPU second: the machines benchmarks run on are often shared,
// and wall-clock MB/s then measure the neighbours too. Call its result
// when the loop ends.
func reportCPU(b *testing.B, bytes int64) func() {
	start := cpuTime()
	return func() {
		if d := cpuTime() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(bytes)*float64(b.N)/1e6/d.Seconds(), "cpu-MB/s")
		}
	}
}

// scanWay is one way of reading a layer blob to the end of its tar.
type scanWay struct {
	name string
	read func(b *testing.B, blob benchBlob) // fails b unless the layer's entries were all read
}

// BenchmarkLayerScan compares the full layer scan ("scan": digest and
// size verification, decompression, tar, merged tree, sorted
// ImageContents) with bare decompression and tar iteration of the same
// bytes with the same decoder ("tar"), for gzip and zstd, and with the
// standard library's gzip and tar, the loader's decoder before
// klauspost/compress ("stdlib-tar"). Both layers hold 2,000 files; only
// the file size differs, so B/op that does not grow with the layer shows
// nothing is buffered. MB/s are of uncompressed bytes.
//
// Each way has its own sub-benchmark (MB/s, B/op, allocs/op), and "vs"
// runs them all in turn: each of its iterations is one round of every
// way, in an order that rotates, so that a busy neighbour slows them
// alike. It reports each way's MB/s over its rounds and scan's throughput
// as a multiple of the others' over the same rounds: "x-tar" and
// "x-stdlib" by the wall clock, "cpu-x-tar" and "cpu-x-stdlib" by the
// process's CPU time. The scan hashes the blob on a second goroutine,
// which the wall clock does not charge while a second core is free;
// "scan-cores" is the scan's CPU time over its wall-clock time, about 1
// when another process holds the second core (the wall-clock ratios then
// fall to the CPU ones). Use -benchtime 6x or more (a multiple of 6 gives
// every way the lead equally often) and -count, e.g.
//
//	go test -run '^$' -bench 'LayerScan/.*/.*/vs' -benchtime 12x -count 10 ./load/ociimage
func BenchmarkLayerScan(b *testing.B) {
	for _, sz := range []struct {
		name        string
		files, size int
	}{
		{"25MB", 2000, 12 << 10},
		{"100MB", 2000, 50 << 10},
	} {
		// Made on first use: writing them costs seconds.
		dir := b.TempDir()
		var (
			once   sync.Once
			gz, zs benchBlob
			raw    int64
		)
		layer := func(b *testing.B) {
			once.Do(func() { gz, zs, raw = benchLayer(b, dir, sz.files, sz.size) })
			if raw == 0 {
				b.Fatal("no layer")
			}
		}
		want := sz.files + sz.files/100
		iterate := func(b *testing.B, blob benchBlob, decompress func(io.Reader) (io.Reader, func())) {
			f, err := os.Open(blob.path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			r, done := decompress(bufio.NewReaderSize(f, 64<<10))
			defer done()
			tr := tar.NewReader(r)
			n := 0
			for {
				_, err := tr.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != want {
				b.Fatalf("%d entries", n)
			}
		}
		opts := Options{}.WithDefaults()
		scan := func(mediaType string) func(b *testing.B, blob benchBlob) {
			return func(b *testing.B, blob benchBlob) {
				f, err := os.Open(blob.path)
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				v, err := newVerifier(f, blob.digest, blob.size)
				if err != nil {
					b.Fatal(err)
				}
				m := newMerger(&opts)
				if err := m.scan(layerBlob{r: v, v: v, id: blob.digest, mediaType: mediaType}, 0); err != nil {
					b.Fatal(err)
				}
				if c := m.contents(); len(c.Files) != want {
					b.Fatalf("%d files", len(c.Files))
				}
			}
		}
		stdlibTar := scanWay{"stdlib-tar", func(b *testing.B, blob benchBlob) {
			iterate(b, blob, func(r io.Reader) (io.Reader, func()) {
				zr, err := stdgzip.NewReader(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() {}
			})
		}}
		// The bare loops reuse their decoders as the scan does.
		gzipTar := scanWay{"tar", func(b *testing.B, blob benchBlob) {
			iterate(b, blob, func(r io.Reader) (io.Reader, func()) {
				zr, err := newGzip(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() { gzipReaders.Put(zr) }
			})
		}}
		zstdTar := scanWay{"tar", func(b *testing.B, blob benchBlob) {
			iterate(b, blob, func(r io.Reader) (io.Reader, func()) {
				zr, err := newZstd(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() { putZstd(zr) }
			})
		}}
		for _, c := range []struct {
			name string
			blob *benchBlob
			ways []scanWay // the scan first
		}{
			{"gzip", &gz, []scanWay{{"scan", scan("application/vnd.oci.image.layer.v1.tar+gzip")}, gzipTar, stdlibTar}},
			{"zstd", &zs, []scanWay{{"scan", scan("application/vnd.oci.image.layer.v1.tar+zstd")}, zstdTar}},
		} {
			for _, w := range c.ways {
				b.Run(sz.name+"/"+c.name+"/"+w.name, func(b *testing.B) {
					layer(b)
					b.SetBytes(raw)
					b.ReportAllocs()
					defer reportCPU(b, raw)()
					for b.Loop() {
						w.read(b, *c.blob)
					}
				})
			}
			b.Run(sz.name+"/"+c.name+"/vs", func(b *testing.B) {
				layer(b)
				wall := make([]time.Duration, len(c.ways))
				cpu := make([]time.Duration, len(c.ways))
				rounds := 0
				for b.Loop() {
					for i := range c.ways {
						k := (rounds + i) % len(c.ways)
						w0, c0 := time.Now(), cpuTime()
						c.ways[k].read(b, *c.blob)
						wall[k] += time.Since(w0)
						cpu[k] += cpuTime() - c0
					}
					rounds++
				}
				if cpu[0] > 0 {
					b.ReportMetric(cpu[0].Seconds()/wall[0].Seconds(), "scan-cores")
				}
				for k, w := range c.ways {
					b.ReportMetric(float64(raw)*float64(rounds)/1e6/wall[k].Seconds(), w.name+"-MB/s")
					if k > 0 {
						b.ReportMetric(wall[k].Seconds()/wall[0].Seconds(), "x-"+strings.TrimSuffix(w.name, "-tar"))
						if cpu[0] > 0 {
							b.ReportMetric(cpu[k].Seconds()/cpu[0].Seconds(), "cpu-x-"+strings.TrimSuffix(w.name, "-tar"))
						}
					}
				}
			})
		}
	}
}

// BenchmarkRepeatedWhiteouts applies a layer that makes one directory of
// n entries opaque n times: one pass over the directory, not n.
func BenchmarkRepeatedWhiteouts(b *testing.B) {
	const n = 20000
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for i := range n {
		tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("d/f%d", i), Typeflag: tar.TypeReg, Mode: 0o644})
	}
	for range n {
		tw.WriteHeader(&tar.Header{Name: "d/.wh..wh..opq", Typeflag: tar.TypeReg, Mode: 0o644})
		tw.WriteHeader(&tar.Header{Name: "d/.wh.f1", Typeflag: tar.TypeReg, Mode: 0o644})
	}
	tw.Close()
	opts := Options{}.WithDefaults()
	b.ReportAllocs()
	for b.Loop() {
		m := newMerger(&opts)
		if err := m.scan(layerBlob{r: bytes.NewReader(buf.Bytes()), id: "layer"}, 1); err != nil {
			b.Fatal(err)
		}
	}
}
