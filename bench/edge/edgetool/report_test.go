package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportFromRaw(t *testing.T) {
	header := filepath.Join(t.TempDir(), "header.md")
	if err := os.WriteFile(header, []byte("# Header line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeReport(&b, "testdata/raw.txt", header); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		"# Header line\n",
		// imgcdn: 100,000 and 150,000 req/s over the rounds; CPU 2 s/200,000 and 3 s/300,000 = 10 µs.
		"| small.png | 64 | imgcdn | 125000 (100000-150000) | 0.50 | 5.00 | 10.0 | 40 | 0 |\n",
		"| small.png | 64 | varnish | 25000 (25000-25000) | 0.70 | 1.00 | 30.0 | 200 | 3 |\n",
		// Within-round ratios vs nginx: req/s 2 and 1, p99 0.5 and 2, CPU/req 10/50 and 10/10.
		// Varnish ran in round 1 only: req/s 4, p99 2, CPU 10/30.
		"| small.png | 64 | 1.50 (1.00-2.00) | 1.25 (0.50-2.00) | 0.60 (0.20-1.00) | 4.00 | 2.00 | 0.33 |\n",
		// TTFB medians: origin 2 ms, imgcdn 3 ms, nginx 1.5 ms.
		"| imgcdn | 2 | 3.000 | 1.50 | 1.000 |\n",
		"| nginx | 2 | 1.500 | 0.75 | -0.500 |\n",
		// 40 MiB over 1000 objects is 40.96 KiB each; 36,000 KiB of disk is 36 KiB each.
		"| imgcdn | 1000 | 40.0 | 80.0 | 41.0 | 36.0 |\n",
		"| nginx | 1000 | 10.0 | 10.1 | 0.1 | 40.0 |\n",
		"| 2 | small.png | 64 | imgcdn | 150000 | 0.50 | 8.00 | 10.0 | 40 | 0 | 32500 |\n",
		"| 1 | small.png | 64 | nginx | 50000 | 0.60 | 4.00 | 50.0 | 10 | 0 | 33000 |\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q\nreport:\n%s", want, got)
		}
	}
}

func TestParseRawRejectsBadLines(t *testing.T) {
	for _, line := range []string{
		"wrk 1 imgcdn small.png 64 0 2000000 500 2000 0 1 1 2 3", // no requests
		"wrk 1 imgcdn small.png 64 10 2000000 500 2000 0 1 1 2",  // a field short
		"ttfb imgcdn fast", // not a number
		"mem imgcdn 10 1",  // a field short
		"latency imgcdn 1", // unknown record
	} {
		if _, err := parseRaw(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("parseRaw(%q) gave no error", line)
		}
	}
}
