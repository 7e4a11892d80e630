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
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// benchLayer writes a layer of files entries of size bytes each, filled
// with compressible pseudo-random text, compressed with gzip (the standard
// library's, default level, as before) and with zstd (klauspost/compress's
// encoder, default level, as containerd writes zstd layers), and returns
// the two blobs and the uncompressed size.
func benchLayer(b *testing.B, files, size int) (gz, zs benchBlob, raw int64) {
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
		p := filepath.Join(b.TempDir(), name)
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

// BenchmarkLayerScan compares the full layer scan (digest and size
// verification, decompression, tar, merged tree, sorted ImageContents)
// with bare decompression and tar iteration of the same bytes with the
// same decoder ("tar"), for gzip and zstd, and with the standard
// library's gzip and tar, the loader's decoder before klauspost/compress
// ("stdlib-tar"). Both layers hold 2,000 files; only the file size
// differs, so B/op that does not grow with the layer shows nothing is
// buffered. MB/s are of uncompressed bytes.
func BenchmarkLayerScan(b *testing.B) {
	for _, sz := range []struct {
		name        string
		files, size int
	}{
		{"25MB", 2000, 12 << 10},
		{"100MB", 2000, 50 << 10},
	} {
		gz, zs, raw := benchLayer(b, sz.files, sz.size)
		want := sz.files + sz.files/100
		iterate := func(b *testing.B, blob benchBlob, decompress func(io.Reader) (io.Reader, func())) {
			b.SetBytes(raw)
			b.ReportAllocs()
			defer reportCPU(b, raw)()
			for b.Loop() {
				f, err := os.Open(blob.path)
				if err != nil {
					b.Fatal(err)
				}
				r, done := decompress(bufio.NewReaderSize(f, 64<<10))
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
				done()
				f.Close()
				if n != want {
					b.Fatalf("%d entries", n)
				}
			}
		}
		scan := func(b *testing.B, blob benchBlob, mediaType string) {
			b.SetBytes(raw)
			b.ReportAllocs()
			opts := Options{}.WithDefaults()
			defer reportCPU(b, raw)()
			for b.Loop() {
				f, err := os.Open(blob.path)
				if err != nil {
					b.Fatal(err)
				}
				v, err := newVerifier(f, blob.digest, blob.size)
				if err != nil {
					b.Fatal(err)
				}
				m := newMerger(&opts)
				if err := m.scan(layerBlob{r: v, v: v, id: blob.digest, mediaType: mediaType}, 0); err != nil {
					b.Fatal(err)
				}
				c := m.contents()
				f.Close()
				if len(c.Files) != want {
					b.Fatalf("%d files", len(c.Files))
				}
			}
		}
		b.Run(sz.name+"/gzip/stdlib-tar", func(b *testing.B) {
			iterate(b, gz, func(r io.Reader) (io.Reader, func()) {
				zr, err := stdgzip.NewReader(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() {}
			})
		})
		b.Run(sz.name+"/gzip/tar", func(b *testing.B) {
			iterate(b, gz, func(r io.Reader) (io.Reader, func()) {
				zr, err := gzip.NewReader(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() {}
			})
		})
		b.Run(sz.name+"/gzip/scan", func(b *testing.B) { scan(b, gz, "application/vnd.oci.image.layer.v1.tar+gzip") })
		b.Run(sz.name+"/zstd/tar", func(b *testing.B) {
			iterate(b, zs, func(r io.Reader) (io.Reader, func()) {
				zr, err := newZstd(r)
				if err != nil {
					b.Fatal(err)
				}
				return zr, func() { putZstd(zr) }
			})
		})
		b.Run(sz.name+"/zstd/scan", func(b *testing.B) { scan(b, zs, "application/vnd.oci.image.layer.v1.tar+zstd") })
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
