package load

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// benchLayer writes a gzip layer of files entries of size bytes each,
// filled with compressible pseudo-random text, and returns its path,
// digest and uncompressed size.
func benchLayer(b *testing.B, files, size int) (string, string, int64) {
	b.Helper()
	p := filepath.Join(b.TempDir(), "layer.tar.gz")
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(f, h))
	cw := &countWriter{w: zw}
	tw := tar.NewWriter(cw)
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
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return p, fmt.Sprintf("sha256:%x", h.Sum(nil)), cw.n
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkLayerScan compares the full layer scan (digest and size
// verification, gzip, tar, merged tree, sorted ImageContents) with plain
// gzip decompression and tar iteration of the same bytes. Both layers
// hold 2,000 files; only the file size differs, so B/op that does not
// grow with the layer shows nothing is buffered.
func BenchmarkLayerScan(b *testing.B) {
	for _, sz := range []struct {
		name        string
		files, size int
	}{
		{"25MB", 2000, 12 << 10},
		{"100MB", 2000, 50 << 10},
	} {
		p, digest, raw := benchLayer(b, sz.files, sz.size)
		fi, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(sz.name+"/baseline", func(b *testing.B) {
			b.SetBytes(raw)
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				zr, err := gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
				if err != nil {
					b.Fatal(err)
				}
				tr := tar.NewReader(zr)
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
				f.Close()
				if n != sz.files+sz.files/100 {
					b.Fatalf("%d entries", n)
				}
			}
		})
		b.Run(sz.name+"/bulwark", func(b *testing.B) {
			b.SetBytes(raw)
			b.ReportAllocs()
			opts := Options{}.withDefaults()
			for b.Loop() {
				f, err := os.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				v, err := newVerifier(f, digest, fi.Size())
				if err != nil {
					b.Fatal(err)
				}
				m := newMerger(&opts)
				if err := m.scan(layerBlob{r: v, v: v, id: digest, mediaType: "application/vnd.oci.image.layer.v1.tar+gzip"}, 0); err != nil {
					b.Fatal(err)
				}
				c := m.contents()
				f.Close()
				if len(c.Files) != sz.files+sz.files/100 {
					b.Fatalf("%d files", len(c.Files))
				}
			}
		})
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
	opts := Options{}.withDefaults()
	b.ReportAllocs()
	for b.Loop() {
		m := newMerger(&opts)
		if err := m.scan(layerBlob{r: bytes.NewReader(buf.Bytes()), id: "layer"}, 1); err != nil {
			b.Fatal(err)
		}
	}
}
