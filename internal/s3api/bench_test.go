package s3api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// discardWriter is a ResponseWriter that throws the body away, so the benchmarks measure
// the server and not a recorder's buffer.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// signedTemplate signs one request; the benchmarks replay its headers (SigV4 allows that
// within the 15-minute skew), so client-side signing is not measured, server-side
// verification is.
func signedTemplate(b *testing.B, e *testEnv, method, path string, body []byte) *http.Request {
	r := e.req(method, path, body)
	e.sign(r, body)
	return r
}

func replay(tmpl *http.Request, body []byte) *http.Request {
	r := httptest.NewRequest(tmpl.Method, tmpl.URL.RequestURI(), bytes.NewReader(body))
	r.Host = tmpl.Host
	r.Header = tmpl.Header.Clone()
	r.ContentLength = int64(len(body))
	return r
}

// BenchmarkPutObject32K is one signed 32 KiB PutObject (SHA-256 payload and a CRC32
// header, as aws-sdk-go-v2 sends over HTTP) through ServeHTTP into the disk store, fsync
// off: the server's own cost per PUT.
func BenchmarkPutObject32K(b *testing.B) {
	e := newTestEnv(b)
	e.createBucket("bench")
	data := bytes.Repeat([]byte("0123456789abcdef"), 2048)
	tmpl := e.req(http.MethodPut, "/bench/object-32k", data)
	tmpl.Header.Set("X-Amz-Checksum-Crc32", crc32b64(data))
	tmpl.Header.Set("Content-Type", "image/jpeg")
	e.sign(tmpl, data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discardWriter{h: make(http.Header)}
		e.srv.ServeHTTP(w, replay(tmpl, data))
		if w.status != 0 && w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkGetObject32K is one signed 32 KiB GetObject through ServeHTTP.
func BenchmarkGetObject32K(b *testing.B) {
	e := newTestEnv(b)
	e.createBucket("bench")
	data := bytes.Repeat([]byte("0123456789abcdef"), 2048)
	e.put("bench", "object-32k", data)
	tmpl := signedTemplate(b, e, http.MethodGet, "/bench/object-32k", nil)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discardWriter{h: make(http.Header)}
		e.srv.ServeHTTP(w, replay(tmpl, nil))
		if w.status != http.StatusOK || w.h.Get("Content-Length") != strconv.Itoa(len(data)) {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkListObjectsV2 is one page of 1,000 keys.
func BenchmarkListObjectsV2(b *testing.B) {
	e := newTestEnv(b)
	e.createBucket("bench")
	for i := 0; i < 1000; i++ {
		e.seed("bench", "photos/2024/"+strconv.Itoa(100000+i)+".jpg", []byte("x"), objstore.Metadata{ContentType: "image/jpeg"})
	}
	tmpl := signedTemplate(b, e, http.MethodGet, "/bench?list-type=2&prefix=photos/", nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := &discardWriter{h: make(http.Header)}
		e.srv.ServeHTTP(w, replay(tmpl, nil))
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}
