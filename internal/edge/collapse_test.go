package edge

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestCollapsing: 50 viewers asking for one cold object at once cause one origin request
// and all get the same bytes. The origin holds most of its body until every viewer is inside
// the Handler, so they really overlap with the fill.
func TestCollapsing(t *testing.T) {
	e := newEnv(t)
	body := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB
	o, release := heldOrigin(t, "application/octet-stream", body, 64<<10)
	e.load(dist(o.origin("o")))

	const viewers = 50
	var inside atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inside.Add(1)
		e.h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	type result struct {
		status int
		xcache string
		sum    [32]byte
		n      int
		err    error
	}
	results := make(chan result, viewers)
	for range viewers {
		go func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/big.bin", nil)
			req.Host = domain
			resp, err := srv.Client().Do(req)
			if err != nil {
				results <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			results <- result{status: resp.StatusCode, xcache: resp.Header.Get("X-Cache"), sum: sha256.Sum256(b), n: len(b), err: err}
		}()
	}
	for inside.Load() < viewers {
		runtime.Gosched()
	}
	release()
	want := sha256.Sum256(body)
	misses := 0
	for range viewers {
		r := <-results
		if r.err != nil || r.status != 200 || r.sum != want {
			t.Fatalf("viewer: %v %d, %d bytes, identical %v", r.err, r.status, r.n, r.sum == want)
		}
		if !strings.HasSuffix(r.xcache, " from cloudfront") {
			t.Errorf("x-cache %q", r.xcache)
		}
		if r.xcache == "Miss from cloudfront" {
			misses++
		}
	}
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests for %d collapsed viewers, want 1 (cache %+v)", o.count(), viewers, e.cache.Stats())
	}
	if misses < 1 {
		t.Errorf("no viewer was told Miss")
	}
	e.want(e.get(domain, "/big.bin"), 200, "Hit", string(body))
}

// TestCollapsedUncacheable: viewers of a response the cache may not keep each get the
// origin's own answer, never another viewer's private one.
func TestCollapsedUncacheable(t *testing.T) {
	e := newEnv(t)
	var n atomic.Int32
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		static("answer "+itoa(int64(n.Add(1))), "Cache-Control", "private")(w, r)
	})
	e.load(dist(o.origin("o")))
	seen := map[string]bool{}
	for range 3 {
		a := e.get(domain, "/me")
		if a.Status != 200 || seen[a.Body] {
			t.Fatalf("uncacheable answer %d %q repeated", a.Status, a.Body)
		}
		seen[a.Body] = true
	}
}

// TestMissSendsBytesAsTheyArrive: the viewer of a miss gets the head and the first bytes of
// the body while the origin still holds the rest, through the edge's own HTTP/1.1 server
// (goroutines and event loops), which otherwise holds up to 64 KiB of a response back.
func TestMissSendsBytesAsTheyArrive(t *testing.T) {
	for _, loop := range []bool{false, true} {
		t.Run(map[bool]string{false: "goroutines", true: "loop"}[loop], func(t *testing.T) {
			e := newEnv(t)
			body := bytes.Repeat([]byte("abcdefgh"), 4<<10) // 32 KiB
			first := 1000
			o, release := heldOrigin(t, "image/png", body, first)
			e.load(dist(o.origin("o")))
			addr := serveOwn(t, e.h, loop)
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			// A deadline only so that a server holding the bytes back fails the test instead
			// of hanging it: the origin sends the rest when the first bytes arrived.
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			io.WriteString(c, "GET /first.png HTTP/1.1\r\nHost: "+domain+"\r\n\r\n")
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no response head while the origin holds its body back: %v", err)
			}
			got := make([]byte, first)
			if _, err := io.ReadFull(resp.Body, got); err != nil || !bytes.Equal(got, body[:first]) {
				t.Fatalf("first %d bytes while the origin holds the rest: %v", first, err)
			}
			release()
			rest, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(append(got, rest...), body) {
				t.Fatalf("body: %d bytes (%v), want the origin's %d", first+len(rest), err, len(body))
			}
			if x := resp.Header.Get("X-Cache"); x != "Miss from cloudfront" {
				t.Errorf("x-cache %q", x)
			}
			if resp.ContentLength != int64(len(body)) {
				t.Errorf("Content-Length %d, want the origin's %d", resp.ContentLength, len(body))
			}
		})
	}
}
