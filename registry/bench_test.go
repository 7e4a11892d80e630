package registry_test

import (
	"archive/tar"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/imagetest"
	"github.com/bulwarkdev/bulwark/load"
)

// bigImage is one layer of about 100 MB, like the research's "big" image:
// Go's src/cmd as text, the compile and link binaries, and 12 MiB of
// random bytes; it returns the image and its file content's size.
func bigImage(zstd bool) (imagetest.Image, int64, error) {
	var entries []imagetest.Entry
	var size int64
	add := func(name string, data []byte) {
		entries = append(entries, imagetest.Entry{Name: name, Content: string(data), Type: tar.TypeReg})
		size += int64(len(data))
	}
	goroot := runtime.GOROOT()
	err := filepath.WalkDir(filepath.Join(goroot, "src", "cmd"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || size > 80<<20 {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(goroot, p)
		add("data/"+filepath.ToSlash(rel), data)
		return nil
	})
	if err != nil {
		return imagetest.Image{}, 0, err
	}
	tools := filepath.Join(goroot, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)
	for _, t := range []string{"compile", "link"} {
		data, err := os.ReadFile(filepath.Join(tools, t))
		if err != nil {
			return imagetest.Image{}, 0, err
		}
		add("data/bin/"+t, data)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 12 {
		b := make([]byte, 1<<20)
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		add(fmt.Sprintf("data/rand/r%02d", i), b)
	}
	return imagetest.Image{Ref: "big", Layers: []imagetest.Layer{{Gzip: !zstd, Zstd: zstd, Entries: entries}}}, size, nil
}

var bigOnce sync.Once
var bigLayouts map[string]string
var bigSize int64

// BenchmarkRead reads the same image of about 100 MB from its layout and from the
// lab's TLS registry (basic authentication), gzip and zstd: what the
// client adds to the loader. MB/s are of file content. Not part of CI;
// run with -bench Read -benchtime 3x.
func BenchmarkRead(b *testing.B) {
	labOnce.Do(setUpLab)
	if lab.skip != "" || lab.err != nil {
		b.Skip(lab.skip, lab.err)
	}
	bigOnce.Do(func() {
		bigLayouts = map[string]string{}
		for _, z := range []bool{false, true} {
			img, size, err := bigImage(z)
			if err != nil {
				b.Fatal(err)
			}
			bigSize = size
			name := map[bool]string{false: "gzip", true: "zstd"}[z]
			dir := filepath.Join(lab.dir, "big-"+name)
			if _, err := imagetest.WriteLayout(dir, img); err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			err = lab.basic.Push(ctx, dir, "big", "bench/big-"+name+":1", false, "--preserve-digests")
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			bigLayouts[name] = dir
		}
	})
	c := client(b, goodAuth(b))
	for _, comp := range []string{"gzip", "zstd"} {
		for _, from := range []string{"layout", "registry"} {
			b.Run(comp+"/"+from, func(b *testing.B) {
				arg, opts := bigLayouts[comp], load.Options{KeepContent: func(string, int64) bool { return false }}
				if from == "registry" {
					arg, opts.Registry = lab.basic.Host+"/bench/big-"+comp+":1", c
				}
				b.SetBytes(bigSize)
				for b.Loop() {
					r := &hardening.Result{}
					in, err := load.Open(opts, arg)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := in.Stream(context.Background(), nil, nil, hardening.Collect(r)); err != nil {
						b.Fatal(err)
					}
					in.Close()
					if len(r.Errors) > 0 || len(r.Subjects) != 1 {
						b.Fatalf("%v", r.Errors)
					}
				}
			})
		}
	}
}
