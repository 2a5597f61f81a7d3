package edge

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/edgecache"
)

// writeLog is a ResponseWriter that only records whether anything was written to it.
type writeLog struct {
	header http.Header
	wrote  bool
}

func (w *writeLog) Header() http.Header         { return w.header }
func (w *writeLog) WriteHeader(int)             { w.wrote = true }
func (w *writeLog) Write(p []byte) (int, error) { w.wrote = true; return len(p), nil }

// inlineAnswer calls ServeInline for GET host+target and reports whether it answered; a
// declined request must have written nothing.
func (e *env) inlineAnswer(host, target string) bool {
	e.t.Helper()
	return e.inlineAnswerTo(http.MethodGet, host, target)
}

// inlineAnswerTo is inlineAnswer for any method, with request header name, value pairs kv.
func (e *env) inlineAnswerTo(method, host, target string, kv ...string) bool {
	e.t.Helper()
	r := httptest.NewRequest(method, "http://"+host+target, nil)
	for i := 0; i+1 < len(kv); i += 2 {
		r.Header.Add(kv[i], kv[i+1])
	}
	w := &writeLog{header: http.Header{}}
	ok := e.h.ServeInline(w, r)
	if !ok && w.wrote {
		e.t.Fatalf("ServeInline declined %s after writing", target)
	}
	return ok
}

// TestServeInlineOnlyWithoutWaiting: on the event loop the edge answers fresh hits whose body
// is in memory (the memory tier, or the page cache for a disk entry that fits a copy buffer)
// or not needed (HEAD, 304), and declines, before touching the origin, misses, larger disk hits,
// stale entries and image transforms; an event-loop server then answers the declined ones on
// a goroutine, so a viewer sees the same answers either way.
func TestServeInlineOnlyWithoutWaiting(t *testing.T) {
	e := newEnv(t, func(_ *Config, c *edgecache.Config) {
		c.MaxMemBytes, c.MaxMemObjectBytes = 8<<20, 16<<10
	})
	bodies := map[string]string{
		"/small.css":  bigText(10 << 10),  // memory tier
		"/medium.css": bigText(40 << 10),  // disk tier, fits a copy buffer
		"/large.css":  bigText(200 << 10), // disk tier, does not
	}
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		static(bodies[r.URL.Path], "Content-Type", "text/css", "Cache-Control", "max-age=60", "ETag", `"v1"`)(w, r)
	})
	e.load(dist(o.origin("o1")))

	addr := serveOwn(t, e.h, true)
	get := func(path string) answer {
		t.Helper()
		return e.doAt("http://"+addr, http.MethodGet, domain, path, nil)
	}

	if e.inlineAnswer(domain, "/small.css") || o.count() != 0 {
		t.Fatalf("a miss was answered inline, or reached the origin (%d requests)", o.count())
	}
	for _, p := range []string{"/small.css", "/medium.css", "/large.css"} {
		e.want(get(p), 200, "Miss", bodies[p])
	}
	if !e.inlineAnswer(domain, "/small.css") {
		t.Fatal("a fresh memory hit was declined")
	}
	if !e.inlineAnswer(domain, "/medium.css") {
		t.Fatal("a fresh disk hit the page cache holds, within a copy buffer, was declined")
	}
	if e.inlineAnswer(domain, "/large.css") {
		t.Fatal("a disk hit larger than a copy buffer was answered inline")
	}
	if !e.inlineAnswerTo(http.MethodHead, domain, "/large.css") {
		t.Fatal("a HEAD of a fresh disk hit, which needs no body, was declined")
	}
	if !e.inlineAnswerTo(http.MethodGet, domain, "/large.css", "If-None-Match", `"v1"`) {
		t.Fatal("a revalidation of a fresh disk hit, answered 304 without a body, was declined")
	}
	if e.inlineAnswerTo(http.MethodGet, domain, "/large.css", "If-None-Match", `"v0"`) {
		t.Fatal("a GET whose validator does not match, which needs the body, was answered inline")
	}
	if a := e.doAt("http://"+addr, http.MethodGet, domain, "/large.css", nil, "If-None-Match", `"v1"`); a.Status != 304 || a.Body != "" {
		t.Fatalf("revalidation of a disk hit: %d, %d body bytes", a.Status, len(a.Body))
	}
	if a := e.doAt("http://"+addr, http.MethodHead, domain, "/large.css", nil); a.Status != 200 ||
		a.xcache() != "Hit from cloudfront" || a.Header.Get("Content-Length") != strconv.Itoa(len(bodies["/large.css"])) || a.Body != "" {
		t.Fatalf("HEAD of a disk hit: %d %q Content-Length %q, %d body bytes", a.Status, a.xcache(), a.Header.Get("Content-Length"), len(a.Body))
	}
	for _, p := range []string{"/small.css", "/medium.css", "/large.css"} {
		e.want(get(p), 200, "Hit", bodies[p])
	}
	e.clock.Advance(2 * time.Minute)
	if e.inlineAnswer(domain, "/small.css") || e.inlineAnswer(domain, "/medium.css") {
		t.Fatal("a stale entry was answered inline")
	}
	e.want(get("/small.css"), 200, "Miss", bodies["/small.css"]) // no validators: fetched again
	if n := o.count(); n != 4 {
		t.Errorf("origin saw %d requests, want 4", n)
	}
	if st := e.cache.Stats(); st.DiskHits < 4 {
		t.Errorf("%d disk hits, want at least 4 (medium and large, inline and not)", st.DiskHits)
	}
}

// TestServeInlineImageVariants: a variant in memory is answered inline; one not made yet is
// declined before the source is fetched or anything transformed.
func TestServeInlineImageVariants(t *testing.T) {
	e, eng := newImageEnv(t, nil, func(_ *Config, c *edgecache.Config) { c.MaxMemBytes = 8 << 20 })
	o := newOrigin(t, imgFiles(map[string][]byte{"/a.jpg": imgJPEG(t, imgPhoto(400, 300))}))
	e.load(imageDist(o))
	const target = "/cdn-cgi/image/format=png,w=100/a.jpg"
	if e.inlineAnswer(domain, target) || o.count() != 0 || eng.transforms.Load() != 0 {
		t.Fatalf("a variant not made yet was answered inline, or work started (%d origin requests, %d transforms)",
			o.count(), eng.transforms.Load())
	}
	if a := e.get(domain, target); a.Status != 200 || a.xcache() != "Miss from cloudfront" || imgMagic(a.Body) != "png" {
		t.Fatalf("first transform: %d %q %q", a.Status, a.xcache(), imgMagic(a.Body))
	}
	if !e.inlineAnswer(domain, target) {
		t.Fatal("a variant in memory was declined")
	}
	if n := eng.transforms.Load(); n != 1 {
		t.Errorf("%d transforms, want 1", n)
	}
}
