package edge

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// siteOrigin serves /errors/*.html pages and a few objects; anything else is a 404 (or the
// status named by ?status on the path /fail).
func siteOrigin(t *testing.T) *testOrigin {
	return newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/errors/"):
			static("page "+r.URL.Path, "Content-Type", "text/html")(w, r)
		case r.URL.Path == "/ok.png":
			static("ok")(w, r)
		case r.URL.Path == "/forbidden":
			http.Error(w, "origin says forbidden", http.StatusForbidden)
		default:
			http.Error(w, "origin says not found", http.StatusNotFound)
		}
	})
}

// TestErrorCaching: a 404 is cached for the error caching minimum TTL (10 s by default,
// ErrorCachingMinTTL when a CustomErrorResponse sets it) and answered with x-cache Error; a
// 403 without max-age is not cached.
func TestErrorCaching(t *testing.T) {
	e := newEnv(t)
	o := siteOrigin(t)
	e.load(dist(o.origin("o")))
	e.want(e.get(domain, "/missing"), 404, "Error", "origin says not found\n")
	e.want(e.get(domain, "/missing"), 404, "Error", "origin says not found\n")
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests for a cached 404, want 1", o.count())
	}
	e.clock.Advance(9 * time.Second)
	e.get(domain, "/missing")
	if o.count() != 1 {
		t.Fatalf("a 404 expired before 10 s")
	}
	e.clock.Advance(2 * time.Second)
	e.want(e.get(domain, "/missing"), 404, "Error", "origin says not found\n")
	if o.count() != 2 {
		t.Fatalf("a 404 was still cached after 11 s")
	}

	e.get(domain, "/forbidden")
	e.get(domain, "/forbidden")
	if o.count() != 4 {
		t.Fatalf("a 403 without max-age was cached: %d requests", o.count())
	}

	d := dist(o.origin("o"))
	d.Version = 2
	d.Config.CustomErrorResponses = []distrib.CustomErrorResponse{{ErrorCode: 404, ErrorCachingMinTTL: i64(60)}}
	e.load(d)
	n := o.count()
	e.get(domain, "/other-missing")
	e.clock.Advance(59 * time.Second)
	e.want(e.get(domain, "/other-missing"), 404, "Error", "origin says not found\n")
	if o.count() != n+1 {
		t.Fatalf("ErrorCachingMinTTL 60: origin saw %d requests, want %d", o.count(), n+1)
	}
}

// TestCustomErrorResponses: an origin error with a CustomErrorResponse answers with its
// ResponsePagePath, fetched (and cached) through the distribution, under its ResponseCode,
// or the original status when none is set.
func TestCustomErrorResponses(t *testing.T) {
	e := newEnv(t)
	o := siteOrigin(t)
	d := dist(o.origin("o"))
	d.Config.CustomErrorResponses = []distrib.CustomErrorResponse{
		{ErrorCode: 404, ResponsePagePath: "/errors/404.html", ResponseCode: "200"},
		{ErrorCode: 403, ResponsePagePath: "/errors/403.html"},
		{ErrorCode: 502, ResponsePagePath: "/errors/502.html", ResponseCode: "503"},
	}
	e.load(d)

	a := e.get(domain, "/spa/route")
	if a.Status != 200 || a.Body != "page /errors/404.html" || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("404 with a page: %d %q", a.Status, a.Body)
	}
	n := o.count()
	if a := e.get(domain, "/spa/route"); a.Status != 200 || a.Body != "page /errors/404.html" || o.count() != n {
		t.Fatalf("the second 404 was not answered from the cache: %d %q, %d origin requests", a.Status, a.Body, o.count()-n)
	}
	if a := e.get(domain, "/spa/other"); a.Status != 200 || a.Body != "page /errors/404.html" || o.count() != n+1 {
		t.Fatalf("another 404: %d %q, %d origin requests (the page should be cached)", a.Status, a.Body, o.count()-n)
	}
	if a := e.do(false, http.MethodHead, domain, "/spa/route", nil); a.Status != 200 || a.Body != "" {
		t.Fatalf("HEAD of a 404 with a page: %d %q", a.Status, a.Body)
	}
	a = e.get(domain, "/forbidden", "Range", "bytes=0-3", "If-None-Match", "*")
	if a.Status != 403 || a.Body != "page /errors/403.html" {
		t.Fatalf("403 with a page and no ResponseCode: %d %q", a.Status, a.Body)
	}
	// An error without a page is relayed as it is.
	d.Config.CustomErrorResponses = d.Config.CustomErrorResponses[1:]
	d.Version = 2
	e.load(d)
	e.want(e.get(domain, "/spa/third"), 404, "Error", "origin says not found\n")
}

// TestOriginDown: an origin that refuses connections gets the edge's 502 page with
// x-cache Error, or the CustomErrorResponse page for 502 from another origin.
func TestOriginDown(t *testing.T) {
	e := newEnv(t)
	down := newOrigin(t, static("never"))
	down.Close()
	pages := siteOrigin(t)
	d := dist(down.origin("down"), pages.origin("pages"))
	b := behave("pages")
	b.PathPattern = "/errors/*"
	d.Config.CacheBehaviors = []distrib.CacheBehavior{b}
	e.load(d)
	a := e.get(domain, "/a.png")
	if a.Status != 502 || a.xcache() != "Error from cloudfront" || !strings.Contains(a.Body, "could not connect to the origin") {
		t.Fatalf("origin down: %d %q %q", a.Status, a.xcache(), a.Body)
	}
	if len(a.Header.Get("X-Amz-Cf-Id")) != 56 || a.Header.Get("Via") == "" {
		t.Errorf("502 page without CloudFront headers: %v", a.Header)
	}

	d.Version = 2
	d.Config.CustomErrorResponses = []distrib.CustomErrorResponse{{ErrorCode: 502, ResponsePagePath: "/errors/502.html", ResponseCode: "503"}}
	e.load(d)
	a = e.get(domain, "/b.png")
	if a.Status != 503 || a.Body != "page /errors/502.html" {
		t.Fatalf("origin down with a 502 page: %d %q", a.Status, a.Body)
	}
}

// TestOriginGroupFailover: an origin group fails over from its first member to the second on
// a listed status code or a connection failure, and not on other statuses.
func TestOriginGroupFailover(t *testing.T) {
	e := newEnv(t)
	primary := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			http.Error(w, "primary busy", http.StatusServiceUnavailable)
		case "/gone":
			http.Error(w, "primary gone", http.StatusNotFound)
		default:
			static("primary "+r.URL.Path)(w, r)
		}
	})
	secondary := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		static("secondary "+r.URL.Path)(w, r)
	})
	down := newOrigin(t, static("never"))
	down.Close()
	d := dist(primary.origin("primary"), secondary.origin("secondary"), down.origin("down"))
	d.Config.OriginGroups = []distrib.OriginGroup{
		{ID: "group", StatusCodes: []int{500, 502, 503}, Members: []string{"primary", "secondary"}},
		{ID: "group-down", StatusCodes: []int{503}, Members: []string{"down", "secondary"}},
	}
	d.Config.DefaultCacheBehavior.TargetOriginID = "group"
	b := behave("group-down")
	b.PathPattern = "/down/*"
	d.Config.CacheBehaviors = []distrib.CacheBehavior{b}
	e.load(d)

	for _, c := range []struct {
		path      string
		status    int
		body      string
		primary   int // requests primary sees
		secondary int
	}{
		{"/ok", 200, "primary /ok", 1, 0},
		{"/busy", 200, "secondary /busy", 1, 1},
		{"/gone", 404, "primary gone\n", 1, 0},
		{"/down/x", 200, "secondary /down/x", 0, 1},
	} {
		p, s := primary.count(), secondary.count()
		a := e.get(domain, c.path)
		if a.Status != c.status || a.Body != c.body {
			t.Errorf("%s: %d %q, want %d %q", c.path, a.Status, a.Body, c.status, c.body)
		}
		if primary.count()-p != c.primary || secondary.count()-s != c.secondary {
			t.Errorf("%s: primary saw %d, secondary %d; want %d and %d", c.path, primary.count()-p, secondary.count()-s, c.primary, c.secondary)
		}
	}
	// The failed-over answer is cached like any other.
	e.want(e.get(domain, "/busy"), 200, "Hit", "secondary /busy")
}

// TestOriginFailureCached: an origin that fails (the connection dropped) gets a 502 page that
// is cached for ErrorCachingMinTTL (10 s by default), so viewers do not hammer it; after that
// the origin is asked again.
func TestOriginFailureCached(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	})
	e.load(dist(o.origin("o")))
	a := e.get(domain, "/a.png")
	if a.Status != http.StatusBadGateway || a.xcache() != "Error from cloudfront" {
		t.Fatalf("failing origin: %d %q", a.Status, a.xcache())
	}
	asked := o.count()
	for range 3 {
		if b := e.get(domain, "/a.png"); b.Status != http.StatusBadGateway || b.xcache() != "Error from cloudfront" {
			t.Fatalf("within ErrorCachingMinTTL: %d %q", b.Status, b.xcache())
		}
	}
	if o.count() != asked {
		t.Errorf("origin asked %d more times within ErrorCachingMinTTL", o.count()-asked)
	}
	o.setHandler(static("back"))
	e.clock.Advance(11 * time.Second)
	e.want(e.get(domain, "/a.png"), 200, "Miss", "back")
}
