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
	wantLines(t, "report", got,
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
		"| 1 | small.png | 64 | nginx | 50000 | 0.60 | 4.00 | 50.0 | 10 | 0 | 33000 |\n")

	// The HTTPS runs form their own section between the HTTP ratios and the TTFB table, with
	// imgcdn and nginx only (no Varnish column), and stay out of the HTTP medians above.
	https := after(t, got, "Cache hits over HTTPS")
	https, _, _ = strings.Cut(https, "\n## Cache hits with equal response sizes")
	wantLines(t, "HTTPS section", https,
		// imgcdn: 50,000 and 37,500 req/s; CPU 2 s/100,000 and 1.5 s/75,000 = 20 µs.
		"| small.png | 64 | imgcdn | 43750 (37500-50000) | 0.80 | 3.00 | 20.0 | 40 | 0 |\n",
		"| small.png | 64 | nginx | 45000 (40000-50000) | 0.90 | 4.00 | 22.5 | 10 | 0 |\n",
		"\n## Ratios over HTTPS imgcdn / nginx\n",
		"| object | conns | req/s vs nginx | p99 vs nginx | CPU/req vs nginx |\n|---|---:|---:|---:|---:|\n",
		// Within-round ratios: req/s 1.25 and 0.75, p99 0.5 and 1.5, CPU/req 0.8 and 1.
		"| small.png | 64 | 1.00 (0.75-1.25) | 1.00 (0.50-1.50) | 0.90 (0.80-1.00) |\n")
	if strings.Contains(https, "varnish") {
		t.Errorf("HTTPS section mentions varnish, which ran over HTTP only:\n%s", https)
	}
	// The equal-size runs have their own section too, and stay out of the other medians.
	eq := after(t, got, "Cache hits with equal response sizes")
	wantLines(t, "equal-size section", eq,
		// imgcdn 60,000 req/s, CPU 2.4 s / 120,000 = 20 µs; nginx 50,000, 20 µs.
		"| small.png | 64 | imgcdn | 60000 (60000-60000) | 0.50 | 2.00 | 20.0 | 40 | 0 |\n",
		"| small.png | 64 | nginx | 50000 (50000-50000) | 0.60 | 4.00 | 20.0 | 10 | 0 |\n",
		"| small.png | 64 | 1.20 | 0.50 | 1.00 |\n")
	// So do the large-object runs against nginx without sendfile, after the equal-size ones.
	cp := after(t, eq, "Large object, nginx without sendfile")
	wantLines(t, "copy-path section", cp,
		// imgcdn 2,500 req/s, CPU 2.5 s / 5,000 = 500 µs; nginx 2,000, 2 s / 4,000 = 500 µs.
		"| large.jpg | 256 | imgcdn | 2500 (2500-2500) | 60.00 | 240.00 | 500.0 | 40 | 0 |\n",
		"| large.jpg | 256 | nginx | 2000 (2000-2000) | 90.00 | 300.00 | 500.0 | 10 | 0 |\n",
		"| large.jpg | 256 | 1.25 | 0.80 | 1.00 |\n")
	if strings.Contains(eq[:len(eq)-len(cp)], "large.jpg") {
		t.Errorf("the equal-size section shows the copy-path runs:\n%s", eq)
	}
	// The disk-tier runs come last, under their own heading.
	wantLines(t, "disk-tier section", after(t, cp, "Disk-tier hits"),
		// imgcdn 30,000 req/s, CPU 2.7 s / 90,000 = 30 µs; nginx 40,000, 2.4 s / 120,000 = 20 µs.
		"| small.png | 64 | imgcdn | 30000 (30000-30000) | 0.70 | 5.00 | 30.0 | 20 | 0 |\n",
		"| small.png | 64 | nginx | 40000 (40000-40000) | 0.50 | 4.00 | 20.0 | 10 | 0 |\n",
		"\n## Ratios of disk-tier hits imgcdn / nginx\n",
		"| small.png | 64 | 0.75 | 1.25 | 1.50 |\n")
	wantLines(t, "report", got, "| 1 | small.png | 64 | imgcdn (https) | 50000 | 0.80 | 3.00 | 20.0 | 40 | 0 | 32500 |\n")
}

// after returns what follows the heading "## heading" in text, failing the test without it.
func after(t *testing.T, text, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, "\n## "+heading+"\n")
	if !ok {
		t.Fatalf("no section %q in\n%s", heading, text)
	}
	return rest
}

// wantLines reports each of wants that text, the part of the report called what, lacks.
func wantLines(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q\n%s:\n%s", what, want, what, text)
		}
	}
}

func TestParseRawRejectsBadLines(t *testing.T) {
	for _, line := range []string{
		"wrk 1 imgcdn small.png 64 0 2000000 500 2000 0 1 1 2 3",       // no requests
		"wrk 1 imgcdn small.png 64 10 2000000 500 2000 0 1 1 2",        // a field short
		"wrk 1 imgcdn small.png 64 10 2000000 500 2000 0 1 1 2 3 quic", // unknown protocol
		"ttfb imgcdn fast", // not a number
		"mem imgcdn 10 1",  // a field short
		"latency imgcdn 1", // unknown record
	} {
		if _, err := parseRaw(strings.NewReader(line + "\n")); err == nil {
			t.Errorf("parseRaw(%q) gave no error", line)
		}
	}
}
