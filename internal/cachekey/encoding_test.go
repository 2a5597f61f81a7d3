package cachekey

import "testing"

func TestNormalizeAndEncoding(t *testing.T) {
	both := Policy{Gzip: true, Brotli: true}
	gz := Policy{Gzip: true}
	br := Policy{Brotli: true}
	cases := []struct {
		p        Policy
		ae       string
		norm, en string
	}{
		// "Cache compressed objects", both formats enabled.
		{both, "gzip, deflate, br", "br,gzip", "br"},
		{both, "br", "br", "br"},
		{both, "gzip", "gzip", "gzip"},
		{both, "deflate, sdch", "", ""},
		{both, "", "", ""},
		{both, "identity", "", ""},
		{both, "*", "", ""},
		// One format enabled.
		{gz, "gzip, br", "gzip", "gzip"},
		{gz, "br", "", ""},
		{br, "gzip, br", "br", "br"},
		{br, "gzip", "", ""},
		{Policy{}, "gzip, br", "", ""},
		// Weights (RFC 9110 12.5.3).
		{both, "gzip;q=0, br", "br", "br"},
		{both, "gzip, br;q=0", "gzip", "gzip"},
		{both, "br;q=0.0, gzip;q=0.000", "", ""},
		{both, "br;q=0.001", "br", "br"},
		{both, "br;q=1, gzip;q=0.5", "br,gzip", "br"},
		{both, "gzip, gzip;q=0", "", ""}, // listed as not acceptable: not acceptable
		{both, "br;Q=0", "", ""},
		{both, "br ; q = 0", "", ""},
		{both, "br;q=abc", "", ""},
		{both, "br;q=2", "", ""},
		{both, "br;level=5", "br", "br"},
		// Names are case-insensitive; x-gzip is gzip.
		{both, "GZIP, Br", "br,gzip", "br"},
		{gz, "x-gzip", "gzip", "gzip"},
		{both, "gzip2, bro", "", ""},
	}
	for _, c := range cases {
		if got := NormalizeAcceptEncoding(c.p, c.ae); got != c.norm {
			t.Errorf("NormalizeAcceptEncoding(%+v, %q) = %q, want %q", c.p, c.ae, got, c.norm)
		}
		if got := Encoding(c.p, c.ae); got != c.en {
			t.Errorf("Encoding(%+v, %q) = %q, want %q", c.p, c.ae, got, c.en)
		}
	}
}

func TestCompressible(t *testing.T) {
	cases := []struct {
		ct   string
		n    int64
		want bool
	}{
		{"text/html", 5000, true},
		{"text/html; charset=utf-8", 5000, true},
		{"Text/HTML", 5000, true},
		{"application/json", 1000, true},      // lower bound included
		{"application/json", 999, false},      // below 1,000
		{"application/json", 10000000, true},  // upper bound included
		{"application/json", 10000001, false}, // above 10,000,000
		{"application/javascript", -1, false}, // no Content-Length
		{"image/svg+xml", 4096, true},         // the only image type on the list
		{"image/png", 32369, false},           // raster images never
		{"image/jpeg", 1 << 20, false},
		{"image/webp", 50000, false},
		{"image/gif", 50000, false},
		{"image/avif", 50000, false},
		{"application/octet-stream", 5000, false},
		{"video/mp4", 5000, false},
		{"", 5000, false},
		{"text/css", 2000, true},
		{"font/woff2", 20000, false}, // already compressed, not on the list
		{"vnd.apple.mpegurl", 2000, true},
		{"application/vnd.apple.mpegurl", 2000, true},
		{"text/x-java-source", 2000, true},
		{"application/xml+evil", 2000, false},
	}
	for _, c := range cases {
		if got := Compressible(c.ct, c.n); got != c.want {
			t.Errorf("Compressible(%q, %d) = %v, want %v", c.ct, c.n, got, c.want)
		}
	}
}
