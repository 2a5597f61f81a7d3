package httpserver

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func parseString(s string, lim limits) (*head, int, error) {
	p := parser{lim: lim}
	h := &head{}
	n, err := p.parseHead([]byte(s), h)
	return h, n, err
}

var testLimits = limits{maxBytes: 1024, maxHeaders: 10}

func TestParseHeadGood(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		check    func(t *testing.T, h *head)
	}{
		{"minimal", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.method, "GET")
			want(t, h.url.Path, "/")
			want(t, h.host, "a")
			want(t, h.proto, "HTTP/1.1")
			want(t, len(h.header), 0) // Host is kept out of the map, as net/http does
			want(t, h.wantClose, false)
		}},
		{"canonical names and OWS", "GET /p?q=1&r HTTP/1.1\r\nhost: a\r\ncontent-TYPE:  text/x \t\r\nx-a-b:1\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.header.Get("Content-Type"), "text/x")
			want(t, h.header["X-A-B"], []string{"1"})
			want(t, h.url.RawQuery, "q=1&r")
			want(t, h.target, "/p?q=1&r")
		}},
		{"repeated field", "GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nAccept: y\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.header["Accept"], []string{"x", "y"})
		}},
		{"bare LF line ends", "GET / HTTP/1.1\nHost: a\nX: 1\n\n", func(t *testing.T, h *head) {
			want(t, h.header.Get("X"), "1")
		}},
		{"leading empty line", "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) { want(t, h.method, "GET") }},
		{"HTTP/1.0 without Host closes", "GET / HTTP/1.0\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.minor, 0)
			want(t, h.wantClose, true)
		}},
		{"HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.keepAlive10, true)
			want(t, h.wantClose, false)
		}},
		{"Connection close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n", func(t *testing.T, h *head) { want(t, h.wantClose, true) }},
		{"content length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.contentLength, int64(42))
			want(t, h.header.Get("Content-Length"), "42")
		}},
		{"chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.chunked, true)
			want(t, h.contentLength, int64(-1))
			want(t, len(h.header["Transfer-Encoding"]), 0)
		}},
		{"absolute form wins over Host", "GET http://example.com:8/x?y HTTP/1.1\r\nHost: other\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.host, "example.com:8")
			want(t, h.url.Path, "/x")
			want(t, h.url.RawQuery, "y")
		}},
		{"percent-encoded path", "GET /a%20b/c%2Fd HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.url.Path, "/a b/c/d")
			want(t, h.url.RawPath, "/a%20b/c%2Fd")
		}},
		{"force query", "GET /a? HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) { want(t, h.url.ForceQuery, true) }},
		{"CONNECT authority form", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.url.Host, "example.com:443")
			want(t, h.url.Scheme, "")
		}},
		{"asterisk form", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) { want(t, h.url.Path, "*") }},
		{"expect continue", "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.expectContinue, true)
		}},
		{"expect continue without body", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", func(t *testing.T, h *head) {
			want(t, h.expectContinue, false)
		}},
		{"HTTP/1.1 minor above 1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", func(t *testing.T, h *head) { want(t, h.minor, 2) }},
		{"empty Host allowed", "GET / HTTP/1.1\r\nHost:\r\n\r\n", func(t *testing.T, h *head) { want(t, h.host, "") }},
		{"obs-text in value", "GET / HTTP/1.1\r\nHost: a\r\nX: caf\xc3\xa9\r\n\r\n", func(t *testing.T, h *head) { want(t, h.header.Get("X"), "caf\xc3\xa9") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, n, err := parseString(tc.in, testLimits)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if n != len(tc.in) {
				t.Errorf("consumed %d of %d bytes", n, len(tc.in))
			}
			tc.check(t, h)
		})
	}
}

func TestParseHeadRejects(t *testing.T) {
	many := "GET / HTTP/1.1\r\nHost: a\r\n" + strings.Repeat("X: 1\r\n", 10) + "\r\n"
	for _, tc := range []struct {
		name, in string
		status   int
	}{
		{"CL and TE (smuggling)", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"TE and CL (smuggling)", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400},
		{"duplicate CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", 400},
		{"CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n", 400},
		{"CL sign", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\n", 400},
		{"CL negative", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
		{"CL hex", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", 400},
		{"CL empty", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", 400},
		{"CL overflow", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9999999999999999999\r\n\r\n", 400},
		{"TE twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"TE gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"TE list", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
		{"TE identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", 501},
		{"TE with junk", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 501},
		{"TE in HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
		{"obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n", 400},
		{"whitespace before first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400},
		{"space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},
		{"tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", 400},
		{"invalid name byte", "GET / HTTP/1.1\r\nHost: a\r\nX(y): 1\r\n\r\n", 400},
		{"no colon", "GET / HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", 400},
		{"empty name", "GET / HTTP/1.1\r\nHost: a\r\n: v\r\n\r\n", 400},
		{"NUL in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\x00b\r\n\r\n", 400},
		{"bare CR in value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", 400},
		{"missing Host", "GET / HTTP/1.1\r\n\r\n", 400},
		{"two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"bad Host", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400},
		{"double space in request line", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"missing version", "GET /\r\nHost: a\r\n\r\n", 400},
		{"trailing junk after version", "GET / HTTP/1.1 x\r\nHost: a\r\n\r\n", 400},
		{"bad method", "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"control in target", "GET /a\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"DEL in target", "GET /a\x7f HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"bad escape", "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", 400},
		{"HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
		{"HTTP/0.9", "GET / HTTP/0.9\r\nHost: a\r\n\r\n", 505},
		{"not HTTP", "GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400},
		{"lower-case http", "GET / http/1.1\r\nHost: a\r\n\r\n", 400},
		{"too many fields", many, 431},
		{"head too large", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("a", 1100) + "\r\n\r\n", 431},
		{"head too large, incomplete", "GET / HTTP/1.1\r\nHost: a\r\nX: " + strings.Repeat("a", 1100), 431},
		{"unknown expectation", "GET / HTTP/1.1\r\nHost: a\r\nExpect: magic\r\n\r\n", 417},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := parseString(tc.in, testLimits)
			pe, ok := err.(*ParseError)
			if !ok {
				t.Fatalf("err = %v, want a *ParseError with status %d", err, tc.status)
			}
			if pe.Status != tc.status {
				t.Errorf("status %d (%s), want %d", pe.Status, pe.Reason, tc.status)
			}
		})
	}
}

func TestParseHeadIncomplete(t *testing.T) {
	full := "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\r\n"
	for i := 0; i < len(full); i++ {
		if _, _, err := parseString(full[:i], testLimits); err != errIncomplete {
			t.Fatalf("prefix of %d bytes: err = %v, want errIncomplete", i, err)
		}
	}
}

// TestParseHeadReuse checks that a second parse with the same scratch and header map
// replaces everything from the first.
func TestParseHeadReuse(t *testing.T) {
	p := parser{lim: testLimits}
	h := &head{}
	if _, err := p.parseHead([]byte("POST /a HTTP/1.1\r\nHost: a\r\nX-One: 1\r\nContent-Length: 3\r\n\r\n"), h); err != nil {
		t.Fatal(err)
	}
	hdr := h.header
	if _, err := p.parseHead([]byte("GET /b HTTP/1.1\r\nHost: b\r\nX-Two: 2\r\n\r\n"), h); err != nil {
		t.Fatal(err)
	}
	want(t, h.header, http.Header{"X-Two": {"2"}})
	want(t, h.contentLength, int64(0))
	want(t, h.url.Path, "/b")
	if reflect.ValueOf(hdr).Pointer() != reflect.ValueOf(h.header).Pointer() {
		t.Error("the header map was not reused")
	}
}

func want[T any](t *testing.T, got, wanted T) {
	t.Helper()
	if !reflect.DeepEqual(got, wanted) {
		t.Errorf("got %#v, want %#v", got, wanted)
	}
}

// TestParseHeadRepeated: a head repeated byte for byte is parsed into the strings of the
// previous one (no allocation); one that differs in a single byte gets its own.
func TestParseHeadRepeated(t *testing.T) {
	p := parser{lim: testLimits}
	h := &head{}
	buf := []byte("GET /a.png HTTP/1.1\r\nHost: a\r\nAccept: */*\r\n\r\n")
	parse := func() {
		t.Helper()
		if _, err := p.parseHead(buf, h); err != nil {
			t.Fatal(err)
		}
	}
	parse()
	first := h.target
	buf[5] = 'b' // the caller's buffer is reused for the next request
	parse()
	want(t, h.target, "/b.png")
	want(t, first, "/a.png")
	second := h.target
	parse()
	want(t, h.target, "/b.png")
	if unsafe.StringData(h.target) != unsafe.StringData(second) {
		t.Error("a repeated head was copied again")
	}
	if got := testing.AllocsPerRun(100, parse); got != 0 {
		t.Errorf("parsing a repeated head allocates %v times", got)
	}
}
