package conformance

// The shared machinery of the conformance tests: the levels and versions
// compared, bulwark's profiles and PSA's evaluator, one comparison, and a
// collector that groups disagreements so a failing run reads as a short
// list of causes rather than thousands of lines.

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bulwarkdev/bulwark"
	"github.com/bulwarkdev/bulwark/hardening"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	"sigs.k8s.io/yaml"
)

// maxMinor is the newest policy version PSA v0.37.2 defines; newer versions
// and "latest" evaluate as this one.
const maxMinor = 37

// latest is the minor number standing for "latest".
const latest = -1

// level is a Pod Security Standards level, in bulwark's and PSA's spelling.
type level struct {
	name string
	psa  api.Level
}

var (
	baseline   = level{"baseline", api.LevelBaseline}
	restricted = level{"restricted", api.LevelRestricted}
	levels     = []level{baseline, restricted}
)

// target is one policy: a level at a version. minor is latest for "latest".
type target struct {
	level level
	minor int
}

func (t target) version() string {
	if t.minor == latest {
		return "latest"
	}
	return "v1." + strconv.Itoa(t.minor)
}

func (t target) String() string { return t.level.name + "@" + t.version() }

// ref is the bulwark profile reference: "pss-baseline@v1.25".
func (t target) ref() string { return "pss-" + t.String() }

func (t target) psa() api.LevelVersion {
	v := api.LatestVersion()
	if t.minor != latest {
		v = api.MajorMinorVersion(1, t.minor)
	}
	return api.LevelVersion{Level: t.level.psa, Version: v}
}

// allMinors are the versions every pod is judged at: each policy version,
// one past the newest (it must clamp like PSA), and latest.
var allMinors = func() []int {
	var ms []int
	for m := 0; m <= maxMinor+1; m++ {
		ms = append(ms, m)
	}
	return append(ms, latest)
}()

// allTargets is every level at every version in allMinors.
var allTargets = func() []target {
	var ts []target
	for _, l := range levels {
		for _, m := range allMinors {
			ts = append(ts, target{l, m})
		}
	}
	return ts
}()

// evaluator is PSA's own, with its default checks.
var evaluator = func() policy.Evaluator {
	e, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		panic(err)
	}
	return e
}()

// psaView returns pod as a cluster gives it to PSA: PSA runs after the API
// server has applied defaults, which turn a volume without a source into
// an emptyDir. bulwark reads manifests as written and applies that default
// itself.
func psaView(pod *corev1.Pod) *corev1.Pod {
	if p, _ := apiServerDefaults(pod); p != nil {
		return p
	}
	return pod
}

// psaAllowed is the verdict of PSA's evaluator on pod at t.
func psaAllowed(t target, pod *corev1.Pod) bool {
	pod = psaView(pod)
	return allAllowed(evaluator.EvaluatePod(t.psa(), &pod.ObjectMeta, &pod.Spec))
}

func allAllowed(rs []policy.CheckResult) bool {
	for _, r := range rs {
		if !r.Allowed {
			return false
		}
	}
	return true
}

// profileSet holds bulwark's checks for every target.
type profileSet map[target]hardening.Checks

var (
	profilesOnce sync.Once
	profilesVal  profileSet
	profilesErr  error
)

// profiles resolves bulwark's pss profiles for every target, or stops the
// test with bulwark's error: without them there is nothing to compare.
func profiles(tb testing.TB) profileSet {
	tb.Helper()
	profilesOnce.Do(func() {
		ps := profileSet{}
		for _, t := range allTargets {
			cs, err := bulwark.Profile(t.ref())
			if err != nil {
				profilesErr = fmt.Errorf("bulwark.Profile(%q): %w", t.ref(), err)
				return
			}
			if len(cs) == 0 {
				profilesErr = fmt.Errorf("bulwark.Profile(%q) has no checks", t.ref())
				return
			}
			ps[t] = cs
		}
		profilesVal = ps
	})
	if profilesErr != nil {
		tb.Fatalf("bulwark's Pod Security Standards profiles are not usable, nothing to compare: %v", profilesErr)
	}
	return profilesVal
}

// bulwarkAllowed runs the target's checks into *buf (reused) and reports
// whether no finding counts (as a webhook decides: warnings never do).
func (ps profileSet) bulwarkAllowed(t target, s *hardening.Subject, buf *[]hardening.Finding) bool {
	*buf = ps[t].Check(s, (*buf)[:0])
	for i := range *buf {
		if f := &(*buf)[i]; !f.Suppressed && !f.Warning {
			return false
		}
	}
	return true
}

// item is one pod to judge and where it came from.
type item struct {
	// origin names the pod for a reader: a fixture file, or the base and
	// mutations a generated pod was built from.
	origin string
	pod    *corev1.Pod
	// want is the fixture directory's verdict ("pass", "fail") at wantAt;
	// empty for generated pods.
	want   string
	wantAt target
}

// judgeAll judges every item at every target, in parallel, and records
// each disagreement in c. An item with a fixture verdict is also judged at
// its own target against it.
func judgeAll(tb testing.TB, ps profileSet, items []item, targets []target, c *collector) {
	tb.Helper()
	work := make(chan []item)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var buf []hardening.Finding
			judged, denied := 0, 0
			count := func(d bool) {
				judged++
				if d {
					denied++
				}
			}
			for chunk := range work {
				for i := range chunk {
					it := &chunk[i]
					s := hardening.NewPodSubject(it.pod)
					if it.want != "" {
						count(judge(ps, it, s, it.wantAt, &buf, c))
					}
					for _, t := range targets {
						if it.want != "" && t == it.wantAt {
							continue
						}
						count(judge(ps, it, s, t, &buf, c))
					}
				}
			}
			c.mu.Lock()
			c.judged += judged
			c.denied += denied
			c.mu.Unlock()
		})
	}
	for len(items) > 0 {
		n := min(len(items), 16)
		work <- items[:n]
		items = items[n:]
	}
	close(work)
	wg.Wait()
}

// judge compares one pod at one target: PSA's verdict (from its
// evaluator) with bulwark's, PSA's failing checks with bulwark's failing
// controls, and both verdicts with the fixture directory's when the target
// is the directory's own. Any difference goes to c. It reports whether
// either side denied the pod, so that failing controls were compared.
func judge(ps profileSet, it *item, s *hardening.Subject, t target, buf *[]hardening.Finding, c *collector) (denied bool) {
	pod := psaView(it.pod)
	results := evaluator.EvaluatePod(t.psa(), &pod.ObjectMeta, &pod.Spec)
	psaOK := allAllowed(results)
	bulwarkOK := ps.bulwarkAllowed(t, s, buf)
	wantChecked := it.want != "" && t == it.wantAt
	if psaOK && bulwarkOK && (!wantChecked || it.want == "pass") {
		return false // both allow: no control fails on either side
	}
	d := &disagreement{
		it: it, t: t,
		psaAllowed: psaOK,
		psa:        psaFailing(t, pod),
		bulwark:    failingControls(*buf),
	}
	d.psaSplit = !sameFailures(results, d.psa)
	if wantChecked {
		d.dirMismatch = psaOK != (it.want == "pass") || bulwarkOK != (it.want == "pass")
	}
	denied = !psaOK || !bulwarkOK
	if psaOK == bulwarkOK && !d.psaSplit && !d.dirMismatch && slices.Equal(d.psaIDs(), inPSATerms(d.bulwark)) {
		return denied
	}
	d.findings = slices.Clone(*buf)
	c.add(d)
	return denied
}

// disagreement is one pod judged differently at one target: a different
// verdict, or the same denial for different controls.
type disagreement struct {
	it *item
	t  target
	// psaAllowed is the verdict of PSA's evaluator.
	psaAllowed bool
	// psa are PSA's checks that forbid the pod, run one by one.
	psa []psaFailure
	// bulwark are bulwark's failing controls (failingControls), from
	// findings.
	bulwark  []string
	findings []hardening.Finding
	// psaSplit marks a harness bug: PSA's evaluator and its checks run one
	// by one give different results.
	psaSplit bool
	// dirMismatch marks a fixture whose directory disagrees with PSA or
	// bulwark at its own target.
	dirMismatch bool
}

// psaIDs are the IDs of PSA's failing checks, sorted.
func (d *disagreement) psaIDs() []string {
	ids := make([]string, len(d.psa))
	for i, f := range d.psa {
		ids[i] = string(f.id)
	}
	return ids
}

// split returns the controls only PSA fails (PSA IDs) and those only
// bulwark fails (bulwark IDs).
func (d *disagreement) split() (onlyPSA, onlyBulwark []string) {
	psa := d.psaIDs()
	bulwark := inPSATerms(d.bulwark)
	for _, id := range psa {
		if !slices.Contains(bulwark, id) {
			onlyPSA = append(onlyPSA, id)
		}
	}
	for _, id := range d.bulwark {
		if !slices.Contains(psa, psaTerm(id)) {
			onlyBulwark = append(onlyBulwark, id)
		}
	}
	return onlyPSA, onlyBulwark
}

// differing is every control on which PSA and bulwark differ, in PSA's
// terms, sorted.
func (d *disagreement) differing() []string {
	onlyPSA, onlyBulwark := d.split()
	ids := append(onlyPSA, inPSATerms(onlyBulwark)...)
	slices.Sort(ids)
	return slices.Compact(ids)
}

// key names d's group: the cause, as the controls each side fails.
func (d *disagreement) key() string {
	psa := d.psaIDs()
	var k string
	switch {
	case d.psaSplit:
		k = fmt.Sprintf("harness bug: PSA's evaluator says allowed=%v, its checks one by one fail %s", d.psaAllowed, orNone(psa))
	case len(psa) == 0 && len(d.bulwark) > 0:
		k = "PSA allows, bulwark denies via " + strings.Join(d.bulwark, "+")
	case len(psa) > 0 && len(d.bulwark) == 0:
		k = "PSA denies via " + strings.Join(psa, "+") + ", bulwark allows"
	case !slices.Equal(psa, inPSATerms(d.bulwark)):
		onlyPSA, onlyBulwark := d.split()
		shown := make([]string, len(onlyBulwark))
		for i, id := range onlyBulwark {
			shown[i] = showBulwark(id)
		}
		k = "both deny, for different controls: only PSA fails " + orNone(onlyPSA) + "; only bulwark fails " + orNone(shown)
	default:
		k = "PSA (" + strings.Join(psa, "+") + ") and bulwark (" + strings.Join(d.bulwark, "+") + ") agree"
	}
	if d.dirMismatch {
		k += " — fixture directory expects " + d.it.want
	}
	return k
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, "+")
}

// collector gathers disagreements from many goroutines.
type collector struct {
	// ignore is parseIgnore(CONFORMANCE_IGNORE).
	ignore map[string]bool

	mu sync.Mutex
	// judged counts pod×target comparisons; denied those where PSA or
	// bulwark denied the pod, so failing controls were compared.
	judged, denied int
	byGroup        map[string][]*disagreement
	failures       int
	ignored        int
}

// parseIgnore reads CONFORMANCE_IGNORE: check IDs, PSA's or bulwark's,
// comma-separated. A disagreement is ignored (counted, not reported) when
// every control on which PSA and bulwark differ is listed. It is for
// hunting new disagreements, with the fuzzer say, while a known one is
// being fixed; never set it in CI. The result holds the IDs as given and in
// PSA's terms.
func parseIgnore(env string) map[string]bool {
	m := map[string]bool{}
	for id := range strings.SplitSeq(env, ",") {
		if id = strings.TrimSpace(id); id != "" {
			m[id] = true
			m[psaTerm(id)] = true
		}
	}
	return m
}

// ignores reports whether d is ignored: every control on which the two
// sides differ is in c.ignore. A fixture directory's disagreement and a
// harness bug are never ignored.
func (c *collector) ignores(d *disagreement) bool {
	if len(c.ignore) == 0 || d.dirMismatch || d.psaSplit {
		return false
	}
	ids := d.differing()
	for _, id := range ids {
		if !c.ignore[id] {
			return false
		}
	}
	return len(ids) > 0
}

func newCollector() *collector {
	return &collector{ignore: parseIgnore(os.Getenv("CONFORMANCE_IGNORE")), byGroup: map[string][]*disagreement{}}
}

func (c *collector) add(d *disagreement) {
	k := d.key()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ignores(d) {
		c.ignored++
		return
	}
	c.failures++
	c.byGroup[k] = append(c.byGroup[k], d)
}

// examplesPerGroup is how many disagreements per group are shown in full.
var examplesPerGroup = func() int {
	if n, err := strconv.Atoi(os.Getenv("CONFORMANCE_EXAMPLES")); err == nil && n >= 0 {
		return n
	}
	return 3
}()

// report fails tb with every group of disagreements: a count, where they
// occurred (origin and level with the versions compacted) and a few
// examples in full.
func (c *collector) report(tb testing.TB, what string) {
	tb.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ignored > 0 {
		tb.Logf("%s: %d disagreements ignored (CONFORMANCE_IGNORE=%s)", what, c.ignored, os.Getenv("CONFORMANCE_IGNORE"))
	}
	if c.failures == 0 {
		tb.Logf("%s: %d pod×target comparisons (%d denied, failing controls compared), bulwark agrees with PSA on every verdict and every set of failing controls",
			what, c.judged, c.denied)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d pod×target comparisons (%d denied) disagree, in %d groups\n", what, c.failures, c.judged, c.denied, len(c.byGroup))
	for _, k := range slices.Sorted(maps.Keys(c.byGroup)) {
		ds := c.byGroup[k]
		slices.SortFunc(ds, func(a, b *disagreement) int {
			return cmp.Or(cmp.Compare(a.it.origin, b.it.origin),
				cmp.Compare(a.t.level.name, b.t.level.name),
				cmpMinor(a.t.minor, b.t.minor))
		})
		fmt.Fprintf(&b, "\n=== %s: %d comparisons\n", k, len(ds))
		// where: origin/level -> versions
		type ol struct{ origin, level string }
		var order []ol
		where := map[ol][]int{}
		for _, d := range ds {
			o := ol{d.it.origin, d.t.level.name}
			if _, ok := where[o]; !ok {
				order = append(order, o)
			}
			where[o] = append(where[o], d.t.minor)
		}
		const maxWhere = 25
		for i, o := range order {
			if i == maxWhere {
				fmt.Fprintf(&b, "    … and %d more pod/level pairs\n", len(order)-maxWhere)
				break
			}
			fmt.Fprintf(&b, "    %s at %s %s\n", o.origin, o.level, compactMinors(where[o]))
		}
		shown := map[string]bool{}
		n := 0
		for _, d := range ds {
			if n == examplesPerGroup {
				break
			}
			if shown[d.it.origin] {
				continue
			}
			shown[d.it.origin] = true
			n++
			b.WriteString(d.describe())
		}
	}
	tb.Error(b.String())
}

func cmpMinor(a, b int) int {
	if a == latest {
		a = 1 << 20
	}
	if b == latest {
		b = 1 << 20
	}
	return cmp.Compare(a, b)
}

// compactMinors renders sorted minors as ranges: "v1.0–v1.33, v1.35, latest".
func compactMinors(ms []int) string {
	slices.SortFunc(ms, cmpMinor)
	var parts []string
	for i := 0; i < len(ms); {
		if ms[i] == latest {
			parts = append(parts, "latest")
			i++
			continue
		}
		j := i
		for j+1 < len(ms) && ms[j+1] == ms[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, fmt.Sprintf("v1.%d", ms[i]))
		} else {
			parts = append(parts, fmt.Sprintf("v1.%d–v1.%d", ms[i], ms[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

func (d *disagreement) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n  --- %s at %s\n", d.it.origin, d.t)
	if d.it.want != "" {
		fmt.Fprintf(&b, "  fixture directory: %s at %s\n", d.it.want, d.it.wantAt)
	}
	if len(d.psa) == 0 {
		b.WriteString("  PSA: allowed\n")
	} else {
		b.WriteString("  PSA: forbidden by " + strings.Join(d.psaIDs(), ", ") + "\n")
		for _, f := range d.psa {
			fmt.Fprintf(&b, "    %s\n", f)
		}
	}
	if d.psaSplit {
		fmt.Fprintf(&b, "  PSA's evaluator: allowed=%v\n", d.psaAllowed)
	}
	if len(d.bulwark) == 0 {
		b.WriteString("  bulwark: allowed\n")
	} else {
		shown := make([]string, len(d.bulwark))
		for i, id := range d.bulwark {
			shown[i] = showBulwark(id)
		}
		b.WriteString("  bulwark: forbidden by " + strings.Join(shown, ", ") + "\n")
	}
	for _, f := range d.findings {
		sup := ""
		if f.Suppressed {
			sup = " (suppressed: " + f.SuppressionReason + ")"
		}
		related := ""
		if len(f.Related) > 0 {
			related = " +" + strings.Join(f.Related, " +")
		}
		fmt.Fprintf(&b, "    %s%s %s: %s%s\n", f.Check, related, f.Path, f.Message, sup)
	}
	y, err := yaml.Marshal(d.it.pod)
	if err != nil {
		fmt.Fprintf(&b, "  pod: cannot render: %v\n", err)
	} else {
		b.WriteString("  pod:\n")
		for l := range strings.Lines(string(y)) {
			b.WriteString("    " + l)
		}
	}
	return b.String()
}

// defaultChecks are PSA's default checks, for explaining its verdicts.
var defaultChecks = policy.DefaultChecks()

// psaMax is the newest MinimumVersion among PSA's default checks.
var psaMax = func() api.Version {
	m := api.MajorMinorVersion(1, 0)
	for _, c := range defaultChecks {
		for _, v := range c.Versions {
			if m.Older(v.MinimumVersion) {
				m = v.MinimumVersion
			}
		}
	}
	return m
}()

// psaCheck is one of PSA's checks as in force at a target.
type psaCheck struct {
	id    policy.CheckID
	check policy.CheckPodFn
}

// assemblePSA returns the checks PSA runs at t, sorted by ID, assembled as
// PSA's registry assembles levels: each check at the newest of its
// versions not newer than t (versions past the newest any check defines
// evaluate as that one); baseline holds the baseline checks, restricted
// the restricted ones and every baseline check that no restricted check in
// force overrides.
func assemblePSA(t target) []psaCheck {
	v := t.psa().Version
	if v.Latest() || psaMax.Older(v) {
		v = psaMax
	}
	inForce := func(c policy.Check) *policy.VersionedCheck {
		var cur *policy.VersionedCheck
		for i := range c.Versions {
			if !v.Older(c.Versions[i].MinimumVersion) {
				cur = &c.Versions[i]
			}
		}
		return cur
	}
	overridden := map[policy.CheckID]bool{}
	if t.level.psa == api.LevelRestricted {
		for _, c := range defaultChecks {
			if vc := inForce(c); vc != nil && c.Level == api.LevelRestricted {
				for _, id := range vc.OverrideCheckIDs {
					overridden[id] = true
				}
			}
		}
	}
	var cs []psaCheck
	for _, c := range defaultChecks {
		if c.Level == api.LevelRestricted && t.level.psa != api.LevelRestricted || overridden[c.ID] {
			continue
		}
		if vc := inForce(c); vc != nil {
			cs = append(cs, psaCheck{c.ID, vc.CheckPod})
		}
	}
	slices.SortFunc(cs, func(a, b psaCheck) int { return cmp.Compare(a.id, b.id) })
	return cs
}

// psaAssembled is assemblePSA at every target in allTargets.
var psaAssembled = func() map[target][]psaCheck {
	m := map[target][]psaCheck{}
	for _, t := range allTargets {
		m[t] = assemblePSA(t)
	}
	return m
}()

// psaChecksAt returns the checks PSA runs at t (see assemblePSA).
func psaChecksAt(t target) []psaCheck {
	if cs, ok := psaAssembled[t]; ok {
		return cs
	}
	return assemblePSA(t)
}

// psaFailure is one PSA check forbidding a pod.
type psaFailure struct {
	id             policy.CheckID
	reason, detail string
}

// String renders "id: reason (detail)".
func (f psaFailure) String() string {
	s := string(f.id) + ": " + f.reason
	if f.detail != "" {
		s += " (" + f.detail + ")"
	}
	return s
}

// psaFailing runs each check PSA runs at t on pod, one by one, and returns
// those that forbid it, sorted by ID: PSA's failing controls. The
// evaluator's results carry no check IDs; TestExplainPSA and judge make
// sure these are exactly its results.
func psaFailing(t target, pod *corev1.Pod) []psaFailure {
	pod = psaView(pod)
	var fs []psaFailure
	for _, c := range psaChecksAt(t) {
		if r := c.check(&pod.ObjectMeta, &pod.Spec); !r.Allowed {
			fs = append(fs, psaFailure{c.id, r.ForbiddenReason, r.ForbiddenDetail})
		}
	}
	return fs
}

// sameFailures reports whether the evaluator's results forbid for exactly
// the reasons and details of fs, counted with multiplicity.
func sameFailures(results []policy.CheckResult, fs []psaFailure) bool {
	var a, b []string
	for _, r := range results {
		if !r.Allowed {
			a = append(a, r.ForbiddenReason+"\x00"+r.ForbiddenDetail)
		}
	}
	for _, f := range fs {
		b = append(b, f.reason+"\x00"+f.detail)
	}
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// explainPSA names the PSA checks that forbid pod at t, each as
// "id: reason (detail)", and their IDs.
func explainPSA(t target, pod *corev1.Pod) (lines, ids []string) {
	for _, f := range psaFailing(t, pod) {
		lines = append(lines, f.String())
		ids = append(ids, string(f.id))
	}
	return lines, ids
}

var (
	psaDirOnce sync.Once
	psaDir     string
	psaDirErr  error
)

// psaTestdata returns PSA's test/testdata directory in the module cache.
func psaTestdata(tb testing.TB) string {
	tb.Helper()
	psaDirOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "k8s.io/pod-security-admission").Output()
		if err != nil {
			psaDirErr = fmt.Errorf("go list -m k8s.io/pod-security-admission: %w", err)
			return
		}
		psaDir = filepath.Join(strings.TrimSpace(string(out)), "test", "testdata")
		if _, err := os.Stat(psaDir); err != nil {
			psaDirErr = fmt.Errorf("PSA fixtures: %w (run go mod download in conformance/)", err)
		}
	})
	if psaDirErr != nil {
		tb.Fatal(psaDirErr)
	}
	return psaDir
}

// fixture is one decoded PSA fixture file.
type fixture struct {
	// rel is the path under test/testdata: "baseline/v1.25/fail/hostports0.yaml".
	rel  string
	data []byte
	pod  *corev1.Pod
	// want is "pass" or "fail" at at.
	want string
	at   target
}

var (
	fixturesOnce sync.Once
	fixturesVal  []fixture
	fixturesErr  error
)

// fixtures decodes every PSA fixture, sorted by path.
func fixtures(tb testing.TB) []fixture {
	tb.Helper()
	dir := psaTestdata(tb)
	fixturesOnce.Do(func() {
		fixturesVal, fixturesErr = readFixtures(dir)
	})
	if fixturesErr != nil {
		tb.Fatal(fixturesErr)
	}
	return fixturesVal
}

func readFixtures(dir string) ([]fixture, error) {
	var fs []fixture
	for _, l := range levels {
		for m := 0; m <= maxMinor; m++ {
			for _, want := range []string{"pass", "fail"} {
				rel := filepath.Join(l.name, fmt.Sprintf("v1.%d", m), want)
				names, err := filepath.Glob(filepath.Join(dir, rel, "*.yaml"))
				if err != nil {
					return nil, err
				}
				for _, name := range names {
					data, err := os.ReadFile(name)
					if err != nil {
						return nil, err
					}
					pod := new(corev1.Pod)
					if err := yaml.UnmarshalStrict(data, pod); err != nil {
						return nil, fmt.Errorf("%s: %w", name, err)
					}
					fs = append(fs, fixture{
						rel:  filepath.ToSlash(filepath.Join(rel, filepath.Base(name))),
						data: data, pod: pod, want: want, at: target{l, m},
					})
				}
			}
		}
	}
	if len(fs) < 4000 {
		return nil, fmt.Errorf("found only %d PSA fixtures under %s; expected about 4537", len(fs), dir)
	}
	slices.SortFunc(fs, func(a, b fixture) int { return strings.Compare(a.rel, b.rel) })
	return fs, nil
}

// pssCheckIDs lists PSA's default check IDs.
func pssCheckIDs() []string {
	var ids []string
	for _, c := range defaultChecks {
		ids = append(ids, string(c.ID))
	}
	return ids
}
