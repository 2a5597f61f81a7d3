package edge

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/edgecache"
)

// TestMissHitAge: the first request is a Miss without age, later ones are Hits whose age
// counts the time since the entry was stored, plus the origin's own Age.
func TestMissHitAge(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png bytes"))
	e.load(dist(o.origin("o")))
	first := e.get(domain, "/a.png")
	e.want(first, 200, "Miss", "png bytes")
	if v := first.Header.Get("Age"); v != "" {
		t.Errorf("a Miss carries age %q", v)
	}
	for _, step := range []struct {
		advance time.Duration
		age     string
	}{{0, "0"}, {5 * time.Second, "5"}, {90 * time.Second, "95"}} {
		e.clock.Advance(step.advance)
		a := e.get(domain, "/a.png")
		e.want(a, 200, "Hit", "png bytes")
		if a.Header.Get("Age") != step.age {
			t.Errorf("age %q, want %s", a.Header.Get("Age"), step.age)
		}
	}
	head := e.do(false, http.MethodHead, domain, "/a.png", nil)
	if head.Status != 200 || head.xcache() != "Hit from cloudfront" || head.Body != "" || head.Header.Get("Content-Length") != "9" {
		t.Errorf("HEAD: %d %q %q length %q", head.Status, head.xcache(), head.Body, head.Header.Get("Content-Length"))
	}
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}

	// An origin Age (a cache in front of the origin) adds to the age.
	o.setHandler(static("aged", "Age", "100"))
	e.want(e.get(domain, "/aged.png"), 200, "Miss", "aged")
	e.clock.Advance(3 * time.Second)
	if a := e.get(domain, "/aged.png"); a.Header.Get("Age") != "103" {
		t.Errorf("age with an origin Age of 100: %q, want 103", a.Header.Get("Age"))
	}
}

// TestHeadMissFillsForGet: a HEAD miss fetches the object, so a following GET is a Hit with
// the whole body (the seed's curl -I then GET).
func TestHeadMissFillsForGet(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png bytes"))
	e.load(dist(o.origin("o")))
	head := e.do(false, http.MethodHead, domain, "/a.png", nil)
	if head.Status != 200 || head.xcache() != "Miss from cloudfront" || head.Body != "" {
		t.Fatalf("HEAD: %d %q %q", head.Status, head.xcache(), head.Body)
	}
	if o.last().Method != http.MethodGet {
		t.Errorf("origin saw %s for a HEAD miss, want GET", o.last().Method)
	}
	e.want(e.get(domain, "/a.png"), 200, "Hit", "png bytes")
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}
}

// TestTTLRows runs each row of CloudFront's expiration table end to end: fetch, then check
// that the object is a Hit just before its TTL and refetched just after (or never cached).
func TestTTLRows(t *testing.T) {
	const none = -1
	for _, c := range []struct {
		name          string
		min, def, max int64
		headers       []string // origin response headers; "EXPIRES+n" means Expires n seconds ahead
		ttl           int64    // seconds, or none when not cached at all
	}{
		{"max-age", 0, 86400, 31536000, []string{"Cache-Control", "max-age=100"}, 100},
		{"s-maxage wins over max-age", 0, 86400, 31536000, []string{"Cache-Control", "max-age=100, s-maxage=50"}, 50},
		{"max-age capped by MaxTTL", 0, 86400, 200, []string{"Cache-Control", "max-age=100000"}, 200},
		{"max-age raised to MinTTL", 60, 86400, 31536000, []string{"Cache-Control", "max-age=10"}, 60},
		{"max-age wins over Expires", 0, 86400, 31536000, []string{"Cache-Control", "max-age=30", "Expires", "EXPIRES+300"}, 30},
		{"Expires", 0, 86400, 31536000, []string{"Expires", "EXPIRES+300"}, 300},
		{"Expires capped by MaxTTL", 0, 86400, 100, []string{"Expires", "EXPIRES+300"}, 100},
		{"Expires in the past", 0, 86400, 31536000, []string{"Expires", "EXPIRES+-60"}, none},
		{"DefaultTTL", 0, 300, 31536000, nil, 300},
		{"MinTTL above DefaultTTL", 500, 300, 31536000, nil, 500},
		{"no-store, MinTTL 0", 0, 86400, 31536000, []string{"Cache-Control", "no-store"}, none},
		{"no-cache, MinTTL 0", 0, 86400, 31536000, []string{"Cache-Control", "no-cache"}, none},
		{"private, MinTTL 0", 0, 86400, 31536000, []string{"Cache-Control", "private, max-age=600"}, none},
		{"max-age=0, MinTTL 0", 0, 86400, 31536000, []string{"Cache-Control", "max-age=0"}, none},
		{"no-store, MinTTL 30", 30, 86400, 31536000, []string{"Cache-Control", "no-store"}, 30},
		{"no-cache, MinTTL 30", 30, 86400, 31536000, []string{"Cache-Control", "no-cache"}, 30},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			// The origin's clock is the test's: Expires counts from its Date (RFC 9111 §4.2.1).
			hdr := append([]string{"Date", e.clock.Now().Format(http.TimeFormat)}, c.headers...)
			for i := 1; i < len(hdr); i += 2 {
				if n, ok := cutInt(hdr[i], "EXPIRES+"); ok {
					hdr[i] = e.clock.Now().Add(time.Duration(n) * time.Second).Format(http.TimeFormat)
				}
			}
			o := newOrigin(t, static("object", hdr...))
			d := dist(o.origin("o"))
			b := &d.Config.DefaultCacheBehavior
			b.MinTTL, b.DefaultTTL, b.MaxTTL = i64(c.min), i64(c.def), i64(c.max)
			e.load(d)
			e.want(e.get(domain, "/a"), 200, "Miss", "object")
			if c.ttl == none {
				e.want(e.get(domain, "/a"), 200, "Miss", "object")
				if o.count() != 2 {
					t.Fatalf("origin saw %d requests, want 2 (not cached)", o.count())
				}
				return
			}
			e.clock.Advance(time.Duration(c.ttl)*time.Second - time.Second)
			e.want(e.get(domain, "/a"), 200, "Hit", "object")
			e.clock.Advance(2 * time.Second)
			e.want(e.get(domain, "/a"), 200, "Miss", "object")
			if o.count() != 2 {
				t.Fatalf("origin saw %d requests, want 2", o.count())
			}
		})
	}
}

func cutInt(s, prefix string) (int64, bool) {
	if len(s) <= len(prefix) || s[:len(prefix)] != prefix {
		return 0, false
	}
	n, err := strconv.ParseInt(s[len(prefix):], 10, 64)
	return n, err == nil
}

// TestRevalidation: an expired entry is revalidated with If-None-Match and If-Modified-Since;
// a 304 renews it (RefreshHit, age from the renewal, the 304's new headers) without a body;
// a 200 replaces it (Miss, new bytes).
func TestRevalidation(t *testing.T) {
	e := newEnv(t)
	lm := e.clock.Now().Add(-time.Hour).Format(http.TimeFormat)
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", lm)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.Header().Set("X-Version", "renewed")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		static("version one", "X-Version", "first")(w, r)
	})
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a.png"), 200, "Miss", "version one")
	e.clock.Advance(61 * time.Second)
	a := e.get(domain, "/a.png")
	e.want(a, 200, "RefreshHit", "version one")
	if a.Header.Get("Age") != "0" || a.Header.Get("X-Version") != "renewed" || a.Header.Get("Content-Length") != "11" {
		t.Errorf("RefreshHit headers: age %q x-version %q length %q", a.Header.Get("Age"), a.Header.Get("X-Version"), a.Header.Get("Content-Length"))
	}
	got := o.last()
	if o.count() != 2 || got.Header.Get("If-None-Match") != `"v1"` || got.Header.Get("If-Modified-Since") != lm {
		t.Fatalf("revalidation: %d requests, If-None-Match %q If-Modified-Since %q", o.count(), got.Header.Get("If-None-Match"), got.Header.Get("If-Modified-Since"))
	}
	// Renewed for another max-age.
	e.clock.Advance(59 * time.Second)
	e.want(e.get(domain, "/a.png"), 200, "Hit", "version one")
	if o.count() != 2 {
		t.Fatalf("origin saw %d requests after the renewal, want 2", o.count())
	}

	// The object changes: after expiry the origin answers 200 and the new bytes are a Miss.
	o.setHandler(static("version two", "Cache-Control", "max-age=60", "ETag", `"v2"`))
	e.clock.Advance(2 * time.Second)
	e.want(e.get(domain, "/a.png"), 200, "Miss", "version two")
	if o.last().Header.Get("If-None-Match") != `"v1"` {
		t.Errorf("the changed object was not asked for conditionally")
	}
	e.want(e.get(domain, "/a.png"), 200, "Hit", "version two")
	if o.count() != 3 {
		t.Fatalf("origin saw %d requests, want 3", o.count())
	}
}

// headerSignal is a ResponseRecorder that reports when the Handler has decided on its
// answer's headers, so a test can hold the origin's body until then.
type headerSignal struct {
	*httptest.ResponseRecorder
	wrote chan struct{}
}

func (w *headerSignal) WriteHeader(code int) {
	w.ResponseRecorder.WriteHeader(code)
	close(w.wrote)
}

// TestChangedObjectWhileFilling: when an expired entry is replaced by a new 200 whose body is
// still arriving, the viewer gets the new bytes as they arrive, never the expired entry's.
// The origin holds the new body until the edge has written the viewer's headers, so serving
// the old entry (whose bytes are all there) cannot be hidden by a fast fill.
func TestChangedObjectWhileFilling(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("old bytes", "Cache-Control", "max-age=60", "ETag", `"v1"`))
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a.png"), 200, "Miss", "old bytes")
	e.clock.Advance(61 * time.Second)

	release := make(chan struct{})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	o.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"v2"`)
		w.Header().Set("Content-Length", "9")
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		<-release
		w.Write([]byte("new bytes"))
	})
	rec := &headerSignal{ResponseRecorder: httptest.NewRecorder(), wrote: make(chan struct{})}
	req := httptest.NewRequest(http.MethodGet, "http://"+domain+"/a.png", nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.h.ServeHTTP(rec, req)
	}()
	<-rec.wrote
	close(release)
	<-done
	if rec.Body.String() != "new bytes" || rec.Header().Get("ETag") != `"v2"` || rec.Header().Get("X-Cache") != "Miss from cloudfront" {
		t.Fatalf("changed object: %q etag %q x-cache %q, want the new bytes as a Miss", rec.Body.String(), rec.Header().Get("ETag"), rec.Header().Get("X-Cache"))
	}
	e.want(e.get(domain, "/a.png"), 200, "Hit", "new bytes")
	if o.count() != 2 {
		t.Fatalf("origin saw %d requests, want 2", o.count())
	}
}

// TestStaleIfError: an expired entry is served instead of an origin 5xx within the origin's
// stale-if-error window (RFC 5861), and not after it.
func TestStaleIfError(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("good", "Cache-Control", "max-age=60, stale-if-error=120", "ETag", `"v1"`))
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a.png"), 200, "Miss", "good")
	o.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "broken", http.StatusServiceUnavailable)
	})
	e.clock.Advance(100 * time.Second)
	a := e.get(domain, "/a.png")
	if a.Status != 200 || a.Body != "good" {
		t.Fatalf("within stale-if-error: %d %q", a.Status, a.Body)
	}
	e.clock.Advance(90 * time.Second)
	if a := e.get(domain, "/a.png"); a.Status != 503 || a.xcache() != "Error from cloudfront" {
		t.Fatalf("past stale-if-error: %d %q %q", a.Status, a.xcache(), a.Body)
	}
}

// TestKeepStaleZero: with KeepStale 0 an expired entry without a stale window is dropped, and
// the next request is a plain (unconditional) Miss.
func TestKeepStaleZero(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *edgecache.Config) { c.KeepStale = 0 })
	o := newOrigin(t, static("x", "Cache-Control", "max-age=10", "ETag", `"v1"`))
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a"), 200, "Miss", "x")
	e.clock.Advance(11 * time.Second)
	e.want(e.get(domain, "/a"), 200, "Miss", "x")
	if o.last().Header.Get("If-None-Match") != "" {
		t.Errorf("a dropped entry was revalidated")
	}
}

// TestStaleWhileRevalidate: within stale-while-revalidate the stale copy is answered at once
// (a Hit) while one background request refreshes it; the next viewer gets the new object.
func TestStaleWhileRevalidate(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("v1", "Cache-Control", "max-age=60, stale-while-revalidate=300", "ETag", `"v1"`))
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a.png"), 200, "Miss", "v1")
	o.setHandler(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60, stale-while-revalidate=300")
		w.Header().Set("ETag", `"v2"`)
		w.Write([]byte("v2"))
	})
	e.clock.Advance(90 * time.Second)
	e.want(e.get(domain, "/a.png"), 200, "Hit", "v1")
	// The background revalidation reaches the origin once, then stores v2.
	deadline := time.Now().Add(10 * time.Second)
	for {
		a := e.get(domain, "/a.png")
		if a.Body == "v2" {
			if a.xcache() != "Hit from cloudfront" && a.xcache() != "Miss from cloudfront" {
				t.Fatalf("after the refresh: %q", a.xcache())
			}
			break
		}
		if a.Body != "v1" || time.Now().After(deadline) {
			t.Fatalf("while refreshing: %d %q %q", a.Status, a.xcache(), a.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := o.count(); n != 2 {
		t.Errorf("origin asked %d times, want 2 (the miss and one background revalidation)", n)
	}
	e.clock.Advance(400 * time.Second)
	// Past the window: the viewer waits for the revalidation (a 304 now).
	o.setHandler(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v2"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("v3"))
	})
	e.want(e.get(domain, "/a.png"), 200, "RefreshHit", "v2")
}
