package httpserver

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParseHead feeds arbitrary bytes to the request parser. Beyond not panicking, an
// accepted head must satisfy what the handler and the response path rely on: canonical
// token names, values without CR, LF or NUL, consistent framing, and the same URL as
// net/url gives for the target (the fast path must agree with url.ParseRequestURI).
func FuzzParseHead(f *testing.F) {
	for _, s := range []string{
		"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /a/b.png?w=100&h=200 HTTP/1.1\r\nHost: d1.cdn.localhost\r\nAccept-Encoding: gzip, br\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n",
		"GET http://h/p%41?q HTTP/1.1\r\nhost: x\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
		"CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n\r\n",
		"GET /a!b'c(d)*e HTTP/1.1\nHost: a\nx:  y \n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		p := parser{lim: limits{maxBytes: 4096, maxHeaders: 32}}
		h := &head{}
		n, err := p.parseHead(in, h)
		if err != nil {
			if pe, ok := err.(*ParseError); ok && (pe.Status < 400 || pe.Status > 599) {
				t.Fatalf("status %d", pe.Status)
			}
			return
		}
		if n <= 0 || n > len(in) {
			t.Fatalf("consumed %d of %d", n, len(in))
		}
		for k, vv := range h.header {
			for i := 0; i < len(k); i++ {
				if !isTokenByte(k[i]) {
					t.Fatalf("name %q", k)
				}
			}
			if k != canonical(k) {
				t.Fatalf("name %q not canonical", k)
			}
			for _, v := range vv {
				if strings.ContainsAny(v, "\r\n\x00") {
					t.Fatalf("value %q", v)
				}
			}
		}
		if h.chunked && h.contentLength != -1 || !h.chunked && h.contentLength < 0 {
			t.Fatalf("framing chunked=%v length=%d", h.chunked, h.contentLength)
		}
		if h.method != "CONNECT" {
			u, err := url.ParseRequestURI(h.target)
			if err != nil {
				t.Fatalf("accepted target %q that net/url rejects: %v", h.target, err)
			}
			if *u != h.url {
				t.Fatalf("target %q: URL %#v, net/url gives %#v", h.target, h.url, *u)
			}
		}
	})
}

// canonical is textproto's canonical form for a token, written out independently.
func canonical(k string) string {
	b := []byte(strings.ToLower(k))
	upper := true
	for i, c := range b {
		if upper && 'a' <= c && c <= 'z' {
			b[i] = c - 32
		}
		upper = c == '-'
	}
	return string(b)
}

// TestFastTargetAgreesWithNetURL checks the fast path against url.ParseRequestURI for every
// byte in every position class, so that the table of verbatim path bytes cannot drift.
func TestFastTargetAgreesWithNetURL(t *testing.T) {
	for c := 0x21; c < 0x100; c++ {
		if c == 0x7f {
			continue
		}
		for _, tmpl := range []string{"/a%cb", "/%c", "/a?x%cy", "/a%c?q"} {
			target := strings.Replace(tmpl, "%c", string([]byte{byte(c)}), 1)
			h := &head{method: "GET", target: target}
			err := parseTarget(h)
			u, uerr := url.ParseRequestURI(target)
			if (err == nil) != (uerr == nil) {
				t.Fatalf("%q: err %v, net/url %v", target, err, uerr)
			}
			if err == nil && *u != h.url {
				t.Fatalf("%q: %#v, net/url %#v", target, h.url, *u)
			}
		}
	}
}
