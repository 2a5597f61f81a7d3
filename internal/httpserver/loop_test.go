//go:build linux

package httpserver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestLoopQueuesWhatTheViewerHasNotRead: responses larger than the socket takes at once
// are queued and sent as the viewer reads, pipelined requests answered in order after
// them; an immutable body is sent from the caller's slice, a copied one is bounded.
func TestLoopQueuesWhatTheViewerHasNotRead(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	copied := bytes.Repeat([]byte("z"), 512<<10)
	writeErr := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/immutable":
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			if _, err := WriteImmutable(w, big); err != nil {
				t.Error(err)
			}
		case "/copied":
			w.Header().Set("Content-Length", strconv.Itoa(len(copied)))
			_, _ = w.Write(copied)
		case "/endless":
			chunk := make([]byte, 256<<10)
			for {
				if _, err := w.Write(chunk); err != nil {
					writeErr <- err
					return
				}
			}
		default:
			_, _ = io.WriteString(w, "small")
		}
	})
	addr, _ := startLoop(true)(t, h)
	c := dialRaw(t, addr)
	c.send("GET /immutable HTTP/1.1\r\nHost: a\r\n\r\nGET /copied HTTP/1.1\r\nHost: a\r\n\r\nGET /small HTTP/1.1\r\nHost: a\r\n\r\n")
	time.Sleep(50 * time.Millisecond) // let the loop fill the socket and queue the rest
	if _, body := c.response("GET"); body != string(big) {
		t.Fatalf("immutable body: %d bytes, want %d identical", len(body), len(big))
	}
	if _, body := c.response("GET"); body != string(copied) {
		t.Fatalf("copied body: %d bytes, want %d identical", len(body), len(copied))
	}
	if _, body := c.response("GET"); body != "small" {
		t.Fatalf("third response %q", body)
	}
	// A handler that writes without end to a viewer that reads nothing is stopped.
	slow := dialRaw(t, addr)
	slow.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n")
	if err := <-writeErr; !errors.Is(err, errSpill) {
		t.Errorf("endless inline body: Write error %v, want errSpill", err)
	}
}

// TestLoopShutdownClosesIdle: a connection idle on a loop is closed by Shutdown, which
// returns; the listener no longer accepts.
func TestLoopShutdownClosesIdle(t *testing.T) {
	addr, s := startLoop(true)(t, echoPath())
	c := dialRaw(t, addr)
	c.send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n")
	if _, body := c.response("GET"); body != "GET /a " {
		t.Fatal(body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if !c.closed() {
		t.Error("idle connection left open")
	}
}

// pathInliner answers inline every request but those for /wait, and records how each path
// was answered last.
type pathInliner struct {
	mu  sync.Mutex
	how map[string]string
}

func (h *pathInliner) answer(w http.ResponseWriter, r *http.Request, how string) {
	h.mu.Lock()
	h.how[r.URL.Path] = how
	h.mu.Unlock()
	_, _ = io.WriteString(w, r.URL.Path)
}

func (h *pathInliner) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.answer(w, r, "goroutine") }

func (h *pathInliner) ServeInline(w http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path == "/wait" {
		return false
	}
	h.answer(w, r, "inline")
	return true
}

// TestLoopTakesBackIdleConnections: a connection whose request went to a goroutine comes
// back to its loop once idle, so its next hit is answered inline again.
func TestLoopTakesBackIdleConnections(t *testing.T) {
	h := &pathInliner{how: map[string]string{}}
	c := dialRaw(t, serveLoop(t, &Server{Handler: h}, 1))
	for _, path := range []string{"/first", "/wait", "/after", "/wait", "/last"} {
		c.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n")
		if _, body := c.response("GET"); body != path {
			t.Fatalf("%s: body %q", path, body)
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	want := map[string]string{"/first": "inline", "/wait": "goroutine", "/after": "inline", "/last": "inline"}
	for p, how := range want {
		if h.how[p] != how {
			t.Errorf("%s answered by %q, want %q", p, h.how[p], how)
		}
	}
}

// threadInliner answers inline with the id of the OS thread it runs on: each loop has its own.
type threadInliner struct{}

func (threadInliner) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "inline only", 500)
}

func (threadInliner) ServeInline(w http.ResponseWriter, r *http.Request) bool {
	_, _ = io.WriteString(w, strconv.Itoa(syscall.Gettid()))
	return true
}

// TestLoopSpreadsConnections: connections are spread evenly over the loops, whichever loop
// the kernel woke to accept them.
func TestLoopSpreadsConnections(t *testing.T) {
	addr := serveLoop(t, &Server{Handler: threadInliner{}}, 2)
	perThread := map[string]int{}
	for range 10 {
		c := dialRaw(t, addr)
		c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		resp, tid := c.response("GET")
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, tid)
		}
		perThread[tid]++
	}
	if len(perThread) != 2 {
		t.Fatalf("connections served by %d loops, want 2: %v", len(perThread), perThread)
	}
	for tid, n := range perThread {
		if n != 5 {
			t.Errorf("loop on thread %s has %d of 10 connections, want 5", tid, n)
		}
	}
}

// TestLoopHoldsProcsWhileBusy: a loop that served a request tells HoldProcs +1, and -1 once
// it has been idle for releaseProcsAfter, with runtime.GOMAXPROCS changed for real while
// the other loop waits.
func TestLoopHoldsProcsWhileBusy(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	var (
		mu   sync.Mutex
		held int
	)
	s := &Server{Handler: threadInliner{}, HoldProcs: func(delta int) {
		mu.Lock()
		defer mu.Unlock()
		held += delta
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + delta)
	}}
	heldNow := func() int { mu.Lock(); defer mu.Unlock(); return held }
	waitFor := func(what string, want func(int) bool, within time.Duration) {
		t.Helper()
		for end := time.Now().Add(within); !want(heldNow()); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatalf("%s: %d held after %v", what, heldNow(), within)
			}
		}
	}
	addr := serveLoop(t, s, 2)
	if n := heldNow(); n != 0 {
		t.Fatalf("idle loops hold %d Ps, want 0", n)
	}
	threads := map[string]bool{}
	for range 4 { // new connections alternate between the loops
		c := dialRaw(t, addr)
		c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if resp, tid := c.response("GET"); resp.StatusCode == 200 {
			threads[tid] = true
		}
	}
	waitFor("after requests on both loops", func(n int) bool { return n == len(threads) && n == 2 }, 5*time.Second)
	if got := runtime.GOMAXPROCS(0); got != procs+2 {
		t.Errorf("GOMAXPROCS %d while both loops are busy, want %d", got, procs+2)
	}
	waitFor("after releaseProcsAfter idle", func(n int) bool { return n == 0 }, releaseProcsAfter+3*time.Second)
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("GOMAXPROCS %d with idle loops, want %d", got, procs)
	}
}

// TestLoopInlineContextPerRequest: requests served inline on one connection share the
// connection's context, reset for each: live while its handler runs, cancelled once it
// has returned (and until the next request).
func TestLoopInlineContextPerRequest(t *testing.T) {
	during := make(chan error, 1)
	ctxs := make(chan context.Context, 1)
	addr, _ := startLoop(true)(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		during <- r.Context().Err()
		ctxs <- r.Context()
		_, _ = io.WriteString(w, "ok")
	}))
	c := dialRaw(t, addr)
	for i := range 3 {
		c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
		if _, body := c.response("GET"); body != "ok" {
			t.Fatalf("body %q", body)
		}
		if err := <-during; err != nil {
			t.Errorf("request %d: context %v while its handler ran", i+1, err)
		}
		ctx := <-ctxs
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
			t.Fatalf("request %d: context not cancelled after its handler returned", i+1)
		}
		if !errors.Is(ctx.Err(), context.Canceled) {
			t.Errorf("request %d: context %v after its handler returned, want canceled", i+1, ctx.Err())
		}
	}
}
