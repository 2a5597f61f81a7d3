package origin

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/auth"
)

// TestCustomOriginRequest: what a custom origin receives, and what comes back.
func TestCustomOriginRequest(t *testing.T) {
	var got *http.Request
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		w.Header().Set("Connection", "X-Private")
		w.Header().Set("X-Private", "hop")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("X-Origin", "yes")
		io.WriteString(w, "png bytes")
	}))
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)
	tg.PathPrefix = "/static"
	tg.CustomHeaders = http.Header{"X-Origin-Secret": {"s3cr3t"}, "X-Override": {"origin"}}
	h := http.Header{
		"Accept":             {"image/*"},
		"X-Amz-Cf-Id":        {"abc123=="},
		"X-Override":         {"viewer"},
		"Connection":         {"X-Hop"},
		"X-Hop":              {"1"},
		"Te":                 {"trailers"},
		"Proxy-Connection":   {"keep-alive"},
		"Upgrade":            {"websocket"},
		"Host":               {"viewer.example"},
		auth.HeaderEdgeOAI:   {"E123"},
		auth.HeaderSourceARN: {"arn:aws:cloudfront::123456789012:distribution/E1"},
	}
	resp, body := fetchAll(t, f, tg, "GET", "/img/a b.png", "w=100&fmt=webp", h)
	if body != "png bytes" || resp.StatusCode != 200 {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
	if got.URL.Path != "/static/img/a b.png" || got.URL.RawQuery != "w=100&fmt=webp" {
		t.Errorf("origin got %s ? %s", got.URL.Path, got.URL.RawQuery)
	}
	if got.Host != "viewer.example" {
		t.Errorf("Host %q, want the forwarded viewer Host", got.Host)
	}
	for name, want := range map[string]string{
		"Accept": "image/*", "X-Amz-Cf-Id": "abc123==", "X-Origin-Secret": "s3cr3t", "X-Override": "origin",
		"User-Agent": "Amazon CloudFront", "X-Hop": "", "Te": "", "Proxy-Connection": "", "Upgrade": "",
		"X-Imgcdn-Oai": "", "X-Amz-Source-Arn": "", "Authorization": "", "Accept-Encoding": "",
	} {
		if v := got.Header.Get(name); v != want {
			t.Errorf("origin got %s: %q, want %q", name, v, want)
		}
	}
	if v := resp.Header.Get("X-Origin"); v != "yes" {
		t.Errorf("response X-Origin %q", v)
	}
	for _, hop := range []string{"X-Private", "Keep-Alive", "Connection"} {
		if v := resp.Header.Get(hop); v != "" {
			t.Errorf("hop-by-hop response header %s = %q passed through", hop, v)
		}
	}

	// Without a forwarded Host, the origin's own domain and port.
	delete(h, "Host")
	fetchAll(t, f, tg, "GET", "/x", "", h)
	if want := strings.TrimPrefix(ts.URL, "http://"); got.Host != want {
		t.Errorf("Host %q, want the origin %q", got.Host, want)
	}
}

// TestProtocolPolicy: http-only and https-only go to their own ports; match-viewer follows
// the viewer once resolved, and is refused unresolved.
func TestProtocolPolicy(t *testing.T) {
	handler := func(name string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, name) })
	}
	plain := httptest.NewServer(handler("http"))
	defer plain.Close()
	secure := httptest.NewTLSServer(handler("https"))
	defer secure.Close()
	cfg := NewDefaultConfig()
	cfg.RootCAs = secure.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	f := newFetcher(t, cfg)
	tg := customTargetFor(t, plain)
	tg.HTTPSPort = customTargetFor(t, secure).HTTPSPort
	for _, tc := range []struct {
		scheme string
		viewer bool
		want   string
	}{
		{SchemeHTTP, true, "http"},
		{SchemeHTTPS, false, "https"},
		{MatchViewer, false, "http"},
		{MatchViewer, true, "https"},
	} {
		tg.Scheme = tc.scheme
		_, body := fetchAll(t, f, tg.ForViewer(tc.viewer), "GET", "/", "", nil)
		if body != tc.want {
			t.Errorf("%s, viewer https=%v: reached the %s origin, want %s", tc.scheme, tc.viewer, body, tc.want)
		}
	}
	tg.Scheme = MatchViewer
	if _, err := f.Fetch(context.Background(), tg, "GET", "/", "", nil, nil); !errors.Is(err, ErrInvalidTarget) {
		t.Errorf("unresolved match-viewer: %v, want ErrInvalidTarget", err)
	}
	// The TLS floor is honoured: an origin that only speaks TLS 1.2 refuses a 1.3-only edge.
	old := httptest.NewUnstartedServer(handler("old"))
	old.TLS = &tls.Config{MaxVersion: tls.VersionTLS12}
	old.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	old.StartTLS()
	defer old.Close()
	cfg.RootCAs = old.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	f2 := newFetcher(t, cfg)
	ot := customTargetFor(t, old)
	ot.MinTLSVersion = tls.VersionTLS13
	if _, err := f2.Fetch(context.Background(), ot, "GET", "/", "", nil, nil); !errors.Is(err, ErrConnect) {
		t.Errorf("TLS 1.3 floor against a TLS 1.2 origin: %v, want ErrConnect", err)
	}
	ot.MinTLSVersion = tls.VersionTLS12
	if _, body := fetchAll(t, f2, ot, "GET", "/", "", nil); body != "old" {
		t.Errorf("TLS 1.2: %q", body)
	}
}

// TestRedirectsReturned: CloudFront hands an origin's redirect to the viewer.
func TestRedirectsReturned(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer ts.Close()
	resp, _ := fetchAll(t, newFetcher(t, NewDefaultConfig()), customTargetFor(t, ts), "GET", "/a", "", nil)
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/elsewhere" {
		t.Fatalf("%d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestReadTimeouts: a silent origin is ErrTimeout before the headers and between body
// reads; a viewer slow to read does not count against the origin.
func TestReadTimeouts(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/silent":
			<-release
		case "/stalls":
			w.Header().Set("Content-Length", "10")
			io.WriteString(w, "12345")
			w.(http.Flusher).Flush()
			<-release
		case "/quick":
			io.WriteString(w, "all of it")
		}
	}))
	defer ts.Close()
	defer close(release)
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)
	tg.ReadTimeout = 50 * time.Millisecond

	_, err := f.Fetch(context.Background(), tg, "GET", "/silent", "", nil, nil)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("silent origin: %v, want ErrTimeout", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("the timeout error does not say Timeout(): %v", err)
	}

	// Origins that answer at once get a roomier timeout, so that a loaded test machine
	// cannot turn their prompt headers into a timeout; the stall itself lasts forever.
	tg.ReadTimeout = 500 * time.Millisecond
	resp, err := f.Fetch(context.Background(), tg, "GET", "/stalls", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "12345" || !errors.Is(err, ErrTimeout) {
		t.Fatalf("stalled body: %q, %v; want the first 5 bytes then ErrTimeout", b, err)
	}

	resp, err = f.Fetch(context.Background(), tg, "GET", "/quick", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * tg.ReadTimeout) // a slow viewer: the origin already sent everything
	b, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "all of it" || err != nil {
		t.Fatalf("slow reader: %q, %v", b, err)
	}
}

// TestStreaming: the first bytes reach the caller while the origin is still sending.
func TestStreaming(t *testing.T) {
	more := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first ")
		w.(http.Flusher).Flush()
		<-more
		io.WriteString(w, "second")
	}))
	defer ts.Close()
	resp, err := newFetcher(t, NewDefaultConfig()).Fetch(context.Background(), customTargetFor(t, ts), "GET", "/", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 6)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first " {
		t.Fatalf("first chunk: %q %v", buf, err)
	}
	close(more)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "second" {
		t.Fatalf("rest: %q %v", rest, err)
	}
}

// TestConnectFailureAttempts: a refused connection is tried ConnectionAttempts times, then
// ErrConnect.
func TestConnectFailureAttempts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	var mu sync.Mutex
	cfg := NewDefaultConfig()
	cfg.Logger = slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
	f := newFetcher(t, cfg)
	tg := Target{Scheme: SchemeHTTP, Domain: addr, ConnectionAttempts: 3}
	_, err = f.Fetch(context.Background(), tg, "GET", "/", "", nil, nil)
	if !errors.Is(err, ErrConnect) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Fatalf("refused origin: %v, want ErrConnect after 3 attempts", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n := strings.Count(logs.String(), "retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, logs.String())
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestKeepAlivePooling: sequential fetches from one origin reuse one connection, also
// through distinct Target values for it.
func TestKeepAlivePooling(t *testing.T) {
	var mu sync.Mutex
	peers := map[string]int{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		peers[r.RemoteAddr]++
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)
	for i := range 5 {
		tg.CustomHeaders = http.Header{"X-N": {string(rune('0' + i))}}
		fetchAll(t, f, tg, "GET", "/", "", nil)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(peers) != 1 {
		t.Fatalf("5 sequential fetches used %d connections: %v", len(peers), peers)
	}
}

// TestOversizedHeaders: an origin's header block beyond the limit is ErrBadResponse.
func TestOversizedHeaders(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("a", 8<<10))
	}))
	defer ts.Close()
	cfg := NewDefaultConfig()
	cfg.MaxResponseHeaderBytes = 4 << 10
	_, err := newFetcher(t, cfg).Fetch(context.Background(), customTargetFor(t, ts), "GET", "/", "", nil, nil)
	if !errors.Is(err, ErrBadResponse) {
		t.Fatalf("%v, want ErrBadResponse", err)
	}
}

// TestRequestBody: a body is forwarded with its length.
func TestRequestBody(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Len", r.Header.Get("Content-Length"))
		w.Write(b)
	}))
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	resp, err := f.Fetch(context.Background(), customTargetFor(t, ts), "POST", "/form", "", http.Header{"Content-Length": {"5"}}, strings.NewReader("hello"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "hello" || resp.Header.Get("X-Len") != "5" {
		t.Fatalf("echo %q, length %q", b, resp.Header.Get("X-Len"))
	}
}

// TestCallerCancel: the caller's context ending is reported as such, not as an origin fault.
func TestCallerCancel(t *testing.T) {
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer ts.Close()
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	f := newFetcher(t, NewDefaultConfig())
	done := make(chan error)
	go func() {
		_, err := f.Fetch(ctx, customTargetFor(t, ts), "GET", "/", "", nil, nil)
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrConnect) {
		t.Fatalf("%v, want context.Canceled", err)
	}
}
