package origin

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkFetch: one 32 KiB GET over a kept-alive connection to a loopback origin, body
// read whole, as a cache fill does (the lean HTTP/1.1 client's path).
func BenchmarkFetch(b *testing.B) { benchFetch(b, "GET", nil) }

// BenchmarkFetchTransport: the same through net/http's Transport (the path of requests
// with a body), for comparison in the same run.
func BenchmarkFetchTransport(b *testing.B) { benchFetch(b, "POST", strings.NewReader("")) }

func benchFetch(b *testing.B, method string, body io.Reader) {
	payload := strings.Repeat("x", 32<<10)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, payload)
	}))
	defer ts.Close()
	f, err := New(NewDefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	u := mustURL(b, ts.URL)
	tg := Target{Scheme: SchemeHTTP, Domain: u.Host, ConnectionAttempts: 1}
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for b.Loop() {
		resp, err := f.Fetch(context.Background(), tg, method, "/obj", "", nil, body)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != int64(len(payload)) {
			b.Fatalf("%d bytes, %v", n, err)
		}
	}
}
