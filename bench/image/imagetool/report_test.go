package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleRaw = `run engine photo.jpg 300 jpeg 1 40 2000000 48000 60000 0 9000 120000 1.90 hwm
run imgproxy photo.jpg 300 jpeg 1 30 2000000 66000 80000 0 9100 300000 1.95 hwm
run floor photo.jpg 300 jpeg 1 48 2000000 41000 41000 0 9050 50000 1.80 rusage
run engine photo.jpg 300 jpeg 1 44 2000000 45000 58000 0 9000 121000 1.90 hwm
run imgproxy photo.jpg 300 jpeg 1 30 2000000 66000 80000 0 9100 300000 1.95 hwm
run floor photo.jpg 300 jpeg 1 48 2000000 41000 41000 0 9050 50000 1.80 rusage

run engine graphic.png 1200 avif 2 4 2000000 900000 1100000 1 30000 250000 3.9 sampled
run floor graphic.png 1200 avif 2 8 2000000 500000 500000 0 30500 90000 3.8 rusage
`

func TestReport(t *testing.T) {
	dir := t.TempDir()
	raw := filepath.Join(dir, "raw.txt")
	if err := os.WriteFile(raw, []byte(sampleRaw), 0o644); err != nil {
		t.Fatal(err)
	}
	header := filepath.Join(dir, "h.md")
	if err := os.WriteFile(header, []byte("# HEADER\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeReport(&b, raw, header); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"# HEADER\n",
		"| source | output | clients | engine | imgproxy | floor | engine / imgproxy | floor / engine | CPU engine / floor | issue's imgproxy v4 |",
		// engine median (20+22)/2 = 21/s, imgproxy 15/s, floor 24/s: 1.40 and 24/21 = 1.14; CPU
		// per transform: engine median of 1.9/40 and 1.9/44 = 45.2 ms, floor 1.8/48 = 37.5 ms.
		"| photo.jpg | 300 px jpeg | 1 | 21.0 | 15.0 | 24.0 | 1.40 | 1.14 (met) | 1.21 | 38-45 |",
		// no imgproxy run: no ratio; floor 4/s over engine 2/s misses the goal; CPU 975/475 ms.
		"| graphic.png | 1200 px avif | 2 | 2.0 | - | 4.0 | - | 2.00 (not met) | 2.05 | - |",
		// details: engine p50 median 46.5 ms, RSS median (120000+121000)/2 KiB = 117.7 MiB, CPU 1.9 s / 42.
		"| photo.jpg | 300 px jpeg | 1 | engine | 21.0 | 46 | 59 | 118 | 45 | 9000 | 0 |",
		"| graphic.png | 1200 px avif | 2 | engine | 2.0 | 900 | 1100 | 244 | 975 | 30000 | 1 |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q; report:\n%s", want, got)
		}
	}
	// Rows: clients 1 before 2, photo before graphic.
	if strings.Index(got, "| photo.jpg | 300 px jpeg | 1 |") > strings.Index(got, "| graphic.png | 1200 px avif | 2 |") {
		t.Error("rows out of order")
	}
}

func TestParseRawRefuses(t *testing.T) {
	for name, line := range map[string]string{
		"short":       "run engine photo.jpg 300 jpeg 1 40",
		"no runs":     "run engine photo.jpg 300 jpeg 1 0 2000000 48000 60000 0 9000 120000 1.90 hwm",
		"bad number":  "run engine photo.jpg 300 jpeg one 40 2000000 48000 60000 0 9000 120000 1.90 hwm",
		"other entry": "ttfb engine 0.1",
	} {
		if _, err := parseRaw(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("%s: parsed %q", name, line)
		}
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := record{server: "imgcdn", cellKey: cellKey{pngName, 1200, "webp"}, clients: 2, n: 9, durUS: 3e6,
		p50: 500000, p99: 700000, errors: 1, outBytes: 4242, peakKiB: 200000, cpu: 5.5, peakFrom: "hwm"}
	var b strings.Builder
	if err := r.write(&b); err != nil {
		t.Fatal(err)
	}
	got, err := parseRaw(strings.NewReader(b.String()))
	if err != nil || len(got) != 1 || got[0] != r {
		t.Errorf("round trip of %+v: %+v, %v", r, got, err)
	}
}
