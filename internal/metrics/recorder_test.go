package metrics_test

import (
	"bufio"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/metrics"
)

// observer keeps what the middleware hands it.
type observer struct {
	mu   sync.Mutex
	want string
	got  []metrics.Observation
}

func (o *observer) Wants(d string) bool { return d == o.want }

func (o *observer) Observe(_ *http.Request, ob *metrics.Observation) {
	o.mu.Lock()
	o.got = append(o.got, *ob)
	o.mu.Unlock()
}

// last is the latest observation. It is recorded when the handler returns, which may be after
// the client has read the whole response (a hijacked connection, a flushed body), so last
// waits for one; the deadline only bounds a failing test.
func (o *observer) last(t *testing.T) metrics.Observation {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		o.mu.Lock()
		n := len(o.got)
		var got metrics.Observation
		if n > 0 {
			got = o.got[n-1]
		}
		o.mu.Unlock()
		if n > 0 {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing observed")
		}
	}
}

// wrapped serves h behind the edge middleware, every host being distribution E9.
func wrapped(t *testing.T, h http.HandlerFunc) (*httptest.Server, *observer) {
	t.Helper()
	obs := &observer{want: "E9"}
	srv := httptest.NewServer(metrics.New().Edge(h, metrics.EdgeOptions{
		Distribution: func(string) string { return "E9" }, Observer: obs}))
	t.Cleanup(srv.Close)
	return srv, obs
}

func TestRecorderKeepsOptionalInterfaces(t *testing.T) {
	type result struct {
		readerFrom, deadline bool
		push                 error
	}
	results := make(chan result, 1)
	srv, obs := wrapped(t, func(w http.ResponseWriter, r *http.Request) {
		var res result
		_, res.readerFrom = w.(io.ReaderFrom)
		// SetWriteDeadline reaches the real writer only through Unwrap.
		res.deadline = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute)) == nil
		res.push = w.(http.Pusher).Push("/x", nil)
		results <- res
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Cache", "Hit from cloudfront")
		w.Header().Set("X-Amz-Cf-Id", "req-1")
		io.Copy(w, strings.NewReader("hello, world"))
	})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	res := <-results
	if !res.readerFrom || !res.deadline || !errors.Is(res.push, http.ErrNotSupported) {
		t.Fatalf("ReaderFrom %v, SetWriteDeadline through Unwrap %v, Push over HTTP/1.1 %v", res.readerFrom, res.deadline, res.push)
	}
	o := obs.last(t)
	if string(b) != "hello, world" || o.Status != 200 || o.BodyBytes != 12 || o.XCache != "Hit from cloudfront" ||
		o.RequestID != "req-1" || o.ContentType != "text/plain" || o.HeaderBytes <= 0 || o.Distribution != "E9" {
		t.Fatalf("observed %+v for body %q", o, b)
	}
}

func TestRecorderFlushes(t *testing.T) {
	read := make(chan struct{})
	srv, obs := wrapped(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first\n")
		w.(http.Flusher).Flush()
		<-read // the viewer has the first line: the flush reached it
		io.WriteString(w, "second\n")
	})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	line, err := br.ReadString('\n')
	if err != nil || line != "first\n" {
		t.Fatalf("first line %q %v", line, err)
	}
	close(read)
	rest, _ := io.ReadAll(br)
	if string(rest) != "second\n" {
		t.Fatalf("rest %q", rest)
	}
	resp.Body.Close()
	if o := obs.last(t); o.BodyBytes != 13 || o.Status != 200 {
		t.Fatalf("observed %+v", o)
	}
}

func TestRecorderHijacks(t *testing.T) {
	srv, obs := wrapped(t, func(w http.ResponseWriter, r *http.Request) {
		c, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		rw.WriteString("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi")
		rw.Flush()
	})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hi" {
		t.Fatalf("body %q", b)
	}
	if o := obs.last(t); o.Status != http.StatusSwitchingProtocols {
		t.Fatalf("a hijacked connection is recorded as %d, want 101", o.Status)
	}
}

func TestRecorderStatuses(t *testing.T) {
	for _, c := range []struct {
		name    string
		handler http.HandlerFunc
		status  int
		aborted bool
	}{
		{"nothing written is 200", func(http.ResponseWriter, *http.Request) {}, 200, false},
		{"early hints then 204", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusNoContent)
		}, 204, false},
		{"second WriteHeader ignored", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusOK)
		}, 404, false},
		{"aborted before headers", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }, 0, true},
		{"aborted mid-body", func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "partial")
			panic(http.ErrAbortHandler)
		}, 200, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, obs := wrapped(t, c.handler)
			if resp, err := http.Get(srv.URL + "/"); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			o := obs.last(t)
			if o.Status != c.status || o.Aborted != c.aborted {
				t.Fatalf("status %d aborted %v, want %d %v", o.Status, o.Aborted, c.status, c.aborted)
			}
		})
	}
}

func TestRequestBytesCountBody(t *testing.T) {
	srv, obs := wrapped(t, func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	const body = "0123456789abcdef"
	resp, err := http.Post(srv.URL+"/upload", "text/plain", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	o := obs.last(t)
	// The request line alone is "POST /upload HTTP/1.1\r\n", 23 bytes.
	if o.RequestBytes < int64(23+len(body)) {
		t.Fatalf("request bytes %d, want at least %d", o.RequestBytes, 23+len(body))
	}
	srv2, obs2 := wrapped(t, func(w http.ResponseWriter, r *http.Request) {})
	resp, err = http.Post(srv2.URL+"/upload", "text/plain", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if unread := obs2.last(t).RequestBytes; unread != o.RequestBytes-int64(len(body)) {
		t.Fatalf("an unread body counts %d, a read one %d: want a difference of %d", unread, o.RequestBytes, len(body))
	}
}

func TestCacheResultLabels(t *testing.T) {
	for in, want := range map[string]string{
		"": "none", "Hit from cloudfront": "hit", "Miss from cloudfront": "miss",
		"RefreshHit from cloudfront": "refresh_hit", "Error from cloudfront": "error",
		"Redirect from cloudfront": "redirect", "LimitExceeded from cloudfront": "other",
	} {
		if got := metrics.CacheResult(in); got != want {
			t.Errorf("CacheResult(%q) = %q, want %q", in, got, want)
		}
	}
}
