package cachekey

import (
	"net/http"
	"testing"
)

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

const host, path = "d111111abcdef8.cloudfront.net", "/images/a.jpg"

// TestKeySameOrDifferent states, for each pair of requests, whether CloudFront's cache key rules
// make them one cache entry or two.
func TestKeySameOrDifferent(t *testing.T) {
	none := Policy{}
	allQ := Policy{Query: Selector{Behavior: All}}
	wlQ := Policy{Query: Selector{Behavior: Whitelist, Names: []string{"size", "v"}}}
	exQ := Policy{Query: Selector{Behavior: AllExcept, Names: []string{"utm_source"}}}
	wlH := Policy{Headers: Selector{Behavior: Whitelist, Names: []string{"Accept-Language", "origin"}}}
	wlC := Policy{Cookies: Selector{Behavior: Whitelist, Names: []string{"session", "userid_*", "t?"}}}
	allC := Policy{Cookies: Selector{Behavior: All}}
	exC := Policy{Cookies: Selector{Behavior: AllExcept, Names: []string{"_ga*"}}}
	gz := Policy{Gzip: true}
	gzbr := Policy{Gzip: true, Brotli: true}

	type req struct {
		host, path, q string
		h             http.Header
	}
	r := func(q string, kv ...string) req { return req{host, path, q, hdr(kv...)} }
	cases := []struct {
		name string
		p    Policy
		a, b req
		same bool
	}{
		// Host and path.
		{"host case", none, req{host, path, "", nil}, req{"D111111ABCDEF8.cloudfront.net", path, "", nil}, true},
		{"other host", none, req{host, path, "", nil}, req{"other.example", path, "", nil}, false},
		{"path case", none, req{host, "/a.jpg", "", nil}, req{host, "/A.jpg", "", nil}, false},
		{"trailing slash", none, req{host, "/a", "", nil}, req{host, "/a/", "", nil}, false},

		// Query strings.
		{"none ignores query", none, r("a=1"), r("a=2"), true},
		{"all keys values", allQ, r("a=1"), r("a=2"), false},
		{"all sorts names", allQ, r("b=2&a=1"), r("a=1&b=2"), true},
		{"all keeps order of a repeated name", allQ, r("a=1&a=2"), r("a=2&a=1"), false},
		{"all: a vs a=", allQ, r("a"), r("a="), false},
		{"all: empty items dropped", allQ, r("a=1&&b=2&"), r("a=1&b=2"), true},
		{"all: no query vs empty query", allQ, r(""), r("&"), true},
		{"all: names case-sensitive", allQ, r("A=1"), r("a=1"), false},
		{"all: spelling is kept", allQ, r("a=%41"), r("a=A"), false},
		{"whitelist ignores others", wlQ, r("size=2&utm=x"), r("size=2&utm=y"), true},
		{"whitelist keys listed", wlQ, r("size=1"), r("size=2"), false},
		{"whitelist is case-sensitive", wlQ, r("Size=1"), r("Size=2"), true},
		{"whitelist matches decoded names", wlQ, r("%73ize=1"), r("%73ize=2"), false},
		{"whitelist sorts", wlQ, r("v=3&size=1"), r("size=1&v=3"), true},
		{"allExcept drops listed", exQ, r("a=1&utm_source=x"), r("a=1&utm_source=y"), true},
		{"allExcept keeps others", exQ, r("a=1"), r("a=2"), false},

		// Headers.
		{"none ignores headers", none, r("", "Accept-Language", "en"), r("", "Accept-Language", "fr"), true},
		{"whitelist keys a header", wlH, r("", "Accept-Language", "en"), r("", "Accept-Language", "fr"), false},
		{"whitelist is case-insensitive", wlH, r("", "Origin", "https://a"), r("", "Origin", "https://b"), false},
		{"whitelist ignores others", wlH, r("", "X-Other", "1"), r("", "X-Other", "2"), true},
		{"absent vs empty header", wlH, r(""), r("", "Accept-Language", ""), false},
		{"value order matters", wlH, r("", "Origin", "a", "Origin", "b"), r("", "Origin", "b", "Origin", "a"), false},
		{"all headers", Policy{Headers: Selector{Behavior: All}}, r("", "X-A", "1"), r("", "X-A", "2"), false},
		{"allExcept headers", Policy{Headers: Selector{Behavior: AllExcept, Names: []string{"x-a"}}}, r("", "X-A", "1"), r("", "X-A", "2"), true},
		{"hop-by-hop never keyed", Policy{Headers: Selector{Behavior: All}}, r("", "Connection", "close", "Te", "trailers"), r(""), true},
		{"connection-named header never keyed", Policy{Headers: Selector{Behavior: All}}, r("", "Connection", "X-Hop", "X-Hop", "1"), r("", "Connection", "X-Hop", "X-Hop", "2"), true},
		{"cookie header only through cookies", Policy{Headers: Selector{Behavior: Whitelist, Names: []string{"Cookie"}}}, r("", "Cookie", "a=1"), r("", "Cookie", "a=2"), true},
		{"delegation headers never keyed", Policy{Headers: Selector{Behavior: All}}, r("", "X-Imgcdn-Oai", "E1"), r("", "X-Imgcdn-Oai", "E2"), true},

		// Cookies.
		{"none ignores cookies", none, r("", "Cookie", "session=1"), r("", "Cookie", "session=2"), true},
		{"whitelist keys a cookie", wlC, r("", "Cookie", "session=1"), r("", "Cookie", "session=2"), false},
		{"whitelist ignores others", wlC, r("", "Cookie", "session=1; x=1"), r("", "Cookie", "x=2; session=1"), true},
		{"wildcard *", wlC, r("", "Cookie", "userid_42=a"), r("", "Cookie", "userid_42=b"), false},
		{"wildcard ? one char", wlC, r("", "Cookie", "tz=a"), r("", "Cookie", "tz=b"), false},
		{"wildcard ? not two", wlC, r("", "Cookie", "tzz=a"), r("", "Cookie", "tzz=b"), true},
		{"cookie names case-sensitive", wlC, r("", "Cookie", "Session=1"), r("", "Cookie", "Session=2"), true},
		{"cookies sorted", allC, r("", "Cookie", "b=2; a=1"), r("", "Cookie", "a=1; b=2"), true},
		{"cookie lines joined", allC, r("", "Cookie", "a=1", "Cookie", "b=2"), r("", "Cookie", "a=1; b=2"), true},
		{"allExcept cookies", exC, r("", "Cookie", "_ga_x=1; a=1"), r("", "Cookie", "a=1; _ga_x=2"), true},

		// Accept-Encoding normalisation.
		{"gzip: other codings ignored", gz, r("", "Accept-Encoding", "gzip, deflate"), r("", "Accept-Encoding", "gzip"), true},
		{"gzip vs none", gz, r("", "Accept-Encoding", "gzip"), r("", "Accept-Encoding", "deflate"), false},
		{"no gzip equals no header", gz, r("", "Accept-Encoding", "deflate"), r(""), true},
		{"br disabled", gz, r("", "Accept-Encoding", "br, gzip"), r("", "Accept-Encoding", "gzip"), true},
		{"br and gzip vs br", gzbr, r("", "Accept-Encoding", "gzip, br"), r("", "Accept-Encoding", "br"), false},
		{"order does not matter", gzbr, r("", "Accept-Encoding", "gzip, br"), r("", "Accept-Encoding", "br;q=0.5, gzip"), true},
		{"q=0 is not accepted", gzbr, r("", "Accept-Encoding", "gzip, br;q=0"), r("", "Accept-Encoding", "gzip"), true},
		{"without normalisation AE is not keyed", none, r("", "Accept-Encoding", "gzip"), r(""), true},
	}
	for _, c := range cases {
		ka := Key(c.p, c.a.host, c.a.path, c.a.q, c.a.h)
		kb := Key(c.p, c.b.host, c.b.path, c.b.q, c.b.h)
		if (ka == kb) != c.same {
			t.Errorf("%s: keys equal = %v, want %v\n a: %q\n b: %q", c.name, ka == kb, c.same, ka, kb)
		}
	}
}

// TestKeyFieldsCannotCollide is the classic concatenation attack: values that contain what
// would be separators in a naive key must not produce another request's key.
func TestKeyFieldsCannotCollide(t *testing.T) {
	p := Policy{Query: Selector{Behavior: All}, Headers: Selector{Behavior: All}, Cookies: Selector{Behavior: All}}
	keys := map[string]string{}
	add := func(name, h, pth, q string, hd http.Header) {
		k := Key(p, h, pth, q, hd)
		if prev, dup := keys[k]; dup {
			t.Errorf("%s and %s share the key %q", prev, name, k)
		}
		keys[k] = name
	}
	add("host a.b path /c", "a.b", "/c", "", nil)
	add("host a.b/ path c", "a.b/", "c", "", nil)
	add("host a path .b/c", "a", ".b/c", "", nil)
	add("query a=1&b=2", "h", "/", "a=1&b=2", nil)
	add("query a=1%26b=2", "h", "/", "a=1%26b=2", nil)
	add("header x: 1,2", "h", "/", "", hdr("X", "1,2"))
	add("header x: 1 / x: 2", "h", "/", "", hdr("X", "1", "X", "2"))
	add("header x1: ''", "h", "/", "", hdr("X1", ""))
	add("cookie a=1; b=2", "h", "/", "", hdr("Cookie", "a=1; b=2"))
	add("cookie a=1;b=2 as header", "h", "/", "", hdr("A", "1;b=2"))
	add("path with 1:", "h", "/1:x", "", nil)
	add("query 1:x", "h", "/", "1:x", nil)
}

func TestValidateAndCachingDisabled(t *testing.T) {
	if err := (Policy{Query: Selector{Behavior: "whitelist"}, Cookies: Selector{Behavior: "allExcept"}}).Validate(); err != nil {
		t.Fatalf("valid policy: %v", err)
	}
	if err := (Policy{Headers: Selector{Behavior: "allViewer"}}).Validate(); err == nil {
		t.Fatal("unknown behaviour accepted")
	}
	if !(Policy{Headers: Selector{Behavior: All}}).CachingDisabled() {
		t.Fatal("forwarding all headers must disable caching")
	}
	if (Policy{Headers: Selector{Behavior: Whitelist}, Query: Selector{Behavior: All}}).CachingDisabled() {
		t.Fatal("a header whitelist does not disable caching")
	}
	// An unknown behaviour selects nothing rather than everything.
	a := Key(Policy{Query: Selector{Behavior: "bogus"}}, host, path, "a=1", nil)
	b := Key(Policy{Query: Selector{Behavior: "bogus"}}, host, path, "a=2", nil)
	if a != b {
		t.Fatal("an unknown query behaviour keyed the query")
	}
}
