package main

import (
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

func TestGenReader(t *testing.T) {
	p := newPattern()
	if !bytes.Equal(p, newPattern()) {
		t.Fatal("pattern not deterministic")
	}
	const size = 3*patternLen + 12345
	const base = patternLen - 100 // starts near the end of the pattern and wraps
	want := make([]byte, size)
	for i := range want {
		want[i] = p[(base+i)%patternLen]
	}
	g := newGenReader(p, base, size)
	got, err := io.ReadAll(io.LimitReader(g, size+10))
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("ReadAll: %d bytes, err %v, equal %v", len(got), err, bytes.Equal(got, want))
	}
	// The SDK reads the body once for its checksums, then rewinds it and sends it.
	if pos, err := g.Seek(0, io.SeekStart); pos != 0 || err != nil {
		t.Fatal(pos, err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	var again bytes.Buffer
	buf := make([]byte, 70000)
	for {
		n, err := g.Read(buf[:1+rng.IntN(len(buf)-1)])
		again.Write(buf[:n])
		if err == io.EOF {
			break
		}
	}
	if !bytes.Equal(again.Bytes(), want) {
		t.Fatal("second read differs")
	}
	if end, _ := g.Seek(0, io.SeekEnd); end != size {
		t.Errorf("SeekEnd = %d", end)
	}
	if cur, _ := g.Seek(-10, io.SeekCurrent); cur != size-10 {
		t.Errorf("SeekCurrent = %d", cur)
	}
	if _, err := g.Seek(-1, io.SeekStart); err == nil {
		t.Error("negative seek accepted")
	}
}

func TestParseStatus(t *testing.T) {
	const status = "Name:\timgcdn\nVmPeak:\t  900000 kB\nVmHWM:\t   204800 kB\nVmRSS:\t   102400 kB\nThreads:\t9\n"
	m, err := parseStatus(strings.NewReader(status))
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 100<<20 || m.HWM != 200<<20 {
		t.Errorf("got %+v", m)
	}
	for _, bad := range []string{"Name:\tx\n", "VmRSS:\t12 MB\nVmHWM:\t1 kB\n", "VmRSS:\tx kB\nVmHWM:\t1 kB\n"} {
		if _, err := parseStatus(strings.NewReader(bad)); err == nil {
			t.Errorf("parseStatus(%q) accepted", bad)
		}
	}
	// The live file of this very process parses.
	if m, err := readStatus(os.Getpid()); err != nil || m.RSS <= 0 || m.HWM < m.RSS {
		t.Errorf("readStatus(self) = %+v, %v", m, err)
	}
}

func TestCommandLineHidesSecret(t *testing.T) {
	got := commandLine([]string{"imgcdn-bench", "--secret-key", "s3cr3t", "--secret-key=also", "--label", "it's", "--sizes", "4KiB,1MiB"})
	if strings.Contains(got, "s3cr3t") || strings.Contains(got, "also") {
		t.Errorf("secret leaked: %s", got)
	}
	want := `imgcdn-bench --secret-key '***' '--secret-key=***' --label 'it'\''s' --sizes 4KiB,1MiB`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestKeyPicker(t *testing.T) {
	p := newKeyPicker([]int{3, 0, 2})
	seen := map[[2]int]int{}
	rng := rand.New(rand.NewPCG(3, 3))
	for range 5000 {
		w, i := p.pick(rng)
		seen[[2]int{w, i}]++
	}
	want := [][2]int{{0, 0}, {0, 1}, {0, 2}, {2, 0}, {2, 1}}
	if len(seen) != len(want) {
		t.Fatalf("picked %v", seen)
	}
	for _, k := range want {
		if seen[k] < 800 { // uniform would be 1000 each
			t.Errorf("key %v picked %d times of 5000", k, seen[k])
		}
	}
}

func TestFailures(t *testing.T) {
	if got := failures(&Results{Phases: []PhaseResult{{Ops: 5}}, List: &ListResult{}, Big: &BigResult{}}); got != "" {
		t.Errorf("clean run reported %q", got)
	}
	got := failures(&Results{Phases: []PhaseResult{{Errors: 2}, {Errors: 3}}, List: &ListResult{ListWalk: ListWalk{Error: "x"}}, Big: &BigResult{Error: "y"}})
	if got != "5 failed PUT/GET requests, listing failed, big upload failed" {
		t.Errorf("got %q", got)
	}
	if got := failures(&Results{List: &ListResult{Raw: &ListWalk{Error: "z"}}}); got != "raw listing failed" {
		t.Errorf("raw listing error reported as %q", got)
	}
}

// TestSummary reduces two rounds: medians and ranges per cell, ratios taken within a round.
func TestSummary(t *testing.T) {
	cpu := func(v float64) *float64 { return &v }
	run := func(label string, put, get float64, pages float64) *Results {
		r := &Results{Label: label, Phases: []PhaseResult{
			{Op: "PUT", Size: 32 << 10, Concurrency: 16, Ops: 1000, OpsPerSec: put, ServerCPUms: cpu(put / 10)},
			{Op: "GET", Size: 32 << 10, Concurrency: 16, Ops: 1000, OpsPerSec: get},
		}}
		if pages > 0 {
			r.List = &ListResult{Keys: 100000, ListWalk: ListWalk{PagesPerSec: pages}, Raw: &ListWalk{PagesPerSec: 4 * pages}}
		}
		return r
	}
	// Round 2 ran on a busier machine: both servers slower, the ratio the same.
	runs := []*Results{run("gofsync", 1000, 4000, 0), run("imgcdn", 2000, 3000, 150), run("gofsync", 500, 2000, 0), run("imgcdn", 1000, 1500, 170)}
	var b strings.Builder
	writeSummary(&b, runs, "gofsync")
	s := b.String()
	for _, want := range []string{
		"| imgcdn | PUT | 32KiB | 16 | 2 | 1500 (1000-2000) | 150 (100-200) | 2.00x (2.00-2.00) |",
		"| imgcdn | GET | 32KiB | 16 | 2 | 2250 (1500-3000) | n/a | 0.75x (0.75-0.75) |",
		"| gofsync | PUT | 32KiB | 16 | 2 | 750 (500-1000) | 75 (50-100) |  |",
		"| imgcdn | 100000 | aws-sdk-go-v2 | 2 | 160.0 (150.0-170.0) |",
		"| imgcdn | 100000 | raw signed GET (no XML decoding) | 2 | 640.0 (600.0-680.0) |",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	if median([]float64{3, 1, 2}) != 2 || median([]float64{4, 1, 3, 2}) != 2.5 {
		t.Error("median")
	}
}

// TestMedianResults: the condensed run carries medians, summed errors, and the listing of the
// round that listed.
func TestMedianResults(t *testing.T) {
	cpu := func(v float64) *float64 { return &v }
	mk := func(ops, cpuMs float64, errs uint64, list bool) *Results {
		r := &Results{Label: "imgcdn", Phases: []PhaseResult{{Op: "GET", Size: 1, Concurrency: 16, Ops: 100, Errors: errs, OpsPerSec: ops, P99ms: ops / 100, ServerCPUms: cpu(cpuMs)}}}
		if list {
			r.List = &ListResult{Keys: 7}
		}
		return r
	}
	m := medianResults([]*Results{mk(100, 10, 0, true), mk(300, 30, 1, false), mk(200, 50, 0, false)})
	p := m.Phases[0]
	if len(m.Phases) != 1 || p.OpsPerSec != 200 || p.P99ms != 2 || p.Errors != 1 || p.Ops != 300 || perOp(p.ServerCPUms, p.Ops) != "300" {
		t.Errorf("%+v (cpu %s us/op)", p, perOp(p.ServerCPUms, p.Ops))
	}
	if m.List == nil || m.List.Keys != 7 {
		t.Errorf("list %+v", m.List)
	}
}
