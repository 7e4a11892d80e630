package registry

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	"github.com/bulwarkdev/bulwark/load"
)

// Pods get their containers' image configs: each reference resolved once,
// each manifest's config read once, no layer read; a finding that rests
// on a config resolved by tag says so, one resolved by digest does not;
// a reference that cannot be read leaves its container as it was.
func TestWorkloadImages(t *testing.T) {
	root := testImage("root")
	root.Config.Config.User = "" // runs as root
	var mu sync.Mutex
	requests := map[string]int{}
	lay, host := serve(t, func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		requests[r.URL.Path]++
		mu.Unlock()
		return false
	}, root, testImage("user"))
	rootDigest := string(lay.Images[0].Descriptor.Digest)
	manifest := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - {name: by-tag, image: HOST/shop/app:root}
      - {name: by-digest, image: "HOST/shop/app@DIGEST"}
      - {name: non-root, image: HOST/shop/app:user}
      - {name: unknown, image: HOST/shop/app:nope}
      - {name: again, image: HOST/shop/app:root}
---
apiVersion: v1
kind: Pod
metadata: {name: same-image}
spec:
  containers:
  - {name: c, image: HOST/shop/app:root}
`
	manifest = strings.NewReplacer("HOST", host, "DIGEST", rootDigest).Replace(manifest)
	c, err := New(hostileOptions(host))
	if err != nil {
		t.Fatal(err)
	}
	checks := bulwark.Checks().Select(hardening.Selection{Include: []string{"capabilities.runs-as-root"}})
	runner, err := hardening.NewRunner(checks, hardening.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wi := c.WorkloadImages(runner, WorkloadImagesOptions{Platform: "linux/amd64"})
	wi.now = func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) }
	loaded := load.Bytes(load.Options{}, "deploy.yaml", []byte(manifest))
	if len(loaded.Errors) > 0 || len(loaded.Subjects) != 2 {
		t.Fatalf("load: %v", loaded.Errors)
	}
	findings := bulwark.Audit(wi, loaded.Subjects...)
	var got []string
	for _, f := range findings {
		got = append(got, f.Container+": "+f.Message)
	}
	caveat := "; the image config was read from the registry by tag (" + host + "/shop/app:root named " + rootDigest +
		" at 2026-12-07T10:00:00Z): a node may have pulled another image under this tag"
	want := []string{
		`by-tag: container "by-tag" sets no runAsUser and its image "` + host + `/shop/app:root" has USER "" (unset), so it runs as root` + caveat,
		`by-digest: container "by-digest" sets no runAsUser and its image "` + host + `/shop/app@` + rootDigest + `" has USER "" (unset), so it runs as root`,
		`again: container "again" sets no runAsUser and its image "` + host + `/shop/app:root" has USER "" (unset), so it runs as root` + caveat,
		`c: container "c" sets no runAsUser and its image "` + host + `/shop/app:root" has USER "" (unset), so it runs as root` + caveat,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if errs := wi.Errors(); len(errs) != 1 || !strings.Contains(errs[0].Error(), "shop/app:nope") {
		t.Errorf("errors %v", errs)
	}
	// Each reference's manifest once (the digest reference's too), each
	// config once, no layer.
	r := lay.Images[0]
	for path, n := range requests {
		if strings.Contains(path, "/blobs/") && path != "/v2/shop/app/blobs/"+string(r.Config.Digest) && path != "/v2/shop/app/blobs/"+string(lay.Images[1].Config.Digest) {
			t.Errorf("fetched %s", path)
		}
		if n != 1 {
			t.Errorf("%s fetched %d times", path, n)
		}
	}
	if requests["/v2/shop/app/blobs/"+string(r.Config.Digest)] != 1 {
		t.Errorf("the config was not fetched once: %v", requests)
	}
	s := loaded.Subjects[0]
	if src := s.ContainerImageSources[host+"/shop/app:root"]; !strings.HasPrefix(src, host+"/shop/app:root named "+rootDigest) {
		t.Errorf("source %q", src)
	}
}
