// Command abtime times whole processes: command A, or A against a baseline
// B run in turn (A B A B …), after warm-up runs. Each run's user and
// system CPU and peak resident memory are the kernel's accounting of the
// finished child (wait4's rusage); wall time is a monotonic clock around
// start and reap. What a command writes on standard output is counted and
// thrown away. Figures are printed as min, median and max, ratios A/B pair
// by pair, and each call can append a record to a results file that
// "abtime -table FILE" prints as one compact table.
//
//	abtime [-n RUNS] [-warmup N] [-timeout DUR] [-max-rss MiB] [-label TEXT] [-results FILE] -a 'CMD ARG…' [-b 'CMD ARG…']
//	abtime -table FILE
//
// Commands are split into words at white space; no shell is involved.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// sample is one finished run.
type sample struct {
	Wall, User, Sys float64 // seconds
	PeakKiB         int64
	OutBytes        int64
	Exit            int
	Killed          bool // ended by -timeout
}

func (s sample) cpu() float64 { return s.User + s.Sys }

// Record is what one call appends to the results file.
type Record struct {
	Label string
	A, B  string // commands; B empty when A ran alone
	RunsA []sample
	RunsB []sample
}

func main() {
	n := flag.Int("n", 3, "counted runs of each command")
	warmup := flag.Int("warmup", 1, "uncounted runs of each command, first")
	timeout := flag.Duration("timeout", 0, "kill a run that takes longer (0: never); its figures are kept, marked")
	maxRSS := flag.Int64("max-rss", 0, "kill a run whose resident memory passes this many MiB (0: never), read from /proc every 50ms; its figures are kept, marked")
	label := flag.String("label", "", "name of this comparison in the results file")
	results := flag.String("results", "", "append this call's runs to FILE (JSON lines)")
	a := flag.String("a", "", "command A")
	b := flag.String("b", "", "command B, the baseline (optional)")
	table := flag.String("table", "", "print the table of the results FILE and exit")
	flag.Parse()
	if *table != "" {
		if err := printTable(os.Stdout, *table); err != nil {
			fmt.Fprintln(os.Stderr, "abtime:", err)
			os.Exit(1)
		}
		return
	}
	if *a == "" || *n < 1 || *warmup < 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	rec := Record{Label: *label, A: *a, B: *b}
	cmds := []string{*a}
	if *b != "" {
		cmds = append(cmds, *b)
	}
	for i := range *warmup + *n {
		for j, c := range cmds {
			s, err := runOnce(c, *timeout, *maxRSS)
			if err != nil {
				fmt.Fprintln(os.Stderr, "abtime:", err)
				os.Exit(2)
			}
			if i < *warmup {
				continue
			}
			if j == 0 {
				rec.RunsA = append(rec.RunsA, s)
			} else {
				rec.RunsB = append(rec.RunsB, s)
			}
		}
	}
	printRecord(os.Stdout, rec)
	if *results != "" {
		if err := appendRecord(*results, rec); err != nil {
			fmt.Fprintln(os.Stderr, "abtime:", err)
			os.Exit(1)
		}
	}
}

type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// tail keeps the last bytes written, for an error message.
type tail struct{ b []byte }

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > 2048 {
		t.b = t.b[len(t.b)-2048:]
	}
	return len(p), nil
}

func runOnce(command string, timeout time.Duration, maxRSS int64) (sample, error) {
	words := strings.Fields(command)
	cmd := exec.Command(words[0], words[1:]...)
	out := &counter{}
	errs := &tail{}
	cmd.Stdout, cmd.Stderr = out, errs
	var s sample
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return s, err
	}
	var killed atomic.Bool
	kill := func() {
		killed.Store(true)
		cmd.Process.Kill()
	}
	var timer *time.Timer
	if timeout > 0 {
		timer = time.AfterFunc(timeout, kill)
	}
	done := make(chan struct{})
	if maxRSS > 0 {
		go watchRSS(cmd.Process.Pid, maxRSS, done, kill)
	}
	err := cmd.Wait()
	s.Wall = time.Since(start).Seconds()
	close(done)
	if timer != nil {
		timer.Stop()
	}
	s.Killed = killed.Load()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return s, err
	}
	st := cmd.ProcessState
	s.Exit = st.ExitCode()
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		s.User = time.Duration(ru.Utime.Nano()).Seconds()
		s.Sys = time.Duration(ru.Stime.Nano()).Seconds()
		s.PeakKiB = ru.Maxrss // KiB on Linux
	}
	s.OutBytes = out.n
	if s.Exit > 1 || s.Killed {
		fmt.Fprintf(os.Stderr, "abtime: %s: exit %d (killed: %v): %s\n", words[0], s.Exit, s.Killed, strings.TrimSpace(string(errs.b)))
	}
	return s, nil
}

// watchRSS kills the process when its resident set passes maxMiB.
func watchRSS(pid int, maxMiB int64, done <-chan struct{}, kill func()) {
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(data)) {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
				if kib > maxMiB*1024 {
					kill()
					return
				}
			}
		}
	}
}

// median of xs (the lower middle one for an even count, so it is a figure
// some run had).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

func figure(runs []sample, f func(sample) float64) []float64 {
	var xs []float64
	for _, r := range runs {
		xs = append(xs, f(r))
	}
	return xs
}

var figures = []struct {
	name string
	f    func(sample) float64
}{
	{"wall s", func(s sample) float64 { return s.Wall }},
	{"cpu s", sample.cpu},
	{"user s", func(s sample) float64 { return s.User }},
	{"sys s", func(s sample) float64 { return s.Sys }},
	{"peak MiB", func(s sample) float64 { return float64(s.PeakKiB) / 1024 }},
	{"out bytes", func(s sample) float64 { return float64(s.OutBytes) }},
}

// ratios are A/B pair by pair.
func ratios(r Record, f func(sample) float64) []float64 {
	var xs []float64
	for i := range min(len(r.RunsA), len(r.RunsB)) {
		if b := f(r.RunsB[i]); b != 0 {
			xs = append(xs, f(r.RunsA[i])/b)
		}
	}
	return xs
}

func minMedMax(xs []float64) (float64, float64, float64) {
	if len(xs) == 0 {
		return 0, 0, 0
	}
	return slices.Min(xs), median(xs), slices.Max(xs)
}

func printRecord(w io.Writer, r Record) {
	fmt.Fprintf(w, "%s\n  A: %s\n", r.Label, r.A)
	if r.B != "" {
		fmt.Fprintf(w, "  B: %s\n", r.B)
	}
	fmt.Fprintf(w, "  %d runs each; figure: min / median / max\n", len(r.RunsA))
	for _, f := range figures {
		lo, med, hi := minMedMax(figure(r.RunsA, f.f))
		fmt.Fprintf(w, "  %-10s A %s / %s / %s", f.name, num(lo), num(med), num(hi))
		if r.B != "" {
			lo, med, hi = minMedMax(figure(r.RunsB, f.f))
			fmt.Fprintf(w, "   B %s / %s / %s", num(lo), num(med), num(hi))
			lo, med, hi = minMedMax(ratios(r, f.f))
			fmt.Fprintf(w, "   A/B %.2f / %.2f / %.2f", lo, med, hi)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  exit      A %v", exits(r.RunsA))
	if r.B != "" {
		fmt.Fprintf(w, "   B %v", exits(r.RunsB))
	}
	fmt.Fprintln(w)
}

func exits(runs []sample) string {
	var parts []string
	for _, r := range runs {
		p := fmt.Sprint(r.Exit)
		if r.Killed {
			p += "(killed)"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ",")
}

func num(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.0f", x)
	case x >= 100:
		return fmt.Sprintf("%.0f", x)
	case x >= 10:
		return fmt.Sprintf("%.1f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

func appendRecord(path string, r Record) error {
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printTable prints one line per command of every record: medians, and on
// A's line the median ratios A/B.
func printTable(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var recs []Record
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return err
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	width := len("case")
	for _, r := range recs {
		width = max(width, len(r.Label))
	}
	fmt.Fprintf(w, "%-*s  %-11s %4s %8s %8s %9s %13s %5s  %8s %7s %7s\n", width, "case", "tool", "runs",
		"wall s", "cpu s", "peak MiB", "out bytes", "exit", "wall A/B", "cpu A/B", "mem A/B")
	for _, r := range recs {
		line := func(tool string, runs []sample, ratio bool) {
			med := func(f func(sample) float64) float64 { return median(figure(runs, f)) }
			fmt.Fprintf(w, "%-*s  %-11s %4d %8s %8s %9s %13.0f %5s", width, r.Label, tool, len(runs),
				num(med(figures[0].f)), num(med(figures[1].f)), num(med(figures[4].f)), med(figures[5].f), exitSummary(runs))
			if ratio {
				for _, i := range []int{0, 1, 4} {
					fmt.Fprintf(w, "  %7.2f", median(ratios(r, figures[i].f)))
				}
			}
			fmt.Fprintln(w)
		}
		line(toolName(r.A), r.RunsA, r.B != "")
		if r.B != "" {
			line(toolName(r.B), r.RunsB, false)
		}
	}
	return nil
}

func exitSummary(runs []sample) string {
	for _, r := range runs {
		if r.Killed {
			return "kill"
		}
	}
	if len(runs) == 0 {
		return "-"
	}
	return fmt.Sprint(runs[len(runs)-1].Exit)
}

// toolName is the base name of a command's program.
func toolName(command string) string {
	words := strings.Fields(command)
	if len(words) == 0 {
		return ""
	}
	name := words[0]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return name
}
