package ociimage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	imagespec "github.com/opencontainers/image-spec/specs-go/v1"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/internal/jsondepth"
)

// Media types the loader reads besides the OCI ones in image-spec.
const (
	mediaTypeDockerManifest     = "application/vnd.docker.distribution.manifest.v2+json"
	mediaTypeDockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
	mediaTypeDockerConfig       = "application/vnd.docker.container.image.v1+json"
	mediaTypeDockerLayer        = "application/vnd.docker.image.rootfs.diff.tar"
	mediaTypeDockerLayerGzip    = "application/vnd.docker.image.rootfs.diff.tar.gzip"
	mediaTypeDockerLayerZstd    = "application/vnd.docker.image.rootfs.diff.tar.zstd"
	mediaTypeDockerForeignGzip  = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
	mediaTypeDockerSchema1      = "application/vnd.docker.distribution.manifest.v1+json"
	mediaTypeDockerSchema1JWS   = "application/vnd.docker.distribution.manifest.v1+prettyjws"
)

func isIndexType(mt string) bool {
	return mt == imagespec.MediaTypeImageIndex || mt == mediaTypeDockerManifestList
}

func isManifestType(mt string) bool {
	return mt == imagespec.MediaTypeImageManifest || mt == mediaTypeDockerManifest
}

func checkLayerType(mt string) error {
	switch mt {
	case imagespec.MediaTypeImageLayer, imagespec.MediaTypeImageLayerGzip,
		imagespec.MediaTypeImageLayerNonDistributable, imagespec.MediaTypeImageLayerNonDistributableGzip, //nolint:staticcheck // still found in images
		imagespec.MediaTypeImageLayerZstd, imagespec.MediaTypeImageLayerNonDistributableZstd, //nolint:staticcheck
		mediaTypeDockerLayer, mediaTypeDockerLayerGzip, mediaTypeDockerForeignGzip, mediaTypeDockerLayerZstd:
		return nil
	}
	return fmt.Errorf("%w layer media type %q", ErrUnsupported, clip(mt))
}

// maxIndexDepth bounds nested indexes.
const maxIndexDepth = 8

// image loads the images of one layout or archive into r.
type imageLoader struct {
	opts   *Options
	source string  // the path as the user gave it, without :REF
	ref    string  // the only image to load, or "" for all
	st     store   // a layout or archive, or
	fetch  Fetcher // where the blobs of a remote image come from
	r      *hardening.Result
	// budget is what is left of Options.MaxTotalLayerSize for this source,
	// shared by all its images; nil until the first layer.
	budget *int64
	// progress reports the reading of the current image's layers.
	progress *progress
	// sink, when set, takes r after each image, so that an audit stream
	// holds one image at a time, and says when to stop.
	sink *Sink
}

// Sink receives the images of a source one at a time, so that an audit
// stream holds one image at a time, and says when to stop.
type Sink struct {
	// Ctx ends the reading: it is checked between images and layers, and
	// within layers. Nil never ends.
	Ctx context.Context
	// Flush takes the subjects, errors and skipped entries of r after each
	// image, which the loader then empties.
	Flush func(r *hardening.Result)
}

// flush hands what r holds to the sink, if there is one.
func (l *imageLoader) flush() {
	if l.sink == nil || (len(l.r.Subjects) == 0 && len(l.r.Errors) == 0 && len(l.r.Skipped) == 0) {
		return
	}
	l.sink.Flush(l.r)
	l.r.Subjects, l.r.Errors, l.r.Skipped = l.r.Subjects[:0], l.r.Errors[:0], l.r.Skipped[:0]
}

// canceled returns the sink's context's error, if any.
func (l *imageLoader) canceled() error {
	if l.sink == nil || l.sink.Ctx == nil {
		return nil
	}
	return l.sink.Ctx.Err()
}

// layerReader makes a layer's reader stop when the sink's context ends.
func (l *imageLoader) layerReader(r io.Reader) io.Reader {
	if l.sink == nil || l.sink.Ctx == nil || l.sink.Ctx.Done() == nil {
		return r
	}
	return &ctxReader{ctx: l.sink.Ctx, r: r}
}

// ctxReader reads from r until ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// merger returns a merger for one image, drawing on the source's budget of
// uncompressed layer bytes.
func (l *imageLoader) merger() *merger {
	if l.budget == nil {
		left := l.opts.MaxTotalLayerSize
		if left <= 0 {
			left = DefaultMaxTotalLayerSize
		}
		l.budget = &left
	}
	mg := newMerger(l.opts)
	mg.budget = l.budget
	return mg
}

func (l *imageLoader) failSource(err error) {
	l.r.Errors = append(l.r.Errors, &hardening.DocumentError{Source: l.source, Document: -1, Err: err})
}

func fileError(r *hardening.Result, source string, err error) {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	r.Errors = append(r.Errors, &hardening.DocumentError{Source: source, Document: -1, Err: err})
}

func (l *imageLoader) fail(doc int, label string, err error) {
	if label != "" {
		err = fmt.Errorf("image %s: %w", label, err)
	}
	l.r.Errors = append(l.r.Errors, &hardening.DocumentError{Source: l.source, Document: doc, Err: err})
}

// readJSON reads a small JSON file of the store into v, within the
// document limits. When digest is set the content is verified against it
// and size.
func (l *imageLoader) readJSON(name, digest string, size int64, v ...any) error {
	if digest != "" && size > int64(l.opts.MaxDocumentSize) {
		return fmt.Errorf("%w: %s is %d bytes, larger than the %d-byte limit (Options.MaxDocumentSize)", ErrTooLarge, name, size, l.opts.MaxDocumentSize)
	}
	rc, _, err := l.st.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	return l.decodeVerified(rc, name, digest, size, v...)
}

// decodeVerified reads the JSON content of rc, named name in errors, into
// v within the document limits, verifying it against digest and size when
// digest is set.
func (l *imageLoader) decodeVerified(rc io.Reader, name, digest string, size int64, v ...any) error {
	var r io.Reader = rc
	var ver *verifier
	var err error
	if digest != "" {
		if ver, err = newVerifier(rc, digest, size); err != nil {
			return err
		}
		r = ver
	}
	data, err := io.ReadAll(io.LimitReader(r, int64(l.opts.MaxDocumentSize)+1))
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(data) > l.opts.MaxDocumentSize {
		return fmt.Errorf("%w: %s is larger than the %d-byte limit (Options.MaxDocumentSize)", ErrTooLarge, name, l.opts.MaxDocumentSize)
	}
	if ver != nil {
		if err := ver.finish(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return decodeJSON(l.opts, name, data, v...)
}

// decodeJSON decodes data into every one of v.
func decodeJSON(opts *Options, name string, data []byte, v ...any) error {
	if depth := jsondepth.Depth(data, opts.MaxDepth); depth > opts.MaxDepth {
		return fmt.Errorf("%s: %w: more than %d levels of maps and arrays (Options.MaxDepth)", name, ErrTooDeep, opts.MaxDepth)
	}
	for _, v := range v {
		if err := json.Unmarshal(data, v); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// dockerExt holds what Docker's image config has and image-spec's lacks.
type dockerExt struct {
	Config struct {
		Healthcheck *hardening.ImageHealthcheck `json:"Healthcheck"`
	} `json:"config"`
}

// readBlobJSON reads the JSON blob a descriptor names: a manifest or
// index when manifest is set, a config otherwise.
func (l *imageLoader) readBlobJSON(d imagespec.Descriptor, manifest bool, v ...any) error {
	name, err := blobName(string(d.Digest))
	if err != nil {
		return err
	}
	if l.fetch == nil {
		return l.readJSON(name, string(d.Digest), d.Size, v...)
	}
	if d.Size > int64(l.opts.MaxDocumentSize) {
		return fmt.Errorf("%w: %s is %d bytes, larger than the %d-byte limit (Options.MaxDocumentSize)", ErrTooLarge, d.Digest, d.Size, l.opts.MaxDocumentSize)
	}
	if d.Size < 0 {
		return fmt.Errorf("negative size %d", d.Size)
	}
	rc, err := l.fetch.Fetch(l.ctx(), d, manifest)
	if err != nil {
		return err
	}
	defer rc.Close()
	return l.decodeVerified(rc, string(d.Digest), string(d.Digest), d.Size, v...)
}

// ctx is the sink's context, or the background.
func (l *imageLoader) ctx() context.Context {
	if l.sink == nil || l.sink.Ctx == nil {
		return context.Background()
	}
	return l.sink.Ctx
}

// platform is a parsed Options.Platform.
type platform struct{ os, arch, variant string }

func parsePlatform(s string) (platform, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return platform{}, fmt.Errorf("Options.Platform %q: want os/architecture[/variant]", s)
	}
	p := platform{os: parts[0], arch: parts[1]}
	if len(parts) == 3 {
		p.variant = parts[2]
	}
	return p, nil
}

// matches reports whether an index entry's platform is the wanted one.
// A wanted platform without variant takes any variant; arm64's variant
// "v8" is its default and matches no variant.
func (p platform) matches(q *imagespec.Platform) bool {
	if q == nil || q.OS != p.os || q.Architecture != p.arch {
		return false
	}
	if p.variant == "" {
		return true
	}
	v := q.Variant
	if p.arch == "arm64" && v == "" {
		v = "v8"
	}
	want := p.variant
	if p.arch == "arm64" && want == "" {
		want = "v8"
	}
	return v == want
}

func (p platform) String() string {
	if p.variant == "" {
		return p.os + "/" + p.arch
	}
	return p.os + "/" + p.arch + "/" + p.variant
}

func platformString(q *imagespec.Platform) string {
	if q == nil {
		return "no platform"
	}
	s := q.OS + "/" + q.Architecture
	if q.Variant != "" {
		s += "/" + q.Variant
	}
	return s
}

// loadLayout loads the images of an OCI image layout.
func (l *imageLoader) loadLayout() {
	var lay struct {
		Version *string `json:"imageLayoutVersion"`
	}
	if err := l.readJSON(imagespec.ImageLayoutFile, "", 0, &lay); err != nil {
		l.failSource(fmt.Errorf("OCI image layout: %w", err))
		return
	}
	if lay.Version == nil || !strings.HasPrefix(*lay.Version, "1.") {
		v := "none"
		if lay.Version != nil {
			v = strconv.Quote(clip(*lay.Version))
		}
		l.failSource(fmt.Errorf("%w OCI image layout version %s (want 1.x)", ErrUnsupported, v))
		return
	}
	var index imagespec.Index
	if err := l.readJSON("index.json", "", 0, &index); err != nil {
		l.failSource(fmt.Errorf("OCI image layout: %w", err))
		return
	}
	if index.MediaType != "" && index.MediaType != imagespec.MediaTypeImageIndex {
		l.failSource(fmt.Errorf("OCI image layout: index.json: %w media type %q", ErrUnsupported, clip(index.MediaType)))
		return
	}
	plat, err := parsePlatform(l.opts.Platform)
	if err != nil {
		l.failSource(err)
		return
	}
	var refs []string
	found := false
	for i, d := range index.Manifests {
		ref := d.Annotations[imagespec.AnnotationRefName]
		refs = append(refs, ref)
		if l.ref != "" && ref != l.ref {
			continue
		}
		found = true
		if err := l.canceled(); err != nil {
			l.failSource(err)
			return
		}
		name, label := l.source, ref
		switch {
		case ref != "":
			name = l.source + ":" + ref
		case len(index.Manifests) > 1:
			name = l.source + "@" + string(d.Digest)
			label = string(d.Digest)
		default:
			label = string(d.Digest)
		}
		if !l.entry(i, d, name, clip(label), ref, plat) {
			return
		}
	}
	if !found {
		l.noRef(refs)
	}
}

// entry loads the image (or, with Options.AllPlatforms, the images) one
// descriptor names: an image manifest, or an index resolved to the image
// for plat. name names its subjects, label it in errors, ref is their
// Subject.ImageRef and doc their Document. It reports false when the
// reading was canceled.
func (l *imageLoader) entry(doc int, d imagespec.Descriptor, name, label, ref string, plat platform) bool {
	if !l.opts.AllPlatforms {
		s, err := safely(func() (*hardening.Subject, error) { return l.ociImage(d, plat) })
		l.add(s, err, doc, name, label, ref)
		return true
	}
	var images []resolved
	_, err := safely(func() (*hardening.Subject, error) {
		var err error
		images, err = l.resolveAll(d, 0, map[string]bool{})
		return nil, err
	})
	if err == nil && len(images) == 0 {
		err = fmt.Errorf("%w: the index holds no image", ErrNoPlatform)
	}
	if err != nil {
		l.add(nil, err, doc, name, label, ref)
		return true
	}
	for _, im := range images {
		if err := l.canceled(); err != nil {
			l.failSource(err)
			return false
		}
		s, err := safely(func() (*hardening.Subject, error) { return l.manifest(im.d, im.mt) })
		pname, plabel := name, label
		if im.platform != "" {
			pname += " (" + im.platform + ")"
			plabel = strings.TrimSpace(label + " (" + im.platform + ")")
		}
		l.add(s, err, doc, pname, plabel, ref)
	}
	return true
}

// add records one image's subject, or its error, and flushes it.
func (l *imageLoader) add(s *hardening.Subject, err error, doc int, name, label, ref string) {
	if err != nil {
		l.fail(doc, label, err)
	} else {
		if p, ok := l.fetch.(Provenancer); ok && s.ImageDigest != "" {
			// What is attached to the image is information about it: a
			// lookup that fails leaves it unknown, not the image unread.
			s.ImageProvenance, _ = p.Provenance(l.ctx(), s.ImageDigest)
		}
		s.Name, s.ImageRef, s.Source, s.Document = name, ref, l.source, doc
		l.r.Subjects = append(l.r.Subjects, s)
	}
	l.flush()
}

// resolved is an image manifest found through indexes.
type resolved struct {
	d        imagespec.Descriptor
	mt       string
	platform string // its index entry's platform, "" when d was named directly
}

// resolveAll follows d through indexes to every image manifest they name,
// each once, for Options.AllPlatforms. Entries whose platform is
// unknown/unknown are skipped: BuildKit's attestation manifests, which are
// no images. An index is read once however often it is named.
func (l *imageLoader) resolveAll(d imagespec.Descriptor, depth int, seen map[string]bool) ([]resolved, error) {
	mt, err := l.mediaType(d)
	if err != nil {
		return nil, err
	}
	switch {
	case isManifestType(mt):
		return []resolved{{d: d, mt: mt}}, nil
	case isIndexType(mt):
	case mt == mediaTypeDockerSchema1 || mt == mediaTypeDockerSchema1JWS:
		return nil, fmt.Errorf("%w: Docker schema 1 manifest %s (convert the image to schema 2 or OCI)", ErrUnsupported, d.Digest)
	default:
		return nil, fmt.Errorf("%w media type %q for %s: not an image manifest or index", ErrUnsupported, clip(mt), d.Digest)
	}
	if depth >= maxIndexDepth {
		return nil, fmt.Errorf("%w: indexes nested more than %d deep", ErrTooDeep, maxIndexDepth)
	}
	if seen[string(d.Digest)] {
		return nil, nil
	}
	seen[string(d.Digest)] = true
	var idx imagespec.Index
	if err := l.readBlobJSON(d, true, &idx); err != nil {
		return nil, fmt.Errorf("index %s: %w", d.Digest, err)
	}
	var out []resolved
	for _, m := range idx.Manifests {
		if m.Platform != nil && m.Platform.OS == "unknown" {
			continue
		}
		if seen[string(m.Digest)] {
			continue
		}
		found, err := l.resolveAll(m, depth+1, seen)
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", d.Digest, err)
		}
		for _, f := range found {
			if f.platform == "" {
				seen[string(f.d.Digest)] = true
				f.platform = string(f.d.Digest)
				if m.Platform != nil {
					f.platform = platformString(m.Platform)
				}
			}
			out = append(out, f)
		}
	}
	return out, nil
}

func (l *imageLoader) noRef(refs []string) {
	if l.ref == "" {
		return // an empty layout holds no image, which is no error
	}
	var named []string
	for _, r := range refs {
		if r != "" {
			named = append(named, strconv.Quote(r))
		}
	}
	if len(named) == 0 {
		l.failSource(fmt.Errorf("no image named %q: the images are not named", l.ref))
		return
	}
	l.failSource(fmt.Errorf("no image named %q (names: %s)", l.ref, strings.Join(named, ", ")))
}

// safely runs f, turning a panic into an error: the loader reads hostile
// input and must never take its caller down.
func safely(f func() (*hardening.Subject, error)) (s *hardening.Subject, err error) {
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("internal error: image loader panicked: %v", v)
		}
	}()
	return f()
}

// ociImage resolves a descriptor of index.json to an image subject.
func (l *imageLoader) ociImage(d imagespec.Descriptor, plat platform) (*hardening.Subject, error) {
	m, mt, err := l.resolvePlatform(d, plat)
	if err != nil {
		return nil, err
	}
	return l.manifest(m, mt)
}

// resolvePlatform follows d through indexes to the image manifest for
// plat; an error names the platforms the indexes have.
func (l *imageLoader) resolvePlatform(d imagespec.Descriptor, plat platform) (imagespec.Descriptor, string, error) {
	s := &platformSearch{searched: make(map[string]bool)}
	m, mt, err := l.resolve(d, plat, 0, s)
	if errors.Is(err, ErrNoPlatform) {
		have := s.have
		slices.Sort(have)
		have = slices.Compact(have)
		if len(have) == 0 {
			return m, "", fmt.Errorf("%w %s", ErrNoPlatform, plat)
		}
		return m, "", fmt.Errorf("%w %s (the index has %s; set Options.Platform)", ErrNoPlatform, plat, strings.Join(have, ", "))
	}
	return m, mt, err
}

// platformSearch is what resolve learns while it searches one image's
// indexes.
type platformSearch struct {
	have     []string        // the platforms seen
	searched map[string]bool // the indexes known to hold no image for the platform
}

// resolve follows d through indexes to the image manifest for plat,
// recording in s the platforms seen. An index is searched once: indexes
// may name one another many times over (each of n entries naming the same
// index, at every level), which would otherwise cost n^depth reads.
func (l *imageLoader) resolve(d imagespec.Descriptor, plat platform, depth int, s *platformSearch) (_ imagespec.Descriptor, _ string, err error) {
	mt, err := l.mediaType(d)
	if err != nil {
		return d, "", err
	}
	switch {
	case isManifestType(mt):
		return d, mt, nil
	case isIndexType(mt):
	case mt == mediaTypeDockerSchema1 || mt == mediaTypeDockerSchema1JWS:
		return d, "", fmt.Errorf("%w: Docker schema 1 manifest %s (convert the image to schema 2 or OCI)", ErrUnsupported, d.Digest)
	default:
		return d, "", fmt.Errorf("%w media type %q for %s: not an image manifest or index", ErrUnsupported, clip(mt), d.Digest)
	}
	if depth >= maxIndexDepth {
		return d, "", fmt.Errorf("%w: indexes nested more than %d deep", ErrTooDeep, maxIndexDepth)
	}
	// The index's content is its digest's, and any error but ErrNoPlatform
	// ends the search: an index found without the platform is so wherever
	// it is named again.
	if s.searched[string(d.Digest)] {
		return d, "", ErrNoPlatform
	}
	defer func() {
		if errors.Is(err, ErrNoPlatform) {
			s.searched[string(d.Digest)] = true
		}
	}()
	var idx imagespec.Index
	if err := l.readBlobJSON(d, true, &idx); err != nil {
		return d, "", fmt.Errorf("index %s: %w", d.Digest, err)
	}
	if len(idx.Manifests) == 1 && idx.Manifests[0].Platform == nil {
		return l.resolve(idx.Manifests[0], plat, depth+1, s)
	}
	for _, m := range idx.Manifests {
		if plat.matches(m.Platform) {
			r, mt, err := l.resolve(m, plat, depth+1, s)
			if err != nil && !errors.Is(err, ErrNoPlatform) {
				err = fmt.Errorf("index %s: %w", d.Digest, err)
			}
			return r, mt, err
		}
		if m.Platform != nil && m.Platform.OS != "unknown" {
			s.have = append(s.have, platformString(m.Platform))
		}
	}
	// Nested indexes without a platform may hold it.
	for _, m := range idx.Manifests {
		if m.Platform == nil && isIndexType(m.MediaType) {
			r, mt, err := l.resolve(m, plat, depth+1, s)
			if !errors.Is(err, ErrNoPlatform) {
				return r, mt, err
			}
		}
	}
	return d, "", ErrNoPlatform
}

// mediaType returns a descriptor's media type, reading it from the blob
// when the descriptor leaves it out.
func (l *imageLoader) mediaType(d imagespec.Descriptor) (string, error) {
	if d.MediaType != "" {
		return d.MediaType, nil
	}
	var probe struct {
		MediaType string          `json:"mediaType"`
		Manifests json.RawMessage `json:"manifests"`
		Layers    json.RawMessage `json:"layers"`
	}
	if err := l.readBlobJSON(d, true, &probe); err != nil {
		return "", fmt.Errorf("descriptor without mediaType: %w", err)
	}
	switch {
	case probe.MediaType != "":
		return probe.MediaType, nil
	case probe.Manifests != nil:
		return imagespec.MediaTypeImageIndex, nil
	case probe.Layers != nil:
		return imagespec.MediaTypeImageManifest, nil
	}
	return "", fmt.Errorf("%s: no mediaType, and neither an index nor a manifest", d.Digest)
}

// config reads an image manifest and its config.
func (l *imageLoader) config(d imagespec.Descriptor, mt string) (imagespec.Manifest, *imagespec.Image, dockerExt, error) {
	var m imagespec.Manifest
	var img imagespec.Image
	var ext dockerExt
	if err := l.readBlobJSON(d, true, &m); err != nil {
		return m, nil, ext, fmt.Errorf("manifest %s: %w", d.Digest, err)
	}
	if m.MediaType != "" && m.MediaType != mt {
		return m, nil, ext, fmt.Errorf("manifest %s: its mediaType %q is not its descriptor's %q", d.Digest, clip(m.MediaType), mt)
	}
	switch m.Config.MediaType {
	case imagespec.MediaTypeImageConfig, mediaTypeDockerConfig:
	default:
		return m, nil, ext, fmt.Errorf("manifest %s: %w config media type %q: not a container image", d.Digest, ErrUnsupported, clip(m.Config.MediaType))
	}
	if err := l.readBlobJSON(m.Config, false, &img, &ext); err != nil {
		return m, nil, ext, fmt.Errorf("config %s: %w", m.Config.Digest, err)
	}
	return m, &img, ext, nil
}

// manifest loads an image manifest, its config and its layers.
func (l *imageLoader) manifest(d imagespec.Descriptor, mt string) (*hardening.Subject, error) {
	m, img, ext, err := l.config(d, mt)
	if err != nil {
		return nil, err
	}
	if len(img.RootFS.DiffIDs) != len(m.Layers) {
		return nil, fmt.Errorf("manifest %s lists %d layers, its config's rootfs.diff_ids %d", d.Digest, len(m.Layers), len(img.RootFS.DiffIDs))
	}
	mg := l.merger()
	var total int64
	for _, ld := range m.Layers {
		total += max(ld.Size, 0)
	}
	l.progress = &progress{report: l.opts.Progress, p: Progress{Source: l.source, Layers: len(m.Layers), Total: total}}
	defer func() {
		l.progress.done() // also when the image failed
		l.progress = nil
	}()
	for i, ld := range m.Layers {
		if err := l.canceled(); err != nil {
			return nil, err
		}
		l.progress.p.Layer = i
		if err := l.ociLayer(mg, ld, i, string(img.RootFS.DiffIDs[i])); err != nil {
			return nil, fmt.Errorf("layer %d %s: %w", i, ld.Digest, err)
		}
	}
	contents := mg.contents()
	return &hardening.Subject{Kind: hardening.KindImage, Image: img, ImageContents: contents, Unobserved: contents.Unread(),
		ImageConfigMediaType: m.Config.MediaType, ImageHealthcheck: ext.Config.Healthcheck, ImageDigest: string(d.Digest)}, nil
}

func (l *imageLoader) ociLayer(mg *merger, d imagespec.Descriptor, i int, diffID string) error {
	if err := checkLayerType(d.MediaType); err != nil {
		return err
	}
	name, err := blobName(string(d.Digest))
	if err != nil {
		return err
	}
	var rc io.ReadCloser
	if l.fetch != nil {
		if d.Size < 0 {
			return fmt.Errorf("negative size %d", d.Size)
		}
		rc, err = l.fetch.Fetch(l.ctx(), d, false)
	} else {
		rc, _, err = l.st.open(name)
		if err != nil && len(d.URLs) > 0 {
			err = fmt.Errorf("non-distributable layer not in the layout: %w", err)
		}
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	v, err := newVerifier(l.progress.reader(l.layerReader(rc)), string(d.Digest), d.Size)
	if err != nil {
		return err
	}
	return mg.scan(layerBlob{r: v, v: v, id: string(d.Digest), mediaType: d.MediaType, diffID: diffID}, i)
}

// dockerEntry is one image of a docker-archive's manifest.json.
type dockerEntry struct {
	Config   string
	RepoTags []string
	Layers   []string
}

// loadDockerArchive loads the images of a `docker save` archive.
func (l *imageLoader) loadDockerArchive() {
	var entries []dockerEntry
	if err := l.readJSON("manifest.json", "", 0, &entries); err != nil {
		l.failSource(fmt.Errorf("docker archive: %w", err))
		return
	}
	var refs []string
	found := false
	for i, e := range entries {
		refs = append(refs, e.RepoTags...)
		ref := ""
		if len(e.RepoTags) > 0 {
			ref = e.RepoTags[0]
		}
		if l.ref != "" {
			if !slices.Contains(e.RepoTags, l.ref) {
				continue
			}
			ref = l.ref
		}
		found = true
		if err := l.canceled(); err != nil {
			l.failSource(err)
			return
		}
		label := ref
		if label == "" {
			label = e.Config
		}
		s, err := safely(func() (*hardening.Subject, error) { return l.dockerImage(e) })
		if err != nil {
			l.fail(i, clip(label), err)
			l.flush()
			continue
		}
		switch {
		case ref != "":
			s.Name = l.source + ":" + ref
		case len(entries) > 1:
			s.Name = l.source + "@" + s.Name
		default:
			s.Name = l.source
		}
		s.ImageRef, s.Source, s.Document = ref, l.source, i
		l.r.Subjects = append(l.r.Subjects, s)
		l.flush()
	}
	if !found {
		l.noRef(refs)
	}
}

// dockerImage loads one image of a docker-archive. It returns the subject
// with Name set to the config's digest.
func (l *imageLoader) dockerImage(e dockerEntry) (*hardening.Subject, error) {
	cfg, ok := archiveName(e.Config)
	if !ok {
		return nil, fmt.Errorf("config %q: not a file of the archive", clip(e.Config))
	}
	// The config's file name is its digest: "<hex>.json" (docker save
	// before 25) or "blobs/sha256/<hex>" (after).
	hexName := strings.TrimSuffix(path.Base(cfg), ".json")
	digest := ""
	if _, err := newHash("sha256:" + hexName); err == nil {
		digest = "sha256:" + hexName
	}
	size := int64(0)
	if digest != "" {
		rc, n, err := l.st.open(cfg)
		if err != nil {
			return nil, fmt.Errorf("config %s: %w", cfg, err)
		}
		rc.Close()
		size = n
	}
	var img imagespec.Image
	var ext dockerExt
	if err := l.readJSON(cfg, digest, size, &img, &ext); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(img.RootFS.DiffIDs) != len(e.Layers) {
		return nil, fmt.Errorf("manifest.json lists %d layers, the config's rootfs.diff_ids %d", len(e.Layers), len(img.RootFS.DiffIDs))
	}
	mg := l.merger()
	for i, name := range e.Layers {
		if err := l.canceled(); err != nil {
			return nil, err
		}
		diffID := string(img.RootFS.DiffIDs[i])
		if err := l.dockerLayer(mg, name, i, diffID); err != nil {
			return nil, fmt.Errorf("layer %d %s (%s): %w", i, clip(name), diffID, err)
		}
	}
	id := digest
	if id == "" {
		id = cfg
	}
	// A docker-archive holds Docker's image format.
	contents := mg.contents()
	return &hardening.Subject{Name: id, Kind: hardening.KindImage, Image: &img, ImageContents: contents, Unobserved: contents.Unread(),
		ImageConfigMediaType: mediaTypeDockerConfig, ImageHealthcheck: ext.Config.Healthcheck}, nil
}

func (l *imageLoader) dockerLayer(mg *merger, file string, i int, diffID string) error {
	name, ok := archiveName(file)
	if !ok {
		return errors.New("not a file of the archive")
	}
	if _, err := newHash(diffID); err != nil {
		return fmt.Errorf("rootfs.diff_ids[%d]: %w", i, err)
	}
	rc, _, err := l.st.open(name)
	if err != nil {
		return err
	}
	defer rc.Close()
	// A docker-archive layer is named by the digest of its uncompressed
	// content, which is all there is to verify it by.
	return mg.scan(layerBlob{r: l.layerReader(rc), id: diffID, diffID: diffID, hashDiff: true}, i)
}

// archiveKind tells the image archives apart by their content.
func archiveKind(st store) string {
	switch {
	case st.exists("manifest.json"):
		return "docker"
	case st.exists(imagespec.ImageLayoutFile) && st.exists("index.json"):
		return "oci"
	}
	return ""
}

// LoadArchive loads the images of a tar archive read in place (size bytes
// of ra) into r, handing each image to sink if it is not nil. source names
// the archive in subjects and errors; ref, when not empty, selects the one
// image to load. A tar archive found while walking a directory (walked)
// that holds no image is skipped, not an error.
func LoadArchive(opts *Options, r *hardening.Result, sink *Sink, source, ref string, ra io.ReaderAt, size int64, walked bool) {
	o := opts.WithDefaults()
	opts = &o
	l := &imageLoader{opts: opts, source: source, ref: ref, r: r, sink: sink}
	defer l.flush()
	defer func() {
		if v := recover(); v != nil {
			l.failSource(fmt.Errorf("internal error: archive reader panicked: %v", v))
		}
	}()
	st, err := indexTar(ra, size, *opts)
	if err != nil {
		l.failSource(err)
		return
	}
	l.st = st
	switch archiveKind(st) {
	case "docker":
		l.loadDockerArchive()
	case "oci":
		l.loadLayout()
	default:
		if walked {
			r.Skipped = append(r.Skipped, hardening.Skipped{Source: source, Kind: "tar archive without an image",
				Reason: "no manifest.json (docker save) nor oci-layout and index.json (OCI) in it"})
			return
		}
		l.failSource(errors.New("a tar archive, but not an image archive: no manifest.json (docker save) nor oci-layout and index.json (OCI)"))
	}
}

// IsLayoutDir reports whether dir holds an OCI image layout. Its
// oci-layout file may be a link out of the layout: that is a layout, and
// an error when it is read, not a directory to walk.
func IsLayoutDir(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, imagespec.ImageLayoutFile))
	return err == nil && fi.Mode().IsRegular()
}

// SniffFile reads the first 512 bytes of a regular file; ok is false for
// anything else.
func SniffFile(p string) ([]byte, bool) {
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, false
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	b := make([]byte, 512)
	n, _ := io.ReadFull(f, b)
	return b[:n], true
}

// LoadPath loads the OCI image layout directory or image archive file at p
// into r, handing each image to sink if it is not nil, and reports whether
// p was one. source, ref and walked are as for [LoadArchive].
func LoadPath(opts *Options, r *hardening.Result, sink *Sink, source, p, ref string, walked bool) bool {
	o := opts.WithDefaults()
	opts = &o
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	if fi.IsDir() {
		if !IsLayoutDir(p) {
			return false
		}
		st, err := openDirStore(p)
		if err != nil {
			fileError(r, source, err)
			return true
		}
		defer st.close()
		l := &imageLoader{opts: opts, source: source, ref: ref, r: r, st: st, sink: sink}
		defer l.flush()
		defer func() {
			if v := recover(); v != nil {
				l.failSource(fmt.Errorf("internal error: layout reader panicked: %v", v))
			}
		}()
		l.loadLayout()
		return true
	}
	head, ok := SniffFile(p)
	if !ok || !IsTar(head) {
		return false
	}
	f, err := os.Open(p)
	if err != nil {
		fileError(r, source, err)
		return true
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fileError(r, source, err)
		return true
	}
	LoadArchive(opts, r, sink, source, ref, f, st.Size(), walked)
	return true
}

// SplitRef splits "DIR:REF" or "ARCHIVE:REF" at the first colon whose left
// part is an existing image layout directory or image archive.
func SplitRef(p string) (base, ref string, ok bool) {
	for i := 0; i < len(p); i++ {
		if p[i] != ':' {
			continue
		}
		base, ref = p[:i], p[i+1:]
		if base == "" || ref == "" {
			continue
		}
		fi, err := os.Stat(base)
		if err != nil {
			continue
		}
		if fi.IsDir() && IsLayoutDir(base) {
			return base, ref, true
		}
		if head, ok := SniffFile(base); ok && IsTar(head) {
			return base, ref, true
		}
	}
	return "", "", false
}
