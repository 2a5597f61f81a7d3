package edge

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edgecache"
	"github.com/imgcdn/imgcdn/internal/httpserver"
	"github.com/imgcdn/imgcdn/internal/origin"
)

// The tests drive a real Handler behind real httptest listeners (plain and TLS) in front of a
// real edgecache in t.TempDir() and a real origin.Fetcher talking to httptest origins. Every
// origin counts what it receives, so a Hit is proven by the origin not seeing the request.
// Time is a fake clock shared by the Handler and the cache: expiry is tested by advancing it,
// never by sleeping.

// clock is the fake time of one test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// seen is one request as an origin received it.
type seen struct {
	Method, Path, Query, Host string
	Header                    http.Header
	Body                      string
}

// testOrigin is an httptest origin that records every request before answering with handle.
type testOrigin struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []seen
	handle http.HandlerFunc
}

func newOrigin(t testing.TB, handle http.HandlerFunc) *testOrigin {
	t.Helper()
	o := &testOrigin{handle: handle}
	o.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		o.mu.Lock()
		o.reqs = append(o.reqs, seen{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Host: r.Host,
			Header: r.Header.Clone(), Body: string(body)})
		h := o.handle
		o.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(o.Close)
	return o
}

// setHandler replaces what the origin answers from now on.
func (o *testOrigin) setHandler(h http.HandlerFunc) {
	o.mu.Lock()
	o.handle = h
	o.mu.Unlock()
}

func (o *testOrigin) count() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.reqs)
}

func (o *testOrigin) last() seen {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.reqs) == 0 {
		return seen{}
	}
	return o.reqs[len(o.reqs)-1]
}

// origin is the distribution origin id pointing at o: a custom origin, http-only, on
// 127.0.0.1 and o's port.
func (o *testOrigin) origin(id string) distrib.Origin {
	u, _ := url.Parse(o.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	p, _ := strconv.Atoi(port)
	return distrib.Origin{ID: id, DomainName: "127.0.0.1", ConnectionAttempts: 1, ConnectionTimeout: 5,
		Custom: &distrib.CustomOrigin{HTTPPort: p, HTTPSPort: 443, OriginProtocolPolicy: "http-only",
			OriginReadTimeout: 30, OriginKeepaliveTimeout: 5}}
}

// static answers body with the given headers (name, value pairs) and status 200.
func static(body string, kv ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			w.Header().Set(kv[i], kv[i+1])
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "image/png")
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			io.WriteString(w, body)
		}
	}
}

// env is one edge node under test.
type env struct {
	t      testing.TB
	h      *Handler
	cache  *edgecache.Cache
	clock  *clock
	plain  *httptest.Server
	tls    *httptest.Server
	client *http.Client
}

// newEnv starts an edge; mod may change its Config before New.
func newEnv(t testing.TB, mod ...func(*Config, *edgecache.Config)) *env {
	t.Helper()
	clk := &clock{t: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	ccfg := edgecache.Config{Dir: t.TempDir(), MaxDiskBytes: 1 << 30, Now: clk.Now}
	cfg := NewDefaultConfig()
	cfg.Now = clk.Now
	cfg.Node = "test-node"
	cfg.POP = "TST1-C1"
	for _, m := range mod {
		m(&cfg, &ccfg)
	}
	c, err := edgecache.Open(ccfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	f, err := origin.New(origin.NewDefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	cfg.Cache, cfg.Fetcher = c, f
	e := &env{t: t, cache: c, clock: clk}
	e.tls = httptest.NewUnstartedServer(nil)
	e.tls.StartTLS()
	t.Cleanup(e.tls.Close)
	u, _ := url.Parse(e.tls.URL)
	_, port, _ := net.SplitHostPort(u.Host)
	cfg.HTTPSPort, _ = strconv.Atoi(port)
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.h = h
	e.tls.Config.Handler = h
	e.plain = httptest.NewServer(h)
	t.Cleanup(e.plain.Close)
	tr := e.tls.Client().Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	e.client = &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return e
}

// on is e for subtest t, so that failures are reported (and stop) where they happen.
func (e *env) on(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// load serves ds, failing the test on any distribution that does not compile.
func (e *env) load(ds ...distrib.Distribution) {
	e.t.Helper()
	_, failed := e.h.Load(State{Distributions: ds, AccountID: "123456789012"})
	for id, err := range failed {
		e.t.Fatalf("Load: distribution %s: %v", id, err)
	}
}

// answer is a viewer's complete response.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

func (a answer) xcache() string { return a.Header.Get("X-Cache") }

// do sends a viewer request for host+target (path and query) over HTTP, or HTTPS when tls;
// kv are request header name, value pairs.
func (e *env) do(tls bool, method, host, target string, body io.Reader, kv ...string) answer {
	e.t.Helper()
	base := e.plain.URL
	if tls {
		base = e.tls.URL
	}
	return e.doAt(base, method, host, target, body, kv...)
}

// doAt is do against the server at base (scheme and authority).
func (e *env) doAt(base, method, host, target string, body io.Reader, kv ...string) answer {
	e.t.Helper()
	req, err := http.NewRequest(method, base+target, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(kv); i += 2 {
		req.Header.Add(kv[i], kv[i+1])
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s%s: %v", method, host, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatalf("%s %s%s: reading the body: %v", method, host, target, err)
	}
	return answer{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// get is a plain-HTTP GET.
func (e *env) get(host, target string, kv ...string) answer {
	e.t.Helper()
	return e.do(false, http.MethodGet, host, target, nil, kv...)
}

// want checks an answer's status, x-cache and body in one line.
func (e *env) want(a answer, status int, xcache, body string) {
	e.t.Helper()
	if a.Status != status || a.xcache() != xcache+" from cloudfront" || a.Body != body {
		e.t.Fatalf("got %d %q %q, want %d %q %q", a.Status, a.xcache(), clip(a.Body), status, xcache+" from cloudfront", clip(body))
	}
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// Distribution builders.

const domain = "d111111abcdef8.cdn.localhost"

func i64(v int64) *int64 { return &v }

// behave is a legacy (ForwardedValues) behaviour on target, allow-all, GET and HEAD, with
// CloudFront's default TTLs.
func behave(target string) distrib.CacheBehavior {
	return distrib.CacheBehavior{TargetOriginID: target, ViewerProtocolPolicy: "allow-all",
		AllowedMethods: []string{"GET", "HEAD"}, CachedMethods: []string{"GET", "HEAD"},
		ForwardedValues: &distrib.ForwardedValues{CookiesForward: "none"},
		MinTTL:          i64(0), DefaultTTL: i64(86400), MaxTTL: i64(31536000)}
}

// dist is an enabled distribution E1 at domain whose default behaviour targets the first
// origin.
func dist(origins ...distrib.Origin) distrib.Distribution {
	return distrib.Distribution{ID: "E1", DomainLabel: strings.TrimSuffix(domain, ".cdn.localhost"), Version: 1,
		Config: distrib.DistributionConfig{Enabled: true, Origins: origins, DefaultCacheBehavior: behave(origins[0].ID)}}
}

// bigText is n bytes of compressible text.
func bigText(n int) string {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString("body { color: #" + strconv.Itoa(100000+i%900000) + "; }\n")
	}
	return b.String()[:n]
}

// serveOwn serves h with the edge's own HTTP/1.1 server (httpserver) until the test ends,
// from one event loop or from goroutines, and returns its address.
func serveOwn(t testing.TB, h http.Handler, loop bool) string {
	t.Helper()
	srv := &httpserver.Server{Handler: h}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		if loop {
			done <- srv.ServeLoop(ln, 1)
		} else {
			done <- srv.Serve(ln)
		}
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		if err := <-done; err != http.ErrServerClosed {
			t.Errorf("httpserver (loop %v): %v", loop, err)
		}
	})
	return ln.Addr().String()
}

// heldOrigin serves body with its Content-Length, sending the first bytes at once and the
// rest only after release is called (or the test ends).
func heldOrigin(t testing.TB, contentType string, body []byte, first int) (o *testOrigin, release func()) {
	t.Helper()
	held := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(held) }) }
	o = newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", itoa(int64(len(body))))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:first])
		w.(http.Flusher).Flush()
		<-held
		w.Write(body[first:])
	})
	t.Cleanup(release) // before the origin's Close (cleanups run last first), which waits for the handler
	return o, release
}
