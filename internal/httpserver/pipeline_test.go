package httpserver

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// echoPath answers the path, the method and the body it read (or "-" for HEAD-style
// handlers that ignore the body, with ?skip).
func echoPath() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := "-"
		if r.URL.Query().Get("skip") == "" {
			b, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			body = string(b)
		}
		_, _ = io.WriteString(w, r.Method+" "+r.URL.Path+" "+body)
	})
}

// TestPipelining sends several requests in one write, with bodies of both framings, a HEAD
// and a body the handler leaves unread; the answers must come back whole and in order.
func TestPipelining(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		addr, _ := startFast(t, echoPath())
		c := dialRaw(t, addr)
		c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n" +
			"POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" +
			"HEAD /three HTTP/1.1\r\nHost: a\r\n\r\n" +
			"PUT /four HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-T: v\r\n\r\n" +
			"POST /five?skip=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\nignored" +
			"GET /six HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
		for _, w := range []struct{ method, body string }{
			{"GET", "GET /one "}, {"POST", "POST /two hello"}, {"HEAD", ""}, {"PUT", "PUT /four abcde"},
			{"POST", "POST /five -"}, {"GET", "GET /six "},
		} {
			resp, body := c.response(w.method)
			if resp.StatusCode != 200 || body != w.body {
				t.Fatalf("%s: %d %q, want 200 %q", w.method, resp.StatusCode, body, w.body)
			}
			if w.method == "HEAD" && resp.ContentLength != int64(len("HEAD /three ")) {
				t.Errorf("HEAD Content-Length %d", resp.ContentLength)
			}
		}
		if !c.closed() {
			t.Error("connection open after Connection: close")
		}
	})
}

// TestPipelinedAfterLargeResponse interleaves a body larger than the buffer with small
// answers on one connection.
func TestPipelinedAfterLargeResponse(t *testing.T) {
	eachServe(t, false, func(t *testing.T, startFast starter) {
		big := strings.Repeat("x", 3*bodyBufferSize+17)
		addr, _ := startFast(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/big" {
				_, _ = io.WriteString(w, big)
				return
			}
			_, _ = io.WriteString(w, "small")
		}))
		c := dialRaw(t, addr)
		c.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\nGET /s HTTP/1.1\r\nHost: a\r\n\r\nGET /big HTTP/1.1\r\nHost: a\r\n\r\n")
		for _, w := range []string{big, "small", big} {
			resp, body := c.response("GET")
			if body != w {
				t.Fatalf("body of %d bytes, want %d", len(body), len(w))
			}
			if len(w) > bodyBufferSize && (len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked") {
				t.Errorf("a body beyond the buffer without Content-Length is not chunked: %v", resp.TransferEncoding)
			}
			if len(w) <= bodyBufferSize && resp.ContentLength != int64(len(w)) {
				t.Errorf("a buffered body got Content-Length %d", resp.ContentLength)
			}
		}
	})
}
