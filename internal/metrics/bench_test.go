package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imgcdn/imgcdn/internal/metrics"
)

// BenchmarkEdgeMiddleware measures what the middleware adds to a cache hit: the handler
// writes a small body with CloudFront's x-cache header.
func BenchmarkEdgeMiddleware(b *testing.B) {
	body := make([]byte, 32<<10)
	hit := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Cache", "Hit from cloudfront")
		w.Write(body)
	})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", hit},
		{"metrics", metrics.New().Edge(hit, metrics.EdgeOptions{Distribution: func(string) string { return "E1" }})},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "http://d1.cdn.localhost/a.png", nil)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				c.h.ServeHTTP(w, req)
			}
		})
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (w *discardWriter) WriteHeader(int)             {}
