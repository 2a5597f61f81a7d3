package edge

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

const digits = "0123456789abcdefghij" // 20 bytes

// TestViewerConditionals: a viewer's If-None-Match / If-Modified-Since get a 304 from the
// cache (on the Miss that fills it too), If-Match a 412, without asking the origin again.
func TestViewerConditionals(t *testing.T) {
	e := newEnv(t)
	lm := e.clock.Now().Add(-time.Hour)
	o := newOrigin(t, static(digits, "ETag", `"abc"`, "Last-Modified", lm.Format(http.TimeFormat), "Cache-Control", "max-age=600"))
	e.load(dist(o.origin("o")))
	for _, c := range []struct {
		name   string
		kv     []string
		status int
		xcache string
	}{
		{"If-None-Match on the miss", []string{"If-None-Match", `"abc"`}, 304, "Miss"},
		{"If-None-Match", []string{"If-None-Match", `"abc"`}, 304, "Hit"},
		{"If-None-Match weak", []string{"If-None-Match", `W/"abc"`}, 304, "Hit"},
		{"If-None-Match list", []string{"If-None-Match", `"x", "abc"`}, 304, "Hit"},
		{"If-None-Match star", []string{"If-None-Match", `*`}, 304, "Hit"},
		{"If-None-Match other", []string{"If-None-Match", `"old"`}, 200, "Hit"},
		{"If-Modified-Since equal", []string{"If-Modified-Since", lm.Format(http.TimeFormat)}, 304, "Hit"},
		{"If-Modified-Since earlier", []string{"If-Modified-Since", lm.Add(-time.Minute).Format(http.TimeFormat)}, 200, "Hit"},
		{"If-Match", []string{"If-Match", `"abc"`}, 200, "Hit"},
		{"If-Match other", []string{"If-Match", `"old"`}, 412, "Error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.on(t).get(domain, "/a", c.kv...)
			if a.Status != c.status || a.xcache() != c.xcache+" from cloudfront" {
				t.Fatalf("%d %q, want %d %s", a.Status, a.xcache(), c.status, c.xcache)
			}
			switch c.status {
			case 304:
				if a.Body != "" || a.Header.Get("ETag") != `"abc"` || a.Header.Get("Content-Length") != "" {
					t.Errorf("304: body %q etag %q length %q", a.Body, a.Header.Get("ETag"), a.Header.Get("Content-Length"))
				}
			case 200:
				if a.Body != digits {
					t.Errorf("200 body %q", a.Body)
				}
			}
		})
	}
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}
}

// TestRanges: single ranges are served from the cached object (206 with Content-Range), as
// are If-Range matches; unsatisfiable ranges get 416; multiple ranges get the whole object.
func TestRanges(t *testing.T) {
	e := newEnv(t)
	lm := e.clock.Now().Add(-time.Hour).Format(http.TimeFormat)
	o := newOrigin(t, static(digits, "ETag", `"abc"`, "Last-Modified", lm, "Accept-Ranges", "bytes"))
	e.load(dist(o.origin("o")))
	for _, c := range []struct {
		name   string
		kv     []string
		status int
		cr     string
		body   string
	}{
		{"on the miss", []string{"Range", "bytes=2-5"}, 206, "bytes 2-5/20", "2345"},
		{"first bytes", []string{"Range", "bytes=0-0"}, 206, "bytes 0-0/20", "0"},
		{"open end", []string{"Range", "bytes=15-"}, 206, "bytes 15-19/20", "fghij"},
		{"suffix", []string{"Range", "bytes=-3"}, 206, "bytes 17-19/20", "hij"},
		{"end clamped", []string{"Range", "bytes=18-100"}, 206, "bytes 18-19/20", "ij"},
		{"If-Range etag", []string{"Range", "bytes=2-5", "If-Range", `"abc"`}, 206, "bytes 2-5/20", "2345"},
		{"If-Range date", []string{"Range", "bytes=2-5", "If-Range", lm}, 206, "bytes 2-5/20", "2345"},
		{"If-Range other etag", []string{"Range", "bytes=2-5", "If-Range", `"old"`}, 200, "", digits},
		{"If-Range weak etag", []string{"Range", "bytes=2-5", "If-Range", `W/"abc"`}, 200, "", digits},
		{"If-Range other date", []string{"Range", "bytes=2-5", "If-Range", "Mon, 02 Jan 2006 15:04:05 GMT"}, 200, "", digits},
		{"multiple ranges", []string{"Range", "bytes=0-1,4-5"}, 200, "", digits},
		{"unsatisfiable", []string{"Range", "bytes=20-30"}, 416, "bytes */20", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.on(t).get(domain, "/a", c.kv...)
			if a.Status != c.status || a.Header.Get("Content-Range") != c.cr || a.Body != c.body {
				t.Fatalf("%d Content-Range %q body %q, want %d %q %q", a.Status, a.Header.Get("Content-Range"), a.Body, c.status, c.cr, c.body)
			}
			if c.status != 416 && a.Header.Get("Content-Length") != itoa(int64(len(c.body))) {
				t.Errorf("Content-Length %q for %d bytes", a.Header.Get("Content-Length"), len(c.body))
			}
		})
	}
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}
	if got := o.last().Header.Get("Range"); got != "" {
		t.Errorf("the fill asked the origin for a range: %q", got)
	}
}

// TestRangeWhileFilling: a Range request that arrives while the object is being filled is
// answered 206 at once from the fill (the length is known from the origin's Content-Length)
// and gets its bytes as they arrive.
func TestRangeWhileFilling(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	var once bool
	defer func() {
		if !once {
			close(release)
		}
	}()
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "20")
		w.Header().Set("ETag", `"abc"`)
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(digits[:10]))
		w.(http.Flusher).Flush()
		<-release
		w.Write([]byte(digits[10:]))
	})
	e.load(dist(o.origin("o")))

	first := &headerSignal{ResponseRecorder: httptest.NewRecorder(), wrote: make(chan struct{})}
	done1 := make(chan struct{})
	go func() {
		defer close(done1)
		e.h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "http://"+domain+"/a", nil))
	}()
	<-first.wrote
	for e.cache.Stats().Filling == 0 {
		runtime.Gosched()
	}
	rng := &headerSignal{ResponseRecorder: httptest.NewRecorder(), wrote: make(chan struct{})}
	req := httptest.NewRequest(http.MethodGet, "http://"+domain+"/a", nil)
	req.Header.Set("Range", "bytes=8-12")
	done2 := make(chan struct{})
	go func() {
		defer close(done2)
		e.h.ServeHTTP(rng, req)
	}()
	<-rng.wrote
	if rng.Code != 206 || rng.Header().Get("Content-Range") != "bytes 8-12/20" || rng.Header().Get("Content-Length") != "5" {
		t.Errorf("range while filling: %d %q length %q", rng.Code, rng.Header().Get("Content-Range"), rng.Header().Get("Content-Length"))
	}
	once = true
	close(release)
	<-done1
	<-done2
	if first.Body.String() != digits || rng.Body.String() != "89abc" {
		t.Fatalf("bodies %q and %q", first.Body.String(), rng.Body.String())
	}
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}
	if !strings.Contains(rng.Header().Get("X-Cache"), "from cloudfront") {
		t.Errorf("x-cache %q", rng.Header().Get("X-Cache"))
	}
}

// TestFarRangeOnColdObject: a range far into an object that is not cached is fetched as a
// range from the origin at once (not after everything before it), while the whole object
// fills in the background; later ranges come from the cache.
func TestFarRangeOnColdObject(t *testing.T) {
	e := newEnv(t)
	body := strings.Repeat("0123456789abcdef", 256<<10) // 4 MiB
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("ETag", `"big"`)
		http.ServeContent(w, r, "big.bin", time.Time{}, strings.NewReader(body))
	})
	e.load(dist(o.origin("o")))
	a := e.get(domain, "/big.bin", "Range", "bytes=3000000-3000099")
	if a.Status != http.StatusPartialContent || a.Body != body[3000000:3000100] ||
		a.Header.Get("Content-Range") != "bytes 3000000-3000099/4194304" {
		t.Fatalf("far range: %d %q %q", a.Status, a.Header.Get("Content-Range"), clip(a.Body))
	}
	sawRange := false
	for range 200 {
		o.mu.Lock()
		for _, r := range o.reqs {
			if r.Header.Get("Range") == "bytes=3000000-3000099" {
				sawRange = true
			}
		}
		o.mu.Unlock()
		if e.h.cfg.Cache.Stats().Commits > 0 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !sawRange {
		t.Fatalf("the origin never saw the viewer's range")
	}
	b := e.get(domain, "/big.bin", "Range", "bytes=4000000-4000009")
	if b.Status != http.StatusPartialContent || b.Body != body[4000000:4000010] || b.xcache() != "Hit from cloudfront" {
		t.Fatalf("after the background fill: %d %q %q", b.Status, b.xcache(), b.Body)
	}
}
