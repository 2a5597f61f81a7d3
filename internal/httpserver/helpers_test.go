package httpserver

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startFast serves h with this package's server on a loopback port, configured by opts.
func startFast(t *testing.T, h http.Handler, opts ...func(*Server)) (string, *Server) {
	t.Helper()
	s := &Server{Handler: h, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(s)
	}
	ln := listen(t)
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		_ = s.Close()
		if err := <-done; err != http.ErrServerClosed {
			t.Errorf("Serve returned %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String(), s
}

// startStd serves h with net/http, for comparison.
func startStd(t *testing.T, h http.Handler) string {
	t.Helper()
	ln := listen(t)
	s := &http.Server{Handler: h, ErrorLog: nil}
	go func() { _ = s.Serve(ln) }()
	t.Cleanup(func() { _ = s.Close() })
	return ln.Addr().String()
}

// rawConn is a client connection that writes raw bytes and reads responses.
type rawConn struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	// A generous guard against a hung test, not a timing assertion.
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	return &rawConn{t: t, c: c, br: bufio.NewReader(c)}
}

func (r *rawConn) send(s string) {
	r.t.Helper()
	if _, err := io.WriteString(r.c, s); err != nil {
		r.t.Fatal(err)
	}
}

// response reads one response to a request of method and returns it with its body read.
func (r *rawConn) response(method string) (*http.Response, string) {
	r.t.Helper()
	resp, err := http.ReadResponse(r.br, &http.Request{Method: method})
	if err != nil {
		r.t.Fatalf("reading response: %v", err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("reading body: %v", err)
	}
	return resp, string(b)
}

// closed reports whether the server closed the connection (EOF or reset, no more bytes).
func (r *rawConn) closed() bool {
	r.t.Helper()
	b, err := r.br.ReadByte()
	if err == nil {
		r.t.Errorf("unexpected byte %q after the response", b)
		return false
	}
	return true
}

// rawExchange sends one raw request on a new connection and reads everything until the
// server closes it.
func rawExchange(t *testing.T, addr, req string) string {
	t.Helper()
	r := dialRaw(t, addr)
	r.send(req)
	b, _ := io.ReadAll(r.br)
	return string(b)
}

func statusOf(raw string) string {
	line, _, _ := strings.Cut(raw, "\r\n")
	return line
}

// starter starts a server for h on a loopback port, as startFast does.
type starter func(t *testing.T, h http.Handler, opts ...func(*Server)) (string, *Server)

// eachServe runs test against every way this package serves: Serve (a goroutine per
// connection); ServeLoop with a handler that answers every request inline; and ServeLoop
// with one that declines every request, so each goes to a goroutine with what the loop had
// read. A test whose handler blocks (which an inline handler must not) leaves out inline.
func eachServe(t *testing.T, blocking bool, test func(t *testing.T, startFast starter)) {
	t.Run("goroutines", func(t *testing.T) { test(t, startFast) })
	if !blocking {
		t.Run("loop-inline", func(t *testing.T) { test(t, startLoop(true)) })
	}
	t.Run("loop-declined", func(t *testing.T) { test(t, startLoop(false)) })
}

// startLoop returns a starter serving with two event loops; inline says whether the
// handler answers on the loop or declines.
func startLoop(inline bool) starter {
	return func(t *testing.T, h http.Handler, opts ...func(*Server)) (string, *Server) {
		t.Helper()
		s := &Server{Handler: inliner{h, inline}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
		for _, o := range opts {
			o(s)
		}
		return serveLoop(t, s, 2), s
	}
}

// serveLoop serves s with loops event loops on a loopback port until the test ends, and
// returns the address.
func serveLoop(t *testing.T, s *Server, loops int) string {
	t.Helper()
	ln := listen(t)
	done := make(chan error, 1)
	go func() { done <- s.ServeLoop(ln, loops) }()
	t.Cleanup(func() {
		_ = s.Close()
		if err := <-done; err != http.ErrServerClosed {
			t.Errorf("ServeLoop returned %v, want http.ErrServerClosed", err)
		}
	})
	return ln.Addr().String()
}

// inliner makes any handler an InlineHandler that answers inline or always declines.
type inliner struct {
	http.Handler
	inline bool
}

func (h inliner) ServeInline(w http.ResponseWriter, r *http.Request) bool {
	if !h.inline {
		return false
	}
	h.ServeHTTP(w, r)
	return true
}
