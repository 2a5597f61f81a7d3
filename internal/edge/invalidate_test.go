package edge

import (
	"net/http"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestInvalidate: exact paths remove every variant of one path (query strings, encodings),
// "*" paths remove a prefix, nothing else and no other distribution is touched; the next
// request is a Miss with what the origin has now.
func TestInvalidate(t *testing.T) {
	e := newEnv(t)
	version := func(v string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			static(v+" "+r.URL.Path+"?"+r.URL.RawQuery, "Content-Type", "text/css")(w, r)
		}
	}
	o := newOrigin(t, version("v1"))
	d := dist(o.origin("o"))
	d.Config.DefaultCacheBehavior.ForwardedValues.QueryString = true
	d.Config.DefaultCacheBehavior.Compress = true
	d2 := dist(o.origin("o"))
	d2.ID, d2.DomainLabel = "E2", "d222222abcdef8"
	d2.Config.DefaultCacheBehavior.ForwardedValues.QueryString = true
	e.load(d, d2)
	const other = "d222222abcdef8.cdn.localhost"

	targets := []string{"/images/a.css", "/images/a.css?w=1", "/images/a.css?w=2", "/images/sub/b.css", "/images2/c.css", "/d.css"}
	fill := func(host string) {
		t.Helper()
		for _, tg := range targets {
			e.get(host, tg)
		}
	}
	fill(domain)
	fill(other)
	e.get(domain, "/images/a.css", "Accept-Encoding", "gzip") // a variant of its own (too small to compress)
	check := func(step string, host string, want map[string]string) {
		t.Helper()
		for _, tg := range targets {
			a := e.get(host, tg)
			if a.xcache() != want[tg]+" from cloudfront" {
				t.Errorf("%s: %s%s is %q, want %s", step, host, tg, a.xcache(), want[tg])
			}
		}
	}

	o.setHandler(version("v2"))
	if n := e.h.Invalidate("E1", []string{"/images/a.css"}); n != 4 {
		t.Errorf("exact invalidation removed %d entries, want 4 (three queries, one gzip variant)", n)
	}
	check("exact", domain, map[string]string{"/images/a.css": "Miss", "/images/a.css?w=1": "Miss", "/images/a.css?w=2": "Miss",
		"/images/sub/b.css": "Hit", "/images2/c.css": "Hit", "/d.css": "Hit"})
	if a := e.get(domain, "/images/a.css?w=1"); a.Body != "v2 /images/a.css?w=1" {
		t.Errorf("after invalidation: %q, want the new version", a.Body)
	}
	if a := e.get(domain, "/images/a.css", "Accept-Encoding", "gzip"); a.xcache() != "Miss from cloudfront" || a.Body != "v2 /images/a.css?" {
		t.Errorf("gzip variant after invalidation: %q", a.xcache())
	}

	e.h.Invalidate("E1", []string{"/images/*"})
	check("wildcard", domain, map[string]string{"/images/a.css": "Miss", "/images/a.css?w=1": "Miss", "/images/a.css?w=2": "Miss",
		"/images/sub/b.css": "Miss", "/images2/c.css": "Hit", "/d.css": "Hit"})

	e.h.Invalidate("E1", []string{"/*"})
	all := map[string]string{}
	for _, tg := range targets {
		all[tg] = "Miss"
	}
	check("everything", domain, all)

	for _, tg := range targets {
		all[tg] = "Hit"
	}
	check("other distribution", other, all)

	// Percent-encoded invalidation paths name the decoded path.
	e.get(domain, "/a b.css")
	e.h.Invalidate("E1", []string{"/a%20b.css"})
	if a := e.get(domain, "/a%20b.css"); a.xcache() != "Miss from cloudfront" {
		t.Errorf("encoded invalidation path: %q", a.xcache())
	}
}

// TestLoadRemovesDistribution: a distribution that is no longer loaded stops being served
// (404) and its cache goes with it; the others keep theirs.
func TestLoadRemovesDistribution(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	d1 := dist(o.origin("o"))
	d2 := dist(o.origin("o"))
	d2.ID, d2.DomainLabel = "E2", "d222222abcdef8"
	const other = "d222222abcdef8.cdn.localhost"
	e.load(d1, d2)
	e.get(domain, "/a.png")
	e.get(other, "/a.png")
	before := e.cache.Stats().DiskObjects

	e.load(d2)
	if a := e.get(domain, "/a.png"); a.Status != 404 || a.xcache() != "Error from cloudfront" {
		t.Fatalf("removed distribution: %d %q", a.Status, a.xcache())
	}
	if got := e.cache.Stats().DiskObjects; got != before-1 {
		t.Errorf("cache holds %d objects after the removal, want %d", got, before-1)
	}
	e.want(e.get(other, "/a.png"), 200, "Hit", "png")
	e.load(d1, d2)
	e.want(e.get(domain, "/a.png"), 200, "Miss", "png")
	if o.count() != 3 {
		t.Fatalf("origin saw %d requests, want 3", o.count())
	}
}

// TestLoadKeepsPreviousVersion: a distribution whose new version cannot be compiled keeps
// serving its previous version and is reported failed, not applied.
func TestLoadKeepsPreviousVersion(t *testing.T) {
	e := newEnv(t)
	o := newOrigin(t, static("png"))
	d := dist(o.origin("o"))
	e.load(d)
	bad := dist(o.origin("o"))
	bad.Version = 2
	bad.Config.DefaultCacheBehavior.TargetOriginID = "nowhere"
	applied, failed := e.h.Load(State{Distributions: []distrib.Distribution{bad}, AccountID: "123456789012"})
	if _, ok := failed["E1"]; !ok || applied["E1"] != 0 {
		t.Fatalf("applied %v failed %v", applied, failed)
	}
	e.want(e.get(domain, "/a.png"), 200, "Miss", "png")
}
