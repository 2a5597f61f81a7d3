package edge

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/edgecache"
)

// discardWriter is a ResponseWriter that keeps only the status and the byte count, so the
// benchmarks measure the Handler and the cache, not a recorder's buffer or a network.
type discardWriter struct {
	h      http.Header
	status int
	n      int64
}

func (w *discardWriter) Header() http.Header { return w.h }
func (w *discardWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *discardWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.n += int64(len(p))
	return len(p), nil
}

func (w *discardWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

const benchSize = 32 << 10

// benchHit serves one cached 32 KiB object b.N times through the whole Handler, on a
// goroutine (ServeHTTP).
func benchHit(b *testing.B, memBytes int64) { benchServe(b, memBytes, false) }

// benchServe serves one cached 32 KiB object b.N times through the whole Handler: on an
// event loop (ServeInline, which must answer) when inline is set, else with ServeHTTP.
func benchServe(b *testing.B, memBytes int64, inline bool) {
	e := newEnv(b, func(_ *Config, c *edgecache.Config) { c.MaxMemBytes = memBytes })
	o := newOrigin(b, static(strings.Repeat("x", benchSize), "Cache-Control", "max-age=86400"))
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/a.png"), 200, "Miss", strings.Repeat("x", benchSize))
	e.want(e.get(domain, "/a.png"), 200, "Hit", strings.Repeat("x", benchSize))
	req := httptest.NewRequest(http.MethodGet, "http://"+domain+"/a.png", nil)
	w := &discardWriter{h: http.Header{}}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w.reset()
		if inline {
			if !e.h.ServeInline(w, req) {
				b.Fatal("declined")
			}
		} else {
			e.h.ServeHTTP(w, req)
		}
		if w.status != 200 || w.n != benchSize || w.h.Get("X-Cache") != "Hit from cloudfront" {
			b.Fatalf("%d %d %q", w.status, w.n, w.h.Get("X-Cache"))
		}
	}
	b.StopTimer()
	st := e.cache.Stats()
	if memBytes > 0 && st.MemHits == 0 || memBytes == 0 && st.MemHits != 0 {
		b.Fatalf("hits from the wrong tier: %+v", st)
	}
}

// BenchmarkHitMemory: a 32 KiB hit from the memory tier.
func BenchmarkHitMemory(b *testing.B) { benchHit(b, 64<<20) }

// BenchmarkHitMemoryInline: a 32 KiB hit from the memory tier answered on the event loop,
// as the HTTP/1.1 server serves every such hit.
func BenchmarkHitMemoryInline(b *testing.B) { benchServe(b, 64<<20, true) }

// BenchmarkHitDisk: a 32 KiB hit from the disk tier (no memory tier).
func BenchmarkHitDisk(b *testing.B) { benchHit(b, 0) }

// BenchmarkMissFill: a 32 KiB miss: origin request over loopback, fill, commit, and the
// viewer's copy following the fill.
func BenchmarkMissFill(b *testing.B) {
	e := newEnv(b)
	o := newOrigin(b, static(strings.Repeat("x", benchSize), "Cache-Control", "max-age=86400"))
	e.load(dist(o.origin("o")))
	w := &discardWriter{h: http.Header{}}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		req := httptest.NewRequest(http.MethodGet, "http://"+domain+"/obj-"+strconv.Itoa(i), nil)
		w.reset()
		e.h.ServeHTTP(w, req)
		if w.status != 200 || w.n != benchSize || w.h.Get("X-Cache") != "Miss from cloudfront" {
			b.Fatalf("%d %d %q", w.status, w.n, w.h.Get("X-Cache"))
		}
	}
}
