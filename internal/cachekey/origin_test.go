package cachekey

import (
	"net/http"
	"reflect"
	"testing"
)

func TestOriginRequest(t *testing.T) {
	legacy := Policy{
		Query:   Selector{Behavior: Whitelist, Names: []string{"size"}},
		Headers: Selector{Behavior: Whitelist, Names: []string{"Accept-Language"}},
		Cookies: Selector{Behavior: Whitelist, Names: []string{"session"}},
	}
	viewer := hdr(
		"Accept-Language", "en",
		"X-Forwarded-Host", "evil.example", // unkeyed: must not reach the origin
		"Cookie", "tracking=1; session=abc",
		"Accept-Encoding", "gzip, br",
		"Connection", "keep-alive, X-Hop",
		"X-Hop", "1",
		"Te", "trailers",
		"Upgrade", "websocket",
		"Proxy-Authorization", "Basic Zm9v",
		"X-Imgcdn-Oai", "E2ATTACKER",
		"X-Amz-Source-Arn", "arn:aws:cloudfront::1:distribution/EVIL",
		"X-Edge-Location", "x",
		"Cache-Control", "no-cache",
	)
	cases := []struct {
		name      string
		key, fwd  Policy
		h         http.Header
		q         string
		wantH     http.Header
		wantQuery string
	}{
		{
			name: "legacy: exactly what is keyed",
			key:  legacy, fwd: legacy, h: viewer, q: "utm=1&size=2&x=3",
			wantH:     hdr("Accept-Language", "en", "Cookie", "session=abc"),
			wantQuery: "size=2",
		},
		{
			name: "origin request policy adds to the key",
			key:  legacy,
			fwd: Policy{
				Query:   Selector{Behavior: All},
				Headers: Selector{Behavior: Whitelist, Names: []string{"x-forwarded-host"}},
				Cookies: Selector{Behavior: All},
			},
			h: viewer, q: "x=3&size=2&utm=1",
			wantH:     hdr("Accept-Language", "en", "X-Forwarded-Host", "evil.example", "Cookie", "session=abc; tracking=1"),
			wantQuery: "size=2&utm=1&x=3",
		},
		{
			name: "all headers still drops hop-by-hop, edge-owned and delegation headers",
			key:  Policy{Headers: Selector{Behavior: All}}, fwd: Policy{Headers: Selector{Behavior: All}},
			h: viewer,
			wantH: hdr("Accept-Language", "en", "X-Forwarded-Host", "evil.example",
				"Accept-Encoding", "gzip, br"),
		},
		{
			name: "nothing selected",
			key:  Policy{}, fwd: Policy{}, h: viewer, q: "a=1",
			wantH: http.Header{},
		},
		{
			name: "normalised accept-encoding, br and gzip",
			key:  Policy{Gzip: true, Brotli: true}, fwd: Policy{},
			h:     hdr("Accept-Encoding", "deflate, gzip, br"),
			wantH: hdr("Accept-Encoding", "br,gzip"),
		},
		{
			name: "normalised accept-encoding, gzip only",
			key:  Policy{Gzip: true}, fwd: Policy{},
			h:     hdr("Accept-Encoding", "br, gzip;q=0.1"),
			wantH: hdr("Accept-Encoding", "gzip"),
		},
		{
			name: "viewer supports neither: identity",
			key:  Policy{Gzip: true, Brotli: true}, fwd: Policy{},
			h:     hdr("Accept-Encoding", "deflate"),
			wantH: hdr("Accept-Encoding", "identity"),
		},
		{
			name: "viewer sent no accept-encoding: none",
			key:  Policy{Gzip: true, Brotli: true}, fwd: Policy{},
			h:     hdr(),
			wantH: http.Header{},
		},
		{
			name: "normalisation wins over a forwarded raw accept-encoding",
			key:  Policy{Gzip: true}, fwd: Policy{Headers: Selector{Behavior: Whitelist, Names: []string{"Accept-Encoding"}}},
			h:     hdr("Accept-Encoding", "gzip, deflate, sdch"),
			wantH: hdr("Accept-Encoding", "gzip"),
		},
		{
			name: "raw accept-encoding when selected without normalisation",
			key:  Policy{Headers: Selector{Behavior: Whitelist, Names: []string{"accept-encoding"}}}, fwd: Policy{},
			h:     hdr("Accept-Encoding", "gzip, deflate"),
			wantH: hdr("Accept-Encoding", "gzip, deflate"),
		},
		{
			name: "repeated query names keep their order, spelling is kept",
			key:  Policy{Query: Selector{Behavior: All}}, fwd: Policy{},
			h: hdr(), q: "b=%20x&a=2&a=1&&c",
			wantH:     http.Header{},
			wantQuery: "a=2&a=1&b=%20x&c",
		},
		{
			name: "multi-valued header",
			key:  Policy{Headers: Selector{Behavior: Whitelist, Names: []string{"x-v"}}}, fwd: Policy{},
			h:     hdr("X-V", "1", "X-V", "2"),
			wantH: hdr("X-V", "1", "X-V", "2"),
		},
	}
	for _, c := range cases {
		gotH, gotQ := OriginRequest(c.key, c.fwd, c.h, c.q)
		if !reflect.DeepEqual(gotH, c.wantH) {
			t.Errorf("%s: headers\n got %v\nwant %v", c.name, gotH, c.wantH)
		}
		if gotQ != c.wantQuery {
			t.Errorf("%s: query %q, want %q", c.name, gotQ, c.wantQuery)
		}
	}
}

// TestUnkeyedNeverForwarded is the cache-poisoning property: with legacy settings two requests
// that share a key produce byte-identical origin requests.
func TestUnkeyedNeverForwarded(t *testing.T) {
	p := Policy{
		Query:   Selector{Behavior: AllExcept, Names: []string{"utm"}},
		Headers: Selector{Behavior: Whitelist, Names: []string{"Origin"}},
		Cookies: Selector{Behavior: Whitelist, Names: []string{"s*"}},
		Gzip:    true,
	}
	a := hdr("Origin", "https://a", "X-Forwarded-Host", "a", "Cookie", "s1=x; t=1", "Accept-Encoding", "gzip, deflate", "User-Agent", "A")
	b := hdr("Cookie", "t=2; s1=x", "Origin", "https://a", "X-Forwarded-Host", "b", "Accept-Encoding", "gzip", "User-Agent", "B", "X-Original-Url", "/admin")
	qa, qb := "z=1&utm=a&y=2", "y=2&z=1&utm=b"
	if Key(p, host, path, qa, a) != Key(p, host, path, qb, b) {
		t.Fatal("test setup: the two requests should share a key")
	}
	ha, fa := OriginRequest(p, p, a, qa)
	hb, fb := OriginRequest(p, p, b, qb)
	if !reflect.DeepEqual(ha, hb) || fa != fb {
		t.Fatalf("one key, two origin requests:\n a %v ?%s\n b %v ?%s", ha, fa, hb, fb)
	}
}
