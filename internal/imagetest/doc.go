// Package imagetest builds container images on disk for tests: OCI image
// layouts, OCI archives (a tar of a layout) and docker-archives (what
// `docker save` writes), from layers described entry by entry.
//
//	img := imagetest.Image{
//		Ref:    "app:1",
//		Config: imagespec.Image{Config: imagespec.ImageConfig{User: "1000"}},
//		Layers: []imagetest.Layer{{Gzip: true, Entries: []imagetest.Entry{
//			{Name: "etc/"},
//			{Name: "etc/passwd", Content: "root:x:0:0::/root:/bin/sh\n"},
//			{Name: "usr/bin/su", Mode: 0o4755, Content: "ELF"},
//		}}},
//	}
//	lay, err := imagetest.WriteLayout(t.TempDir(), img)
//
// The builders fill in what makes an image valid — the config's
// rootfs.diff_ids, every descriptor's digest and size, media types,
// oci-layout and index.json — and let a test break any of it afterwards
// (see [Layout.BlobPath]). They use only the standard library, the
// image-spec types and, for zstd layers, klauspost/compress's encoder, so
// the layouts they write are what the specification says, not what one
// reader accepts (load's tests cross-check them with umoci and skopeo).
package imagetest
