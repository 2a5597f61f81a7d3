package origin

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countConns counts the connections ts accepts.
func countConns(ts *httptest.Server) *atomic.Int32 {
	var n atomic.Int32
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	return &n
}

// TestH1KeepsConnectionAcrossFramings: bodies framed by length, by chunks, and absent (HEAD,
// 304) are read exactly, and each leaves the connection ready for the next request.
func TestH1KeepsConnectionAcrossFramings(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/length":
			w.Header().Set("Content-Length", "6")
			io.WriteString(w, "length")
		case "/chunked":
			io.WriteString(w, "chunk-one ")
			w.(http.Flusher).Flush()
			io.WriteString(w, "chunk-two")
		case "/304":
			w.WriteHeader(http.StatusNotModified)
		case "/head":
			w.Header().Set("Content-Length", "1000")
		}
	}))
	conns := countConns(ts)
	ts.Start()
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)
	for range 2 {
		if _, b := fetchAll(t, f, tg, "GET", "/length", "", nil); b != "length" {
			t.Fatalf("length body %q", b)
		}
		resp, b := fetchAll(t, f, tg, "GET", "/chunked", "", nil)
		if b != "chunk-one chunk-two" || len(resp.TransferEncoding) == 0 {
			t.Fatalf("chunked body %q, transfer-encoding %v", b, resp.TransferEncoding)
		}
		if resp, b := fetchAll(t, f, tg, "GET", "/304", "", nil); resp.StatusCode != 304 || b != "" {
			t.Fatalf("304: %d %q", resp.StatusCode, b)
		}
		if resp, b := fetchAll(t, f, tg, "HEAD", "/head", "", nil); resp.ContentLength != 1000 || b != "" {
			t.Fatalf("HEAD: length %d body %q", resp.ContentLength, b)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("8 sequential fetches used %d connections, want 1", n)
	}
}

// TestH1ClosedWhenNotReusable: a body closed before its end, and an origin's Connection:
// close, each cost the connection; the next fetch gets its own bytes on a new one.
func TestH1ClosedWhenNotReusable(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/big":
			io.WriteString(w, strings.Repeat("x", 256<<10))
		case "/close":
			w.Header().Set("Connection", "close")
			io.WriteString(w, "bye")
		default:
			io.WriteString(w, "next")
		}
	}))
	conns := countConns(ts)
	ts.Start()
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)

	resp, err := f.Fetch(context.Background(), tg, "GET", "/big", "", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadFull(resp.Body, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, b := fetchAll(t, f, tg, "GET", "/next", "", nil); b != "next" {
		t.Fatalf("after an early close: %q", b)
	}
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections after an early close, want 2", n)
	}

	if _, b := fetchAll(t, f, tg, "GET", "/close", "", nil); b != "bye" {
		t.Fatalf("close body %q", b)
	}
	if _, b := fetchAll(t, f, tg, "GET", "/next", "", nil); b != "next" {
		t.Fatalf("after Connection: close: %q", b)
	}
	if n := conns.Load(); n != 3 {
		t.Fatalf("%d connections after Connection: close, want 3", n)
	}
}

// rawOrigin accepts connections and runs serve on each; it returns the address and the
// number of connections accepted so far.
func rawOrigin(t *testing.T, serve func(c net.Conn, br *bufio.Reader)) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c, bufio.NewReader(c))
			}()
		}
	}()
	return ln.Addr().String(), &n
}

func rawTarget(t *testing.T, addr string) Target {
	t.Helper()
	host, port, _ := net.SplitHostPort(addr)
	return Target{Scheme: SchemeHTTP, Domain: host + ":" + port, ConnectionAttempts: 1,
		ConnectTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second, KeepAlive: 5 * time.Second}
}

// TestH1RetriesAConnectionTheOriginClosed: an origin that closes a keep-alive connection
// while it is idle (a shorter keep-alive timeout than the edge's) makes no fetch fail: the
// request goes again, once, on a new connection.
func TestH1RetriesAConnectionTheOriginClosed(t *testing.T) {
	served := make(chan struct{}, 4)
	addr, conns := rawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		_ = req
		served <- struct{}{}
		// Return: the connection is closed right after the answer, keep-alive unsaid.
	})
	f := newFetcher(t, NewDefaultConfig())
	tg := rawTarget(t, addr)
	for i := range 3 {
		if _, b := fetchAll(t, f, tg, "GET", "/", "", nil); b != "ok" {
			t.Fatalf("fetch %d: %q", i, b)
		}
		<-served
		time.Sleep(20 * time.Millisecond) // let the close reach the edge's side
	}
	if n := conns.Load(); n != 3 {
		t.Fatalf("%d connections for 3 fetches from a closing origin, want 3", n)
	}
}

// TestH1SkipsInformational: 1xx answers before the final one (103 Early Hints) are skipped,
// and a 101 is refused as a bad response.
func TestH1SkipsInformational(t *testing.T) {
	addr, _ := rawOrigin(t, func(c net.Conn, br *bufio.Reader) {
		for {
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			if req.URL.Path == "/upgrade" {
				io.WriteString(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
				return
			}
			io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"+
				"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Final: yes\r\n\r\nfinal")
		}
	})
	f := newFetcher(t, NewDefaultConfig())
	tg := rawTarget(t, addr)
	resp, b := fetchAll(t, f, tg, "GET", "/", "", nil)
	if resp.StatusCode != 200 || b != "final" || resp.Header.Get("X-Final") != "yes" || resp.Header.Get("Link") != "" {
		t.Fatalf("%d %q %v", resp.StatusCode, b, resp.Header)
	}
	if _, err := f.Fetch(context.Background(), tg, "GET", "/upgrade", "", nil, nil); err == nil {
		t.Fatal("a 101 answer was accepted")
	}
}

// TestH1IdleTimeout: a connection idle for longer than the origin keep-alive timeout is not
// used again.
func TestH1IdleTimeout(t *testing.T) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "ok")
	}))
	conns := countConns(ts)
	ts.Start()
	defer ts.Close()
	f := newFetcher(t, NewDefaultConfig())
	tg := customTargetFor(t, ts)
	tg.KeepAlive = 30 * time.Millisecond
	fetchAll(t, f, tg, "GET", "/", "", nil)
	time.Sleep(100 * time.Millisecond)
	fetchAll(t, f, tg, "GET", "/", "", nil)
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2: the idle one outlived its keep-alive timeout", n)
	}
}
