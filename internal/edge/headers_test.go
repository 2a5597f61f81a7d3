package edge

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestResponseHeaders: the origin's object headers are kept on Miss and Hit, CloudFront's
// own are added (x-cache, via, x-amz-cf-pop, a fresh 56-character x-amz-cf-id per request),
// and hop-by-hop fields and per-request S3 ids are removed.
func TestResponseHeaders(t *testing.T) {
	e := newEnv(t)
	keep := map[string]string{
		"Content-Type": "image/png", "Etag": `"0123"`, "Last-Modified": "Mon, 02 Jan 2006 15:04:05 GMT",
		"X-Amz-Server-Side-Encryption": "AES256", "X-Amz-Version-Id": "3HL4kqtJlcpXroDTDmJ", "Accept-Ranges": "bytes",
		"Server": "AmazonS3", "Cache-Control": "max-age=600", "X-Custom": "kept",
	}
	drop := []string{"Connection", "X-Hop", "Keep-Alive", "Proxy-Authenticate", "Upgrade", "X-Amz-Request-Id", "X-Amz-Id-2", "Set-Cookie"}
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		for k, v := range keep {
			w.Header().Set(k, v)
		}
		w.Header().Set("Connection", "X-Hop")
		w.Header().Set("X-Hop", "1")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("Proxy-Authenticate", "Basic")
		w.Header().Set("Upgrade", "h2c")
		w.Header().Set("X-Amz-Request-Id", "REQ")
		w.Header().Set("X-Amz-Id-2", "ID2")
		w.Header().Set("Set-Cookie", "session=secret")
		w.Header().Set("Via", "1.1 origin-proxy")
		static("png bytes")(w, r)
	})
	e.load(dist(o.origin("o")))
	via := regexp.MustCompile(`^1\.1 [0-9a-f]{32}\.cdn\.localhost \(imgcdn\)$`)
	ids := map[string]bool{}
	for i, xcache := range []string{"Miss", "Hit", "Hit"} {
		for _, tls := range []bool{false, true} {
			a := e.do(tls, http.MethodGet, domain, "/a.png", nil)
			if i == 0 && tls {
				xcache = "Hit"
			}
			e.want(a, 200, xcache, "png bytes")
			for k, v := range keep {
				if a.Header.Get(k) != v {
					t.Errorf("%s: %s = %q, want %q", xcache, k, a.Header.Get(k), v)
				}
			}
			for _, k := range drop {
				if v := a.Header.Get(k); v != "" {
					t.Errorf("%s: %s = %q relayed", xcache, k, v)
				}
			}
			if a.Header.Get("Content-Length") != "9" {
				t.Errorf("%s: Content-Length %q", xcache, a.Header.Get("Content-Length"))
			}
			if !via.MatchString(a.Header.Get("Via")) {
				t.Errorf("%s: via %q", xcache, a.Header.Get("Via"))
			}
			if a.Header.Get("X-Amz-Cf-Pop") != "TST1-C1" {
				t.Errorf("%s: x-amz-cf-pop %q", xcache, a.Header.Get("X-Amz-Cf-Pop"))
			}
			id := a.Header.Get("X-Amz-Cf-Id")
			if !regexp.MustCompile(`^[A-Za-z0-9_-]{56}$`).MatchString(id) || ids[id] {
				t.Errorf("%s: x-amz-cf-id %q (repeated: %v)", xcache, id, ids[id])
			}
			ids[id] = true
		}
	}
}

// TestSetCookieForwarded: with cookies forwarded the origin's Set-Cookie reaches the viewer;
// with none it is removed, on passed-through methods too.
func TestSetCookieForwarded(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("x", "Set-Cookie", "s=1", "Cache-Control", "max-age=60"))
	d := dist(o.origin("o"))
	b := behave("o")
	b.PathPattern = "/app/*"
	b.ForwardedValues = &distrib.ForwardedValues{CookiesForward: "all"}
	d.Config.CacheBehaviors = []distrib.CacheBehavior{b}
	e.load(d)
	if a := e.get(domain, "/app/x", "Cookie", "a=1"); a.Header.Get("Set-Cookie") != "s=1" {
		t.Errorf("cookies forwarded: Set-Cookie %q", a.Header.Get("Set-Cookie"))
	}
	if a := e.get(domain, "/static/x", "Cookie", "a=1"); a.Header.Get("Set-Cookie") != "" {
		t.Errorf("cookies not forwarded: Set-Cookie %q", a.Header.Get("Set-Cookie"))
	}
	if o.last().Header.Get("Cookie") != "" {
		t.Errorf("cookie forwarded by a behaviour that forwards none")
	}
}

// TestHealthz: an unknown host's /healthz answers the load balancer; a distribution's own
// /healthz is its object.
func TestHealthz(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("object"))
	e.load(dist(o.origin("o")))
	if a := e.get("127.0.0.1", "/healthz"); a.Status != 200 || a.Body != "ok\n" {
		t.Errorf("healthz: %d %q", a.Status, a.Body)
	}
	e.want(e.get(domain, "/healthz"), 200, "Miss", "object")
}
