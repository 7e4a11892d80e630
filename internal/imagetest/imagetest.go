package imagetest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/klauspost/compress/zstd"
	imagespec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Entry is one tar entry of a layer.
type Entry struct {
	// Name is the entry's name as written in the tar: "etc/passwd",
	// "./etc/", "/abs", "../escape", "dir/.wh.file", "dir/.wh..wh..opq".
	Name string
	// Type is the tar type flag (tar.TypeReg, tar.TypeDir, tar.TypeSymlink,
	// tar.TypeLink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo). Zero means
	// a directory when Name ends in "/", a symbolic link when Linkname is
	// set, and a regular file otherwise.
	Type byte
	// Mode is the permission bits with setuid (0o4000), setgid (0o2000)
	// and sticky (0o1000). Zero means 0o644, or 0o755 for a directory.
	Mode int64
	// UID and GID own the entry.
	UID, GID int
	// Content is a regular file's content.
	Content string
	// Size overrides the size written in the header of a regular file
	// (0 means len(Content)); with a larger size and less content the tar
	// is truncated, to test readers.
	Size int64
	// Linkname is the target of a symbolic or hard link.
	Linkname string
	// Devmajor and Devminor identify a device node.
	Devmajor, Devminor int64
	// Xattrs are extended attributes, written as PAX records
	// "SCHILY.xattr.<name>" (as umoci and Docker write them):
	// {"security.capability": "\x01\x00\x00\x02…"}.
	Xattrs map[string]string
}

// Layer is one layer of an image.
type Layer struct {
	// Entries are the tar entries, in order.
	Entries []Entry
	// Gzip compresses the layer.
	Gzip bool
	// Zstd compresses the layer with zstd (instead of gzip).
	Zstd bool
	// MediaType overrides the layer descriptor's media type (to write a
	// zstd or unknown layer, say). Empty means the OCI (or, for a Docker
	// image, Docker) layer type for the compression.
	MediaType string
	// Blob, when not nil, is stored as the layer's bytes as is; Entries
	// and Gzip are ignored. Its diff ID is its digest unless DiffID is set.
	Blob []byte
	// DiffID overrides the diff ID recorded in the config.
	DiffID string
}

// Image is an image to write, or a multi-platform index of images.
type Image struct {
	// Ref names the image: the org.opencontainers.image.ref.name
	// annotation of its index.json entry, or its RepoTag in a
	// docker-archive. Empty leaves the image unnamed.
	Ref string
	// Config is the image config. Its RootFS is filled in from Layers
	// when RootFS.DiffIDs is nil; os and architecture default to
	// linux/amd64 when both are empty.
	Config imagespec.Image
	// Layers are the image's layers, base first.
	Layers []Layer
	// Docker writes Docker schema 2 media types instead of OCI ones.
	Docker bool
	// Index, when set, makes this an image index (a multi-platform
	// image): one entry per element, whose descriptor's platform is the
	// element's Config platform. An element may itself have an Index: a
	// nested index. Config, Layers and Docker of an index are ignored.
	// Only layouts and OCI archives hold indexes.
	Index []Image
}

// Layout is a written OCI image layout.
type Layout struct {
	// Dir is the layout's directory.
	Dir string
	// Index is what index.json holds.
	Index imagespec.Index
	// Images are the images written, one per index.json entry, in order.
	Images []Written
}

// Written describes one written image or index.
type Written struct {
	// Descriptor is the image's (or index's) descriptor.
	Descriptor imagespec.Descriptor
	// Config and Layers are an image's config and layer descriptors.
	Config imagespec.Descriptor
	Layers []imagespec.Descriptor
	// DiffIDs are the layers' diff IDs, as in the config.
	DiffIDs []string
	// Index holds the entries of an index.
	Index []Written
}

// BlobPath returns the file that holds the blob d describes.
func (l *Layout) BlobPath(d imagespec.Descriptor) string {
	alg, hx, _ := strings.Cut(string(d.Digest), ":")
	return filepath.Join(l.Dir, "blobs", alg, hx)
}

// Digest returns the sha256 digest of b: "sha256:<hex>".
func Digest(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// setDigest stores s in a digest-typed field without naming its type.
func setDigest[T ~string](dst *T, s string) { *dst = T(s) }

// empty returns an empty, non-nil slice of S's type: "[]" in JSON.
func empty[S ~[]E, E any](S) S { return S{} }

// TarLayer returns the uncompressed tar stream of entries.
func TarLayer(entries []Entry) ([]byte, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		hdr := &tar.Header{
			Name:     e.Name,
			Typeflag: e.Type,
			Mode:     e.Mode,
			Uid:      e.UID,
			Gid:      e.GID,
			Linkname: e.Linkname,
			Devmajor: e.Devmajor,
			Devminor: e.Devminor,
			Format:   tar.FormatPAX,
		}
		if hdr.Typeflag == 0 {
			switch {
			case strings.HasSuffix(e.Name, "/"):
				hdr.Typeflag = tar.TypeDir
			case e.Linkname != "":
				hdr.Typeflag = tar.TypeSymlink
			default:
				hdr.Typeflag = tar.TypeReg
			}
		}
		if hdr.Mode == 0 {
			hdr.Mode = 0o644
			if hdr.Typeflag == tar.TypeDir {
				hdr.Mode = 0o755
			}
		}
		if hdr.Typeflag == tar.TypeReg {
			hdr.Size = int64(len(e.Content))
			if e.Size != 0 {
				hdr.Size = e.Size
			}
		}
		if len(e.Xattrs) > 0 {
			hdr.PAXRecords = make(map[string]string)
			for k, v := range e.Xattrs {
				hdr.PAXRecords["SCHILY.xattr."+k] = v
			}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("imagetest: %s: %w", e.Name, err)
		}
		if hdr.Typeflag == tar.TypeReg {
			if _, err := tw.Write([]byte(e.Content)); err != nil {
				return nil, fmt.Errorf("imagetest: %s: %w", e.Name, err)
			}
			if hdr.Size > int64(len(e.Content)) {
				// Truncated on purpose: stop here, without padding or end marker.
				tw.Flush() //nolint:errcheck // reports the short write we want
				return buf.Bytes(), nil
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("imagetest: %w", err)
	}
	return buf.Bytes(), nil
}

// Gzip compresses b.
func Gzip(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b) //nolint:errcheck // writes to a bytes.Buffer do not fail
	zw.Close()  //nolint:errcheck
	return buf.Bytes()
}

// Zstd compresses b with zstd, as containerd and Docker write zstd layers
// (klauspost/compress's encoder at its default level).
func Zstd(b []byte) []byte {
	zw, err := zstd.NewWriter(nil)
	if err != nil {
		panic("imagetest: " + err.Error()) // only for bad options
	}
	defer zw.Close()
	return zw.EncodeAll(b, nil)
}

// LayerBlob returns a layer's stored bytes and its diff ID.
func LayerBlob(l Layer) (blob []byte, diffID string, err error) {
	if l.Blob != nil {
		diffID = Digest(l.Blob)
		if l.DiffID != "" {
			diffID = l.DiffID
		}
		return l.Blob, diffID, nil
	}
	raw, err := TarLayer(l.Entries)
	if err != nil {
		return nil, "", err
	}
	diffID = Digest(raw)
	if l.DiffID != "" {
		diffID = l.DiffID
	}
	switch {
	case l.Zstd:
		return Zstd(raw), diffID, nil
	case l.Gzip:
		return Gzip(raw), diffID, nil
	}
	return raw, diffID, nil
}

func layerMediaType(l Layer, docker bool) string {
	switch {
	case l.MediaType != "":
		return l.MediaType
	case docker && l.Zstd:
		return "application/vnd.docker.image.rootfs.diff.tar.zstd"
	case l.Zstd:
		return imagespec.MediaTypeImageLayerZstd
	case docker && l.Gzip:
		return "application/vnd.docker.image.rootfs.diff.tar.gzip"
	case docker:
		return "application/vnd.docker.image.rootfs.diff.tar"
	case l.Gzip:
		return imagespec.MediaTypeImageLayerGzip
	}
	return imagespec.MediaTypeImageLayer
}

// blobWriter writes content-addressed blobs somewhere.
type blobWriter func(name string, data []byte) error

// writeBlob stores data as a blob and returns its descriptor.
func writeBlob(w blobWriter, mediaType string, data []byte) (imagespec.Descriptor, error) {
	d := imagespec.Descriptor{MediaType: mediaType, Size: int64(len(data))}
	dg := Digest(data)
	setDigest(&d.Digest, dg)
	return d, w("blobs/sha256/"+strings.TrimPrefix(dg, "sha256:"), data)
}

// config fills in an image's config and returns it with the layer blobs.
func config(img Image) (imagespec.Image, [][]byte, []string, error) {
	cfg := img.Config
	if cfg.OS == "" && cfg.Architecture == "" {
		cfg.OS, cfg.Architecture = "linux", "amd64"
	}
	var blobs [][]byte
	var diffIDs []string
	for i, l := range img.Layers {
		blob, diffID, err := LayerBlob(l)
		if err != nil {
			return cfg, nil, nil, fmt.Errorf("layer %d: %w", i, err)
		}
		blobs = append(blobs, blob)
		diffIDs = append(diffIDs, diffID)
	}
	if cfg.RootFS.DiffIDs == nil {
		cfg.RootFS.Type = "layers"
		cfg.RootFS.DiffIDs = empty(cfg.RootFS.DiffIDs)
		for _, id := range diffIDs {
			var d imagespec.Descriptor
			setDigest(&d.Digest, id)
			cfg.RootFS.DiffIDs = append(cfg.RootFS.DiffIDs, d.Digest)
		}
	}
	return cfg, blobs, diffIDs, nil
}

// writeImage writes an image's or index's blobs and returns its descriptor.
func writeImage(w blobWriter, img Image) (Written, error) {
	if img.Index != nil {
		idx := imagespec.Index{MediaType: imagespec.MediaTypeImageIndex}
		idx.SchemaVersion = 2
		var out Written
		for i, sub := range img.Index {
			ws, err := writeImage(w, sub)
			if err != nil {
				return out, fmt.Errorf("index entry %d: %w", i, err)
			}
			if sub.Index == nil {
				p := sub.Config.Platform
				if p.OS == "" && p.Architecture == "" {
					p.OS, p.Architecture = "linux", "amd64"
				}
				ws.Descriptor.Platform = &p
			}
			out.Index = append(out.Index, ws)
			idx.Manifests = append(idx.Manifests, ws.Descriptor)
		}
		data, err := json.Marshal(idx)
		if err != nil {
			return out, err
		}
		out.Descriptor, err = writeBlob(w, imagespec.MediaTypeImageIndex, data)
		return out, err
	}
	cfg, blobs, diffIDs, err := config(img)
	if err != nil {
		return Written{}, err
	}
	out := Written{DiffIDs: diffIDs}
	cfgType, manType := imagespec.MediaTypeImageConfig, imagespec.MediaTypeImageManifest
	if img.Docker {
		cfgType, manType = "application/vnd.docker.container.image.v1+json", "application/vnd.docker.distribution.manifest.v2+json"
	}
	m := imagespec.Manifest{MediaType: manType}
	m.SchemaVersion = 2
	for i, blob := range blobs {
		d, err := writeBlob(w, layerMediaType(img.Layers[i], img.Docker), blob)
		if err != nil {
			return out, err
		}
		m.Layers = append(m.Layers, d)
	}
	out.Layers = m.Layers
	data, err := json.Marshal(cfg)
	if err != nil {
		return out, err
	}
	if m.Config, err = writeBlob(w, cfgType, data); err != nil {
		return out, err
	}
	out.Config = m.Config
	if data, err = json.Marshal(m); err != nil {
		return out, err
	}
	out.Descriptor, err = writeBlob(w, manType, data)
	return out, err
}

// WriteLayout writes an OCI image layout holding images into dir (created
// if needed), one index.json entry per image.
func WriteLayout(dir string, images ...Image) (*Layout, error) {
	w := func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, data, 0o644)
	}
	lay := &Layout{Dir: dir, Index: imagespec.Index{MediaType: imagespec.MediaTypeImageIndex}}
	lay.Index.SchemaVersion = 2
	lay.Index.Manifests = []imagespec.Descriptor{}
	for i, img := range images {
		ws, err := writeImage(w, img)
		if err != nil {
			return nil, fmt.Errorf("imagetest: image %d: %w", i, err)
		}
		if img.Ref != "" {
			ws.Descriptor.Annotations = map[string]string{imagespec.AnnotationRefName: img.Ref}
		}
		lay.Images = append(lay.Images, ws)
		lay.Index.Manifests = append(lay.Index.Manifests, ws.Descriptor)
	}
	data, err := json.Marshal(lay.Index)
	if err != nil {
		return nil, err
	}
	if err := w("index.json", data); err != nil {
		return nil, err
	}
	layout, _ := json.Marshal(imagespec.ImageLayout{Version: imagespec.ImageLayoutVersion})
	if err := w(imagespec.ImageLayoutFile, layout); err != nil {
		return nil, err
	}
	return lay, nil
}

// WriteOCIArchive writes an OCI archive — a tar of an OCI image layout,
// as `skopeo copy … oci-archive:` writes it — to file. The layout is
// built in a sibling directory named file + ".layout", which the returned
// Layout describes; remove it when done if it matters.
func WriteOCIArchive(file string, images ...Image) (*Layout, error) {
	lay, err := WriteLayout(file+".layout", images...)
	if err != nil {
		return nil, err
	}
	return lay, TarDir(lay.Dir, file)
}

// TarDir writes the files under dir, in lexical order, to a tar file
// (regular files and directories only), with names relative to dir. Use it
// to archive a layout a test has altered.
func TarDir(dir, file string) error {
	var names []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	slices.Sort(names)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(f)
	for _, p := range names {
		fi, err := os.Lstat(p)
		if err != nil {
			f.Close()
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		hdr := &tar.Header{Name: filepath.ToSlash(rel), Mode: 0o644, Typeflag: tar.TypeReg, Size: fi.Size()}
		if fi.IsDir() {
			hdr = &tar.Header{Name: filepath.ToSlash(rel) + "/", Mode: 0o755, Typeflag: tar.TypeDir}
		}
		if err := tw.WriteHeader(hdr); err != nil {
			f.Close()
			return err
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(p)
			if err != nil {
				f.Close()
				return err
			}
			if _, err := tw.Write(data); err != nil {
				f.Close()
				return err
			}
		}
	}
	if err := tw.Close(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// DockerManifest is one entry of a docker-archive's manifest.json.
type DockerManifest struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// WriteDockerArchive writes a docker-archive — the format of `docker
// save` before Docker 25: manifest.json, <config-hex>.json and
// <diff-id-hex>/layer.tar per layer — holding images to file. An image's
// Ref is its RepoTag; layers are stored as their blobs (uncompressed
// unless Gzip is set, which `docker load` accepts too). Layers shared by
// images are stored once. Indexes are not allowed. It returns the
// manifest.json it wrote.
func WriteDockerArchive(file string, images ...Image) ([]DockerManifest, error) {
	files := map[string][]byte{}
	var order []string
	add := func(name string, data []byte) {
		if _, ok := files[name]; !ok {
			order = append(order, name)
		}
		files[name] = data
	}
	var manifest []DockerManifest
	for i, img := range images {
		if img.Index != nil {
			return nil, fmt.Errorf("imagetest: image %d: a docker-archive holds no index", i)
		}
		cfg, blobs, diffIDs, err := config(img)
		if err != nil {
			return nil, fmt.Errorf("imagetest: image %d: %w", i, err)
		}
		m := DockerManifest{}
		if img.Ref != "" {
			m.RepoTags = []string{img.Ref}
		}
		for j, blob := range blobs {
			name := path.Join(strings.TrimPrefix(diffIDs[j], "sha256:"), "layer.tar")
			if strings.HasPrefix(diffIDs[j], "sha256:") && len(diffIDs[j]) > len("sha256:") {
				add(name, blob)
			} else {
				name = fmt.Sprintf("layer%d-%d/layer.tar", i, j)
				add(name, blob)
			}
			m.Layers = append(m.Layers, name)
		}
		data, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		m.Config = strings.TrimPrefix(Digest(data), "sha256:") + ".json"
		add(m.Config, data)
		manifest = append(manifest, m)
	}
	data, err := json.Marshal(manifest)
	if err != nil {
		return nil, err
	}
	add("manifest.json", data)
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(f)
	dirs := map[string]bool{}
	for _, name := range order {
		if dir := path.Dir(name); dir != "." && !dirs[dir] {
			dirs[dir] = true
			if err := tw.WriteHeader(&tar.Header{Name: dir + "/", Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
				f.Close()
				return nil, err
			}
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(files[name]))}); err != nil {
			f.Close()
			return nil, err
		}
		if _, err := tw.Write(files[name]); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		f.Close()
		return nil, err
	}
	return manifest, f.Close()
}
