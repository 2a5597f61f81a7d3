package origin

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// newFetcher returns a Fetcher closed when the test ends.
func newFetcher(t *testing.T, cfg Config) *Fetcher {
	t.Helper()
	f, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// customTarget is an http-only custom origin on the httptest server ts.
func customTargetFor(t *testing.T, ts *httptest.Server) Target {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	host, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	scheme := SchemeHTTP
	tg := Target{Scheme: scheme, Domain: host, HTTPPort: p, HTTPSPort: p, ConnectionAttempts: 1,
		ConnectTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second, KeepAlive: 5 * time.Second}
	if u.Scheme == "https" {
		tg.Scheme = SchemeHTTPS
	}
	return tg
}

// fetchAll fetches and reads the whole body.
func fetchAll(t *testing.T, f *Fetcher, tg Target, method, path, query string, h http.Header) (*http.Response, string) {
	t.Helper()
	resp, err := f.Fetch(context.Background(), tg, method, path, query, h, nil)
	if err != nil {
		t.Fatalf("Fetch %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, string(b)
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
