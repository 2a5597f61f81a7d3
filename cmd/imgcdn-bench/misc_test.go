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
	got := failures(&Results{Phases: []PhaseResult{{Errors: 2}, {Errors: 3}}, List: &ListResult{Error: "x"}, Big: &BigResult{Error: "y"}})
	if got != "5 failed PUT/GET requests, listing failed, big upload failed" {
		t.Errorf("got %q", got)
	}
}
