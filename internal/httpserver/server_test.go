package httpserver

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestRefusedRequests checks that framing errors are answered and the connection closed,
// and that nothing smuggled behind them reaches the handler.
func TestRefusedRequests(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		var calls atomic.Int32
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }),
			func(s *Server) { s.MaxHeaderBytes = 2048 })
		for _, tc := range []struct{ name, req, status string }{
			{"CL.TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request"},
			{"duplicate CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", "HTTP/1.1 400 Bad Request"},
			{"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", "HTTP/1.1 400 Bad Request"},
			{"no Host", "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request"},
			{"large head", "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + strings.Repeat("c", 4096) + "\r\n\r\n", "HTTP/1.1 431 Request Header Fields Too Large"},
			{"large head, never ending", "GET / HTTP/1.1\r\nHost: a\r\nCookie: " + strings.Repeat("c", 8192), "HTTP/1.1 431 Request Header Fields Too Large"},
			// RFC 9112 §6.1: a transfer coding the server does not know is answered 501.
			{"TE gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", "HTTP/1.1 501 " + http.StatusText(http.StatusNotImplemented)},
			{"HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "HTTP/1.1 505 HTTP Version Not Supported"},
			{"expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", "HTTP/1.1 417 Expectation Failed"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				out := rawExchange(t, addr, tc.req)
				if got := statusOf(out); got != tc.status {
					t.Errorf("status %q, want %q (answer %q)", got, tc.status, clip(out))
				}
				if !strings.Contains(out, "Connection: close\r\n") {
					t.Errorf("no Connection: close in %q", clip(out))
				}
			})
		}
		if n := calls.Load(); n != 0 {
			t.Errorf("the handler ran %d times for refused requests", n)
		}
	})
}

func TestExpectContinue(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, echoPath())
		c := dialRaw(t, addr)
		c.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
		resp, _ := c.response("POST")
		if resp.StatusCode != http.StatusContinue {
			t.Fatalf("status %d, want 100 before the body", resp.StatusCode)
		}
		c.send("hello")
		if resp, body := c.response("POST"); resp.StatusCode != 200 || body != "POST /up hello" {
			t.Fatalf("%d %q", resp.StatusCode, body)
		}
		// A handler that answers without reading: no 100, and the connection closes since the
		// body may or may not follow.
		c = dialRaw(t, addr)
		c.send("POST /up?skip=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
		resp, body := c.response("POST")
		if resp.StatusCode != 200 || body != "POST /up -" || !resp.Close {
			t.Fatalf("%d %q close=%v", resp.StatusCode, body, resp.Close)
		}
		if !c.closed() {
			t.Error("connection left open")
		}
	})
}

func TestRequestBodyLimits(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, err := io.ReadAll(r.Body)
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				http.Error(w, "too big", http.StatusRequestEntityTooLarge)
				return
			}
			_, _ = io.WriteString(w, "ok")
		}), func(s *Server) { s.MaxRequestBodyBytes = 10 })
		out := rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n01234567890")
		if statusOf(out) != "HTTP/1.1 413 Request Entity Too Large" {
			t.Errorf("Content-Length over the limit: %q", clip(out))
		}
		out = rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n012345\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if statusOf(out) != "HTTP/1.1 413 Request Entity Too Large" || !strings.Contains(out, "Connection: close") || strings.Count(out, "HTTP/1.1") != 1 {
			t.Errorf("chunked over the limit: %q", clip(out))
		}
		c := dialRaw(t, addr)
		c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789")
		if resp, body := c.response("POST"); resp.StatusCode != 200 || body != "ok" || resp.Close {
			t.Errorf("at the limit: %d %q close=%v", resp.StatusCode, body, resp.Close)
		}
	})
}

// TestMalformedChunkedBody: the handler's Read fails and the connection closes, so the
// bytes after the bad chunk are never taken for a request.
func TestMalformedChunkedBody(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		var paths atomic.Int32
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			paths.Add(1)
			if _, err := io.ReadAll(r.Body); err != nil {
				http.Error(w, "bad body", 400)
			}
		}))
		for _, body := range []string{
			"3\nabc\r\n0\r\n\r\n",        // bare LF after the size
			"3\r\nabcX\r\n0\r\n\r\n",     // data longer than the size
			"zz\r\nabc\r\n0\r\n\r\n",     // not hex
			"3 x\r\nabc\r\n0\r\n\r\n",    // junk after the size
			"3\r\nabc\r\n0\r\nX\r\n\r\n", // malformed trailer
		} {
			out := rawExchange(t, addr, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"+body+"GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n")
			if statusOf(out) != "HTTP/1.1 400 Bad Request" || strings.Count(out, "HTTP/1.1 ") != 1 {
				t.Errorf("body %q: answer %q", body, clip(out))
			}
		}
		if n := paths.Load(); n != 5 {
			t.Errorf("handler ran %d times, want 5 (nothing smuggled)", n)
		}
	})
}

func TestHTTP10(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/stream" {
				_, _ = io.WriteString(w, "a")
				w.(http.Flusher).Flush()
			}
			_, _ = io.WriteString(w, "b")
		}))
		c := dialRaw(t, addr)
		for i := 0; i < 2; i++ {
			c.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
			resp, body := c.response("GET")
			if resp.Proto != "HTTP/1.0" || body != "b" || resp.Header.Get("Connection") != "keep-alive" || resp.ContentLength != 1 {
				t.Fatalf("%s %q %v", resp.Proto, body, resp.Header)
			}
		}
		c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
		if _, body := c.response("GET"); body != "ab" || !c.closed() {
			t.Fatalf("a body of unknown length to HTTP/1.0 must end with the connection: %q", body)
		}
		out := rawExchange(t, addr, "GET / HTTP/1.0\r\n\r\n")
		if !strings.HasPrefix(out, "HTTP/1.0 200 OK\r\n") || !strings.HasSuffix(out, "\r\n\r\nb") {
			t.Errorf("HTTP/1.0 without keep-alive: %q", out)
		}
	})
}

func TestPanicRecovered(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/panic":
				panic("boom")
			case "/abort":
				_, _ = io.WriteString(w, "partial")
				w.(http.Flusher).Flush()
				panic(http.ErrAbortHandler)
			}
			_, _ = io.WriteString(w, "fine")
		}))
		out := rawExchange(t, addr, "GET /panic HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if statusOf(out) != "HTTP/1.1 500 Internal Server Error" || strings.Count(out, "HTTP/1.1 ") != 1 {
			t.Errorf("panic: %q", out)
		}
		out = rawExchange(t, addr, "GET /abort HTTP/1.1\r\nHost: a\r\n\r\n")
		if statusOf(out) != "HTTP/1.1 200 OK" || strings.HasSuffix(out, "0\r\n\r\n") {
			t.Errorf("abort after a flush must cut the chunked body short: %q", out)
		}
		if out := rawExchange(t, addr, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"); !strings.HasSuffix(out, "fine") {
			t.Errorf("server unusable after panics: %q", out)
		}
	})
}

// TestContextCanceledWhenClientLeaves: a handler waiting on its context is released when
// the client closes the connection, and every context ends when its handler returns.
func TestContextCanceledWhenClientLeaves(t *testing.T) {
	eachServe(t, true, func(t *testing.T, startFast starter) {
		waiting := make(chan struct{})
		released := make(chan error, 1)
		var kept atomic.Pointer[context.Context]
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := r.Context()
			if r.URL.Path == "/keep" {
				kept.Store(&ctx)
				return
			}
			child, cancel := context.WithCancel(ctx) // through AfterFunc, without a goroutine
			defer cancel()
			close(waiting)
			<-child.Done()
			released <- ctx.Err()
		}))
		c := dialRaw(t, addr)
		c.send("GET /wait HTTP/1.1\r\nHost: a\r\n\r\n")
		<-waiting
		_ = c.c.Close()
		if err := <-released; !errors.Is(err, context.Canceled) {
			t.Errorf("ctx.Err() = %v", err)
		}
		c = dialRaw(t, addr)
		c.send("GET /keep HTTP/1.1\r\nHost: a\r\n\r\n")
		c.response("GET")
		ctx := *kept.Load()
		<-ctx.Done()
		if ctx.Err() == nil {
			t.Error("context still live after its handler returned")
		}
	})
}

// TestFlushSendsBeforeReturn: the client reads the flushed part while the handler waits.
func TestFlushSendsBeforeReturn(t *testing.T) {
	eachServe(t, true, func(t *testing.T, startFast starter) {
		proceed := make(chan struct{})
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "early;")
			if err := http.NewResponseController(w).Flush(); err != nil {
				t.Error(err)
			}
			<-proceed
			_, _ = io.WriteString(w, "late")
		}))
		resp, err := http.Get("http://" + addr + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 6)
		if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "early;" {
			t.Fatalf("%q %v", buf, err)
		}
		close(proceed)
		rest, _ := io.ReadAll(resp.Body)
		if string(rest) != "late" {
			t.Errorf("rest %q", rest)
		}
	})
}

// TestTimeoutsClose: a client that stops mid-head, or stays idle, is disconnected. No
// timing is asserted, only that the server closes the connection by itself.
func TestTimeoutsClose(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, echoPath(), func(s *Server) {
			s.ReadHeaderTimeout = 50 * time.Millisecond
			s.IdleTimeout = 50 * time.Millisecond
		})
		c := dialRaw(t, addr)
		c.send("GET / HTTP/1.1\r\nHost: a\r\n")
		if b, err := io.ReadAll(c.br); err != nil || len(b) != 0 {
			t.Errorf("slow head: read %q, %v; want a silent close", b, err)
		}
		c = dialRaw(t, addr)
		c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if _, body := c.response("GET"); body != "GET / " {
			t.Fatal(body)
		}
		if !c.closed() {
			t.Error("idle connection not closed")
		}
	})
}

// TestWriteTimeout: a client that stops reading makes the handler's Write fail with the
// deadline error instead of blocking forever.
func TestWriteTimeout(t *testing.T) {
	eachServe(t, true, func(t *testing.T, startFast starter) {
		writeErr := make(chan error, 1)
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			chunk := make([]byte, 1<<20)
			for {
				if _, err := w.Write(chunk); err != nil {
					writeErr <- err
					return
				}
			}
		}), func(s *Server) { s.WriteTimeout = 50 * time.Millisecond })
		c := dialRaw(t, addr)
		c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if err := <-writeErr; !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Errorf("Write error %v, want os.ErrDeadlineExceeded", err)
		}
	})
}

// TestShutdown: idle connections close at once, in-flight requests finish with
// Connection: close, and Shutdown returns when they are done.
func TestShutdown(t *testing.T) {
	eachServe(t, true, func(t *testing.T, startFast starter) {
		inHandler := make(chan struct{})
		finish := make(chan struct{})
		addr, s := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				close(inHandler)
				<-finish
			}
			_, _ = io.WriteString(w, "done")
		}))
		idle := dialRaw(t, addr)
		idle.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		idle.response("GET")
		busy := dialRaw(t, addr)
		busy.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n")
		<-inHandler
		shut := make(chan error, 1)
		go func() { shut <- s.Shutdown(context.Background()) }()
		if !idle.closed() {
			t.Error("idle connection survived Shutdown")
		}
		close(finish)
		resp, body := busy.response("GET")
		if body != "done" || !resp.Close {
			t.Errorf("in-flight answer %q close=%v", body, resp.Close)
		}
		if err := <-shut; err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if !busy.closed() {
			t.Error("connection open after Shutdown")
		}
	})
}
