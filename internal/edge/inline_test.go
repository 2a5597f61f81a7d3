package edge

import (
	"net/http"
	"net/http/httptest"
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
	r := httptest.NewRequest(http.MethodGet, "http://"+host+target, nil)
	w := &writeLog{header: http.Header{}}
	ok := e.h.ServeInline(w, r)
	if !ok && w.wrote {
		e.t.Fatalf("ServeInline declined %s after writing", target)
	}
	return ok
}

// TestServeInlineOnlyForMemoryHits: on the event loop the edge answers fresh memory hits
// and declines, before touching the origin, misses, disk hits, stale entries and image
// transforms; an event-loop server then answers the declined ones on a goroutine, so a
// viewer sees the same answers either way.
func TestServeInlineOnlyForMemoryHits(t *testing.T) {
	e := newEnv(t, func(_ *Config, c *edgecache.Config) {
		c.MaxMemBytes, c.MaxMemObjectBytes = 8<<20, 64<<10
	})
	small, large := bigText(20<<10), bigText(200<<10)
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small.css":
			static(small, "Content-Type", "text/css", "Cache-Control", "max-age=60")(w, r)
		default:
			static(large, "Content-Type", "text/css", "Cache-Control", "max-age=60")(w, r)
		}
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
	e.want(get("/small.css"), 200, "Miss", small)
	if !e.inlineAnswer(domain, "/small.css") {
		t.Fatal("a fresh memory hit was declined")
	}
	e.want(get("/small.css"), 200, "Hit", small)
	e.want(get("/large.css"), 200, "Miss", large)
	if e.inlineAnswer(domain, "/large.css") {
		t.Fatal("a hit from disk (larger than MaxMemObjectBytes) was answered inline")
	}
	e.want(get("/large.css"), 200, "Hit", large)
	e.clock.Advance(2 * time.Minute)
	if e.inlineAnswer(domain, "/small.css") {
		t.Fatal("a stale entry was answered inline")
	}
	e.want(get("/small.css"), 200, "Miss", small) // no validators: fetched again
	if n := o.count(); n != 3 {
		t.Errorf("origin saw %d requests, want 3", n)
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
