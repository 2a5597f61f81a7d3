package edge

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestHostRouting: viewers reach a distribution by its domain (any case, any port) or an
// alias; an unknown host gets the edge's 404 page and never another distribution's content;
// a disabled distribution answers 403.
func TestHostRouting(t *testing.T) {
	e := newEnv(t)
	o1 := newOrigin(t, static("object-of-origin-1"))
	o2 := newOrigin(t, static("object-of-origin-2"))
	d1 := dist(o1.origin("o1"))
	d1.Config.Aliases = []string{"img.example.com"}
	d2 := dist(o2.origin("o2"))
	d2.ID, d2.DomainLabel = "E2", "d222222abcdef8"
	d3 := dist(o2.origin("o2"))
	d3.ID, d3.DomainLabel, d3.Config.Enabled = "E3", "d333333abcdef8", false
	e.load(d1, d2, d3)

	for _, c := range []struct {
		name, host string
		status     int
		body       string
	}{
		{"domain", domain, 200, "object-of-origin-1"},
		{"domain with port", domain + ":8080", 200, "object-of-origin-1"},
		{"domain upper case", strings.ToUpper(domain), 200, "object-of-origin-1"},
		{"alias", "img.example.com", 200, "object-of-origin-1"},
		{"alias upper case with port", "IMG.Example.COM:443", 200, "object-of-origin-1"},
		{"other distribution", "d222222abcdef8.cdn.localhost", 200, "object-of-origin-2"},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := e.on(t).get(c.host, "/a.png")
			if a.Status != c.status || a.Body != c.body {
				t.Fatalf("%s: %d %q, want %d %q", c.host, a.Status, a.Body, c.status, c.body)
			}
		})
	}
	for _, c := range []struct {
		name, host string
		status     int
		text       string
	}{
		{"unknown host", "nobody.example.com", 404, "No distribution is served at nobody.example.com"},
		{"unknown label", "d999999abcdef8.cdn.localhost", 404, "No distribution"},
		{"ip address", "127.0.0.1", 404, "No distribution"},
		{"disabled", "d333333abcdef8.cdn.localhost", 403, "is disabled"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := o1.count() + o2.count()
			a := e.on(t).get(c.host, "/a.png")
			if a.Status != c.status || !strings.Contains(a.Body, c.text) || a.xcache() != "Error from cloudfront" {
				t.Fatalf("%s: %d %q %q", c.host, a.Status, a.xcache(), a.Body)
			}
			if ct := a.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("error page content-type %q", ct)
			}
			if strings.Contains(a.Body, "object-of-origin") {
				t.Errorf("error page leaks an object: %q", a.Body)
			}
			if n := o1.count() + o2.count(); n != before {
				t.Errorf("an origin was asked for %s", c.host)
			}
		})
	}
	if !e.h.KnowsHost("IMG.example.com") || e.h.KnowsHost("nobody.example.com") {
		t.Error("KnowsHost disagrees with routing")
	}
}

// TestAliasSharesCacheEntry: CloudFront's cache key holds the distribution's domain name, not
// the Host the viewer used ("Understand the cache key"), so an object fetched through the
// domain is a Hit through an alias.
func TestAliasSharesCacheEntry(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	d := dist(o.origin("o"))
	d.Config.Aliases = []string{"img.example.com", "cdn.example.org"}
	e.load(d)
	e.want(e.get(domain, "/a.png"), 200, "Miss", "png")
	e.want(e.get("img.example.com", "/a.png"), 200, "Hit", "png")
	e.want(e.get("CDN.example.org:80", "/a.png"), 200, "Hit", "png")
	if o.count() != 1 {
		t.Fatalf("origin saw %d requests, want 1", o.count())
	}
}

// TestPathPatternPrecedence: the first CacheBehavior in order whose PathPattern matches picks
// the origin and the TTLs; the default behaviour takes the rest.
func TestPathPatternPrecedence(t *testing.T) {
	e := newEnv(t)
	pngs := newOrigin(t, static("from pngs"))
	images := newOrigin(t, static("from images"))
	def := newOrigin(t, static("from default"))
	d := dist(def.origin("def"), pngs.origin("pngs"), images.origin("images"))
	b1 := behave("pngs")
	b1.PathPattern, b1.DefaultTTL = "/images/*.png", i64(60)
	b2 := behave("images")
	b2.PathPattern, b2.DefaultTTL = "/images/*", i64(600)
	d.Config.CacheBehaviors = []distrib.CacheBehavior{b1, b2}
	d.Config.DefaultCacheBehavior.DefaultTTL = i64(6000)
	e.load(d)

	cases := []struct {
		path   string
		origin *testOrigin
		body   string
		ttl    time.Duration
	}{
		{"/images/a.png", pngs, "from pngs", 60 * time.Second},
		{"/images/sub/b.png", pngs, "from pngs", 60 * time.Second},
		{"/images/a.jpg", images, "from images", 600 * time.Second},
		{"/images/", images, "from images", 600 * time.Second},
		{"/images", def, "from default", 6000 * time.Second},
		{"/IMAGES/a.png", def, "from default", 6000 * time.Second},
		{"/other/a.png", def, "from default", 6000 * time.Second},
	}
	for _, c := range cases {
		before := c.origin.count()
		e.want(e.get(domain, c.path), 200, "Miss", c.body)
		if c.origin.count() != before+1 || c.origin.last().Path != c.path {
			t.Fatalf("%s: origin saw %d new requests, last %q", c.path, c.origin.count()-before, c.origin.last().Path)
		}
	}
	// Each behaviour's DefaultTTL decides when its entries expire.
	for _, step := range []struct {
		advance time.Duration
		expired map[string]bool
	}{
		{59 * time.Second, nil},
		{2 * time.Second, map[string]bool{"/images/a.png": true, "/images/sub/b.png": true}},
		{600 * time.Second, map[string]bool{"/images/a.png": true, "/images/sub/b.png": true, "/images/a.jpg": true, "/images/": true}},
	} {
		e.clock.Advance(step.advance)
		for _, c := range cases {
			want := "Hit"
			if step.expired[c.path] {
				want = "Miss"
			}
			if a := e.get(domain, c.path); a.xcache() != want+" from cloudfront" || a.Body != c.body {
				t.Errorf("after +%v %s: %q %q, want %s", step.advance, c.path, a.xcache(), a.Body, want)
			}
		}
	}
}

// TestDefaultRootObject: "/" fetches the DefaultRootObject; other paths, including
// subdirectories, do not.
func TestDefaultRootObject(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("<html>", "Content-Type", "text/html"))
	d := dist(o.origin("o"))
	d.Config.DefaultRootObject = "index.html"
	e.load(d)
	for _, c := range []struct{ viewer, origin string }{
		{"/", "/index.html"},
		{"/docs/", "/docs/"},
	} {
		a := e.get(domain, c.viewer)
		if a.Status != 200 || a.Body != "<html>" || o.last().Path != c.origin {
			t.Errorf("%s: %d %q, origin saw %q, want %q", c.viewer, a.Status, a.Body, o.last().Path, c.origin)
		}
	}
	// "/" and "/index.html" are one object: a hit either way, and invalidating the root
	// object clears both.
	n := o.count()
	e.want(e.get(domain, "/index.html"), 200, "Hit", "<html>")
	e.want(e.get(domain, "/"), 200, "Hit", "<html>")
	e.h.Invalidate("E1", []string{"/index.html"})
	e.want(e.get(domain, "/"), 200, "Miss", "<html>")
	if o.count() != n+1 {
		t.Errorf("origin saw %d requests, want %d", o.count(), n+1)
	}
}

// TestViewerProtocolPolicy: redirect-to-https answers 301 for GET and HEAD, 307 for other
// methods, with a Location on the HTTPS listener's port; https-only refuses HTTP with 403;
// HTTPS viewers are served under both.
func TestViewerProtocolPolicy(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.ViewerProtocolPolicy = "redirect-to-https"
	d.Config.DefaultCacheBehavior.AllowedMethods = []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
	only := behave("o")
	only.PathPattern, only.ViewerProtocolPolicy = "/secure/*", "https-only"
	d.Config.CacheBehaviors = []distrib.CacheBehavior{only}
	e.load(d)
	_, port, _ := strings.Cut(strings.TrimPrefix(e.tls.URL, "https://"), ":")
	loc := "https://" + domain + ":" + port + "/a.png?x=1"

	for _, c := range []struct {
		method string
		status int
	}{
		{http.MethodGet, 301}, {http.MethodHead, 301}, {http.MethodPost, 307}, {http.MethodPut, 307},
		{http.MethodDelete, 307}, {http.MethodOptions, 307},
	} {
		a := e.do(false, c.method, domain, "/a.png?x=1", nil)
		if a.Status != c.status || a.Header.Get("Location") != loc {
			t.Errorf("%s over HTTP: %d Location %q, want %d %q", c.method, a.Status, a.Header.Get("Location"), c.status, loc)
		}
		if len(a.Header.Get("X-Amz-Cf-Id")) != 56 || a.Header.Get("X-Amz-Cf-Pop") != "TST1-C1" {
			t.Errorf("%s redirect lacks CloudFront headers: %v", c.method, a.Header)
		}
	}
	if o.count() != 0 {
		t.Fatalf("redirects reached the origin %d times", o.count())
	}
	e.want(e.do(true, http.MethodGet, domain, "/a.png", nil), 200, "Miss", "png")

	a := e.get(domain, "/secure/a.png")
	if a.Status != 403 || a.xcache() != "Error from cloudfront" {
		t.Errorf("https-only over HTTP: %d %q", a.Status, a.xcache())
	}
	e.want(e.do(true, http.MethodGet, domain, "/secure/a.png", nil), 200, "Miss", "png")
}

// TestAllowedMethods: a method the behaviour does not allow is refused with 403 before the
// origin; methods allowed but not cached reach the origin with their body, every time.
func TestAllowedMethods(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("Set-Cookie", "s=1")
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte("did " + r.Method))
	})
	d := dist(o.origin("o"))
	full := behave("o")
	full.PathPattern = "/api/*"
	full.AllowedMethods = []string{"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"}
	d.Config.CacheBehaviors = []distrib.CacheBehavior{full}
	e.load(d)

	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions} {
		a := e.do(false, m, domain, "/a.png", strings.NewReader("payload"))
		if a.Status != 403 || a.xcache() != "Error from cloudfront" {
			t.Errorf("%s on a GET/HEAD behaviour: %d %q", m, a.Status, a.xcache())
		}
	}
	if o.count() != 0 {
		t.Fatalf("refused methods reached the origin %d times", o.count())
	}
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		for i := range 2 {
			before := o.count()
			a := e.do(false, m, domain, "/api/item?id=7", strings.NewReader("payload "+m), "Content-Type", "application/json")
			if a.Status != 201 || a.Body != "did "+m || a.xcache() != "Miss from cloudfront" {
				t.Fatalf("%s #%d: %d %q %q", m, i, a.Status, a.xcache(), a.Body)
			}
			if a.Header.Get("Set-Cookie") != "" {
				t.Errorf("%s: Set-Cookie relayed although cookies are not forwarded", m)
			}
			got := o.last()
			if o.count() != before+1 || got.Method != m || got.Body != "payload "+m || got.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("%s #%d: origin saw %d new, %s %q %q", m, i, o.count()-before, got.Method, got.Body, got.Header.Get("Content-Type"))
			}
		}
	}
}
