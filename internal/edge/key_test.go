package edge

import (
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// echoOrigin answers with what it was asked (query, a few headers and the cookie), so a
// body shows exactly what reached the origin and which entry a viewer got.
func echoOrigin(t *testing.T) *testOrigin {
	return newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		body := "q=" + r.URL.RawQuery + " v=" + r.Header.Get("X-Variant") + " c=" + r.Header.Get("Cookie") +
			" fh=" + r.Header.Get("X-Forwarded-Host")
		static(body, "Content-Type", "text/plain")(w, r)
	})
}

// TestCacheKeyQueryHeadersCookies: for each ForwardedValues setting, which viewer requests
// share an entry (Hit, no origin request) and what reaches the origin.
func TestCacheKeyQueryHeadersCookies(t *testing.T) {
	type step struct {
		target string
		kv     []string
		xcache string
		body   string // what the origin saw, echoed
	}
	for _, c := range []struct {
		name  string
		fv    distrib.ForwardedValues
		steps []step
	}{
		{"query none", distrib.ForwardedValues{CookiesForward: "none"}, []step{
			{"/a?x=1", nil, "Miss", "q= v= c= fh="},
			{"/a?x=2", nil, "Hit", "q= v= c= fh="},
			{"/a", nil, "Hit", "q= v= c= fh="},
		}},
		{"query all", distrib.ForwardedValues{QueryString: true, CookiesForward: "none"}, []step{
			{"/a?x=1&y=2", nil, "Miss", "q=x=1&y=2 v= c= fh="},
			{"/a?y=2&x=1", nil, "Hit", "q=x=1&y=2 v= c= fh="},
			{"/a?x=2", nil, "Miss", "q=x=2 v= c= fh="},
			{"/a", nil, "Miss", "q= v= c= fh="},
		}},
		{"query whitelist", distrib.ForwardedValues{QueryString: true, QueryStringCacheKeys: []string{"w"}, CookiesForward: "none"}, []step{
			{"/a?w=100&utm=x", nil, "Miss", "q=w=100 v= c= fh="},
			{"/a?utm=y&w=100", nil, "Hit", "q=w=100 v= c= fh="},
			{"/a?w=200", nil, "Miss", "q=w=200 v= c= fh="},
			{"/a?W=200", nil, "Miss", "q= v= c= fh="},
		}},
		{"header whitelist", distrib.ForwardedValues{Headers: []string{"X-Variant"}, CookiesForward: "none"}, []step{
			{"/a", []string{"X-Variant", "big"}, "Miss", "q= v=big c= fh="},
			{"/a", []string{"x-variant", "big", "X-Other", "1"}, "Hit", "q= v=big c= fh="},
			{"/a", []string{"X-Variant", "small"}, "Miss", "q= v=small c= fh="},
			{"/a", nil, "Miss", "q= v= c= fh="},
		}},
		{"cookies none", distrib.ForwardedValues{CookiesForward: "none"}, []step{
			{"/a", []string{"Cookie", "session=1"}, "Miss", "q= v= c= fh="},
			{"/a", []string{"Cookie", "session=2"}, "Hit", "q= v= c= fh="},
		}},
		{"cookies whitelist", distrib.ForwardedValues{CookiesForward: "whitelist", CookieNames: []string{"session"}}, []step{
			{"/a", []string{"Cookie", "session=1; tracker=a"}, "Miss", "q= v= c=session=1 fh="},
			{"/a", []string{"Cookie", "tracker=b; session=1"}, "Hit", "q= v= c=session=1 fh="},
			{"/a", []string{"Cookie", "session=2"}, "Miss", "q= v= c=session=2 fh="},
		}},
		{"cookies all", distrib.ForwardedValues{CookiesForward: "all"}, []step{
			{"/a", []string{"Cookie", "a=1; b=2"}, "Miss", "q= v= c=a=1; b=2"},
			{"/a", []string{"Cookie", "b=2; a=1"}, "Hit", "q= v= c=a=1; b=2"},
			{"/a", []string{"Cookie", "a=1"}, "Miss", "q= v= c=a=1"},
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			o := echoOrigin(t)
			d := dist(o.origin("o"))
			fv := c.fv
			d.Config.DefaultCacheBehavior.ForwardedValues = &fv
			e.load(d)
			misses := 0
			for _, s := range c.steps {
				a := e.get(domain, s.target, s.kv...)
				if a.Status != 200 || a.xcache() != s.xcache+" from cloudfront" || !strings.HasPrefix(a.Body, s.body) {
					t.Fatalf("%s %v: %d %q %q, want %s %q", s.target, s.kv, a.Status, a.xcache(), a.Body, s.xcache, s.body)
				}
				if s.xcache == "Miss" {
					misses++
				}
				if o.count() != misses {
					t.Fatalf("%s %v: origin saw %d requests, want %d", s.target, s.kv, o.count(), misses)
				}
			}
		})
	}
}

// TestUnkeyedHeadersNotForwarded: request headers outside the cache key never reach the
// origin, so a viewer cannot make the origin produce a variant that other viewers then get
// from the cache (web cache poisoning through X-Forwarded-Host and friends).
func TestUnkeyedHeadersNotForwarded(t *testing.T) {
	e := newEnv(t)
	o := echoOrigin(t)
	e.load(dist(o.origin("o")))
	attack := []string{
		"X-Forwarded-Host", "evil.example", "X-Host", "evil.example", "X-Forwarded-Server", "evil.example",
		"X-Original-URL", "/admin", "X-Rewrite-URL", "/admin", "X-Forwarded-Scheme", "nothttps",
		"X-Forwarded-Proto", "http", "X-Variant", "poison", "Accept-Language", "xx", "Authorization", "Bearer t",
		"Origin", "https://evil.example", "Referer", "https://evil.example/", "Cookie", "s=1",
		"X-Http-Method-Override", "DELETE", "Forwarded", "host=evil.example",
	}
	a := e.get(domain, "/page", attack...)
	e.want(a, 200, "Miss", "q= v= c= fh=")
	got := o.last()
	for i := 0; i < len(attack); i += 2 {
		if v := got.Header.Get(attack[i]); v != "" {
			t.Errorf("unkeyed %s reached the origin: %q", attack[i], v)
		}
	}
	if got.Method != http.MethodGet || got.Path != "/page" || got.Host == "evil.example" {
		t.Errorf("origin saw %s %s host %q", got.Method, got.Path, got.Host)
	}
	// Every other viewer gets the clean entry.
	e.want(e.get(domain, "/page"), 200, "Hit", "q= v= c= fh=")
}

// TestOriginRequestHeaders: what the edge adds to origin requests: x-amz-cf-id (the same one
// the viewer gets), via, X-Forwarded-For with the viewer's address, CloudFront's User-Agent,
// and the origin's custom headers over viewer ones.
func TestOriginRequestHeaders(t *testing.T) {
	e := newEnv(t)
	o := echoOrigin(t)
	og := o.origin("o")
	og.CustomHeaders = []distrib.CustomHeader{{Name: "X-Origin-Secret", Value: "s3cr3t"}}
	d := dist(og)
	d.Config.DefaultCacheBehavior.ForwardedValues.Headers = []string{"X-Origin-Secret"}
	e.load(d)
	a := e.get(domain, "/a", "X-Origin-Secret", "forged", "X-Forwarded-For", "203.0.113.9")
	got := o.last()
	if id := got.Header.Get("X-Amz-Cf-Id"); len(id) != 56 || id != a.Header.Get("X-Amz-Cf-Id") {
		t.Errorf("origin x-amz-cf-id %q, viewer's %q", id, a.Header.Get("X-Amz-Cf-Id"))
	}
	if got.Header.Get("Via") != a.Header.Get("Via") || got.Header.Get("Via") == "" {
		t.Errorf("origin via %q, viewer's %q", got.Header.Get("Via"), a.Header.Get("Via"))
	}
	if v := got.Header.Get("X-Forwarded-For"); v != "203.0.113.9, 127.0.0.1" {
		t.Errorf("X-Forwarded-For %q", v)
	}
	if v := got.Header.Get("X-Origin-Secret"); v != "s3cr3t" {
		t.Errorf("custom header %q, want the origin's", v)
	}
	if v := got.Header.Get("User-Agent"); v != "Amazon CloudFront" {
		t.Errorf("User-Agent %q", v)
	}
}
