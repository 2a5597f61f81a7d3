package edge

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
)

func gunzip(t *testing.T, s string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	return string(b)
}

func unbrotli(t *testing.T, s string) string {
	t.Helper()
	b, err := io.ReadAll(brotli.NewReader(strings.NewReader(s)))
	if err != nil {
		t.Fatalf("br body: %v", err)
	}
	return string(b)
}

func hasVary(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), name) {
				return true
			}
		}
	}
	return false
}

// TestCompression: with Compress, a text type of 1,000 bytes or more is served in gzip or br
// as the viewer accepts (br preferred), each encoding cached as its own entry (one origin
// request per encoding), identity for viewers that accept neither, always with
// Vary: Accept-Encoding and a weak ETag on compressed bodies.
func TestCompression(t *testing.T) {
	e := newEnv(t)
	css := bigText(5000)
	o := newOrigin(t, static(css, "Content-Type", "text/css; charset=utf-8", "ETag", `"css1"`, "Cache-Control", "max-age=600"))
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.Compress = true
	e.load(d)

	for round, xcache := range []string{"Miss", "Hit"} {
		for _, c := range []struct {
			accept, enc string
		}{
			{"gzip", "gzip"},
			{"gzip, deflate, br", "br"},
			{"", ""},
			{"deflate", ""},
		} {
			var kv []string
			if c.accept != "" {
				kv = []string{"Accept-Encoding", c.accept}
			}
			a := e.get(domain, "/site.css", kv...)
			want := xcache
			if round == 0 && (c.accept == "deflate") {
				want = "Hit" // deflate is identity: the entry the "" viewer filled
			}
			if a.Status != 200 || a.xcache() != want+" from cloudfront" {
				t.Fatalf("Accept-Encoding %q: %d %q, want %s", c.accept, a.Status, a.xcache(), want)
			}
			if got := a.Header.Get("Content-Encoding"); got != c.enc {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.enc)
			}
			if !hasVary(a.Header, "Accept-Encoding") {
				t.Errorf("Accept-Encoding %q: Vary %q", c.accept, a.Header.Values("Vary"))
			}
			body, etag := a.Body, `"css1"`
			switch c.enc {
			case "gzip":
				body, etag = gunzip(t, a.Body), `W/"css1"`
			case "br":
				body, etag = unbrotli(t, a.Body), `W/"css1"`
			}
			if body != css {
				t.Fatalf("Accept-Encoding %q: body differs after decoding", c.accept)
			}
			if len(a.Body) >= len(css) && c.enc != "" {
				t.Errorf("Accept-Encoding %q: %d bytes compressed from %d", c.accept, len(a.Body), len(css))
			}
			if a.Header.Get("ETag") != etag {
				t.Errorf("Accept-Encoding %q: ETag %q, want %q", c.accept, a.Header.Get("ETag"), etag)
			}
			if cl := a.Header.Get("Content-Length"); cl != itoa(int64(len(a.Body))) {
				t.Errorf("Accept-Encoding %q: Content-Length %q for %d bytes", c.accept, cl, len(a.Body))
			}
		}
		if o.count() != 3 {
			t.Fatalf("round %d: origin saw %d requests, want one per encoding (3)", round, o.count())
		}
	}
}

// TestNoCompression: what is never compressed, whatever the viewer accepts: raster images,
// bodies under 1,000 bytes, bodies the origin already encoded, behaviours without Compress.
func TestNoCompression(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(bigText(3000)))
	zw.Close()
	for _, c := range []struct {
		name     string
		compress bool
		body     string
		kv       []string
		enc      string // the Content-Encoding the viewer gets (the origin's own)
	}{
		{"image/png", true, bigText(5000), []string{"Content-Type", "image/png"}, ""},
		{"image/jpeg", true, bigText(5000), []string{"Content-Type", "image/jpeg"}, ""},
		{"999 bytes", true, bigText(999), []string{"Content-Type", "text/css"}, ""},
		{"encoded by the origin", true, gz.String(), []string{"Content-Type", "text/css", "Content-Encoding", "gzip"}, "gzip"},
		{"Compress false", false, bigText(5000), []string{"Content-Type", "text/css"}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			o := newOrigin(t, static(c.body, c.kv...))
			d := dist(o.origin("o"))
			d.Config.DefaultCacheBehavior.Compress = c.compress
			e.load(d)
			for _, xcache := range []string{"Miss", "Hit"} {
				a := e.get(domain, "/f", "Accept-Encoding", "gzip, br")
				e.on(t).want(a, 200, xcache, c.body)
				if a.Header.Get("Content-Encoding") != c.enc {
					t.Errorf("Content-Encoding %q, want %q", a.Header.Get("Content-Encoding"), c.enc)
				}
				if !c.compress && hasVary(a.Header, "Accept-Encoding") {
					t.Errorf("Vary: Accept-Encoding without Compress")
				}
			}
			if o.count() != 1 {
				t.Fatalf("origin saw %d requests, want 1", o.count())
			}
		})
	}
}

// TestCompressedRevalidation: a compressed entry renewed by a 304 stays what it is: a weak
// ETag (the origin's 304 carries its strong one) and Vary: Accept-Encoding (the 304's Vary
// names only the origin's own fields), and the 304's per-response headers (S3 request ids,
// Set-Cookie when cookies are not forwarded) are not stored.
func TestCompressedRevalidation(t *testing.T) {
	e := newEnv(t)
	css := bigText(4000)
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Vary", "Origin")
		w.Header().Set("X-Amz-Request-Id", "REQ"+itoa(int64(len(r.Header.Get("If-None-Match")))))
		w.Header().Set("Set-Cookie", "track=1")
		if inm := r.Header.Get("If-None-Match"); inm == `"v1"` || inm == `W/"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		static(css, "Content-Type", "text/css")(w, r)
	})
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.Compress = true
	e.load(d)
	first := e.get(domain, "/a.css", "Accept-Encoding", "gzip")
	if first.xcache() != "Miss from cloudfront" || gunzip(t, first.Body) != css {
		t.Fatalf("first: %q", first.xcache())
	}
	e.clock.Advance(61 * time.Second)
	a := e.get(domain, "/a.css", "Accept-Encoding", "gzip")
	if a.xcache() != "RefreshHit from cloudfront" || a.Header.Get("Content-Encoding") != "gzip" || gunzip(t, a.Body) != css {
		t.Fatalf("after expiry: %q encoding %q", a.xcache(), a.Header.Get("Content-Encoding"))
	}
	if o.count() != 2 {
		t.Fatalf("origin saw %d requests, want 2", o.count())
	}
	for _, got := range []answer{a, e.get(domain, "/a.css", "Accept-Encoding", "gzip")} {
		if got.Header.Get("ETag") != `W/"v1"` {
			t.Errorf("%s: ETag %q, want W/\"v1\"", got.xcache(), got.Header.Get("ETag"))
		}
		if !hasVary(got.Header, "Accept-Encoding") || !hasVary(got.Header, "Origin") {
			t.Errorf("%s: Vary %q", got.xcache(), got.Header.Values("Vary"))
		}
		if v := got.Header.Get("X-Amz-Request-Id"); v != "" {
			t.Errorf("%s: X-Amz-Request-Id %q stored", got.xcache(), v)
		}
		if v := got.Header.Get("Set-Cookie"); v != "" {
			t.Errorf("%s: Set-Cookie %q stored", got.xcache(), v)
		}
	}
}
