package images_test

import (
	"strconv"
	"testing"

	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/images"
	"github.com/bulwarkdev/bulwark/internal/checktest"
)

// BenchmarkPassingPod must report 0 allocs/op: a subject that passes costs
// nothing but the time to look at it. The hardened pod parses two image
// references and reads five environment variables.
func BenchmarkPassingPod(b *testing.B) {
	checktest.BenchPassing(b, images.Checks(), hardening.NewPodSubject(hardenedPod()))
}

// BenchmarkFailingPod is the baseline: an unpinned image and a literal
// password.
func BenchmarkFailingPod(b *testing.B) {
	checks := images.Checks()
	pod := hardenedPod()
	image("registry.example/app:1.2", "")(pod)
	env("DB_PASSWORD", "hunter2")(pod)
	s := hardening.NewPodSubject(pod)
	if out := checktest.Bench(b, checks, s); len(out) != 3 {
		b.Fatalf("careless pod: %d findings, want 3", len(out))
	}
}

// BenchmarkPassingImage must report 0 allocs/op: a careful image's config
// (17 history steps, labels, ports, env) and a distroless filesystem.
func BenchmarkPassingImage(b *testing.B) {
	checks := images.Checks()
	s := hardening.NewImageSubject("config.json", hardenedImage())
	s.ImageRef = "registry.example/app:1.4.2"
	s.ImageContents = distroless()
	checktest.BenchPassing(b, checks, s)
}

// BenchmarkPassingLargeImage reads a passing filesystem of 20,000 entries.
func BenchmarkPassingLargeImage(b *testing.B) {
	checks := images.Checks()
	s := hardening.NewImageSubject("config.json", hardenedImage())
	c := distroless()
	for i := range 20000 {
		c.Files = append(c.Files, f("/usr/lib/app/"+strconv.Itoa(i/100)+"/lib"+strconv.Itoa(i)+".so", 0o644, ""))
	}
	sortFiles(c)
	s.ImageContents = c
	checktest.BenchPassing(b, checks, s)
}

// BenchmarkStockImage is a distribution image: ten info findings.
func BenchmarkStockImage(b *testing.B) {
	checks := images.Checks()
	s := hardening.NewImageSubject("config.json", hardenedImage())
	s.ImageContents = debianLike()
	if out := checktest.Bench(b, checks, s); len(out) != 10 {
		b.Fatalf("stock image: %d findings, want 10", len(out))
	}
}
